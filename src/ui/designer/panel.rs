//! The designer's two panels: the field tree (with the add row, the whole-schema permission
//! and the definitions) beside or above the selected field's controls.

use egui::RichText;

use super::definitions::definitions_ui;
use super::field::field_ui;
use super::permissions::root_permission_ui;
use super::tree::{add_row_ui, tree_row_ui, tree_rows};
use super::{draft_bar_ui, op, remove_prompt::remove_prompt_ui};
use crate::app::designer::{DesignerOp, DesignerState, View, reference_badge};
use crate::app::{AppState, Command};
use crate::ui::colors;
use crate::ui::theme::{self, size};

pub(super) fn designer_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
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
            ui.add_enabled_ui(editable, |ui| root_permission_ui(ui, &d.tree, out));
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
                            crate::ui::nextgen::designer_field_ui(ui, editor, &field.path, out)
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
