//! What the editor remembers between runs (through eframe's storage).

use serde::{Deserialize, Serialize};

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [Self::System, Self::Light, Self::Dark];

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Follow system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// How a diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DiffMode {
    #[default]
    Unified,
    SideBySide,
}

/// Persisted preferences. Window size and panel widths are persisted by eframe and egui.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// The local id of the schema that was open last.
    pub last_schema: Option<i64>,
    pub show_history: bool,
    pub show_archived: bool,
    pub show_deleted: bool,
    pub diff_mode: DiffMode,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            last_schema: None,
            show_history: true,
            show_archived: true,
            show_deleted: false,
            diff_mode: DiffMode::Unified,
        }
    }
}
