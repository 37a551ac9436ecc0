//! The Servers window: add, remove, token, probe.

use super::*;

pub(super) fn servers_window_ui(ctx: &egui::Context, sync: &mut SyncState, out: &mut Vec<Command>) {
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
                                .desired_width(crate::ui::theme::input_width(ui, 320.0)),
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
                            .desired_width(crate::ui::theme::input_width(ui, 320.0)),
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
                            .desired_width(crate::ui::theme::input_width(ui, 320.0)),
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
