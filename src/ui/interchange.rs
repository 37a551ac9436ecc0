//! The interchange window: the report of a Keycloak or Ory conversion before anything is
//! saved, and the review sheet export's progress and outcome. The work behind it runs in the
//! background (`app/interchange.rs`); this only draws.

use egui::{Id, RichText};

use crate::app::Command;
use crate::app::interchange::{InterchangeCommand, Panel};
use crate::interchange::Outcome;
use crate::service::exchange::foreign::with_article;

/// The Export menu's entry for the review sheet.
pub fn export_button_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if ui
        .button("Export review sheet…")
        .on_hover_text(
            "A page for reviewers (.html, .md or .csv): every field with who may read and write it, compared with the previous revision",
        )
        .clicked()
    {
        out.push(Command::ExportReviewDialog);
    }
}

/// The report window, when a conversion or an export has something to show.
pub fn windows_ui(ctx: &egui::Context, panel: &Panel, out: &mut Vec<Command>) {
    let close = Command::Interchange(InterchangeCommand::Close);
    match panel {
        Panel::Closed => {}
        Panel::Working(text) => {
            egui::Modal::new(Id::unique("interchange_working")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(text);
                });
            });
        }
        Panel::Message { title, text, ok } => {
            egui::Modal::new(Id::unique("interchange_message")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.label(RichText::new(title).heading());
                ui.add_space(6.0);
                if *ok {
                    ui.label(text);
                } else {
                    ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
                }
                ui.add_space(8.0);
                if ui.button("Close").clicked() {
                    out.push(close);
                }
            });
        }
        Panel::Preview(p) => {
            egui::Modal::new(Id::unique("interchange_preview")).show(ctx, |ui| {
                ui.set_max_width(760.0);
                ui.label(RichText::new(format!("Import {}", with_article(&p.format))).heading());
                ui.add_space(4.0);
                ui.label(format!(
                    "{}, imported as the schema \"{}\"",
                    p.source, p.type_name
                ));
                ui.label(&p.summary);
                ui.add_space(6.0);
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for (heading, lines) in &p.groups {
                            ui.label(RichText::new(heading).strong());
                            for (outcome, pointer, message) in lines {
                                let tag = RichText::new(outcome.label()).monospace();
                                let tag = if *outcome == Outcome::NotMapped {
                                    tag.color(ui.visuals().warn_fg_color)
                                } else {
                                    tag
                                };
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(tag);
                                    ui.label(RichText::new(pointer).monospace().weak());
                                    ui.label(message);
                                });
                            }
                            ui.add_space(4.0);
                        }
                    });
                if !p.problems.is_empty() {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new("The converted schema is not valid; nothing can be saved:")
                            .color(ui.visuals().error_fg_color),
                    );
                    for problem in &p.problems {
                        ui.label(RichText::new(problem).monospace());
                    }
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let import = ui.add_enabled(
                        p.problems.is_empty(),
                        egui::Button::new(RichText::new("Import").strong()),
                    );
                    if import.clicked() {
                        out.push(Command::Interchange(InterchangeCommand::Import));
                    } else if ui.button("Cancel").clicked() {
                        out.push(close);
                    }
                });
            });
        }
    }
}
