//! The template menu and the empty screen's template buttons.

use egui::RichText;

use super::op;
use crate::app::Command;
use crate::app::designer::{DesignerOp, template_choices};

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
