//! JSON syntax colouring for the editor: a small tokenizer and a memoized [`LayoutJob`].

use egui::text::{ByteIndex, LayoutJob, TextFormat};
use egui::{Color32, FontId};

/// What a stretch of JSON text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Key,
    String,
    Number,
    Literal,
    Punctuation,
    Whitespace,
    Invalid,
}

/// Splits JSON text into tokens (byte ranges). Never fails: text that is not JSON becomes
/// [`TokenKind::Invalid`] tokens, so half-typed documents still colour sensibly.
pub fn tokenize(text: &str) -> Vec<(TokenKind, std::ops::Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                TokenKind::Whitespace
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                }
                i = i.min(bytes.len());
                // A string followed by a colon is an object key.
                let mut j = i;
                while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                if j < bytes.len() && bytes[j] == b':' {
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
        out.push((kind, start..i));
    }
    out
}

/// The colours of one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    pub key: Color32,
    pub string: Color32,
    pub number: Color32,
    pub literal: Color32,
    pub punctuation: Color32,
    pub invalid: Color32,
}

impl Palette {
    pub fn for_dark_mode(dark: bool) -> Self {
        if dark {
            Palette {
                key: Color32::from_rgb(0x7c, 0xc4, 0xf8),
                string: Color32::from_rgb(0xa5, 0xd6, 0x8a),
                number: Color32::from_rgb(0xf0, 0xb0, 0x70),
                literal: Color32::from_rgb(0xc7, 0x92, 0xea),
                punctuation: Color32::from_gray(0xa8),
                invalid: Color32::from_rgb(0xff, 0x6b, 0x6b),
            }
        } else {
            Palette {
                key: Color32::from_rgb(0x0b, 0x5c, 0xad),
                string: Color32::from_rgb(0x1a, 0x7f, 0x37),
                number: Color32::from_rgb(0xb0, 0x52, 0x00),
                literal: Color32::from_rgb(0x80, 0x30, 0xb0),
                punctuation: Color32::from_gray(0x55),
                invalid: Color32::from_rgb(0xd0, 0x1f, 0x1f),
            }
        }
    }

    fn color(&self, kind: TokenKind) -> Color32 {
        match kind {
            TokenKind::Key => self.key,
            TokenKind::String => self.string,
            TokenKind::Number => self.number,
            TokenKind::Literal => self.literal,
            TokenKind::Punctuation | TokenKind::Whitespace => self.punctuation,
            TokenKind::Invalid => self.invalid,
        }
    }
}

/// Builds the coloured layout job (no wrapping set; the caller sets the width).
pub fn layout_job(text: &str, font: FontId, palette: &Palette) -> LayoutJob {
    let mut job = LayoutJob {
        text: text.to_owned(),
        ..Default::default()
    };
    let mut current: Option<(Color32, std::ops::Range<usize>)> = None;
    let push = |job: &mut LayoutJob, color: Color32, range: std::ops::Range<usize>| {
        job.sections.push(egui::text::LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex(range.start)..ByteIndex(range.end),
            format: TextFormat::simple(font.clone(), color),
        });
    };
    for (kind, range) in tokenize(text) {
        let color = palette.color(kind);
        match &mut current {
            // Merge neighbours of one colour: fewer sections, faster layout.
            Some((c, r)) if *c == color && r.end == range.start => r.end = range.end,
            _ => {
                if let Some((c, r)) = current.take() {
                    push(&mut job, c, r);
                }
                current = Some((color, range));
            }
        }
    }
    if let Some((c, r)) = current {
        push(&mut job, c, r);
    }
    job
}

#[derive(Default)]
struct Highlighter;

impl egui::cache::ComputerMut<(&str, &FontId, &Palette), LayoutJob> for Highlighter {
    fn compute(&mut self, (text, font, palette): (&str, &FontId, &Palette)) -> LayoutJob {
        layout_job(text, font.clone(), palette)
    }
}

type HighlightCache = egui::cache::FrameCache<LayoutJob, Highlighter>;

/// The coloured job for `text`, memoized by a hash of the text, the font and the palette, so
/// an unchanged text is not tokenized again on the next frame.
pub fn highlighted(ctx: &egui::Context, text: &str, font: &FontId, palette: &Palette) -> LayoutJob {
    ctx.memory_mut(|mem| {
        mem.caches
            .cache::<HighlightCache>()
            .get((text, font, palette))
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_keys_from_values() {
        let kinds: Vec<TokenKind> = tokenize(r#"{"a": "b", "n": -1.5e3, "t": true, x}"#)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| *k != TokenKind::Whitespace && *k != TokenKind::Punctuation)
            .collect();
        assert_eq!(
            kinds,
            [
                TokenKind::Key,
                TokenKind::String,
                TokenKind::Key,
                TokenKind::Number,
                TokenKind::Key,
                TokenKind::Literal,
                TokenKind::Invalid
            ]
        );
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "{\"ü\": \"unterminated\n  ]é";
        let tokens = tokenize(text);
        let mut at = 0;
        for (_, r) in &tokens {
            assert_eq!(r.start, at);
            at = r.end;
        }
        assert_eq!(at, text.len());
    }
}
