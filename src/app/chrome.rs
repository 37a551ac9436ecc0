//! The window chrome around the editor: the settings file (theme, font size, default server,
//! recent files), the About dialog, the Settings window, the shortcut list (F1) and the global
//! keyboard shortcuts.
//!
//! There is one settings model, [`crate::settings::Settings`] (the TOML file), kept in
//! [`AppState::prefs`]. What eframe remembers between runs ([`super::WindowState`]: last schema,
//! panel toggles, filters) is window state, not preferences.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use super::remote::SyncCommand;
use super::tasks::{Queue, Wake};
use super::{AppState, Command, Controller, ExportFormat, StatusKind};
use crate::settings::{self as prefs, FontSize, Theme};

pub const NEW_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const IMPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const EXPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const SEARCH_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const FORMAT_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::F);
pub const HELP_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);

/// The id of the schema list's search box (Ctrl+F focuses it).
pub fn search_id() -> egui::Id {
    egui::Id::unique("schema_search")
}

/// The shortcut list shown by F1: (keys, what they do).
pub fn shortcut_list(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    let f = |s: &KeyboardShortcut| ctx.format_shortcut(s);
    vec![
        (f(&super::SAVE_SHORTCUT), "Save the draft as a new revision"),
        (f(&super::UNDO_SHORTCUT), "Undo"),
        (f(&super::REDO_SHORTCUT), "Redo"),
        (f(&NEW_SHORTCUT), "New schema"),
        (f(&IMPORT_SHORTCUT), "Import a file"),
        (f(&EXPORT_SHORTCUT), "Export the request body"),
        (f(&SEARCH_SHORTCUT), "Search the schema list"),
        (f(&FORMAT_SHORTCUT), "Format the JSON"),
        (f(&HELP_SHORTCUT), "This list of shortcuts"),
        ("Escape".to_owned(), "Close the open dialog"),
        (
            "Escape, then Tab".to_owned(),
            "Leave the JSON editor (where Tab indents)",
        ),
        (
            "Tab / Shift+Tab".to_owned(),
            "Move between fields, lists and buttons",
        ),
        (
            "Space / Enter".to_owned(),
            "Press the focused button or checkbox",
        ),
        (
            "Up / Down".to_owned(),
            "Move between schemas in the list (when one has focus)",
        ),
    ]
}

/// The chrome's windows and the Settings window's pending edits.
#[derive(Debug, Clone, Default)]
pub struct ChromeState {
    pub about_open: bool,
    pub shortcuts_open: bool,
    pub settings_open: bool,
    /// The Settings window's problem (e.g. the file could not be written).
    pub settings_error: Option<String>,
    /// The About dialog's facts, read in the background when it first opens.
    pub facts: Option<crate::service::about::Diagnostics>,
    /// Set by Ctrl+F; the list focuses its search box and clears it.
    pub focus_search: bool,
    /// The user collapsed the schema list (its toolbar toggle).
    pub hide_list: bool,
    /// The "New schema" dialog's type, while it is open.
    pub new_schema: Option<String>,
    /// The type the next new schema gets (set by the dialog's Create).
    pub new_type: Option<String>,
    /// The target the "New schema" dialog offers and the next new schema gets.
    pub new_target: crate::nextgen::Target,
    /// The side panel opened last by its toggle: it wins when only one fits.
    pub picked_panel: Option<SidePanel>,
    /// Which side panels this frame shows (set by the UI from the window's width).
    pub panels: PanelLayout,
}

/// The window's side panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePanel {
    List,
    History,
}

/// Which side panels are shown; on narrow windows they collapse to toolbar toggles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PanelLayout {
    pub list: bool,
    pub history: bool,
}

/// What the chrome's menus and windows ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum ChromeCommand {
    OpenAbout,
    OpenShortcuts,
    OpenSettings,
    /// Closes the topmost chrome window (Escape).
    CloseTop,
    CloseAbout,
    CloseShortcuts,
    CloseSettings,
    CopyDiagnostics,
    SetFontSize(f32),
    SetDefaultServer(Option<String>),
    ClearRecent,
    /// Opens the "New schema" dialog, which asks for the type.
    AskNew,
    /// Creates a schema of this type (the dialog's Create).
    CreateNew(String),
    CloseNew,
    /// Shows or hides a side panel (its toolbar toggle).
    ShowPanel(SidePanel, bool),
}

/// The theme as egui's preference.
pub fn theme_preference(theme: Theme) -> egui::ThemePreference {
    match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Light => egui::ThemePreference::Light,
        Theme::Dark => egui::ThemePreference::Dark,
    }
}

/// egui's text styles scaled so that [`FontSize::DEFAULT`] is egui's own size.
pub fn apply_font_size(ctx: &egui::Context, size: FontSize) {
    let scale = size.points() / FontSize::DEFAULT.points();
    let defaults = egui::style::default_text_styles();
    ctx.all_styles_mut(|style| {
        for (text_style, font) in &mut style.text_styles {
            if let Some(d) = defaults.get(text_style) {
                font.size = d.size * scale;
            }
        }
    });
}

/// Loads the settings file for a GUI run. A malformed file is reported and left alone: the app
/// runs with defaults and does not write the file (`None` path) until the user fixes it.
pub fn load_prefs() -> (prefs::Settings, Option<PathBuf>, Option<String>) {
    let path = match prefs::Settings::path() {
        Ok(p) => p,
        Err(e) => return (prefs::Settings::default(), None, Some(e.to_string())),
    };
    match prefs::Settings::load_from(&path) {
        Ok(s) => (s, Some(path), None),
        Err(e) => {
            tracing::warn!("settings not loaded: {e}");
            (
                prefs::Settings::default(),
                None,
                Some(format!("{e} (using defaults; the file is left as it is)")),
            )
        }
    }
}

impl AppState {
    /// The About dialog's facts (no tokens, no schema contents): the ones read in the
    /// background when the dialog opened, or read now (copying them before they arrived).
    pub fn diagnostics(&self) -> crate::service::about::Diagnostics {
        self.chrome
            .facts
            .clone()
            .unwrap_or_else(|| facts(self.db_path.clone(), self.prefs_path.clone()))
    }
}

/// Reads the About dialog's facts (the OS name comes from a file).
fn facts(db: PathBuf, prefs: Option<PathBuf>) -> crate::service::about::Diagnostics {
    let mut d = crate::service::about::Diagnostics::collect();
    d.store = Some(db);
    if let Some(p) = prefs {
        d.settings = Some(p);
    }
    d
}

/// Disk work of the window chrome, in the order asked (two settings writes never overtake
/// each other).
pub enum ChromeJob {
    /// Writes the settings file.
    SavePrefs(prefs::Settings, PathBuf),
    /// Reads the About dialog's facts.
    ReadFacts { db: PathBuf, prefs: Option<PathBuf> },
}

pub enum ChromeDone {
    /// The settings file was written, or why not.
    PrefsSaved(Result<(), String>),
    Facts(Box<crate::service::about::Diagnostics>),
}

/// The chrome's background thread and its count of unanswered jobs.
pub struct ChromeTasks {
    queue: Queue<ChromeJob, ChromeDone>,
    pending: usize,
}

impl ChromeTasks {
    pub fn spawn(wake: Wake) -> Self {
        let queue = Queue::spawn("schemadesk-chrome", wake, |jobs, done| {
            for job in jobs {
                let answer = match job {
                    ChromeJob::SavePrefs(settings, path) => {
                        ChromeDone::PrefsSaved(settings.save_to(&path).map_err(|e| e.to_string()))
                    }
                    ChromeJob::ReadFacts { db, prefs } => {
                        ChromeDone::Facts(Box::new(facts(db, prefs)))
                    }
                };
                if !done.send(answer) {
                    return;
                }
            }
        });
        ChromeTasks { queue, pending: 0 }
    }

    fn send(&mut self, job: ChromeJob) -> bool {
        let sent = self.queue.send(job);
        if sent {
            self.pending += 1;
        }
        sent
    }

    pub fn is_idle(&self) -> bool {
        self.pending == 0
    }
}

impl Controller {
    /// Uses `prefs` (the settings file's contents) and writes changes to `path`; with `None`
    /// nothing is written (tests, or a settings file that did not parse).
    pub fn with_prefs(mut self, prefs: prefs::Settings, path: Option<PathBuf>) -> Self {
        self.state.prefs = prefs;
        self.state.prefs_path = path;
        self
    }

    /// Writes the settings file (a tiny file, written atomically) on the chrome's thread;
    /// problems go to the status bar and the Settings window, never a panic.
    pub(super) fn save_prefs(&mut self) {
        let Some(path) = self.state.prefs_path.clone() else {
            return;
        };
        if !self
            .chrome
            .send(ChromeJob::SavePrefs(self.state.prefs.clone(), path))
        {
            self.prefs_saved(Err("the settings thread stopped".into()));
        }
    }

    fn prefs_saved(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => self.state.chrome.settings_error = None,
            Err(e) => {
                tracing::warn!("settings not saved: {e}");
                let text = format!("Settings not saved: {e}");
                self.state.chrome.settings_error = Some(text.clone());
                self.state.info(StatusKind::Error, text);
            }
        }
    }

    /// Takes in what the chrome's thread answered.
    pub(super) fn poll_chrome(&mut self) {
        for done in self.chrome.queue.poll().answers {
            self.chrome.pending = self.chrome.pending.saturating_sub(1);
            match done {
                ChromeDone::PrefsSaved(result) => self.prefs_saved(result),
                ChromeDone::Facts(facts) => self.state.chrome.facts = Some(*facts),
            }
        }
    }

    /// Remembers a file that was imported, dropped or exported.
    pub(super) fn remember_file(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.state.prefs.add_recent_file(path);
        self.save_prefs();
    }

    pub(super) fn set_theme(&mut self, theme: Theme) {
        if self.state.prefs.theme != theme {
            self.state.prefs.theme = theme;
            self.save_prefs();
        }
    }

    /// The chrome's shortcuts, taken before any widget runs.
    pub(super) fn chrome_shortcuts(&mut self, i: &mut egui::InputState, out: &mut Vec<Command>) {
        // Ctrl+Shift+F first: Ctrl+F would match it too (shift is ignored when not asked for).
        if i.consume_shortcut(&FORMAT_SHORTCUT) {
            out.push(Command::Format);
        }
        if i.consume_shortcut(&SEARCH_SHORTCUT) {
            self.state.chrome.focus_search = true;
        }
        if i.consume_shortcut(&NEW_SHORTCUT) {
            out.push(Command::Chrome(ChromeCommand::AskNew));
        }
        if i.consume_shortcut(&IMPORT_SHORTCUT) {
            out.push(Command::ImportDialog);
        }
        if i.consume_shortcut(&EXPORT_SHORTCUT) {
            out.push(Command::Export(ExportFormat::Body));
        }
        if i.consume_shortcut(&HELP_SHORTCUT) {
            out.push(Command::Chrome(ChromeCommand::OpenShortcuts));
        }
        // Escape closes the topmost window; egui's modals close themselves.
        if self.state.modal.is_some() {
            return;
        }
        let chrome = &self.state.chrome;
        let sync = &self.state.sync;
        let close = if chrome.new_schema.is_some() {
            Some(Command::Chrome(ChromeCommand::CloseNew))
        } else if chrome.about_open || chrome.shortcuts_open || chrome.settings_open {
            Some(Command::Chrome(ChromeCommand::CloseTop))
        } else if sync.conflict.is_some() {
            Some(Command::Sync(SyncCommand::CloseConflict))
        } else if sync.push.is_some() {
            Some(Command::Sync(SyncCommand::ClosePush))
        } else if sync.remote.is_some() {
            Some(Command::Sync(SyncCommand::CloseRemote))
        } else if sync.servers_open {
            Some(Command::Sync(SyncCommand::CloseServers))
        } else {
            None
        };
        if let Some(close) = close
            && i.consume_key(Modifiers::NONE, Key::Escape)
        {
            out.push(close);
        }
    }

    pub(super) fn run_chrome(&mut self, command: ChromeCommand, ctx: &egui::Context) {
        let chrome = &mut self.state.chrome;
        match command {
            ChromeCommand::OpenAbout => {
                chrome.about_open = true;
                if chrome.facts.is_none() {
                    let job = ChromeJob::ReadFacts {
                        db: self.state.db_path.clone(),
                        prefs: self.state.prefs_path.clone(),
                    };
                    self.chrome.send(job);
                }
            }
            ChromeCommand::OpenShortcuts => chrome.shortcuts_open = true,
            ChromeCommand::OpenSettings => {
                chrome.settings_open = true;
                chrome.settings_error = None;
            }
            ChromeCommand::CloseTop => {
                if chrome.shortcuts_open {
                    chrome.shortcuts_open = false;
                } else if chrome.about_open {
                    chrome.about_open = false;
                } else {
                    chrome.settings_open = false;
                }
            }
            ChromeCommand::CloseAbout => chrome.about_open = false,
            ChromeCommand::CloseShortcuts => chrome.shortcuts_open = false,
            ChromeCommand::CloseSettings => chrome.settings_open = false,
            ChromeCommand::CopyDiagnostics => {
                ctx.copy_text(self.state.diagnostics().to_string());
                self.state
                    .info(StatusKind::Success, "Diagnostics copied to the clipboard");
            }
            ChromeCommand::SetFontSize(points) => {
                let size = FontSize::clamped(points);
                if self.state.prefs.font_size != size {
                    self.state.prefs.font_size = size;
                    self.save_prefs();
                }
            }
            ChromeCommand::SetDefaultServer(server) => {
                if self.state.prefs.default_server != server {
                    self.state.prefs.default_server = server;
                    self.save_prefs();
                }
            }
            ChromeCommand::ClearRecent => {
                self.state.prefs.recent_files.clear();
                self.save_prefs();
            }
            ChromeCommand::AskNew => {
                chrome.new_schema = Some("new-schema".to_owned());
                chrome.new_target = Default::default();
            }
            ChromeCommand::CloseNew => chrome.new_schema = None,
            ChromeCommand::CreateNew(type_name) => {
                chrome.new_schema = None;
                chrome.new_type = Some(type_name.trim().to_owned());
                self.run_command(Command::NewSchema, ctx);
            }
            ChromeCommand::ShowPanel(panel, show) => {
                match panel {
                    SidePanel::List => chrome.hide_list = !show,
                    SidePanel::History => self.state.window.show_history = show,
                }
                let chrome = &mut self.state.chrome;
                if show {
                    chrome.picked_panel = Some(panel);
                } else if chrome.picked_panel == Some(panel) {
                    chrome.picked_panel = None;
                }
            }
        }
    }
}
