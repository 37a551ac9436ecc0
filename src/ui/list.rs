//! The schema list: search, state badges, unsaved marker and the list actions.

use egui::{Align, Layout, RichText};

use super::colors;
use super::theme::{self, Icon};
use crate::app::{AppState, Command};
use crate::nextgen::Target;
use crate::printable::printable;
use crate::store::SchemaSummary;

pub fn schema_list_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading("Schemas");
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.label(RichText::new(format!("{}", state.schemas.len())).weak());
        });
    });
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut state.search)
                .id(crate::app::chrome::search_id())
                .hint_text("Search schemas")
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Search schemas");
    if std::mem::take(&mut state.chrome.focus_search) {
        search.request_focus();
    }
    ui.horizontal_wrapped(|ui| {
        let mut archived = state.window.show_archived;
        let mut deleted = state.window.show_deleted;
        let a = ui.checkbox(&mut archived, "Show archived");
        let d = ui.checkbox(&mut deleted, "Show deleted");
        if a.changed() || d.changed() {
            out.push(Command::SetFilter { archived, deleted });
        }
    });
    super::workspace::open_button_ui(ui, state, out);
    ui.separator();

    let needle = state.search.trim().to_lowercase();
    let dirty_id = state.editor.as_ref().filter(|e| e.dirty).map(|e| e.id);
    let visible: Vec<&SchemaSummary> = state
        .schemas
        .iter()
        .filter(|s| needle.is_empty() || s.type_name.to_lowercase().contains(&needle))
        .collect();

    // Up/Down move the keyboard focus between the rows (egui does that); the row that receives
    // focus by an arrow key is opened, so the list works like a list box.
    let arrow_id = egui::Id::unique("schema_list_arrow");
    let pass = ui.ctx().cumulative_pass_nr();
    let arrow = ui.input(|i| {
        i.modifiers.is_none()
            && (i.key_pressed(egui::Key::ArrowUp) || i.key_pressed(egui::Key::ArrowDown))
    });
    let arrow_pass: Option<u64> = ui.data(|d| d.get_temp(arrow_id));
    let arrow_recent = arrow_pass.is_some_and(|p| p + 2 >= pass);

    // The actions below the list may wrap on a narrow panel: the list leaves them the
    // height they took last frame.
    let actions_id = egui::Id::unique("schema_list_actions_height");
    let actions_height = ui.data(|d| d.get_temp::<f32>(actions_id)).unwrap_or(64.0);
    egui::ScrollArea::vertical()
        .id_salt("schema_scroll")
        .max_height((ui.available_height() - actions_height).max(60.0))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if visible.is_empty() {
                ui.label(
                    RichText::new(if state.schemas.is_empty() {
                        "No schemas yet."
                    } else {
                        "No schema matches the search."
                    })
                    .weak(),
                );
            }
            for s in &visible {
                let selected = state.selected == Some(s.id);
                let mut text = RichText::new(printable(&s.type_name));
                if s.deleted_at.is_some() {
                    text = text.strikethrough().weak();
                } else if s.archived {
                    text = text.weak();
                }
                let visuals = ui.visuals().clone();
                let marker = if dirty_id == Some(s.id) {
                    RichText::new("• ").color(colors::warn(&visuals)).strong()
                } else {
                    RichText::new("")
                };
                let badge = if s.deleted_at.is_some() {
                    RichText::new("deleted ")
                        .small()
                        .color(colors::error(&visuals))
                } else if s.archived {
                    RichText::new("archived ")
                        .small()
                        .color(colors::warn(&visuals))
                } else {
                    RichText::new("")
                };
                let sync_badge =
                    super::servers::badge_text(state, s.id).unwrap_or_else(|| RichText::new(""));
                let target = target_badge(state.target_of(s.id));
                let revision = RichText::new(format!("r{}", s.latest_revision))
                    .small()
                    .weak();
                let mut hover = format!(
                    "{} - {}, revision {}, updated {}",
                    printable(&s.type_name),
                    state.target_of(s.id).label(),
                    s.latest_revision,
                    crate::when::local(&s.updated_at)
                );
                if dirty_id == Some(s.id) {
                    hover.push_str("\nUnsaved changes");
                }
                let response = ui
                    .add(
                        egui::Button::selectable(selected, text)
                            .right_text((marker, badge, sync_badge, target, revision))
                            .truncate()
                            .min_size(egui::vec2(ui.available_width(), 24.0)),
                    )
                    .on_hover_text(hover)
                    .accessible_name(row_name(&s.type_name, state.target_of(s.id)));
                // Focus moved by an arrow key lands at the end of the pass, so this is the row
                // that has focus in the pass or two after the key.
                let by_arrow = response.has_focus() && arrow_recent && !selected;
                if response.clicked() || by_arrow {
                    out.push(Command::SelectSchema(s.id));
                }
                if response.has_focus() && arrow {
                    ui.data_mut(|d| d.insert_temp(arrow_id, pass));
                }
            }
        });

    let top = ui.cursor().top();
    ui.separator();
    list_actions_ui(ui, state, out);
    let used = ui.cursor().top() - top + theme::space::S;
    ui.data_mut(|d| d.insert_temp(actions_id, used));
}

/// The row's target: "nextgen" stands out; v3alpha, the default, shows nothing.
fn target_badge(target: Target) -> RichText {
    match target {
        Target::Nextgen => RichText::new("nextgen ").small().strong(),
        Target::V3alpha => RichText::new(""),
    }
}

/// A row's accessible name: the type, and the target when it is not the default, so a screen
/// reader hears the badge too.
fn row_name(type_name: &str, target: Target) -> String {
    match target {
        Target::Nextgen => format!("{}, nextgen", printable(type_name)),
        Target::V3alpha => printable(type_name).into_owned(),
    }
}

/// A list action: icon and label, named by the label alone.
fn action(
    ui: &mut egui::Ui,
    icon: Icon,
    label: &str,
    enabled: bool,
    danger: bool,
) -> egui::Response {
    let mut text = RichText::new(label);
    if danger {
        text = text.color(colors::error(ui.visuals()));
    }
    let button = theme::icon_button(ui, icon, text);
    ui.add_enabled(enabled, button)
}

fn list_actions_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(s) = state.selected_summary().cloned() else {
        ui.label(theme::text::note("Select a schema for more actions."));
        return;
    };
    let dirty = state.is_dirty();
    ui.horizontal_wrapped(|ui| {
        if s.deleted_at.is_some() {
            if action(ui, Icon::Undelete, "Undelete", true, false).clicked() {
                out.push(Command::Undelete(s.id));
            }
            if action(ui, Icon::Purge, "Purge…", true, true)
                .on_hover_text("Remove the schema and all its revisions for good")
                .clicked()
            {
                out.push(Command::AskPurge(s.id));
            }
            return;
        }
        if action(ui, Icon::Duplicate, "Duplicate", true, false)
            .on_hover_text("Copy the last saved revision into a new schema")
            .clicked()
        {
            out.push(Command::DuplicateSchema(s.id));
        }
        if action(ui, Icon::Rename, "Rename…", !dirty, false)
            .on_disabled_hover_text("Save or discard your changes first")
            .clicked()
        {
            out.push(Command::StartRename(s.id));
        }
        let (label, archived) = if s.archived {
            ("Unarchive", false)
        } else {
            ("Archive", true)
        };
        if action(ui, Icon::Archive, label, true, false).clicked() {
            out.push(Command::SetArchived(s.id, archived));
        }
        if action(ui, Icon::Delete, "Delete…", true, true).clicked() {
            out.push(Command::AskDelete(s.id));
        }
    });
}
