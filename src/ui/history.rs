//! The revision history (number, time, message, pushed to), the compare controls, and the
//! coloured diff of two revisions.

use egui::{Align, Layout, RichText, TextStyle};

use super::colors;
use super::theme;
use crate::app::{AppState, Command, DiffMode, DiffView};
use crate::schema::diff::{DiffLine, LineTag};

pub fn history_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading("History");
        ui.label(RichText::new(format!("{} revision(s)", state.history.len())).weak());
    });
    let (old, new) = state.compare;
    ui.horizontal(|ui| {
        ui.label(theme::text::note("Compare"));
        ui.label(
            RichText::new(format!(
                "A: {}  B: {}",
                old.map_or("-".into(), |n| format!("r{n}")),
                new.map_or("-".into(), |n| format!("r{n}"))
            ))
            .monospace(),
        );
        let ready = matches!((old, new), (Some(a), Some(b)) if a != b);
        if ui
            .add_enabled(ready, egui::Button::new("Show diff"))
            .on_hover_text("Compare revision A with revision B")
            .on_disabled_hover_text("Pick two different revisions with the A and B buttons")
            .clicked()
            && let (Some(old), Some(new)) = (old, new)
        {
            out.push(Command::Compare { old, new });
        }
    });
    ui.separator();
    super::nextgen::server_revisions_ui(ui, state, out);
    let latest = state.history.first().map(|h| h.summary.number);
    egui::ScrollArea::vertical()
        .id_salt("history_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in &state.history {
                let r = &row.summary;
                let n = r.number;
                let picked = old == Some(n) || new == Some(n);
                let fill = if picked {
                    ui.visuals().selection.bg_fill.gamma_multiply(0.25)
                } else {
                    ui.visuals().faint_bg_color
                };
                egui::Frame::new()
                    .fill(fill)
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(8, 6))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(format!("r{n}")).monospace().strong());
                            if Some(n) == latest {
                                ui.label(RichText::new("latest").color(colors::ok(ui.visuals())));
                            }
                            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                                if Some(n) != latest
                                    && ui
                                        .small_button("Restore")
                                        .on_hover_text(format!(
                                            "Save a copy of revision {n} as a new revision"
                                        ))
                                        .accessible_name(format!("Restore revision {n}"))
                                        .clicked()
                                {
                                    out.push(Command::Restore(n));
                                }
                                let b = ui
                                    .selectable_label(new == Some(n), "B")
                                    .on_hover_text("Compare to this revision")
                                    .accessible_name(format!("B: revision {n}"));
                                if b.clicked() {
                                    out.push(Command::SetCompare { old, new: Some(n) });
                                }
                                let a = ui
                                    .selectable_label(old == Some(n), "A")
                                    .on_hover_text("Compare from this revision")
                                    .accessible_name(format!("A: revision {n}"));
                                if a.clicked() {
                                    out.push(Command::SetCompare { old: Some(n), new });
                                }
                            });
                        });
                        let message = if r.message.is_empty() {
                            RichText::new("(no message)").weak().italics()
                        } else {
                            RichText::new(crate::printable::printable(&r.message))
                        };
                        ui.add(egui::Label::new(message).wrap());
                        ui.horizontal_wrapped(|ui| {
                            ui.label(theme::text::note(crate::when::local(&r.created_at)))
                                .on_hover_text(&r.created_at);
                            if let Some(from) = r.restored_from {
                                ui.label(theme::text::note(format!("restored from r{from} ·")));
                            }
                            // A pull saves its revision with this message (service::pull::import):
                            // that revision is the server's, not an unpushed one.
                            let pulled = r.message.starts_with("Pulled from ");
                            if row.pushed_to.is_empty() && pulled {
                                ui.label(
                                    RichText::new("as on the server")
                                        .color(colors::ok(ui.visuals())),
                                )
                                .on_hover_text("This revision was pulled from a server");
                            } else if row.pushed_to.is_empty() {
                                ui.label(theme::text::note("not pushed"))
                                    .on_hover_text("Not pushed to any server yet");
                            } else {
                                let to = super::servers::pushed_to_text(state, n)
                                    .unwrap_or_else(|| row.pushed_to.join(", "));
                                ui.label(
                                    RichText::new(format!("pushed to {to}"))
                                        .color(colors::ok(ui.visuals())),
                                );
                            }
                        });
                    });
                ui.add_space(4.0);
            }
        });
}

pub fn diff_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(diff) = &state.diff else {
        return;
    };
    let mode = state.window.diff_mode;
    ui.add(
        egui::Label::new(theme::text::heading(format!(
            "Revision {} compared with revision {}",
            diff.old, diff.new
        )))
        .wrap(),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("+{}", diff.added)).color(colors::ok(ui.visuals())));
        ui.label(RichText::new(format!("−{}", diff.removed)).color(colors::error(ui.visuals())));
        ui.separator();
        if ui
            .selectable_label(mode == DiffMode::Unified, "Unified")
            .clicked()
        {
            out.push(Command::SetDiffMode(DiffMode::Unified));
        }
        if ui
            .selectable_label(mode == DiffMode::SideBySide, "Side by side")
            .clicked()
        {
            out.push(Command::SetDiffMode(DiffMode::SideBySide));
        }
    });
    ui.label(theme::text::note(
        "The request body of each revision: type, schema and authenticators.",
    ));
    ui.separator();
    super::servers::history_compat_ui(ui, state);
    if diff.added == 0 && diff.removed == 0 {
        ui.label("The two revisions hold the same content.");
    }
    let row_height = ui.text_style_height(&TextStyle::Monospace) + 2.0;
    match mode {
        DiffMode::Unified => unified_ui(ui, diff, row_height),
        DiffMode::SideBySide => side_by_side_ui(ui, diff, row_height),
    }
}

/// Paints a diff row's background (green for added, red for removed) and gives its sign.
pub(crate) fn paint_diff_background(ui: &egui::Ui, rect: egui::Rect, tag: LineTag) -> &'static str {
    let visuals = ui.visuals();
    let (bg, sign) = match tag {
        LineTag::Equal => (None, " "),
        LineTag::Inserted => (Some(colors::added_bg(visuals)), "+"),
        LineTag::Removed => (Some(colors::removed_bg(visuals)), "-"),
    };
    if let Some(bg) = bg {
        ui.painter().rect_filled(rect, 0.0, bg);
    }
    sign
}

/// A row of a diff view: an item (a line, or a side-by-side pair) or a folded run of
/// unchanged items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffRow {
    Item(usize),
    /// `len` unchanged items from `start`, hidden until expanded.
    Fold {
        start: usize,
        len: usize,
    },
}

/// Folds unchanged items farther than `context` from any change; a run of one is shown
/// rather than folded. Runs whose start is in `expanded` are shown. With no change at all,
/// nothing is folded.
pub fn fold_rows(
    changed: &[bool],
    context: usize,
    expanded: &std::collections::BTreeSet<usize>,
) -> Vec<DiffRow> {
    let n = changed.len();
    if !changed.iter().any(|c| *c) {
        return (0..n).map(DiffRow::Item).collect();
    }
    // Distance to the nearest change, both ways.
    let mut near = vec![false; n];
    let mut last = None;
    for i in 0..n {
        if changed[i] {
            last = Some(i);
        }
        near[i] |= last.is_some_and(|l| i - l <= context);
    }
    let mut next = None;
    for i in (0..n).rev() {
        if changed[i] {
            next = Some(i);
        }
        near[i] |= next.is_some_and(|x| x - i <= context);
    }
    let mut rows = Vec::new();
    let mut i = 0;
    while i < n {
        if near[i] {
            rows.push(DiffRow::Item(i));
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !near[i] {
            i += 1;
        }
        let len = i - start;
        if len == 1 || expanded.contains(&start) {
            rows.extend((start..i).map(DiffRow::Item));
        } else {
            rows.push(DiffRow::Fold { start, len });
        }
    }
    rows
}

/// The folds the user opened, per compared pair (kept in egui's memory).
fn expanded_id(diff: &DiffView) -> egui::Id {
    egui::Id::unique(("diff_expanded", diff.schema.0, diff.old, diff.new))
}

fn fold_ui(ui: &mut egui::Ui, diff: &DiffView, start: usize, len: usize, width: f32, h: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, h), egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 0.0, colors::fold_bg(ui.visuals()));
    let label = format!("… {len} unchanged lines");
    let button = ui.put(
        egui::Rect::from_min_size(rect.min, egui::vec2(rect.width().min(320.0), h)),
        egui::Button::new(theme::text::note(label.clone()))
            .frame(false)
            .small(),
    );
    if button
        .on_hover_text("Show these lines")
        .accessible_name(format!("Show {len} unchanged lines"))
        .clicked()
    {
        let id = expanded_id(diff);
        ui.data_mut(|d| {
            d.get_temp_mut_or_default::<std::collections::BTreeSet<usize>>(id)
                .insert(start);
        });
    }
}

fn line_ui(
    ui: &mut egui::Ui,
    line: Option<&DiffLine>,
    number: Option<usize>,
    marker: bool,
    width: f32,
    row_height: f32,
) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, row_height), egui::Sense::hover());
    let visuals = ui.visuals();
    let Some(line) = line else {
        ui.painter().rect_filled(rect, 0.0, visuals.faint_bg_color);
        return;
    };
    let sign = paint_diff_background(ui, rect, line.tag);
    let font = TextStyle::Monospace.resolve(ui.style());
    let text = if marker {
        format!(
            "{:>5} {sign} {}",
            number.map_or(String::new(), |n| n.to_string()),
            line.text
        )
    } else {
        format!(
            "{:>5}  {}",
            number.map_or(String::new(), |n| n.to_string()),
            line.text
        )
    };
    ui.painter().with_clip_rect(rect).text(
        rect.left_center() + egui::vec2(4.0, 0.0),
        egui::Align2::LEFT_CENTER,
        text,
        font,
        visuals.text_color(),
    );
}

/// The width a column needs for the longest of these lines (with the number gutter).
fn text_width(ui: &egui::Ui, longest_chars: usize) -> f32 {
    let font = TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    (longest_chars + 9) as f32 * char_width + 8.0
}

fn expanded(ui: &egui::Ui, diff: &DiffView) -> std::collections::BTreeSet<usize> {
    ui.data(|d| d.get_temp(expanded_id(diff)))
        .unwrap_or_default()
}

fn unified_ui(ui: &mut egui::Ui, diff: &DiffView, row_height: f32) {
    let changed: Vec<bool> = diff.lines.iter().map(|l| l.tag != LineTag::Equal).collect();
    let rows = fold_rows(&changed, theme::size::DIFF_CONTEXT, &expanded(ui, diff));
    let longest = diff
        .lines
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0);
    let width = ui.available_width().max(text_width(ui, longest));
    egui::ScrollArea::both()
        .id_salt("diff_unified")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for row in &rows[range] {
                match *row {
                    DiffRow::Item(i) => {
                        let line = &diff.lines[i];
                        let number = line.new_line.or(line.old_line);
                        line_ui(ui, Some(line), number, true, width, row_height);
                    }
                    DiffRow::Fold { start, len } => {
                        fold_ui(ui, diff, start, len, width, row_height);
                    }
                }
            }
        });
}

fn side_by_side_ui(ui: &mut egui::Ui, diff: &DiffView, row_height: f32) {
    let changed: Vec<bool> = diff
        .pairs
        .iter()
        .map(|(old, new)| {
            old != new
                || old
                    .and_then(|i| diff.lines.get(i))
                    .is_none_or(|l| l.tag != LineTag::Equal)
        })
        .collect();
    let rows = fold_rows(&changed, theme::size::DIFF_CONTEXT, &expanded(ui, diff));
    let longest = diff
        .lines
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0);
    // Each side as wide as its longest line: long lines scroll sideways, never cut.
    let half = ((ui.available_width() - 4.0) / 2.0).max(text_width(ui, longest));
    egui::ScrollArea::both()
        .id_salt("diff_side_by_side")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            ui.spacing_mut().item_spacing = egui::vec2(4.0, 0.0);
            for row in &rows[range] {
                match *row {
                    DiffRow::Item(i) => {
                        let (old, new) = diff.pairs[i];
                        ui.horizontal(|ui| {
                            let old = old.and_then(|i| diff.lines.get(i));
                            let new = new.and_then(|i| diff.lines.get(i));
                            line_ui(
                                ui,
                                old,
                                old.and_then(|l| l.old_line),
                                false,
                                half,
                                row_height,
                            );
                            line_ui(
                                ui,
                                new,
                                new.and_then(|l| l.new_line),
                                false,
                                half,
                                row_height,
                            );
                        });
                    }
                    DiffRow::Fold { start, len } => {
                        fold_ui(ui, diff, start, len, 2.0 * half + 4.0, row_height);
                    }
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::{DiffRow, fold_rows};
    use std::collections::BTreeSet;

    #[test]
    fn unchanged_runs_fold_beyond_three_lines_of_context() {
        // 20 items, one change at 10.
        let mut changed = vec![false; 20];
        changed[10] = true;
        let rows = fold_rows(&changed, 3, &BTreeSet::new());
        assert_eq!(rows.first(), Some(&DiffRow::Fold { start: 0, len: 7 }));
        assert_eq!(rows.last(), Some(&DiffRow::Fold { start: 14, len: 6 }));
        let items: Vec<_> = rows
            .iter()
            .filter_map(|r| match r {
                DiffRow::Item(i) => Some(*i),
                DiffRow::Fold { .. } => None,
            })
            .collect();
        assert_eq!(items, (7..=13).collect::<Vec<_>>());
        // Expanding the first fold shows its lines.
        let open: BTreeSet<usize> = [0].into();
        let rows = fold_rows(&changed, 3, &open);
        assert_eq!(rows[0], DiffRow::Item(0));
        assert_eq!(rows.len(), 14 + 1);
        // No change: nothing folds. A run of one is shown, not folded.
        assert!(
            fold_rows(&[false; 9], 3, &BTreeSet::new())
                .iter()
                .all(|r| matches!(r, DiffRow::Item(_)))
        );
        let mut changed = vec![false; 9];
        changed[0] = true;
        changed[8] = true;
        let rows = fold_rows(&changed, 3, &BTreeSet::new());
        assert_eq!(rows.len(), 9);
    }
}
