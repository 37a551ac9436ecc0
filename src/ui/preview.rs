//! The preview: the user form the schema implies, as an administrator or as the user sees it,
//! filled with a sample user that is validated live; and the samples saved with the schema.

use egui::RichText;
use serde_json::Value;

use super::colors;
use super::theme::{self, size};
use crate::app::designer::{DesignerOp, DesignerState};
use crate::app::{AppState, Command};
use crate::schema::fields::{
    Field, FieldType, FormAccess, Viewer, form_access, instance_get, instance_pointer,
    value_to_input,
};

fn op(out: &mut Vec<Command>, op: DesignerOp) {
    out.push(Command::Designer(op));
}

pub fn preview_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    let Some(editor) = &mut state.editor else {
        return;
    };
    super::designer::draft_bar_ui(ui, editor, out);
    let d = &mut state.designer;
    ui.horizontal(|ui| {
        ui.label("Show the form");
        for v in Viewer::ALL {
            if ui
                .selectable_label(d.viewer == v, v.label())
                .on_hover_text(match v {
                    Viewer::Administrator => {
                        "What an administrator sees (the permission's \"owner\")"
                    }
                    Viewer::User => "What the user sees of themself (the permission's \"self\")",
                })
                .clicked()
            {
                op(out, DesignerOp::SetViewer(v));
            }
        }
    });
    if let Some(error) = &d.parse_error {
        ui.colored_label(
            colors::error(ui.visuals()),
            format!("The JSON has an error ({error}); the form is the last one that parsed."),
        );
    }
    ui.separator();
    // Side by side when the centre has room, otherwise the form above the sample.
    let ctx = ui.ctx().clone();
    if ui.available_width() >= theme::scaled(&ctx, size::PREVIEW_SPLIT) {
        let half = ui.available_width() * 0.45;
        egui::Panel::right("preview_samples")
            .resizable(true)
            .default_size(half)
            .size_range(theme::scaled(&ctx, 280.0)..=ui.available_width() * 0.7)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("preview_samples_scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| samples_ui(ui, d, out));
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("preview_form_scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| form_ui(ui, d, out));
        });
    } else {
        egui::ScrollArea::vertical()
            .id_salt("preview_stacked_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                form_ui(ui, d, out);
                ui.add_space(theme::space::L);
                ui.separator();
                samples_ui(ui, d, out);
            });
    }
}

fn form_ui(ui: &mut egui::Ui, d: &DesignerState, out: &mut Vec<Command>) {
    ui.heading(format!("User form {}", d.viewer.label()));
    ui.add_space(4.0);
    let sample = match &d.sample_value {
        Some(v @ Value::Object(_)) => Some(v),
        _ => None,
    };
    if sample.is_none() && !d.sample_text.trim().is_empty() {
        ui.colored_label(
            colors::error(ui.visuals()),
            "The sample's JSON is not an object: fix it on the right to fill in the form.",
        );
    }
    let shown = d
        .tree
        .fields
        .iter()
        .filter(|f| form_access(d.viewer, f.permission) != FormAccess::Absent)
        .count();
    if shown == 0 {
        ui.label(RichText::new("This viewer sees no fields.").weak());
    }
    // Problems of the sample as a whole (e.g. a missing required field).
    errors_ui(ui, d, "");
    let enabled = sample.is_some() || d.sample_text.trim().is_empty();
    fields_ui(ui, d, &d.tree.fields, &[], sample, enabled, out);
}

/// One level of fields as a two-column grid: label, then the input with its help and errors.
/// `at` is where these fields' values live in the sample: a field's path, with the index of
/// the item for fields of a list's items (`["phones", "0"]`).
fn fields_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    fields: &[Field],
    at: &[String],
    sample: Option<&Value>,
    enabled: bool,
    out: &mut Vec<Command>,
) {
    egui::Grid::new(("preview_form", instance_pointer(at)))
        .num_columns(2)
        .spacing([12.0, 8.0])
        .min_col_width(120.0)
        .show(ui, |ui| {
            for f in fields {
                let mut here = at.to_vec();
                here.push(f.name.clone());
                field_ui(ui, d, f, &here, sample, enabled, out);
            }
        });
}

/// What one item of a list is called on its buttons: `phones` → "phone".
fn item_noun(f: &Field) -> &str {
    f.name
        .strip_suffix('s')
        .filter(|n| !n.is_empty())
        .unwrap_or(&f.name)
}

/// A list of objects as a repeatable group: each item's fields in a box with a remove button,
/// then a button that adds an item.
#[allow(clippy::too_many_arguments)]
fn items_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    f: &Field,
    at: &[String],
    value: Option<&Value>,
    sample: Option<&Value>,
    editable: bool,
    out: &mut Vec<Command>,
) {
    let noun = item_noun(f);
    let count = match value {
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    for i in 0..count {
        let mut item_at = at.to_vec();
        item_at.push(i.to_string());
        ui.group(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{noun} {}", i + 1)).strong());
                let remove = ui
                    .add_enabled(editable, egui::Button::new("Remove").small())
                    .accessible_name(format!("Remove {noun} {}", i + 1));
                if remove.clicked() {
                    op(
                        out,
                        DesignerOp::RemoveSampleItem {
                            path: at.to_vec(),
                            index: i,
                        },
                    );
                }
            });
            // Problems of the item as a whole (a missing required item field).
            errors_ui(ui, d, &instance_pointer(&item_at));
            ui.add_enabled_ui(editable, |ui| {
                fields_ui(ui, d, f.form_children(), &item_at, sample, editable, out);
            });
        });
    }
    if ui
        .add_enabled(editable, egui::Button::new(format!("Add {noun}")))
        .clicked()
    {
        op(out, DesignerOp::AddSampleItem(at.to_vec()));
    }
}

fn field_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    f: &Field,
    at: &[String],
    sample: Option<&Value>,
    enabled: bool,
    out: &mut Vec<Command>,
) {
    let access = form_access(d.viewer, f.permission);
    let access = super::nextgen::preview_access(d.schema.as_deref(), d.viewer, &f.path, access);
    if access == FormAccess::Absent {
        return;
    }
    let editable = enabled && access == FormAccess::Editable;
    let title = f.title.clone().unwrap_or_else(|| f.name.clone());
    let value = sample.and_then(|s| instance_get(s, at));
    let pointer = instance_pointer(at);
    // A `$ref` field is drawn and read as what it resolves to.
    let field_type = f.effective_type();
    let set = |out: &mut Vec<Command>, text: String| {
        op(
            out,
            DesignerOp::SetSampleValue {
                path: at.to_vec(),
                field_type,
                text,
            },
        );
    };
    let l = ui.label(label_text(&title, f, access));
    ui.vertical(|ui| {
        // A `$ref` to an object definition draws the definition's fields.
        let children = f.form_children();
        if field_type == Some(FieldType::Object) && !children.is_empty() {
            ui.group(|ui| {
                ui.add_enabled_ui(editable, |ui| {
                    fields_ui(ui, d, children, at, sample, enabled, out);
                });
            });
        } else if field_type == Some(FieldType::Array) && !children.is_empty() {
            items_ui(ui, d, f, at, value, sample, editable, out);
        } else {
            ui.add_enabled_ui(editable, |ui| {
                let current = value.map(value_to_input).unwrap_or_default();
                if field_type == Some(FieldType::Boolean) {
                    let mut on = value.and_then(Value::as_bool).unwrap_or(false);
                    if ui.checkbox(&mut on, "").labelled_by(l.id).changed() {
                        set(out, on.to_string());
                    }
                } else if let Some(values) = &f.enum_values {
                    egui::ComboBox::from_id_salt(("preview_enum", &pointer))
                        .selected_text(if current.is_empty() {
                            "(empty)"
                        } else {
                            &current
                        })
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(value.is_none(), "(empty)").clicked() {
                                set(out, String::new());
                            }
                            for v in values {
                                let text = value_to_input(v);
                                if ui.selectable_label(value == Some(v), &text).clicked() {
                                    set(out, text);
                                }
                            }
                        })
                        .response
                        .labelled_by(l.id);
                } else {
                    let mut text = current;
                    let hint = f
                        .format
                        .clone()
                        .or_else(|| field_type.map(|t| t.label().to_lowercase()))
                        .unwrap_or_default();
                    // A stable id: the widgets above may come and go (problems of the
                    // sample), and an id that moves would lose focus and keystrokes.
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut text)
                                .id(egui::Id::unique(("preview_input", &pointer)))
                                .hint_text(hint)
                                .desired_width(theme::input_width(ui, size::INPUT)),
                        )
                        .labelled_by(l.id);
                    if response.changed() {
                        set(out, text);
                    }
                }
            });
        }
        if let Some(reference) = &f.reference {
            let name = crate::schema::refs::target_name(reference);
            ui.label(theme::text::note(format!(
                "defined by {name} ({reference})"
            )));
        }
        if let Some(desc) = &f.description {
            ui.label(theme::text::note(desc));
        }
        errors_ui(ui, d, &pointer);
    });
    ui.end_row();
}

fn label_text(title: &str, f: &Field, access: FormAccess) -> String {
    let mut t = title.to_string();
    if f.required {
        t.push_str(" *");
    }
    if access == FormAccess::ReadOnly {
        t.push_str(" (read only)");
    }
    t
}

/// The sample's problems at exactly this field.
fn errors_ui(ui: &mut egui::Ui, d: &DesignerState, pointer: &str) {
    for diag in d.sample_diagnostics.iter().filter(|x| x.pointer == pointer) {
        ui.label(RichText::new(&diag.message).color(colors::error(ui.visuals())));
    }
}

fn samples_ui(ui: &mut egui::Ui, d: &mut DesignerState, out: &mut Vec<Command>) {
    ui.label(RichText::new("Sample user").strong());
    let l = ui.label(theme::text::note("Sample data (JSON)"));
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut d.sample_text)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    if response.changed() {
        op(out, DesignerOp::SampleEdited);
    }
    if d.sample_diagnostics.is_empty() {
        if !d.sample_text.trim().is_empty() {
            ui.label(
                RichText::new("The sample is valid for this schema")
                    .color(colors::ok(ui.visuals())),
            );
        }
    } else {
        ui.label(
            RichText::new(format!(
                "{} problem(s) in the sample",
                d.sample_diagnostics.len()
            ))
            .color(colors::error(ui.visuals())),
        );
        for diag in &d.sample_diagnostics {
            ui.label(
                RichText::new(format!(
                    "{}:{}  {}  {}",
                    diag.line,
                    diag.column,
                    diag.pointer_display(),
                    diag.message
                ))
                .monospace()
                .small()
                .color(colors::error(ui.visuals())),
            );
        }
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Sample name");
        ui.add(
            egui::TextEdit::singleline(&mut d.sample_name)
                .hint_text("e.g. alice")
                .desired_width(theme::input_width(ui, size::SHORT_INPUT)),
        )
        .labelled_by(l.id);
        if ui
            .add_enabled(
                !d.sample_name.trim().is_empty(),
                egui::Button::new("Save sample"),
            )
            .on_hover_text("Save this sample user with the schema; it is checked after every edit")
            .clicked()
        {
            op(out, DesignerOp::SaveSample);
        }
        if ui.button("New sample").clicked() {
            op(out, DesignerOp::ClearSample);
        }
    });
    ui.separator();
    ui.label(RichText::new("Saved samples").strong());
    if let Some(text) = d.breaking_text() {
        ui.label(
            RichText::new(format!("{text} (compared with the saved revision)"))
                .color(colors::warn(ui.visuals())),
        );
    }
    if d.samples.is_empty() {
        ui.label(RichText::new("None yet: type a sample user above and save it.").weak());
    }
    let mut action = None;
    for s in &d.samples {
        let outcome = d.outcomes.iter().find(|o| o.name == s.name);
        ui.horizontal(|ui| {
            ui.label(RichText::new(&s.name).strong());
            match outcome {
                None => {
                    ui.add(egui::Spinner::new().size(10.0));
                }
                Some(o) if o.passes() => {
                    ui.label(RichText::new("passes").color(colors::ok(ui.visuals())));
                }
                Some(o) => {
                    let what = if o.newly_fails() {
                        format!("broken by this change: {} problem(s)", o.diagnostics.len())
                    } else {
                        format!("fails: {} problem(s)", o.diagnostics.len())
                    };
                    let text = o
                        .diagnostics
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n");
                    ui.label(RichText::new(what).color(colors::error(ui.visuals())))
                        .on_hover_text(text);
                }
            }
            if ui
                .small_button("Load")
                .accessible_name(format!("Load {}", s.name))
                .clicked()
            {
                action = Some(DesignerOp::LoadSample(s.name.clone()));
            }
            if ui
                .small_button("Delete")
                .accessible_name(format!("Delete {}", s.name))
                .clicked()
            {
                action = Some(DesignerOp::DeleteSample(s.name.clone()));
            }
        });
    }
    if let Some(a) = action {
        op(out, a);
    }
}
