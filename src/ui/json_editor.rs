//! The JSON text editor: line numbers, error marks, colouring and auto-indent, with egui laying
//! out only a window of the document's lines around the view (see `json_editor_ui`).

use std::sync::{Arc, Mutex, PoisonError};

use egui::text::{CCursor, CCursorRange};
use egui::{Align, Key, TextStyle};

use super::colors;
use super::highlight::{self, Palette};
use super::json_lines::{LineIndex, Wrap};
use crate::app::{Command, EditKind, Editor};
use crate::schema::position::offset_of;

/// The id of the JSON text editor (its cursor state lives under it).
pub fn json_editor_id() -> egui::Id {
    egui::Id::unique("schemadesk_json_editor")
}

/// Byte offset of a char index.
fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// `byte` clamped to the text and moved back to a char boundary.
fn floor_boundary(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// After Enter inserted a newline at `cursor` (a char index just after it), indents the new
/// line like the previous one, one step deeper after `{` or `[`, and puts a closing bracket
/// that follows on its own line. Returns the new cursor (char index).
pub fn auto_indent(text: &mut String, cursor: usize) -> Option<usize> {
    let at = byte_index(text, cursor);
    auto_indent_at(text, at).map(|after| cursor + (after - at))
}

/// [`auto_indent`] at a byte offset; returns the new caret's byte offset. (The indent is
/// spaces and tabs, so bytes and chars advance alike.)
fn auto_indent_at(text: &mut String, at: usize) -> Option<usize> {
    if at == 0 || text.as_bytes().get(at - 1) != Some(&b'\n') {
        return None;
    }
    let prev_start = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
    let prev = &text[prev_start..at - 1];
    let indent: String = prev
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let opens = matches!(prev.trim_end().chars().last(), Some('{' | '['));
    let rest_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let closes = matches!(
        text[at..rest_end].trim_start().chars().next(),
        Some('}' | ']')
    );
    let inner = if opens {
        format!("{indent}  ")
    } else {
        indent.clone()
    };
    if inner.is_empty() {
        return None;
    }
    let insert = if opens && closes {
        format!("{inner}\n{indent}")
    } else {
        inner.clone()
    };
    text.insert_str(at, &insert);
    Some(at + inner.len())
}

/// What the JSON editor laid out on its last frame: the window of lines it gave egui.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaidOut {
    /// The first line laid out (1-based).
    pub first_line: usize,
    /// Lines laid out.
    pub line_count: usize,
    /// Rows of the galley (a wrapped line takes several).
    pub rows: usize,
    /// Characters of the galley.
    pub chars: usize,
    /// Lines of the whole document.
    pub lines: usize,
    /// The rows the laid-out lines were estimated to take (from their lengths), as the lines
    /// out of the window are; equal to `rows` when the estimate is right.
    pub estimated_rows: usize,
}

/// What the JSON editor laid out on its last frame (`None` before it was drawn).
pub fn laid_out(ctx: &egui::Context) -> Option<LaidOut> {
    ctx.data(|d| d.get_temp::<LaidOut>(json_editor_id().with("laid_out")))
}

/// A selection in the document, as byte offsets at char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Selection {
    /// Where the caret is (the end that moves).
    primary: usize,
    secondary: usize,
}

impl Selection {
    fn at(byte: usize) -> Self {
        Selection {
            primary: byte,
            secondary: byte,
        }
    }

    fn sorted(self) -> (usize, usize) {
        (
            self.primary.min(self.secondary),
            self.primary.max(self.secondary),
        )
    }

    fn clamped(self, text: &str) -> Self {
        Selection {
            primary: floor_boundary(text, self.primary),
            secondary: floor_boundary(text, self.secondary),
        }
    }

    fn within(self, bytes: &std::ops::Range<usize>) -> bool {
        let (lo, hi) = self.sorted();
        bytes.start <= lo && hi <= bytes.end
    }
}

/// The JSON editor between frames: the line map of its text, the window shown last, and the
/// selection while it does not fit in the window (egui's state holds it otherwise).
#[derive(Default)]
struct JsonView {
    index: LineIndex,
    /// Byte offset where last frame's window started (egui's cursor counts chars from there).
    window_start: usize,
    /// The wrap width egui gave the layouter last (for the rows of lines out of the window).
    wrap_width: Option<f32>,
    /// The selection in the document when it does not fit in the window.
    outside: Option<Selection>,
    /// The cursor left in egui's state last frame: another one there was set by someone else
    /// (a test, a bench) and counts from the window's start.
    given: Option<CCursorRange>,
}

/// The selection at the start of a frame, in document bytes.
fn current_selection(
    cursor: Option<CCursorRange>,
    view: &JsonView,
    text: &str,
) -> Option<Selection> {
    if let Some(s) = view.outside
        && cursor == view.given
    {
        return Some(s.clamped(text));
    }
    let range = cursor?;
    let start = floor_boundary(text, view.window_start);
    let byte = |c: CCursor| start + byte_index(&text[start..], c.index.0);
    Some(Selection {
        primary: byte(range.primary),
        secondary: byte(range.secondary),
    })
}

/// The gutter's width: room for the largest line number, at least three digits.
fn gutter_width(index: &LineIndex, char_width: f32) -> f32 {
    let digits = index.lines().to_string().len().max(3);
    digits as f32 * char_width + 18.0
}

/// Whether two cursors select the same chars (egui may add a remembered column).
fn same_ends(a: Option<CCursorRange>, b: Option<CCursorRange>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.primary.index == b.primary.index && a.secondary.index == b.secondary.index
        }
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// The last value set through AccessKit (a screen reader, a test) on the editor, taken out of
/// the input: it is the whole document, which egui would put in place of the window.
fn take_set_value(ui: &egui::Ui, id: egui::Id) -> Option<String> {
    use egui::accesskit::{Action, ActionData, ActionRequest};
    let target = id.accesskit_id();
    let mut value = None;
    ui.input_mut(|i| {
        i.events.retain(|e| match e {
            egui::Event::AccessKitActionRequest(ActionRequest {
                action: Action::SetValue,
                target_node,
                data,
                ..
            }) if *target_node == target => {
                if let Some(ActionData::Value(v)) = data {
                    value = Some(v.to_string());
                }
                false
            }
            _ => true,
        });
    });
    value
}

/// Whether this frame's input holds keys or text for the focused editor.
fn has_keyboard_input(ui: &egui::Ui, id: egui::Id) -> bool {
    ui.input(|i| {
        i.events.iter().any(|e| {
            replaced_text(e, id).is_some()
                || matches!(
                    e,
                    egui::Event::Key { key, pressed: true, .. } if *key != Key::Escape
                )
                || matches!(
                    e,
                    egui::Event::Cut | egui::Event::Copy | egui::Event::Ime(_)
                )
        })
    })
}

/// The text an event puts in place of the selection, as egui's text edit takes it: typed text
/// (not a newline: Enter is a key), a paste, a committed IME text, or assistive technology's
/// replacement of the selected text.
fn replaced_text(event: &egui::Event, id: egui::Id) -> Option<&str> {
    use egui::accesskit::{Action, ActionData, ActionRequest};
    match event {
        egui::Event::Text(t) | egui::Event::Paste(t) if !t.is_empty() && t != "\n" && t != "\r" => {
            Some(t)
        }
        egui::Event::Ime(egui::ImeEvent::Commit(t)) if !t.is_empty() => Some(t),
        egui::Event::AccessKitActionRequest(ActionRequest {
            action: Action::ReplaceSelectedText,
            target_node,
            data: Some(ActionData::Value(t)),
            ..
        }) if *target_node == id.accesskit_id() => Some(t),
        _ => None,
    }
}

/// An edit of a selection wider than the window (after Ctrl+A): egui sees only the window, so
/// the first typed text, paste, cut, copy, Backspace, Delete, Enter or Tab is applied to the
/// whole document here (and taken out of the input). A caret movement collapses the selection
/// to the end it goes towards. Returns the new selection and whether the text changed.
fn edit_wide_selection(
    ui: &egui::Ui,
    id: egui::Id,
    text: &mut String,
    selection: Selection,
) -> Option<(Selection, bool)> {
    use egui::Event;
    let (lo, hi) = selection.sorted();
    enum Action {
        Replace(String),
        Copy,
        Cut,
        Collapse(usize),
    }
    let action = ui.input_mut(|i| {
        let (at, action) = i.events.iter().enumerate().find_map(|(at, e)| {
            if let Some(t) = replaced_text(e, id) {
                return Some((at, Action::Replace(t.to_owned())));
            }
            let action = match e {
                Event::Copy => Action::Copy,
                Event::Cut => Action::Cut,
                Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } => match key {
                    Key::Backspace | Key::Delete => Action::Replace(String::new()),
                    Key::Enter => Action::Replace("\n".into()),
                    // egui's Shift+Tab deletes the selection before it unindents.
                    Key::Tab if modifiers.shift => Action::Replace(String::new()),
                    Key::Tab => Action::Replace("\t".into()),
                    Key::ArrowLeft | Key::ArrowUp | Key::Home | Key::PageUp => Action::Collapse(lo),
                    Key::ArrowRight | Key::ArrowDown | Key::End | Key::PageDown => {
                        Action::Collapse(hi)
                    }
                    _ => return None,
                },
                _ => return None,
            };
            Some((at, action))
        })?;
        i.events.remove(at);
        Some(action)
    })?;
    Some(match action {
        Action::Copy => {
            ui.ctx().copy_text(text[lo..hi].to_owned());
            (selection, false)
        }
        Action::Collapse(at) => (Selection::at(at), false),
        Action::Cut => {
            ui.ctx().copy_text(text[lo..hi].to_owned());
            text.replace_range(lo..hi, "");
            (Selection::at(lo), true)
        }
        Action::Replace(with) => {
            text.replace_range(lo..hi, &with);
            let mut caret = lo + with.len();
            if with == "\n"
                && let Some(after) = auto_indent_at(text, caret)
            {
                caret = after;
            }
            (Selection::at(caret), true)
        }
    })
}

/// The JSON text editor. egui lays out only a window of lines around the view (the whole
/// text when it is shorter than [`super::json_lines::WHOLE_BELOW`] lines), inside a scroll area
/// as tall as all the lines: the rows of lines out of the window are counted from their
/// characters, as egui wraps a monospace text ([`super::json_lines::Wrap`]). The window is
/// egui's text buffer; an edit is spliced back into the document. So a 1.5 MiB schema costs the
/// few hundred lines around the view, not galleys for 57,000.
///
/// The caret and selection are kept in document bytes while they are out of the window:
/// scrolling away and back keeps them, and a key pressed while the caret is out of the window
/// brings the window and the view to the caret first (as text editors do). Ctrl+A selects the
/// whole document; typing, pasting, cutting, copying or deleting such a selection is done here,
/// on the whole text, and a caret key collapses it to one end (Shift+arrows do not extend it).
/// An anchor out of the window stays put while a drag or a Shift+click moves the other end.
pub(super) fn json_editor_ui(ui: &mut egui::Ui, editor: &mut Editor, out: &mut Vec<Command>) {
    let id = json_editor_id();
    let ctx = ui.ctx().clone();
    let font = TextStyle::Monospace.resolve(ui.style());
    let palette = Palette::for_dark_mode(ui.visuals().dark_mode);
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let memo = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<Arc<Mutex<JsonView>>>(id.with("view"))
            .clone()
    });
    let mut view = memo.lock().unwrap_or_else(PoisonError::into_inner);
    let view = &mut *view;

    let mut edited = false;
    let set_value = take_set_value(ui, id);
    if let Some(value) = set_value.clone() {
        editor.parts.schema_text = value;
        edited = true;
    }
    let loaded = egui::text_edit::TextEditState::load(&ctx, id).unwrap_or_default();
    let text = &editor.parts.schema_text;
    let mut selection = current_selection(loaded.cursor.char_range(), view, text);
    if set_value.is_some() {
        selection = Some(Selection::at(text.len()));
    }
    // A line to bring into view (0-based): a jump's target, or the caret typed at.
    let mut follow = None;
    if let Some((line, column)) = editor.jump.take() {
        selection = Some(Selection::at(offset_of(text, line, column)));
        ctx.memory_mut(|m| m.request_focus(id));
        follow = Some(line.saturating_sub(1));
    }
    let focused = ctx.memory(|m| m.has_focus(id));
    if focused && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::A)) {
        selection = Some(Selection {
            primary: text.len(),
            secondary: 0,
        });
    }
    let enter = focused && ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none());

    // The gutter's width must be right before the text is laid out: one that widens a frame
    // later (a schema just opened) would lay the text out twice.
    let wrap = Wrap {
        width: view
            .wrap_width
            .unwrap_or(ui.available_width() - gutter_width(&view.index, char_width)),
        advance: char_width,
        pixels_per_point: ctx.pixels_per_point(),
    };
    view.index.update(text, wrap);
    let gutter = gutter_width(&view.index, char_width);

    egui::Frame::canvas(ui.style())
        .inner_margin(egui::Margin::same(0))
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("json_scroll")
                .auto_shrink([false, false])
                .show_viewport(ui, |ui, viewport| {
                    ui.spacing_mut().item_spacing.y = 0.0;
                    let row = |y: f32| (y / row_height).max(0.0) as usize;
                    let visible = view.index.line_at_row(row(viewport.min.y))
                        ..view.index.line_at_row(row(viewport.max.y)) + 1;
                    let mut window = view.index.window(visible);
                    let text = &mut editor.parts.schema_text;
                    if focused
                        && let Some(s) = selection
                        && s.primary != s.secondary
                        && !s.within(&view.index.byte_range(&window))
                        && let Some((s, changed)) = edit_wide_selection(ui, id, text, s)
                    {
                        selection = Some(s);
                        edited |= changed;
                        view.index.update(text, wrap);
                        follow = Some(view.index.line_of(s.primary));
                    }
                    // Keys pressed while the caret is out of the window (or on its edge lines)
                    // bring the window and the view to the caret first.
                    if follow.is_none()
                        && focused
                        && let Some(s) = selection
                        && has_keyboard_input(ui, id)
                    {
                        let line = view.index.line_of(s.primary);
                        let inner_start = if window.start == 0 {
                            0
                        } else {
                            window.start + 1
                        };
                        let inner_end = if window.end == view.index.lines() {
                            window.end
                        } else {
                            window.end - 1
                        };
                        if !(inner_start..inner_end).contains(&line) {
                            follow = Some(line);
                        }
                    }
                    if let Some(line) = follow {
                        window = view.index.window_around(line);
                    }
                    let bytes = view.index.byte_range(&window);
                    let mut buffer = text[bytes.clone()].to_owned();

                    // The selection as egui sees it: in window chars, cut to the window.
                    let to_chars = |b: usize| {
                        let b = b.clamp(bytes.start, bytes.end);
                        CCursor::new(buffer[..b - bytes.start].chars().count())
                    };
                    // Ends out of the window sit on its edge (hidden, see `caret_hidden`), so a
                    // Shift+click extends from there and the real anchor is put back after.
                    let given = selection.map(|s| {
                        let mut r = CCursorRange::two(to_chars(s.secondary), to_chars(s.primary));
                        if let Some(l) = loaded.cursor.char_range()
                            && l.primary.index == r.primary.index
                            && l.secondary.index == r.secondary.index
                        {
                            r = l; // keeps egui's remembered column for Up and Down
                        }
                        r
                    });
                    view.outside = selection.filter(|s| !s.within(&bytes));
                    let caret_hidden = selection
                        .is_some_and(|s| !bytes.contains(&s.primary) && s.primary != bytes.end);
                    if given != loaded.cursor.char_range() {
                        let mut st = loaded.clone();
                        st.cursor.set_char_range(given);
                        st.store(&ctx, id);
                    }

                    ui.add_space(view.index.rows_before(window.start) as f32 * row_height);
                    let wrap_seen = std::cell::Cell::new(None);
                    let output = ui
                        .horizontal_top(|ui| {
                            ui.spacing_mut().item_spacing.x = 0.0;
                            let gutter_left = ui.cursor().min.x;
                            ui.add_space(gutter);
                            if caret_hidden {
                                // The caret is out of the window: egui's is only its stand-in.
                                ui.visuals_mut().text_cursor.stroke.color =
                                    egui::Color32::TRANSPARENT;
                            }
                            let mut layouter =
                                |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
                                    wrap_seen.set(Some(wrap_width));
                                    highlight::layout_memoized(
                                        ui,
                                        id.with("galley"),
                                        buf.as_str(),
                                        &font,
                                        &palette,
                                        wrap_width,
                                    )
                                };
                            let output = egui::TextEdit::multiline(&mut buffer)
                                .id(id)
                                .code_editor()
                                .frame(egui::Frame::NONE)
                                .margin(egui::Margin::symmetric(6, 4))
                                .desired_width(f32::INFINITY)
                                .desired_rows(24)
                                .layouter(&mut layouter)
                                .show(ui);
                            let _ = output
                                .response
                                .response
                                .clone()
                                .accessible_name("JSON schema");
                            (output, gutter_left)
                        })
                        .inner;
                    let (mut output, gutter_left) = output;
                    let rows_after = view.index.rows() - view.index.rows_before(window.end);
                    ui.add_space(rows_after as f32 * row_height);
                    if let Some(w) = wrap_seen.get() {
                        view.wrap_width = Some(w);
                    }

                    let response = &output.response.response;
                    let mut after = output.state.cursor.char_range();
                    if response.changed() {
                        text.replace_range(bytes.clone(), &buffer);
                        edited = true;
                        if enter && let Some(c) = output.cursor_range.and_then(|r| r.single()) {
                            let at = bytes.start + byte_index(&buffer, c.index.0);
                            if let Some(caret) = auto_indent_at(text, at) {
                                after =
                                    Some(CCursorRange::one(CCursor::new(c.index.0 + (caret - at))));
                                ctx.request_repaint();
                            }
                        }
                    }
                    let pointer = response.clicked()
                        || response.drag_started()
                        || response.dragged()
                        || response.is_pointer_button_down_on();
                    if !same_ends(after, given)
                        && (given.is_some() || pointer || response.changed())
                    {
                        // egui moved the caret (a click, a key, typing): it is in the window.
                        // An anchor out of the window that egui saw cut to its edge and left
                        // alone (a drag or Shift+click moved only the caret) stays where it was.
                        view.outside = match (after, given, view.outside) {
                            (Some(a), Some(g), Some(doc))
                                if !response.changed()
                                    && a.secondary.index == g.secondary.index =>
                            {
                                Some(Selection {
                                    primary: bytes.start + byte_index(&buffer, a.primary.index.0),
                                    secondary: doc.secondary,
                                })
                            }
                            _ => None,
                        };
                    } else {
                        after = given;
                    }
                    if after != output.state.cursor.char_range() {
                        output.state.cursor.set_char_range(after);
                        output.state.clone().store(&ctx, id);
                    }
                    view.given = after;
                    view.window_start = bytes.start;
                    let lines = view.index.lines();
                    paint_gutter(
                        ui,
                        &output,
                        (gutter_left, gutter),
                        window.start,
                        &editor.validation.error_lines,
                        follow,
                    );
                    let laid_out = LaidOut {
                        first_line: window.start + 1,
                        line_count: window.len(),
                        rows: output.galley.rows.len(),
                        chars: output.galley.text().chars().count(),
                        lines,
                        estimated_rows: view.index.rows_before(window.end)
                            - view.index.rows_before(window.start),
                    };
                    ctx.data_mut(|d| d.insert_temp(id.with("laid_out"), laid_out));
                });
        });
    if edited {
        out.push(Command::Edited(EditKind::Json));
    }
}

/// Line numbers, error marks and the scroll to `follow` (a 0-based document line), from the
/// laid-out galley of the window that starts at line `first_line` (0-based). Only the visible
/// rows are painted.
fn paint_gutter(
    ui: &mut egui::Ui,
    output: &egui::text_edit::TextEditOutput,
    (left, width): (f32, f32),
    first_line: usize,
    error_lines: &std::collections::BTreeSet<usize>,
    follow: Option<usize>,
) {
    let galley = &output.galley;
    let id = json_editor_id().with("row_lines");
    let rows = highlight::row_lines(ui.ctx(), id, galley);
    let origin = output.galley_pos;
    let clip = ui.clip_rect();
    let right = output.response.response.rect.right();
    let painter = ui.painter().clone();
    let visuals = ui.visuals().clone();
    let font = TextStyle::Monospace.resolve(ui.style());
    let number_color = visuals.weak_text_color();
    let error_color = colors::error(&visuals);
    let row_rect = |i: usize| {
        let r = galley.rows[i].rect();
        egui::Rect::from_min_max(
            egui::pos2(left, origin.y + r.top()),
            egui::pos2(right, origin.y + r.bottom()),
        )
    };
    let first = galley
        .rows
        .partition_point(|row| origin.y + row.rect().bottom() < clip.top());
    for i in first..galley.rows.len() {
        let rect = row_rect(i);
        if rect.top() > clip.bottom() {
            break;
        }
        let (line, starts) = rows.get(i).copied().unwrap_or((0, false));
        let line = line as usize + first_line;
        let is_error = error_lines.contains(&line);
        if is_error {
            painter.rect_filled(rect, 0.0, colors::error_line_bg(&visuals));
        }
        if starts {
            painter.text(
                egui::pos2(left + width - 8.0, rect.top()),
                egui::Align2::RIGHT_TOP,
                line.to_string(),
                font.clone(),
                if is_error { error_color } else { number_color },
            );
            if is_error {
                painter.circle_filled(egui::pos2(left + 5.0, rect.center().y), 2.5, error_color);
            }
        }
    }
    painter.vline(
        left + width - 3.0,
        clip.y_range(),
        egui::Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
    );
    if let Some(target) = follow.and_then(|l| l.checked_sub(first_line)) {
        // Rows hold 1-based lines of the window.
        let i = rows.partition_point(|(l, _)| (*l as usize) < target + 1);
        if i < galley.rows.len() {
            ui.scroll_to_rect(row_rect(i), Some(Align::Center));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::auto_indent;

    #[test]
    fn indents_after_open_brace_and_splits_closing() {
        let mut t = String::from("{\n}");
        let c = auto_indent(&mut t, 2);
        assert_eq!(t, "{\n  \n}");
        assert_eq!(c, Some(4));
        let mut t = String::from("  \"a\": 1,\n");
        let c = auto_indent(&mut t, 10);
        assert_eq!(t, "  \"a\": 1,\n  ");
        assert_eq!(c, Some(12));
    }
}
