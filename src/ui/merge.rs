//! The dialog of a save (or push) that met another writer's revision: the choices, the three
//! columns (base, theirs, mine) and the field-level merge with a pick per conflict and the
//! result shown before it is saved.

use egui::{Id, RichText};

use super::colors;
use crate::app::writers::{MergeCommand, MergeMode, MergeOrigin, MergeView};
use crate::app::{AppState, Command};
use crate::schema::diff::{LineTag, diff_lines};
use crate::schema::merge::{Conflict, Pick};

fn send(out: &mut Vec<Command>, c: MergeCommand) {
    out.push(Command::Merge(c));
}

/// Short JSON for a conflict's side; `(absent)` when the side removed it.
fn short(value: Option<&serde_json::Value>) -> String {
    const MAX: usize = 60;
    match value {
        None => "(absent)".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > MAX {
                let cut: String = text.chars().take(MAX).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

pub fn merge_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let Some(view) = &state.merge else {
        return;
    };
    let width = (ctx.content_rect().width() - 80.0).clamp(360.0, 1200.0);
    let response = egui::Modal::new(Id::unique("merge_modal")).show(ctx, |ui| {
        // A fixed width: the scroll areas inside fill it, so the dialog keeps its place.
        ui.set_width(width);
        ui.label(RichText::new(&view.title).heading());
        ui.add_space(4.0);
        ui.add(egui::Label::new(&view.intro).wrap());
        ui.add_space(6.0);
        match view.mode {
            MergeMode::Choose => choose_ui(ui, view, out),
            MergeMode::Compare => {
                columns_ui(ui, view);
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Merge…").clicked() {
                        send(out, MergeCommand::Show(MergeMode::Merge));
                    }
                    back_ui(ui, view, out);
                });
            }
            MergeMode::Merge => merge_mode_ui(ui, view, out),
        }
    });
    if response.should_close() {
        send(out, MergeCommand::Cancel);
    }
}

fn choose_ui(ui: &mut egui::Ui, view: &MergeView, out: &mut Vec<Command>) {
    let conflicts = view.merged.as_ref().map_or(0, |m| m.conflicts.len());
    let merge_note = if conflicts == 0 {
        "The changes touch different fields: they merge without a question.".to_string()
    } else {
        format!("{conflicts} value(s) were changed on both sides: you pick one side for each.")
    };
    ui.label(RichText::new(merge_note).weak());
    if !view.reverts.is_empty() {
        ui.label(
            RichText::new(format!(
                "Saving yours as it is would revert {} change(s) of the newer revision: {}",
                view.reverts.len(),
                view.reverts.join(", ")
            ))
            .color(colors::warn(ui.visuals())),
        );
    }
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        if ui.button("See what changed").clicked() {
            send(out, MergeCommand::Show(MergeMode::Compare));
        }
        if ui.button(RichText::new("Merge…").strong()).clicked() {
            send(out, MergeCommand::Show(MergeMode::Merge));
        }
        if ui
            .button("Save mine anyway")
            .on_hover_text("Saves your draft as a new revision on top of the newer one; its message says what it reverts")
            .clicked()
        {
            send(out, MergeCommand::SaveMineAnyway);
        }
        if ui
            .button("Cancel")
            .on_hover_text("Closes this dialog; your draft keeps its changes, unsaved")
            .clicked()
        {
            send(out, MergeCommand::Cancel);
        }
    });
}

fn back_ui(ui: &mut egui::Ui, view: &MergeView, out: &mut Vec<Command>) {
    match view.origin {
        MergeOrigin::Save { .. } => {
            if ui.button("Back").clicked() {
                send(out, MergeCommand::Show(MergeMode::Choose));
            }
        }
        MergeOrigin::Server { .. } => {
            if ui.button("See what changed").clicked() {
                send(out, MergeCommand::Show(MergeMode::Compare));
            }
            if ui
                .button("Back to the conflict")
                .accessible_name("Close merge")
                .clicked()
            {
                send(out, MergeCommand::Cancel);
            }
        }
    }
}

/// Base, theirs and mine side by side; lines not in the base are marked.
fn columns_ui(ui: &mut egui::Ui, view: &MergeView) {
    egui::ScrollArea::vertical()
        .id_salt("merge_columns")
        // Full height at once: grown frame by frame, the dialog would move under the pointer.
        .min_scrolled_height(420.0)
        .max_height(420.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.columns(3, |cols| {
                for (i, col) in cols.iter_mut().enumerate() {
                    col.label(RichText::new(&view.labels[i]).strong());
                    if i == 0 {
                        for line in view.texts[0].lines() {
                            col.label(RichText::new(line).monospace());
                        }
                        continue;
                    }
                    let bg = colors::added_bg(col.visuals());
                    for line in diff_lines(&view.texts[0], &view.texts[i]) {
                        match line.tag {
                            LineTag::Equal => {
                                col.label(RichText::new(line.text.trim_end()).monospace());
                            }
                            LineTag::Inserted => {
                                col.label(
                                    RichText::new(line.text.trim_end())
                                        .monospace()
                                        .background_color(bg),
                                );
                            }
                            LineTag::Removed => {}
                        }
                    }
                }
            });
        });
}

fn conflict_ui(ui: &mut egui::Ui, c: &Conflict, out: &mut Vec<Command>) {
    ui.label(RichText::new(&c.pointer).monospace().strong());
    ui.horizontal_wrapped(|ui| {
        for pick in Pick::ALL {
            let text = format!("{}: {}", pick.label(), short(c.side(pick)));
            if ui
                .radio(c.pick == pick, text)
                .on_hover_text(format!("Take {} value at {}", pick.label(), c.pointer))
                .clicked()
            {
                send(out, MergeCommand::Pick(c.pointer.clone(), pick));
            }
        }
    });
}

fn merge_mode_ui(ui: &mut egui::Ui, view: &MergeView, out: &mut Vec<Command>) {
    let merged = match &view.merged {
        Ok(m) => m,
        Err(e) => {
            ui.colored_label(colors::error(ui.visuals()), e);
            ui.horizontal(|ui| back_ui(ui, view, out));
            return;
        }
    };
    if merged.conflicts.is_empty() {
        ui.label(
            RichText::new("No conflicts: both sides' changes are in the result below.")
                .color(colors::ok(ui.visuals())),
        );
    } else {
        ui.label(format!(
            "{} conflict(s): both sides changed these values. Pick one side for each (mine is taken until you pick).",
            merged.conflicts.len()
        ));
        egui::ScrollArea::vertical()
            .id_salt("merge_conflicts")
            .min_scrolled_height(200.0)
            .max_height(200.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for c in &merged.conflicts {
                    conflict_ui(ui, c, out);
                    ui.add_space(4.0);
                }
            });
    }
    ui.separator();
    ui.label(RichText::new("Result").strong());
    egui::ScrollArea::vertical()
        .id_salt("merge_result")
        .min_scrolled_height(300.0)
        .max_height(300.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.label(RichText::new(view.merged_text.as_str()).monospace());
        });
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        match view.origin {
            MergeOrigin::Save { theirs, .. } => {
                if ui
                    .button(RichText::new("Save merged").strong())
                    .on_hover_text(format!(
                        "Saves the result as a new revision on top of revision {theirs}"
                    ))
                    .clicked()
                {
                    send(out, MergeCommand::SaveMerged);
                }
                if ui
                    .button("Edit merged")
                    .on_hover_text(
                        "Puts the result in the editor, unsaved; your draft stays one undo away",
                    )
                    .clicked()
                {
                    send(out, MergeCommand::EditMerged);
                }
            }
            MergeOrigin::Server { .. } => {
                if ui
                    .button(RichText::new("Save merged and push").strong())
                    .clicked()
                {
                    send(out, MergeCommand::SaveMerged);
                }
            }
        }
        back_ui(ui, view, out);
    });
}
