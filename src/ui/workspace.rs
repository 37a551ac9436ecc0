//! "Open workspace…" and the workspace window: its schema files with their validity, each to
//! open in the editor or to compare with git's HEAD, and how the workspace gets registered
//! (`zitadel plan` / `zitadel apply`). The work is `app::workspace`'s.

use egui::RichText;

use super::colors;
use crate::app::workspace::WorkspaceCommand;
use crate::app::{AppState, Command};
use crate::schema::compat::Class;

fn send(out: &mut Vec<Command>, c: WorkspaceCommand) {
    out.push(Command::Workspace(c));
}

/// Under the schema list's filters: "Open workspace…", and the open one's window again.
pub fn open_button_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Open workspace…")
            .on_hover_text(
                "A ZITADEL nextgen workspace: the folder with zitadel.json and .zitadel/schemas/",
            )
            .clicked()
        {
            send(out, WorkspaceCommand::OpenDialog);
        }
        if state.workspace.root.is_some()
            && !state.workspace.window
            && ui.button("Workspace files").clicked()
        {
            send(out, WorkspaceCommand::Show);
        }
    });
}

pub fn window_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    let ws = &mut state.workspace;
    if !ws.window {
        return;
    }
    let mut open = true;
    egui::Window::new("ZITADEL workspace")
        .id(egui::Id::unique("workspace_window"))
        .open(&mut open)
        .default_width(600.0)
        .show(ctx, |ui| {
            if ws.is_working() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Working…");
                });
            }
            let Some(root) = &ws.root else {
                if let Some((false, text)) = &ws.message {
                    ui.colored_label(colors::error(ui.visuals()), text);
                }
                if ui.button("Close").clicked() {
                    send(out, WorkspaceCommand::Hide);
                }
                return;
            };
            ui.label(RichText::new(root.display().to_string()).monospace());
            ui.label(super::theme::text::note(format!("Checked against {}", ws.meta)));
            ui.separator();
            if ws.files.is_empty() {
                ui.label("No schema files in .zitadel/schemas/.");
            }
            egui::Grid::new("workspace_files")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for f in &ws.files {
                        ui.label(RichText::new(&f.name).strong());
                        ui.monospace(&f.rel);
                        if f.problems.is_empty() {
                            ui.colored_label(colors::ok(ui.visuals()), "valid");
                        } else {
                            ui.colored_label(
                                colors::error(ui.visuals()),
                                format!("{} problem(s)", f.problems.len()),
                            )
                            .on_hover_text(f.problems.join("\n"));
                        }
                        ui.horizontal(|ui| {
                            if ui
                                .button("Open")
                                .accessible_name(format!("Open {}", f.name))
                                .clicked()
                            {
                                send(out, WorkspaceCommand::OpenFile(f.rel.clone()));
                            }
                            if ui
                                .button("Compare")
                                .on_hover_text("The working copy against the git revision below")
                                .accessible_name(format!("Compare {}", f.name))
                                .clicked()
                            {
                                send(
                                    out,
                                    WorkspaceCommand::Compat {
                                        rel: f.rel.clone(),
                                        rev: ws.git_rev.clone(),
                                    },
                                );
                            }
                        });
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                let l = ui.label("Compare with git revision");
                ui.add(
                    egui::TextEdit::singleline(&mut ws.git_rev)
                        .hint_text("HEAD")
                        .desired_width(160.0),
                )
                .labelled_by(l.id);
            });
            if let Some((ok, text)) = &ws.message {
                let color = if *ok {
                    colors::ok(ui.visuals())
                } else {
                    colors::error(ui.visuals())
                };
                ui.colored_label(color, text);
            }
            if !ws.exported.is_empty() {
                egui::Grid::new("workspace_exported")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for r in &ws.exported {
                            ui.label(RichText::new(&r.type_name).strong());
                            let color = if r.ok {
                                colors::ok(ui.visuals())
                            } else {
                                colors::warn(ui.visuals())
                            };
                            ui.colored_label(color, &r.text);
                            ui.end_row();
                        }
                    });
            }
            if let Some(c) = &ws.compat {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "{}: the working copy against {} (against HEAD: what `zitadel apply` would register): {}",
                        c.rel,
                        c.rev,
                        if c.lines.is_empty() {
                            "no changes".to_string()
                        } else {
                            c.worst.label().to_string()
                        }
                    ))
                    .strong(),
                );
                egui::Grid::new("workspace_compat")
                    .num_columns(3)
                    .show(ui, |ui| {
                        for (class, pointer, message) in &c.lines {
                            let color = match class {
                                Class::Breaking => colors::error(ui.visuals()),
                                Class::CannotTell => colors::warn(ui.visuals()),
                                Class::Compatible => colors::ok(ui.visuals()),
                            };
                            ui.colored_label(color, class.label());
                            ui.monospace(pointer);
                            ui.label(message);
                            ui.end_row();
                        }
                    });
            }
            ui.separator();
            ui.label(
                "Opening a file keeps it as a local schema; each save also writes the file back \
                 with only the change. schemadesk does not register a workspace: ZITADEL's CLI does.",
            );
            ui.label(
                RichText::new(format!(
                    "cd {}\nzitadel plan     # shows which files become new revisions\nzitadel apply    # registers every changed file as a new revision",
                    root.display()
                ))
                .monospace(),
            );
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ws.is_idle(), egui::Button::new("Export all from the store"))
                    .on_hover_text(
                        "Writes every nextgen schema's latest revision into its file here \
                         (only the change; a new file for a new objectType), as \
                         `schemadesk export --all --workspace DIR` does",
                    )
                    .clicked()
                {
                    send(out, WorkspaceCommand::ExportAll);
                }
                if ui.button("Reload").clicked() {
                    send(out, WorkspaceCommand::Open(root.clone()));
                }
                if ui.button("Close").clicked() {
                    send(out, WorkspaceCommand::Hide);
                }
            });
        });
    if !open {
        send(out, WorkspaceCommand::Hide);
    }
}
