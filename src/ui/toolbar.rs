//! The toolbar: one row of actions that never overlap. When the window is too narrow for
//! every label, the least used actions show their icon only, and then move into the
//! overflow menu ("More toolbar actions"), in that order.

use egui::{Align, Layout, RichText};

use super::theme::{self, Icon};
use crate::app::chrome::{ChromeCommand, SidePanel};
use crate::app::remote::SyncCommand;
use crate::app::{AppState, Command, ExportFormat};
use crate::settings::Theme;

/// The accessible name of the overflow menu's button.
pub const MORE_LABEL: &str = "More toolbar actions";

/// Everything the toolbar offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    New,
    Template,
    Import,
    Export,
    Undo,
    Redo,
    Format,
    Servers,
    Push,
    Pull,
    Schemas,
    History,
    Theme,
    Settings,
    Recent,
    Help,
}

/// How an action is shown this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Full,
    Icon,
    Overflow,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::New,
        Action::Template,
        Action::Import,
        Action::Export,
        Action::Undo,
        Action::Redo,
        Action::Format,
        Action::Servers,
        Action::Push,
        Action::Pull,
        Action::Schemas,
        Action::History,
        Action::Theme,
        Action::Settings,
        Action::Recent,
        Action::Help,
    ];

    /// The accessible name (and the label when there is room).
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "New",
            Action::Template => "From template…",
            Action::Import => "Import…",
            Action::Export => "Export",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Format => "Format",
            Action::Servers => "Servers…",
            Action::Push => "Push…",
            Action::Pull => "Pull…",
            Action::Schemas => "Schemas",
            Action::History => "History",
            Action::Theme => "Theme",
            Action::Settings => "Settings…",
            Action::Recent => "Recent",
            Action::Help => "Help",
        }
    }

    fn icon(self) -> Icon {
        match self {
            Action::New => Icon::New,
            Action::Template => Icon::Template,
            Action::Import => Icon::Import,
            Action::Export => Icon::Export,
            Action::Undo => Icon::Undo,
            Action::Redo => Icon::Redo,
            Action::Format => Icon::Format,
            Action::Servers => Icon::Servers,
            Action::Push => Icon::Push,
            Action::Pull => Icon::Pull,
            Action::Schemas => Icon::Schemas,
            Action::History => Icon::History,
            Action::Theme => Icon::Theme,
            Action::Settings => Icon::Settings,
            Action::Recent => Icon::Recent,
            Action::Help => Icon::Help,
        }
    }

    /// Higher keeps its label (and its place in the row) longer.
    fn priority(self) -> u8 {
        match self {
            Action::New => 9,
            Action::Push | Action::Pull => 8,
            Action::Import => 7,
            Action::Export | Action::History => 6,
            Action::Servers => 5,
            Action::Schemas | Action::Template => 4,
            Action::Undo | Action::Redo | Action::Format => 3,
            Action::Settings | Action::Help => 2,
            Action::Theme | Action::Recent => 1,
        }
    }

    /// Actions of one group sit together, with a separator between groups.
    fn group(self) -> u8 {
        match self {
            Action::New | Action::Template | Action::Import | Action::Export => 0,
            Action::Undo | Action::Redo | Action::Format => 1,
            Action::Servers | Action::Push | Action::Pull => 2,
            _ => 3,
        }
    }

    fn is_menu(self) -> bool {
        matches!(
            self,
            Action::Template | Action::Export | Action::Theme | Action::Recent | Action::Help
        )
    }

    fn hover(self, ctx: &egui::Context) -> String {
        match self {
            Action::New => format!(
                "Create a new schema ({})",
                ctx.format_shortcut(&crate::app::chrome::NEW_SHORTCUT)
            ),
            Action::Template => "Create a new schema from a template".into(),
            Action::Import => format!(
                "Import a JSON Schema or a request body file, or drop a .json file on the window ({})",
                ctx.format_shortcut(&crate::app::chrome::IMPORT_SHORTCUT)
            ),
            Action::Export => "Export the last saved revision".into(),
            Action::Undo => format!("Undo ({})", ctx.format_shortcut(&crate::app::UNDO_SHORTCUT)),
            Action::Redo => format!("Redo ({})", ctx.format_shortcut(&crate::app::REDO_SHORTCUT)),
            Action::Format => format!(
                "Pretty-print the JSON, two-space indent ({})",
                ctx.format_shortcut(&crate::app::chrome::FORMAT_SHORTCUT)
            ),
            Action::Servers => "The ZITADEL servers to push to and pull from".into(),
            Action::Push => {
                "Push the last saved revision to a server, after a compatibility check".into()
            }
            Action::Pull => {
                "The server's schemas beside the local ones; import, deactivate, delete".into()
            }
            Action::Schemas => "Show or hide the schema list".into(),
            Action::History => "Show or hide the revision history".into(),
            Action::Theme => "Light, dark, or as the system".into(),
            Action::Settings => "Theme, font size, default server".into(),
            Action::Recent => "Files you imported or exported".into(),
            Action::Help => "Keyboard shortcuts, About".into(),
        }
    }

    fn enabled(self, state: &AppState) -> bool {
        let has_editor = state.editor.is_some();
        match self {
            Action::Export | Action::Format | Action::Push | Action::Schemas => has_editor,
            Action::Undo => state.can_undo,
            Action::Redo => state.can_redo,
            Action::Recent => !state.prefs.recent_files.is_empty(),
            _ => true,
        }
    }

    /// For toggles: whether it is on.
    fn selected(self, state: &AppState) -> Option<bool> {
        match self {
            Action::Schemas => Some(state.chrome.panels.list),
            Action::History => Some(state.chrome.panels.history),
            _ => None,
        }
    }
}

fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE)
        .size()
        .x
}

/// Decides each action's mode so that the row fits `available` points.
fn plan(ui: &egui::Ui, available: f32) -> (bool, Vec<(Action, Mode)>) {
    let spacing = ui.spacing().item_spacing.x;
    let pad = 2.0 * ui.spacing().button_padding.x;
    let icon = ui.text_style_height(&egui::TextStyle::Button);
    let gap = ui.spacing().icon_spacing.max(spacing);
    let full: Vec<f32> = Action::ALL
        .iter()
        .map(|a| icon + gap + text_width(ui, a.label()) + pad)
        .collect();
    let icon_only: Vec<f32> = vec![icon + pad; Action::ALL.len()];
    let brand = text_width(ui, "schemadesk") + 2.0 * spacing + 8.0;
    let more = icon + pad + spacing;
    let separator = 2.0 * spacing + 1.0;
    let mut modes = vec![Mode::Full; Action::ALL.len()];
    let total = |modes: &[Mode], brand_on: bool| {
        let mut w = if brand_on { brand } else { 0.0 };
        let mut last_group = None;
        let mut any_hidden = false;
        for (i, a) in Action::ALL.iter().enumerate() {
            let width = match modes[i] {
                Mode::Full => full[i],
                Mode::Icon => icon_only[i],
                Mode::Overflow => {
                    any_hidden = true;
                    continue;
                }
            };
            if last_group.is_some_and(|g| g != a.group()) {
                w += separator;
            }
            last_group = Some(a.group());
            w += width + spacing;
        }
        if any_hidden {
            w += more;
        }
        // A little slack for rounding and the frame's margins.
        w + 8.0
    };
    let mut brand_on = true;
    if total(&modes, brand_on) <= available {
        return (brand_on, Action::ALL.iter().copied().zip(modes).collect());
    }
    brand_on = false;
    let mut by_priority: Vec<usize> = (0..Action::ALL.len()).collect();
    by_priority.sort_by_key(|&i| Action::ALL[i].priority());
    for step in [Mode::Icon, Mode::Overflow] {
        for &i in &by_priority {
            if total(&modes, brand_on) <= available {
                break;
            }
            modes[i] = step;
        }
    }
    (brand_on, Action::ALL.iter().copied().zip(modes).collect())
}

pub fn toolbar_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.add_space(theme::space::S);
    let available = ui.available_width();
    let (brand, plan) = plan(ui, available);
    ui.horizontal(|ui| {
        if brand {
            ui.label(
                RichText::new("schemadesk")
                    .strong()
                    .size(ui.text_style_height(&egui::TextStyle::Body) + 1.0),
            );
            ui.separator();
        }
        let mut last_group = None;
        // The fourth group (view and app) sits at the right edge.
        let mut right: Vec<(Action, Mode)> = Vec::new();
        for &(a, mode) in &plan {
            if mode == Mode::Overflow {
                continue;
            }
            if a.group() == 3 {
                right.push((a, mode));
                continue;
            }
            if last_group.is_some_and(|g| g != a.group()) {
                ui.separator();
            }
            last_group = Some(a.group());
            action_ui(ui, a, mode == Mode::Icon, state, out);
        }
        let hidden: Vec<Action> = plan
            .iter()
            .filter(|(_, m)| *m == Mode::Overflow)
            .map(|(a, _)| *a)
            .collect();
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if !hidden.is_empty() {
                ui.menu_button(Icon::More.atom(ui), |ui| {
                    for a in &hidden {
                        action_ui(ui, *a, false, state, out);
                    }
                })
                .response
                .on_hover_text("More actions")
                .accessible_name(MORE_LABEL);
            }
            for &(a, mode) in right.iter().rev() {
                action_ui(ui, a, mode == Mode::Icon, state, out);
            }
            if !right.is_empty() && last_group.is_some() {
                ui.separator();
            }
        });
    });
    ui.add_space(theme::space::XS);
}

/// One action as a button, toggle or menu; `compact` shows the icon only. Inside a menu,
/// menus become submenus.
fn action_ui(
    ui: &mut egui::Ui,
    a: Action,
    compact: bool,
    state: &mut AppState,
    out: &mut Vec<Command>,
) {
    let text = if compact {
        egui::Atoms::new(a.icon().atom(ui))
    } else {
        egui::Atoms::new((a.icon().atom(ui), a.label()))
    };
    let hover = a.hover(ui.ctx());
    let enabled = a.enabled(state);
    if a.is_menu() {
        ui.add_enabled_ui(enabled, |ui| {
            ui.menu_button(text, |ui| menu_contents(ui, a, state, out))
                .response
                .on_hover_text(hover)
                .accessible_name(a.label());
        });
        return;
    }
    let button = match a.selected(state) {
        Some(on) => egui::Button::selectable(on, text),
        None => egui::Button::new(text),
    };
    let response = ui
        .add_enabled(enabled, button)
        .on_hover_text(hover.clone())
        .on_disabled_hover_text(match a {
            Action::Push | Action::Export => "Open a schema first".to_owned(),
            _ => hover,
        })
        .accessible_name(a.label());
    if !response.clicked() {
        return;
    }
    if egui::containers::menu::is_in_menu(ui) {
        ui.close();
    }
    let command = match a {
        Action::New => Command::Chrome(ChromeCommand::AskNew),
        Action::Import => Command::ImportDialog,
        Action::Undo => Command::Undo,
        Action::Redo => Command::Redo,
        Action::Format => Command::Format,
        Action::Servers => Command::Sync(SyncCommand::OpenServers),
        Action::Push => Command::Sync(SyncCommand::OpenPush),
        Action::Pull => Command::Sync(SyncCommand::OpenRemote(None)),
        Action::Schemas => Command::Chrome(ChromeCommand::ShowPanel(
            SidePanel::List,
            !state.chrome.panels.list,
        )),
        Action::History => Command::Chrome(ChromeCommand::ShowPanel(
            SidePanel::History,
            !state.chrome.panels.history,
        )),
        Action::Settings => Command::Chrome(ChromeCommand::OpenSettings),
        Action::Template | Action::Export | Action::Theme | Action::Recent | Action::Help => {
            return;
        }
    };
    out.push(command);
}

fn menu_contents(ui: &mut egui::Ui, a: Action, state: &AppState, out: &mut Vec<Command>) {
    match a {
        Action::Template => super::designer::template_menu_ui(ui, out),
        Action::Export => {
            if ui.button("JSON Schema only…").clicked() {
                out.push(Command::Export(ExportFormat::Schema));
                ui.close();
            }
            if ui
                .button("Request body (type, schema, authenticators)…")
                .clicked()
            {
                out.push(Command::Export(ExportFormat::Body));
                ui.close();
            }
            super::interchange::export_button_ui(ui, out);
        }
        Action::Theme => {
            for choice in Theme::ALL {
                if ui
                    .radio(state.prefs.theme == choice, choice.label())
                    .clicked()
                {
                    out.push(Command::SetTheme(choice));
                    ui.close();
                }
            }
        }
        Action::Recent => super::chrome::recent_menu_ui(ui, state, out),
        Action::Help => super::chrome::help_menu_ui(ui, out),
        _ => {}
    }
}
