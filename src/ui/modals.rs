//! Dialogs: unsaved changes, rename, delete, purge, and the problems of a refused import.

use egui::{Id, RichText};

use super::colors;
use crate::app::{AppState, Command, Modal, Pending, UnsavedAnswer};

fn title(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).heading());
    ui.add_space(6.0);
}

pub fn modals_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    let Some(modal) = &mut state.modal else {
        return;
    };
    let mut close = false;
    let response = match modal {
        Modal::Unsaved(pending) => {
            let pending = pending.clone();
            let name = state
                .editor
                .as_ref()
                .map(|e| e.parts.type_name.clone())
                .unwrap_or_default();
            egui::Modal::new(Id::unique("unsaved_modal")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                title(ui, "Unsaved changes");
                let what = match pending {
                    Pending::Select(_) => "before opening another schema",
                    Pending::New => "before creating a new schema",
                    Pending::Restore(_) => "before restoring a revision",
                    Pending::Close => "before closing",
                };
                ui.label(format!(
                    "\"{name}\" has changes that are not saved. Save them as a new revision {what}?"
                ));
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui.button(RichText::new("Save").strong()).clicked() {
                        out.push(Command::Unsaved(UnsavedAnswer::Save));
                    }
                    if ui.button("Discard").clicked() {
                        out.push(Command::Unsaved(UnsavedAnswer::Discard));
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Command::Unsaved(UnsavedAnswer::Cancel));
                    }
                });
            })
        }
        Modal::Rename { id, new_type } => {
            let id = *id;
            egui::Modal::new(Id::unique("rename_modal")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                title(ui, "Rename schema");
                let label = ui.label("New type");
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(new_type)
                            .desired_width(super::theme::input_width(ui, 360.0)),
                    )
                    .labelled_by(label.id);
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    out.push(Command::Rename {
                        id,
                        new_type: new_type.clone(),
                    });
                }
                if let Err(e) = crate::schema::TypeName::parse(new_type) {
                    ui.colored_label(colors::error(ui.visuals()), e.to_string());
                } else if state
                    .schemas
                    .iter()
                    .any(|s| s.id != id && s.type_name == new_type.trim())
                {
                    ui.colored_label(
                        colors::error(ui.visuals()),
                        format!(
                            "another schema already has the type \"{}\"",
                            new_type.trim()
                        ),
                    );
                }
                ui.label(
                    RichText::new("Renaming saves a new revision with the new type.")
                        .weak()
                        .small(),
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(RichText::new("Rename").strong()).clicked() {
                        out.push(Command::Rename {
                            id,
                            new_type: new_type.clone(),
                        });
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            })
        }
        Modal::Delete(id) => {
            let id = *id;
            let name = state.type_of(id);
            egui::Modal::new(Id::unique("delete_modal")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                title(ui, "Delete schema?");
                ui.label(format!(
                    "\"{name}\" will be marked deleted. Its revisions are kept until you purge it; \
                     until then you can undelete it (tick \"Show deleted\")."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new("Delete").color(colors::error(ui.visuals())))
                        .clicked()
                    {
                        out.push(Command::Delete(id));
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            })
        }
        Modal::Purge(id) => {
            let id = *id;
            let name = state.type_of(id);
            let revisions = state.summary(id).map_or(0, |s| s.latest_revision);
            egui::Modal::new(Id::unique("purge_modal")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                title(ui, "Purge schema?");
                ui.label(format!(
                    "This removes \"{name}\" and all its {revisions} revision(s) from the store for good. \
                     It cannot be undone."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new("Purge").color(colors::error(ui.visuals())))
                        .clicked()
                    {
                        out.push(Command::Purge(id));
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            })
        }
        Modal::ImportProblems { path, diagnostics } => {
            egui::Modal::new(Id::unique("import_problems_modal")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                title(ui, "Not imported");
                ui.label(format!(
                    "{} has {} problem(s); nothing was written.",
                    path.display(),
                    diagnostics.len()
                ));
                ui.add_space(6.0);
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        for d in diagnostics.iter() {
                            ui.label(
                                RichText::new(d.to_string())
                                    .monospace()
                                    .color(colors::error(ui.visuals())),
                            );
                        }
                    });
                ui.add_space(8.0);
                if ui.button("Close").clicked() {
                    close = true;
                }
            })
        }
    };
    if close || response.should_close() {
        if matches!(state.modal, Some(Modal::Unsaved(_))) {
            out.push(Command::Unsaved(UnsavedAnswer::Cancel));
        } else {
            out.push(Command::CloseModal);
        }
    }
}
