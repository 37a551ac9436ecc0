//! The selected field's controls that depend on its kind: a text's format, lengths and
//! pattern, a number's limits, and the allowed values any field may have.

use super::inputs::{input_ui, text_attr_ui};
use super::set;
use crate::app::Command;
use crate::app::designer::{DesignerState, Input};
use crate::schema::fields::{Attr, COMMON_FORMATS, Field, enum_to_text};
use crate::ui::theme::{self, size};

/// A text's format: one of the common formats from the list, or any typed in.
pub(super) fn format_row_ui(ui: &mut egui::Ui, f: &Field, out: &mut Vec<Command>) {
    let l = ui.label("Text format");
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_id_salt("field_format")
            .selected_text(f.format.as_deref().unwrap_or("(none)"))
            .show_ui(ui, |ui| {
                if ui.selectable_label(f.format.is_none(), "(none)").clicked() {
                    set(out, &f.path, Attr::Format(None));
                }
                for &fmt in COMMON_FORMATS {
                    if ui
                        .selectable_label(f.format.as_deref() == Some(fmt), fmt)
                        .clicked()
                    {
                        set(out, &f.path, Attr::Format(Some(fmt.to_string())));
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
            set(
                out,
                &f.path,
                Attr::Format(Some(text).filter(|t| !t.is_empty())),
            );
        }
    });
    ui.end_row();
}

/// The allowed values (`enum`), one per line.
pub(super) fn allowed_values_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    f: &Field,
    out: &mut Vec<Command>,
) {
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
        &f.path,
        out,
    );
}

/// A text's minimum and maximum length and its pattern.
pub(super) fn string_limits_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    f: &Field,
    out: &mut Vec<Command>,
) {
    let show = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    input_ui(
        ui,
        d,
        "Min length",
        show(f.min_length),
        "no minimum",
        Input::MinLength,
        &f.path,
        out,
    );
    input_ui(
        ui,
        d,
        "Max length",
        show(f.max_length),
        "no maximum",
        Input::MaxLength,
        &f.path,
        out,
    );
    text_attr_ui(
        ui,
        "Pattern",
        f.pattern.as_ref(),
        "a regular expression",
        out,
        &f.path,
        Attr::Pattern,
    );
}

/// A number's minimum and maximum, kept as written.
pub(super) fn number_limits_ui(
    ui: &mut egui::Ui,
    d: &DesignerState,
    f: &Field,
    out: &mut Vec<Command>,
) {
    let show =
        |n: &Option<serde_json::Number>| n.as_ref().map(|n| n.to_string()).unwrap_or_default();
    input_ui(
        ui,
        d,
        "Minimum",
        show(&f.minimum),
        "no minimum",
        Input::Minimum,
        &f.path,
        out,
    );
    input_ui(
        ui,
        d,
        "Maximum",
        show(&f.maximum),
        "no maximum",
        Input::Maximum,
        &f.path,
        out,
    );
}
