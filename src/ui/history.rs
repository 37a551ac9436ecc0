//! The revision history (number, time, message, pushed to), the compare controls, and the
//! coloured diff of two revisions.

use egui::{Align, Layout, RichText, TextStyle};

use super::colors;
use crate::app::{AppState, Command, DiffMode, DiffView};
use crate::schema::diff::{DiffLine, LineTag};

/// "2026-11-27T02:40:00Z" → "2026-11-27 02:40".
fn short_time(rfc3339: &str) -> String {
    let t = rfc3339.replace('T', " ");
    t.get(..16).map_or(t.clone(), str::to_string)
}

pub fn history_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading("History");
        ui.label(RichText::new(format!("{} revision(s)", state.history.len())).weak());
    });
    let (old, new) = state.compare;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Compare").small());
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
                            ui.label(RichText::new(short_time(&r.created_at)).small().weak())
                                .on_hover_text(&r.created_at);
                            if Some(n) == latest {
                                ui.label(
                                    RichText::new("latest")
                                        .small()
                                        .color(colors::ok(ui.visuals())),
                                );
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
                            if let Some(from) = r.restored_from {
                                ui.label(
                                    RichText::new(format!("restored from r{from} ·"))
                                        .small()
                                        .weak(),
                                );
                            }
                            if row.pushed_to.is_empty() {
                                ui.label(RichText::new("not pushed").small().weak())
                                    .on_hover_text("Not pushed to any server yet");
                            } else {
                                let to = super::servers::pushed_to_text(state, n)
                                    .unwrap_or_else(|| row.pushed_to.join(", "));
                                ui.label(
                                    RichText::new(format!("pushed to {to}"))
                                        .small()
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
    let mode = state.settings.diff_mode;
    ui.horizontal(|ui| {
        ui.heading(format!(
            "Revision {} compared with revision {}",
            diff.old, diff.new
        ));
        ui.label(RichText::new(format!("+{}", diff.added)).color(colors::ok(ui.visuals())));
        ui.label(RichText::new(format!("−{}", diff.removed)).color(colors::error(ui.visuals())));
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .selectable_label(mode == DiffMode::SideBySide, "Side by side")
                .clicked()
            {
                out.push(Command::SetDiffMode(DiffMode::SideBySide));
            }
            if ui
                .selectable_label(mode == DiffMode::Unified, "Unified")
                .clicked()
            {
                out.push(Command::SetDiffMode(DiffMode::Unified));
            }
        });
    });
    ui.label(
        RichText::new("The request body of each revision: type, schema and authenticators.")
            .weak()
            .small(),
    );
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

fn unified_ui(ui: &mut egui::Ui, diff: &DiffView, row_height: f32) {
    egui::ScrollArea::both()
        .id_salt("diff_unified")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diff.lines.len(), |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            let width = ui.available_width().max(600.0);
            for line in &diff.lines[range] {
                let number = line.new_line.or(line.old_line);
                line_ui(ui, Some(line), number, true, width, row_height);
            }
        });
}

fn side_by_side_ui(ui: &mut egui::Ui, diff: &DiffView, row_height: f32) {
    egui::ScrollArea::vertical()
        .id_salt("diff_side_by_side")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diff.pairs.len(), |ui, range| {
            ui.spacing_mut().item_spacing = egui::vec2(4.0, 0.0);
            let half = (ui.available_width() - 4.0) / 2.0;
            for (old, new) in &diff.pairs[range] {
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
        });
}
