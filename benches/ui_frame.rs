//! UI frames of the real main window, headless: a steady frame with a 1.5 MiB schema open,
//! a frame right after a one-character edit, and the start over a store of 1,000 schemas.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use schemadesk::app::{Command, EditKind, FileDialogs, WindowState};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{UserSchemaDraft, pretty};
use schemadesk::store::Store;

#[allow(dead_code)] // shared with the other benches, which use other parts
mod workload;

struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        None
    }
    fn pick_save(&self, _suggested: &str) -> Option<PathBuf> {
        None
    }
}

struct Window {
    ctx: egui::Context,
    app: SchemaDeskApp,
    time: f64,
}

impl Window {
    fn open(db: PathBuf, last_schema: Option<i64>) -> Self {
        let ctx = egui::Context::default();
        let settings = WindowState {
            last_schema,
            ..WindowState::default()
        };
        let app = SchemaDeskApp::with_settings(&ctx, db, Box::new(NoDialogs), settings);
        Window {
            ctx,
            app,
            time: 0.0,
        }
    }

    fn frame(&mut self) {
        self.frame_with(Vec::new());
    }

    /// One frame that receives these input events (typed text, keys).
    fn frame_with(&mut self, events: Vec<egui::Event>) {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| app.frame(ui));
        output.textures_delta.clear();
    }

    /// Frames until the workers have answered (the list is loaded, the schema is open).
    fn settle(&mut self, until: impl Fn(&SchemaDeskApp) -> bool) {
        let start = Instant::now();
        while !(until(&self.app) && self.app.is_idle()) {
            self.frame();
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the app did not settle"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        self.frame();
    }
}

fn ui_frames(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("big.db");
    let schema = workload::big_schema(5000);
    let id = Store::open(&db)
        .expect("store")
        .create_schema(&UserSchemaDraft::new("big", schema.clone(), []), "seed")
        .expect("create")
        .schema_id;
    let text = pretty(&schema);
    eprintln!("schema text: {} bytes", text.len());

    let mut window = Window::open(db.clone(), Some(id.0));
    window.settle(|app| app.state.editor.is_some());

    let mut group = c.benchmark_group("ui");
    group.sample_size(20);
    group.bench_function("frame_with_1.5MiB_schema_open", |b| {
        b.iter(|| window.frame())
    });
    // The edit itself, the command it triggers and the next frame; validation runs on its
    // own thread and is not part of the frame.
    let mut n = 0usize;
    group.bench_function("frame_after_one_character_edit", |b| {
        b.iter(|| {
            n += 1;
            let Some(editor) = window.app.state.editor.as_mut() else {
                return;
            };
            let at = editor.parts.schema_text.len() - 3;
            let ch = if n.is_multiple_of(2) { ' ' } else { '\n' };
            editor.parts.schema_text.insert(at, ch);
            window
                .app
                .run_command(Command::Edited(EditKind::Json), &window.ctx);
            window.frame();
        })
    });
    // A real keystroke: the JSON editor has the focus with the cursor in the middle of the
    // text, and the frame receives a typed character or a Backspace, alternately, so the text
    // keeps its size. This is what a user typing sees: TextEdit's own handling, the edit
    // command, undo, re-colouring and layout, the gutter and painting.
    let id = schemadesk::ui::editor::json_editor_id();
    let middle = text.chars().count() / 2;
    let mut state = egui::text_edit::TextEditState::load(&window.ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(
            egui::text::CCursor::new(middle),
        )));
    state.store(&window.ctx, id);
    window.ctx.memory_mut(|m| m.request_focus(id));
    window.frame();
    let text_len = |w: &Window| {
        w.app
            .state
            .editor
            .as_ref()
            .map_or(0, |e| e.parts.schema_text.len())
    };
    let len_before = text_len(&window);
    let mut typed = 0usize;
    group.bench_function("frame_with_one_typed_character", |b| {
        b.iter(|| {
            typed += 1;
            let event = if typed.is_multiple_of(2) {
                egui::Event::Key {
                    key: egui::Key::Backspace,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: egui::Modifiers::NONE,
                }
            } else {
                egui::Event::Text("x".into())
            };
            window.frame_with(vec![event]);
        })
    });
    assert_eq!(
        text_len(&window),
        len_before + typed % 2,
        "every keystroke reached the editor"
    );
    // The designer's field tree of the same schema: 5,000 rows.
    if let Some(editor) = window.app.state.editor.as_mut() {
        editor.parts.schema_text = text.clone();
    }
    window
        .app
        .run_command(Command::Edited(EditKind::Json), &window.ctx);
    window.app.state.designer.view = schemadesk::app::designer::View::Designer;
    window.settle(|app| !app.state.designer.tree.fields.is_empty());
    assert_eq!(window.app.state.designer.tree.fields.len(), 5000);
    group.bench_function("designer_frame_5000_fields", |b| b.iter(|| window.frame()));
    group.finish();

    let large = dir.path().join("large.db");
    workload::fill_store(&large, 1000, 100);
    let mut start = c.benchmark_group("start");
    start.sample_size(10);
    start.bench_function("first_frame_1000x100_store", |b| {
        b.iter(|| {
            let mut w = Window::open(black_box(large.clone()), None);
            w.frame();
        })
    });
    start.bench_function("list_shown_1000x100_store", |b| {
        b.iter(|| {
            let mut w = Window::open(black_box(large.clone()), None);
            w.settle(|app| app.state.schemas.len() == 1000);
        })
    });
    start.finish();
}

criterion_group!(benches, ui_frames);
criterion_main!(benches);
