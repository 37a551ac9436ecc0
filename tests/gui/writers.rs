//! Two writers, one store (issue 19), through the real app: a revision saved by another
//! connection (or the CLI binary, another process) shows up in the open editor; a save whose
//! base is no longer the latest stops and offers see-what-changed, merge, save-mine-anyway
//! and cancel, none of which loses anything; a push that meets a server copy changed in other
//! fields merges with the local change.

use std::process::Command;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::SchemaId;
use serde_json::{Value, json};

use crate::fake_zitadel::TestServer;
use crate::harness::{
    Fixture, click, for_test_server, has, opening, push_new, set_text, settle, status,
};

const TOTP: &str = "Authenticator app (TOTP)";

fn save(fx: &Fixture, schema: Value, message: &str) -> SchemaId {
    let draft = UserSchemaDraft::new("employee", schema, [AuthenticatorType::Password]);
    fx.store()
        .save_by_type(&draft, message)
        .expect("save")
        .revision()
        .schema_id
}

/// The app with `open` open, set up for the test server.
fn app(fx: &Fixture, open: SchemaId) -> Harness<'static, SchemaDeskApp> {
    fx.app_with(egui::vec2(1400.0, 900.0), opening(open), for_test_server)
}

fn v1() -> Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "properties": {
            "givenName": { "type": "string", "maxLength": 50 },
            "department": { "type": "string" }
        }
    })
}

/// Revision 2 as the CLI saves it in the issue: a new field `fromCli`.
fn with_from_cli() -> Value {
    let mut v = v1();
    v["properties"]["fromCli"] = json!({ "type": "string" });
    v
}

/// Runs frames (the app's store worker polls on its own thread) until `done` holds.
fn wait_for(
    h: &mut Harness<'_, SchemaDeskApp>,
    what: &str,
    done: impl Fn(&Harness<'_, SchemaDeskApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{what}: not seen; the status line says {:?}",
            status(h)
        );
        std::thread::sleep(Duration::from_millis(20));
        settle(h);
    }
}

fn saved_revision(h: &Harness<'_, SchemaDeskApp>) -> u32 {
    h.state()
        .state
        .editor
        .as_ref()
        .map_or(0, |e| e.saved_revision)
}

#[test]
fn a_clean_editor_follows_a_revision_saved_by_another_connection() {
    let fx = Fixture::new();
    let id = save(&fx, v1(), "first");
    let mut h = app(&fx, id);
    assert!(has(&h, "revision 1 · saved"));

    save(&fx, with_from_cli(), "from the CLI");
    wait_for(&mut h, "the editor moves to revision 2", |h| {
        saved_revision(h) == 2
    });
    assert!(has(&h, "revision 2 · saved"), "the editor says so");
    let state = &h.state().state;
    assert_eq!(state.history.len(), 2, "the history lists revision 2");
    assert_eq!(
        state
            .schemas
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.latest_revision),
        Some(2),
        "the list knows revision 2"
    );
    let editor = state.editor.as_ref().expect("open");
    assert!(editor.parts.schema_text.contains("fromCli"));
    assert!(!editor.dirty);
    assert!(
        status(&h).contains("from the CLI"),
        "the note names the change: {}",
        status(&h)
    );
}

/// The lost update: the editor's save must not drop a revision saved meanwhile.
#[test]
fn a_save_never_silently_drops_a_revision_saved_meanwhile() {
    let fx = Fixture::new();
    let id = save(&fx, v1(), "first");
    let mut h = app(&fx, id);
    click(&mut h, TOTP);
    save(&fx, with_from_cli(), "from the CLI");
    click(&mut h, "Save revision");
    let latest = fx.store().latest_revision(id).expect("latest");
    assert!(
        latest.draft.schema["properties"].get("fromCli").is_some(),
        "revision {} ({:?}) dropped the other writer's field",
        latest.number,
        latest.message
    );
    assert!(
        h.state().state.is_dirty(),
        "and the draft keeps its change until the user chooses"
    );
}

/// Ticks TOTP (an unsaved change), then another writer saves revision 2; then Save.
fn save_over_a_newer_revision(fx: &Fixture) -> (SchemaId, Harness<'static, SchemaDeskApp>) {
    let id = save(fx, v1(), "first");
    let mut h = app(fx, id);
    click(&mut h, TOTP);
    assert!(h.state().state.is_dirty());
    save(fx, with_from_cli(), "from the CLI");
    wait_for(&mut h, "the dirty editor hears of revision 2", |h| {
        h.state().state.history.len() == 2
    });
    assert!(status(&h).contains("saved elsewhere"), "{}", status(&h));
    assert_eq!(saved_revision(&h), 1, "the draft keeps its base");
    assert!(h.state().state.is_dirty(), "and its change");
    click(&mut h, "Save revision");
    (id, h)
}

#[test]
fn a_save_over_a_newer_revision_stops_and_the_merge_keeps_both() {
    let fx = Fixture::new();
    let (id, mut h) = save_over_a_newer_revision(&fx);
    assert!(has(&h, "Saved elsewhere meanwhile"), "the save stops");
    assert!(has(&h, "from the CLI"), "naming the other revision");
    assert_eq!(
        fx.store().history(id).expect("history").len(),
        2,
        "nothing was written"
    );

    click(&mut h, "See what changed");
    for column in ["Base: revision 1", "Theirs: revision 2", "Mine: your draft"] {
        assert!(has(&h, column), "{column}");
    }
    click(&mut h, "Merge…");
    assert!(has(&h, "No conflicts"));
    assert!(
        h.state()
            .state
            .merge
            .as_ref()
            .is_some_and(|m| m.merged_text.contains("fromCli")
                && m.merged_text.contains("AUTHENTICATOR_TYPE_TOTP")),
        "the result is shown before it is saved"
    );
    click(&mut h, "Save merged");
    assert!(!has(&h, "Saved elsewhere meanwhile"));

    let latest = fx.store().latest_revision(id).expect("latest");
    assert_eq!(latest.number, 3);
    assert!(
        latest.draft.schema["properties"].get("fromCli").is_some(),
        "the other writer's field is kept"
    );
    assert!(
        latest
            .draft
            .possible_authenticators
            .contains(&AuthenticatorType::Totp),
        "and mine is saved"
    );
    assert_eq!(saved_revision(&h), 3);
    assert!(!h.state().state.is_dirty());
}

#[test]
fn save_mine_anyway_is_a_new_revision_that_says_what_it_reverts() {
    let fx = Fixture::new();
    let (id, mut h) = save_over_a_newer_revision(&fx);
    click(&mut h, "Save mine anyway");
    let store = fx.store();
    let latest = store.latest_revision(id).expect("latest");
    assert_eq!(latest.number, 3, "revision 2 stays in the history");
    assert!(latest.draft.schema["properties"].get("fromCli").is_none());
    assert!(
        latest.message.contains("reverts revision 2")
            && latest.message.contains("/schema/properties/fromCli"),
        "{}",
        latest.message
    );
    assert!(
        store.revision(id, 2).expect("revision 2").draft.schema["properties"]
            .get("fromCli")
            .is_some()
    );
}

#[test]
fn cancel_keeps_the_draft_and_writes_nothing() {
    let fx = Fixture::new();
    let (id, mut h) = save_over_a_newer_revision(&fx);
    click(&mut h, "Cancel");
    assert!(!has(&h, "Saved elsewhere meanwhile"));
    assert_eq!(fx.store().history(id).expect("history").len(), 2);
    let editor = h.state().state.editor.as_ref().expect("open");
    assert!(editor.dirty);
    assert!(
        editor
            .parts
            .authenticators
            .contains(&AuthenticatorType::Totp)
    );
    assert_eq!(editor.saved_revision, 1);
}

#[test]
fn the_same_value_changed_twice_is_a_conflict_the_user_picks() {
    let fx = Fixture::new();
    let id = save(&fx, v1(), "first");
    let mut h = app(&fx, id);
    let mut mine = v1();
    mine["properties"]["givenName"]["maxLength"] = json!(70);
    mine["title"] = json!("Staff");
    set_text(
        &mut h,
        "JSON schema",
        &serde_json::to_string_pretty(&mine).expect("json"),
    );
    let mut theirs = v1();
    theirs["properties"]["givenName"]["maxLength"] = json!(60);
    theirs["properties"]["fromCli"] = json!({ "type": "string" });
    save(&fx, theirs, "longer names");
    click(&mut h, "Save revision");
    click(&mut h, "Merge…");
    assert!(has(&h, "1 conflict(s)"));
    assert!(
        h.query_by_label("/schema/properties/givenName/maxLength")
            .is_some()
    );
    click(&mut h, "theirs: 60");
    click(&mut h, "Save merged");
    let latest = fx.store().latest_revision(id).expect("latest");
    assert_eq!(latest.number, 3, "{}", status(&h));
    assert_eq!(
        latest.draft.schema["properties"]["givenName"]["maxLength"],
        json!(60)
    );
    assert!(latest.draft.schema["properties"].get("fromCli").is_some());
    assert_eq!(
        latest.draft.schema["title"],
        json!("Staff"),
        "mine's other change"
    );
}

#[test]
fn the_cli_binary_writing_while_the_app_is_open() {
    let fx = Fixture::new();
    let id = save(&fx, v1(), "first");
    let mut h = app(&fx, id);
    let file = fx.dir.path().join("v2.json");
    std::fs::write(&file, with_from_cli().to_string()).expect("write v2.json");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_schemadesk"))
            .args(args)
            .env("SCHEMADESK_DB", &fx.db)
            .output()
            .expect("run the CLI")
    };
    let path = file.to_str().expect("utf-8 path");
    // A guarded import that expects a revision the store does not have writes nothing.
    let out = run(&["import", path, "--type", "employee", "--if-latest", "2"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = run(&[
        "import",
        path,
        "--type",
        "employee",
        "-m",
        "from the CLI",
        "--if-latest",
        "1",
    ]);
    assert!(out.status.success(), "{out:?}");
    wait_for(&mut h, "the editor moves to the CLI's revision", |h| {
        saved_revision(h) == 2
    });
    assert!(status(&h).contains("from the CLI"));

    // Now the other way round: the editor has a change, the CLI saves again, the editor saves.
    click(&mut h, TOTP);
    let mut v3 = with_from_cli();
    v3["properties"]["fromCliAgain"] = json!({ "type": "string" });
    std::fs::write(&file, v3.to_string()).expect("write v3");
    let out = run(&["import", path, "--type", "employee", "-m", "again"]);
    assert!(out.status.success(), "{out:?}");
    click(&mut h, "Save revision");
    assert!(has(&h, "Saved elsewhere meanwhile"));
    click(&mut h, "Merge…");
    click(&mut h, "Save merged");
    let latest = fx.store().latest_revision(id).expect("latest");
    assert_eq!(latest.number, 4);
    assert!(
        latest.draft.schema["properties"]
            .get("fromCliAgain")
            .is_some()
    );
    assert!(
        latest
            .draft
            .possible_authenticators
            .contains(&AuthenticatorType::Totp)
    );
}

#[test]
fn a_server_copy_changed_in_other_fields_merges_with_the_local_change() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let id = save(&fx, v1(), "first");
    fx.store()
        .add_server("test", &srv.url, Some(2))
        .expect("server");
    let mut h = app(&fx, id);
    let remote_id = push_new(&mut h, &fx, id);

    // The server's copy gains a field; the local schema makes another one required.
    let mut theirs = v1();
    theirs["properties"]["nickname"] = json!({ "type": "string" });
    srv.edit_remote(&remote_id, theirs);
    let mut mine = v1();
    mine["required"] = json!(["givenName"]);
    save(&fx, mine, "givenName required");
    wait_for(&mut h, "the editor moves to revision 2", |h| {
        saved_revision(h) == 2
    });

    click(&mut h, "Push…");
    click(&mut h, "Push now");
    assert!(h.query_by_label("Keep mine (overwrite server)").is_some());
    click(&mut h, "Merge…");
    assert!(has(&h, "No conflicts"), "the changes touch other fields");
    click(&mut h, "Save merged and push");
    assert!(
        h.query_by_label("Keep mine (overwrite server)").is_none(),
        "the conflict is resolved: {:?}",
        h.state().state.sync.message
    );

    let mut both = v1();
    both["properties"]["nickname"] = json!({ "type": "string" });
    both["required"] = json!(["givenName"]);
    let on_server = srv.schema(&remote_id).expect("on the server");
    assert_eq!(on_server.schema, both, "the server holds both changes");
    let store = fx.store();
    let latest = store.latest_revision(id).expect("latest");
    assert_eq!(latest.number, 3);
    assert_eq!(latest.draft.schema, both, "and so does the local revision");
    assert!(latest.message.contains("Merged with the copy on test"));
    let pushes = store.pushes_of_revision(latest.id).expect("pushes");
    assert_eq!(pushes.len(), 1, "the merge was pushed");
}

#[test]
fn a_server_conflict_on_one_value_is_picked_then_pushed() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let id = save(&fx, v1(), "first");
    fx.store()
        .add_server("test", &srv.url, Some(2))
        .expect("server");
    let mut h = app(&fx, id);
    click(&mut h, "Push…");
    click(&mut h, "Push now");
    click(&mut h, "Close push");
    let remote_id = fx.store().bindings_of_schema(id).expect("bindings")[0]
        .1
        .remote_id
        .clone();
    let mut theirs = v1();
    theirs["properties"]["givenName"]["maxLength"] = json!(60);
    srv.edit_remote(&remote_id, theirs);
    let mut mine = v1();
    mine["properties"]["givenName"]["maxLength"] = json!(70);
    mine["title"] = json!("Staff");
    save(&fx, mine, "longer names, a title");

    click(&mut h, "Push…");
    click(&mut h, "Push now");
    click(&mut h, "Merge…");
    assert!(has(&h, "1 conflict(s)"));
    assert!(
        h.query_by_label("/schema/properties/givenName/maxLength")
            .is_some()
    );
    click(&mut h, "theirs: 60");
    click(&mut h, "Save merged and push");
    let on_server = srv.schema(&remote_id).expect("on the server");
    assert_eq!(
        on_server.schema["properties"]["givenName"]["maxLength"],
        json!(60),
        "{:?}",
        h.state().state.sync.message
    );
    assert_eq!(on_server.schema["title"], json!("Staff"));
    let latest = fx.store().latest_revision(id).expect("latest");
    assert_eq!(latest.draft.schema, on_server.schema);
}

/// A dirty editor, another writer's revision 2, then the user picks another schema and
/// answers Save: the save meets the newer revision.
fn switch_with_a_save_over_a_newer_revision(
    fx: &Fixture,
) -> (SchemaId, Harness<'static, SchemaDeskApp>) {
    let id = save(fx, v1(), "first");
    let other = UserSchemaDraft::new("contractor", v1(), [AuthenticatorType::Password]);
    let other = fx
        .store()
        .save_by_type(&other, "other")
        .expect("save")
        .revision()
        .schema_id;
    let mut h = app(fx, id);
    click(&mut h, TOTP);
    save(fx, with_from_cli(), "from the CLI");
    wait_for(&mut h, "the dirty editor hears of revision 2", |h| {
        h.state().state.history.len() == 2
    });
    click(&mut h, "contractor");
    assert!(has(&h, "Unsaved changes"), "the switch asks first");
    click(&mut h, "Save");
    assert!(has(&h, "Saved elsewhere meanwhile"), "the save stops");
    (other, h)
}

#[test]
fn a_switch_whose_save_met_a_conflict_goes_on_after_it_is_resolved() {
    let fx = Fixture::new();
    let (other, mut h) = switch_with_a_save_over_a_newer_revision(&fx);
    click(&mut h, "Save mine anyway");
    wait_for(&mut h, "the switch goes on after the save", |h| {
        h.state()
            .state
            .editor
            .as_ref()
            .is_some_and(|e| e.id == other)
    });
    assert_eq!(
        fx.store()
            .history(fx.store().find_by_type("employee").unwrap().unwrap().id)
            .unwrap()
            .len(),
        3,
        "mine was saved first"
    );
}

#[test]
fn a_switch_whose_save_met_a_conflict_says_so_when_cancelled() {
    let fx = Fixture::new();
    let (other, mut h) = switch_with_a_save_over_a_newer_revision(&fx);
    click(&mut h, "Cancel");
    let editor = h.state().state.editor.as_ref().expect("open");
    assert_ne!(editor.id, other, "nothing switches without a save");
    assert!(editor.dirty, "the draft is kept");
    assert!(
        status(&h).contains("not opened") && status(&h).contains("contractor"),
        "{}",
        status(&h)
    );
}
