//! The push dialog: the server, the compatibility report, then the push.

use super::*;

pub(super) fn push_window_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
    let Some(push) = &sync.push else {
        return;
    };
    let mut open = true;
    egui::Window::new("Push schema")
        .id(Id::unique("push_window"))
        .default_pos(egui::pos2(340.0, 90.0))
        .open(&mut open)
        .default_width(620.0)
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(format!(
                    "Push \"{}\"{}",
                    push.type_name,
                    push.revision
                        .map(|r| format!(" revision {r}"))
                        .unwrap_or_default()
                ))
                .heading(),
            );
            if push.unsaved {
                ui.colored_label(
                    colors::warn(ui.visuals()),
                    "The open draft has unsaved changes: the last saved revision is pushed.",
                );
            }
            let busy = matches!(push.phase, PushPhase::Pushing | PushPhase::Preparing);
            ui.horizontal(|ui| {
                ui.label("Server");
                if sync.servers.is_empty() {
                    ui.label(RichText::new("no servers: add one in Servers…").weak());
                }
                ui.add_enabled_ui(!busy, |ui| {
                    for row in &sync.servers {
                        let name = &row.server.name;
                        if ui
                            .selectable_label(push.server.as_deref() == Some(name), name)
                            .accessible_name(format!("Push to {name}"))
                            .clicked()
                        {
                            send(out, SyncCommand::ChoosePushServer(name.clone()));
                        }
                    }
                });
            });
            ui.separator();
            job_ui(ui, sync, out);
            if !push.base_note.is_empty() {
                ui.label(RichText::new(&push.base_note).weak());
            }
            if let Some(view) = &push.compat {
                egui::ScrollArea::vertical()
                    .id_salt("push_compat_scroll")
                    .max_height(260.0)
                    .show(ui, |ui| compat_report_ui(ui, view));
            }
            match &push.phase {
                PushPhase::ChooseServer => {
                    ui.label("Choose the server to push to.");
                }
                PushPhase::Preparing => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Comparing with the server's copy…");
                    });
                }
                PushPhase::Review => {
                    ui.add_space(6.0);
                    let breaking = push.compat.as_ref().is_some_and(|c| c.report.is_breaking());
                    let label = if breaking {
                        RichText::new("Push anyway").color(colors::error(ui.visuals()))
                    } else {
                        RichText::new("Push now").strong()
                    };
                    ui.horizontal(|ui| {
                        if ui
                            .button(label)
                            .accessible_name("Push now")
                            .on_hover_text("Create or update the schema on the server")
                            .clicked()
                        {
                            send(out, SyncCommand::ConfirmPush);
                        }
                        if ui.button("Close").accessible_name("Close push").clicked() {
                            send(out, SyncCommand::ClosePush);
                        }
                    });
                }
                PushPhase::Pushing => {
                    if sync.job.is_none() {
                        ui.spinner();
                    }
                }
                PushPhase::Done(o) => {
                    let verb = match o.kind {
                        crate::service::PushKind::Created => "Created on the server",
                        crate::service::PushKind::Updated => "Updated on the server",
                        crate::service::PushKind::AlreadyThere => {
                            "The server already held this content"
                        }
                    };
                    ui.colored_label(colors::ok(ui.visuals()), RichText::new(verb).strong());
                    egui::Grid::new("push_result")
                        .num_columns(2)
                        .show(ui, |ui| {
                            ui.label("Remote id");
                            ui.label(RichText::new(&o.remote_id).monospace());
                            ui.end_row();
                            ui.label("Local revision");
                            ui.label(o.local_revision.to_string());
                            ui.end_row();
                            ui.label("Server revision");
                            ui.label(o.remote_revision.map_or("-".into(), |r| r.to_string()));
                            ui.end_row();
                            ui.label("Changed at");
                            ui.label(o.change_date.clone().unwrap_or_else(|| "-".into()));
                            ui.end_row();
                        });
                    for note in &o.notes {
                        ui.label(RichText::new(note).weak());
                    }
                    if ui.button("Close").accessible_name("Close push").clicked() {
                        send(out, SyncCommand::ClosePush);
                    }
                }
                PushPhase::Failed(text) => {
                    ui.add(
                        egui::Label::new(RichText::new(text).color(colors::error(ui.visuals())))
                            .wrap(),
                    );
                    ui.horizontal(|ui| {
                        if let Some(server) = &push.server
                            && ui.button("Try again").clicked()
                        {
                            send(out, SyncCommand::ChoosePushServer(server.clone()));
                        }
                        if ui.button("Close").accessible_name("Close push").clicked() {
                            send(out, SyncCommand::ClosePush);
                        }
                    });
                }
            }
        });
    if !open {
        send(out, SyncCommand::ClosePush);
    }
}
