//! What the editor remembers between runs through eframe's storage: window state (the last
//! schema, panel toggles, list filters). Preferences (theme, font size, default server, recent
//! files) live in one place only, the settings file: [`crate::settings::Settings`].

use serde::{Deserialize, Serialize};

/// How a diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DiffMode {
    #[default]
    Unified,
    SideBySide,
}

/// Persisted window state. Window size and panel widths are persisted by eframe and egui.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowState {
    /// The local id of the schema that was open last.
    pub last_schema: Option<i64>,
    pub show_history: bool,
    pub show_archived: bool,
    pub show_deleted: bool,
    pub diff_mode: DiffMode,
}

impl Default for WindowState {
    fn default() -> Self {
        WindowState {
            last_schema: None,
            show_history: true,
            show_archived: true,
            show_deleted: false,
            diff_mode: DiffMode::Unified,
        }
    }
}
