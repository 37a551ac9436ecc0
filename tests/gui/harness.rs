//! What the GUI tests share: a temporary store with file dialogs that answer from a queue
//! ([`Fixture`]), building the real app over it in an egui_kittest harness, and the steps a
//! person takes (click, type) each followed by waiting until the app's background threads have
//! answered.

// Each test module uses its own part of this harness.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use schemadesk::app::{FileDialogs, WindowState};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::store::{SchemaId, Store};
use schemadesk::sync::{ClientOptions, Token};
use tempfile::TempDir;

use crate::fake_zitadel::TOKEN;

/// File dialogs that answer with the paths a test queued (`None` once a queue is empty), so
/// no window opens. Clones share the queues: the test keeps one, the app gets another.
#[derive(Clone, Default)]
pub struct QueuedDialogs {
    open: Arc<Mutex<Vec<PathBuf>>>,
    save: Arc<Mutex<Vec<PathBuf>>>,
    folder: Arc<Mutex<Vec<PathBuf>>>,
}

impl QueuedDialogs {
    /// The next "Open" dialog picks `path`.
    pub fn will_open(&self, path: PathBuf) {
        self.open.lock().expect("dialog queue").push(path);
    }

    /// The next folder dialog picks `dir`.
    pub fn will_pick_folder(&self, dir: PathBuf) {
        self.folder.lock().expect("dialog queue").push(dir);
    }

    /// The next "Save" dialog picks `path`.
    pub fn will_save(&self, path: PathBuf) {
        self.save.lock().expect("dialog queue").push(path);
    }
}

impl FileDialogs for QueuedDialogs {
    fn pick_open(&self) -> Option<PathBuf> {
        self.open.lock().ok()?.pop()
    }
    fn pick_save(&self, _suggested: &str) -> Option<PathBuf> {
        self.save.lock().ok()?.pop()
    }
    fn pick_folder(&self) -> Option<PathBuf> {
        self.folder.lock().ok()?.pop()
    }
}

/// Every GUI test's starting point: a temporary folder holding the store file (created by the
/// first [`Fixture::store`] or by the app), and the file dialogs the app is given.
pub struct Fixture {
    pub dir: TempDir,
    pub db: PathBuf,
    pub dialogs: QueuedDialogs,
}

impl Fixture {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Fixture {
            db: dir.path().join("store.db"),
            dir,
            dialogs: QueuedDialogs::default(),
        }
    }

    /// Another connection to the store file: another window, as far as the app can tell.
    pub fn store(&self) -> Store {
        Store::open(&self.db).expect("a store on the fixture's file")
    }

    /// Writes `text` to the file `name` in the fixture's folder.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write a file in the fixture's folder");
        path
    }

    /// The app over the store with default window settings, in a harness of `size` points.
    pub fn app(&self, size: egui::Vec2) -> Harness<'static, SchemaDeskApp> {
        self.app_with(size, WindowState::default(), |app| app)
    }

    /// The app over the store opened with `settings` and made ready by `setup` (tokens,
    /// preferences), in a harness of `size` points, settled.
    pub fn app_with(
        &self,
        size: egui::Vec2,
        settings: WindowState,
        setup: impl FnOnce(SchemaDeskApp) -> SchemaDeskApp + 'static,
    ) -> Harness<'static, SchemaDeskApp> {
        let db = self.db.clone();
        let dialogs = self.dialogs.clone();
        harness(size, move |cc| {
            setup(SchemaDeskApp::with_settings(
                &cc.egui_ctx,
                db,
                Box::new(dialogs),
                settings,
            ))
        })
    }
}

/// Window settings that open `id` at start, as after a restart.
pub fn opening(id: SchemaId) -> WindowState {
    WindowState {
        last_schema: Some(id.0),
        ..WindowState::default()
    }
}

/// The app set up for the test ZITADEL server (tests/fake_zitadel): its token given directly,
/// and timeouts long enough for a loaded machine.
pub fn for_test_server(mut app: SchemaDeskApp) -> SchemaDeskApp {
    app.set_sync_token(Token::new(TOKEN));
    app.set_sync_options(ClientOptions {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    });
    app
}

/// The app built by `build` in a harness of `size` points, settled.
pub fn harness(
    size: egui::Vec2,
    build: impl FnOnce(&mut eframe::CreationContext<'_>) -> SchemaDeskApp + 'static,
) -> Harness<'static, SchemaDeskApp> {
    let mut harness = Harness::builder().with_size(size).build_eframe(build);
    settle(&mut harness);
    harness
}

/// Steps until the store worker, the validator and every sync job have answered, then a few
/// frames more so the answers are drawn.
pub fn settle(harness: &mut Harness<'_, SchemaDeskApp>) {
    let start = Instant::now();
    loop {
        harness.step();
        if harness.state().is_idle() {
            harness.run_steps(3);
            if harness.state().is_idle() {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the app did not settle"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

pub fn click(harness: &mut Harness<'_, SchemaDeskApp>, label: &str) {
    harness.get_by_label(label).click();
    settle(harness);
}

pub fn set_text(harness: &mut Harness<'_, SchemaDeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).set_text_value_accesskit(text);
    settle(harness);
}

/// Clicks "New", then "Create schema" in its dialog, and waits for the new schema's editor. It is created and opened in two
/// round trips to the store worker, so the app can look idle between them on a loaded
/// machine; the assertion says what the status line said if it never opens.
pub fn create_schema(harness: &mut Harness<'_, SchemaDeskApp>) {
    click(harness, "New");
    // "New" asks for the type first; the suggested one is fine here.
    click(harness, "Create schema");
    let start = Instant::now();
    while harness.state().state.editor.is_none() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(10));
        settle(harness);
    }
    let state = &harness.state().state;
    assert!(
        state.editor.is_some(),
        "a new schema opens; the status line says {:?}",
        state.status.as_ref().map(|s| s.text.clone())
    );
}

/// Whether some widget's label contains `text`.
pub fn has(h: &Harness<'_, SchemaDeskApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// The status line's text ("" when there is none).
pub fn status(h: &Harness<'_, SchemaDeskApp>) -> String {
    h.state()
        .state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The open draft's JSON text.
pub fn schema_text(h: &Harness<'_, SchemaDeskApp>) -> String {
    h.state()
        .state
        .editor
        .as_ref()
        .map(|e| e.parts.schema_text.clone())
        .expect("a schema is open")
}

/// The open draft's JSON.
pub fn schema(h: &Harness<'_, SchemaDeskApp>) -> serde_json::Value {
    serde_json::from_str(&schema_text(h)).expect("the draft is JSON")
}

/// Pushes the open schema `id` to the test server for the first time, through the push
/// dialog; its id on the server.
pub fn push_new(h: &mut Harness<'_, SchemaDeskApp>, fx: &Fixture, id: SchemaId) -> String {
    click(h, "Push…");
    click(h, "Push now");
    assert!(
        has(h, "Created on the server"),
        "the push created the schema on the server"
    );
    click(h, "Close push");
    fx.store().bindings_of_schema(id).expect("bindings")[0]
        .1
        .remote_id
        .clone()
}
