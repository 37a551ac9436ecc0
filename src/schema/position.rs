//! Maps JSON pointers to line:column positions in the source text.
//!
//! serde_json drops positions once a document is parsed, but every diagnostic must name
//! the line and column where the offending value starts. This scanner walks the text once
//! and records where each value (and each member's key) begins.

use std::collections::{HashMap, HashSet};

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
                    self.i += 1;
                    loop {
                        match *self.bytes.get(self.i)? {
                            b'\\' => self.i += 2,
                            b'"' => {
                                self.i += 1;
                                break;
                            }
                            _ => self.i += 1,
                        }
                    }
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
        self.i += 1;
        let mut escaped = false;
        loop {
            match *self.bytes.get(self.i)? {
                b'\\' => {
                    escaped = true;
                    self.i += 2;
                }
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\n' => return None,
                _ => self.i += 1,
            }
        }
        let raw = self.text.get(start..self.i)?;
        if escaped {
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
}
