//! The selected field's editor: its heading, problems and notes, then a grid of rows (name,
//! type, title, description, required, the controls of its kind, default, permission), then
//! the bar that moves or removes it.

use egui::RichText;

use super::field_kinds::{allowed_values_ui, format_row_ui, number_limits_ui, string_limits_ui};
use super::field_moves::move_bar_ui;
use super::inputs::{input_ui, text_attr_ui, type_combo_ui};
use super::permissions::field_permission_ui;
use super::{op, set};
use crate::app::Command;
use crate::app::designer::{DesignerOp, DesignerState, Input};
use crate::schema::fields::{Attr, Field, FieldTree, FieldType, value_to_input};
use crate::schema::validate::Diagnostic;
use crate::ui::colors;
use crate::ui::theme::{self, size};

pub(super) fn field_ui(
    ui: &mut egui::Ui,
    d: &mut DesignerState,
    tree: &FieldTree,
    f: &Field,
    problems: &[Diagnostic],
    nextgen: bool,
    out: &mut Vec<Command>,
) {
    let path = &f.path;
    header_ui(ui, f, problems, out);
    ui.add_space(6.0);
    egui::Grid::new("designer_field")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            name_row_ui(ui, d, f, out);
            type_rows_ui(ui, f, out);
            text_attr_ui(
                ui,
                "Title",
                f.title.as_ref(),
                "shown as the label",
                out,
                path,
                Attr::Title,
            );
            text_attr_ui(
                ui,
                "Description",
                f.description.as_ref(),
                "help text",
                out,
                path,
                Attr::Description,
            );
            required_row_ui(ui, f, out);

            // A `$ref` field gets the controls of what it resolves to.
            let is_string = matches!(f.effective_type(), Some(FieldType::String) | None);
            let is_number = matches!(
                f.effective_type(),
                Some(FieldType::Number | FieldType::Integer)
            );
            if is_string {
                format_row_ui(ui, f, out);
            }
            allowed_values_ui(ui, d, f, out);
            if is_string {
                string_limits_ui(ui, d, f, out);
            }
            if is_number {
                number_limits_ui(ui, d, f, out);
            }
            let default = f.default.as_ref().map(value_to_input).unwrap_or_default();
            input_ui(
                ui,
                d,
                "Default",
                default,
                "no default",
                Input::Default,
                path,
                out,
            );
            // A nextgen document's per-field toggles (ui/nextgen.rs) stand in for these.
            if !nextgen {
                field_permission_ui(ui, f, out);
            }
        });

    ui.add_space(10.0);
    move_bar_ui(ui, tree, path, out);
}

/// The heading, the validation problems at or under the field, its notes and what the JSON
/// holds beyond the controls.
fn header_ui(ui: &mut egui::Ui, f: &Field, problems: &[Diagnostic], out: &mut Vec<Command>) {
    ui.heading(f.path.join("."));
    let inside = format!("{}/", f.pointer);
    for p in problems
        .iter()
        .filter(|p| p.pointer == f.pointer || p.pointer.starts_with(&inside))
    {
        let text = RichText::new(format!("{}:{}  {}", p.line, p.column, p.message));
        crate::ui::editor::problem_link(ui, text, "Show it in the JSON", p, out);
    }
    field_notes_ui(ui, f);
    if f.has_extra_keywords {
        ui.label(
            RichText::new(format!(
                "Has more in the JSON: {} (kept as is; edit it in the JSON view)",
                f.extra_keywords.join(", ")
            ))
            .color(colors::warn(ui.visuals())),
        );
    }
}

/// Notes under the selected field's heading: the definition its `$ref` names, and what to fix.
fn field_notes_ui(ui: &mut egui::Ui, f: &Field) {
    if let Some(r) = &f.reference {
        let text = match f.resolved_type {
            Some(t) => format!(
                "Defined by {r} ({}): the definition applies as well; the controls below add to it",
                t.label()
            ),
            None => format!("Defined by {r}, which does not resolve to a typed definition"),
        };
        ui.label(RichText::new(text).small());
    }
    if let Some(warning) = f.warning() {
        ui.label(RichText::new(format!("Warning: {warning}")).color(colors::warn(ui.visuals())));
    }
}

/// The name box and its Rename button (Enter renames too).
fn name_row_ui(ui: &mut egui::Ui, d: &mut DesignerState, f: &Field, out: &mut Vec<Command>) {
    let l = ui.label("Name");
    ui.horizontal_wrapped(|ui| {
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut d.rename)
                    .desired_width(theme::input_width(ui, size::SHORT_INPUT + 60.0)),
            )
            .labelled_by(l.id);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let changed = d.rename.trim() != f.name;
        if (ui
            .add_enabled(changed, egui::Button::new("Rename"))
            .clicked()
            || enter)
            && changed
        {
            op(
                out,
                DesignerOp::Rename {
                    path: f.path.clone(),
                    new_name: d.rename.clone(),
                },
            );
        }
    });
    ui.end_row();
}

/// The field's type and, for a list, the type of its items.
fn type_rows_ui(ui: &mut egui::Ui, f: &Field, out: &mut Vec<Command>) {
    let l = ui.label("Field type");
    let mut current = f.field_type;
    type_combo_ui(ui, "field_type", &mut current, false, |t| {
        set(out, &f.path, Attr::Type(t));
    })
    .labelled_by(l.id);
    ui.end_row();
    if f.field_type == Some(FieldType::Array) {
        let l = ui.label("Item type");
        let mut current = f.item_type;
        type_combo_ui(ui, "item_type", &mut current, true, |t| {
            set(out, &f.path, Attr::ItemType(t));
        })
        .labelled_by(l.id);
        ui.end_row();
    }
}

fn required_row_ui(ui: &mut egui::Ui, f: &Field, out: &mut Vec<Command>) {
    ui.label("");
    let mut required = f.required;
    if ui.checkbox(&mut required, "Required").changed() {
        set(out, &f.path, Attr::Required(required));
    }
    ui.end_row();
}
