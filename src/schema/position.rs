//! Maps JSON pointers to line:column positions in the source text.
//!
//! serde_json drops positions once a document is parsed, but every diagnostic must name
//! the line and column where the offending value starts. The index reads the tokens of the
//! one JSON lexer ([`super::json_lexer`], which also colours the editor) once, and records
//! where each value (and each member's key) begins. On broken text it keeps what it read
//! before the first token out of place: that value's start, never a guess past it.

use std::collections::{HashMap, HashSet};

use super::json_lexer::{Lexer, StringEnd, Token, TokenKind, string_end};

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
            tokens: Tokens::new(text),
            spans: HashMap::new(),
            wanted,
        };
        let _ = scanner.value(&mut String::new(), None, 0, true);
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

/// Unescapes one reference token of a JSON pointer (RFC 6901: `~1` first, then `~0`, so
/// `~01` stays `~1`).
pub fn unescape_token(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_string()
    }
}

/// Splits a JSON pointer into its unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(unescape_token).collect()
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
    let at = |offset: usize| pos_at(text, offset);
    let mut lines = Lines::new(text);
    for t in Lexer::new(text).filter(|t| t.kind != TokenKind::Whitespace) {
        let i = t.span.start;
        match t.kind {
            TokenKind::String | TokenKind::Key => match string_end(bytes, i) {
                StringEnd::Closed(_) => {}
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
            TokenKind::Punctuation => match bytes[i] {
                open @ (b'{' | b'[') => {
                    lines.pos(i);
                    stack.push((open, i, indent_of(bytes, lines.line_start())));
                }
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
                    lines.pos(i);
                    let line_start = lines.line_start();
                    let first_on_line = bytes[line_start..i]
                        .iter()
                        .all(|b| matches!(b, b' ' | b'\t'));
                    if suspect.is_none() && first_on_line && i - line_start != indent {
                        suspect = Some((open, offset, i));
                    }
                }
                _ => {}
            },
            _ => {}
        }
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

/// The lexer's tokens without the whitespace, and the line:column of any offset asked for
/// in increasing order.
struct Tokens<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    lines: Lines<'a>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            text,
            lexer: Lexer::new(text),
            peeked: None,
            lines: Lines::new(text),
        }
    }

    fn peek(&mut self) -> Option<&Token> {
        if self.peeked.is_none() {
            self.peeked = self.next();
        }
        self.peeked.as_ref()
    }

    /// The next token if it is the punctuation `c`.
    fn next_if(&mut self, c: u8) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let t = self.peek()?;
        if t.kind == TokenKind::Punctuation && bytes[t.span.start] == c {
            self.peeked.take()
        } else {
            None
        }
    }

    /// The line and column where `t` starts.
    fn pos(&mut self, t: &Token) -> Pos {
        self.lines.pos(t.span.start)
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(t) = self.peeked.take() {
            return Some(t);
        }
        self.lexer
            .by_ref()
            .find(|t| t.kind != TokenKind::Whitespace)
    }
}

/// Counts lines and columns up to offsets asked for in increasing order, each from the last
/// one: a pass over the text in all, however long its lines (a minified document is one),
/// and none over a stretch no position is asked for inside. Every line break counts, one
/// escaped inside a string too: it starts a line for the reader all the same.
struct Lines<'a> {
    text: &'a str,
    /// The last offset counted to, its line, where that line starts, and the characters
    /// from the line start to it.
    at: usize,
    line: usize,
    line_start: usize,
    chars: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
            line_start: 0,
            chars: 0,
        }
    }

    /// `offset` must be a char boundary; one before the last asked for is counted afresh.
    fn pos(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            *self = Lines::new(self.text);
        }
        let gap = &self.text.as_bytes()[self.at..offset];
        let count = |s: Option<&str>, bytes: usize| s.map_or(bytes, |s| s.chars().count());
        if let Some(last) = gap.iter().rposition(|&b| b == b'\n') {
            self.line += 1 + gap[..last].iter().filter(|&&b| b == b'\n').count();
            self.line_start = self.at + last + 1;
            self.chars = count(
                self.text.get(self.line_start..offset),
                offset - self.line_start,
            );
        } else {
            self.chars += count(self.text.get(self.at..offset), offset - self.at);
        }
        self.at = offset;
        Pos {
            line: self.line,
            column: self.chars + 1,
            offset,
        }
    }

    /// Where the line holding the last offset asked for starts.
    fn line_start(&self) -> usize {
        self.line_start
    }
}

/// Whether a string token ends with its closing quote (not at a raw line break or the end).
fn closed(bytes: &[u8], t: &Token) -> bool {
    // The lexer stops an unclosed string just before a line break or at the end of the
    // text, so a token followed by anything else is closed; only those two need a look.
    match bytes.get(t.span.end) {
        Some(&b) if b != b'\n' => true,
        _ => string_end(bytes, t.span.start) == StringEnd::Closed(t.span.end),
    }
}

/// Reads values off the tokens, recording where each starts. Any token out of place (a word
/// that is no literal, a missing `:` or `,`, an unclosed string, a `]` closing a `{`) ends
/// the scan: what was read before it stays.
struct Scanner<'a> {
    tokens: Tokens<'a>,
    spans: HashMap<String, Span>,
    /// When set, only these pointers are recorded and other subtrees are skipped.
    wanted: Option<HashSet<String>>,
}

const MAX_DEPTH: usize = 512;

impl Scanner<'_> {
    fn is_punct(&self, t: &Token, c: u8) -> bool {
        t.kind == TokenKind::Punctuation && self.tokens.text.as_bytes()[t.span.start] == c
    }

    /// Reads one value. `record` is false inside a subtree no wanted pointer reaches: it is
    /// read by the same rules (so both indexes stop at the same fault) but nothing is kept,
    /// no key unescaped and no position counted.
    fn value(
        &mut self,
        pointer: &mut String,
        key: Option<Pos>,
        depth: usize,
        record: bool,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let record = record
            && self
                .wanted
                .as_ref()
                .is_none_or(|w| w.contains(pointer.as_str()));
        let first = self.tokens.next()?;
        let start = record.then(|| self.tokens.pos(&first));
        let bytes = self.tokens.text.as_bytes();
        let end = match first.kind {
            TokenKind::Punctuation if bytes[first.span.start] == b'{' => {
                if let Some(close) = self.tokens.next_if(b'}') {
                    close.span.end
                } else {
                    loop {
                        let key = self.tokens.next()?;
                        if key.kind != TokenKind::Key || !closed(bytes, &key) {
                            return None;
                        }
                        let len = pointer.len();
                        let key_pos = if record {
                            let name = unescape(&self.tokens.text[key.span.clone()]);
                            pointer.push('/');
                            pointer.push_str(&escape_token(&name));
                            Some(self.tokens.pos(&key))
                        } else {
                            None
                        };
                        self.tokens.next_if(b':')?;
                        self.value(pointer, key_pos, depth + 1, record)?;
                        pointer.truncate(len);
                        let after = self.tokens.next()?;
                        if self.is_punct(&after, b'}') {
                            break after.span.end;
                        } else if !self.is_punct(&after, b',') {
                            return None;
                        }
                    }
                }
            }
            TokenKind::Punctuation if bytes[first.span.start] == b'[' => {
                if let Some(close) = self.tokens.next_if(b']') {
                    close.span.end
                } else {
                    let mut n = 0usize;
                    loop {
                        let len = pointer.len();
                        if record {
                            pointer.push('/');
                            pointer.push_str(&n.to_string());
                        }
                        self.value(pointer, None, depth + 1, record)?;
                        pointer.truncate(len);
                        n += 1;
                        let after = self.tokens.next()?;
                        if self.is_punct(&after, b']') {
                            break after.span.end;
                        } else if !self.is_punct(&after, b',') {
                            return None;
                        }
                    }
                }
            }
            TokenKind::String | TokenKind::Key if closed(bytes, &first) => first.span.end,
            TokenKind::Number | TokenKind::Literal => first.span.end,
            _ => return None,
        };
        if let Some(value) = start {
            self.spans.insert(pointer.clone(), Span { key, value, end });
        }
        Some(())
    }
}

/// A key's name: the text between its quotes, unescaped. A bad escape is left as written:
/// the index locates text and does not check it (the parser does), and keys in a subtree no
/// wanted pointer reaches are not unescaped at all, so neither index may stop at one.
fn unescape(raw: &str) -> String {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    if inner.contains('\\') {
        serde_json::from_str(raw).unwrap_or_else(|_| inner.to_string())
    } else {
        inner.to_string()
    }
}

#[cfg(test)]
mod properties;

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
    fn broken_text_is_read_up_to_its_fault() {
        // A scalar with stray characters in it: its start is kept, the scan ends there.
        let idx = PositionIndex::build("{\"a\": 12x3, \"b\": 2}");
        let a = idx.span("/a").expect("the start of /a is read");
        assert_eq!((a.value.column, a.end), (7, 8));
        assert!(idx.span("/b").is_none() && idx.span("").is_none());
        // A word that is no literal, or a missing value, is the fault itself.
        assert!(PositionIndex::build("{\"a\": nul, \"b\": 2}").is_empty());
        assert!(PositionIndex::build("{\"a\": }").is_empty());
        // A string value is located by its quotes; a bad escape inside is not the index's
        // business (the parser reports it).
        let idx = PositionIndex::build("{\"a\": \"\\x\",\n \"b\": 2}");
        assert_eq!(idx.locate("/b").line, 2);
        // Nor is a bad escape in a key: the parser reports it; the index reads on.
        let idx = PositionIndex::build("{\"\\x\": 1,\n \"b\": 2}");
        assert_eq!(idx.locate("/b").line, 2);
        assert!(idx.span("/\\x").is_some());
        // A line break escaped inside a string still starts a new line.
        let idx = PositionIndex::build("[\"a\\\nb\", 1]");
        assert_eq!((idx.locate("/1").line, idx.locate("/1").column), (2, 5));
    }

    #[test]
    fn pointer_tokens_are_escaped_and_unescaped_per_rfc_6901() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_token("~01"), "~1");
        assert_eq!(pointer_tokens("/a~1b/~0/0/"), ["a/b", "~", "0", ""]);
        assert!(pointer_tokens("").is_empty());
    }

    proptest::proptest! {
        /// Any key survives a trip into a pointer and back, whatever `/` and `~` it holds.
        #[test]
        fn pointer_tokens_round_trip(keys in proptest::collection::vec("[a/~01]{0,6}", 0..5)) {
            let pointer: String = keys.iter().map(|k| format!("/{}", escape_token(k))).collect();
            proptest::prop_assert_eq!(pointer_tokens(&pointer), keys);
        }
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
