//! The position scanner as it was before it ran on the lexer's tokens, kept only so the
//! differential test in [`super`] can compare the two. Remove it with that test.

use std::collections::{HashMap, HashSet};

use super::{Pos, Span, Unclosed, escape_token, pos_at};
use crate::schema::json_lexer::{StringEnd, string_end};

pub fn build(text: &str) -> HashMap<String, Span> {
    scan(text, None)
}

pub fn for_pointers<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> HashMap<String, Span> {
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
    scan(text, Some(wanted))
}

fn scan(text: &str, wanted: Option<HashSet<String>>) -> HashMap<String, Span> {
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
    scanner.spans
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
