//! The input controls the field editor and the definitions share: a type combo box, a text
//! attribute and a text box whose text is parsed by the app (numbers, allowed values, default).

use super::{op, set};
use crate::app::Command;
use crate::app::designer::{DesignerOp, DesignerState, Input};
use crate::schema::fields::{Attr, FieldType};
use crate::ui::colors;
use crate::ui::theme::{self, size};

/// A type combo box; `on_pick` gets the new choice (`None` = no type).
pub(super) fn type_combo_ui(
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

pub(super) fn text_attr_ui(
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
        set(out, path, make(v));
    }
    ui.end_row();
}

#[allow(clippy::too_many_arguments)]
pub(super) fn input_ui(
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
