//! The visual designer: the field tree on the left, the selected field's attributes on the
//! right. Every control emits a [`DesignerOp`]; the app rewrites the draft's JSON.
//!
//! This module holds the view switch above an open draft and the draft's bar; the parts:
//! `panel` (the two panels), `tree` (the field tree and its add row), `field` (the selected
//! field's editor) with `field_kinds` (the controls of text and number fields, allowed
//! values) and `field_moves` (move and remove), `inputs` (the controls they share),
//! `permissions`, `definitions` (`$defs`), `remove_prompt` and `templates`.

mod definitions;
mod field;
mod field_kinds;
mod field_moves;
mod inputs;
mod panel;
mod permissions;
mod remove_prompt;
mod templates;
mod tree;

use egui::RichText;

pub use templates::{template_buttons_ui, template_menu_ui};

use super::colors;
use super::theme;
use crate::app::designer::{DesignerOp, View};
use crate::app::{AppState, Command, Editor};
use crate::schema::fields::Attr;

fn op(out: &mut Vec<Command>, op: DesignerOp) {
    out.push(Command::Designer(op));
}

/// Sets one attribute of the field at `path`.
fn set(out: &mut Vec<Command>, path: &[String], attr: Attr) {
    op(
        out,
        DesignerOp::Set {
            path: path.to_vec(),
            attr,
        },
    );
}

/// The central area of an open draft: the view switch, then the JSON editor, the designer
/// or the preview.
pub fn central_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    let view = state.designer.view;
    ui.horizontal(|ui| {
        for v in View::ALL {
            if ui
                .selectable_label(view == v, v.label())
                .on_hover_text(match v {
                    View::Json => "Edit the schema as JSON",
                    View::Designer => "Edit the fields as a form",
                    View::Preview => "The user form this schema implies, with sample users",
                })
                .clicked()
            {
                op(out, DesignerOp::SetView(v));
            }
        }
        ui.separator();
        let d = &state.designer;
        if d.parse_error.is_some() && view != View::Json {
            ui.colored_label(colors::error(ui.visuals()), "the JSON does not parse");
        }
        if !d.outcomes.is_empty() && d.parse_error.is_some() {
            // The outcomes belong to the last schema that parsed: not news about this text.
            ui.label(theme::text::note("samples not checked"));
        } else if !d.outcomes.is_empty() {
            let text = match d.breaking_text() {
                Some(t) => RichText::new(t).color(colors::warn(ui.visuals())),
                None if d.failing() > 0 => RichText::new(format!(
                    "{} of {} sample(s) fail",
                    d.failing(),
                    d.outcomes.len()
                ))
                .color(colors::warn(ui.visuals())),
                None => RichText::new(samples_pass_text(d.outcomes.len()))
                    .color(colors::ok(ui.visuals())),
            };
            ui.label(text);
        }
    });
    match view {
        View::Json => super::editor::editor_ui(ui, state, out),
        View::Designer => panel::designer_ui(ui, state, out),
        View::Preview => super::preview::preview_ui(ui, state, out),
    }
}

/// "the sample passes", "all 3 samples pass".
pub(crate) fn samples_pass_text(n: usize) -> String {
    match n {
        1 => "the sample passes".into(),
        n => format!("all {n} samples pass"),
    }
}

/// A compact line about the draft for the designer and the preview: type, live validation,
/// then the same save bar as the JSON view (revision, message, save).
pub(super) fn draft_bar_ui(ui: &mut egui::Ui, editor: &mut Editor, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::text::label(&editor.parts.type_name));
        let v = &editor.validation;
        if v.is_pending() {
            ui.add(egui::Spinner::new().size(11.0));
        } else if v.diagnostics.is_empty() && editor.type_error().is_none() {
            ui.label(RichText::new("valid").color(colors::ok(ui.visuals())));
        } else {
            let n = v.diagnostics.len() + usize::from(editor.type_error().is_some());
            ui.label(
                RichText::new(format!("{n} problem(s), see the JSON view"))
                    .color(colors::error(ui.visuals())),
            );
        }
    });
    super::editor::save_bar_ui(ui, editor, out);
}
