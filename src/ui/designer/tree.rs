//! The field tree: the row that adds a field, one row per field (name, type, badges) and the
//! order the rows are drawn in.

use egui::RichText;

use super::inputs::type_combo_ui;
use super::op;
use crate::app::Command;
use crate::app::designer::{DesignerOp, DesignerState, containers};
use crate::schema::fields::{Field, FieldType};
use crate::schema::permission::{Access, Permission};
use crate::ui::colors;
use crate::ui::theme::{self, size};

pub(super) fn add_row_ui(ui: &mut egui::Ui, d: &mut DesignerState, out: &mut Vec<Command>) {
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

pub(super) fn path_label(path: &[String]) -> String {
    if path.is_empty() {
        "the schema's root".into()
    } else {
        format!("the field {}", path.join("."))
    }
}

pub(super) fn tree_row_ui(
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

/// The fields in display order (depth first) with their depth.
pub(super) fn tree_rows(fields: &[Field]) -> Vec<(&Field, usize)> {
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
