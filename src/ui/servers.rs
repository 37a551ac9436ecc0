//! Server sync windows: Servers (add, remove, token, probe), the push dialog with its
//! compatibility report, the conflict dialog (keep mine / take theirs), and Server schemas
//! (the server's list beside the local one, import, deactivate / reactivate / delete).
//! Also the compat report widget the history view shows under a diff.

use egui::{Id, RichText, TextStyle};

use super::colors;
use crate::app::sync::{
    BadgeKind, CompatView, GenerationChoice, PushPhase, SyncCommand, SyncState,
};
use crate::app::{AppState, Command};
use crate::schema::compat::Class;
use crate::schema::diff::DiffLine;
use crate::service::SyncStatus;
use crate::store::SchemaId;
use crate::sync::StateAction;

fn send(out: &mut Vec<Command>, c: SyncCommand) {
    out.push(Command::Sync(c));
}

/// Every sync window and dialog that is open.
pub fn sync_windows_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    servers_window_ui(ctx, &mut state.sync, out);
    push_window_ui(ctx, &state.sync, out);
    remote_window_ui(ctx, state, out);
    // The merge dialog (opened from the conflict) takes the conflict's place while it is open.
    if state.merge.is_none() {
        conflict_modal_ui(ctx, &state.sync, out);
    }
    confirm_modals_ui(ctx, &state.sync, out);
}

/// The sync windows' last message, coloured.
fn message_ui(ui: &mut egui::Ui, sync: &SyncState) {
    if let Some((ok, text)) = &sync.message {
        let color = if *ok {
            colors::ok(ui.visuals())
        } else {
            colors::error(ui.visuals())
        };
        ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
    }
}

/// The running job: a spinner, its progress and a Cancel button.
fn job_ui(ui: &mut egui::Ui, sync: &SyncState, out: &mut Vec<Command>) {
    let Some(job) = &sync.job else {
        return;
    };
    ui.horizontal(|ui| {
        // The button comes first so that it does not move as the progress text changes.
        if ui
            .button("Cancel")
            .on_hover_text("Stop the server call; nothing local changes")
            .accessible_name("Cancel server job")
            .clicked()
        {
            send(out, SyncCommand::Cancel);
        }
        ui.add(egui::Spinner::new().size(14.0));
        ui.label(&job.title);
        if !job.progress.is_empty() {
            ui.label(RichText::new(&job.progress).weak());
        }
    });
}

/// Drops a text field's undo history (it holds copies of what was typed).
fn forget_field_history(ctx: &egui::Context, id: Id) {
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        state.clear_undoer();
        state.store(ctx, id);
    }
}

fn servers_window_ui(ctx: &egui::Context, sync: &mut SyncState, out: &mut Vec<Command>) {
    if !sync.servers_open {
        return;
    }
    let mut open = true;
    egui::Window::new("Servers")
        .default_pos(egui::pos2(280.0, 70.0))
        .open(&mut open)
        .default_width(640.0)
        .resizable(true)
        .show(ctx, |ui| {
            job_ui(ui, sync, out);
            if !sync.servers_loaded {
                ui.spinner();
            } else if sync.servers.is_empty() {
                ui.label(RichText::new("No servers yet. Add one below.").weak());
            }
            egui::Grid::new("servers_grid")
                .striped(true)
                .num_columns(5)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    if !sync.servers.is_empty() {
                        ui.label(RichText::new("Name").strong());
                        ui.label(RichText::new("URL").strong());
                        ui.label(RichText::new("API").strong());
                        ui.label(RichText::new("Token").strong());
                        ui.label("");
                        ui.end_row();
                    }
                    for row in &sync.servers {
                        let name = row.server.name.clone();
                        ui.label(&name);
                        ui.label(RichText::new(&row.server.base_url).monospace());
                        ui.label(row.generation_label());
                        let token = RichText::new(row.token.label());
                        ui.label(if row.token.is_missing() {
                            token.color(colors::warn(ui.visuals()))
                        } else {
                            token
                        });
                        ui.horizontal(|ui| {
                            if ui
                                .small_button("Set token…")
                                .accessible_name(format!("Set token of {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::EditToken(name.clone()));
                            }
                            if ui
                                .small_button("Forget token")
                                .on_hover_text("Remove this server's token from the keyring")
                                .accessible_name(format!("Forget token of {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::ForgetToken(name.clone()));
                            }
                            if ui
                                .small_button("Probe")
                                .on_hover_text("Ask the server which API generation it speaks")
                                .accessible_name(format!("Probe {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::Probe(name.clone()));
                            }
                            if ui
                                .small_button("Schemas…")
                                .on_hover_text("The server's schemas beside the local ones")
                                .accessible_name(format!("Schemas on {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::OpenRemote(Some(name.clone())));
                            }
                            if ui
                                .small_button("Retry queued")
                                .on_hover_text("Send the pushes that waited for the network")
                                .accessible_name(format!("Retry queued pushes to {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::RetryQueued(name.clone()));
                            }
                            if ui
                                .small_button(
                                    RichText::new("Remove…").color(colors::error(ui.visuals())),
                                )
                                .accessible_name(format!("Remove server {name}"))
                                .clicked()
                            {
                                send(out, SyncCommand::AskRemove(name.clone()));
                            }
                        });
                        ui.end_row();
                    }
                });
            if let Some(name) = sync.token_for.clone() {
                ui.separator();
                ui.label(format!(
                    "Token for \"{name}\": stored in the OS keyring, never shown again"
                ));
                ui.horizontal(|ui| {
                    let label = ui.label("New token");
                    let field = Id::unique("token_input");
                    let edit = ui
                        .add(
                            egui::TextEdit::singleline(&mut sync.token_input.0)
                                .id(field)
                                .password(true)
                                .desired_width(super::theme::input_width(ui, 320.0)),
                        )
                        .labelled_by(label.id);
                    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let ready = !sync.token_input.0.trim().is_empty();
                    if (ui
                        .add_enabled(ready, egui::Button::new("Save token"))
                        .clicked()
                        || enter)
                        && ready
                    {
                        forget_field_history(ui.ctx(), field);
                        send(out, SyncCommand::SaveToken);
                    }
                    if ui
                        .button("Cancel")
                        .accessible_name("Cancel token")
                        .clicked()
                    {
                        forget_field_history(ui.ctx(), field);
                        send(out, SyncCommand::CancelToken);
                    }
                });
            }
            ui.separator();
            ui.label(RichText::new("Add a server").strong());
            let url_problem = sync.add.url_problem();
            let name_problem = sync.add.name_problem(&sync.servers);
            egui::Grid::new("add_server_grid")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label("Server name");
                    ui.add(
                        egui::TextEdit::singleline(&mut sync.add.name)
                            .hint_text("prod")
                            .desired_width(super::theme::input_width(ui, 320.0)),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    if let Some(p) = &name_problem {
                        ui.colored_label(colors::error(ui.visuals()), p);
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                    let label = ui.label("Server URL");
                    ui.add(
                        egui::TextEdit::singleline(&mut sync.add.url)
                            .hint_text("https://my-instance.zitadel.cloud")
                            .desired_width(super::theme::input_width(ui, 320.0)),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    match &url_problem {
                        Some(p) => {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(p).color(colors::error(ui.visuals())),
                                )
                                .wrap(),
                            );
                        }
                        None if !sync.add.url.trim().is_empty() => {
                            ui.colored_label(colors::ok(ui.visuals()), "URL looks fine");
                        }
                        None => {
                            ui.label("");
                        }
                    }
                    ui.end_row();
                    ui.label("API generation");
                    ui.horizontal(|ui| {
                        let g = &mut sync.add.generation;
                        ui.radio_value(g, GenerationChoice::Probe, "Probe");
                        ui.radio_value(g, GenerationChoice::V1, "Generation 1");
                        ui.radio_value(g, GenerationChoice::V2, "Generation 2");
                    });
                    ui.end_row();
                });
            let ready = sync.add.is_ready(&sync.servers);
            if ui
                .add_enabled(ready, egui::Button::new("Add server"))
                .on_disabled_hover_text("Give the server a name and a valid URL")
                .clicked()
            {
                send(out, SyncCommand::AddServer);
            }
            ui.label(
                RichText::new(
                    "The token comes from ZITADEL_TOKEN when set, else from the OS keyring. \
                     It is never written to the store, a log or an export.",
                )
                .weak()
                .small(),
            );
            message_ui(ui, sync);
        });
    if !open {
        send(out, SyncCommand::CloseServers);
    }
}

/// The compatibility report: verdict, classified changes and sample results.
pub fn compat_report_ui(ui: &mut egui::Ui, view: &CompatView) {
    let report = &view.report;
    let visuals = ui.visuals().clone();
    let class_color = |class: Class| match class {
        Class::Breaking => colors::error(&visuals),
        Class::CannotTell => colors::warn(&visuals),
        Class::Compatible => visuals.text_color(),
    };
    let worst = report.worst();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("Compatibility: {}", worst.label()))
                .strong()
                .color(class_color(worst)),
        );
        ui.label(
            RichText::new(format!(
                "{} breaking, {} cannot tell, {} compatible ({} to {})",
                report.count(Class::Breaking),
                report.count(Class::CannotTell),
                report.count(Class::Compatible),
                view.old_label,
                view.new_label
            ))
            .weak(),
        );
    });
    if report.changes.is_empty() {
        ui.label(RichText::new("No changes to the schema or the authenticators.").weak());
    }
    for change in &report.changes {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(change.class.label())
                    .monospace()
                    .color(class_color(change.class)),
            );
            ui.label(RichText::new(change.pointer_display()).monospace().weak());
            ui.label(RichText::new(&change.message).color(class_color(change.class)));
        });
        // The example user a breaking change would reject (issue 18).
        if let Some(example) = change.example_sentence() {
            ui.label(RichText::new(example).weak().italics());
        }
    }
    if !view.samples.is_empty() {
        let failing = view.samples.iter().filter(|s| !s.passes()).count();
        ui.label(
            RichText::new(format!(
                "Saved samples: {} checked against {}, {failing} would fail",
                view.samples.len(),
                view.new_label
            ))
            .strong(),
        );
        for s in &view.samples {
            if s.passes() {
                ui.label(format!("{} passes", s.name));
            } else {
                let first = s
                    .diagnostics
                    .first()
                    .map(|d| d.message.clone())
                    .unwrap_or_default();
                let newly = if s.newly_fails() {
                    "newly fails"
                } else {
                    "failed before too"
                };
                ui.label(
                    RichText::new(format!("{} {newly}: {first}", s.name))
                        .color(colors::error(&visuals)),
                );
            }
        }
    }
}

/// The history view's report for the compared revisions, if it is ready.
pub fn history_compat_ui(ui: &mut egui::Ui, state: &AppState) {
    let Some(diff) = &state.diff else {
        return;
    };
    let Some(view) = &state.sync.compat else {
        return;
    };
    if view.schema != diff.schema || view.old != Some(diff.old) || view.new != Some(diff.new) {
        return;
    }
    egui::CollapsingHeader::new("Compatibility report")
        .id_salt("history_compat")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("history_compat_scroll")
                .max_height(180.0)
                .show(ui, |ui| compat_report_ui(ui, view));
        });
    ui.separator();
}

/// "prod (server r3), test (server r1)" for a revision, from the push records.
pub fn pushed_to_text(state: &AppState, number: u32) -> Option<String> {
    let pushes = state.sync.pushes.get(&number)?;
    let parts: Vec<String> = pushes
        .iter()
        .map(|p| match p.remote_revision {
            Some(r) => format!("{} (server r{r})", p.server),
            None => p.server.clone(),
        })
        .collect();
    Some(parts.join(", "))
}

/// The schema list's sync badges, e.g. "prod: active".
pub fn badge_text(state: &AppState, id: SchemaId) -> Option<RichText> {
    let badges = state.sync.badges.get(&id)?;
    let worst = badges.iter().map(|b| b.kind).max_by_key(|k| match k {
        BadgeKind::Queued => 5,
        BadgeKind::OutOfDate => 4,
        BadgeKind::Deleted => 3,
        BadgeKind::Inactive => 2,
        BadgeKind::Active => 1,
        BadgeKind::Pushed => 0,
    })?;
    let text = badges
        .iter()
        .map(|b| format!("{}: {}", b.server, b.kind.label()))
        .collect::<Vec<_>>()
        .join(" ");
    Some(
        RichText::new(format!("{text} "))
            .small()
            .color(match worst {
                BadgeKind::Queued | BadgeKind::OutOfDate | BadgeKind::Inactive => {
                    egui::Color32::from_rgb(0xd0, 0x90, 0x20)
                }
                BadgeKind::Deleted => egui::Color32::from_rgb(0xc0, 0x40, 0x40),
                BadgeKind::Active | BadgeKind::Pushed => egui::Color32::from_rgb(0x3a, 0x9a, 0x50),
            }),
    )
}

fn push_window_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
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

fn diff_line_ui(ui: &mut egui::Ui, line: &DiffLine, row_height: f32) {
    let width = ui.available_width().max(400.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, row_height), egui::Sense::hover());
    let sign = super::history::paint_diff_background(ui, rect, line.tag);
    let font = TextStyle::Monospace.resolve(ui.style());
    ui.painter().with_clip_rect(rect).text(
        rect.left_center() + egui::vec2(4.0, 0.0),
        egui::Align2::LEFT_CENTER,
        format!("{sign} {}", line.text),
        font,
        ui.visuals().text_color(),
    );
}

fn conflict_modal_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
    let Some(c) = &sync.conflict else {
        return;
    };
    egui::Modal::new(Id::unique("conflict_modal")).show(ctx, |ui| {
        ui.set_max_width(720.0);
        ui.label(RichText::new("The server's copy changed").heading());
        ui.add_space(4.0);
        ui.add(
            egui::Label::new(format!(
                "\"{}\" on {} (remote id {}) is at server revision {}, but was at {} when it was last pushed or pulled. Nothing was sent. Lines marked − are the server's, + are local revision {}.",
                c.type_name,
                c.server,
                c.remote_id,
                c.remote_revision.map_or("?".into(), |r| r.to_string()),
                c.known_remote_revision.map_or("?".into(), |r| r.to_string()),
                c.local_revision
            ))
            .wrap(),
        );
        ui.separator();
        let row_height = ui.text_style_height(&TextStyle::Monospace) + 2.0;
        egui::ScrollArea::both()
            .id_salt("conflict_diff")
            .max_height(360.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, c.lines.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for line in &c.lines[range] {
                    diff_line_ui(ui, line, row_height);
                }
            });
        ui.separator();
        job_ui(ui, sync, out);
        ui.add_enabled_ui(!c.running, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("Keep mine (overwrite server)").color(colors::error(ui.visuals())))
                    .accessible_name("Keep mine (overwrite server)")
                    .clicked()
                {
                    send(out, SyncCommand::KeepMine);
                }
                if ui
                    .button("Take theirs (new local revision)")
                    .clicked()
                {
                    send(out, SyncCommand::TakeTheirs);
                }
                if ui
                    .add_enabled(c.base.is_some(), egui::Button::new("Merge…"))
                    .on_hover_text("Merge the server's changes with yours field by field, then push")
                    .on_disabled_hover_text("No revision is known to have been on the server before both changes")
                    .clicked()
                {
                    send(out, SyncCommand::OpenMerge);
                }
                if ui
                    .button("Cancel")
                    .accessible_name("Cancel conflict")
                    .clicked()
                {
                    send(out, SyncCommand::CloseConflict);
                }
            });
        });
        message_ui(ui, sync);
    });
}

fn confirm_modals_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
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

fn remote_window_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
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
