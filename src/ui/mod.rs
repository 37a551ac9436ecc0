//! The desktop editor (egui/eframe): panels and widgets. No business rules live here; the UI
//! reads [`AppState`], edits text buffers in place and emits [`Command`]s.

pub mod designer;
pub mod draft_prompt;
pub mod editor;
pub mod highlight;
pub mod history;
pub mod list;
pub mod modals;
pub mod preview;
pub mod servers;
pub mod shell;

use std::path::PathBuf;

use egui::{Align, Color32, Layout, RichText};

use crate::app::{AppState, Command, NativeDialogs, SchemaDeskApp, StatusKind, Tab};
use crate::settings::Theme;

/// Opens the main window over the store at `db`; `started` is when the process started (for
/// the start-up times in the log).
pub fn run(db: PathBuf, started: std::time::Instant) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("schemadesk")
            .with_app_id(crate::icon::APP_ID)
            .with_icon(std::sync::Arc::new(crate::icon::app_icon()))
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([760.0, 480.0])
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

/// Colours shared by the panels.
pub(crate) mod colors {
    use egui::{Color32, Visuals};

    pub fn error(v: &Visuals) -> Color32 {
        v.error_fg_color
    }

    pub fn warn(v: &Visuals) -> Color32 {
        v.warn_fg_color
    }

    pub fn ok(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x6c, 0xcf, 0x7f)
        } else {
            Color32::from_rgb(0x1a, 0x7f, 0x37)
        }
    }

    pub fn added_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x1f, 0x3d, 0x27)
        } else {
            Color32::from_rgb(0xdc, 0xf5, 0xe0)
        }
    }

    pub fn removed_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x4a, 0x22, 0x24)
        } else {
            Color32::from_rgb(0xfb, 0xe0, 0xe0)
        }
    }

    pub fn error_line_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgba_unmultiplied(0xff, 0x50, 0x50, 0x26)
        } else {
            Color32::from_rgba_unmultiplied(0xff, 0x30, 0x30, 0x1c)
        }
    }
}

/// The whole window.
pub fn root_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    // Keeps the JSON editor's witness alive in egui's cache while the editor is hidden.
    let _ = highlight::witness(ui);
    egui::Panel::top("toolbar").show(ui, |ui| toolbar_ui(ui, state, out));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar_ui(ui, state, out));
    egui::Panel::left("schema_list")
        .resizable(true)
        .default_size(250.0)
        .size_range(180.0..=480.0)
        .show(ui, |ui| list::schema_list_ui(ui, state, out));
    if state.settings.show_history && state.editor.is_some() {
        egui::Panel::right("history")
            .resizable(true)
            .default_size(400.0)
            .size_range(260.0..=800.0)
            .show(ui, |ui| history::history_ui(ui, state, out));
    }
    egui::CentralPanel::default().show(ui, |ui| central_ui(ui, state, out));
    modals::modals_ui(ui.ctx(), state, out);
    servers::sync_windows_ui(ui.ctx(), state, out);
    shell::windows_ui(ui.ctx(), state, out);
    drop_hint_ui(ui.ctx());
}

fn toolbar_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("schemadesk").strong().size(15.0));
        ui.separator();
        if ui
            .button("New")
            .on_hover_text("Create a new schema")
            .clicked()
        {
            out.push(Command::NewSchema);
        }
        designer::new_from_template_ui(ui, out);
        if ui
            .button("Import…")
            .on_hover_text(
                "Import a JSON Schema or a request body file (or drop a .json file on the window)",
            )
            .clicked()
        {
            out.push(Command::ImportDialog);
        }
        let has_editor = state.editor.is_some();
        ui.add_enabled_ui(has_editor, |ui| {
            ui.menu_button("Export", |ui| {
                if ui.button("JSON Schema only…").clicked() {
                    out.push(Command::Export(crate::app::ExportFormat::Schema));
                }
                if ui
                    .button("Request body (type, schema, authenticators)…")
                    .clicked()
                {
                    out.push(Command::Export(crate::app::ExportFormat::Body));
                }
            });
        });
        ui.separator();
        let undo_tip = format!(
            "Undo ({})",
            ui.ctx().format_shortcut(&crate::app::UNDO_SHORTCUT)
        );
        if ui
            .add_enabled(state.can_undo, egui::Button::new("Undo"))
            .on_hover_text(undo_tip)
            .clicked()
        {
            out.push(Command::Undo);
        }
        let redo_tip = format!(
            "Redo ({})",
            ui.ctx().format_shortcut(&crate::app::REDO_SHORTCUT)
        );
        if ui
            .add_enabled(state.can_redo, egui::Button::new("Redo"))
            .on_hover_text(redo_tip)
            .clicked()
        {
            out.push(Command::Redo);
        }
        ui.separator();
        if ui
            .add_enabled(has_editor, egui::Button::new("Format"))
            .on_hover_text("Pretty-print the JSON (two-space indent)")
            .clicked()
        {
            out.push(Command::Format);
        }
        ui.separator();
        sync_buttons_ui(ui, state, out);

        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            shell::toolbar_menus_ui(ui, state, out);
            ui.menu_button("Theme", |ui| {
                for choice in Theme::ALL {
                    if ui
                        .radio(state.prefs.theme == choice, choice.label())
                        .clicked()
                    {
                        out.push(Command::SetTheme(choice));
                        ui.close();
                    }
                }
            });
            if ui
                .selectable_label(state.settings.show_history, "History")
                .on_hover_text("Show or hide the revision history")
                .clicked()
            {
                out.push(Command::ToggleHistory);
            }
        });
    });
    ui.add_space(2.0);
}

/// Servers…, Push… and Pull… in the toolbar.
fn sync_buttons_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    use crate::app::sync::SyncCommand;
    if ui
        .button("Servers…")
        .on_hover_text("The ZITADEL servers to push to and pull from")
        .clicked()
    {
        out.push(Command::Sync(SyncCommand::OpenServers));
    }
    if ui
        .add_enabled(state.editor.is_some(), egui::Button::new("Push…"))
        .on_hover_text("Push the last saved revision to a server, after a compatibility check")
        .on_disabled_hover_text("Open a schema to push it")
        .clicked()
    {
        out.push(Command::Sync(SyncCommand::OpenPush));
    }
    if ui
        .button("Pull…")
        .on_hover_text("The server's schemas beside the local ones; import, deactivate, delete")
        .clicked()
    {
        out.push(Command::Sync(SyncCommand::OpenRemote(None)));
    }
}

fn status_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if state.busy {
            ui.add(egui::Spinner::new().size(12.0));
        }
        if let Some(status) = &state.status {
            let color = match status.kind {
                StatusKind::Info => ui.visuals().text_color(),
                StatusKind::Success => colors::ok(ui.visuals()),
                StatusKind::Error => colors::error(ui.visuals()),
            };
            ui.label(RichText::new(&status.text).color(color));
            if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                out.push(Command::DismissStatus);
            }
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.label(
                RichText::new(format!("Store: {}", state.db_path.display()))
                    .weak()
                    .small(),
            );
        });
    });
}

fn central_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    if let Some(error) = &state.store_error {
        ui.colored_label(
            colors::error(ui.visuals()),
            format!("The store cannot be used: {error}"),
        );
        return;
    }
    if state.editor.is_none() {
        empty_ui(ui, state, out);
        return;
    }
    if state.diff.is_some() {
        ui.horizontal(|ui| {
            if ui
                .selectable_label(state.tab == Tab::Editor, "Editor")
                .clicked()
            {
                out.push(Command::SetTab(Tab::Editor));
            }
            if ui
                .selectable_label(state.tab == Tab::Diff, "Diff")
                .clicked()
            {
                out.push(Command::SetTab(Tab::Diff));
            }
        });
        ui.separator();
    }
    match state.tab {
        Tab::Diff if state.diff.is_some() => history::diff_ui(ui, state, out),
        _ => designer::central_ui(ui, state, out),
    }
}

fn empty_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        if state.busy && state.selected.is_some() {
            ui.spinner();
            return;
        }
        ui.heading("No schema open");
        ui.add_space(6.0);
        ui.label(
            RichText::new(if state.schemas.is_empty() {
                "Create a schema, import a file, or drop a .json file on this window."
            } else {
                "Pick a schema on the left, create one, or drop a .json file on this window."
            })
            .weak(),
        );
        ui.add_space(10.0);
        if ui.button("Create a schema").clicked() {
            out.push(Command::NewSchema);
        }
        ui.add_space(8.0);
        designer::template_buttons_ui(ui, out);
    });
}

/// An overlay while files are dragged over the window.
fn drop_hint_ui(ctx: &egui::Context) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(160));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "Drop a .json file to import it",
        egui::FontId::proportional(22.0),
        Color32::WHITE,
    );
}
