//! Server sync in the desktop app, driven by egui_kittest over a temporary store and the test
//! server in tests/fake_zitadel: add a server, push, see the push recorded, a conflict and
//! keep-mine, the server's list with import and deactivate, and the history view's
//! compatibility report.

use std::time::{Duration, Instant};

use crate::fake_zitadel::{Fault, TestServer};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use schemadesk::app::WindowState;
use schemadesk::app::remote::BadgeKind;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::SchemaId;
use serde_json::{Value, json};

use crate::harness::{Fixture, click, for_test_server, has, push_new, set_text};

fn save(fx: &Fixture, type_name: &str, schema: Value, message: &str) -> SchemaId {
    let draft = UserSchemaDraft::new(
        type_name,
        schema,
        [AuthenticatorType::Username, AuthenticatorType::Password],
    );
    fx.store()
        .save_by_type(&draft, message)
        .expect("save")
        .revision()
        .schema_id
}

/// The app with `open` as the open schema, set up for the test server.
fn app(fx: &Fixture, open: Option<SchemaId>) -> Harness<'static, SchemaDeskApp> {
    let settings = WindowState {
        last_schema: open.map(|id| id.0),
        ..WindowState::default()
    };
    fx.app_with(egui::vec2(1400.0, 900.0), settings, for_test_server)
}

fn badges(harness: &Harness<'_, SchemaDeskApp>, id: SchemaId) -> Vec<BadgeKind> {
    harness
        .state()
        .state
        .sync
        .badges
        .get(&id)
        .map(|b| b.iter().map(|b| b.kind).collect())
        .unwrap_or_default()
}

fn v1() -> Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "properties": {
            "givenName": { "type": "string" },
            "department": { "type": "string" }
        }
    })
}

/// Adds the test server through the Servers window (name, URL checked as typed, probe).
fn add_server(h: &mut Harness<'_, SchemaDeskApp>, url: &str) {
    click(h, "Servers…");
    set_text(h, "Server name", "test");
    set_text(h, "Server URL", "http://example.com");
    assert!(
        has(h, "only allowed for this computer"),
        "plain http to another host is refused as you type"
    );
    set_text(h, "Server URL", url);
    assert!(has(h, "URL looks fine"));
    click(h, "Add server");
    assert!(
        has(h, "test answers generation 2"),
        "the new server was probed"
    );
}

#[test]
fn add_server_push_conflict_keep_mine() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let id = save(&fx, "employee", v1(), "first");
    let mut h = app(&fx, Some(id));
    assert!(h.state().state.editor.is_some(), "the schema is open");

    add_server(&mut h, &srv.url);
    let servers = fx.store().list_servers().expect("servers");
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0].name, "test");
    assert_eq!(
        servers[0].generation,
        Some(2),
        "the probe found generation 2"
    );
    assert!(
        has(&h, "generation 2 (/resources"),
        "the generation is shown"
    );
    assert!(has(&h, "given to the app"), "the token source is shown");

    // First push: nothing to compare with; it creates the schema.
    click(&mut h, "Push…");
    assert!(
        has(&h, "this push creates it there"),
        "{:?}",
        h.state().state.sync.push
    );
    click(&mut h, "Push now");
    assert!(has(&h, "Created on the server"), "the result is shown");
    let store = fx.store();
    let bindings = store.bindings_of_schema(id).expect("bindings");
    assert_eq!(bindings.len(), 1);
    let remote_id = bindings[0].1.remote_id.clone();
    assert!(
        h.query_by_label(&remote_id).is_some(),
        "the remote id is shown"
    );
    let rev1 = store.latest_revision(id).expect("revision");
    let pushes = store.pushes_of_revision(rev1.id).expect("pushes");
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].record.remote_id, remote_id);
    assert_eq!(srv.schema(&remote_id).expect("on the server").schema, v1());
    click(&mut h, "Close push");
    assert!(
        has(&h, "pushed to test (server r1)"),
        "the history row says where"
    );
    assert_eq!(
        badges(&h, id),
        [BadgeKind::Active],
        "the list shows a state badge"
    );

    // The server's copy diverges, and a new local revision makes a field required.
    let mut theirs = v1();
    theirs["properties"]["nickname"] = json!({ "type": "string" });
    srv.edit_remote(&remote_id, theirs.clone());
    let mut mine = v1();
    mine["required"] = json!(["givenName"]);
    save(&fx, "employee", mine.clone(), "givenName required");

    // The push dialog compares with the server's copy: the new required field breaks.
    click(&mut h, "Push…");
    assert!(has(&h, "Compatibility: breaking"), "the report is shown");
    assert!(has(&h, "Compared with the copy on test"));
    click(&mut h, "Push now");
    assert!(
        h.query_by_label("Keep mine (overwrite server)").is_some(),
        "the conflict dialog opens"
    );
    assert!(
        h.query_by_label("Take theirs (new local revision)")
            .is_some()
    );
    assert_eq!(
        srv.schema(&remote_id).expect("on the server").schema,
        theirs,
        "nothing was sent"
    );

    click(&mut h, "Keep mine (overwrite server)");
    assert!(h.query_by_label("Keep mine (overwrite server)").is_none());
    let on_server = srv.schema(&remote_id).expect("on the server");
    assert_eq!(on_server.schema, mine, "the server holds mine");
    assert!(has(&h, "Updated on the server"));
    let store = fx.store();
    let rev2 = store.latest_revision(id).expect("revision");
    assert_eq!(rev2.number, 2);
    let pushes = store.pushes_of_revision(rev2.id).expect("pushes");
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].record.remote_revision, Some(on_server.revision));
    let (_, binding) = &store.bindings_of_schema(id).expect("bindings")[0];
    assert_eq!(binding.remote_revision, Some(on_server.revision));
    assert_eq!(
        srv.refused(),
        Vec::<String>::new(),
        "the gateway refused a request"
    );
}

#[test]
fn conflict_take_theirs_makes_a_new_local_revision() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let id = save(&fx, "customer", v1(), "first");
    fx.store()
        .add_server("test", &srv.url, Some(1))
        .expect("server");
    let mut h = app(&fx, Some(id));

    let remote_id = push_new(&mut h, &fx, id);
    let mut theirs = v1();
    theirs["properties"]["nickname"] = json!({ "type": "string" });
    srv.edit_remote(&remote_id, theirs.clone());

    click(&mut h, "Push…");
    click(&mut h, "Push now");
    click(&mut h, "Take theirs (new local revision)");
    let rev = fx.store().latest_revision(id).expect("revision");
    assert_eq!(
        rev.number, 2,
        "the server's copy became a new local revision"
    );
    assert_eq!(rev.draft.schema, theirs);
    assert_eq!(
        srv.schema(&remote_id).expect("on the server").schema,
        theirs
    );
    assert_eq!(
        h.state().state.editor.as_ref().map(|e| e.saved_revision),
        Some(2),
        "the editor shows it"
    );
    assert_eq!(
        srv.refused(),
        Vec::<String>::new(),
        "the gateway refused a request"
    );
}

#[test]
fn server_schemas_import_and_deactivate_with_confirmation() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let remote_id = srv.seed("partner", v1(), &["AUTHENTICATOR_TYPE_USERNAME"]);
    fx.store()
        .add_server("test", &srv.url, Some(2))
        .expect("server");
    let mut h = app(&fx, None);

    click(&mut h, "Pull…");
    assert!(has(&h, "server only"), "the row's status is shown");
    click(&mut h, "Import partner");
    let store = fx.store();
    let local = store
        .find_by_type("partner")
        .expect("query")
        .expect("imported");
    let bindings = store.bindings_of_schema(local.id).expect("bindings");
    assert_eq!(bindings[0].1.remote_id, remote_id);
    assert!(has(&h, "in sync"));

    click(&mut h, "Deactivate partner");
    assert!(has(&h, "No new users can be created"), "it asks first");
    click(&mut h, "Cancel state change");
    assert_eq!(srv.schema(&remote_id).expect("on the server").state, 1);

    click(&mut h, "Deactivate partner");
    click(&mut h, "Confirm state change");
    assert_ne!(
        srv.schema(&remote_id).expect("on the server").state,
        1,
        "deactivated on the server"
    );
    assert!(has(&h, "is now INACTIVE on the server"));
    assert!(h.query_by_label("Reactivate partner").is_some());
    assert_eq!(
        badges(&h, local.id),
        [BadgeKind::Inactive],
        "the list badge follows"
    );
    assert_eq!(
        srv.refused(),
        Vec::<String>::new(),
        "the gateway refused a request"
    );
}

#[test]
fn history_shows_the_compat_report_for_a_breaking_change() {
    let fx = Fixture::new();
    let id = save(&fx, "employee", v1(), "first");
    let mut strict = v1();
    strict["required"] = json!(["department"]);
    save(&fx, "employee", strict, "department required");
    fx.store()
        .save_sample(id, "alice", r#"{"givenName": "Alice"}"#)
        .expect("sample");
    let mut h = app(&fx, Some(id));

    click(&mut h, "Show diff");
    assert!(h.state().state.diff.is_some());
    assert!(has(&h, "Compatibility: breaking"), "the verdict is shown");
    assert!(has(&h, "1 breaking"));
    assert!(
        h.query_by_label("/required").is_some() || has(&h, "/properties/department"),
        "the change's pointer is shown"
    );
    assert!(
        has(&h, "alice newly fails"),
        "the saved sample is checked against the new revision"
    );
}

#[test]
fn remove_server_asks_and_a_token_is_never_stored() {
    let fx = Fixture::new();
    fx.store()
        .add_server("prod", "https://prod.example.com", Some(2))
        .expect("server");
    let mut h = app(&fx, None);
    click(&mut h, "Servers…");
    assert!(has(&h, "https://prod.example.com"));

    // The token goes to the keyring (which may be missing here), never into the store.
    let secret = "zz-secret-token-0123456789";
    click(&mut h, "Set token of prod");
    set_text(&mut h, "New token", secret);
    click(&mut h, "Save token");
    assert!(
        h.query_by_label_contains(secret).is_none(),
        "the token is not shown"
    );
    assert!(
        h.state().state.sync.token_input.0.is_empty(),
        "the field is wiped"
    );
    assert!(!format!("{:?}", h.state().state.sync).contains(secret));
    let bytes = std::fs::read(&fx.db).expect("db file");
    let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
    assert!(!found, "the token is not in the store file");

    click(&mut h, "Remove server prod");
    assert!(has(&h, "Nothing changes on the server"), "it asks first");
    click(&mut h, "Cancel remove");
    assert_eq!(fx.store().list_servers().expect("servers").len(), 1);
    click(&mut h, "Remove server prod");
    click(&mut h, "Confirm remove server");
    assert!(fx.store().list_servers().expect("servers").is_empty());
}

/// The remove dialog promises the token leaves the keyring too: when it cannot (no keyring
/// here, or it refuses), the server is still removed and the message says the token was not.
#[test]
fn removing_a_server_says_when_its_token_stays_in_the_keyring() {
    let fx = Fixture::new();
    fx.store()
        .add_server("gone", "https://gone.example.com", Some(2))
        .expect("server");
    // What the keyring does with this server's entry here (nothing is stored under it).
    let keyring_refuses = schemadesk::sync::Token::forget("gone").is_err();
    let mut h = app(&fx, None);
    click(&mut h, "Servers…");
    click(&mut h, "Remove server gone");
    click(&mut h, "Confirm remove server");
    assert!(fx.store().list_servers().expect("servers").is_empty());
    let message = h.state().state.sync.message.clone().expect("a message");
    if keyring_refuses {
        assert!(
            message.is_failure()
                && message.text.contains("Removed server \"gone\"")
                && message
                    .text
                    .contains("token could not be removed from the keyring"),
            "{message:?}"
        );
    } else {
        assert!(!message.is_failure(), "{message:?}");
        assert_eq!(message.text, "Removed server \"gone\"");
    }
}

#[test]
fn a_slow_push_shows_progress_and_can_be_cancelled() {
    let fx = Fixture::new();
    let srv = TestServer::start();
    let id = save(&fx, "employee", v1(), "first");
    fx.store()
        .add_server("test", &srv.url, Some(2))
        .expect("server");
    let mut h = app(&fx, Some(id));
    click(&mut h, "Push…");
    assert!(has(&h, "this push creates it there"));

    srv.push_fault(Fault::Delay(Duration::from_secs(4)));
    h.get_by_label("Push now").click();
    h.run_steps(3);
    assert!(
        h.query_by_label("Cancel server job").is_some(),
        "a running push can be cancelled"
    );
    assert!(has(&h, "Pushing \"employee\" to test"));
    let started = Instant::now();
    click(&mut h, "Cancel server job");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the cancel did not wait for the server"
    );
    assert!(has(&h, "Cancelled"));
    assert!(
        fx.store()
            .bindings_of_schema(id)
            .expect("bindings")
            .is_empty(),
        "nothing was recorded"
    );
    assert!(fx.store().queued_pushes(None).expect("queue").is_empty());
}

#[test]
fn a_push_without_network_is_queued_and_badged() {
    let fx = Fixture::new();
    let id = save(&fx, "employee", v1(), "first");
    // Nothing listens on port 1.
    fx.store()
        .add_server("down", "http://127.0.0.1:1", Some(2))
        .expect("server");
    let mut h = app(&fx, Some(id));
    click(&mut h, "Push…");
    click(&mut h, "Push now");
    assert!(has(&h, "The push was queued"), "the queue is explained");
    assert_eq!(fx.store().queued_pushes(None).expect("queue").len(), 1);
    assert_eq!(badges(&h, id), [BadgeKind::Queued]);
    assert_eq!(
        fx.store().latest_revision(id).expect("revision").number,
        1,
        "the draft is untouched"
    );
}
