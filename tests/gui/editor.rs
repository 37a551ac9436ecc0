//! The desktop editor driven by egui_kittest over a temporary store. Every test asserts the
//! outcome in the store through a second `Store` opened on the same file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::{Role, Toggled};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use schemadesk::app::WindowState;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::settings::{Settings as Prefs, Theme};
use schemadesk::store::{ListFilter, SchemaId};
use serde_json::json;

use crate::harness::{
    Fixture, QueuedDialogs, click, create_schema, opening, schema_text, set_text, settle, status,
};

const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn checked(harness: &Harness<'_, SchemaDeskApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().toggled() == Some(Toggled::True)
}

const VALID: &str = r#"{
  "$schema": "urn:zitadel:schema:v1",
  "type": "object",
  "properties": {
    "givenName": { "type": "string" },
    "department": {
      "type": "string",
      "urn:zitadel:schema:permission": { "owner": "rw", "self": "r" }
    }
  }
}
"#;

/// `"required": true` inside a property: invalid under 2020-12.
const INVALID: &str = r#"{
  "type": "object",
  "properties": {
    "givenName": { "type": "string", "required": true }
  }
}
"#;

/// An empty schema `name` in the fixture's store.
fn seed_empty(fx: &Fixture, name: &str) -> SchemaId {
    fx.store()
        .create_schema(&UserSchemaDraft::new(name, json!({}), []), "seed")
        .expect("seed")
        .schema_id
}

#[test]
fn edit_validate_save_history_diff_restore() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);

    // Create.
    create_schema(&mut h);
    let store = fx.store();
    let listed = store.list_schemas(ListFilter::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].type_name, "new-schema");
    let id = listed[0].id;

    // Type and JSON; an error appears, is listed and marks its line, then disappears.
    set_text(&mut h, "Type", "employee");
    set_text(&mut h, "JSON schema", INVALID);
    assert!(
        h.query_by_label_contains("/properties/givenName").is_some(),
        "the problem is listed under the editor"
    );
    let editor = h.state().state.editor.as_ref().unwrap();
    assert!(
        editor.validation.error_lines.contains(&4),
        "{:?}",
        editor.validation.diagnostics
    );
    set_text(&mut h, "JSON schema", VALID);
    assert!(h.query_by_label_contains("/properties/givenName").is_none());
    assert!(
        h.query_by_label("No problems: the schema is valid")
            .is_some()
    );

    // Authenticators: tick one, untick one; the note says existing users keep it.
    let webauthn = AuthenticatorType::Webauthn.label();
    let password = AuthenticatorType::Password.label();
    assert!(!checked(&h, webauthn));
    assert!(checked(&h, password));
    click(&mut h, webauthn);
    click(&mut h, password);
    assert!(checked(&h, webauthn));
    assert!(!checked(&h, password));
    assert!(h.query_by_label_contains("keep it").is_some());
    assert_eq!(h.state().state.title(), "• employee — schemadesk");

    // Save with a message.
    set_text(&mut h, "Revision message", "Add department");
    click(&mut h, "Save revision");
    let rev = fx.store().latest_revision(id).unwrap();
    assert_eq!(rev.number, 2);
    assert_eq!(rev.message, "Add department");
    assert_eq!(rev.draft.type_name, "employee");
    assert_eq!(
        rev.draft.possible_authenticators,
        [AuthenticatorType::Username, AuthenticatorType::Webauthn]
            .into_iter()
            .collect()
    );
    assert_eq!(
        rev.draft.schema,
        serde_json::from_str::<serde_json::Value>(VALID).unwrap()
    );
    assert_eq!(h.state().state.title(), "employee — schemadesk");

    // The history grows.
    assert!(h.query_by_label("A: revision 2").is_some());
    assert!(h.query_by_label("A: revision 1").is_some());
    assert_eq!(fx.store().history(id).unwrap().len(), 2);

    // Diff revision 1 → 2.
    click(&mut h, "Show diff");
    let diff = h.state().state.diff.as_ref().expect("a diff is shown");
    assert_eq!((diff.old, diff.new), (1, 2));
    assert!(diff.added > 0 && diff.removed > 0);
    assert!(
        h.query_by_label("Revision 1 compared with revision 2")
            .is_some()
    );
    click(&mut h, "Side by side");
    click(&mut h, "Unified");

    // Restore revision 1 as revision 3.
    click(&mut h, "Restore revision 1");
    let rev = fx.store().latest_revision(id).unwrap();
    assert_eq!(rev.number, 3);
    assert_eq!(rev.restored_from, Some(1));
    assert_eq!(rev.draft.type_name, "new-schema");
    let editor = h.state().state.editor.as_ref().unwrap();
    assert_eq!(editor.parts.type_name, "new-schema");
    assert!(!editor.dirty);
    assert_eq!(fx.store().history(id).unwrap().len(), 3);
}

#[test]
fn undo_and_redo_span_type_json_and_authenticators() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    let original = h.state().state.editor.as_ref().unwrap().parts.clone();

    set_text(&mut h, "Type", "customer");
    // A pause longer than a typing burst, so the JSON edit is its own step.
    h.run_steps(8);
    set_text(&mut h, "JSON schema", VALID);
    click(&mut h, AuthenticatorType::Totp.label());

    let parts =
        |h: &Harness<'_, SchemaDeskApp>| h.state().state.editor.as_ref().unwrap().parts.clone();
    assert!(parts(&h).authenticators.contains(&AuthenticatorType::Totp));

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert!(!parts(&h).authenticators.contains(&AuthenticatorType::Totp));
    assert_eq!(parts(&h).schema_text, VALID);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(parts(&h).schema_text, original.schema_text);
    assert_eq!(parts(&h).type_name, "customer");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(parts(&h), original);
    assert!(!h.state().state.editor.as_ref().unwrap().dirty);

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    settle(&mut h);
    assert_eq!(parts(&h).type_name, "customer");

    // Ctrl+S saves what is shown.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    let store = fx.store();
    let s = store
        .find_by_type("customer")
        .unwrap()
        .expect("saved under the new type");
    assert_eq!(store.latest_revision(s.id).unwrap().number, 2);
}

#[test]
fn switching_with_unsaved_changes_asks_first() {
    let fx = Fixture::new();
    {
        let mut store = fx.store();
        for t in ["alpha", "beta"] {
            store
                .create_schema(
                    &UserSchemaDraft::new(t, json!({"type": "object"}), []),
                    "seed",
                )
                .unwrap();
        }
    }
    let mut h = fx.app(SIZE);
    h.get_by_role_and_label(Role::Button, "alpha").click();
    settle(&mut h);
    set_text(&mut h, "Type", "alpha2");
    assert!(h.state().state.is_dirty());

    // Cancel keeps the draft.
    h.get_by_role_and_label(Role::Button, "beta").click();
    settle(&mut h);
    assert!(h.query_by_label("Unsaved changes").is_some());
    click(&mut h, "Cancel");
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "alpha2"
    );

    // Save writes the draft, then opens the other schema.
    h.get_by_role_and_label(Role::Button, "beta").click();
    settle(&mut h);
    click(&mut h, "Save");
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "beta"
    );
    assert!(fx.store().find_by_type("alpha2").unwrap().is_some());

    // Discard drops the draft.
    set_text(&mut h, "Type", "beta-draft");
    h.get_by_role_and_label(Role::Button, "alpha2").click();
    settle(&mut h);
    click(&mut h, "Discard");
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "alpha2"
    );
    assert!(fx.store().find_by_type("beta-draft").unwrap().is_none());
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn import_by_dialog_and_by_drop_export_by_dialog() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);

    // Import through the (fake) dialog: a request body with its own type and authenticators.
    let body = fx.write(
        "body.json",
        &json!({"type": "partner", "schema": serde_json::from_str::<serde_json::Value>(VALID).unwrap(),
                "possibleAuthenticators": ["AUTHENTICATOR_TYPE_PASSWORD"]})
        .to_string(),
    );
    fx.dialogs.will_open(body);
    click(&mut h, "Import…");
    let store = fx.store();
    let s = store.find_by_type("partner").unwrap().expect("imported");
    let rev = store.latest_revision(s.id).unwrap();
    assert_eq!(rev.message, "Imported from body.json");
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "partner"
    );

    // Drop an invalid file: its problems are shown and nothing is written.
    let bad = fx.write("broken.json", INVALID);
    h.input_mut().dropped_files.push(Arc::new(Dropped(bad)));
    settle(&mut h);
    assert!(h.query_by_label("Not imported").is_some());
    assert!(h.query_by_label_contains("required").is_some());
    click(&mut h, "Close");
    assert_eq!(
        fx.store()
            .list_schemas(ListFilter::default())
            .unwrap()
            .len(),
        1
    );

    // Drop a valid bare schema: imported under its file name.
    let good = fx.write("contractor.json", VALID);
    h.input_mut().dropped_files.push(Arc::new(Dropped(good)));
    settle(&mut h);
    assert!(fx.store().find_by_type("contractor").unwrap().is_some());
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "contractor"
    );

    // Export the request body through the (fake) save dialog.
    let out = fx.dir.path().join("out.json");
    fx.dialogs.will_save(out.clone());
    click(&mut h, "Export");
    click(&mut h, "Request body (type, schema, authenticators)…");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("exported file")).unwrap();
    assert_eq!(written["type"], "contractor");
}

#[test]
fn archive_delete_undelete_and_purge() {
    let fx = Fixture::new();
    let id = seed_empty(&fx, "temp");
    let mut h = fx.app(SIZE);
    h.get_by_role_and_label(Role::Button, "temp").click();
    settle(&mut h);

    click(&mut h, "Archive");
    assert!(fx.store().schema(id).unwrap().archived);
    assert!(
        h.query_all_by_label("archived").next().is_some(),
        "state badge"
    );
    click(&mut h, "Unarchive");
    assert!(!fx.store().schema(id).unwrap().archived);

    click(&mut h, "Delete…");
    assert!(h.query_by_label("Delete schema?").is_some());
    click(&mut h, "Delete");
    let s = fx.store().schema(id).unwrap();
    assert!(s.deleted_at.is_some());
    assert_eq!(
        fx.store().history(id).unwrap().len(),
        1,
        "revisions are kept"
    );

    click(&mut h, "Show deleted");
    h.get_by_role_and_label(Role::Button, "temp").click();
    settle(&mut h);
    click(&mut h, "Purge…");
    click(&mut h, "Purge");
    assert!(fx.store().schema(id).is_err(), "purged for good");
}

#[test]
fn settings_survive_a_restart() {
    let fx = Fixture::new();
    let id = seed_empty(&fx, "kept");
    let settings = WindowState {
        last_schema: Some(id.0),
        show_history: false,
        ..WindowState::default()
    };
    let h = fx.app_with(SIZE, settings, |app| app);
    let state = &h.state().state;
    assert_eq!(
        state.editor.as_ref().map(|e| e.parts.type_name.as_str()),
        Some("kept")
    );
    assert!(
        h.query_by_label("Show diff").is_none(),
        "history panel hidden"
    );
}

#[test]
fn main_window_snapshot() {
    let fx = Fixture::new();
    let id = fx
        .store()
        .create_schema(
            &UserSchemaDraft::new(
                "employee",
                serde_json::from_str(VALID).unwrap(),
                [
                    AuthenticatorType::Username,
                    AuthenticatorType::Password,
                    AuthenticatorType::Webauthn,
                ],
            ),
            "seed",
        )
        .unwrap()
        .schema_id;
    let settings = WindowState {
        last_schema: Some(id.0),
        // The history shows wall-clock times, the status bar the temp path: keep both out.
        show_history: false,
        ..WindowState::default()
    };
    let prefs = Prefs {
        theme: Theme::Light,
        ..Prefs::default()
    };
    let mut h = fx.app_with(SIZE, settings, move |app| app.with_prefs(prefs, None));
    h.set_size(egui::vec2(1280.0, 800.0));
    settle(&mut h);
    // The store path's length varies with the temp dir: mask the whole status bar row.
    let status = h.get_by_label_contains("Store: ").rect();
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, status.top()),
        egui::pos2(1280.0, status.bottom()),
    ));
    h.snapshot("main_window");
}

/// A schema of about 1.5 MiB: many properties, each with a permission and a description.
fn large_schema() -> String {
    let mut properties = serde_json::Map::new();
    let mut i = 0;
    while serde_json::to_string_pretty(&properties).map_or(0, |t| t.len()) < 1_500_000 {
        for _ in 0..500 {
            properties.insert(
                format!("field{i:05}"),
                json!({
                    "type": "string",
                    "description": "A field of the large schema used to check that typing stays fluid.",
                    "maxLength": 200,
                    "urn:zitadel:schema:permission": {"owner": "rw", "self": "r"}
                }),
            );
            i += 1;
        }
    }
    schemadesk::schema::pretty(&json!({"type": "object", "properties": properties}))
}

#[test]
fn large_schema_is_validated_off_the_ui_thread() {
    let fx = Fixture::new();
    let text = large_schema();
    assert!(text.len() >= 1_500_000);
    let id = fx
        .store()
        .create_schema(
            &UserSchemaDraft::new("big", serde_json::from_str(&text).unwrap(), []),
            "seed",
        )
        .unwrap()
        .schema_id;
    let mut h = fx.app_with(
        SIZE,
        WindowState {
            last_schema: Some(id.0),
            ..WindowState::default()
        },
        |app| app,
    );
    assert_eq!(
        h.state()
            .state
            .editor
            .as_ref()
            .unwrap()
            .parts
            .schema_text
            .len(),
        text.len()
    );

    // Break the JSON near the end; the frame that takes the edit does not validate it.
    let broken = text.replacen("\"maxLength\": 200", "\"maxLength\": 200,,", 1);
    h.get_by_label("JSON schema")
        .set_text_value_accesskit(&broken);
    let started = Instant::now();
    h.step();
    eprintln!("frame with a 1.5 MiB edit: {:?}", started.elapsed());
    assert!(
        h.state()
            .state
            .editor
            .as_ref()
            .unwrap()
            .validation
            .is_pending(),
        "validation runs later, on its own thread"
    );
    settle(&mut h);
    let started = Instant::now();
    h.step();
    eprintln!("steady frame: {:?}", started.elapsed());
    let mut one_more = broken.clone();
    one_more.insert(broken.len() - 3, ' ');
    h.get_by_label("JSON schema")
        .set_text_value_accesskit(&one_more);
    let started = Instant::now();
    h.step();
    eprintln!("frame with a one-character edit: {:?}", started.elapsed());
    settle(&mut h);
    let editor = h.state().state.editor.as_ref().unwrap();
    assert!(
        !editor.validation.diagnostics.is_empty(),
        "the syntax error is found"
    );
    assert!(editor.dirty);
}

#[test]
fn a_schema_is_laid_out_once_when_it_opens() {
    let fx = Fixture::new();
    // 400 fields, each with its own description: over a thousand lines (four digits), most
    // of them different, so each layout of the text leaves about 800 galleys in egui's cache.
    let properties: serde_json::Map<String, serde_json::Value> = (0..400)
        .map(|i| {
            let description = format!("Field {i}");
            (
                format!("field{i:03}"),
                json!({"type": "string", "description": description}),
            )
        })
        .collect();
    let schema = json!({"type": "object", "properties": properties});
    let text = schemadesk::schema::pretty(&schema);
    let lines: std::collections::HashSet<&str> = text.lines().collect();
    assert!(text.lines().count() > 1000 && lines.len() > 800);
    fx.store()
        .create_schema(&UserSchemaDraft::new("wide", schema, []), "seed")
        .unwrap();
    let mut h = fx.app(SIZE);
    let galleys = |h: &Harness<'_, SchemaDeskApp>| h.ctx.fonts_mut(|f| f.num_galleys_in_cache());
    let before = galleys(&h);
    h.get_by_role_and_label(Role::Button, "wide").click();
    let start = Instant::now();
    let mut most = 0;
    while h.state().state.editor.is_none() || !h.state().is_idle() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the schema opens"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
        most = most.max(galleys(&h));
    }
    for _ in 0..3 {
        h.step();
        most = most.max(galleys(&h));
    }
    // Once: the distinct lines, plus what the rest of the window shows.
    assert!(
        most < before + lines.len() * 3 / 2,
        "{most} galleys cached at most, {before} before opening, {} distinct lines",
        lines.len()
    );
}

#[test]
fn type_is_checked_as_you_type_format_and_jump_to_a_problem() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);

    set_text(&mut h, "Type", "");
    assert!(h.query_by_label("the type must not be empty").is_some());
    set_text(&mut h, "Type", &"x".repeat(201));
    assert!(
        h.query_all_by_label_contains("at most 200")
            .next()
            .is_some()
    );
    set_text(&mut h, "Type", "ok");
    assert!(
        h.query_all_by_label_contains("at most 200")
            .next()
            .is_none()
    );

    // Format pretty-prints compact JSON.
    set_text(
        &mut h,
        "JSON schema",
        r#"{"type":"object","properties":{"a":{"type":"string"}}}"#,
    );
    click(&mut h, "Format");
    let text = schema_text(&h);
    assert!(text.starts_with("{\n  \"type\": \"object\",\n"), "{text}");

    // Clicking a problem moves the cursor to its line.
    set_text(&mut h, "JSON schema", INVALID);
    h.get_by_label_contains("/properties/givenName").click();
    settle(&mut h);
    let editor = h.get_by_label("JSON schema");
    assert!(editor.is_focused(), "the editor takes the focus");
    let ctx = h.ctx.clone();
    let state =
        egui::text_edit::TextEditState::load(&ctx, schemadesk::ui::editor::json_editor_id())
            .expect("editor state");
    let cursor = state.cursor.char_range().expect("a cursor").primary.index.0;
    let line = INVALID[..cursor].matches('\n').count() + 1;
    assert_eq!(line, 4);

    // Saving an invalid draft is refused and writes nothing.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    let status = h.state().state.status.clone().expect("a status");
    assert!(status.text.starts_with("Not saved"), "{status:?}");
    let store = fx.store();
    let s = &store.list_schemas(ListFilter::default()).unwrap()[0];
    assert_eq!(s.latest_revision, 1);
}

#[test]
fn closing_with_unsaved_changes_asks_and_can_save() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    set_text(&mut h, "Type", "closing");

    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let cancelled = h
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| {
            v.commands
                .iter()
                .any(|c| matches!(c, egui::ViewportCommand::CancelClose))
        });
    assert!(cancelled, "the close is held back");
    settle(&mut h);
    assert!(h.query_by_label("Unsaved changes").is_some());
    click(&mut h, "Save");
    assert!(
        fx.store().find_by_type("closing").unwrap().is_some(),
        "saved before closing"
    );
}

#[test]
fn enter_auto_indents_in_the_json_editor() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    set_text(&mut h, "JSON schema", "{\n  \"properties\": {}\n}\n");

    // Focus the editor, put the cursor between the braces of `{}` and press Enter.
    h.get_by_label("JSON schema").focus();
    h.run_steps(2);
    let id = schemadesk::ui::editor::json_editor_id();
    let ctx = h.ctx.clone();
    let mut state = egui::text_edit::TextEditState::load(&ctx, id).unwrap_or_default();
    let inside = "{\n  \"properties\": {".chars().count();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(
            egui::text::CCursor::new(inside),
        )));
    state.store(&ctx, id);
    h.key_press(Key::Enter);
    settle(&mut h);
    let text = schema_text(&h);
    assert_eq!(text, "{\n  \"properties\": {\n    \n  }\n}\n");
}

/// eframe's storage in memory.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn layout_and_last_schema_persist_through_eframe_storage() {
    let fx = Fixture::new();
    let id = seed_empty(&fx, "remembered");
    let mut h = fx.app(SIZE);
    h.get_by_role_and_label(Role::Button, "remembered").click();
    settle(&mut h);
    h.get_all_by_label("History")
        .find(|n| n.accesskit_node().role() != Role::Label)
        .expect("the History toggle")
        .click();
    settle(&mut h);
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let saved: WindowState = eframe::get_value(&storage, eframe::APP_KEY).expect("settings saved");
    assert_eq!(saved.last_schema, Some(id.0));
    assert!(!saved.show_history);

    // A new run reads them back through the creation context.
    let storage: &'static MemoryStorage = Box::leak(Box::new(storage));
    let db = fx.db.clone();
    let mut h2 = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            cc.storage = Some(storage);
            SchemaDeskApp::new(cc, db, Box::new(QueuedDialogs::default()))
        });
    settle(&mut h2);
    let state = &h2.state().state;
    assert_eq!(state.window, saved);
    assert_eq!(
        state.editor.as_ref().map(|e| e.parts.type_name.as_str()),
        Some("remembered")
    );
    // The theme lives in the settings file (tests/gui/shell.rs), not in eframe's storage.
}

/// Saving while another program holds the store's write lock: after SQLite's wait the status
/// line names the store file and says it is busy, the draft stays unsaved and no revision is
/// lost; once the lock is gone, saving again works.
#[test]
fn a_busy_store_names_its_file_and_keeps_the_draft() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    set_text(&mut h, "JSON schema", VALID);
    let id = h.state().state.editor.as_ref().unwrap().id;
    let before = fx.store().history(id).unwrap().len();

    let locker = rusqlite::Connection::open(&fx.db).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    click(&mut h, "Save revision");
    let status = status(&h);
    assert!(
        status.contains(fx.db.to_str().unwrap()) && status.contains("busy"),
        "the status names the store file and says it is busy: {status}"
    );
    assert!(h.state().state.is_dirty(), "the draft is still unsaved");
    locker.execute_batch("ROLLBACK").unwrap();
    drop(locker);
    assert_eq!(fx.store().history(id).unwrap().len(), before);

    click(&mut h, "Save revision");
    assert!(!h.state().state.is_dirty(), "saved once the lock is gone");
    assert_eq!(fx.store().history(id).unwrap().len(), before + 1);
}

/// The app with the large schema open (as the last schema), and its text.
fn open_large(fx: &Fixture) -> (Harness<'static, SchemaDeskApp>, String) {
    let text = large_schema();
    let id = fx
        .store()
        .create_schema(
            &UserSchemaDraft::new("big", serde_json::from_str(&text).unwrap(), []),
            "seed",
        )
        .unwrap()
        .schema_id;
    let h = fx.app_with(SIZE, opening(id), |app| app);
    let shown = schema_text(&h);
    assert_eq!(shown, text);
    (h, text)
}

/// Moves the caret to (line, column) the way "Go to this line" does.
fn jump(h: &mut Harness<'_, SchemaDeskApp>, line: usize, column: usize) {
    let ctx = h.ctx.clone();
    h.state_mut()
        .run_command(schemadesk::app::Command::JumpTo { line, column }, &ctx);
    settle(h);
}

fn laid_out(h: &Harness<'_, SchemaDeskApp>) -> schemadesk::ui::editor::LaidOut {
    schemadesk::ui::editor::laid_out(&h.ctx).expect("the JSON editor was drawn")
}

/// A 1.5 MiB schema (tens of thousands of lines) costs the editor only the lines in view:
/// the galley it lays out stays small wherever the view is, and its line numbers follow.
#[test]
fn a_large_schema_lays_out_only_the_lines_in_view() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    // As the gutter numbers them: the empty line after the last newline counts.
    let lines = text.split('\n').count();
    assert!(lines > 40_000, "{lines} lines");
    let shown = laid_out(&h);
    assert_eq!(shown.first_line, 1);
    assert!(
        shown.rows < 600 && shown.chars < 50_000,
        "{shown:?} laid out of {lines} lines, {} bytes",
        text.len()
    );
    assert_eq!(shown.lines, lines);
    assert_eq!(
        shown.estimated_rows, shown.rows,
        "the rows of lines out of view are estimated right (wrapped lines included)"
    );

    // Far down: the galley covers the target line, and still only a few hundred rows.
    let target = lines * 3 / 4;
    jump(&mut h, target, 1);
    let shown = laid_out(&h);
    assert!(
        shown.first_line <= target && target < shown.first_line + shown.line_count,
        "{shown:?} does not show line {target}"
    );
    assert!(shown.rows < 600 && shown.chars < 50_000, "{shown:?}");
    assert_eq!(shown.estimated_rows, shown.rows, "{shown:?}");
}

/// "Go to this line" far below the first screen puts the caret there: a typed character and
/// an Enter (auto-indented) land at that line of the document.
#[test]
fn a_jump_far_down_a_large_schema_puts_the_caret_there() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    let (index, content) = text
        .lines()
        .enumerate()
        .skip(text.lines().count() / 2)
        .find(|(_, l)| l.contains("\"description\""))
        .expect("a description half-way down");
    let line = index + 1;
    let column = content.find('"').expect("a key on the line") + 1;
    jump(&mut h, line, column);
    assert!(h.get_by_label("JSON schema").is_focused());
    h.get_by_label("JSON schema").type_text("X");
    settle(&mut h);
    let offset = schemadesk::schema::position::offset_of(&text, line, column);
    let mut expected = text.clone();
    expected.insert(offset, 'X');
    assert_eq!(schema_text(&h), expected, "typed at line {line}");

    // Enter after an opening brace, far down: the new line is indented one step deeper.
    let (open, content) = text
        .lines()
        .enumerate()
        .skip(30_000)
        .find(|(_, l)| l.ends_with('{'))
        .expect("an object opens");
    let indent = content.len() - content.trim_start().len();
    jump(&mut h, open + 1, content.len() + 1);
    h.key_press(Key::Enter);
    settle(&mut h);
    let at = schemadesk::schema::position::offset_of(&expected, open + 1, content.len() + 1);
    expected.insert_str(at, &format!("\n{}", " ".repeat(indent + 2)));
    assert_eq!(schema_text(&h), expected, "Enter at line {}", open + 1);

    // Undo takes both edits back, whole-document snapshots as for a small schema.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(schema_text(&h), text);
}

/// Typing close to the end of a large document edits the right place.
#[test]
fn typing_near_the_end_of_a_large_schema_edits_the_right_place() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    let lines = text.lines().count();
    // The line before the last closing braces: `    }` of the last property.
    jump(&mut h, lines - 2, 1);
    h.get_by_label("JSON schema").type_text("Z");
    settle(&mut h);
    let offset = schemadesk::schema::position::offset_of(&text, lines - 2, 1);
    let mut expected = text.clone();
    expected.insert(offset, 'Z');
    assert_eq!(schema_text(&h), expected);
    let shown = laid_out(&h);
    assert_eq!(
        shown.first_line + shown.line_count - 1,
        shown.lines,
        "{shown:?}"
    );
}

/// Ctrl+A selects the whole document, not the lines in view: copy gives all of it, and
/// typing replaces all of it.
#[test]
fn select_all_in_a_large_schema_takes_the_whole_document() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    jump(&mut h, 20_000, 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.event(egui::Event::Copy);
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        });
    assert_eq!(
        copied.map(|t| t.len()),
        Some(text.len()),
        "the whole text copied"
    );
    h.get_by_label("JSON schema").type_text("{}");
    settle(&mut h);
    assert_eq!(schema_text(&h), "{}");

    // Undo brings the document back; Ctrl+A and Delete empty it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(schema_text(&h), text);
    jump(&mut h, 10, 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Delete);
    settle(&mut h);
    assert_eq!(schema_text(&h), "");
}

/// The caret stays where it was when the view scrolls far away; typing then goes to the caret
/// (and brings it back into view), not to the lines on screen.
#[test]
fn the_caret_survives_scrolling_away_in_a_large_schema() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    jump(&mut h, 200, 1);
    wheel(&mut h, 20, -4000.0);
    let shown = laid_out(&h);
    assert!(shown.first_line > 1000, "scrolled away: {shown:?}");
    h.get_by_label("JSON schema").type_text("Q");
    settle(&mut h);
    let offset = schemadesk::schema::position::offset_of(&text, 200, 1);
    let mut expected = text.clone();
    expected.insert(offset, 'Q');
    assert_eq!(schema_text(&h), expected);
    let shown = laid_out(&h);
    assert!(
        shown.first_line <= 200 && 200 < shown.first_line + shown.line_count,
        "the caret's line is shown again: {shown:?}"
    );
}

/// A selection may reach beyond the lines laid out: with the caret at line 100, a Shift+click
/// a few hundred lines further down selects everything between, and copy gives all of it.
#[test]
fn shift_click_far_from_the_caret_selects_across_the_window() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    jump(&mut h, 100, 1);
    let inside = wheel(&mut h, 5, -2000.0);
    let shown = laid_out(&h);
    assert!(
        shown.first_line > 100,
        "line 100 is no longer laid out: {shown:?}"
    );
    for pressed in [true, false] {
        h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
        h.event(egui::Event::PointerButton {
            pos: inside,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::SHIFT,
        });
        h.step();
    }
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    settle(&mut h);
    h.event(egui::Event::Copy);
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .expect("something is copied");
    let from = schemadesk::schema::position::offset_of(&text, 100, 1);
    assert!(
        copied.lines().count() > 300,
        "{} lines copied",
        copied.lines().count()
    );
    assert_eq!(&text[from..from + copied.len()], copied, "from line 100 on");
}

/// A problem far down a large schema: its link in the Problems list moves the caret to its
/// line, and what is typed next lands there.
#[test]
fn a_problem_far_down_a_large_schema_is_reached_from_the_list() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    // `"maxLength": "200"`: a string where a number belongs, about 40,000 lines down.
    let line = 40_000;
    let at = schemadesk::schema::position::offset_of(&text, line, 1);
    let from = at
        + text[at..]
            .find("\"maxLength\": 200")
            .expect("a maxLength further down");
    let line = text[..from].matches('\n').count() + 1;
    let broken = format!(
        "{}\"maxLength\": \"200\"{}",
        &text[..from],
        &text[from + "\"maxLength\": 200".len()..]
    );
    crate::harness::set_text(&mut h, "JSON schema", &broken);
    assert_eq!(schema_text(&h), broken);
    let label = format!("{line}:");
    h.get_all_by_label_contains(&label)
        .next()
        .expect("the problem is listed with its line")
        .click();
    settle(&mut h);
    let shown = laid_out(&h);
    assert!(
        shown.first_line <= line && line < shown.first_line + shown.line_count,
        "{shown:?} shows line {line}"
    );
    h.get_by_label("JSON schema").type_text("Y");
    settle(&mut h);
    let typed = schema_text(&h);
    let at = broken
        .bytes()
        .zip(typed.bytes())
        .position(|(a, b)| a != b)
        .expect("a character was inserted");
    assert_eq!(
        typed[..at].matches('\n').count() + 1,
        line,
        "typed on the problem's line"
    );
    assert_eq!(typed.len(), broken.len() + 1);
}

/// A click far down a large schema (after scrolling with the wheel) puts the caret there.
#[test]
fn a_click_far_down_a_large_schema_types_there() {
    let fx = Fixture::new();
    let (mut h, text) = open_large(&fx);
    let inside = wheel(&mut h, 10, -5000.0);
    let shown = laid_out(&h);
    assert!(shown.first_line > 2000, "{shown:?}");
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: inside,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    settle(&mut h);
    h.get_by_label("JSON schema").type_text("W");
    settle(&mut h);
    let typed = schema_text(&h);
    assert_eq!(typed.len(), text.len() + 1);
    let at = text
        .bytes()
        .zip(typed.bytes())
        .position(|(a, b)| a != b)
        .expect("a character was inserted");
    let line = text[..at].matches('\n').count() + 1;
    assert!(
        shown.first_line + 32 <= line && line < shown.first_line + shown.line_count - 32,
        "typed at line {line}, in the middle of the lines shown: {shown:?}"
    );
}

/// In a small window with a large font, long lines wrap into several rows: the rows of the
/// lines out of view are still counted as egui lays them out, so the scroll area's height and
/// the place of every line stay right wherever the view goes.
#[test]
fn a_large_schema_in_a_small_window_with_a_large_font_counts_its_rows_right() {
    let fx = Fixture::new();
    let text = large_schema();
    let id = fx
        .store()
        .create_schema(
            &UserSchemaDraft::new("big", serde_json::from_str(&text).unwrap(), []),
            "seed",
        )
        .unwrap()
        .schema_id;
    let prefs = Prefs {
        font_size: schemadesk::settings::FontSize::clamped(18.0),
        ..Prefs::default()
    };
    let mut h = fx.app_with(SIZE, opening(id), move |app| app.with_prefs(prefs, None));
    h.set_size(egui::vec2(800.0, 500.0));
    settle(&mut h);
    for line in [1, 20_000, 45_000] {
        jump(&mut h, line, 1);
        let shown = laid_out(&h);
        assert!(shown.rows > shown.line_count, "lines wrap: {shown:?}");
        assert_eq!(
            shown.estimated_rows, shown.rows,
            "at line {line}: {shown:?}"
        );
    }
}

/// Turns the mouse wheel `steps` times by `dy` points over the part of the JSON editor on
/// screen (its rect reaches beyond the screen: it holds lines above and below the view), and
/// returns where the pointer was.
fn wheel(h: &mut Harness<'_, SchemaDeskApp>, steps: usize, dy: f32) -> egui::Pos2 {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE);
    let inside = h
        .get_by_label("JSON schema")
        .rect()
        .intersect(screen)
        .center();
    for _ in 0..steps {
        h.event(egui::Event::PointerMoved(inside));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.step();
    }
    settle(h);
    inside
}
