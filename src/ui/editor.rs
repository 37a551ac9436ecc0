//! The editor pane: the type field, the authenticator checkboxes, the JSON editor (in
//! [`super::json_editor`]), the problems list and the save bar.

use egui::{RichText, TextStyle};

use super::colors;
use super::json_editor::json_editor_ui;
pub use super::json_editor::{LaidOut, auto_indent, json_editor_id, laid_out};
use super::theme::{self, size};
use crate::app::{AppState, Command, EditKind, Editor, SAVE_SHORTCUT};
use crate::nextgen::Target;
use crate::schema::AuthenticatorType;
use crate::schema::validate::Diagnostic;

/// One problem as a clickable line (error-coloured) that jumps to its place in the JSON.
pub(crate) fn problem_link(
    ui: &mut egui::Ui,
    text: RichText,
    hover: &str,
    problem: &Diagnostic,
    out: &mut Vec<Command>,
) {
    let text = text.color(colors::error(ui.visuals()));
    if ui
        .add(egui::Button::selectable(false, text).wrap())
        .on_hover_text(hover)
        .clicked()
    {
        out.push(Command::JumpTo {
            line: problem.line,
            column: problem.column,
        });
    }
}

pub fn editor_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    let others: Vec<String> = state
        .schemas
        .iter()
        .filter(|s| Some(s.id) != state.editor.as_ref().map(|e| e.id))
        .map(|s| s.type_name.clone())
        .collect();
    let target = state
        .editor
        .as_ref()
        .map(|e| state.target_of(e.id))
        .unwrap_or_default();
    // A nextgen schema says which meta-schema (and so which nextgen version) it is checked against.
    let checks = state
        .editor
        .as_ref()
        .filter(|_| target == Target::Nextgen)
        .map(|e| state.workspace.checks_against(e.id));
    let Some(editor) = &mut state.editor else {
        return;
    };
    // On a short window the authenticators fold into a menu, so the JSON keeps its room.
    let compact = ui.available_height() < theme::scaled(ui.ctx(), 520.0);
    header_ui(
        ui,
        editor,
        &others,
        (target, checks.as_deref()),
        compact,
        out,
    );
    ui.add_space(theme::space::XS);
    egui::Panel::bottom("save_bar")
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(0, 6)))
        .show(ui, |ui| save_bar_ui(ui, editor, out));
    let problems_height = (ui.available_height() * 0.18).clamp(48.0, 96.0);
    egui::Panel::bottom("problems")
        .resizable(true)
        .default_size(problems_height)
        .size_range(40.0..=400.0)
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(0, 4)))
        .show(ui, |ui| problems_ui(ui, editor, out));
    egui::CentralPanel::no_frame().show(ui, |ui| json_editor_ui(ui, editor, out));
}

fn header_ui(
    ui: &mut egui::Ui,
    editor: &mut Editor,
    others: &[String],
    (target, checks): (Target, Option<&str>),
    compact: bool,
    out: &mut Vec<Command>,
) {
    egui::Grid::new("draft_header")
        .num_columns(2)
        .spacing([theme::space::L, theme::space::S + 2.0])
        .show(ui, |ui| {
            ui.label(theme::text::label("Target"))
                .on_hover_text("Which ZITADEL this schema is designed for");
            let name = RichText::new(target.label());
            ui.horizontal_wrapped(|ui| {
                ui.label(match target {
                    Target::Nextgen => name.strong(),
                    Target::V3alpha => name.weak(),
                })
                .on_hover_text("Set when the schema is made; convert makes a copy for the other");
                super::convert::convert_button_ui(ui, target, out);
            });
            ui.end_row();
            if let Some(checks) = checks {
                ui.label(theme::text::label("Checked against"));
                ui.label(theme::text::detail(checks));
                ui.end_row();
            }

            let label = ui.label(theme::text::label("Type"));
            ui.horizontal_wrapped(|ui| {
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut editor.parts.type_name)
                            .hint_text("e.g. employee")
                            .desired_width(theme::input_width(ui, size::INPUT)),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    out.push(Command::Edited(EditKind::Type));
                }
                let chars = editor.parts.type_name.chars().count();
                let taken = type_taken(&editor.parts.type_name, &editor.saved.type_name, others);
                match (editor.type_error(), taken) {
                    (Some(error), _) => {
                        ui.colored_label(colors::error(ui.visuals()), error);
                    }
                    (None, Some(taken)) => {
                        ui.colored_label(colors::error(ui.visuals()), taken);
                    }
                    (None, None) => {
                        ui.label(theme::text::detail(format!("{chars} of 200 characters")));
                    }
                }
            });
            ui.end_row();

            if target == Target::Nextgen {
                ui.label(theme::text::label("Sign-in"))
                    .on_hover_text("The document's x-auth-methods and x-identifier");
                let methods = |ui: &mut egui::Ui, d: &mut serde_json::Value| {
                    super::nextgen::methods_ui(ui, d) | super::nextgen::identifier_ui(ui, d)
                };
                if compact {
                    ui.menu_button("Sign-in methods", |ui| {
                        nextgen_edit_ui(ui, editor, out, methods)
                    })
                    .response
                    .on_hover_text("What users of this schema may sign in with");
                } else {
                    ui.horizontal_wrapped(|ui| nextgen_edit_ui(ui, editor, out, methods));
                }
                ui.end_row();
                ui.label(theme::text::label("Display name"))
                    .on_hover_text("x-display: the fields that make a user's name, in order");
                if compact {
                    ui.menu_button("Display name fields", |ui| {
                        nextgen_edit_ui(ui, editor, out, super::nextgen::display_order_ui)
                    });
                } else {
                    ui.vertical(|ui| {
                        nextgen_edit_ui(ui, editor, out, super::nextgen::display_order_ui)
                    });
                }
                ui.end_row();
                return;
            }
            ui.label(theme::text::label("Authenticators"))
                .on_hover_text("What users of this schema may sign in with");
            let checkboxes = |ui: &mut egui::Ui, out: &mut Vec<Command>| {
                for a in AuthenticatorType::ALL {
                    let mut on = editor.parts.authenticators.contains(&a);
                    if ui
                        .checkbox(&mut on, a.label())
                        .on_hover_text(a.description())
                        .changed()
                    {
                        out.push(Command::SetAuthenticator(a, on));
                    }
                }
            };
            if compact {
                let ticked: Vec<&str> = AuthenticatorType::ALL
                    .iter()
                    .filter(|a| editor.parts.authenticators.contains(a))
                    .map(|a| a.label())
                    .collect();
                let summary = match ticked.len() {
                    0 => "none".to_owned(),
                    1..=2 => ticked.join(", "),
                    n => format!("{}, {} and {} more", ticked[0], ticked[1], n - 2),
                };
                ui.menu_button(summary, |ui| checkboxes(ui, out))
                    .response
                    .on_hover_text("Tick what users of this schema may sign in with")
                    .accessible_name("Choose authenticators");
            } else {
                ui.horizontal_wrapped(|ui| checkboxes(ui, out));
            }
            ui.end_row();
        });
    if target == Target::V3alpha {
        authenticator_note_ui(ui, editor);
    }
}

/// Nextgen controls (`controls`) over the document, edited through the JSON text: a change
/// rewrites the text and counts as one edit (undo, validation, unsaved marker).
fn nextgen_edit_ui(
    ui: &mut egui::Ui,
    editor: &mut Editor,
    out: &mut Vec<Command>,
    controls: impl FnOnce(&mut egui::Ui, &mut serde_json::Value) -> bool,
) {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&editor.parts.schema_text) else {
        ui.label(theme::text::note("Fix the JSON to use these controls."));
        return;
    };
    if controls(ui, &mut doc) {
        editor.parts.schema_text = crate::schema::pretty(&doc);
        out.push(Command::Edited(EditKind::Replace));
    }
}

/// A problem with the type that only the list knows: another schema already has it.
pub(crate) fn type_taken(type_name: &str, saved: &str, others: &[String]) -> Option<String> {
    let t = type_name.trim();
    (t != saved && others.iter().any(|o| o == t))
        .then(|| format!("another schema already has the type \"{t}\""))
}

/// One line under the authenticators, always there (so nothing below jumps when it fills):
/// a warning when none is ticked, a note when some were unticked.
fn authenticator_note_ui(ui: &mut egui::Ui, editor: &Editor) {
    let removed = editor.removed_authenticators();
    let (text, full) = if editor.parts.authenticators.is_empty() {
        let t = "No authenticator is ticked: users of this schema could not sign in.".to_owned();
        (
            RichText::new(t.clone()).color(colors::warn(ui.visuals())),
            t,
        )
    } else if !removed.is_empty() {
        let names: Vec<&str> = removed.iter().map(|a| a.label()).collect();
        let t = format!(
            "Note: unticked {}. Users who already have {} keep it: removing an authenticator type \
             from the schema does not remove it from existing users.",
            names.join(", "),
            if removed.len() == 1 { "it" } else { "them" }
        );
        (
            RichText::new(t.clone()).color(colors::warn(ui.visuals())),
            t,
        )
    } else {
        (RichText::new(" "), String::new())
    };
    let response = ui.add(egui::Label::new(text).truncate());
    if !full.is_empty() {
        response.on_hover_text(full);
    }
}

/// "revision 8 · saved" or "revision 8 · unsaved changes", in the status colours.
pub(crate) fn revision_text(ui: &egui::Ui, editor: &Editor) -> RichText {
    let saved = format!("revision {}", editor.saved_revision);
    if editor.dirty {
        RichText::new(format!("{saved} · unsaved changes")).color(colors::warn(ui.visuals()))
    } else {
        theme::text::note(format!("{saved} · saved"))
    }
}

/// The revision message and the save button; the designer and the preview use it too.
pub(crate) fn save_bar_ui(ui: &mut egui::Ui, editor: &mut Editor, out: &mut Vec<Command>) {
    let shortcut = ui.ctx().format_shortcut(&SAVE_SHORTCUT);
    ui.horizontal(|ui| {
        if editor.archived {
            ui.label(RichText::new("archived").color(colors::warn(ui.visuals())));
        }
        ui.label(revision_text(ui, editor));
        // The message takes what the save button leaves, within the input sizes.
        let save_width = ui.text_style_height(&TextStyle::Button) * 8.0;
        let width = (ui.available_width() - save_width).clamp(size::MIN_INPUT, size::INPUT);
        ui.add(
            egui::TextEdit::singleline(&mut editor.message)
                .hint_text("Revision message (optional)")
                .desired_width(width),
        )
        .accessible_name("Revision message");
        let save = ui
            .add_enabled(
                editor.dirty,
                theme::icon_button(
                    ui,
                    theme::Icon::Save,
                    RichText::new("Save revision").strong(),
                ),
            )
            .on_hover_text(format!("Save the draft as a new revision ({shortcut})"))
            .on_disabled_hover_text("No unsaved changes");
        if save.clicked() {
            out.push(Command::Save);
        }
    });
}

fn problems_ui(ui: &mut egui::Ui, editor: &mut Editor, out: &mut Vec<Command>) {
    let v = &editor.validation;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Problems").strong());
        if v.is_pending() {
            ui.add(egui::Spinner::new().size(11.0));
            ui.label(theme::text::note("checking…"));
        } else if v.diagnostics.is_empty() && editor.type_error().is_none() {
            ui.label(
                RichText::new("No problems: the schema is valid").color(colors::ok(ui.visuals())),
            );
        } else {
            let n = v.diagnostics.len() + usize::from(editor.type_error().is_some());
            ui.label(RichText::new(format!("{n} problem(s)")).color(colors::error(ui.visuals())));
            if editor.save_rejected {
                ui.label(theme::text::note("— fix them to save"));
            }
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("problems_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(error) = editor.type_error() {
                ui.label(
                    RichText::new(format!("type: {error}"))
                        .monospace()
                        .color(colors::error(ui.visuals())),
                );
            }
            for d in &v.diagnostics {
                let text = format!(
                    "{}:{}  {}  {}",
                    d.line,
                    d.column,
                    d.pointer_display(),
                    d.message
                );
                problem_link(
                    ui,
                    RichText::new(text).monospace(),
                    "Go to this line",
                    d,
                    out,
                );
            }
        });
}
