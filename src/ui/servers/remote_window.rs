//! The Server schemas window: the server's list beside the local one, import, and the state
//! changes (deactivate / reactivate / delete) with their confirmations.

use super::*;

pub(super) fn confirm_modals_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
    if let Some(name) = &sync.confirm_remove {
        egui::Modal::new(Id::unique("remove_server_modal")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new("Remove server").heading());
            ui.label(format!(
                "Remove \"{name}\", its bindings and its queued pushes from this store, and its token from the keyring? Nothing changes on the server."
            ));
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("Remove").color(colors::error(ui.visuals())))
                    .accessible_name("Confirm remove server")
                    .clicked()
                {
                    send(out, SyncCommand::Remove(name.clone()));
                }
                if ui.button("Cancel").accessible_name("Cancel remove").clicked() {
                    send(out, SyncCommand::CancelRemove);
                }
            });
        });
    }
    if let Some(c) = &sync.confirm_state {
        egui::Modal::new(Id::unique("state_change_modal")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            let (title, what) = match c.action {
                StateAction::Deactivate => (
                    "Deactivate on the server",
                    "No new users can be created with it until it is reactivated.",
                ),
                StateAction::Reactivate => (
                    "Reactivate on the server",
                    "Users can be created with it again.",
                ),
                StateAction::Delete => (
                    "Delete on the server",
                    "The server's copy is removed for good; the local schema and its revisions stay.",
                ),
            };
            ui.label(RichText::new(title).heading());
            ui.label(format!(
                "{} \"{}\" on {}? {what}",
                c.action.verb(),
                c.type_name,
                c.server
            ));
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(title).color(colors::error(ui.visuals())))
                    .accessible_name("Confirm state change")
                    .clicked()
                {
                    send(out, SyncCommand::ConfirmState);
                }
                if ui.button("Cancel").accessible_name("Cancel state change").clicked() {
                    send(out, SyncCommand::CancelState);
                }
            });
        });
    }
}

fn status_color(ui: &egui::Ui, status: SyncStatus) -> egui::Color32 {
    match status {
        SyncStatus::InSync => colors::ok(ui.visuals()),
        SyncStatus::Diverged | SyncStatus::Gone => colors::error(ui.visuals()),
        SyncStatus::LocalAhead | SyncStatus::RemoteAhead | SyncStatus::SameType { .. } => {
            colors::warn(ui.visuals())
        }
        SyncStatus::RemoteOnly | SyncStatus::LocalOnly => ui.visuals().text_color(),
    }
}

pub(super) fn remote_window_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let sync = &state.sync;
    let Some(view) = &sync.remote else {
        return;
    };
    let mut open = true;
    egui::Window::new("Server schemas")
        .id(Id::unique("remote_window"))
        .default_pos(egui::pos2(300.0, 80.0))
        .open(&mut open)
        .default_width(760.0)
        .resizable(true)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Server");
                for row in &sync.servers {
                    let name = &row.server.name;
                    if ui
                        .selectable_label(view.server.as_deref() == Some(name), name)
                        .accessible_name(format!("List schemas on {name}"))
                        .clicked()
                    {
                        send(out, SyncCommand::OpenRemote(Some(name.clone())));
                    }
                }
                if view.server.is_some()
                    && ui
                        .add_enabled(sync.job.is_none(), egui::Button::new("Refresh"))
                        .clicked()
                {
                    send(out, SyncCommand::OpenRemote(view.server.clone()));
                }
            });
            job_ui(ui, sync, out);
            if let Some(e) = &view.error {
                ui.colored_label(colors::error(ui.visuals()), e);
            }
            message_ui(ui, sync);
            ui.separator();
            let Some(server) = view.server.clone() else {
                ui.label("Add a server first (Servers…).");
                return;
            };
            if !view.loading && view.rows.is_empty() && view.error.is_none() {
                ui.label(RichText::new("No schemas on the server or here.").weak());
            }
            let idle = sync.job.is_none();
            egui::ScrollArea::vertical()
                .id_salt("remote_rows")
                .max_height(420.0)
                .show(ui, |ui| {
                    egui::Grid::new("remote_grid")
                        .striped(true)
                        .num_columns(6)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            for h in ["Type", "On the server", "Local", "Status", "", ""] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for row in &view.rows {
                                let type_name = row.type_name().to_string();
                                ui.label(&type_name);
                                match &row.remote {
                                    Some(r) => ui.label(format!(
                                        "{}, {}, r{}",
                                        r.id,
                                        r.state.as_str().to_lowercase(),
                                        r.revision.map_or("?".into(), |n| n.to_string())
                                    )),
                                    None => ui.label(RichText::new("-").weak()),
                                };
                                match &row.local {
                                    Some(l) => ui.label(format!("r{}", l.latest_revision)),
                                    None => ui.label(RichText::new("-").weak()),
                                };
                                ui.label(
                                    RichText::new(row.status.label())
                                        .color(status_color(ui, row.status)),
                                );
                                ui.add_enabled_ui(idle, |ui| {
                                    if let Some(r) = &row.remote
                                        && ui
                                            .small_button("Import")
                                            .on_hover_text(
                                                "Take the server's copy as a local revision and bind it",
                                            )
                                            .accessible_name(format!("Import {type_name}"))
                                            .clicked()
                                    {
                                        send(out, SyncCommand::Import(r.id.clone()));
                                    }
                                });
                                ui.add_enabled_ui(idle, |ui| {
                                    ui.horizontal(|ui| {
                                        let (Some(local), Some(remote), Some(_)) =
                                            (&row.local, &row.remote, &row.binding)
                                        else {
                                            return;
                                        };
                                        let mut ask = |action: StateAction| {
                                            send(
                                                out,
                                                SyncCommand::AskState {
                                                    server: server.clone(),
                                                    schema: local.id,
                                                    type_name: type_name.clone(),
                                                    action,
                                                },
                                            );
                                        };
                                        let active =
                                            remote.state != crate::sync::RemoteState::Inactive;
                                        if active {
                                            if ui
                                                .small_button("Deactivate…")
                                                .accessible_name(format!(
                                                    "Deactivate {type_name}"
                                                ))
                                                .clicked()
                                            {
                                                ask(StateAction::Deactivate);
                                            }
                                        } else if ui
                                            .small_button("Reactivate…")
                                            .accessible_name(format!("Reactivate {type_name}"))
                                            .clicked()
                                        {
                                            ask(StateAction::Reactivate);
                                        }
                                        if ui
                                            .small_button(
                                                RichText::new("Delete…")
                                                    .color(colors::error(ui.visuals())),
                                            )
                                            .accessible_name(format!(
                                                "Delete {type_name} on the server"
                                            ))
                                            .clicked()
                                        {
                                            ask(StateAction::Delete);
                                        }
                                    });
                                });
                                ui.end_row();
                            }
                        });
                });
        });
    if !open {
        send(out, SyncCommand::CloseRemote);
    }
}
