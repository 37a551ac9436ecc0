//! The bar under the selected field: move it up, down, into another field or out a level,
//! or remove it.

use egui::RichText;

use super::op;
use super::tree::path_label;
use crate::app::Command;
use crate::app::designer::{DesignerOp, nest_targets, position_of};
use crate::schema::fields::FieldTree;
use crate::ui::colors;

pub(super) fn move_bar_ui(
    ui: &mut egui::Ui,
    tree: &FieldTree,
    path: &[String],
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let (index, len) = position_of(tree, path).unwrap_or((0, 1));
        if ui
            .add_enabled(index > 0, egui::Button::new("Move up"))
            .clicked()
        {
            op(out, DesignerOp::MoveUp(path.to_vec()));
        }
        if ui
            .add_enabled(index + 1 < len, egui::Button::new("Move down"))
            .clicked()
        {
            op(out, DesignerOp::MoveDown(path.to_vec()));
        }
        let targets = nest_targets(tree, path);
        ui.add_enabled_ui(!targets.is_empty(), |ui| {
            ui.menu_button("Move into…", |ui| {
                for t in targets {
                    if ui.button(format!("into {}", path_label(&t))).clicked() {
                        op(
                            out,
                            DesignerOp::Nest {
                                path: path.to_vec(),
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
                    path: path.to_vec(),
                    new_parent: path[..path.len().saturating_sub(2)].to_vec(),
                },
            );
        }
        if ui
            .button(RichText::new("Remove field").color(colors::error(ui.visuals())))
            .clicked()
        {
            op(out, DesignerOp::Remove(path.to_vec()));
        }
    });
}
