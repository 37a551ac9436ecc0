//! The window chrome's menus and windows: Recent, Settings, Help (shortcut list, About).

use egui::{Id, RichText};

use crate::app::chrome::{ChromeCommand, shortcut_list};
use crate::app::{AppState, Command};
use crate::settings::{FontSize, Theme};

/// The Help menu's items.
pub fn help_menu_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if ui.button("Keyboard shortcuts (F1)").clicked() {
        out.push(Command::Chrome(ChromeCommand::OpenShortcuts));
        ui.close();
    }
    if ui.button("About schemadesk").clicked() {
        out.push(Command::Chrome(ChromeCommand::OpenAbout));
        ui.close();
    }
}

/// The Recent menu's items: files imported or exported, newest first.
pub fn recent_menu_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    for path in &state.prefs.recent_files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        if ui
            .button(format!("Import {name}"))
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            out.push(Command::Import(path.clone()));
            ui.close();
        }
    }
    ui.separator();
    if ui.button("Clear recent files").clicked() {
        out.push(Command::Chrome(ChromeCommand::ClearRecent));
        ui.close();
    }
}

/// The chrome's windows.
pub fn windows_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    if state.chrome.new_schema.is_some() {
        new_schema_ui(ctx, state, out);
    }
    if state.chrome.settings_open {
        settings_window_ui(ctx, state, out);
    }
    if state.chrome.about_open {
        about_window_ui(ctx, state, out);
    }
    if state.chrome.shortcuts_open {
        shortcuts_window_ui(ctx, out);
    }
}

/// "New schema": asks for the type before anything is saved.
fn new_schema_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    let taken: Vec<String> = state.schemas.iter().map(|s| s.type_name.clone()).collect();
    let target = &mut state.chrome.new_target;
    let Some(type_name) = &mut state.chrome.new_schema else {
        return;
    };
    let response = egui::Modal::new(Id::unique("new_schema_modal")).show(ctx, |ui| {
        ui.set_max_width(super::theme::size::DIALOG);
        ui.label(super::theme::text::heading("New schema"));
        ui.add_space(super::theme::space::S);
        let label = ui.label("Type of the new schema");
        let edit = ui
            .add(
                egui::TextEdit::singleline(type_name)
                    .hint_text("e.g. employee")
                    .desired_width(super::theme::input_width(ui, super::theme::size::INPUT)),
            )
            .labelled_by(label.id);
        if ui.memory(|m| m.focused().is_none()) {
            edit.request_focus();
        }
        ui.add_space(super::theme::space::S);
        ui.label("Designed for");
        for t in crate::nextgen::Target::ALL {
            ui.radio_value(target, t, t.label());
        }
        let problem = crate::schema::TypeName::parse(type_name)
            .err()
            .map(|e| e.to_string())
            .or_else(|| {
                taken.iter().any(|t| t == type_name.trim()).then(|| {
                    format!(
                        "another schema already has the type \"{}\"",
                        type_name.trim()
                    )
                })
            });
        match &problem {
            Some(p) => {
                ui.colored_label(super::colors::error(ui.visuals()), p);
            }
            None => {
                ui.label(super::theme::text::note(
                    "The schema is saved as revision 1 with this type; you can rename it later.",
                ));
            }
        }
        ui.add_space(super::theme::space::M);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let create = ui.add_enabled(
                problem.is_none(),
                egui::Button::new(RichText::new("Create schema").strong()),
            );
            if create.clicked() || (enter && problem.is_none()) {
                out.push(Command::Chrome(ChromeCommand::CreateNew(type_name.clone())));
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::Chrome(ChromeCommand::CloseNew));
            }
        });
    });
    if response.should_close() {
        out.push(Command::Chrome(ChromeCommand::CloseNew));
    }
}

/// A fixed-size dialog window that opens in the middle of the window.
fn centred_window(ctx: &egui::Context, title: &str, id: &str) -> egui::Window<'static> {
    egui::Window::new(title.to_owned())
        .id(Id::unique(id))
        .collapsible(false)
        .resizable(false)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
}

fn shortcuts_window_ui(ctx: &egui::Context, out: &mut Vec<Command>) {
    let mut open = true;
    centred_window(ctx, "Keyboard shortcuts", "shortcuts_window")
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("shortcut_grid")
                .num_columns(2)
                .spacing([18.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in shortcut_list(ctx) {
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(what);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            if ui.button("Close").clicked() {
                out.push(Command::Chrome(ChromeCommand::CloseShortcuts));
            }
        });
    if !open {
        out.push(Command::Chrome(ChromeCommand::CloseShortcuts));
    }
}

fn about_window_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let mut open = true;
    centred_window(ctx, "About schemadesk", "about_window")
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label(RichText::new(format!("schemadesk {}", env!("CARGO_PKG_VERSION"))).heading());
            ui.label("Design, version and ship ZITADEL user schemas.");
            ui.add_space(8.0);
            // Read in the background when the dialog opened (the OS name comes from a file).
            let Some(diagnostics) = &state.chrome.facts else {
                ui.spinner();
                return;
            };
            let show = |p: &Option<std::path::PathBuf>| {
                p.as_ref()
                    .map_or_else(|| "unknown".to_owned(), |p| p.display().to_string())
            };
            egui::Grid::new("about_grid")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for (what, value) in [
                        ("Store", show(&diagnostics.store)),
                        ("Log folder", show(&diagnostics.log_dir)),
                        ("Settings file", show(&diagnostics.settings)),
                        ("System", diagnostics.os.clone()),
                    ] {
                        ui.label(RichText::new(what).strong());
                        ui.label(RichText::new(value).monospace());
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Copy diagnostics")
                    .on_hover_text(
                        "Version, system and paths for a bug report (no tokens, no schemas)",
                    )
                    .clicked()
                {
                    out.push(Command::Chrome(ChromeCommand::CopyDiagnostics));
                }
                if ui.button("Close").clicked() {
                    out.push(Command::Chrome(ChromeCommand::CloseAbout));
                }
            });
        });
    if !open {
        out.push(Command::Chrome(ChromeCommand::CloseAbout));
    }
}

fn settings_window_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let mut open = true;
    centred_window(ctx, "Settings", "settings_window")
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("settings_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        for theme in Theme::ALL {
                            if ui
                                .radio(state.prefs.theme == theme, theme.label())
                                .clicked()
                            {
                                out.push(Command::SetTheme(theme));
                            }
                        }
                    });
                    ui.end_row();

                    let label = ui.label("Font size");
                    let mut size = state.prefs.font_size.points();
                    let slider = ui
                        .add(
                            egui::Slider::new(&mut size, FontSize::MIN..=FontSize::MAX)
                                .step_by(1.0)
                                .suffix(" pt"),
                        )
                        .labelled_by(label.id);
                    // Applied when the drag ends (or at once for keys), not at every pixel.
                    if slider.changed() && !slider.dragged() || slider.drag_stopped() {
                        out.push(Command::Chrome(ChromeCommand::SetFontSize(size)));
                    }
                    ui.end_row();

                    let label = ui.label("Default server");
                    let current = state.prefs.default_server.clone();
                    let shown = current.clone().unwrap_or_else(|| "None".to_owned());
                    egui::ComboBox::from_id_salt("default_server")
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            if ui.selectable_label(current.is_none(), "None").clicked() {
                                out.push(Command::Chrome(ChromeCommand::SetDefaultServer(None)));
                            }
                            for row in &state.sync.servers {
                                let name = &row.server.name;
                                if ui
                                    .selectable_label(current.as_ref() == Some(name), name)
                                    .clicked()
                                {
                                    out.push(Command::Chrome(ChromeCommand::SetDefaultServer(
                                        Some(name.clone()),
                                    )));
                                }
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                });
            ui.add_space(6.0);
            let where_ = state.prefs_path.as_ref().map_or_else(
                || "Changes apply to this run only (no settings file is in use).".to_owned(),
                |p| format!("Saved to {}", p.display()),
            );
            ui.label(RichText::new(where_).weak().small());
            if let Some(error) = &state.chrome.settings_error {
                ui.colored_label(super::colors::error(ui.visuals()), error);
            }
            if ui.button("Close").clicked() {
                out.push(Command::Chrome(ChromeCommand::CloseSettings));
            }
        });
    if !open {
        out.push(Command::Chrome(ChromeCommand::CloseSettings));
    }
}
