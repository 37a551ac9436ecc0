//! Permissions: the radio rows per party, the whole schema's permission on the root and the
//! note saying whether a field's keyword is written or the default.

use egui::RichText;

use super::op;
use super::set;
use crate::app::Command;
use crate::app::designer::{DesignerOp, OWNER_LABEL, USER_LABEL};
use crate::schema::fields::{Attr, Field, FieldTree, permission_choices, pick_root_permission};
use crate::schema::permission::{Access, Permission};
use crate::ui::colors;

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

pub(super) fn root_permission_ui(ui: &mut egui::Ui, tree: &FieldTree, out: &mut Vec<Command>) {
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

/// The selected field's permission: a row of radio buttons per party, then where it comes from.
pub(super) fn field_permission_ui(ui: &mut egui::Ui, f: &Field, out: &mut Vec<Command>) {
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
            set(out, &f.path, Attr::Permission(p));
        },
    );
    permission_origin_ui(ui, f);
}
