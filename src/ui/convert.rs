//! The window converting the open schema to the other target: what did not map, field by
//! field; whether the result is valid for its target; and where it goes (a new schema, or a
//! new revision of a schema of that target). The work is `app::convert`'s.

use egui::RichText;

use super::colors;
use crate::app::convert::{ConvertCommand, Destination, wants_providers};
use crate::app::{AppState, Command};
use crate::nextgen::Target;

fn send(out: &mut Vec<Command>, c: ConvertCommand) {
    out.push(Command::Convert(c));
}

/// The button beside the editor's target: "Convert to ZITADEL nextgen…" (or back).
pub fn convert_button_ui(ui: &mut egui::Ui, target: Target, out: &mut Vec<Command>) {
    let to = crate::app::convert::other(target);
    if ui
        .button(format!("Convert to {}…", to.label()))
        .on_hover_text("A copy for the other ZITADEL, with a report of what did not map")
        .clicked()
    {
        send(out, ConvertCommand::Open);
    }
}

pub fn window_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    let choices = state
        .convert
        .view
        .as_ref()
        .map(|v| state.schemas_of(v.to))
        .unwrap_or_default();
    let Some(view) = &mut state.convert.view else {
        return;
    };
    let title = format!(
        "Convert \"{}\" to {}",
        view.source.draft.type_name,
        view.to.label()
    );
    let mut open = true;
    egui::Window::new(title)
        .id(egui::Id::unique("convert_window"))
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(format!(
                "From revision {} ({}).",
                view.source.number,
                view.source.from.label()
            ));
            if view.unsaved {
                ui.colored_label(
                    colors::warn(ui.visuals()),
                    "The draft has unsaved changes: the last saved revision is converted.",
                );
            }
            if wants_providers(&view.source) {
                ui.horizontal(|ui| {
                    let l = ui.label("SSO providers");
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut view.providers)
                                .hint_text("google, okta")
                                .desired_width(240.0),
                        )
                        .labelled_by(l.id);
                    if r.changed() {
                        send(out, ConvertCommand::SetProviders(view.providers.clone()));
                    }
                });
            }
            ui.separator();
            match &view.converted {
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Converting…");
                    });
                }
                Some(c) => {
                    if c.report.is_empty() {
                        ui.label("Every field mapped one to one.");
                    } else {
                        ui.label(
                            RichText::new(format!(
                                "{} thing(s) did not map one to one:",
                                c.report.len()
                            ))
                            .strong(),
                        );
                        egui::ScrollArea::vertical()
                            .id_salt("convert_report")
                            .max_height(220.0)
                            .show(ui, |ui| {
                                egui::Grid::new("convert_report_grid")
                                    .num_columns(2)
                                    .striped(true)
                                    .show(ui, |ui| {
                                        for u in &c.report {
                                            let at = if u.pointer.is_empty() {
                                                "/"
                                            } else {
                                                &u.pointer
                                            };
                                            ui.monospace(at);
                                            ui.label(&u.message);
                                            ui.end_row();
                                        }
                                    });
                            });
                    }
                    if c.problems.is_empty() {
                        ui.colored_label(
                            colors::ok(ui.visuals()),
                            format!("The result is valid for {}.", view.to.label()),
                        );
                    } else {
                        ui.colored_label(
                            colors::error(ui.visuals()),
                            format!(
                                "The result is not valid for {}; it cannot be saved:",
                                view.to.label()
                            ),
                        );
                        for d in &c.problems {
                            ui.label(format!("{}:{}  {}", d.line, d.column, d.message));
                        }
                    }
                    egui::CollapsingHeader::new("The result")
                        .id_salt("convert_result")
                        .show(ui, |ui| {
                            egui::ScrollArea::vertical()
                                .id_salt("convert_result_text")
                                .max_height(200.0)
                                .show(ui, |ui| ui.monospace(&c.text));
                        });
                }
            }
            ui.separator();
            let is_new = matches!(view.destination, Destination::New(_));
            if ui.radio(is_new, "As a new schema").clicked() && !is_new {
                send(
                    out,
                    ConvertCommand::SetDestination(Destination::New(format!(
                        "{}_{}",
                        view.source.draft.type_name,
                        view.to.as_str()
                    ))),
                );
            }
            if let Destination::New(name) = &mut view.destination {
                ui.horizontal(|ui| {
                    ui.add_space(20.0);
                    let l = ui.label("Type of the converted schema");
                    if ui
                        .add(egui::TextEdit::singleline(name).desired_width(200.0))
                        .labelled_by(l.id)
                        .changed()
                    {
                        send(
                            out,
                            ConvertCommand::SetDestination(Destination::New(name.clone())),
                        );
                    }
                });
            }
            let revision_label = format!("As a new revision of a {} schema", view.to.label());
            let response = ui.add_enabled(
                !choices.is_empty(),
                egui::RadioButton::new(!is_new, revision_label),
            );
            if response.clicked()
                && is_new
                && let Some((id, _)) = choices.first()
            {
                send(
                    out,
                    ConvertCommand::SetDestination(Destination::Revision(*id)),
                );
            }
            if let Destination::Revision(current) = view.destination {
                ui.horizontal(|ui| {
                    ui.add_space(20.0);
                    let name = choices
                        .iter()
                        .find(|(id, _)| *id == current)
                        .map(|(_, t)| t.as_str())
                        .unwrap_or("choose");
                    egui::ComboBox::from_label("Schema to add the revision to")
                        .selected_text(name)
                        .show_ui(ui, |ui| {
                            for (id, t) in &choices {
                                if ui.selectable_label(*id == current, t).clicked() {
                                    send(
                                        out,
                                        ConvertCommand::SetDestination(Destination::Revision(*id)),
                                    );
                                }
                            }
                        });
                });
            }
            if let Some(e) = &view.error {
                ui.colored_label(colors::error(ui.visuals()), e);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let ready = view
                    .converted
                    .as_ref()
                    .is_some_and(|c| c.problems.is_empty())
                    && !view.is_working();
                if ui
                    .add_enabled(ready, egui::Button::new("Convert and save"))
                    .clicked()
                {
                    send(out, ConvertCommand::Confirm);
                }
                if ui.button("Cancel").clicked() {
                    send(out, ConvertCommand::Close);
                }
                if view.is_working() {
                    ui.spinner();
                }
            });
        });
    if !open {
        send(out, ConvertCommand::Close);
    }
}
