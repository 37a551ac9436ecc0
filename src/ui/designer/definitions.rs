//! The schema's definitions (`$defs`), each edited once for every field that uses it.

use super::op;
use crate::app::Command;
use crate::app::designer::{DesignerOp, DesignerState, Input};
use crate::schema::fields::{Attr, Definition, FieldType};
use crate::ui::colors;
use crate::ui::theme::{self, size};

/// The schema's `$defs`: each with its type and the fields that use it (issue 17, item 4),
/// opened to edit it once for all of them: title, description and the limits of its type.
pub(super) fn definitions_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    editable: bool,
    out: &mut Vec<Command>,
) {
    let tree = &d.tree;
    if tree.definitions.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!("Definitions ({})", tree.definitions.len()))
        .default_open(true)
        .show(ui, |ui| {
            for def in &tree.definitions {
                let ty = def.field_type.map_or("?", FieldType::as_str);
                let uses = if def.uses.is_empty() {
                    "not used by any field".to_string()
                } else {
                    let names: Vec<String> = def.uses.iter().map(|p| p.join(".")).collect();
                    format!("used by {}", names.join(", "))
                };
                egui::CollapsingHeader::new(format!("{}: {ty}, {uses}", def.name))
                    .id_salt(("definition", &def.pointer))
                    .default_open(false)
                    .show(ui, |ui| {
                        ui.label(theme::text::note(format!(
                            "{}: an edit here applies to every field using it",
                            def.pointer
                        )));
                        ui.add_enabled_ui(editable, |ui| definition_ui(ui, d, def, out));
                    });
            }
        });
    ui.separator();
}

/// The controls of one definition, named "NAME title", "NAME maximum", … for assistive tools
/// (the selected field's own controls are called "Title", "Maximum", …).
fn definition_ui(ui: &mut egui::Ui, d: &DesignerState, def: &Definition, out: &mut Vec<Command>) {
    let f = &def.field;
    let name = &def.name;
    egui::Grid::new(("definition_attrs", &def.pointer))
        .num_columns(2)
        .show(ui, |ui| {
            type MakeAttr = fn(Option<String>) -> Attr;
            let texts: [(&str, Option<&String>, MakeAttr); 2] = [
                ("title", f.title.as_ref(), Attr::Title),
                ("description", f.description.as_ref(), Attr::Description),
            ];
            for (label, value, make) in texts {
                ui.label(label);
                let mut text = value.cloned().unwrap_or_default();
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut text)
                            .id(egui::Id::unique(("definition_attr", name, label)))
                            .desired_width(theme::input_width(ui, size::INPUT)),
                    )
                    .accessible_name(format!("{name} {label}"));
                if response.changed() {
                    let v = (!text.is_empty()).then_some(text);
                    op(
                        out,
                        DesignerOp::SetDefinition {
                            name: name.clone(),
                            attr: make(v),
                        },
                    );
                }
                ui.end_row();
            }
            let show = |v: Option<String>| v.unwrap_or_default();
            let limits: Vec<(&str, String, Input)> = match f.field_type {
                Some(FieldType::String) => vec![
                    (
                        "min length",
                        show(f.min_length.map(|n| n.to_string())),
                        Input::MinLength,
                    ),
                    (
                        "max length",
                        show(f.max_length.map(|n| n.to_string())),
                        Input::MaxLength,
                    ),
                ],
                Some(FieldType::Number | FieldType::Integer) => vec![
                    (
                        "minimum",
                        show(f.minimum.as_ref().map(ToString::to_string)),
                        Input::Minimum,
                    ),
                    (
                        "maximum",
                        show(f.maximum.as_ref().map(ToString::to_string)),
                        Input::Maximum,
                    ),
                ],
                _ => Vec::new(),
            };
            for (label, current, input) in limits {
                let key = DesignerState::definition_draft_key(name, input);
                let (mut text, why) = d
                    .drafts
                    .get(&key)
                    .cloned()
                    .unwrap_or((current, String::new()));
                ui.label(label);
                ui.vertical(|ui| {
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut text)
                                .id(egui::Id::unique(("definition_input", &key)))
                                .desired_width(theme::input_width(ui, size::SHORT_INPUT)),
                        )
                        .accessible_name(format!("{name} {label}"));
                    if response.changed() {
                        op(
                            out,
                            DesignerOp::DefinitionInput {
                                name: name.clone(),
                                input,
                                text,
                            },
                        );
                    }
                    if !why.is_empty() {
                        ui.colored_label(colors::error(ui.visuals()), why);
                    }
                });
                ui.end_row();
            }
        });
}
