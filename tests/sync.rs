//! Server sync against the test server in tests/fake_zitadel (both API generations), on a real
//! SQLite file in a temp dir. Every failure test checks that nothing local was lost.

mod fake_zitadel;

#[path = "sync/contract.rs"]
mod contract;

#[path = "sync/terminal.rs"]
mod terminal;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use fake_zitadel::{Fault, ORG_OWNER_TOKEN, TOKEN, TestServer};
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::service::{
    self, Job, JobOutput, JobRequest, PushKind, PushOptions, SyncStatus, Worker, WorkerMessage,
};
use schemadesk::store::{Server, Store};
use schemadesk::sync::{
    self, ClientOptions, Generation, RemoteState, StateAction, SyncError, Token, UserSchemaApi,
};
use serde_json::{Value, json};

const GENERATIONS: [Generation; 2] = [Generation::V1, Generation::V2];

fn options(timeout_ms: u64) -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(timeout_ms),
        connect_timeout: Duration::from_millis(timeout_ms),
        page_size: 100,
        ca_file: None,
    }
}

/// A v1 client for `url` with these options (tests of other servers than the Env's).
fn connect_v1(url: &str, opts: &ClientOptions) -> Result<Box<dyn UserSchemaApi>, SyncError> {
    sync::connect(
        &sync::check_url(url).expect("url"),
        Generation::V1,
        Token::new(TOKEN),
        opts,
        None,
    )
}

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
    store: Store,
    srv: TestServer,
    server: Server,
    generation: Generation,
}

impl Env {
    fn new(generation: Generation) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("schemadesk.db");
        let mut store = Store::open(&db).expect("store");
        let srv = TestServer::start();
        let server = store
            .add_server("test", &srv.url, Some(generation.number()))
            .expect("server");
        Env {
            _dir: dir,
            db,
            store,
            srv,
            server,
            generation,
        }
    }

    fn api_with(&self, token: &str, opts: &ClientOptions) -> Box<dyn UserSchemaApi> {
        let url = sync::check_url(&self.srv.url).expect("url");
        sync::connect(&url, self.generation, Token::new(token), opts, None).expect("client")
    }

    fn api(&self) -> Box<dyn UserSchemaApi> {
        self.api_with(TOKEN, &options(5000))
    }

    fn save(&mut self, type_name: &str, schema: Value) -> schemadesk::store::SchemaId {
        let draft = UserSchemaDraft::new(
            type_name,
            schema,
            [AuthenticatorType::Username, AuthenticatorType::Password],
        );
        self.store
            .save_by_type(&draft, "edit")
            .expect("save")
            .revision()
            .schema_id
    }

    fn push(
        &mut self,
        api: &dyn UserSchemaApi,
        schema: schemadesk::store::SchemaId,
        force: bool,
    ) -> Result<service::PushReport, SyncError> {
        let server = self.server.clone();
        self.push_to(api, &server, schema, force)
    }

    /// Pushes to `server` (which may be another than the test server), queueing on network
    /// errors as the app does.
    fn push_to(
        &mut self,
        api: &dyn UserSchemaApi,
        server: &Server,
        schema: schemadesk::store::SchemaId,
        force: bool,
    ) -> Result<service::PushReport, SyncError> {
        service::push(
            &mut self.store,
            api,
            server,
            schema,
            PushOptions {
                force,
                queue_on_network_error: true,
            },
        )
    }

    /// Every schema's revisions as (type, number, hash), read from a fresh connection.
    fn snapshot(&self) -> Vec<(String, u32, String)> {
        let store = Store::open(&self.db).expect("reopen");
        let mut out = Vec::new();
        for s in store
            .list_schemas(schemadesk::store::ListFilter {
                include_archived: true,
                include_deleted: true,
            })
            .expect("list")
        {
            for r in store.history(s.id).expect("history") {
                out.push((s.type_name.clone(), r.number, r.content_hash));
            }
        }
        out
    }
}

fn employee() -> Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "properties": {
            "name": {"type": "string", "urn:zitadel:schema:permission": {"owner": "rw", "self": "r"}},
            "age": {"type": "integer", "minimum": 0}
        },
        "required": ["name"]
    })
}

fn employee_v2() -> Value {
    let mut v = employee();
    v["properties"]["email"] = json!({"type": "string", "format": "email"});
    v
}

#[test]
fn create_then_update_records_details_and_follows_the_revision_rules() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());

        let created = env.push(api.as_ref(), id, false).expect("create");
        assert_eq!(created.kind, PushKind::Created, "{g:?}");
        assert_eq!(created.remote_revision, Some(1));
        assert_eq!(created.generation, g);
        let remote = env.srv.schema(&created.remote_id).expect("on server");
        assert_eq!(remote.schema, employee());
        assert_eq!(env.srv.count("POST", "user_schemas"), 1);

        let rev1 = env.store.latest_revision(id).unwrap();
        let pushes = env.store.pushes_of_revision(rev1.id).unwrap();
        assert_eq!(pushes.len(), 1);
        assert_eq!(pushes[0].record.remote_id, created.remote_id);
        assert_eq!(pushes[0].record.remote_revision, Some(1));
        assert_eq!(
            pushes[0].record.resource_owner.as_deref(),
            Some("instance-1")
        );
        assert!(pushes[0].record.change_date.is_some());
        if g == Generation::V1 {
            // int64 sent as a string, kept as such.
            assert_eq!(pushes[0].record.sequence, Some(remote.sequence.to_string()));
        }
        let b = env.store.binding(id, env.server.id).unwrap().unwrap();
        assert_eq!(b.remote_id, created.remote_id);
        assert_eq!(b.remote_revision, Some(1));
        assert_eq!(b.remote_state.as_deref(), Some("ACTIVE"));

        // A schema change: update (PUT or PATCH) with revision + 1.
        env.save("employee", employee_v2());
        let updated = env.push(api.as_ref(), id, false).expect("update");
        assert_eq!(updated.kind, PushKind::Updated);
        assert_eq!(updated.remote_revision, Some(2));
        let method = if g == Generation::V1 { "PUT" } else { "PATCH" };
        assert_eq!(env.srv.count(method, &created.remote_id), 1);
        assert_eq!(env.srv.schema(&created.remote_id).unwrap().revision, 2);

        // Only authenticators change: no new server revision.
        let mut d = env.store.latest_revision(id).unwrap().draft;
        d.possible_authenticators
            .insert(AuthenticatorType::Webauthn);
        env.store.save_revision(id, &d, "webauthn").unwrap();
        let r = env
            .push(api.as_ref(), id, false)
            .expect("update authenticators");
        assert_eq!(r.remote_revision, Some(2));
        let on_server = env.srv.schema(&created.remote_id).unwrap();
        assert_eq!(on_server.revision, 2);
        assert!(
            on_server
                .authenticators
                .contains(&"AUTHENTICATOR_TYPE_WEBAUTHN".to_string())
        );

        // Pushing again sends nothing.
        let again = env.push(api.as_ref(), id, false).expect("again");
        assert_eq!(again.kind, PushKind::AlreadyThere);
        assert_eq!(env.srv.count(method, &created.remote_id), 2);
        assert_eq!(env.snapshot().len(), 3);
    }
}

#[test]
fn conflict_stops_the_push_and_offers_both_sides() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let remote_id = env.push(api.as_ref(), id, false).unwrap().remote_id;

        // Someone else changes the server's copy; we change ours.
        let mut theirs = employee();
        theirs["properties"]["department"] = json!({"type": "string"});
        env.srv.edit_remote(&remote_id, theirs.clone());
        env.save("employee", employee_v2());
        let before = env.snapshot();
        let puts = env.srv.count("PUT", "") + env.srv.count("PATCH", "");

        let err = env.push(api.as_ref(), id, false).unwrap_err();
        let SyncError::Conflict(c) = err else {
            panic!("{g:?}: expected a conflict, got {err}");
        };
        assert_eq!(c.local.schema, employee_v2());
        assert_eq!(c.remote.schema, theirs);
        assert_eq!(c.remote_revision, Some(2));
        assert_eq!(c.known_remote_revision, Some(1));
        let diff = c.unified_diff();
        assert!(
            diff.contains("department") && diff.contains("email"),
            "{diff}"
        );
        // Never silently overwritten; nothing local lost.
        assert_eq!(env.srv.count("PUT", "") + env.srv.count("PATCH", ""), puts);
        assert_eq!(env.srv.schema(&remote_id).unwrap().schema, theirs);
        assert_eq!(env.snapshot(), before);
        assert!(env.store.queued_pushes(None).unwrap().is_empty());

        // Keep mine.
        let forced = env.push(api.as_ref(), id, true).expect("force");
        assert_eq!(forced.kind, PushKind::Updated);
        assert_eq!(forced.remote_revision, Some(3));
        assert_eq!(env.srv.schema(&remote_id).unwrap().schema, employee_v2());

        // They change it again; this time take theirs.
        env.srv.edit_remote(&remote_id, theirs.clone());
        env.save("employee", employee());
        assert!(matches!(
            env.push(api.as_ref(), id, false),
            Err(SyncError::Conflict(_))
        ));
        let server = env.server.clone();
        let imported =
            service::import_by_id(&mut env.store, api.as_ref(), &server, &remote_id).unwrap();
        assert!(imported.changed);
        assert_eq!(imported.remote_revision, Some(4));
        let latest = env.store.latest_revision(id).unwrap();
        assert_eq!(latest.draft.schema, theirs);
        assert_eq!(latest.number, before.len() as u32 + 2);
        // Now in step: a push sends nothing.
        let r = env.push(api.as_ref(), id, false).unwrap();
        assert_eq!(r.kind, PushKind::AlreadyThere);
    }
}

#[test]
fn key_order_from_the_server_is_no_conflict() {
    // The server sends a Struct with sorted keys; our text had another order.
    let mut env = Env::new(Generation::V1);
    let api = env.api();
    let id = env.save(
        "zeta",
        json!({"type": "object", "properties": {"z": {"type": "string"}, "a": {"type": "number"}}}),
    );
    env.push(api.as_ref(), id, false).unwrap();
    let rows = service::compare(
        &env.store,
        &env.server,
        api.list_all(&mut |_, _| {}).unwrap(),
    )
    .unwrap();
    assert_eq!(rows[0].status, SyncStatus::InSync);
    let mut d = env.store.latest_revision(id).unwrap().draft;
    d.schema["properties"]["m"] = json!({"type": "boolean"});
    env.store.save_revision(id, &d, "m").unwrap();
    assert_eq!(
        env.push(api.as_ref(), id, false).unwrap().kind,
        PushKind::Updated
    );
}

#[test]
fn pagination_follows_every_page_and_import_binds() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        for i in 0..7 {
            env.srv.seed(
                &format!("type-{i}"),
                json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": i}}}),
                &["AUTHENTICATOR_TYPE_USERNAME"],
            );
        }
        env.srv.state().legacy_public_key = true;
        env.srv.seed(
            "machine",
            json!({"type": "object"}),
            &["AUTHENTICATOR_TYPE_AUTHENTICATION_KEY"],
        );
        let local = env.save("local-only", json!({"type": "object"}));
        let api = env.api_with(
            TOKEN,
            &ClientOptions {
                page_size: 3,
                ..options(5000)
            },
        );
        let mut seen = Vec::new();
        let all = api
            .list_all(&mut |fetched, total| seen.push((fetched, total)))
            .unwrap();
        assert_eq!(all.len(), 8, "{g:?}");
        assert_eq!(seen, [(3, Some(8)), (6, Some(8)), (8, Some(8))]);
        let searches = env.srv.count("POST", "search");
        assert_eq!(searches, 3);
        if g == Generation::V2 {
            let queries: Vec<String> = env
                .srv
                .state()
                .requests
                .iter()
                .map(|r| r.query.clone())
                .collect();
            assert!(
                queries.iter().any(|q| q.contains("query.offset=6")),
                "{queries:?}"
            );
        }
        let machine = all
            .iter()
            .find(|r| r.type_name == "machine")
            .unwrap()
            .clone();
        assert!(
            machine
                .authenticators
                .contains(&AuthenticatorType::AuthenticationKey),
            "PUBLIC_KEY is read as AUTHENTICATION_KEY"
        );
        assert_eq!(machine.state, RemoteState::Active);
        assert_eq!(machine.revision, Some(1));

        let rows = service::compare(&env.store, &env.server, all.clone()).unwrap();
        assert_eq!(
            rows.iter()
                .filter(|r| r.status == SyncStatus::RemoteOnly)
                .count(),
            8
        );
        assert!(
            rows.iter()
                .any(|r| r.status == SyncStatus::LocalOnly && r.local.as_ref().unwrap().id == local)
        );

        let server = env.server.clone();
        for r in &all {
            let rep = service::import(&mut env.store, &server, r).unwrap();
            assert!(rep.changed);
            let b = env
                .store
                .binding_by_remote_id(server.id, &r.id)
                .unwrap()
                .unwrap();
            assert_eq!(b.remote_revision, Some(1));
        }
        assert_eq!(env.snapshot().len(), 9);
        let rows = service::compare(&env.store, &env.server, all).unwrap();
        assert_eq!(
            rows.iter()
                .filter(|r| r.status == SyncStatus::InSync)
                .count(),
            8
        );
        // Fetch one by id.
        let one = api.get(&machine.id).unwrap();
        assert_eq!(one.type_name, "machine");
    }
}

#[test]
fn an_empty_server_lists_nothing() {
    for g in GENERATIONS {
        let env = Env::new(g);
        let all = env.api().list_all(&mut |_, _| {}).unwrap();
        assert!(all.is_empty());
    }
}

/// Error rows of the contract produced by the server's own rules.
#[test]
fn server_error_rows_map_to_clear_errors() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let before_all = env.snapshot();

        // invalid schema, code 3 COMMA-W21tg, with the server's message
        let bad = UserSchemaDraft::new(
            "bad",
            json!({"type": "object", "properties": {"a": {"type": "string", "required": true}}}),
            [],
        );
        let e = api.create(&bad).unwrap_err();
        assert!(matches!(e, SyncError::InvalidOnServer(_)), "{g:?} {e}");
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-W21tg"));
        assert!(e.to_string().contains("Schema.Invalid"), "{e}");
        // and the local check refuses it first
        assert!(matches!(
            sync::check_draft(&bad),
            Err(SyncError::Invalid(_))
        ));

        // type missing, code 3 COMMA-DGFj3
        let e = api
            .create(&UserSchemaDraft::new("", json!({}), []))
            .unwrap_err();
        assert!(matches!(e, SyncError::InvalidOnServer(_)), "{e}");
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-DGFj3"));

        // duplicate type, code 6 V3-DKcYh
        env.srv.seed("taken", json!({"type": "object"}), &[]);
        let e = api
            .create(&UserSchemaDraft::new("taken", json!({}), []))
            .unwrap_err();
        assert!(matches!(e, SyncError::AlreadyExists(_)), "{e}");
        assert_eq!(e.status().unwrap().http, 409);
        // through a push: the other content is not bound, nothing local changes
        let id = env.save("taken", json!({"type": "object", "title": "mine"}));
        let before = env.snapshot();
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::AlreadyExists(_)), "{e}");
        assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);
        assert_eq!(env.snapshot(), before);

        // get: not found, code 5 QUERY-SAF3t
        let e = api.get("280000000000009999").unwrap_err();
        assert!(matches!(e, SyncError::NotFound(_)), "{e}");
        assert_eq!(e.status().unwrap().id.as_deref(), Some("QUERY-SAF3t"));

        // update / deactivate on missing or inactive: 9 COMMA-HB3e1 / COMMA-E4t4z
        let e = api
            .update(
                "280000000000009999",
                &UserSchemaDraft::new("x", json!({}), []),
            )
            .unwrap_err();
        assert!(matches!(e, SyncError::FailedPrecondition(_)), "{e}");
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-HB3e1"));
        let e = api
            .change_state("280000000000009999", StateAction::Deactivate)
            .unwrap_err();
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-E4t4z"));
        // reactivate on not inactive: 9 COMMA-DGzh5
        let active = env.srv.seed("active", json!({}), &[]);
        let e = api
            .change_state(&active, StateAction::Reactivate)
            .unwrap_err();
        assert!(matches!(e, SyncError::FailedPrecondition(_)), "{e}");
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-DGzh5"));
        // delete on missing: 9 COMMA-Grg41
        let e = api
            .change_state("280000000000009999", StateAction::Delete)
            .unwrap_err();
        assert_eq!(e.status().unwrap().id.as_deref(), Some("COMMA-Grg41"));

        // update of an inactive schema through a push
        let emp = env.save("employee", employee());
        env.push(api.as_ref(), emp, false).unwrap();
        let server = env.server.clone();
        service::change_state(
            &mut env.store,
            api.as_ref(),
            &server,
            emp,
            StateAction::Deactivate,
        )
        .unwrap();
        env.save("employee", employee_v2());
        let before = env.snapshot();
        let e = env.push(api.as_ref(), emp, false).unwrap_err();
        assert!(matches!(e, SyncError::FailedPrecondition(_)), "{e}");
        assert!(e.to_string().contains("active"), "{e}");
        assert_eq!(env.snapshot(), before);

        // feature off: 9 SCHEMA-SFjk3
        env.srv.state().feature_enabled = false;
        let e = env.push(api.as_ref(), emp, false).unwrap_err();
        assert!(matches!(e, SyncError::FeatureDisabled(_)), "{e}");
        assert!(e.to_string().contains("UserSchema feature"), "{e}");
        assert_eq!(env.snapshot(), before);
        env.srv.state().feature_enabled = true;

        // no permission: 7 AUTH-5mWD2
        let org = env.api_with(ORG_OWNER_TOKEN, &options(5000));
        let e = env.push(org.as_ref(), emp, false).unwrap_err();
        assert!(matches!(e, SyncError::PermissionDenied(_)), "{e}");
        assert!(e.to_string().contains("IAM_OWNER"), "{e}");

        // bad token: 16 / HTTP 401; the server echoes the token, the error never does
        let wrong = "wrong-token-0123456789abcdef";
        let bad_api = env.api_with(wrong, &options(5000));
        let e = env.push(bad_api.as_ref(), emp, false).unwrap_err();
        assert!(matches!(e, SyncError::Unauthenticated(_)), "{e}");
        let text = format!("{e} {e:?}");
        assert!(!text.contains(wrong), "the token leaked: {text}");
        assert!(e.to_string().contains("token"), "{e}");

        assert_eq!(env.snapshot(), before);
        assert!(env.store.queued_pushes(None).unwrap().is_empty());
        assert!(before.len() > before_all.len());
    }
}

/// Every error row of the contract's table, as the server would send it, mapped by code and id.
#[test]
fn every_error_row_of_the_contract_maps() {
    type Row = (u16, i32, Option<&'static str>, fn(&SyncError) -> bool);
    let rows: [Row; 12] = [
        (400, 3, Some("COMMA-W21tg"), |e| {
            matches!(e, SyncError::InvalidOnServer(_))
        }),
        (400, 3, Some("COMMA-DGFj3"), |e| {
            matches!(e, SyncError::InvalidOnServer(_))
        }),
        (400, 3, Some("COMMA-Gh652"), |e| {
            matches!(e, SyncError::InvalidOnServer(_))
        }),
        (400, 3, None, |e| matches!(e, SyncError::InvalidOnServer(_))),
        (409, 6, Some("V3-DKcYh"), |e| {
            matches!(e, SyncError::AlreadyExists(_))
        }),
        (404, 5, Some("QUERY-SAF3t"), |e| {
            matches!(e, SyncError::NotFound(_))
        }),
        (400, 9, Some("COMMA-HB3e1"), |e| {
            matches!(e, SyncError::FailedPrecondition(_))
        }),
        (400, 9, Some("COMMA-E4t4z"), |e| {
            matches!(e, SyncError::FailedPrecondition(_))
        }),
        (400, 9, Some("COMMA-DGzh5"), |e| {
            matches!(e, SyncError::FailedPrecondition(_))
        }),
        (400, 9, Some("COMMA-Grg41"), |e| {
            matches!(e, SyncError::FailedPrecondition(_))
        }),
        (400, 9, Some("SCHEMA-SFjk3"), |e| {
            matches!(e, SyncError::FeatureDisabled(_))
        }),
        (403, 7, Some("AUTH-5mWD2"), |e| {
            matches!(e, SyncError::PermissionDenied(_))
        }),
    ];
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        for (http, code, err_id, check) in rows {
            let details = match err_id {
                Some(i) => {
                    json!([{"@type": "type.googleapis.com/zitadel.v1.ErrorDetail", "id": i, "message": "text"}])
                }
                None => json!([]),
            };
            let body = json!({"code": code, "message": format!("text ({})", err_id.unwrap_or("-")), "details": details});
            env.srv.push_fault(Fault::Reply(http, body.to_string()));
            let before = env.snapshot();
            let e = env.push(api.as_ref(), id, false).unwrap_err();
            assert!(check(&e), "{g:?} {http}/{code}/{err_id:?}: {e}");
            assert_eq!(e.status().unwrap().code, Some(code));
            assert_eq!(e.status().unwrap().id.as_deref(), err_id);
            assert_eq!(env.snapshot(), before);
            assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);
        }
        // 16 with HTTP 401 and no details
        env.srv.push_fault(Fault::Reply(
            401,
            json!({"code": 16, "message": "Errors.Token.Invalid", "details": []}).to_string(),
        ));
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::Unauthenticated(_)), "{e}");
        assert!(env.store.queued_pushes(None).unwrap().is_empty());
    }
}

#[test]
fn timeouts_queue_the_push_and_a_retry_sends_it() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let id = env.save("employee", employee());
        let before = env.snapshot();
        let slow = env.api_with(TOKEN, &options(700));
        env.srv
            .push_fault(Fault::Delay(Duration::from_millis(2500)));
        // The server waits 2.5 s; the 0.7 s timeout ends the call first (a Timeout error,
        // not an answer).
        let e = env.push(slow.as_ref(), id, false).unwrap_err();
        let SyncError::Queued { source } = &e else {
            panic!("{g:?}: expected a queued timeout, got {e}");
        };
        assert!(matches!(**source, SyncError::Timeout(_)), "{source}");
        assert!(e.to_string().contains("--retry-queued"), "{e}");
        assert_eq!(env.snapshot(), before);
        let queued = env.store.queued_pushes(None).unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].attempts, 1);
        assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);

        let server = env.server.clone();
        let report = service::retry_queued(&mut env.store, slow.as_ref(), &server, false).unwrap();
        assert_eq!(report.pushed.len(), 1, "{:?}", report.failed);
        assert!(env.store.queued_pushes(None).unwrap().is_empty());
        assert!(env.store.binding(id, env.server.id).unwrap().is_some());
        // The delayed first request may or may not have been applied; either way there is one copy.
        assert_eq!(
            env.srv
                .state()
                .schemas
                .values()
                .filter(|s| s.type_name == "employee")
                .count(),
            1
        );
    }
}

#[test]
fn server_errors_and_non_json_bodies_keep_everything() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let before = env.snapshot();

        env.srv.push_fault(Fault::Reply(
            500,
            json!({"code": 13, "message": "Errors.Internal"}).to_string(),
        ));
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::ServerError(_)), "{e}");
        assert!(e.to_string().contains("500"), "{e}");

        env.srv
            .push_fault(Fault::Reply(502, "<html>Bad Gateway</html>".into()));
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::ServerError(_)), "{e}");
        assert!(e.to_string().contains("non-JSON"), "{e}");

        env.srv.push_fault(Fault::NonJson);
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::BadResponse { .. }), "{e}");
        assert!(e.to_string().contains("not JSON"), "{e}");

        assert_eq!(env.snapshot(), before);
        assert!(env.store.queued_pushes(None).unwrap().is_empty());
        assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);
        assert!(env.srv.state().schemas.is_empty());
    }
}

#[test]
fn cut_connections_queue_the_push_and_a_lost_create_is_recognised() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let before = env.snapshot();

        env.srv.push_fault(Fault::CloseMidResponse);
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        let SyncError::Queued { source } = &e else {
            panic!("{g:?}: expected queued, got {e}");
        };
        assert!(matches!(**source, SyncError::ConnectionLost(_)), "{source}");
        assert_eq!(env.snapshot(), before);

        // The create goes through, but its answer is lost.
        env.srv.push_fault(Fault::ApplyThenClose);
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(
            e.is_network() || matches!(e, SyncError::Queued { .. }),
            "{e}"
        );
        assert_eq!(env.srv.state().schemas.len(), 1);
        assert_eq!(env.store.queued_pushes(None).unwrap().len(), 1);

        // The retry meets "already exists", finds the same content and binds it.
        let server = env.server.clone();
        let report = service::retry_queued(&mut env.store, api.as_ref(), &server, false).unwrap();
        assert_eq!(report.pushed.len(), 1, "{:?}", report.failed);
        assert_eq!(report.pushed[0].kind, PushKind::AlreadyThere);
        assert_eq!(env.srv.state().schemas.len(), 1);
        assert!(env.store.queued_pushes(None).unwrap().is_empty());
        assert_eq!(env.snapshot(), before);
    }
}

#[test]
fn connection_refused_is_queued() {
    let mut env = Env::new(Generation::V1);
    let id = env.save("employee", employee());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let server = env.store.add_server("down", &url, Some(1)).unwrap();
    let api = connect_v1(&url, &options(2000)).unwrap();
    let before = env.snapshot();
    let e = env.push_to(api.as_ref(), &server, id, false).unwrap_err();
    let SyncError::Queued { source } = &e else {
        panic!("expected queued, got {e}");
    };
    assert!(matches!(**source, SyncError::Connect(_)), "{source}");
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.store.queued_pushes(Some(server.id)).unwrap().len(), 1);
}

#[test]
fn only_loopback_may_use_plain_http() {
    assert!(matches!(
        sync::check_url("http://zitadel.example.com"),
        Err(SyncError::InsecureUrl { .. })
    ));
    assert!(sync::check_url("https://zitadel.example.com").is_ok());
    assert!(sync::check_url("http://127.0.0.1:8080").is_ok());
    assert!(sync::check_url("http://localhost:8080").is_ok());
    assert!(sync::check_url("http://[::1]:8080").is_ok());
}

#[test]
fn probe_finds_the_generation() {
    for (v1, v2, expect) in [
        (true, false, Generation::V1),
        (false, true, Generation::V2),
        (true, true, Generation::V2),
    ] {
        let srv = TestServer::with_generations(v1, v2);
        let url = sync::check_url(&srv.url).unwrap();
        // Even a refused token proves the path exists.
        let report = sync::probe(&url, Token::new("whatever"), &options(3000), None).unwrap();
        assert_eq!((report.v1, report.v2), (v1, v2));
        assert_eq!(report.chosen(), Some(expect));

        // open_api probes an unknown generation and records it.
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let server = store.add_server("p", &srv.url, None).unwrap();
        let api = service::open_api(&mut store, &server, Token::new(TOKEN), &options(3000), None)
            .unwrap();
        assert_eq!(api.generation(), expect);
        assert_eq!(
            store.server_by_name("p").unwrap().generation,
            Some(expect.number())
        );
    }
    let srv = TestServer::with_generations(false, false);
    let url = sync::check_url(&srv.url).unwrap();
    assert!(matches!(
        sync::probe(&url, Token::new(TOKEN), &options(3000), None),
        Err(SyncError::NoGeneration { .. })
    ));
}

#[test]
fn state_changes_are_recorded_and_a_deleted_schema_is_created_again() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let first = env.push(api.as_ref(), id, false).unwrap().remote_id;
        let server = env.server.clone();
        let state = |env: &Env| {
            env.store
                .binding(id, env.server.id)
                .unwrap()
                .unwrap()
                .remote_state
                .unwrap()
        };
        service::change_state(
            &mut env.store,
            api.as_ref(),
            &server,
            id,
            StateAction::Deactivate,
        )
        .unwrap();
        assert_eq!(state(&env), "INACTIVE");
        assert_eq!(env.srv.schema(&first).unwrap().state, 2);
        let e = service::change_state(
            &mut env.store,
            api.as_ref(),
            &server,
            id,
            StateAction::Deactivate,
        )
        .unwrap_err();
        assert!(matches!(e, SyncError::FailedPrecondition(_)), "{e}");
        assert_eq!(state(&env), "INACTIVE");
        service::change_state(
            &mut env.store,
            api.as_ref(),
            &server,
            id,
            StateAction::Reactivate,
        )
        .unwrap();
        assert_eq!(state(&env), "ACTIVE");
        service::change_state(
            &mut env.store,
            api.as_ref(),
            &server,
            id,
            StateAction::Delete,
        )
        .unwrap();
        assert_eq!(state(&env), "DELETED");
        assert!(env.srv.schema(&first).is_none());
        let before = env.snapshot();
        let again = env.push(api.as_ref(), id, false).unwrap();
        assert_eq!(again.kind, PushKind::Created);
        assert_ne!(again.remote_id, first);
        assert_eq!(state(&env), "ACTIVE");
        assert_eq!(env.snapshot(), before);

        // Deleted behind our back: the push stops unless forced.
        env.srv.state().schemas.clear();
        env.save("employee", employee_v2());
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::RemoteGone { .. }), "{e}");
        let r = env.push(api.as_ref(), id, true).unwrap();
        assert_eq!(r.kind, PushKind::Created);
    }
}

#[test]
fn invalid_drafts_are_never_sent() {
    let mut env = Env::new(Generation::V2);
    let api = env.api();
    let draft = UserSchemaDraft::new(
        "bad",
        json!({"type": "object", "properties": {"a": {"urn:zitadel:schema:permission": "read"}}}),
        [],
    );
    let rev = env.store.create_schema(&draft, "").unwrap();
    let e = env.push(api.as_ref(), rev.schema_id, false).unwrap_err();
    assert!(matches!(e, SyncError::Invalid(_)), "{e}");
    assert!(env.srv.state().requests.is_empty());
}

#[test]
fn worker_reports_progress_and_results() {
    let mut env = Env::new(Generation::V2);
    let id = env.save("employee", employee());
    for i in 0..5 {
        env.srv.seed(&format!("t{i}"), json!({}), &[]);
    }
    let request = |job| JobRequest {
        db: env.db.clone(),
        server: "test".into(),
        job,
        token: Some(Token::new(TOKEN)),
        options: ClientOptions {
            page_size: 2,
            ..options(5000)
        },
    };
    let worker = Worker::spawn(request(Job::Push {
        schema: id,
        force: false,
    }));
    let mut progress = Vec::new();
    let out = worker.wait(|p| progress.push(p.to_string())).unwrap();
    assert!(
        matches!(out, JobOutput::Pushed(ref r) if r.kind == PushKind::Created),
        "{out:?}"
    );
    assert!(!progress.is_empty());

    let worker = Worker::spawn(request(Job::List));
    let mut progress = Vec::new();
    let JobOutput::Listed(rows) = worker.wait(|p| progress.push(p.to_string())).unwrap() else {
        panic!("expected a list");
    };
    assert_eq!(rows.len(), 6);
    assert!(progress.iter().any(|p| p.contains("of 6")), "{progress:?}");
    drop(env.store);
}

#[test]
fn worker_cancel_takes_effect_at_once_and_keeps_everything() {
    let mut env = Env::new(Generation::V1);
    let id = env.save("employee", employee());
    let before = env.snapshot();
    env.srv.push_fault(Fault::Delay(Duration::from_secs(60)));
    let worker = Worker::spawn(JobRequest {
        db: env.db.clone(),
        server: "test".into(),
        job: Job::Push {
            schema: id,
            force: false,
        },
        token: Some(Token::new(TOKEN)),
        options: options(30_000),
    });
    // Cancel once the push is on the wire (the server holds it for a minute).
    let in_flight = || env.srv.state().requests.iter().any(|r| r.method == "POST");
    while !in_flight() {
        assert!(
            !worker.is_finished(),
            "the worker ended before sending the push"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    worker.cancel();
    // Only a guard against hanging: the server answers in a minute, the cancel comes first.
    let result = loop {
        match worker.recv_timeout(Duration::from_secs(50)) {
            Some(WorkerMessage::Progress(_)) => continue,
            Some(WorkerMessage::Done(r)) => break r,
            None => panic!("no result after cancel"),
        }
    };
    // The server has not answered the push yet: the cancel ended the call, not the answer.
    let answered = env
        .srv
        .state()
        .requests
        .iter()
        .any(|r| r.method == "POST" && r.status != 0);
    assert!(
        !answered,
        "the push was answered before the cancel took effect"
    );
    assert!(matches!(result, Err(SyncError::Cancelled)), "{result:?}");
    assert_eq!(env.snapshot(), before);
    assert!(env.store.queued_pushes(None).unwrap().is_empty());
    assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);
}

/// The GUI's background tasks call the job as a plain blocking function (no worker thread):
/// it reports its steps to the callback, and with its cancel flag already set it sends
/// nothing, writes nothing and ends as cancelled.
#[test]
fn a_job_runs_as_a_blocking_call_and_honours_its_cancel_flag() {
    let mut env = Env::new(Generation::V2);
    let id = env.save("employee", employee());
    let request = |job| JobRequest {
        db: env.db.clone(),
        server: "test".into(),
        job,
        token: Some(Token::new(TOKEN)),
        options: options(5000),
    };
    let go = Arc::new(AtomicBool::new(false));
    let mut steps = Vec::new();
    let out = service::jobs::run(
        &request(Job::Push {
            schema: id,
            force: false,
        }),
        &go,
        |s| steps.push(s),
    )
    .unwrap();
    let JobOutput::Pushed(report) = out else {
        panic!("expected a push report, got {out:?}");
    };
    assert_eq!(report.kind, PushKind::Created);
    assert!(
        steps.iter().any(|s| s.contains("Pushing to test")),
        "{steps:?}"
    );

    let seen = env.srv.state().requests.len();
    let binding = env.store.binding(id, env.server.id).unwrap();
    let stop = Arc::new(AtomicBool::new(true));
    let mut d = env.store.latest_revision(id).unwrap().draft;
    d.schema = employee_v2();
    env.store.save_revision(id, &d, "v2").unwrap();
    let before_push = env.snapshot();
    let result = service::jobs::run(
        &request(Job::Push {
            schema: id,
            force: false,
        }),
        &stop,
        |_| {},
    );
    assert!(matches!(result, Err(SyncError::Cancelled)), "{result:?}");
    assert_eq!(env.srv.state().requests.len(), seen, "nothing was sent");
    assert_eq!(env.snapshot(), before_push);
    assert!(env.store.queued_pushes(None).unwrap().is_empty());
    assert_eq!(env.store.binding(id, env.server.id).unwrap(), binding);
}

#[test]
fn worker_without_a_server_reports_the_error() {
    let env = Env::new(Generation::V1);
    let worker = Worker::spawn(JobRequest::new(env.db.clone(), "nope", Job::List));
    let e = worker.wait(|_| {}).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

// ---- end to end, through the CLI binary ----

fn cli(db: &std::path::Path, token: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadesk"))
        .args(args)
        .env("SCHEMADESK_DB", db)
        .env("ZITADEL_TOKEN", token)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run schemadesk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_push_conflict_pull_and_state() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, serde_json::to_string_pretty(&employee()).unwrap()).unwrap();

    let (code, out, err) = cli(&db, TOKEN, &["remote", "add", "local", &srv.url]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("generation 2"), "{out}");
    let (code, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("local") && out.contains("generation 2"),
        "{out}"
    );

    let (code, _, err) = cli(
        &db,
        TOKEN,
        &[
            "import",
            file.to_str().unwrap(),
            "--authenticators",
            "username,password",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&db, TOKEN, &["push", "employee", "--server", "local"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("created on the server"), "{out}");
    let remote_id = srv.by_type("employee").unwrap().id;

    // A conflict: exit 1, a diff, and the two ways out.
    let mut theirs = employee();
    theirs["properties"]["department"] = json!({"type": "string"});
    srv.edit_remote(&remote_id, theirs.clone());
    std::fs::write(&file, serde_json::to_string_pretty(&employee_v2()).unwrap()).unwrap();
    cli(
        &db,
        TOKEN,
        &["import", file.to_str().unwrap(), "--type", "employee"],
    );
    let (code, out, err) = cli(&db, TOKEN, &["push", "employee", "--server", "local"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("---") && out.contains("+++"), "{out}");
    assert!(out.contains("department") && out.contains("email"), "{out}");
    assert!(
        err.contains("push employee --server local --force"),
        "{err}"
    );
    assert!(
        err.contains("pull --server local --import employee"),
        "{err}"
    );
    assert_eq!(srv.schema(&remote_id).unwrap().schema, theirs);

    // Take theirs.
    let (code, out, err) = cli(
        &db,
        TOKEN,
        &["pull", "--server", "local", "--import", "employee"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("imported \"employee\""), "{out}");
    let (code, out, _) = cli(&db, TOKEN, &["show", "employee"]);
    assert_eq!(code, 0);
    assert!(out.contains("department"), "{out}");
    let (code, out, err) = cli(&db, TOKEN, &["pull", "--server", "local"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("employee") && out.contains("in sync"), "{out}");

    // State changes with --yes; without it and without a terminal nothing happens.
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "deactivate", "employee", "--server", "local"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(srv.schema(&remote_id).unwrap().state, 1);
    let (code, out, err) = cli(
        &db,
        TOKEN,
        &[
            "remote",
            "deactivate",
            "employee",
            "--server",
            "local",
            "--yes",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(srv.schema(&remote_id).unwrap().state, 2);
    let (code, out, _) = cli(&db, TOKEN, &["pull", "--server", "local"]);
    assert_eq!(code, 0);
    assert!(out.contains("INACTIVE"), "{out}");
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &[
            "remote",
            "reactivate",
            "employee",
            "--server",
            "local",
            "-y",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "delete", "employee", "--server", "local", "-y"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(srv.schema(&remote_id).is_none());

    // The token is never written into the store.
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(dir.path().join("cli.db-wal")).unwrap_or_default();
    for data in [bytes, wal] {
        assert!(
            !data.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
            "the token is in the store file"
        );
    }
}

#[test]
fn cli_bad_token_and_offline_queue() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, serde_json::to_string_pretty(&employee()).unwrap()).unwrap();
    cli(&db, TOKEN, &["import", file.to_str().unwrap()]);
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "add", "s", &srv.url, "--generation", "1"],
    );
    assert_eq!(code, 0, "{err}");

    let wrong = "totally-wrong-token-feedface";
    let (code, out, err) = cli(&db, wrong, &["push", "employee", "--server", "s"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("refused the token"), "{err}");
    assert!(
        !err.contains(wrong) && !out.contains(wrong),
        "token leaked: {err}"
    );

    // Offline: the push is queued, then retried.
    srv.push_fault(Fault::CloseMidResponse);
    let (code, out, err) = cli(&db, TOKEN, &["push", "employee", "--server", "s"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("queued"), "{err}");
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(out.contains("1 push(es) queued"), "{out}");
    let (code, out, err) = cli(&db, TOKEN, &["push", "--retry-queued"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("created on the server"), "{out}");
    assert!(srv.by_type("employee").is_some());

    // Plain http to another host is refused with a clear message.
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "add", "far", "http://zitadel.example.com"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("only allowed for this computer"), "{err}");

    // A push to a URL adds the server by host name.
    let (code, out, err) = cli(&db, TOKEN, &["push", "employee", "--server", &srv.url]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(out.contains(&srv.addr.to_string()), "{out}");

    // remove
    let (code, _, _) = cli(&db, TOKEN, &["remote", "remove", "s"]);
    assert_eq!(code, 0);
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(!out.starts_with("s\t"), "{out}");
}

#[test]
fn a_failed_certificate_check_is_not_queued() {
    // A plain-HTTP server that answers a TLS hello with an HTTP error: the handshake fails.
    let mut env = Env::new(Generation::V1);
    let id = env.save("employee", employee());
    let plain = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = plain.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut conn in plain.incoming().flatten() {
            let mut buf = [0u8; 512];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let url = format!("https://{addr}");
    let server = env.store.add_server("tls", &url, Some(1)).unwrap();
    let api = connect_v1(&url, &options(3000)).unwrap();
    let before = env.snapshot();
    let e = env.push_to(api.as_ref(), &server, id, false).unwrap_err();
    assert!(matches!(e, SyncError::Tls(_)), "{e}");
    assert!(!e.is_network());
    assert!(env.store.queued_pushes(None).unwrap().is_empty());
    assert_eq!(env.snapshot(), before);
}

#[test]
fn an_empty_authenticator_list_does_not_clear_the_servers_and_is_no_conflict() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let remote_id = env.push(api.as_ref(), id, false).unwrap().remote_id;
        let mut d = env.store.latest_revision(id).unwrap().draft;
        d.possible_authenticators.clear();
        d.schema = employee_v2();
        env.store
            .save_revision(id, &d, "no authenticators")
            .unwrap();
        let r = env.push(api.as_ref(), id, false).unwrap();
        assert_eq!(r.kind, PushKind::Updated);
        assert!(
            r.notes.iter().any(|n| n.contains("does not clear")),
            "{:?}",
            r.notes
        );
        assert_eq!(env.srv.schema(&remote_id).unwrap().authenticators.len(), 2);
        // The next push finds the server as expected: no conflict, nothing sent.
        let again = env.push(api.as_ref(), id, false).unwrap();
        assert_eq!(again.kind, PushKind::AlreadyThere, "{g:?}");
    }
}

/// A keyring that cannot be used (here: no D-Bus session on Linux) is its own error: never
/// "no token", and a `--forget` that could not remove the token does not say it did.
#[cfg(target_os = "linux")]
#[test]
fn cli_a_broken_keyring_is_not_a_missing_token() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, serde_json::to_string_pretty(&employee()).unwrap()).unwrap();
    let (code, out, err) = cli(&db, "", &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cli(
        &db,
        "",
        &["remote", "add", "k", &srv.url, "--generation", "1"],
    );
    assert_eq!(code, 0, "{out}{err}");

    let (code, out, err) = cli(&db, "", &["push", "employee", "--server", "k"]);
    assert_ne!(code, 0, "{out}{err}");
    assert!(!err.contains("no token for server"), "{err}");
    assert!(err.contains("keyring could not be used"), "{err}");
    assert!(srv.by_type("employee").is_none(), "nothing was sent");

    let (code, out, err) = cli(&db, "", &["remote", "token", "k", "--forget"]);
    assert_ne!(code, 0, "{out}{err}");
    assert!(!out.contains("removed"), "{out}");
    assert!(err.contains("keyring could not be used"), "{err}");
}

/// The keyring path, when a Secret Service can be started headless
/// (`dbus-run-session` and `gnome-keyring-daemon`); skipped otherwise.
#[test]
fn cli_token_from_the_keyring() {
    let have = |bin: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
    };
    if !have("dbus-run-session") || !have("gnome-keyring-daemon") {
        skipped("skipped: no dbus-run-session or gnome-keyring-daemon");
        return;
    }
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, serde_json::to_string_pretty(&employee()).unwrap()).unwrap();
    let bin = env!("CARGO_BIN_EXE_schemadesk");
    let script = format!(
        "set -e\n\
         echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n\
         sleep 1\n\
         '{bin}' import '{file}'\n\
         '{bin}' remote add k '{url}' --generation 1\n\
         echo '{TOKEN}' | '{bin}' remote token k\n\
         '{bin}' push employee --server k\n\
         '{bin}' remote token k --forget\n",
        file = file.display(),
        url = srv.url,
    );
    let out = Command::new("timeout")
        .args(["60", "dbus-run-session", "--", "sh", "-c", &script])
        .env("SCHEMADESK_DB", &db)
        .env("HOME", dir.path())
        .env_remove("ZITADEL_TOKEN")
        .output()
        .expect("dbus-run-session");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if text.contains("no secret service provider") || text.contains("keyring could not be used") {
        skipped(&format!(
            "skipped: the Secret Service did not start: {text}"
        ));
        return;
    }
    assert!(out.status.success(), "{text}");
    assert!(text.contains("created on the server"), "{text}");
    assert!(srv.by_type("employee").is_some());
    assert!(!text.contains(TOKEN), "token printed: {text}");
}

/// Real certificate checks, against `openssl s_server` with a certificate from a private CA:
/// refused with the built-in roots, accepted with the CA file. Skipped without openssl.
#[test]
fn certificates_are_checked_and_a_private_ca_can_be_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sh = |script: &str| {
        Command::new("sh")
            .args(["-c", script])
            .current_dir(d)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let made = sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=schemadesk-test-ca 2>/dev/null \
         && openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=localhost 2>/dev/null \
         && printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf \
         && openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 -extfile ext.cnf 2>/dev/null",
    );
    if !made {
        skipped("skipped: openssl cannot make certificates here");
        return;
    }
    // Port 0: s_server prints the port it got ("ACCEPT 127.0.0.1:PORT").
    let mut server = match Command::new("openssl")
        .args(["s_server", "-www", "-cert", "leaf.pem", "-key", "leaf.key"])
        .args(["-accept", "127.0.0.1:0"])
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            skipped("skipped: cannot start openssl s_server");
            return;
        }
    };
    // Read the port, then keep draining its output so it never writes to a closed pipe.
    let (port_tx, port_rx) = std::sync::mpsc::channel::<u16>();
    if let Some(out) = server.stdout.take() {
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(p) = line
                    .strip_prefix("ACCEPT ")
                    .and_then(|a| a.rsplit(':').next())
                    .and_then(|p| p.trim().parse().ok())
                {
                    let _ = port_tx.send(p);
                }
            }
        });
    }
    let port = port_rx.recv_timeout(Duration::from_secs(10)).ok();
    let Some(port) = port else {
        let _ = server.kill();
        let _ = server.wait();
        skipped("skipped: openssl s_server did not report its port");
        return;
    };
    let url = format!("https://localhost:{port}");
    let with_ca = |ca: Option<PathBuf>| {
        connect_v1(
            &url,
            &ClientOptions {
                ca_file: ca,
                ..options(5000)
            },
        )
    };
    let client = |ca: Option<PathBuf>| with_ca(ca).unwrap();
    // The built-in roots do not know this CA: refused, and not taken for a network failure.
    let e = client(None).get("x").unwrap_err();
    // With the CA trusted the handshake passes; s_server answers with an HTML page.
    let trusted = client(Some(d.join("ca.pem"))).get("x").unwrap_err();
    let missing = with_ca(Some(d.join("nope.pem")));
    let _ = server.kill();
    let _ = server.wait();
    assert!(matches!(e, SyncError::Tls(_)), "{e}");
    assert!(!e.is_network());
    assert!(
        matches!(trusted, SyncError::BadResponse { .. }),
        "{trusted}"
    );
    assert!(matches!(missing, Err(SyncError::CaFile { .. })));
}

/// The test server itself follows the contract on the wire (raw HTTP, no schemadesk client).
#[test]
fn the_test_server_speaks_the_contract() {
    let srv = TestServer::start();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let call = |method: &str, path: &str, body: Option<Value>| -> (u16, Value) {
        let req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", srv.url))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .header("Content-Type", "application/json")
            .body(body.map(|b| b.to_string()).unwrap_or_default())
            .unwrap();
        let mut resp = agent.run(req).unwrap();
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    };
    // 201 on create, camelCase, int64 as strings.
    let (status, v) = call(
        "POST",
        "/v3alpha/user_schemas",
        Some(
            json!({"type": "a", "schema": {"type": "object"}, "possibleAuthenticators": ["AUTHENTICATOR_TYPE_USERNAME"]}),
        ),
    );
    assert_eq!(status, 201, "{v}");
    assert!(
        v["id"].is_string() && v["details"]["sequence"].is_string(),
        "{v}"
    );
    assert!(v["details"]["changeDate"].is_string() && v["details"]["resourceOwner"].is_string());
    let (status, v) = call(
        "POST",
        "/resources/v3alpha/user_schemas",
        Some(json!({"type": "b", "schema": {}})),
    );
    assert_eq!(status, 201);
    assert!(
        v["details"]["id"].is_string() && v["details"]["owner"]["id"].is_string(),
        "{v}"
    );
    let b_id = v["details"]["id"].as_str().unwrap().to_string();
    // Zero values omitted: no possibleAuthenticators on b.
    let (_, v) = call(
        "GET",
        &format!("/resources/v3alpha/user_schemas/{b_id}"),
        None,
    );
    assert_eq!(v["userSchema"]["state"], "STATE_ACTIVE");
    assert_eq!(v["userSchema"]["revision"], 1);
    assert!(
        v["userSchema"]["config"]
            .get("possibleAuthenticators")
            .is_none(),
        "{v}"
    );
    // UNSPECIFIED: code 3, COMMA-Gh652.
    let (status, v) = call(
        "POST",
        "/v3alpha/user_schemas",
        Some(
            json!({"type": "c", "schema": {}, "possibleAuthenticators": ["AUTHENTICATOR_TYPE_UNSPECIFIED"]}),
        ),
    );
    assert_eq!((status, v["code"].as_i64()), (400, Some(3)));
    assert_eq!(v["details"][0]["id"], "COMMA-Gh652");
    assert!(v["message"].as_str().unwrap().ends_with("(COMMA-Gh652)"));
    // Only a schema change bumps the revision; an empty list keeps the authenticators.
    let a = srv.by_type("a").unwrap();
    let (status, _) = call(
        "PUT",
        &format!("/v3alpha/user_schemas/{}", a.id),
        Some(json!({"type": "a2", "schema": {"type": "object"}, "possibleAuthenticators": []})),
    );
    assert_eq!(status, 200);
    let a = srv.schema(&a.id).unwrap();
    assert_eq!(
        (a.revision, a.type_name.as_str(), a.authenticators.len()),
        (1, "a2", 1)
    );
    // Generation 2: limit at most 1000; totals as strings.
    let (status, _) = call(
        "POST",
        "/resources/v3alpha/user_schemas/_search?query.limit=1001",
        Some(json!([])),
    );
    assert_eq!(status, 400);
    let (status, v) = call(
        "POST",
        "/resources/v3alpha/user_schemas/_search?query.limit=1",
        Some(json!([])),
    );
    assert_eq!(status, 200);
    assert_eq!(v["details"]["totalResult"], "2");
    assert_eq!(v["result"].as_array().unwrap().len(), 1);
    // Generation 1: offset as a string in the body.
    let (_, v) = call(
        "POST",
        "/v3alpha/user_schemas/search",
        Some(json!({"query": {"offset": "1", "limit": 5}})),
    );
    assert_eq!(v["result"].as_array().unwrap().len(), 1);
    assert!(v["details"]["processedSequence"].is_string());
}

#[test]
fn cli_pull_all_by_id_probe_and_json() {
    let srv = TestServer::with_generations(true, false);
    for i in 0..4 {
        srv.seed(
            &format!("remote-{i}"),
            json!({"type": "object"}),
            &["AUTHENTICATOR_TYPE_PASSWORD"],
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let (code, out, err) = cli(&db, TOKEN, &["remote", "add", "one", &srv.url]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("generation 1"), "{out}");
    let (code, out, _) = cli(&db, TOKEN, &["remote", "probe", "one"]);
    assert_eq!(code, 0);
    assert!(out.contains("generation 1"), "{out}");

    let (code, out, err) = cli(&db, TOKEN, &["pull", "--server", "one", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["generation"], 1);
    assert_eq!(v["schemas"].as_array().unwrap().len(), 4);
    assert_eq!(v["schemas"][0]["status"], "RemoteOnly");

    let id = srv.by_type("remote-2").unwrap().id;
    let (code, out, err) = cli(&db, TOKEN, &["pull", "--server", "one", "--id", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported \"remote-2\""), "{out}");
    let (code, out, err) = cli(&db, TOKEN, &["pull", "--server", "one", "--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("imported").count(), 3, "{out}");
    assert!(out.contains("already holds"), "{out}");
    let (code, out, _) = cli(&db, TOKEN, &["list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 4, "{out}");
    let (_, out, _) = cli(&db, TOKEN, &["pull", "--server", "one"]);
    assert_eq!(out.matches("in sync").count(), 4, "{out}");

    // Asking about a type the server lacks, or with a missing server, fails clearly.
    let (code, _, err) = cli(&db, TOKEN, &["pull", "--server", "one", "--import", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no schema of type \"nope\""), "{err}");
    let (code, _, err) = cli(&db, TOKEN, &["pull", "--server", "two"]);
    assert_eq!(code, 2);
    assert!(err.contains("no server named \"two\""), "{err}");
}

/// A check that cannot run on this machine: said on standard error here, but a failure in CI
/// (`CI` set), where `.ci/run` installs every tool these tests need.
fn skipped(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{why} (in CI)");
    eprintln!("{why}");
}

/// The layering of server code (DESIGN.md, "Layers"): `sync` is a pure client of servers (no
/// store, no settings, nothing above it, threads only for the cancellable HTTP call in
/// `client.rs`); `nextgen` is domain code; `logging` is a leaf; `service` sits below the app,
/// the UI and the CLI. A `use` against this fails here, naming the file and the line.
#[test]
fn server_code_imports_only_down_the_layers() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let above = ["app", "ui", "cli", "gui"];
    let rules: [(&str, Vec<&str>); 4] = [
        (
            "sync",
            [&above[..], &["store", "settings", "service"]].concat(),
        ),
        (
            "nextgen",
            [&above[..], &["store", "settings", "service", "sync"]].concat(),
        ),
        ("service", above.to_vec()),
        (
            "logging.rs",
            [
                &above[..],
                &["store", "settings", "service", "sync", "nextgen", "schema"],
            ]
            .concat(),
        ),
    ];
    let mut wrong = Vec::new();
    for (place, forbidden) in &rules {
        let root = src.join(place);
        let mut files = Vec::new();
        if root.is_dir() {
            rust_files(&root, &mut files);
        } else {
            files.push(root);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = file.strip_prefix(&src).unwrap().display().to_string();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                // `crate::store::X`, `crate::store;` and `use crate::{store, …}`.
                let grouped: Vec<&str> = code
                    .split("crate::{")
                    .skip(1)
                    .flat_map(|g| g.split('}').next().unwrap_or_default().split(','))
                    .map(|n| n.trim().split("::").next().unwrap_or_default())
                    .collect();
                for layer in forbidden {
                    if code.contains(&format!("crate::{layer}::"))
                        || code.contains(&format!("crate::{layer};"))
                        || grouped.contains(layer)
                    {
                        wrong.push(format!("src/{name}:{}: imports {layer}", n + 1));
                    }
                }
                let threads = code.contains("thread::spawn") || code.contains("thread::Builder");
                if *place == "sync" && threads && name != "sync/client.rs" {
                    wrong.push(format!("src/{name}:{}: starts a thread", n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}
