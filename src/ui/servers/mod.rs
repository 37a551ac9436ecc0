//! Server sync windows: Servers (add, remove, token, probe), the push dialog with its
//! compatibility report, the conflict dialog (keep mine / take theirs), and Server schemas
//! (the server's list beside the local one, import, deactivate / reactivate / delete).
//! Also the compat report widget the history view shows under a diff, and the sync badges the
//! schema list and the history rows show.
//!
//! One module per window; this one opens them and holds what they share.

mod badges;
mod compat_report;
mod conflict;
mod push_window;
mod remote_window;
mod servers_window;

use egui::{Id, RichText, TextStyle};

use super::colors;
use crate::app::remote::{
    BadgeKind, CompatView, GenerationChoice, PushPhase, SyncCommand, SyncState,
};
use crate::app::{AppState, Command};
use crate::schema::compat::Class;
use crate::schema::diff::DiffLine;
use crate::service::SyncStatus;
use crate::store::SchemaId;
use crate::sync::StateAction;

pub use badges::{badge_text, pushed_to_text};
pub use compat_report::{compat_report_ui, history_compat_ui};
use conflict::conflict_modal_ui;
use push_window::push_window_ui;
use remote_window::{confirm_modals_ui, remote_window_ui};
use servers_window::servers_window_ui;

fn send(out: &mut Vec<Command>, c: SyncCommand) {
    out.push(Command::Sync(c));
}

/// Every sync window and dialog that is open.
pub fn sync_windows_ui(ctx: &egui::Context, state: &mut AppState, out: &mut Vec<Command>) {
    servers_window_ui(ctx, &mut state.sync, out);
    push_window_ui(ctx, &state.sync, out);
    remote_window_ui(ctx, state, out);
    // The merge dialog (opened from the conflict) takes the conflict's place while it is open.
    if state.merge.is_none() {
        conflict_modal_ui(ctx, &state.sync, out);
    }
    confirm_modals_ui(ctx, &state.sync, out);
}

/// The sync windows' last message, coloured.
fn message_ui(ui: &mut egui::Ui, sync: &SyncState) {
    if let Some(message) = &sync.message {
        let color = if message.is_failure() {
            colors::error(ui.visuals())
        } else {
            colors::ok(ui.visuals())
        };
        ui.add(egui::Label::new(RichText::new(&message.text).color(color)).wrap());
    }
}

/// The running job: a spinner, its progress and a Cancel button.
fn job_ui(ui: &mut egui::Ui, sync: &SyncState, out: &mut Vec<Command>) {
    let Some(job) = &sync.job else {
        return;
    };
    ui.horizontal(|ui| {
        // The button comes first so that it does not move as the progress text changes.
        if ui
            .button("Cancel")
            .on_hover_text("Stop the server call; nothing local changes")
            .accessible_name("Cancel server job")
            .clicked()
        {
            send(out, SyncCommand::Cancel);
        }
        ui.add(egui::Spinner::new().size(14.0));
        ui.label(&job.title);
        if !job.progress.is_empty() {
            ui.label(RichText::new(&job.progress).weak());
        }
    });
}

/// Drops a text field's undo history (it holds copies of what was typed).
fn forget_field_history(ctx: &egui::Context, id: Id) {
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        state.clear_undoer();
        state.store(ctx, id);
    }
}
