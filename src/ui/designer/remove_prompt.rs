//! "Remove a field that other places name?": the modal that asks before a remove.

use egui::RichText;

use super::op;
use crate::app::Command;
use crate::app::designer::{DesignerOp, DesignerState};
use crate::ui::colors;

/// "Remove a field that other places name?": remove them too / keep them / cancel.
pub(super) fn remove_prompt_ui(ctx: &egui::Context, d: &DesignerState, out: &mut Vec<Command>) {
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
