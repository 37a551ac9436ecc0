//! The JSON editor's map of a document's lines: where each starts, how many rows it takes at a
//! wrap width (estimated from its length in monospace columns), and which lines the editor lays
//! out (the window around the view). Kept per text version and patched on an edit, so a frame
//! costs no walk over a 1.5 MiB text.

use std::ops::Range;

/// Lines of a document are laid out whole below this many lines (as every small schema is).
pub const WHOLE_BELOW: usize = if cfg!(test) { 8 } else { 512 };
/// Lines laid out above and below the ones in view.
pub const MARGIN: usize = if cfg!(test) { 2 } else { 64 };
/// The window's edges move in steps of this many lines, so scrolling a little keeps the text the
/// editor lays out (and its memoized galleys) as it is.
pub const STEP: usize = if cfg!(test) { 2 } else { 32 };

/// The lines of one text: starts, lengths in characters, and row prefix sums for a width.
#[derive(Default)]
pub struct LineIndex {
    /// The text indexed (to notice a change with one comparison).
    text: String,
    /// Byte offset where each line starts; lines are the pieces of `text.split('\n')`.
    starts: Vec<usize>,
    /// Characters of each line, without its `'\n'`.
    chars: Vec<u32>,
    /// Rows each line takes at `wrap`.
    rows: Vec<u32>,
    /// How rows wrap; `None` until the first [`LineIndex::update`].
    wrap: Option<Wrap>,
    /// `rows_before[i]`: the rows of lines `[0, i)`; one more entry than lines.
    rows_before: Vec<u32>,
}

impl LineIndex {
    /// Brings the index to `text` with rows wrapped as `wrap` says. An edit re-reads only the
    /// lines between the unchanged start and the unchanged end of the text.
    pub fn update(&mut self, text: &str, wrap: Wrap) {
        let same_text = self.text == text && !self.starts.is_empty();
        if same_text && self.wrap == Some(wrap) {
            return;
        }
        if self.wrap != Some(wrap) {
            // Every line wraps anew: start over (a resize, not a keystroke).
            *self = LineIndex {
                wrap: Some(wrap),
                ..LineIndex::default()
            };
        }
        self.reindex(text);
        self.rows_before.clear();
        self.rows_before.reserve(self.rows.len() + 1);
        let mut sum = 0u32;
        self.rows_before.push(0);
        for &r in &self.rows {
            sum += r;
            self.rows_before.push(sum);
        }
    }

    fn reindex(&mut self, text: &str) {
        let (old, new) = (self.text.as_bytes(), text.as_bytes());
        // Lines [first, last] of the old text hold the change; the rest is shifted.
        let (first, old_end) = if self.starts.is_empty() {
            (0, old.len())
        } else {
            let prefix = common_prefix(old, new);
            let suffix = common_suffix(&old[prefix..], &new[prefix..]);
            (self.line_of(prefix), old.len() - suffix)
        };
        let last = if self.starts.is_empty() {
            0
        } else {
            self.line_of(old_end)
        };
        // The end of line `last` in the old text (its '\n' or the end) lies in the common
        // suffix, so it is the same place in the new text, shifted.
        let old_region_end = self.starts.get(last + 1).map_or(old.len(), |next| next - 1);
        let shift = new.len() as isize - old.len() as isize;
        let region_start = self.starts.get(first).copied().unwrap_or(0);
        let region_end = (old_region_end as isize + shift) as usize;
        let mut starts = Vec::new();
        let mut chars = Vec::new();
        let mut rows = Vec::new();
        let mut at = region_start;
        for line in text[region_start..region_end].split('\n') {
            starts.push(at);
            let n = line.chars().count();
            chars.push(n as u32);
            rows.push(self.wrap.map_or(1, |w| w.rows_of(line, n)));
            at += line.len() + 1;
        }
        let replaced = if self.starts.is_empty() {
            0..0
        } else {
            first..last + 1
        };
        for s in &mut self.starts[replaced.end..] {
            *s = (*s as isize + shift) as usize;
        }
        self.starts.splice(replaced.clone(), starts);
        self.chars.splice(replaced.clone(), chars);
        self.rows.splice(replaced, rows);
        self.text.clear();
        self.text.push_str(text);
    }

    /// How many lines the text has (at least one).
    pub fn lines(&self) -> usize {
        self.starts.len().max(1)
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where 0-based `line` starts (the text's end past the last line).
    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The bytes of lines `lines`, without the `'\n'` that ends the last of them.
    pub fn byte_range(&self, lines: &Range<usize>) -> Range<usize> {
        let start = self.start(lines.start);
        let end = if lines.end < self.starts.len() {
            self.starts[lines.end] - 1
        } else {
            self.text.len()
        };
        start..end.max(start)
    }

    /// Estimated rows of lines `[0, line)`.
    pub fn rows_before(&self, line: usize) -> usize {
        let i = line.min(self.rows_before.len().saturating_sub(1));
        self.rows_before.get(i).copied().unwrap_or(0) as usize
    }

    /// Estimated rows of the whole text.
    pub fn rows(&self) -> usize {
        self.rows_before.last().copied().unwrap_or(1) as usize
    }

    /// The 0-based line at estimated row `row` (the last line past the end).
    pub fn line_at_row(&self, row: usize) -> usize {
        let i = self.rows_before.partition_point(|&r| r as usize <= row);
        i.saturating_sub(1).min(self.lines() - 1)
    }

    /// The lines to lay out when lines `visible` are in view: `MARGIN` more on each side, the
    /// edges rounded out to a `STEP`; the whole text when it is short.
    pub fn window(&self, visible: Range<usize>) -> Range<usize> {
        let lines = self.lines();
        if lines < WHOLE_BELOW {
            return 0..lines;
        }
        let start = visible.start.saturating_sub(MARGIN) / STEP * STEP;
        let end = (visible.end + MARGIN).div_ceil(STEP) * STEP;
        start.min(lines.saturating_sub(1))..end.min(lines)
    }

    /// The window around one line (a jump's target, or the caret that typing brings back).
    pub fn window_around(&self, line: usize) -> Range<usize> {
        self.window(line.saturating_sub(MARGIN / 2)..line + MARGIN / 2)
    }
}

/// How a monospace text wraps: egui's wrap width, the advance of one character, and the
/// pixels per point (egui puts each glyph on a whole pixel, so rows hold a varying count).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap {
    pub width: f32,
    pub advance: f32,
    pub pixels_per_point: f32,
}

impl Wrap {
    /// Rows `line` (of `chars` characters) takes: one if it fits, otherwise as egui wraps it
    /// (after the last space before the edge, else a dash, else other punctuation, else
    /// anywhere), every character one advance wide.
    fn rows_of(&self, line: &str, chars: usize) -> u32 {
        // egui allows half a point more than the wrap width
        // (`LayoutJob::effective_wrap_width`).
        let width = self.width + 0.5;
        if chars as f32 * self.advance + 1.0 <= width {
            return 1;
        }
        let advance_px = self.advance * self.pixels_per_point;
        let mut x_px = 0.0f32;
        let mut pos = Vec::with_capacity(chars);
        let (mut rows, mut row_start) = (1u32, 0usize);
        let (mut space, mut dash, mut punctuation, mut any) = (None, None, None, None);
        for (i, c) in line.chars().enumerate() {
            // Where egui puts the glyph: a whole pixel, the next one from 7/8 of a pixel on
            // (its subpixel binning, `SubpixelBin::new`).
            let whole = x_px.trunc();
            let snapped = if x_px - whole >= 0.875 {
                whole + 1.0
            } else {
                whole
            };
            pos.push(snapped / self.pixels_per_point);
            x_px += advance_px;
            if pos[i] + self.advance - pos[row_start] > width {
                let at_or_after = |p: Option<usize>| p.filter(|&p| p >= row_start);
                let brk = at_or_after(space)
                    .or(at_or_after(dash))
                    .or(at_or_after(punctuation))
                    .or(at_or_after(any));
                if let Some(b) = brk {
                    rows += 1;
                    row_start = b + 1;
                }
            }
            if c.is_whitespace() && c != '\u{A0}' {
                space = Some(i);
            } else if c == '-' {
                dash = Some(i);
            } else if c.is_ascii_punctuation() {
                punctuation = Some(i);
            }
            any = Some(i);
        }
        rows
    }
}

/// Length of the longest common prefix of `a` and `b`, compared a block at a time.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
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
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of `columns` characters of one point each.
    fn wrap(columns: usize) -> Wrap {
        Wrap {
            width: columns as f32,
            advance: 1.0,
            pixels_per_point: 1.0,
        }
    }

    fn fresh(text: &str, columns: usize) -> LineIndex {
        let mut i = LineIndex::default();
        i.update(text, wrap(columns));
        i
    }

    fn parts(i: &LineIndex) -> (Vec<usize>, Vec<u32>, Vec<u32>) {
        (i.starts.clone(), i.chars.clone(), i.rows_before.clone())
    }

    /// The row counts match egui's own wrapping of a monospace text.
    #[test]
    fn rows_are_counted_as_egui_wraps() {
        for (pixels_per_point, size) in [(1.0, 13.0), (2.0, 13.0), (1.5, 14.0), (1.25, 18.0)] {
            rows_match_egui(pixels_per_point, size);
        }
    }

    fn rows_match_egui(pixels_per_point: f32, size: f32) {
        let ctx = egui::Context::default();
        let font = egui::FontId::monospace(size);
        let lines = [
            "  \"description\": \"A field of the large schema used to check that typing stays fluid.\",",
            "\"https://example.com/a/very-long-path/with-dashes/and.dots?query=1&x=2\"",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z",
            "                                                          {",
            "short",
            "",
        ];
        let input = egui::RawInput {
            viewports: std::iter::once((
                egui::ViewportId::ROOT,
                egui::ViewportInfo {
                    native_pixels_per_point: Some(pixels_per_point),
                    ..Default::default()
                },
            ))
            .collect(),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            assert_eq!(ui.ctx().pixels_per_point(), pixels_per_point);
            let advance = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
            for width in [57.0, 78.0, 101.5, 160.0, 243.0, 310.0, 700.0] {
                for line in lines {
                    let mut job = egui::text::LayoutJob::simple(
                        line.to_owned(),
                        font.clone(),
                        egui::Color32::WHITE,
                        width,
                    );
                    job.keep_trailing_whitespace = true;
                    let galley = ui.fonts_mut(|f| f.layout_job(job));
                    let wrap = Wrap {
                        width,
                        advance,
                        pixels_per_point: ui.ctx().pixels_per_point(),
                    };
                    let estimated = wrap.rows_of(line, line.chars().count());
                    assert_eq!(
                        estimated as usize,
                        galley.rows.len(),
                        "{width} at {pixels_per_point}x, {size} pt: {line:?}"
                    );
                }
            }
        });
        output.textures_delta.clear();
    }

    /// Every edit patched into the index gives the index a fresh read of the text gives.
    #[test]
    fn an_edited_text_indexes_as_if_new() {
        let mut text =
            String::from("{\n  \"a\": 1,\n  \"b\": [true, null],\n\n  \"c\": \"é\"\n}\n");
        let mut index = fresh(&text, 10);
        let mut seed = 11u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for step in 0..400 {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = boundaries[next(boundaries.len())];
            match next(6) {
                0 | 1 => text.insert(at, ['\n', 'x', '"', ' ', 'é'][next(5)]),
                2 => text.insert_str(at, "\n  \"key\": 2,\n"),
                3 => {
                    let to = boundaries[next(boundaries.len())].max(at);
                    text.replace_range(at..to, "");
                }
                _ => {
                    if let Some(c) = text[at..].chars().next() {
                        text.replace_range(at..at + c.len_utf8(), "");
                    }
                }
            }
            let columns = if (step / 50) % 2 == 0 { 10 } else { 3 };
            index.update(&text, wrap(columns));
            assert_eq!(
                parts(&index),
                parts(&fresh(&text, columns)),
                "step {step}: {text:?}"
            );
        }
    }

    #[test]
    fn rows_lines_and_ranges() {
        let text = "ab\n\nabcdefg\nx";
        let i = fresh(text, 3);
        assert_eq!(i.lines(), 4);
        assert_eq!((i.rows_before(2), i.rows_before(3), i.rows()), (2, 5, 6));
        assert_eq!(i.line_of(0), 0);
        assert_eq!(i.line_of(3), 1);
        assert_eq!(i.line_of(4), 2);
        assert_eq!(i.line_of(text.len()), 3);
        assert_eq!(i.line_at_row(2), 2);
        assert_eq!(i.line_at_row(4), 2);
        assert_eq!(i.line_at_row(5), 3);
        assert_eq!(i.line_at_row(99), 3);
        assert_eq!(&text[i.byte_range(&(1..3))], "\nabcdefg");
        assert_eq!(&text[i.byte_range(&(2..4))], "abcdefg\nx");
    }

    #[test]
    fn a_window_covers_the_view_with_margins_in_steps() {
        let text = "x\n".repeat(100);
        let i = fresh(&text, 80);
        assert_eq!(i.lines(), 101);
        let w = i.window(10..20);
        assert!(w.start <= 10 - MARGIN && w.end >= 20 + MARGIN, "{w:?}");
        assert_eq!((w.start % STEP, w.end % STEP), (0, 0));
        assert_eq!(i.window(0..5).start, 0);
        assert_eq!(i.window(95..101).end, 101);
        assert_eq!(fresh("a\nb", 80).window(1..2), 0..2);
    }
}
