//! JSON syntax colouring for the editor: the domain's JSON lexer
//! ([`crate::schema::json_lexer`]) coloured into a memoized [`LayoutJob`].

use std::sync::{Arc, Mutex};

use crate::schema::json_lexer::{Lexer, TokenKind};

use egui::text::{ByteIndex, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley};

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
    for token in Lexer::new(text) {
        let (color, range) = (palette.color(token.kind), token.span);
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
        let kinds: Vec<TokenKind> = Lexer::new(r#"{"a": "b", "n": -1.5e3, "t": true, x}"#)
            .map(|t| t.kind)
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

    /// Rows as (top, glyph count, ends with newline, first glyph's character).
    fn rows(g: &Galley) -> Vec<(f32, usize, bool, Option<char>)> {
        g.rows
            .iter()
            .map(|r| {
                let first = r.row.glyphs.first().map(|g| g.chr);
                (r.pos.y, r.row.glyphs.len(), r.ends_with_newline, first)
            })
            .collect()
    }

    /// Every edit laid out incrementally gives the galley a fresh layout gives: same rows,
    /// same places, same characters, same size.
    #[test]
    fn an_edited_text_lays_out_as_if_new() {
        let ctx = egui::Context::default();
        let font = FontId::monospace(13.0);
        let palette = Palette::for_dark_mode(true);
        let mut text =
            String::from("{\n  \"a\": 1,\n  \"b\": [true, null],\n\n  \"c\": \"x y\"\n}\n");
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for step in 0..300 {
            // Insert or delete at a character boundary; newlines often, to split and join lines.
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = boundaries[next(boundaries.len())];
            match next(5) {
                0 | 1 => text.insert(at, ['\n', 'x', '"', ' ', 'é'][next(5)]),
                2 => text.insert_str(at, "\n  \"k\": 2,\n"),
                _ => {
                    if let Some(c) = text[at..].chars().next() {
                        text.replace_range(at..at + c.len_utf8(), "");
                    }
                }
            }
            // A narrow width makes long lines wrap into several rows.
            let width = if (step / 25) % 2 == 0 { 400.0 } else { 60.0 };
            let mut incremental = None;
            let mut fresh = None;
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                incremental = Some(layout_memoized(
                    ui,
                    egui::Id::unique("edited"),
                    &text,
                    &font,
                    &palette,
                    width,
                ));
                fresh = Some(layout_memoized(
                    ui,
                    egui::Id::unique(("fresh", step)),
                    &text,
                    &font,
                    &palette,
                    width,
                ));
            });
            output.textures_delta.clear();
            let (a, b) = (incremental.unwrap(), fresh.unwrap());
            assert_eq!(a.text(), text, "step {step}");
            assert_eq!(rows(&a), rows(&b), "step {step}: {text:?}");
            assert_eq!(a.rect, b.rect, "step {step}");
            assert_eq!(a.size(), b.size(), "step {step}");
        }
    }

    /// When egui rebuilds its font atlas (here: the text options change), the kept galleys
    /// point at glyphs that are gone, so the same text is laid out anew.
    #[test]
    fn a_rebuilt_font_atlas_lays_the_text_out_again() {
        let ctx = egui::Context::default();
        let font = FontId::monospace(13.0);
        let palette = Palette::for_dark_mode(true);
        let text = "{\n  \"a\": 1\n}\n";
        let layout = || {
            let mut galley = None;
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let id = egui::Id::unique("atlas");
                galley = Some(layout_memoized(ui, id, text, &font, &palette, 400.0));
            });
            output.textures_delta.clear();
            galley.unwrap()
        };
        let first = layout();
        let again = layout();
        assert!(Arc::ptr_eq(&first, &again), "an unchanged text is reused");
        // A frame without the editor (another view shown): only the app's witness is asked for.
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let _ = witness(ui);
        });
        output.textures_delta.clear();
        assert!(
            Arc::ptr_eq(&again, &layout()),
            "still reused after a hidden frame"
        );
        ctx.global_style_mut(|s| {
            s.visuals.text_options.font_hinting = !s.visuals.text_options.font_hinting;
        });
        let after = layout();
        assert!(
            !Arc::ptr_eq(&again, &after),
            "laid out again after the atlas was rebuilt"
        );
        assert_eq!(after.text(), text);
    }

    /// A window sliding over a longer text (the editor's view of a large schema) lays out as
    /// a fresh layout of each window would, its lines found among the ones laid out before.
    #[test]
    fn a_sliding_window_lays_out_as_if_new() {
        let ctx = egui::Context::default();
        let font = FontId::monospace(13.0);
        let palette = Palette::for_dark_mode(true);
        let lines: Vec<String> = (0..60)
            .map(|i| {
                format!(
                    "  \"field{i}\": {{ \"type\": \"string\", \"n\": {} }},",
                    i % 7
                )
            })
            .collect();
        for (step, start) in [0, 4, 9, 20, 13, 13, 40, 2].into_iter().enumerate() {
            let text = lines[start..start + 15].join("\n");
            let mut slid = None;
            let mut fresh = None;
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let id = egui::Id::unique("slid");
                slid = Some(layout_memoized(ui, id, &text, &font, &palette, 200.0));
                let id = egui::Id::unique(("fresh window", step));
                fresh = Some(layout_memoized(ui, id, &text, &font, &palette, 200.0));
            });
            output.textures_delta.clear();
            let (a, b) = (slid.unwrap(), fresh.unwrap());
            assert_eq!(a.text(), text, "step {step}");
            assert_eq!(rows(&a), rows(&b), "step {step}");
            assert_eq!(a.size(), b.size(), "step {step}");
        }
    }

    #[test]
    fn common_ends_are_found_across_blocks() {
        let a = "x".repeat(1000) + "A" + &"y".repeat(700);
        let b = "x".repeat(1000) + "BB" + &"y".repeat(700);
        assert_eq!(common_prefix(a.as_bytes(), b.as_bytes()), 1000);
        assert_eq!(common_suffix(a.as_bytes(), b.as_bytes()), 700);
        assert_eq!(common_prefix(b"abc", b"abc"), 3);
        assert_eq!(common_suffix(b"", b"abc"), 0);
    }
}

/// What one editor laid out last: its text, the galley of each paragraph (line) and the
/// joined galley. An edit lays out again only the lines between the unchanged start and the
/// unchanged end of the text, found by comparing bytes, so a keystroke in a 1.5 MiB text
/// neither hashes nor re-colours the other 50,000 lines.
#[derive(Default)]
struct LayoutMemo {
    key: Option<MemoKey>,
    /// A galley from egui's own cache, to notice when egui clears it (see `layout_memoized`).
    witness: Option<Arc<Galley>>,
    text: String,
    /// Byte offset in `text` where each paragraph starts; paragraphs are the pieces of
    /// `text.split('\n')`, so there is always at least one.
    starts: Vec<usize>,
    paragraphs: Vec<Arc<Galley>>,
    /// The paragraphs joined in runs of [`CHUNK_PARAGRAPHS`].
    chunks: Vec<Chunk>,
    galley: Option<Arc<Galley>>,
}

/// A tiny galley laid out through egui's own cache. The app asks for it on every frame
/// (`ui::root_ui`), so egui keeps handing out the same one until it clears its cache because
/// the font atlas was rebuilt; a memo made with another witness is stale.
pub fn witness(ui: &egui::Ui) -> Arc<Galley> {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    ui.fonts_mut(|f| {
        f.layout_job(LayoutJob::simple_singleline(
            "{}".into(),
            font,
            Color32::WHITE,
        ))
    })
}

/// What a layout depends on besides the text.
#[derive(PartialEq)]
struct MemoKey {
    wrap_width: i32,
    pixels_per_point: u32,
    palette: Palette,
    font: FontId,
}

/// Lays out `text` with colouring, memoized per editor (`memo_id`).
pub fn layout_memoized(
    ui: &egui::Ui,
    memo_id: egui::Id,
    text: &str,
    font: &FontId,
    palette: &Palette,
    wrap_width: f32,
) -> Arc<Galley> {
    let ctx = ui.ctx();
    let key = MemoKey {
        wrap_width: wrap_width.round() as i32,
        pixels_per_point: ctx.pixels_per_point().to_bits(),
        palette: *palette,
        font: font.clone(),
    };
    // egui drops every galley it cached when it rebuilds the font atlas (text options
    // changed, or the atlas filled up); kept galleys would then point at glyphs that are gone.
    let witness = witness(ui);
    // Shared, not cloned: the memo holds a galley per line.
    let memo = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<Arc<Mutex<LayoutMemo>>>(memo_id)
            .clone()
    });
    let mut m = memo.lock().unwrap_or_else(|poisoned| {
        // A layout that panicked half-way may have left the pieces inconsistent: start over.
        let mut m = poisoned.into_inner();
        m.key = None;
        m
    });
    let same_atlas = m.witness.as_ref().is_some_and(|w| Arc::ptr_eq(w, &witness));
    if m.key.as_ref() != Some(&key) || !same_atlas {
        *m = LayoutMemo {
            key: Some(key),
            witness: Some(witness),
            ..LayoutMemo::default()
        };
    }
    match &m.galley {
        Some(g) if m.text == text => g.clone(),
        _ => m.relayout(ui, text, font, palette, wrap_width),
    }
}

impl LayoutMemo {
    fn relayout(
        &mut self,
        ui: &egui::Ui,
        text: &str,
        font: &FontId,
        palette: &Palette,
        wrap_width: f32,
    ) -> Arc<Galley> {
        let layout = |para: &str| {
            let mut job = layout_job(para, font.clone(), palette);
            job.wrap.max_width = wrap_width;
            job.keep_trailing_whitespace = true;
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let (old, new) = (self.text.as_bytes(), text.as_bytes());
        // Paragraphs [..keep_head] end, with their '\n', inside the common prefix; paragraphs
        // [keep_tail..] start after a '\n' inside the common suffix. Prefix and suffix do not
        // overlap, so keep_head < keep_tail whenever a tail is kept (keep_tail <= len always).
        let (keep_head, keep_tail) = if self.paragraphs.is_empty() {
            (0, 0)
        } else {
            let prefix = common_prefix(old, new);
            let suffix = common_suffix(&old[prefix..], &new[prefix..]);
            // Paragraph i ends (after its '\n') where paragraph i + 1 starts.
            let head = self.starts[1..].partition_point(|&next| next <= prefix);
            let tail_from = old.len() - suffix + 1;
            let tail = self.starts.partition_point(|&s| s < tail_from).max(head);
            (head, tail)
        };
        let n_old = self.paragraphs.len();
        let shift = text.len() as isize - old.len() as isize;
        let region_start = self.starts.get(keep_head).copied().unwrap_or(0);
        let region_end = if keep_tail < n_old {
            (self.starts[keep_tail] as isize + shift) as usize - 1
        } else {
            text.len()
        };
        // The replaced paragraphs by their text: a window of lines that slid (the editor shows
        // a window of a long text) finds most of its lines among them.
        let replaced: std::collections::HashMap<&str, &Arc<Galley>> = (keep_head..keep_tail)
            .map(|i| {
                let end = self
                    .starts
                    .get(i + 1)
                    .map_or(self.text.len(), |next| next - 1);
                (&self.text[self.starts[i]..end], &self.paragraphs[i])
            })
            .collect();
        let mut starts = Vec::new();
        let mut galleys = Vec::new();
        let mut at = region_start;
        for para in text[region_start..region_end].split('\n') {
            starts.push(at);
            galleys.push(
                replaced
                    .get(para)
                    .map_or_else(|| layout(para), |g| Arc::clone(g)),
            );
            at += para.len() + 1;
        }
        drop(replaced);
        for s in &mut self.starts[keep_tail..] {
            *s = (*s as isize + shift) as usize;
        }
        self.starts.splice(keep_head..keep_tail, starts);
        let added = galleys.len();
        self.paragraphs.splice(keep_head..keep_tail, galleys);
        let ppp = ui.ctx().pixels_per_point();
        self.rechunk(keep_head, keep_tail, added, wrap_width, ppp);

        let mut whole = LayoutJob::simple_format(
            text.to_owned(),
            TextFormat::simple(font.clone(), palette.punctuation),
        );
        whole.wrap.max_width = wrap_width;
        whole.keep_trailing_whitespace = true;
        let chunks: Vec<Arc<Galley>> = self.chunks.iter().map(|c| c.galley.clone()).collect();
        let galley = Arc::new(Galley::concat(Arc::new(whole), &chunks, ppp));
        self.text.clear();
        self.text.push_str(text);
        self.galley = Some(galley.clone());
        galley
    }

    /// Joins the paragraphs again into chunks after old paragraphs `[head, tail)` were replaced
    /// by `added` new ones: chunks that do not touch the change are kept as they are, the ones
    /// that do are rebuilt from their paragraphs.
    fn rechunk(&mut self, head: usize, tail: usize, added: usize, wrap_width: f32, ppp: f32) {
        // The old paragraph range of the chunks that touch [head, tail).
        let (mut from, mut to) = (head, tail);
        let (mut first, mut last) = (self.chunks.len(), 0);
        let mut at = 0;
        for (i, chunk) in self.chunks.iter().enumerate() {
            let end = at + chunk.paragraphs;
            if end > head && at < tail {
                from = from.min(at);
                to = to.max(end);
                first = first.min(i);
                last = i + 1;
            }
            at = end;
        }
        let (first, last) = if first < last { (first, last) } else { (0, 0) };
        let new_to = to + added - (tail - head);
        let mut job = LayoutJob::default();
        job.wrap.max_width = wrap_width;
        let job = Arc::new(job);
        let rebuilt: Vec<Chunk> = self.paragraphs[from..new_to]
            .chunks(CHUNK_PARAGRAPHS)
            .map(|paragraphs| Chunk {
                paragraphs: paragraphs.len(),
                galley: Arc::new(Galley::concat(job.clone(), paragraphs, ppp)),
            })
            .collect();
        self.chunks.splice(first..last, rebuilt);
    }
}

/// Paragraphs per chunk: a keystroke joins the few hundred paragraphs of its chunk again,
/// and the whole galley is joined from a few hundred chunks instead of every line. (Tiny in
/// unit tests, so that their short texts span many chunks.)
const CHUNK_PARAGRAPHS: usize = if cfg!(test) { 3 } else { 256 };

/// Consecutive paragraphs joined into one galley.
struct Chunk {
    paragraphs: usize,
    galley: Arc<Galley>,
}

/// Length of the longest common prefix of `a` and `b`, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the longest common suffix of `a` and `b`, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
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
