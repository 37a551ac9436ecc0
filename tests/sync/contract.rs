//! The client against the strict gateway of tests/fake_zitadel: every request it makes is
//! one a real server accepts, for both generations; the gateway's strictness is itself
//! tested; and the defects of issue 12 (and the sync items of issue 13) each have a test
//! that failed before they were fixed.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::fake_zitadel::{Fault, ListClaim, TOKEN, TestServer};
use super::*;

/// One raw HTTP request (no client of ours), for shapes the client would never send.
fn raw(srv: &TestServer, method: &str, target: &str, body: Option<&str>) -> (u16, Value) {
    raw_with_token(srv, method, target, body, TOKEN)
}

fn raw_with_token(
    srv: &TestServer,
    method: &str,
    target: &str,
    body: Option<&str>,
    token: &str,
) -> (u16, Value) {
    let mut conn = TcpStream::connect(srv.addr).expect("connect");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n",
        srv.addr
    );
    if let Some(b) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes()).expect("write");
    if let Some(b) = body {
        conn.write_all(b.as_bytes()).expect("write body");
    }
    let mut text = String::new();
    conn.read_to_string(&mut text).expect("read");
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Asserts that every request the server got passed its gateway, with no body where the
/// rule has none and a bare array for generation 2's search.
fn assert_all_accepted(srv: &TestServer, what: &str) {
    let st = srv.state();
    assert!(!st.requests.is_empty(), "{what}: no requests");
    for r in &st.requests {
        // The probe asks for a generation the server does not serve: a 404, as it should be.
        let served = if r.path.starts_with("/resources/") {
            st.v2
        } else {
            st.v1
        };
        if !served && r.status == 404 && r.path.ends_with("search") {
            continue;
        }
        assert!(
            r.refused.is_none(),
            "{what}: the gateway refused {} {}?{} {:?}: {:?}",
            r.method,
            r.path,
            r.query,
            r.body,
            r.refused
        );
        assert!(
            r.rpc.is_some(),
            "{what}: {} {} was not routed (HTTP {})",
            r.method,
            r.path,
            r.status
        );
        if matches!(r.rpc, Some("Get" | "Deactivate" | "Reactivate" | "Delete")) {
            assert!(
                r.body.is_empty(),
                "{what}: a body on {}: {}",
                r.path,
                r.body
            );
        }
        if r.rpc == Some("List") && r.path.starts_with("/resources") {
            assert_eq!(r.body, "[]", "{what}: generation 2's search body");
            assert!(r.query.contains("query.limit="), "{what}: {}", r.query);
        }
    }
}

fn rpcs(srv: &TestServer) -> std::collections::BTreeSet<&'static str> {
    srv.state().requests.iter().filter_map(|r| r.rpc).collect()
}

#[test]
fn every_request_the_client_makes_passes_the_strict_gateway() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        // The probe: each generation's own list request.
        let url = sync::check_url(&env.srv.url).unwrap();
        let report = sync::probe(&url, Token::new(TOKEN), &options(5000), None).unwrap();
        assert_eq!((report.v1, report.v2), (true, true));

        let api = env.api_with(
            TOKEN,
            &ClientOptions {
                page_size: 2,
                ..options(5000)
            },
        );
        let id = env.save("employee", employee());
        // create
        let created = env.push(api.as_ref(), id, false).expect("create");
        // get, then update
        env.save("employee", employee_v2());
        assert_eq!(
            env.push(api.as_ref(), id, false).expect("update").kind,
            PushKind::Updated
        );
        // list over several pages
        env.srv.seed("a", json!({"type": "object"}), &[]);
        env.srv.seed("b", json!({"type": "object"}), &[]);
        assert_eq!(api.list_all(&mut |_, _| {}).unwrap().len(), 3);
        // the lost-create recovery's list
        env.srv.push_fault(Fault::ApplyThenClose);
        let other = env.save("other", json!({"type": "object"}));
        assert!(env.push(api.as_ref(), other, false).is_err());
        let server = env.server.clone();
        let retried = service::retry_queued(&mut env.store, api.as_ref(), &server, false).unwrap();
        assert_eq!(retried.pushed.len(), 1, "{:?}", retried.failed);
        // get by id (import), then the three state changes
        service::import_by_id(&mut env.store, api.as_ref(), &server, &created.remote_id).unwrap();
        for action in [
            StateAction::Deactivate,
            StateAction::Reactivate,
            StateAction::Delete,
        ] {
            service::change_state(&mut env.store, api.as_ref(), &server, id, action)
                .unwrap_or_else(|e| panic!("{g:?} {action:?}: {e}"));
        }
        assert!(env.srv.schema(&created.remote_id).is_none());

        assert_all_accepted(&env.srv, &format!("{g:?}"));
        let seen = rpcs(&env.srv);
        for rpc in [
            "Create",
            "Update",
            "Get",
            "List",
            "Deactivate",
            "Reactivate",
            "Delete",
        ] {
            assert!(seen.contains(rpc), "{g:?}: no {rpc} was sent: {seen:?}");
        }
    }
}

/// The gateway's strictness, tested on its own: each wrong shape is a 400 with code 3 and no
/// details, no handler runs, nothing changes; each right shape beside it is accepted.
#[test]
fn the_gateway_refuses_wrong_shapes_before_any_handler() {
    let srv = TestServer::start();
    let id = srv.seed("alpha", json!({"type": "object"}), &[]);
    srv.seed("beta", json!({"type": "object"}), &[]);
    let v1 = "/v3alpha/user_schemas";
    let v2 = "/resources/v3alpha/user_schemas";
    let good_body = r#"{"type":"new","schema":{"type":"object"},"possibleAuthenticators":["AUTHENTICATOR_TYPE_USERNAME"]}"#;
    let wrong: Vec<(&str, String, Option<String>, &str)> = vec![
        // generation 2's search takes the bare filter array
        ("POST", format!("{v2}/_search"), Some("{}".into()), "an object for body: filters"),
        ("POST", format!("{v2}/_search"), Some(r#"{"filters":[]}"#.into()), "filters wrapped"),
        ("POST", format!("{v2}/_search"), Some("[{}]".into()), "an empty filter"),
        ("POST", format!("{v2}/_search"), Some(r#"[{"stateFilter":{"state":"ACTIVE"}}]"#.into()), "an unknown enum name"),
        ("POST", format!("{v2}/_search"), Some(r#"[{"typeFilter":{"type":"a","method":"TEXT_FILTER_METHOD_ENDS_WITH"}}]"#.into()), "a method generation 2 lacks"),
        ("POST", format!("{v2}/_search"), Some(r#"[{"typeFilter":{"type":"a"},"idFilter":{"id":"1"}}]"#.into()), "two filters in one"),
        ("POST", format!("{v2}/_search?query.limit=abc"), Some("[]".into()), "a limit that is no number"),
        ("POST", format!("{v2}/_search?offset=1"), Some("[]".into()), "an unknown query parameter"),
        ("POST", format!("{v2}/_search?query.desc=maybe"), Some("[]".into()), "a bool that is none"),
        // generation 1's list: the whole request, int64 as a string, uint32 as a number
        ("POST", format!("{v1}/search"), Some(r#"{"query":{"offset":0,"limit":1}}"#.into()), "a number for an int64"),
        ("POST", format!("{v1}/search"), Some(r#"{"query":{"offset":"0","limit":"1"}}"#.into()), "a string for a uint32"),
        ("POST", format!("{v1}/search"), Some(r#"{"query":{"offset":"0"},"filters":[]}"#.into()), "an unknown field"),
        ("POST", format!("{v1}/search"), Some(r#"{"sortingColumn":"FIELD_NAME_NAME"}"#.into()), "an unknown sorting column"),
        ("POST", format!("{v1}/search"), Some(r#"{"queries":[{"typeQuery":{"type":"a","method":"TEXT_FILTER_METHOD_EQUALS"}}]}"#.into()), "a generation-2 method name"),
        ("POST", format!("{v1}/search"), Some("[]".into()), "an array for body: *"),
        // create and update
        ("POST", v1.to_string(), Some(r#"{"type":"x","schema":{},"extra":1}"#.into()), "an unknown field"),
        ("POST", v2.to_string(), Some(format!(r#"{{"userSchema":{good_body}}}"#)), "the user_schema field wrapped"),
        ("POST", v2.to_string(), Some(r#"{"type":"x","schema":"{}"}"#.into()), "a Struct that is a string"),
        ("POST", v1.to_string(), Some(r#"{"type":7,"schema":{}}"#.into()), "a number for a string"),
        ("POST", v1.to_string(), Some(r#"{"type":"x","schema":{},"possibleAuthenticators":["AUTHENTICATOR_TYPE_FINGERPRINT"]}"#.into()), "an unknown authenticator"),
        ("POST", v2.to_string(), Some(r#"{"type":"x","schema":{},"possibleAuthenticators":[2]}"#.into()), "an enum by number"),
        ("POST", v1.to_string(), Some(r#"{"type":"x","schema":{}"#.into()), "JSON cut short"),
        ("PUT", format!("{v1}/{id}"), Some(r#"{"type":"x","schema":{},"state":"STATE_ACTIVE"}"#.into()), "a read-only field"),
        ("PATCH", format!("{v2}/{id}"), Some(r#"{"userSchema":{"type":"x"}}"#.into()), "the user_schema field wrapped"),
        // calls whose rule has no body
        ("POST", format!("{v1}/{id}/deactivate"), Some("{}".into()), "a body on deactivate"),
        ("POST", format!("{v2}/{id}/_deactivate"), Some("{}".into()), "a body on _deactivate"),
        ("POST", format!("{v2}/{id}/_reactivate"), Some("{}".into()), "a body on _reactivate"),
        ("GET", format!("{v2}/{id}"), Some("{}".into()), "a body on get"),
        ("DELETE", format!("{v1}/{id}"), Some("{}".into()), "a body on delete"),
        ("GET", format!("{v1}/{id}?view=full"), None, "a query on get"),
    ];
    for (method, target, body, why) in &wrong {
        let before = srv.state().requests.len();
        let schemas_before = srv.state().schemas.len();
        let (status, v) = raw(&srv, method, target, body.as_deref());
        assert_eq!(
            (status, v["code"].as_i64()),
            (400, Some(3)),
            "{why}: {method} {target} {body:?} -> {v}"
        );
        assert_eq!(v["details"], json!([]), "{why}: no details");
        let st = srv.state();
        let r = &st.requests[before];
        assert!(r.refused.is_some() && !r.handled, "{why}: {r:?}");
        assert_eq!(st.schemas.len(), schemas_before, "{why}");
        assert_eq!(st.schemas[&id].type_name, "alpha", "{why}");
        assert_eq!(st.schemas[&id].state, 1, "{why}");
    }
    // The gateway comes before authentication: a wrong shape with a wrong token is still a 400.
    let (status, _) = raw_with_token(
        &srv,
        "POST",
        &format!("{v2}/_search"),
        Some("{}"),
        "wrong-token",
    );
    assert_eq!(status, 400);

    // The right shapes beside them are accepted, and filters and paging do what they say.
    let ok: Vec<(&str, String, Option<String>, u16)> = vec![
        ("POST", format!("{v2}/_search?query.offset=0&query.limit=1&query.desc=false&sortingColumn=FIELD_NAME_TYPE"), Some("[]".into()), 200),
        ("POST", format!("{v2}/_search"), None, 200),
        ("POST", format!("{v1}/search"), Some(r#"{"query":{"offset":"0","limit":1,"asc":true},"sortingColumn":"FIELD_NAME_TYPE"}"#.into()), 200),
        ("POST", format!("{v1}/search"), Some("{}".into()), 200),
        ("POST", v1.to_string(), Some(good_body.into()), 201),
        ("POST", v2.to_string(), Some(good_body.replace("new", "newer")), 201),
        ("GET", format!("{v2}/{id}"), None, 200),
        ("POST", format!("{v2}/{id}/_deactivate"), None, 200),
        ("POST", format!("{v1}/{id}/reactivate"), None, 200),
    ];
    for (method, target, body, expect) in &ok {
        let (status, v) = raw(&srv, method, target, body.as_deref());
        assert_eq!(status, *expect, "{method} {target} {body:?} -> {v}");
    }
    let (_, v) = raw(
        &srv,
        "POST",
        &format!("{v2}/_search"),
        Some(
            r#"[{"typeFilter":{"type":"AL","method":"TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE"}}]"#,
        ),
    );
    assert_eq!(v["details"]["totalResult"], "1", "{v}");
    assert_eq!(v["result"][0]["config"]["type"], "alpha", "{v}");
    let (_, v) = raw(
        &srv,
        "POST",
        &format!("{v1}/search"),
        Some(
            r#"{"queries":[{"notQuery":{"query":{"typeQuery":{"type":"new","method":"TEXT_QUERY_METHOD_STARTS_WITH"}}}}]}"#,
        ),
    );
    assert_eq!(v["details"]["totalResult"], "2", "{v}");
    // generation 1 sorts descending unless asked otherwise; the limit is a number
    let (_, v) = raw(
        &srv,
        "POST",
        &format!("{v1}/search"),
        Some(r#"{"query":{"limit":1},"sortingColumn":"FIELD_NAME_TYPE"}"#),
    );
    assert_eq!(v["result"][0]["type"], "newer", "{v}");
    assert_eq!(v["sortingColumn"], "FIELD_NAME_TYPE", "{v}");
}

#[test]
fn a_failed_list_in_the_lost_create_check_is_not_already_exists() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let id = env.save("employee", employee());
        let before = env.snapshot();
        // The create meets "already exists", and the list that would check it fails.
        env.srv.push_fault(Fault::Reply(
            409,
            json!({"code": 6, "message": "Errors.UserSchema.AlreadyExists (V3-DKcYh)",
                   "details": [{"id": "V3-DKcYh", "message": "exists"}]})
            .to_string(),
        ));
        env.srv.push_fault(Fault::Reply(
            500,
            json!({"code": 13, "message": "Errors.Internal"}).to_string(),
        ));
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(!matches!(e, SyncError::AlreadyExists(_)), "{g:?}: {e}");
        let text = e.to_string();
        assert!(text.contains("list"), "{text}");
        assert!(text.contains("500"), "{text}");
        assert_eq!(env.snapshot(), before);
        assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);

        // The check's list cut off by the network: a network failure, so the push is queued.
        env.srv.push_fault(Fault::Reply(
            409,
            json!({"code": 6, "message": "exists", "details": [{"id": "V3-DKcYh"}]}).to_string(),
        ));
        env.srv.push_fault(Fault::CloseMidResponse);
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(matches!(e, SyncError::Queued { .. }), "{g:?}: {e}");
        assert_eq!(env.store.queued_pushes(None).unwrap().len(), 1);
    }
}

#[test]
fn errors_are_worded_for_what_was_asked() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let bad_request = || {
            Fault::Reply(
                400,
                json!({"code": 3, "message": "cannot decode the request", "details": []})
                    .to_string(),
            )
        };
        // A list or a get that gets a 400 does not blame a schema.
        env.srv.push_fault(bad_request());
        let e = api.list_all(&mut |_, _| {}).unwrap_err();
        let text = e.to_string();
        assert!(!text.contains("refused the schema as invalid"), "{text}");
        assert!(text.contains("list"), "{text}");
        assert!(text.contains("cannot decode the request"), "{text}");
        env.srv.push_fault(bad_request());
        let e = api.get("280000000000000001").unwrap_err();
        assert!(!e.to_string().contains("invalid"), "{e}");
        // A create that gets one does.
        env.srv.push_fault(bad_request());
        let e = api
            .create(&UserSchemaDraft::new("x", json!({}), []))
            .unwrap_err();
        assert!(
            e.to_string().contains("refused the schema as invalid"),
            "{e}"
        );

        // Preconditions, per operation.
        let id = env.srv.seed("s", json!({}), &[]);
        let e = api.change_state(&id, StateAction::Reactivate).unwrap_err();
        assert!(e.to_string().contains("cannot be reactivated"), "{e}");
        api.change_state(&id, StateAction::Deactivate).unwrap();
        let e = api.change_state(&id, StateAction::Deactivate).unwrap_err();
        assert!(e.to_string().contains("cannot be deactivated"), "{e}");
        let e = api
            .update(&id, &UserSchemaDraft::new("s", json!({}), []))
            .unwrap_err();
        assert!(e.to_string().contains("cannot be updated"), "{e}");
        let e = api
            .change_state("280000000000009999", StateAction::Delete)
            .unwrap_err();
        assert!(e.to_string().contains("cannot be deleted"), "{e}");
        let e = api.get("280000000000009999").unwrap_err();
        assert!(e.to_string().contains("schema was not found"), "{e}");
        let _ = &mut env;
    }
}

#[test]
fn a_servers_message_is_redacted_whole_then_cleaned_and_cut() {
    let env = Env::new(Generation::V1);
    // A long token, echoed by a proxy in a non-JSON body and in a JSON message.
    let token: String = (0..40).map(|i| format!("tok{i:02}")).collect();
    let api = env.api_with(&token, &options(5000));
    let noise = "x".repeat(30);
    env.srv.push_fault(Fault::Reply(
        502,
        format!("<html>{noise} Authorization: Bearer {token} </html>"),
    ));
    let e1 = api.get("280000000000000001").unwrap_err().to_string();
    env.srv.push_fault(Fault::Reply(
        400,
        json!({"code": 3, "message": format!("bad \u{1b}]0;owned\u{7}\u{1b}[2J header {token} {}", "y".repeat(5000))})
            .to_string(),
    ));
    let e2 = api.get("280000000000000001").unwrap_err().to_string();
    for text in [e1, e2] {
        for window in token.as_bytes().windows(12) {
            let part = std::str::from_utf8(window).unwrap();
            assert!(!text.contains(part), "part of the token leaked: {text}");
        }
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(text.chars().count() < 700, "{} chars", text.chars().count());
    }
}

#[test]
fn ids_from_a_server_are_checked_before_they_go_into_a_url() {
    for g in GENERATIONS {
        let mut env = Env::new(g);
        let api = env.api();
        let long = "1".repeat(201);
        for id in [
            "",
            ".",
            "..",
            "a/b",
            "%2e%2e",
            "../x",
            "a?b",
            "ä",
            "a b",
            long.as_str(),
        ] {
            assert!(api.get(id).is_err(), "{g:?} get {id:?}");
            assert!(
                api.change_state(id, StateAction::Delete).is_err(),
                "{g:?} delete {id:?}"
            );
            assert!(
                api.update(id, &UserSchemaDraft::new("t", json!({}), []))
                    .is_err(),
                "{g:?} update {id:?}"
            );
        }
        assert!(
            env.srv.state().requests.is_empty(),
            "{g:?}: sent {:?}",
            env.srv
                .state()
                .requests
                .iter()
                .map(|r| format!("{} {}", r.method, r.path))
                .collect::<Vec<_>>()
        );
        assert!(api.get(&"7".repeat(200)).is_err());
        assert_eq!(env.srv.state().requests.len(), 1, "200 characters are sent");

        // A create answered with an unusable id binds nothing.
        let id = env.save("employee", employee());
        let answer = match g {
            Generation::V1 => json!({"id": "..", "details": {"sequence": "1"}}),
            Generation::V2 => json!({"details": {"id": "../../x"}}),
        };
        env.srv.push_fault(Fault::Reply(201, answer.to_string()));
        let e = env.push(api.as_ref(), id, false).unwrap_err();
        assert!(!e.is_network(), "{e}");
        assert_eq!(env.store.binding(id, env.server.id).unwrap(), None);
    }
}

#[test]
fn paging_is_bounded_whatever_the_server_claims() {
    for g in GENERATIONS {
        // A short page ends the list, even when the total claims far more.
        let env = Env::new(g);
        env.srv.state().list_claim = Some(ListClaim {
            total: 1_000_000_000,
            per_page: Some(3),
            give_up_after: 50,
        });
        let api = env.api_with(
            TOKEN,
            &ClientOptions {
                page_size: 10,
                ..options(5000)
            },
        );
        let all = api.list_all(&mut |_, _| {}).unwrap();
        assert_eq!(all.len(), 3, "{g:?}");
        assert_eq!(env.srv.count("POST", "search"), 1);

        // Full pages for ever: stopped at a cap on the total, with an error that says so.
        let env = Env::new(g);
        env.srv.state().list_claim = Some(ListClaim {
            total: 1_000_000_000,
            per_page: None,
            give_up_after: 200,
        });
        let api = env.api_with(
            TOKEN,
            &ClientOptions {
                page_size: 1000,
                ..options(20_000)
            },
        );
        let e = api.list_all(&mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("1000000000"), "{e}");
        assert!(
            env.srv.count("POST", "search") <= 12,
            "{}",
            env.srv.count("POST", "search")
        );
    }
}

#[test]
fn a_push_to_an_unreachable_server_never_probed_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, employee().to_string()).unwrap();
    assert_eq!(cli(&db, TOKEN, &["import", file.to_str().unwrap()]).0, 0);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    // Added without a generation: the probe fails, the server is kept for later.
    let (code, out, err) = cli(&db, TOKEN, &["remote", "add", "down", &url]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cli(
        &db,
        TOKEN,
        &["push", "employee", "--server", "down", "--timeout", "3"],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("queued"), "{err}");
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(out.contains("1 push(es) queued"), "{out}");

    // The same through the worker the editor uses.
    let store = Store::open(&db).unwrap();
    let schema = store.by_type("employee").unwrap().id;
    drop(store);
    let worker = Worker::spawn(JobRequest {
        db: db.clone(),
        server: "down".into(),
        job: Job::Push {
            schema,
            force: false,
        },
        token: Some(Token::new(TOKEN)),
        options: options(3000),
    });
    let e = worker.wait(|_| {}).unwrap_err();
    assert!(matches!(e, SyncError::Queued { .. }), "{e}");
}

#[test]
fn a_one_off_url_leaves_no_server_entry_behind() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, employee().to_string()).unwrap();
    assert_eq!(cli(&db, TOKEN, &["import", file.to_str().unwrap()]).0, 0);
    let servers = |db: &std::path::Path| -> usize {
        let (code, out, err) = cli(db, TOKEN, &["remote", "list", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    for _ in 0..2 {
        let (code, _, err) = cli(
            &db,
            "wrong-token",
            &["push", "employee", "--server", &srv.url],
        );
        assert_eq!(code, 2, "{err}");
        let (code, _, err) = cli(&db, TOKEN, &["pull", "--server", &srv.url]);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(servers(&db), 0, "one-off URLs added server entries");
    // A push that binds keeps one entry, and the next push by URL reuses it.
    for _ in 0..2 {
        let (code, out, err) = cli(&db, TOKEN, &["push", "employee", "--server", &srv.url]);
        assert_eq!(code, 0, "{out}{err}");
    }
    assert_eq!(servers(&db), 1);
}

#[test]
fn a_pull_imports_only_what_validates() {
    for g in GENERATIONS {
        let srv = TestServer::with_generations(g == Generation::V1, g == Generation::V2);
        srv.seed("good", employee(), &["AUTHENTICATOR_TYPE_USERNAME"]);
        srv.seed(
            "bad-permission",
            json!({"type": "object", "properties": {"a": {"type": "string", "urn:zitadel:schema:permission": "read"}}}),
            &[],
        );
        let not_object = srv.seed("not-an-object", json!({}), &[]);
        srv.state().schemas.get_mut(&not_object).unwrap().schema = json!(["a", "list"]);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let (code, _, err) = cli(&db, TOKEN, &["remote", "add", "s", &srv.url]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = cli(&db, TOKEN, &["pull", "--server", "s", "--all"]);
        assert_eq!(code, 1, "{g:?}: {out}{err}");
        assert!(out.contains("imported \"good\""), "{out}");
        assert!(
            err.contains("bad-permission") && err.contains("not imported"),
            "{err}"
        );
        assert!(err.contains("not-an-object"), "{err}");
        let (_, out, _) = cli(&db, TOKEN, &["list", "--format", "json"]);
        let listed: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{out}");
        let (code, _, err) = cli(
            &db,
            TOKEN,
            &["pull", "--server", "s", "--import", "bad-permission"],
        );
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("not valid"), "{err}");
    }
}

/// `pull --format json` says what `pull` says in text: each server schema that would not
/// import is marked with the same reason, and the exit code is the text mode's, both for a
/// listing and for an import.
#[test]
fn pull_as_json_marks_what_would_not_import() {
    for g in GENERATIONS {
        let srv = TestServer::with_generations(g == Generation::V1, g == Generation::V2);
        srv.seed("good", employee(), &["AUTHENTICATOR_TYPE_USERNAME"]);
        srv.seed(
            "bad-permission",
            json!({"type": "object", "properties": {"a": {"type": "string", "urn:zitadel:schema:permission": "read"}}}),
            &[],
        );
        let not_object = srv.seed("not-an-object", json!({}), &[]);
        srv.state().schemas.get_mut(&not_object).unwrap().schema = json!(["a", "list"]);
        let dir = tempfile::tempdir().unwrap();
        let (text_db, json_db) = (dir.path().join("t.db"), dir.path().join("j.db"));
        for db in [&text_db, &json_db] {
            let (code, _, err) = cli(db, TOKEN, &["remote", "add", "s", &srv.url]);
            assert_eq!(code, 0, "{err}");
        }

        // The listing.
        let (text_code, _, text_err) = cli(&text_db, TOKEN, &["pull", "--server", "s"]);
        let (code, out, err) = cli(
            &json_db,
            TOKEN,
            &["pull", "--server", "s", "--format", "json"],
        );
        assert_eq!(code, text_code, "{g:?}: {out}{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let rows = v["schemas"].as_array().unwrap();
        let row = |t: &str| {
            rows.iter()
                .find(|r| r["type"] == t)
                .unwrap_or_else(|| panic!("{t} not listed: {out}"))
        };
        assert_eq!(row("good")["importable"], true, "{out}");
        assert!(row("good")["notImportableReason"].is_null(), "{out}");
        for bad in ["bad-permission", "not-an-object"] {
            assert_eq!(row(bad)["importable"], false, "{g:?}: {out}");
            let reason = row(bad)["notImportableReason"].as_str().unwrap_or_default();
            assert!(!reason.is_empty(), "{g:?}: {bad} has no reason: {out}");
            assert!(
                text_err.contains(&format!("cannot be imported: {reason}")),
                "{g:?}: the text mode gives another reason for {bad} than {reason:?}: {text_err}"
            );
        }
        assert!(
            row("bad-permission")["notImportableReason"]
                .as_str()
                .is_some_and(|r| r.contains("not valid")),
            "{out}"
        );

        // An import of everything.
        let (text_code, _, _) = cli(&text_db, TOKEN, &["pull", "--server", "s", "--all"]);
        assert_eq!(text_code, 1);
        let (code, out, err) = cli(
            &json_db,
            TOKEN,
            &["pull", "--server", "s", "--all", "--format", "json"],
        );
        assert_eq!(code, text_code, "{g:?}: {out}{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let imported = v["imported"].as_array().unwrap();
        assert_eq!(imported.len(), 1, "{out}");
        assert_eq!(imported[0]["type_name"], "good", "{out}");
        let refused = v["notImported"].as_array().unwrap();
        let mut types: Vec<&str> = refused.iter().filter_map(|r| r["type"].as_str()).collect();
        types.sort_unstable();
        assert_eq!(types, ["bad-permission", "not-an-object"], "{out}");
        for r in refused {
            assert!(
                r["remoteId"].as_str().is_some_and(|id| !id.is_empty()),
                "{out}"
            );
            assert!(r["reason"].as_str().is_some_and(|x| !x.is_empty()), "{out}");
        }
    }
}

#[test]
fn a_token_that_cannot_be_sent_is_refused_before_any_connection() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, employee().to_string()).unwrap();
    assert_eq!(cli(&db, TOKEN, &["import", file.to_str().unwrap()]).0, 0);
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "add", "s", &srv.url, "--generation", "2"],
    );
    assert_eq!(code, 0, "{err}");
    let before = srv.state().requests.len();
    for bad in [
        "first-line\nsecond-line",
        "t\u{f6}ken-with-umlaut",
        "two words",
    ] {
        let (code, out, err) = cli(&db, bad, &["push", "employee", "--server", "s"]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(
            err.contains("the token has characters that cannot be sent"),
            "{bad:?}: {err}"
        );
        assert!(!err.contains("queued"), "{err}");
    }
    assert_eq!(srv.state().requests.len(), before, "a request was sent");
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(!out.contains("queued"), "{out}");
}

#[test]
fn a_huge_timeout_is_refused_clearly() {
    let srv = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("employee.json");
    std::fs::write(&file, employee().to_string()).unwrap();
    assert_eq!(cli(&db, TOKEN, &["import", file.to_str().unwrap()]).0, 0);
    cli(
        &db,
        TOKEN,
        &["remote", "add", "s", &srv.url, "--generation", "1"],
    );
    let (code, out, err) = cli(
        &db,
        TOKEN,
        &[
            "push",
            "employee",
            "--server",
            "s",
            "--timeout",
            "18446744073709551615",
        ],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--timeout") && err.contains("3600"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("queued"),
        "{err}"
    );
    assert!(srv.state().requests.is_empty());
    let (_, out, _) = cli(&db, TOKEN, &["remote", "list"]);
    assert!(!out.contains("queued"), "{out}");
}

/// `remote token NAME` on a terminal: a pseudo-terminal from `script` (util-linux), which
/// echoes what is typed unless the program turns echo off. Skipped without `script`.
#[test]
fn remote_token_does_not_echo_on_a_terminal() {
    let have_script = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("script").is_file()));
    if !have_script {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let srv = TestServer::start();
    cli(
        &db,
        TOKEN,
        &["remote", "add", "k", &srv.url, "--generation", "1"],
    );
    let secret = "typed-secret-0a1b2c3d4e5f";
    let command = format!(
        "'{}' remote token k; echo exit=$?",
        env!("CARGO_BIN_EXE_schemadesk")
    );
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("SCHEMADESK_DB", &db)
        .env("HOME", dir.path())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("ZITADEL_TOKEN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script");
    // Read the terminal on a thread; type only once the prompt is there, as a person would,
    // and close the input only once the command has ended (`exit=` is echoed after it).
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 1024];
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 || tx.send(chunk[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |needle: &str| {
        // The timeout only keeps a broken run from hanging; nothing is timed.
        while !String::from_utf8_lossy(&seen).contains(needle) {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(bytes) => seen.extend(bytes),
                Err(_) => break,
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    };
    let prompt = wait_for("token for k");
    assert!(prompt.contains("token for k"), "no prompt: {prompt}");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{secret}\n").as_bytes()).unwrap();
    let shown = wait_for("exit=");
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let _ = reader.join();
    let text = format!(
        "{shown}{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("token for k"), "no prompt: {text}");
    assert!(!text.contains(secret), "the token was shown: {text}");
}

/// The whole round through the real binary, for each generation on a server that answers
/// only that one: every command works, every request passes the gateway.
#[test]
fn cli_round_trip_for_both_generations() {
    for g in GENERATIONS {
        let srv = TestServer::with_generations(g == Generation::V1, g == Generation::V2);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let file = dir.path().join("employee.json");
        let run = |args: &[&str]| {
            let (code, out, err) = cli(&db, TOKEN, args);
            assert_eq!(code, 0, "{g:?} {args:?}: {out}{err}");
            out
        };
        std::fs::write(&file, employee().to_string()).unwrap();
        run(&[
            "import",
            file.to_str().unwrap(),
            "--authenticators",
            "username",
        ]);
        let out = run(&["remote", "add", "z", &srv.url]);
        assert!(
            out.contains(&format!("generation {}", g.number())),
            "{g:?}: {out}"
        );
        let out = run(&["push", "employee", "--server", "z"]);
        assert!(out.contains("created on the server"), "{out}");
        let remote_id = srv.by_type("employee").unwrap().id;
        std::fs::write(&file, employee_v2().to_string()).unwrap();
        run(&["import", file.to_str().unwrap(), "--type", "employee"]);
        let out = run(&["push", "employee", "--server", "z"]);
        assert!(out.contains("updated on the server"), "{out}");
        assert_eq!(srv.schema(&remote_id).unwrap().revision, 2);
        let out = run(&["pull", "--server", "z"]);
        assert!(out.contains("in sync"), "{out}");
        let mut theirs = employee_v2();
        theirs["properties"]["team"] = json!({"type": "string"});
        srv.edit_remote(&remote_id, theirs);
        let out = run(&["pull", "--server", "z", "--import", "employee"]);
        assert!(out.contains("imported \"employee\""), "{out}");
        let out = run(&["remote", "deactivate", "employee", "--server", "z", "-y"]);
        assert!(out.starts_with("deactivated \"employee\""), "{out}");
        assert_eq!(srv.schema(&remote_id).unwrap().state, 2);
        let out = run(&["remote", "reactivate", "employee", "--server", "z", "-y"]);
        assert!(out.starts_with("reactivated \"employee\""), "{out}");
        let out = run(&["remote", "delete", "employee", "--server", "z", "-y"]);
        assert!(out.starts_with("deleted \"employee\""), "{out}");
        assert!(srv.schema(&remote_id).is_none());
        assert_all_accepted(&srv, &format!("{g:?}"));
        let seen = rpcs(&srv);
        assert_eq!(seen.len(), 7, "{g:?}: {seen:?}");
    }
}
