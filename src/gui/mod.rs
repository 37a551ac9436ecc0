//! The window: the `eframe::App` that owns the [`Controller`] (the app's state and its
//! background tasks), lets [`crate::ui`] draw each frame and then runs the [`Command`]s the
//! UI emitted. The only module that knows both `app` and `ui`; nothing below imports it.
//!
//! A frame: the controller takes in what its background tasks answered and the global
//! shortcuts, `ui` draws from [`AppState`] and collects commands, the controller runs them and
//! hands due work to its tasks, and the window applies the title, theme and font size.

use std::path::PathBuf;

use crate::app::chrome::{apply_font_size, load_prefs, theme_preference};
use crate::app::{AppState, Controller, FileDialogs, NativeDialogs, StatusKind, WindowState};
use crate::settings::{self as prefs, FontSize, Theme};

/// Opens the main window over the store at `db`; `started` is when the process started (for
/// the start-up times in the log).
pub fn run(db: PathBuf, started: std::time::Instant) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("schemadesk")
            .with_app_id(crate::icon::APP_ID)
            .with_icon(std::sync::Arc::new(crate::icon::app_icon()))
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size(crate::ui::theme::size::MIN_WINDOW)
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "schemadesk",
        options,
        Box::new(move |cc| {
            Ok(Box::new(
                SchemaDeskApp::new(cc, db, Box::new(NativeDialogs)).with_start(started),
            ))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// The eframe application: the [`Controller`] plus what only the window needs (its title and
/// the applied look). It dereferences to the controller, so callers (and tests) reach
/// `state`, `run_command` and `is_idle` directly.
pub struct SchemaDeskApp {
    app: Controller,
    /// The title last sent to the viewport.
    title: String,
    applied_theme: Option<Theme>,
    applied_font: Option<FontSize>,
}

impl SchemaDeskApp {
    /// Creates the app over the store at `db`, restoring window state from `cc.storage` and
    /// the preferences from the settings file.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        db: PathBuf,
        dialogs: Box<dyn FileDialogs>,
    ) -> Self {
        let settings: WindowState = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let (prefs, path, problem) = load_prefs();
        let mut app =
            Self::with_settings(&cc.egui_ctx, db, dialogs, settings).with_prefs(prefs, path);
        if let Some(problem) = problem {
            app.app
                .state
                .info(StatusKind::Error, format!("Settings: {problem}"));
        }
        app
    }

    /// Creates the app with explicit window state (tests use this).
    pub fn with_settings(
        ctx: &egui::Context,
        db: PathBuf,
        dialogs: Box<dyn FileDialogs>,
        settings: WindowState,
    ) -> Self {
        SchemaDeskApp {
            app: Controller::with_settings(ctx, db, dialogs, settings),
            title: String::new(),
            applied_theme: None,
            applied_font: None,
        }
    }

    /// Uses `prefs` (the settings file's contents) and writes changes to `path`; with `None`
    /// nothing is written (tests, or a settings file that did not parse).
    pub fn with_prefs(mut self, prefs: prefs::Settings, path: Option<PathBuf>) -> Self {
        self.app = self.app.with_prefs(prefs, path);
        self
    }

    /// Logs how long after `started` the first frame was built and the schema list shown.
    pub fn with_start(mut self, started: std::time::Instant) -> Self {
        self.app = self.app.with_start(started);
        self
    }

    /// One frame: take in answers and shortcuts, draw, run the commands, apply the look.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut commands = self.app.begin_frame(&ctx);
        crate::ui::root_ui(ui, &mut self.app.state, &mut commands);
        if let Some(offer) = self.app.draft_offer() {
            crate::ui::draft_prompt::draft_prompt_ui(&ctx, offer, &mut commands);
        }
        for command in commands {
            self.app.run_command(command, &ctx);
        }
        self.app.end_frame(&ctx);
        self.sync_viewport(&ctx);
    }

    /// Sends the title when it changed, and applies the theme and font size when they did.
    fn sync_viewport(&mut self, ctx: &egui::Context) {
        let state: &AppState = &self.app.state;
        let title = state.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        let theme = state.prefs.theme;
        if self.applied_theme != Some(theme) {
            ctx.set_theme(theme_preference(theme));
            self.applied_theme = Some(theme);
        }
        let size = state.prefs.font_size;
        if self.applied_font != Some(size) {
            apply_font_size(ctx, size);
            crate::ui::theme::apply(ctx);
            self.applied_font = Some(size);
        }
    }
}

impl std::ops::Deref for SchemaDeskApp {
    type Target = Controller;
    fn deref(&self) -> &Controller {
        &self.app
    }
}

impl std::ops::DerefMut for SchemaDeskApp {
    fn deref_mut(&mut self) -> &mut Controller {
        &mut self.app
    }
}

impl eframe::App for SchemaDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.app.state.window);
    }
}
