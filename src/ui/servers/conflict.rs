//! The conflict dialog (keep mine / take theirs), with both sides' differences.

use super::*;

fn diff_line_ui(ui: &mut egui::Ui, line: &DiffLine, row_height: f32) {
    let width = ui.available_width().max(400.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, row_height), egui::Sense::hover());
    let sign = crate::ui::history::paint_diff_background(ui, rect, line.tag);
    let font = TextStyle::Monospace.resolve(ui.style());
    ui.painter().with_clip_rect(rect).text(
        rect.left_center() + egui::vec2(4.0, 0.0),
        egui::Align2::LEFT_CENTER,
        format!("{sign} {}", line.text),
        font,
        ui.visuals().text_color(),
    );
}

pub(super) fn conflict_modal_ui(ctx: &egui::Context, sync: &SyncState, out: &mut Vec<Command>) {
    let Some(c) = &sync.conflict else {
        return;
    };
    egui::Modal::new(Id::unique("conflict_modal")).show(ctx, |ui| {
        ui.set_max_width(720.0);
        ui.label(RichText::new("The server's copy changed").heading());
        ui.add_space(4.0);
        ui.add(
            egui::Label::new(format!(
                "\"{}\" on {} (remote id {}) is at server revision {}, but was at {} when it was last pushed or pulled. Nothing was sent. Lines marked − are the server's, + are local revision {}.",
                c.type_name,
                c.server,
                c.remote_id,
                c.remote_revision.map_or("?".into(), |r| r.to_string()),
                c.known_remote_revision.map_or("?".into(), |r| r.to_string()),
                c.local_revision
            ))
            .wrap(),
        );
        ui.separator();
        let row_height = ui.text_style_height(&TextStyle::Monospace) + 2.0;
        egui::ScrollArea::both()
            .id_salt("conflict_diff")
            .max_height(360.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, c.lines.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for line in &c.lines[range] {
                    diff_line_ui(ui, line, row_height);
                }
            });
        ui.separator();
        job_ui(ui, sync, out);
        ui.add_enabled_ui(!c.running, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("Keep mine (overwrite server)").color(colors::error(ui.visuals())))
                    .accessible_name("Keep mine (overwrite server)")
                    .clicked()
                {
                    send(out, SyncCommand::KeepMine);
                }
                if ui
                    .button("Take theirs (new local revision)")
                    .clicked()
                {
                    send(out, SyncCommand::TakeTheirs);
                }
                if ui
                    .add_enabled(c.base.is_some(), egui::Button::new("Merge…"))
                    .on_hover_text("Merge the server's changes with yours field by field, then push")
                    .on_disabled_hover_text("No revision is known to have been on the server before both changes")
                    .clicked()
                {
                    send(out, SyncCommand::OpenMerge);
                }
                if ui
                    .button("Cancel")
                    .accessible_name("Cancel conflict")
                    .clicked()
                {
                    send(out, SyncCommand::CloseConflict);
                }
            });
        });
        message_ui(ui, sync);
    });
}
