//! Text from a file, the store or a server, made safe to show: control characters (and the
//! bidirectional overrides that reorder a line) escaped as `\u{1b}`, `\n`…, so a type or a
//! message cannot retitle a terminal, clear the screen or fake a line. Used by the CLI for
//! every such text it prints, and by the GUI for texts read from the store.

use std::borrow::Cow;

/// `text` with every control character escaped, newlines and tabs included (for one-line
/// output such as a list row or an error).
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// `text` with control characters escaped except newlines and tabs (for multi-line text).
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// Whether `c` is a character a terminal or a text renderer may act on rather than show.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) && !keep(c) {
            let escaped: String = c.escape_debug().collect();
            if escaped.chars().count() > 1 {
                out.push_str(&escaped);
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_plain_text_borrowed() {
        assert!(matches!(printable("Kunde-ä v2"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\u{1b}]0;x\u{7}\u{1b}[2Jb"),
            "a\\u{1b}]0;x\\u{7}\\u{1b}[2Jb"
        );
        assert_eq!(printable("a\nb\tc\u{9b}"), "a\\nb\\tc\\u{9b}");
        assert_eq!(printable("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(printable_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
    }

    /// Whatever the input, nothing a terminal acts on is left, and plain text is unchanged.
    #[test]
    fn no_generated_text_keeps_an_unsafe_character() {
        let chars: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        for window in chars.chunks(61) {
            let text: String = window.iter().collect();
            let shown = printable(&text);
            assert!(!shown.chars().any(is_unsafe), "{shown:?}");
            let kept: String = text.chars().filter(|c| !is_unsafe(*c)).collect();
            let mut rest = shown.as_ref();
            for c in kept.chars() {
                let at = rest
                    .find(c)
                    .unwrap_or_else(|| panic!("{c:?} lost in {shown:?}"));
                rest = &rest[at + c.len_utf8()..];
            }
        }
    }
}
