//! The compatibility report widget: in the push dialog, and under a diff in the history view.

use super::*;

/// The compatibility report: verdict, classified changes and sample results.
pub fn compat_report_ui(ui: &mut egui::Ui, view: &CompatView) {
    let report = &view.report;
    let visuals = ui.visuals().clone();
    let class_color = |class: Class| match class {
        Class::Breaking => colors::error(&visuals),
        Class::CannotTell => colors::warn(&visuals),
        Class::Compatible => visuals.text_color(),
    };
    let worst = report.worst();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("Compatibility: {}", worst.label()))
                .strong()
                .color(class_color(worst)),
        );
        ui.label(
            RichText::new(format!(
                "{} breaking, {} cannot tell, {} compatible ({} to {})",
                report.count(Class::Breaking),
                report.count(Class::CannotTell),
                report.count(Class::Compatible),
                view.old_label,
                view.new_label
            ))
            .weak(),
        );
    });
    if report.changes.is_empty() {
        ui.label(RichText::new("No changes to the schema or the authenticators.").weak());
    }
    for change in &report.changes {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(change.class.label())
                    .monospace()
                    .color(class_color(change.class)),
            );
            ui.label(RichText::new(change.pointer_display()).monospace().weak());
            ui.label(RichText::new(&change.message).color(class_color(change.class)));
        });
        // The example user a breaking change would reject (issue 18).
        if let Some(example) = change.example_sentence() {
            ui.label(RichText::new(example).weak().italics());
        }
    }
    if !view.samples.is_empty() {
        let failing = view.samples.iter().filter(|s| !s.passes()).count();
        ui.label(
            RichText::new(format!(
                "Saved samples: {} checked against {}, {failing} would fail",
                view.samples.len(),
                view.new_label
            ))
            .strong(),
        );
        for s in &view.samples {
            if s.passes() {
                ui.label(format!("{} passes", s.name));
            } else {
                let first = s
                    .diagnostics
                    .first()
                    .map(|d| d.message.clone())
                    .unwrap_or_default();
                let newly = if s.newly_fails() {
                    "newly fails"
                } else {
                    "failed before too"
                };
                ui.label(
                    RichText::new(format!("{} {newly}: {first}", s.name))
                        .color(colors::error(&visuals)),
                );
            }
        }
    }
}

/// The history view's report for the compared revisions, if it is ready.
pub fn history_compat_ui(ui: &mut egui::Ui, state: &AppState) {
    let Some(diff) = &state.diff else {
        return;
    };
    let Some(view) = &state.sync.compat else {
        return;
    };
    if view.schema != diff.schema || view.old != Some(diff.old) || view.new != Some(diff.new) {
        return;
    }
    egui::CollapsingHeader::new("Compatibility report")
        .id_salt("history_compat")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("history_compat_scroll")
                .max_height(180.0)
                .show(ui, |ui| compat_report_ui(ui, view));
        });
    ui.separator();
}
