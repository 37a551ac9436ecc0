//! The desktop editor (egui/eframe).

use std::path::PathBuf;

/// Opens the main window over the store at `db`.
pub fn run(db: PathBuf) -> anyhow::Result<()> {
    let options = eframe::NativeOptions::default();
    eframe::run_native(
        "schemadesk",
        options,
        Box::new(move |_cc| Ok(Box::new(Placeholder { db }))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

struct Placeholder {
    db: PathBuf,
}

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("schemadesk");
            ui.label(format!(
                "The editor is coming. Store: {}",
                self.db.display()
            ));
        });
    }
}
