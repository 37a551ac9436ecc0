//! Maps JSON pointers to line:column positions in the source text.
//!
//! serde_json drops positions once a document is parsed, but every diagnostic must name
//! the line and column where the offending value starts. This scanner walks the text once
//! and records where each value (and each member's key) begins. Strings are scanned by the
//! shared lexer ([`super::json_lexer`]) that also colours the editor.

use std::collections::{HashMap, HashSet};

use super::json_lexer::{StringEnd, string_end};

/// A 1-based line and column (columns count characters, not bytes), and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl Pos {
    pub const START: Pos = Pos {
        line: 1,
        column: 1,
        offset: 0,
    };
    /// Line 0: a diagnostic whose position is still to be looked up by its pointer.
    pub const UNRESOLVED: Pos = Pos {
        line: 0,
        column: 0,
        offset: 0,
    };
}

/// Where a value sits in the text: its key (for object members) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub key: Option<Pos>,
    pub value: Pos,
    /// Byte offset just past the value.
    pub end: usize,
}

/// Positions of every value of a JSON document, keyed by JSON pointer (`""` is the root).
#[derive(Debug, Default, Clone)]
pub struct PositionIndex {
    spans: HashMap<String, Span>,
}

impl PositionIndex {
    /// Indexes `text`. Text that is not valid JSON yields the positions read before the fault.
    pub fn build(text: &str) -> Self {
        Self::scan(text, None)
    }

    /// Indexes only the given pointers and their ancestors, skipping every other subtree
    /// without allocating: locating a few errors in a 1 MiB document stays cheap.
    pub fn for_pointers<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> Self {
        let mut wanted = HashSet::new();
        for pointer in pointers {
            let mut p = pointer;
            loop {
                if !wanted.insert(p.to_string()) {
                    break;
                }
                match p.rfind('/') {
                    Some(cut) => p = &p[..cut],
                    None => break,
                }
            }
        }
        Self::scan(text, Some(wanted))
    }

    fn scan(text: &str, wanted: Option<HashSet<String>>) -> Self {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            text,
            i: 0,
            line: 1,
            line_start: 0,
            spans: HashMap::new(),
            wanted,
        };
        let mut pointer = String::new();
        scanner.skip_ws();
        let _ = scanner.value(&mut pointer, None, 0);
        PositionIndex {
            spans: scanner.spans,
        }
    }

    pub fn span(&self, pointer: &str) -> Option<Span> {
        self.spans.get(pointer).copied()
    }

    /// The position of the value at `pointer`, or of its nearest indexed ancestor, so an
    /// error about a missing member points at the object that lacks it.
    pub fn locate(&self, pointer: &str) -> Pos {
        let mut p = pointer;
        loop {
            if let Some(span) = self.spans.get(p) {
                return span.value;
            }
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => return Pos::START,
            }
        }
    }

    /// Like [`locate`](Self::locate) but prefers the member's key, which is where an
    /// editor's eye looks for "this property".
    pub fn locate_key(&self, pointer: &str) -> Pos {
        match self.spans.get(pointer) {
            Some(Span { key: Some(k), .. }) => *k,
            _ => self.locate(pointer),
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// Splits a JSON pointer into its unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Converts a byte offset of `text` into a line and column.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    Pos {
        line,
        column,
        offset,
    }
}

/// Converts a 1-based line and column into a byte offset (clamped to the text).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            let col_bytes = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
            return offset + col_bytes;
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod legacy;

/// A bracket or string that a text leaves open, and where it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// Where the unclosed thing opened (or the stray closer stands).
    pub pos: Pos,
    pub message: String,
}

fn indent_of(bytes: &[u8], line_start: usize) -> usize {
    bytes[line_start..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

fn closer_of(open: u8) -> u8 {
    if open == b'{' { b'}' } else { b']' }
}

/// Explains a syntax error that a parser reports at the end of the text or far from its
/// cause: which string, `{` or `[` is not closed and where it opened, or which closer closes
/// nothing. For a missing `}` in an indented document, the opener whose closer is missing is
/// found by indentation: the first closer indented differently from the line of the opener it
/// closes shows that one closer above it is missing. `None` when brackets and strings balance.
pub fn explain_unclosed(text: &str) -> Option<Unclosed> {
    let bytes = text.as_bytes();
    // (opener, its offset, the indent of its line)
    let mut stack: Vec<(u8, usize, usize)> = Vec::new();
    // The first opener closed by a closer at another indent: (opener, offset, closer offset).
    let mut suspect: Option<(u8, usize, usize)> = None;
    let mut line_start = 0;
    let mut i = 0;
    let at = |offset: usize| pos_at(text, offset);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line_start = i + 1,
            b'"' => match string_end(bytes, i) {
                // The loop's `i += 1` below steps past the closing quote.
                StringEnd::Closed(end) => i = end - 1,
                StringEnd::Eof => {
                    return Some(Unclosed {
                        pos: at(i),
                        message: "the string opened here is never closed".into(),
                    });
                }
                StringEnd::LineBreak(_) => {
                    let p = at(i);
                    return Some(Unclosed {
                        pos: p,
                        message: format!(
                            "the string opened at {}:{} is not closed on its line \
                             (a line break inside a string is written \\n)",
                            p.line, p.column
                        ),
                    });
                }
            },
            open @ (b'{' | b'[') => stack.push((open, i, indent_of(bytes, line_start))),
            close @ (b'}' | b']') => {
                let Some((open, offset, indent)) = stack.pop() else {
                    let p = at(i);
                    return Some(Unclosed {
                        pos: p,
                        message: format!(
                            "this `{}` closes nothing: there is no open `{}` before it",
                            close as char,
                            if close == b'}' { '{' } else { '[' }
                        ),
                    });
                };
                if closer_of(open) != close {
                    let o = at(offset);
                    return Some(Unclosed {
                        pos: o,
                        message: format!(
                            "the `{}` opened at {}:{} is closed by a `{}` at {}:{}",
                            open as char,
                            o.line,
                            o.column,
                            close as char,
                            at(i).line,
                            at(i).column
                        ),
                    });
                }
                let first_on_line = bytes[line_start..i]
                    .iter()
                    .all(|b| matches!(b, b' ' | b'\t'));
                if suspect.is_none() && first_on_line && i - line_start != indent {
                    suspect = Some((open, offset, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    let (open, offset, hint) = match (suspect, stack.last()) {
        (_, None) => return None,
        (Some((open, offset, closer)), Some(_)) => (open, offset, Some(closer)),
        (None, Some(&(open, offset, _))) => (open, offset, None),
    };
    let p = at(offset);
    let mut message = format!(
        "the `{}` opened at {}:{} is never closed",
        open as char, p.line, p.column
    );
    if let Some(closer) = hint {
        let c = at(closer);
        message.push_str(&format!(
            ": a `{}` is probably missing before line {} (the `{}` there is indented for an outer one)",
            closer_of(open) as char,
            c.line,
            bytes[closer] as char
        ));
    }
    Some(Unclosed { pos: p, message })
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
    spans: HashMap<String, Span>,
    /// When set, only these pointers are recorded and other subtrees are skipped.
    wanted: Option<HashSet<String>>,
}

const MAX_DEPTH: usize = 512;

impl Scanner<'_> {
    fn pos(&self) -> Pos {
        let column = self
            .text
            .get(self.line_start..self.i)
            .map_or(self.i - self.line_start, |s| s.chars().count())
            + 1;
        Pos {
            line: self.line,
            column,
            offset: self.i,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self, pointer: &mut String, key: Option<Pos>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(wanted) = &self.wanted
            && !wanted.contains(pointer.as_str())
        {
            return self.skip_value();
        }
        let start = self.pos();
        match *self.bytes.get(self.i)? {
            b'{' => {
                self.i += 1;
                self.skip_ws();
                if self.bytes.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.skip_ws();
                        let key_pos = self.pos();
                        let name = self.string()?;
                        self.skip_ws();
                        if self.bytes.get(self.i) != Some(&b':') {
                            return None;
                        }
                        self.i += 1;
                        self.skip_ws();
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&escape_token(&name));
                        self.value(pointer, Some(key_pos), depth + 1)?;
                        pointer.truncate(len);
                        self.skip_ws();
                        match self.bytes.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.skip_ws();
                if self.bytes.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    let mut n = 0usize;
                    loop {
                        self.skip_ws();
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&n.to_string());
                        self.value(pointer, None, depth + 1)?;
                        pointer.truncate(len);
                        n += 1;
                        self.skip_ws();
                        match self.bytes.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            b'"' => {
                self.string()?;
            }
            _ => {
                // Numbers, true, false, null: run to the next delimiter.
                while let Some(&b) = self.bytes.get(self.i) {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
        self.spans.insert(
            pointer.clone(),
            Span {
                key,
                value: start,
                end: self.i,
            },
        );
        Some(())
    }

    /// Moves past one value without recording anything, counting lines on the way.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let b = *self.bytes.get(self.i)?;
            match b {
                b'"' => {
                    let mut from = self.i;
                    self.i = loop {
                        match string_end(self.bytes, from) {
                            StringEnd::Closed(end) => break end,
                            // Skipping reads on through a raw line break (without counting
                            // it); the scan goes on from the byte after it.
                            StringEnd::LineBreak(at) => from = at,
                            StringEnd::Eof => return None,
                        }
                    };
                    if depth == 0 {
                        return Some(());
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        return Some(());
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        return Some(());
                    }
                }
                b',' | b'\n' | b' ' | b'\t' | b'\r' if depth == 0 => return Some(()),
                b'\n' => {
                    self.line += 1;
                    self.line_start = self.i + 1;
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Reads a string token and returns its unescaped contents.
    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        let StringEnd::Closed(end) = string_end(self.bytes, start) else {
            return None;
        };
        self.i = end;
        let raw = self.text.get(start..end)?;
        if raw.as_bytes()[1..raw.len() - 1].contains(&b'\\') {
            serde_json::from_str(raw).ok()
        } else {
            Some(raw[1..raw.len() - 1].to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_keys() {
        let text = "{\n  \"a\": {\"b/c\": [1, {\"d\": true}]},\n  \"é\": \"x\"\n}";
        let idx = PositionIndex::build(text);
        assert_eq!(idx.locate("").line, 1);
        let a = idx.span("/a").unwrap();
        assert_eq!((a.key.unwrap().line, a.key.unwrap().column), (2, 3));
        assert_eq!((a.value.line, a.value.column), (2, 8));
        let d = idx.span("/a/b~1c/1/d").unwrap();
        assert_eq!((d.value.line, d.value.column), (2, 26));
        let e = idx.span("/é").unwrap();
        assert_eq!((e.value.line, e.value.column), (3, 8));
        // A missing member falls back to the nearest ancestor.
        assert_eq!(idx.locate("/a/missing").column, 8);
    }

    #[test]
    fn filtered_index_agrees_with_the_full_one() {
        let text = "{\n  \"a\": {\"x\": [1, 2, {\"q\": \"s\\\"}\"}]},\n  \"b\": {\n    \"c\": [true,\n null],\n    \"d\": 1\n  }\n}";
        let full = PositionIndex::build(text);
        let some = PositionIndex::for_pointers(text, ["/b/d", "/a/x/2/q", "/b/c/1"]);
        for p in [
            "", "/a", "/a/x", "/a/x/2", "/a/x/2/q", "/b", "/b/d", "/b/c/1",
        ] {
            assert_eq!(some.span(p), full.span(p), "{p}");
        }
        assert!(some.span("/b/c/0").is_none());
        assert_eq!(some.locate("/b/d").line, 6);
    }

    #[test]
    fn escaped_keys_are_unescaped() {
        let idx = PositionIndex::build(r#"{"q\"uote": 1, "~t": 2}"#);
        assert!(idx.span("/q\"uote").is_some());
        assert!(idx.span("/~0t").is_some());
    }

    #[test]
    fn offsets_and_positions_agree() {
        let text = "ab\ncdé\nf";
        let p = pos_at(text, text.find('f').unwrap());
        assert_eq!((p.line, p.column), (3, 1));
        assert_eq!(offset_of(text, 2, 3), text.find('é').unwrap());
    }

    #[test]
    fn unclosed_things_are_named_where_they_open() {
        // A `}` missing after line 5's object: the closer on line 9 is indented for line 2.
        let text = "{\n  \"properties\": {\n    \"a\": {\n      \"type\": \"string\"\n    ,\n    \"b\": {\n      \"type\": \"string\"\n    }\n  }\n}\n";
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
        let u = explain_unclosed(text).expect("explained");
        assert_eq!((u.pos.line, u.pos.column), (3, 10), "{}", u.message);
        assert!(
            u.message.contains("`{` opened at 3:10 is never closed"),
            "{}",
            u.message
        );
        assert!(u.message.contains("before line 9"), "{}", u.message);

        // Minified: the innermost open bracket.
        let u = explain_unclosed("{\"a\": [1, 2, {\"b\": 3}").expect("explained");
        assert_eq!(u.pos.column, 7, "{}", u.message);
        assert!(
            u.message.starts_with("the `[` opened at 1:7"),
            "{}",
            u.message
        );

        // A string left open at the end of its line.
        let u = explain_unclosed("{\n  \"title\": \"Given name,\n  \"type\": \"string\"\n}")
            .expect("explained");
        assert_eq!((u.pos.line, u.pos.column), (2, 12), "{}", u.message);
        assert!(
            u.message.contains("string opened at 2:12 is not closed"),
            "{}",
            u.message
        );

        // A stray closer, a wrong closer, and balanced text.
        let u = explain_unclosed("{}\n}").expect("explained");
        assert_eq!((u.pos.line, u.pos.column), (2, 1));
        let u = explain_unclosed("{\"a\": [1}").expect("explained");
        assert!(u.message.contains("closed by a `}`"), "{}", u.message);
        assert_eq!(explain_unclosed("{\"a\": \"}\\\"\", \"b\": [1]}"), None);
    }
}
