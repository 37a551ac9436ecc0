//! The visual designer: the field tree on the left, the selected field's attributes on the
//! right. Every control emits a [`DesignerOp`]; the app rewrites the draft's JSON.

use egui::RichText;

use super::colors;
use super::theme::{self, size};
use crate::app::designer::{
    DesignerOp, DesignerState, Input, OWNER_LABEL, USER_LABEL, View, containers, nest_targets,
    position_of, reference_badge, template_choices,
};
use crate::app::{AppState, Command, Editor};
use crate::schema::fields::{
    Attr, COMMON_FORMATS, Field, FieldTree, FieldType, enum_to_text, permission_choices,
    pick_root_permission, value_to_input,
};
use crate::schema::permission::{Access, Permission};
use crate::schema::validate::Diagnostic;

fn op(out: &mut Vec<Command>, op: DesignerOp) {
    out.push(Command::Designer(op));
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
        View::Designer => designer_ui(ui, state, out),
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

fn designer_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    // A nextgen document has no urn:zitadel:schema:permission: its per-field toggles
    // (ui/nextgen.rs) stand in for the permission controls.
    let nextgen = state
        .editor
        .as_ref()
        .is_some_and(|e| state.target_of(e.id) == crate::nextgen::Target::Nextgen);
    let Some(editor) = &mut state.editor else {
        return;
    };
    draft_bar_ui(ui, editor, out);
    let d = &mut state.designer;
    if let Some(error) = &d.parse_error {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                colors::error(ui.visuals()),
                format!("The JSON has an error: {error}"),
            );
            if ui.link("Fix it in the JSON view").clicked() {
                op(out, DesignerOp::SetView(View::Json));
            }
        });
    }
    ui.separator();
    remove_prompt_ui(ui.ctx(), d, out);
    let editable = d.can_edit();
    let ctx = ui.ctx().clone();
    let tree_ui = |ui: &mut egui::Ui, d: &mut DesignerState, out: &mut Vec<Command>| {
        ui.add_enabled_ui(editable, |ui| add_row_ui(ui, d, out));
        ui.separator();
        if !nextgen {
            ui.add_enabled_ui(editable, |ui| root_ui(ui, &d.tree, out));
            ui.separator();
        }
        definitions_ui(ui, d, editable, out);
        if d.tree.fields.is_empty() {
            ui.label(theme::text::note("No fields yet: add one above."));
        }
        // Only the rows in view are drawn: a schema may have thousands of fields.
        let rows = tree_rows(&d.tree.fields);
        let row_height = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .id_salt("designer_tree_scroll")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, rows.len(), |ui, range| {
                for &(f, depth) in &rows[range] {
                    let badge = reference_badge(&d.references, &f.path, &f.pointer);
                    tree_row_ui(ui, f, d.selected.as_deref(), depth, badge, out);
                }
            });
    };
    // The tree beside the field editor when there is room, above it otherwise.
    if ui.available_width() >= theme::scaled(&ctx, size::DESIGNER_SPLIT) {
        egui::Panel::left("designer_tree")
            .resizable(true)
            .default_size(theme::scaled(&ctx, size::TREE_PANEL))
            .size_range(theme::scaled(&ctx, size::TREE_PANEL_MIN)..=ui.available_width() * 0.5)
            .show(ui, |ui| tree_ui(ui, d, out));
    } else {
        let height = ui.available_height();
        egui::Panel::top("designer_tree_top")
            .resizable(true)
            .default_size(height * 0.45)
            .size_range((height * 0.25)..=(height * 0.7))
            .show(ui, |ui| tree_ui(ui, d, out));
    }
    egui::CentralPanel::no_frame().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("designer_field_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // The tree is lent out while the field's controls edit the rest of the state.
                let tree = std::mem::take(&mut d.tree);
                match d.selected.as_ref().and_then(|p| tree.find(p)) {
                    Some(field) => {
                        let problems = &editor.validation.diagnostics;
                        ui.add_enabled_ui(editable, |ui| {
                            field_ui(ui, d, &tree, field, problems, nextgen, out);
                        });
                        ui.add_enabled_ui(editable, |ui| {
                            super::nextgen::designer_field_ui(ui, editor, &field.path, out)
                        });
                    }
                    None => {
                        ui.add_space(20.0);
                        ui.label(
                            RichText::new("Select a field in the list of fields to edit it.")
                                .weak(),
                        );
                    }
                }
                d.tree = tree;
            });
    });
}

/// "Remove a field that other places name?": remove them too / keep them / cancel.
fn remove_prompt_ui(ctx: &egui::Context, d: &DesignerState, out: &mut Vec<Command>) {
    let Some(prompt) = &d.remove_prompt else {
        return;
    };
    let name = prompt.path.join(".");
    let response = egui::Modal::new(egui::Id::unique("designer_remove_prompt")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.label(RichText::new(format!("Remove {name}?")).heading());
        ui.add_space(6.0);
        let n = prompt.references.len();
        ui.label(if n == 1 {
            format!("1 other place in the schema names {name}:")
        } else {
            format!("{n} other places in the schema name {name}:")
        });
        for r in &prompt.references {
            ui.label(format!("• {}  —  {}", r.pointer, r.rule));
        }
        // Taking a name out of an `if` changes when its `then`/`else` apply.
        if prompt.references.iter().any(|r| r.pointer.contains("/if/")) {
            ui.add_space(4.0);
            ui.label(
                RichText::new(
                    "Removing a name from an if changes when its then and else apply: \
                     check them afterwards.",
                )
                .color(colors::warn(ui.visuals())),
            );
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let answer = |with_references| DesignerOp::RemoveAnswered {
                path: prompt.path.clone(),
                with_references,
            };
            if ui.button("Remove them too").clicked() {
                op(out, answer(true));
            }
            if ui.button("Keep them").clicked() {
                op(out, answer(false));
            }
            if ui.button("Cancel").clicked() {
                op(out, DesignerOp::RemoveCancelled);
            }
        });
    });
    if response.should_close() {
        op(out, DesignerOp::RemoveCancelled);
    }
}

fn add_row_ui(ui: &mut egui::Ui, d: &mut DesignerState, out: &mut Vec<Command>) {
    ui.label(theme::text::label("Fields"));
    // Labels above inputs: the tree's panel may be narrow.
    let label = ui.label("New field name");
    let name = ui
        .add(
            egui::TextEdit::singleline(&mut d.new_name)
                .desired_width(theme::input_width(ui, size::INPUT)),
        )
        .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("New field type");
        type_combo_ui(ui, "new_field_type", &mut Some(d.new_type), false, |t| {
            if let Some(t) = t {
                d.new_type = t;
            }
        })
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Add to");
        let containers = containers(&d.tree);
        egui::ComboBox::from_id_salt("designer_add_to")
            .selected_text(path_label(&d.add_parent))
            .truncate()
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut d.add_parent, Vec::new(), path_label(&[]));
                for c in containers {
                    let text = path_label(&c);
                    ui.selectable_value(&mut d.add_parent, c, text);
                }
            })
            .response
            .labelled_by(label.id);
    });
    let enter = name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if ui
        .add(theme::icon_button(ui, theme::Icon::Add, "Add field"))
        .clicked()
        || enter
    {
        op(
            out,
            DesignerOp::AddField {
                parent: d.add_parent.clone(),
                name: d.new_name.clone(),
                field_type: d.new_type,
            },
        );
    }
}

fn path_label(path: &[String]) -> String {
    if path.is_empty() {
        "the schema's root".into()
    } else {
        format!("the field {}", path.join("."))
    }
}

/// A type combo box; `on_pick` gets the new choice (`None` = no type).
fn type_combo_ui(
    ui: &mut egui::Ui,
    id: &str,
    current: &mut Option<FieldType>,
    allow_none: bool,
    mut on_pick: impl FnMut(Option<FieldType>),
) -> egui::Response {
    let selected = match current {
        Some(t) => t.label().to_string(),
        None => "(other, see the JSON)".to_string(),
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .show_ui(ui, |ui| {
            for t in FieldType::ALL {
                if ui
                    .selectable_label(*current == Some(t), t.label())
                    .on_hover_text(t.as_str())
                    .clicked()
                {
                    *current = Some(t);
                    on_pick(Some(t));
                }
            }
            if allow_none && ui.selectable_label(current.is_none(), "(none)").clicked() {
                *current = None;
                on_pick(None);
            }
        })
        .response
}

fn tree_row_ui(
    ui: &mut egui::Ui,
    f: &Field,
    selected: Option<&[String]>,
    depth: usize,
    badge: Option<(&str, String)>,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.add_space(depth as f32 * 16.0);
        let is_selected = selected == Some(f.path.as_slice());
        if ui
            .selectable_label(is_selected, &f.name)
            .on_hover_text(f.path.join("."))
            .clicked()
        {
            op(out, DesignerOp::Select(Some(f.path.clone())));
        }
        let ty = match (f.field_type, f.item_type, f.resolved_type, &f.reference) {
            (Some(FieldType::Array), Some(item), _, _) => format!("list of {}", item.as_str()),
            (Some(t), _, _, _) => t.as_str().to_string(),
            (None, _, Some(t), Some(r)) => format!("{} via {r}", t.as_str()),
            (None, _, None, Some(r)) => format!("? ({r} does not resolve)"),
            (None, _, _, None) => "?".into(),
        };
        ui.label(theme::text::note(ty));
        if f.required {
            ui.label(
                RichText::new("required")
                    .small()
                    .color(colors::warn(ui.visuals())),
            );
        }
        permission_chip_ui(ui, f);
        if let Some(warning) = f.warning() {
            ui.label(
                RichText::new("hidden but required")
                    .small()
                    .color(colors::warn(ui.visuals())),
            )
            .on_hover_text(warning);
        }
        if let Some((badge, rules)) = badge {
            ui.label(
                RichText::new(badge)
                    .small()
                    .color(colors::warn(ui.visuals())),
            )
            .on_hover_text(rules);
        }
        if f.has_extra_keywords {
            ui.label(RichText::new("+JSON").small().italics())
                .on_hover_text(format!(
                    "has more in the JSON: {}",
                    f.extra_keywords.join(", ")
                ));
        }
    });
}

/// The field's permission in the tree: restrictions in words; an explicit `rw`/`rw` as
/// "explicit" (it looks the same as no keyword to the server, but the admin wrote it).
fn permission_chip_ui(ui: &mut egui::Ui, f: &Field) {
    let p = f.permission;
    let hover = format!(
        "administrators: {}; the user: {}{}",
        p.owner.label(),
        p.user.label(),
        if f.permission_set {
            " (set in the JSON)"
        } else {
            " (no permission keyword: the default)"
        }
    );
    if p != Permission::UNRESTRICTED {
        let mut parts = Vec::new();
        if p.owner != Access::ReadWrite {
            parts.push(format!("admin: {}", p.owner.label()));
        }
        if p.user != Access::ReadWrite {
            parts.push(format!("user: {}", p.user.label()));
        }
        ui.label(RichText::new(parts.join(", ")).small().weak())
            .on_hover_text(hover);
    } else if f.permission_set {
        ui.label(RichText::new("explicit rw/rw").small().weak())
            .on_hover_text(hover);
    }
}

/// Notes under the selected field's heading: the permission's origin and what to fix.
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

/// The schema's `$defs`: each with its type and the fields that use it (issue 17, item 4),
/// opened to edit it once for all of them: title, description and the limits of its type.
fn definitions_ui(ui: &mut egui::Ui, d: &DesignerState, editable: bool, out: &mut Vec<Command>) {
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
fn definition_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    def: &crate::schema::fields::Definition,
    out: &mut Vec<Command>,
) {
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

/// A grid row under the permission controls: whether the keyword is written or the default.
fn permission_origin_ui(ui: &mut egui::Ui, f: &Field) {
    let origin = if f.permission_set {
        "Permission set explicitly in the JSON"
    } else {
        "No permission keyword: read and write for everyone by default"
    };
    ui.label("");
    ui.label(RichText::new(origin).small().weak());
    ui.end_row();
}

/// The fields in display order (depth first) with their depth.
fn tree_rows(fields: &[Field]) -> Vec<(&Field, usize)> {
    fn walk<'a>(fields: &'a [Field], depth: usize, out: &mut Vec<(&'a Field, usize)>) {
        for f in fields {
            out.push((f, depth));
            walk(&f.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(fields, 0, &mut out);
    out
}

/// Two rows of radio buttons, one per party.
fn permission_ui(
    ui: &mut egui::Ui,
    prefix: &str,
    p: Permission,
    choices: &[Access],
    mut on_pick: impl FnMut(bool, Access),
) {
    for (label, current) in [(OWNER_LABEL, p.owner), (USER_LABEL, p.user)] {
        ui.label(label);
        ui.horizontal_wrapped(|ui| {
            for &a in choices {
                let name = format!("{prefix}{label}: {}", a.label());
                if ui
                    .radio(current == a, a.label())
                    .accessible_name(name)
                    .clicked()
                    && current != a
                {
                    on_pick(label == OWNER_LABEL, a);
                }
            }
            if !choices.contains(&current) {
                ui.label(
                    RichText::new(format!("now: {}", current.label()))
                        .small()
                        .color(colors::warn(ui.visuals())),
                );
            }
        });
        ui.end_row();
    }
}

fn root_ui(ui: &mut egui::Ui, tree: &FieldTree, out: &mut Vec<Command>) {
    egui::CollapsingHeader::new("Whole-schema permission")
        .default_open(false)
        .show(ui, |ui| {
            ui.label(
                RichText::new(
                    "On the schema's root each party gets one letter: read or write. \
                     Leave both at \"read and write\" for no restriction.",
                )
                .weak()
                .small(),
            );
            let mut choices = permission_choices(true).to_vec();
            choices.push(Access::ReadWrite);
            egui::Grid::new("root_permission")
                .num_columns(2)
                .show(ui, |ui| {
                    permission_ui(ui, "Schema ", tree.root_permission, &choices, |owner, a| {
                        let p = pick_root_permission(tree.root_permission, owner, a);
                        op(out, DesignerOp::RootPermission(p));
                    });
                });
            if !tree.root_extra_keywords.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "The root has more in the JSON: {}",
                        tree.root_extra_keywords.join(", ")
                    ))
                    .weak()
                    .small(),
                );
            }
        });
}

fn text_attr_ui(
    ui: &mut egui::Ui,
    label: &str,
    value: Option<&String>,
    hint: &str,
    out: &mut Vec<Command>,
    path: &[String],
    make: fn(Option<String>) -> Attr,
) {
    let l = ui.label(label);
    let mut text = value.cloned().unwrap_or_default();
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .id(egui::Id::unique(("designer_attr", path, label)))
                .hint_text(hint)
                .desired_width(theme::input_width(ui, size::INPUT)),
        )
        .labelled_by(l.id);
    if response.changed() {
        let v = if text.is_empty() { None } else { Some(text) };
        op(
            out,
            DesignerOp::Set {
                path: path.to_vec(),
                attr: make(v),
            },
        );
    }
    ui.end_row();
}

#[allow(clippy::too_many_arguments)]
fn input_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    label: &str,
    current: String,
    hint: &str,
    input: Input,
    path: &[String],
    out: &mut Vec<Command>,
) {
    let key = DesignerState::draft_key(path, input);
    let (mut text, why) = d
        .drafts
        .get(&key)
        .cloned()
        .unwrap_or((current, String::new()));
    let l = ui.label(label);
    ui.vertical(|ui| {
        let edit = if input == Input::Enum {
            egui::TextEdit::multiline(&mut text).desired_rows(3)
        } else {
            egui::TextEdit::singleline(&mut text)
        };
        let response = ui
            .add(
                edit.id(egui::Id::unique(("designer_input", &key)))
                    .hint_text(hint)
                    .desired_width(theme::input_width(ui, size::INPUT)),
            )
            .labelled_by(l.id);
        if response.changed() {
            op(
                out,
                DesignerOp::Input {
                    path: path.to_vec(),
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

fn field_ui(
    ui: &mut egui::Ui,
    d: &mut DesignerState,
    tree: &FieldTree,
    f: &Field,
    problems: &[Diagnostic],
    nextgen: bool,
    out: &mut Vec<Command>,
) {
    let path = f.path.clone();
    ui.heading(f.path.join("."));
    let inside = format!("{}/", f.pointer);
    for p in problems
        .iter()
        .filter(|p| p.pointer == f.pointer || p.pointer.starts_with(&inside))
    {
        let text = RichText::new(format!("{}:{}  {}", p.line, p.column, p.message));
        super::editor::problem_link(ui, text, "Show it in the JSON", p, out);
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
    ui.add_space(6.0);
    egui::Grid::new("designer_field")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            // Name.
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
                            path: path.clone(),
                            new_name: d.rename.clone(),
                        },
                    );
                }
            });
            ui.end_row();

            // Type.
            let l = ui.label("Field type");
            let mut current = f.field_type;
            type_combo_ui(ui, "field_type", &mut current, false, |t| {
                op(
                    out,
                    DesignerOp::Set {
                        path: path.clone(),
                        attr: Attr::Type(t),
                    },
                );
            })
            .labelled_by(l.id);
            ui.end_row();
            if f.field_type == Some(FieldType::Array) {
                let l = ui.label("Item type");
                let mut current = f.item_type;
                type_combo_ui(ui, "item_type", &mut current, true, |t| {
                    op(
                        out,
                        DesignerOp::Set {
                            path: path.clone(),
                            attr: Attr::ItemType(t),
                        },
                    );
                })
                .labelled_by(l.id);
                ui.end_row();
            }

            text_attr_ui(
                ui,
                "Title",
                f.title.as_ref(),
                "shown as the label",
                out,
                &path,
                Attr::Title,
            );
            text_attr_ui(
                ui,
                "Description",
                f.description.as_ref(),
                "help text",
                out,
                &path,
                Attr::Description,
            );

            ui.label("");
            let mut required = f.required;
            if ui.checkbox(&mut required, "Required").changed() {
                op(
                    out,
                    DesignerOp::Set {
                        path: path.clone(),
                        attr: Attr::Required(required),
                    },
                );
            }
            ui.end_row();

            // A `$ref` field gets the controls of what it resolves to.
            let is_string = matches!(f.effective_type(), Some(FieldType::String) | None);
            let is_number = matches!(
                f.effective_type(),
                Some(FieldType::Number | FieldType::Integer)
            );
            if is_string {
                let l = ui.label("Text format");
                ui.horizontal_wrapped(|ui| {
                    egui::ComboBox::from_id_salt("field_format")
                        .selected_text(f.format.as_deref().unwrap_or("(none)"))
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(f.format.is_none(), "(none)").clicked() {
                                op(
                                    out,
                                    DesignerOp::Set {
                                        path: path.clone(),
                                        attr: Attr::Format(None),
                                    },
                                );
                            }
                            for &fmt in COMMON_FORMATS {
                                if ui
                                    .selectable_label(f.format.as_deref() == Some(fmt), fmt)
                                    .clicked()
                                {
                                    op(
                                        out,
                                        DesignerOp::Set {
                                            path: path.clone(),
                                            attr: Attr::Format(Some(fmt.to_string())),
                                        },
                                    );
                                }
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    let mut text = f.format.clone().unwrap_or_default();
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut text)
                                .hint_text("or type any format")
                                .desired_width(theme::input_width(ui, size::SHORT_INPUT)),
                        )
                        .accessible_name("Custom format");
                    if response.changed() {
                        op(
                            out,
                            DesignerOp::Set {
                                path: path.clone(),
                                attr: Attr::Format(Some(text).filter(|t| !t.is_empty())),
                            },
                        );
                    }
                });
                ui.end_row();
            }

            let enum_text = f
                .enum_values
                .as_deref()
                .map(enum_to_text)
                .unwrap_or_default();
            input_ui(
                ui,
                d,
                "Allowed values",
                enum_text,
                "one per line; empty for any",
                Input::Enum,
                &path,
                out,
            );

            if is_string {
                let show = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
                input_ui(
                    ui,
                    d,
                    "Min length",
                    show(f.min_length),
                    "no minimum",
                    Input::MinLength,
                    &path,
                    out,
                );
                input_ui(
                    ui,
                    d,
                    "Max length",
                    show(f.max_length),
                    "no maximum",
                    Input::MaxLength,
                    &path,
                    out,
                );
                text_attr_ui(
                    ui,
                    "Pattern",
                    f.pattern.as_ref(),
                    "a regular expression",
                    out,
                    &path,
                    Attr::Pattern,
                );
            }
            if is_number {
                let show = |n: &Option<serde_json::Number>| {
                    n.as_ref().map(|n| n.to_string()).unwrap_or_default()
                };
                input_ui(
                    ui,
                    d,
                    "Minimum",
                    show(&f.minimum),
                    "no minimum",
                    Input::Minimum,
                    &path,
                    out,
                );
                input_ui(
                    ui,
                    d,
                    "Maximum",
                    show(&f.maximum),
                    "no maximum",
                    Input::Maximum,
                    &path,
                    out,
                );
            }
            let default = f.default.as_ref().map(value_to_input).unwrap_or_default();
            input_ui(
                ui,
                d,
                "Default",
                default,
                "no default",
                Input::Default,
                &path,
                out,
            );

            if nextgen {
                return;
            }
            permission_ui(
                ui,
                "",
                f.permission,
                permission_choices(false),
                |owner, a| {
                    let mut p = f.permission;
                    if owner {
                        p.owner = a;
                    } else {
                        p.user = a;
                    }
                    op(
                        out,
                        DesignerOp::Set {
                            path: path.clone(),
                            attr: Attr::Permission(p),
                        },
                    );
                },
            );
            permission_origin_ui(ui, f);
        });

    ui.add_space(10.0);
    ui.horizontal_wrapped(|ui| {
        let (index, len) = position_of(tree, &path).unwrap_or((0, 1));
        if ui
            .add_enabled(index > 0, egui::Button::new("Move up"))
            .clicked()
        {
            op(out, DesignerOp::MoveUp(path.clone()));
        }
        if ui
            .add_enabled(index + 1 < len, egui::Button::new("Move down"))
            .clicked()
        {
            op(out, DesignerOp::MoveDown(path.clone()));
        }
        let targets = nest_targets(tree, &path);
        ui.add_enabled_ui(!targets.is_empty(), |ui| {
            ui.menu_button("Move into…", |ui| {
                for t in targets {
                    if ui.button(format!("into {}", path_label(&t))).clicked() {
                        op(
                            out,
                            DesignerOp::Nest {
                                path: path.clone(),
                                new_parent: t,
                            },
                        );
                        ui.close();
                    }
                }
            });
        });
        if path.len() > 1
            && ui
                .button("Move out")
                .on_hover_text("Move it up one level")
                .clicked()
        {
            op(
                out,
                DesignerOp::Nest {
                    path: path.clone(),
                    new_parent: path[..path.len().saturating_sub(2)].to_vec(),
                },
            );
        }
        if ui
            .button(RichText::new("Remove field").color(colors::error(ui.visuals())))
            .clicked()
        {
            op(out, DesignerOp::Remove(path.clone()));
        }
    });
}

/// The template menu's items: each creates a new schema from that template.
pub fn template_menu_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    for (id, label, description) in template_choices() {
        if ui.button(label).on_hover_text(description).clicked() {
            op(out, DesignerOp::NewFromTemplate(id));
            ui.close();
        }
    }
}

/// The templates as buttons, for the empty screen.
pub fn template_buttons_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    ui.label(RichText::new("or start from a template:").weak());
    ui.vertical_centered(|ui| {
        for (id, label, description) in template_choices() {
            if ui
                .button(label)
                .on_hover_text(description)
                .accessible_name(format!("Template: {label}"))
                .clicked()
            {
                op(out, DesignerOp::NewFromTemplate(id));
            }
        }
    });
}
