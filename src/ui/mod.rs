//! The desktop editor (egui/eframe): panels and widgets. No business rules live here; the UI
//! reads [`AppState`], edits text buffers in place and emits [`Command`]s.

pub mod chrome;
pub mod convert;
pub mod designer;
pub mod draft_prompt;
pub mod editor;
pub mod highlight;
pub mod history;
pub mod interchange;
pub mod json_editor;
pub mod json_lines;
pub mod list;
pub mod merge;
pub mod modals;
pub mod nextgen;
pub mod preview;
pub mod servers;
pub mod theme;
pub mod toolbar;
pub mod workspace;

use egui::{Align, Color32, Layout, RichText};

use crate::app::chrome::PanelLayout;
use crate::app::{AppState, Command, StatusKind, Tab};

/// Colours shared by the panels (they live in the design system, [`theme`]).
pub(crate) use theme::colors;

/// Decides which side panels are shown: both when the centre keeps [`theme::size::MIN_CENTRE`],
/// otherwise the one picked last (the other collapses to its toolbar toggle).
pub fn panel_layout(ctx: &egui::Context, state: &AppState) -> PanelLayout {
    use crate::app::chrome::SidePanel;
    use theme::size;
    let width = ctx.content_rect().width();
    let s = theme::scale(ctx);
    let has_editor = state.editor.is_some();
    let want_list = !state.chrome.hide_list || !has_editor;
    let want_history = state.window.show_history && has_editor;
    let centre = size::MIN_CENTRE * s;
    let slots = if width >= (size::LIST_PANEL + size::HISTORY_PANEL) * s + centre {
        2
    } else if width >= size::LIST_PANEL_MIN * s + centre
        || !has_editor
        || state.chrome.picked_panel.is_some()
    {
        1
    } else {
        0
    };
    let mut order = Vec::with_capacity(3);
    if let Some(p) = state.chrome.picked_panel {
        order.push(p);
    }
    order.extend([SidePanel::List, SidePanel::History]);
    let mut shown = PanelLayout {
        list: false,
        history: false,
    };
    let mut left = slots;
    for p in order {
        if left == 0 {
            break;
        }
        match p {
            SidePanel::List if want_list && !shown.list => {
                shown.list = true;
                left -= 1;
            }
            SidePanel::History if want_history && !shown.history => {
                shown.history = true;
                left -= 1;
            }
            _ => {}
        }
    }
    shown
}

/// The width a side panel gets: its token scaled with the font, never more than leaves the
/// centre its minimum.
fn side_width(ctx: &egui::Context, token: f32, min: f32, others: f32) -> (f32, f32) {
    let s = theme::scale(ctx);
    let room = ctx.content_rect().width() - theme::size::MIN_CENTRE * s - others;
    let min = min * s;
    ((token * s).min(room).max(min), min)
}

/// The whole window. The side panels' and the status bar's space is reserved first (egui
/// lays panels out before the centre), but their contents are drawn after the centre, so
/// that Tab moves in reading order: toolbar, list, centre, history, status bar.
pub fn root_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    // Keeps the JSON editor's witness alive in egui's cache while the editor is hidden.
    let _ = highlight::witness(ui);
    let ctx = ui.ctx().clone();
    let layout = panel_layout(&ctx, state);
    state.chrome.panels = layout;
    // Panel sizes are remembered per font size, so going back to a font size restores them.
    let font_key = (theme::scale(&ctx) * 100.0).round() as i32;
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(ui, state, out));
    let status_height = ui.text_style_height(&egui::TextStyle::Body) + 2.0 * theme::space::S;
    let status_rect = egui::Panel::bottom("status_bar")
        .resizable(false)
        .exact_size(status_height + 2.0 * theme::space::S)
        .show(ui, |ui| ui.max_rect())
        .inner;
    if layout.list {
        let others = if layout.history {
            theme::size::HISTORY_PANEL_MIN * theme::scale(&ctx)
        } else {
            0.0
        };
        let (w, min) = side_width(
            &ctx,
            theme::size::LIST_PANEL,
            theme::size::LIST_PANEL_MIN,
            others,
        );
        egui::Panel::left(("schema_list", font_key))
            .resizable(true)
            .default_size(w)
            .size_range(min..=w.max(min) * 2.0)
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width());
                list::schema_list_ui(ui, state, out);
            });
    }
    let history_rect = if layout.history {
        let (w, min) = side_width(
            &ctx,
            theme::size::HISTORY_PANEL,
            theme::size::HISTORY_PANEL_MIN,
            0.0,
        );
        let rect = egui::Panel::right(("history", font_key))
            .resizable(true)
            .default_size(w)
            .size_range(min..=(w * 2.0).max(min))
            .show(ui, |ui| {
                // Only the space: the contents are drawn after the centre (reading order).
                let rect = ui.max_rect();
                ui.allocate_space(ui.available_size());
                rect
            })
            .inner;
        Some(rect)
    } else {
        None
    };
    egui::CentralPanel::default().show(ui, |ui| central_ui(ui, state, out));
    if let Some(rect) = history_rect {
        ui.scope_builder(
            egui::UiBuilder::new()
                .id_salt("history_contents")
                .max_rect(rect)
                .layout(Layout::top_down(Align::Min)),
            |ui| {
                ui.set_clip_rect(rect.intersect(ui.clip_rect()));
                history::history_ui(ui, state, out);
            },
        );
    }
    ui.scope_builder(
        egui::UiBuilder::new()
            .id_salt("status_contents")
            .max_rect(status_rect)
            .layout(Layout::left_to_right(Align::Center)),
        |ui| {
            ui.set_clip_rect(status_rect.intersect(ui.clip_rect()));
            status_bar_ui(ui, state, out);
        },
    );
    modals::modals_ui(ui.ctx(), state, out);
    servers::sync_windows_ui(ui.ctx(), state, out);
    chrome::windows_ui(ui.ctx(), state, out);
    merge::merge_ui(ui.ctx(), state, out);
    interchange::windows_ui(ui.ctx(), &state.interchange, out);
    convert::window_ui(ui.ctx(), state, out);
    workspace::window_ui(ui.ctx(), state, out);
    drop_hint_ui(ui.ctx());
}

/// Seconds after which a status message is shown as old news.
const STATUS_FRESH_SECS: f64 = 10.0;

fn status_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    if state.busy {
        ui.add(egui::Spinner::new().size(12.0));
    }
    // Right to left: the store path, then the status takes what is left (truncated).
    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
        let store = format!("Store: {}", state.db_path.display());
        ui.add(
            egui::Label::new(theme::text::detail(store.clone()))
                .truncate()
                .halign(Align::Max),
        )
        .on_hover_text(store);
        let Some(status) = &state.status else {
            return;
        };
        if ui
            .small_button("×")
            .on_hover_text("Dismiss")
            .accessible_name("Dismiss")
            .clicked()
        {
            out.push(Command::DismissStatus);
        }
        // How long this message has been shown: older ones fade and say their age.
        let now = ui.input(|i| i.time);
        let key = egui::Id::unique("status_since");
        let text_id = egui::Id::unique(&status.text);
        let since = ui.data_mut(|d| {
            let entry = d.get_temp_mut_or_insert_with(key, || (text_id, now));
            if entry.0 != text_id {
                *entry = (text_id, now);
            }
            entry.1
        });
        let age = now - since;
        let text = if age >= STATUS_FRESH_SECS {
            RichText::new(format!("{} ({})", status.text, age_text(age))).weak()
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(
                    STATUS_FRESH_SECS - age + 0.05,
                ));
            theme::status_text(ui.visuals(), status.kind, status.text.clone())
        };
        let icon = match status.kind {
            StatusKind::Info => theme::Icon::Info,
            StatusKind::Success => theme::Icon::Ok,
            StatusKind::Error => theme::Icon::Warn,
        };
        let icon_color = if age >= STATUS_FRESH_SECS {
            ui.visuals().weak_text_color()
        } else {
            theme::status_color(ui.visuals(), status.kind)
        };
        ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
            icon.show(ui, icon_color);
            ui.add(egui::Label::new(text).truncate())
                .on_hover_text(&status.text);
        });
    });
}

/// "12 s ago", "3 min ago".
fn age_text(secs: f64) -> String {
    if secs < 60.0 {
        format!("{} s ago", secs.floor())
    } else {
        format!("{} min ago", (secs / 60.0).floor())
    }
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
            out.push(Command::Chrome(crate::app::chrome::ChromeCommand::AskNew));
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
