//! Native file dialogs behind a small trait, so tests inject a fake and never open a window.

use std::path::PathBuf;

/// Picks files for import and export.
pub trait FileDialogs {
    /// Asks for a JSON file to open; `None` when the user cancels.
    fn pick_open(&self) -> Option<PathBuf>;
    /// Asks where to save, suggesting a file name; `None` when the user cancels.
    fn pick_save(&self, suggested: &str) -> Option<PathBuf>;
    /// Asks for a folder (a ZITADEL nextgen workspace); `None` when the user cancels.
    fn pick_folder(&self) -> Option<PathBuf> {
        None
    }
}

/// The platform's dialogs through `rfd` (xdg portal, zenity fallback on Linux).
#[derive(Debug, Default, Clone, Copy)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import a schema")
            .add_filter("JSON", &["json"])
            .add_filter("All files", &["*"])
            .pick_file()
    }

    fn pick_save(&self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export the schema")
            .set_file_name(suggested)
            .add_filter("JSON", &["json"])
            .save_file()
    }

    fn pick_folder(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a ZITADEL workspace (the folder with zitadel.json)")
            .pick_folder()
    }
}
