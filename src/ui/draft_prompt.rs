//! The question asked at start-up when an unsaved draft was kept from last time.

use egui::{Id, RichText};

use crate::app::Command;
use crate::app::drafts::{DraftAnswer, DraftOffer};
use crate::printable::printable;

pub fn draft_prompt_ui(ctx: &egui::Context, offer: &DraftOffer, out: &mut Vec<Command>) {
    let draft = &offer.draft;
    egui::Modal::new(Id::unique("draft_restore_modal")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.label(RichText::new("Unsaved draft found").heading());
        ui.add_space(6.0);
        ui.label(format!(
            "\"{}\" had changes that were not saved when schemadesk last closed (kept {}).",
            printable(&draft.type_name),
            draft.kept_at
        ));
        if offer.latest_revision != draft.base_revision {
            ui.label(format!(
                "The draft was based on revision {}; the schema is now at revision {}.",
                draft.base_revision, offer.latest_revision
            ));
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("Restore draft").strong()).clicked() {
                out.push(Command::Draft(DraftAnswer::Restore));
            }
            if ui.button("Discard draft").clicked() {
                out.push(Command::Draft(DraftAnswer::Discard));
            }
        });
    });
}
