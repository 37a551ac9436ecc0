//! The memory of the app without a window: builds the real main window on a headless
//! `egui::Context`, opens a schema file in it (as the last schema of a temporary store) and
//! prints the process's resident memory (`VmRSS`) and its peak (`VmHWM`) before and after, and
//! again after the JSON editor was taken through the whole text.
//! The renderer's share is not included: see docs/performance.md for the whole program.
//!
//! ```sh
//! python3 ../shared/bench/gen_schemas.py /tmp/wl
//! cargo run --example editor_memory -- /tmp/wl/big.json
//! ```
//!
//! With `--no-ui` the frames run the controller (background tasks, commands) without
//! drawing, so what the open schema costs outside the widgets shows on its own.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use schemadesk::app::{FileDialogs, WindowState};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::UserSchemaDraft;
use schemadesk::store::Store;

struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        None
    }
    fn pick_save(&self, _suggested: &str) -> Option<PathBuf> {
        None
    }
}

/// "VmRSS 201004 kB, VmHWM 201004 kB" from /proc/self/status (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map_or_else(|| "?".to_owned(), |v| v.trim().to_owned())
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let no_ui = args.iter().any(|a| a == "--no-ui");
    let Some(path) = args.into_iter().find(|a| a != "--no-ui") else {
        bail!("usage: editor_memory [--no-ui] SCHEMA.json");
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let schema = serde_json::from_str(&text).with_context(|| format!("{path} is not JSON"))?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("store.db");
    let id = Store::open(&db)?
        .create_schema(&UserSchemaDraft::new("big", schema, []), "seed")?
        .schema_id;

    let ctx = egui::Context::default();
    let settings = WindowState {
        last_schema: Some(id.0),
        ..WindowState::default()
    };
    let mut app = SchemaDeskApp::with_settings(&ctx, db, Box::new(NoDialogs), settings);
    let mut time = 0.0;
    let mut frame = |app: &mut SchemaDeskApp| {
        time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            time: Some(time),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            if no_ui {
                let ctx = ui.ctx().clone();
                for command in app.begin_frame(&ctx) {
                    app.run_command(command, &ctx);
                }
                app.end_frame(&ctx);
            } else {
                app.frame(ui);
            }
        });
        output.textures_delta.clear();
    };
    frame(&mut app);
    println!("first frame, no schema yet: {}", memory());
    let start = Instant::now();
    while !(app.state.editor.is_some() && app.is_idle()) {
        frame(&mut app);
        if start.elapsed() > Duration::from_secs(120) {
            bail!("the schema did not open within two minutes");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    for _ in 0..30 {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("schema open ({} bytes): {}", text.len(), memory());
    if let Some(shown) = schemadesk::ui::editor::laid_out(&ctx) {
        println!(
            "the JSON editor lays out lines {}..{} of {} ({} rows, {} characters)",
            shown.first_line,
            shown.first_line + shown.line_count - 1,
            shown.lines,
            shown.rows,
            shown.chars
        );
    }
    // Through the whole text, a few thousand lines at a time, as "Go to this line" does: the
    // editor keeps laying out only the lines around the view.
    let lines = text.lines().count();
    for line in (1..lines).step_by(2000).chain([lines]) {
        if let Some(editor) = app.state.editor.as_mut() {
            editor.jump = Some((line, 1));
        }
        frame(&mut app);
        frame(&mut app);
    }
    println!("after going through all {lines} lines: {}", memory());
    Ok(())
}
