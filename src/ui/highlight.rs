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

/// The last laid-out galley of one editor, reused while the text, width and colours stay the
/// same: a steady frame neither clones nor hashes the job. The text is compared with `==`
/// (a `memcmp`, far cheaper than hashing 1.5 MiB every frame).
#[derive(Clone, Default)]
struct GalleyMemo {
    key: Option<(i32, Palette, FontId)>,
    text: std::sync::Arc<String>,
    galley: Option<std::sync::Arc<egui::Galley>>,
}

/// Lays out `text` with colouring, memoized per editor (`memo_id`).
pub fn layout_memoized(
    ui: &egui::Ui,
    memo_id: egui::Id,
    text: &str,
    font: &FontId,
    palette: &Palette,
    wrap_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let key = (wrap_width.round() as i32, *palette, font.clone());
    let cached = ui
        .ctx()
        .data(|d| d.get_temp::<GalleyMemo>(memo_id))
        .filter(|m| m.key.as_ref() == Some(&key) && m.text.as_str() == text)
        .and_then(|m| m.galley);
    if let Some(galley) = cached {
        return galley;
    }
    let galley = layout_paragraphs(
        ui,
        memo_id.with("paragraphs"),
        text,
        font,
        palette,
        wrap_width,
    );
    ui.ctx().data_mut(|d| {
        d.insert_temp(
            memo_id,
            GalleyMemo {
                key: Some(key),
                text: std::sync::Arc::new(text.to_owned()),
                galley: Some(galley.clone()),
            },
        );
    });
    galley
}

/// Galleys of single paragraphs (lines), kept from one layout to the next, so an edit lays out
/// only the lines it touched.
#[derive(Clone, Default)]
struct ParagraphMemo {
    key: Option<(i32, Palette, FontId)>,
    galleys: std::collections::HashMap<u64, std::sync::Arc<egui::Galley>>,
}

/// Lays out each line (paragraph) on its own, reusing the galleys of unchanged lines, then
/// joins them. Mirrors what egui's own galley cache does for one frame, but keeps the pieces
/// between frames.
fn layout_paragraphs(
    ui: &egui::Ui,
    memo_id: egui::Id,
    text: &str,
    font: &FontId,
    palette: &Palette,
    wrap_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let ctx = ui.ctx();
    let key = (wrap_width.round() as i32, *palette, font.clone());
    let mut memo = ctx
        .data_mut(|d| d.remove_temp::<ParagraphMemo>(memo_id))
        .unwrap_or_default();
    if memo.key.as_ref() != Some(&key) {
        memo = ParagraphMemo {
            key: Some(key),
            galleys: Default::default(),
        };
    }
    let paragraph_job = |para: &str| {
        let mut job = layout_job(para, font.clone(), palette);
        job.wrap.max_width = wrap_width;
        job.keep_trailing_whitespace = true;
        job
    };
    let mut galleys = Vec::new();
    let mut kept = std::collections::HashMap::with_capacity(memo.galleys.len());
    let mut start = 0;
    while start < text.len() {
        let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if end == text.len() - 1 && text.ends_with('\n') {
            end += 1;
        }
        let para = &text[start..end];
        let hash = egui::util::hash((para, start == 0));
        let galley = match memo.galleys.get(&hash) {
            Some(g) => g.clone(),
            None => ui.fonts_mut(|f| f.layout_job(paragraph_job(para))),
        };
        kept.insert(hash, galley.clone());
        galleys.push(galley);
        start = end + 1;
    }
    memo.galleys = kept;
    let galley = if galleys.is_empty() {
        ui.fonts_mut(|f| f.layout_job(paragraph_job(text)))
    } else {
        let mut whole = LayoutJob::simple_format(
            text.to_owned(),
            TextFormat::simple(font.clone(), palette.punctuation),
        );
        whole.wrap.max_width = wrap_width;
        whole.keep_trailing_whitespace = true;
        std::sync::Arc::new(egui::Galley::concat(
            std::sync::Arc::new(whole),
            &galleys,
            ctx.pixels_per_point(),
        ))
    };
    ctx.data_mut(|d| d.insert_temp(memo_id, memo));
    galley
}

/// For each row of a galley: its 1-based line number and whether the row starts that line
/// (wrapped continuation rows do not).
pub type RowLines = std::sync::Arc<Vec<(u32, bool)>>;

#[derive(Clone, Default)]
struct RowLinesMemo {
    galley: usize,
    rows: RowLines,
}

/// The line of every row, memoized per galley.
pub fn row_lines(
    ctx: &egui::Context,
    memo_id: egui::Id,
    galley: &std::sync::Arc<egui::Galley>,
) -> RowLines {
    let ptr = std::sync::Arc::as_ptr(galley) as usize;
    if let Some(m) = ctx
        .data(|d| d.get_temp::<RowLinesMemo>(memo_id))
        .filter(|m| m.galley == ptr)
    {
        return m.rows;
    }
    let mut out = Vec::with_capacity(galley.rows.len());
    let mut line = 1u32;
    let mut starts = true;
    for row in &galley.rows {
        out.push((line, starts));
        starts = row.ends_with_newline;
        if row.ends_with_newline {
            line += 1;
        }
    }
    let rows: RowLines = std::sync::Arc::new(out);
    ctx.data_mut(|d| {
        d.insert_temp(
            memo_id,
            RowLinesMemo {
                galley: ptr,
                rows: rows.clone(),
            },
        );
    });
    rows
}
