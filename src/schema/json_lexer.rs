//! The one JSON lexer: tokens with byte spans, tolerant of broken input.
//!
//! The editor colours half-typed text with [`Lexer`]; the position index and the
//! unclosed-bracket explanation ([`super::position`]) and the numbers-as-written reader
//! ([`super::numbers`]) read the same tokens, so all agree on where a string starts, what an
//! escape skips, where a string or a number stops and where lines break.

use std::ops::Range;

/// What a stretch of JSON text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A string followed (after whitespace) by `:`.
    Key,
    String,
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// One of `{ } [ ] : ,`.
    Punctuation,
    Whitespace,
    /// Anything else: a stray character or a word that is no literal.
    Invalid,
}

/// One token: its kind and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

/// JSON's whitespace bytes.
pub fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// How a string that opens with `"` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringEnd {
    /// Closed: the byte offset just past the closing `"`.
    Closed(usize),
    /// A raw line break at this offset comes before the closing `"` (a line break after a
    /// `\` is skipped like any escaped byte).
    LineBreak(usize),
    /// The text ends before the closing `"`.
    Eof,
}

/// Scans the string whose opening `"` is at `open`. An escape `\` skips the byte after it,
/// whatever it is; escapes are not checked further.
pub fn string_end(bytes: &[u8], open: usize) -> StringEnd {
    let mut i = open + 1;
    loop {
        // Most of a schema's bytes are inside strings: jump to the next byte that matters.
        let Some(skip) = bytes
            .get(i..)
            .and_then(|rest| memchr::memchr3(b'"', b'\\', b'\n', rest))
        else {
            return StringEnd::Eof;
        };
        i += skip;
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return StringEnd::Closed(i + 1),
            _ => return StringEnd::LineBreak(i),
        }
    }
}

/// Splits text into tokens that cover it without gaps. Never fails: text that is not JSON
/// becomes [`TokenKind::Invalid`] tokens, and a string left open runs to the end of its line,
/// so half-typed documents still colour sensibly. Yields without allocating.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lexer { text, i: 0 }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let start = self.i;
        let mut i = start;
        let kind = match *bytes.get(i)? {
            b if is_whitespace(b) => {
                while i < bytes.len() && is_whitespace(bytes[i]) {
                    i += 1;
                }
                TokenKind::Whitespace
            }
            b'"' => {
                i = match string_end(bytes, i) {
                    StringEnd::Closed(end) => end,
                    StringEnd::LineBreak(at) => at,
                    StringEnd::Eof => bytes.len(),
                };
                // A string followed by a colon is an object key.
                let mut j = i;
                while j < bytes.len() && is_whitespace(bytes[j]) {
                    j += 1;
                }
                if bytes.get(j) == Some(&b':') {
                    TokenKind::Key
                } else {
                    TokenKind::String
                }
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                i += 1;
                TokenKind::Punctuation
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
                TokenKind::Number
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                match &text[start..i] {
                    "true" | "false" | "null" => TokenKind::Literal,
                    _ => TokenKind::Invalid,
                }
            }
            _ => {
                // One whole character (it may be several bytes).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Invalid
            }
        };
        self.i = i;
        Some(Token {
            kind,
            span: start..i,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text).map(|t| (t.kind, &text[t.span])).collect()
    }

    /// Tokens follow each other without gaps, end at the end and split only at char boundaries.
    fn assert_covers(text: &str) {
        let mut at = 0;
        for t in Lexer::new(text) {
            assert_eq!(t.span.start, at, "{text:?}");
            assert!(t.span.end > t.span.start, "{text:?}");
            assert!(text.is_char_boundary(t.span.end), "{text:?}");
            at = t.span.end;
        }
        assert_eq!(at, text.len(), "{text:?}");
    }

    use TokenKind::*;

    #[test]
    fn lexes_a_document() {
        assert_eq!(
            lex(r#"{"a" : [1, -2.5e+3, true, null], "b": "x"}"#),
            [
                (Punctuation, "{"),
                (Key, r#""a""#),
                (Whitespace, " "),
                (Punctuation, ":"),
                (Whitespace, " "),
                (Punctuation, "["),
                (Number, "1"),
                (Punctuation, ","),
                (Whitespace, " "),
                (Number, "-2.5e+3"),
                (Punctuation, ","),
                (Whitespace, " "),
                (Literal, "true"),
                (Punctuation, ","),
                (Whitespace, " "),
                (Literal, "null"),
                (Punctuation, "]"),
                (Punctuation, ","),
                (Whitespace, " "),
                (Key, r#""b""#),
                (Punctuation, ":"),
                (Whitespace, " "),
                (String, r#""x""#),
                (Punctuation, "}"),
            ]
        );
    }

    #[test]
    fn a_key_is_a_string_before_a_colon_even_across_lines() {
        assert_eq!(
            lex("\"k\"\n\t:"),
            [(Key, "\"k\""), (Whitespace, "\n\t"), (Punctuation, ":")]
        );
        assert_eq!(lex("\"k\" ,")[0], (String, "\"k\""));
    }

    #[test]
    fn escapes_do_not_close_a_string() {
        assert_eq!(
            lex(r#""a\"b\\" x"#),
            [(String, r#""a\"b\\""#), (Whitespace, " "), (Invalid, "x")]
        );
        assert_eq!(lex(r#""\u00e9""#), [(String, r#""\u00e9""#)]);
    }

    #[test]
    fn an_unterminated_string_stops_at_its_line_or_the_end() {
        assert_eq!(
            lex("\"open\n1"),
            [(String, "\"open"), (Whitespace, "\n"), (Number, "1")]
        );
        assert_eq!(lex("\"open"), [(String, "\"open")]);
        // A `\` at the very end escapes nothing and does not run past the text.
        assert_eq!(lex("\"ab\\"), [(String, "\"ab\\")]);
        // An escaped line break does not stop the string.
        assert_eq!(lex("\"a\\\nb\""), [(String, "\"a\\\nb\"")]);
    }

    #[test]
    fn stray_characters_and_words_are_invalid() {
        assert_eq!(
            lex("tru é@nullx"),
            [
                (Invalid, "tru"),
                (Whitespace, " "),
                (Invalid, "é"),
                (Invalid, "@"),
                (Invalid, "nullx"),
            ]
        );
    }

    #[test]
    fn non_ascii_stays_whole() {
        assert_eq!(
            lex("{\"ü\": \"日本\"}"),
            [
                (Punctuation, "{"),
                (Key, "\"ü\""),
                (Punctuation, ":"),
                (Whitespace, " "),
                (String, "\"日本\""),
                (Punctuation, "}"),
            ]
        );
        // An escape before a multi-byte character skips one byte; the string still ends whole.
        assert_eq!(lex("\"\\é\" 1")[0], (String, "\"\\é\""));
    }

    #[test]
    fn tokens_cover_any_text() {
        for text in [
            "",
            "{\"ü\": \"unterminated\n  ]é",
            "\"\\",
            "\"\\é",
            "-",
            "1.2.3e--",
            "\u{1F600}\"\u{1F600}\\\u{1F600}",
            "\r\n\t ",
        ] {
            assert_covers(text);
        }
        // Every prefix of a document: what the editor sees while it is typed.
        let doc = "{\n  \"é\": [1, \"a\\\"b\", true],\n  \"x\": null\n}\n";
        for (i, _) in doc.char_indices() {
            assert_covers(&doc[..i]);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
        ))]

        /// Any text, JSON-like or not, is covered by tokens that split it at char
        /// boundaries, and punctuation, whitespace and keys are what they say.
        #[test]
        fn any_text_is_covered(text in "([{}\\[\\]:,\"\\\\ \t\r\n0-9eE.+-]|true|null|x|é|日|\u{1F600}){0,80}") {
            assert_covers(&text);
            for t in Lexer::new(&text) {
                let s = &text[t.span.clone()];
                match t.kind {
                    Punctuation => proptest::prop_assert!(matches!(s, "{" | "}" | "[" | "]" | ":" | ","), "{:?}", s),
                    Whitespace => proptest::prop_assert!(s.bytes().all(is_whitespace), "{:?}", s),
                    Key => proptest::prop_assert!(text[t.span.end..].trim_start_matches([' ', '\t', '\r', '\n']).starts_with(':'), "{:?}", s),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn string_ends_are_told_apart() {
        assert_eq!(string_end(b"\"ab\" x", 0), StringEnd::Closed(4));
        assert_eq!(string_end(b"x\"a\\\"\"", 1), StringEnd::Closed(6));
        assert_eq!(string_end(b"\"ab\ncd\"", 0), StringEnd::LineBreak(3));
        assert_eq!(string_end(b"\"ab", 0), StringEnd::Eof);
        assert_eq!(string_end(b"\"ab\\", 0), StringEnd::Eof);
    }
}
