//! The experimental nextgen API client against the strict double: create, get, three pages
//! of a list, and every error code.

use std::time::Duration;

use serde_json::json;
use url::Url;

use schemadesk::sync::Token;
use schemadesk::sync::nextgen::{ApiError, ErrorCode, ListQuery, NextgenClient, Revisions};

use super::double::{ALPHA_RO, ALPHA_RW, BETA_RW, Double};
use super::{password_passkey, sso_only};

fn client(d: &Double, token: &str) -> NextgenClient {
    NextgenClient::new(
        &Url::parse(&d.url).unwrap(),
        Token::new(token),
        Duration::from_secs(10),
    )
    .unwrap()
}

fn code_of(r: Result<impl std::fmt::Debug, ApiError>) -> ErrorCode {
    match r {
        Err(ApiError::Api { code, .. }) => code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn create_then_get() {
    let d = Double::start("/api/v1");
    let c = client(&d, ALPHA_RW);
    let id = c.create(&password_passkey()).unwrap();
    assert!(id.starts_with("sch_") && id.len() == 30, "{id}");
    let got = c.get(&id).unwrap();
    assert_eq!(got.schema, password_passkey());
    assert_eq!(got.object_type(), Some("employee"));
    assert!(got.created_at.is_some());
    let r = &d.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("POST", "/api/v1/schemas")
    );
    assert_eq!(
        r.authorization.as_deref(),
        Some(format!("Bearer {ALPHA_RW}").as_str())
    );
}

#[test]
fn three_pages_are_followed_by_cursor() {
    let d = Double::start("/api/v1");
    for i in 0..7 {
        let mut doc = sso_only();
        doc["objectType"] = json!(format!("type{i}"));
        d.seed("alpha", doc);
    }
    d.seed("beta", sso_only());
    let c = client(&d, ALPHA_RW);
    let mut pages = Vec::new();
    let all = c
        .list_all(
            &ListQuery {
                limit: Some(3),
                ..ListQuery::default()
            },
            &mut |n| pages.push(n),
        )
        .unwrap();
    assert_eq!(pages, [3, 6, 7]);
    assert_eq!(all.len(), 7, "the other project's schema is not listed");
    let urls: Vec<String> = d.requests().iter().map(|r| r.url.clone()).collect();
    assert_eq!(
        urls,
        [
            "/api/v1/schemas?limit=3&kind=user-schema",
            "/api/v1/schemas?limit=3&page_token=pt.3&kind=user-schema",
            "/api/v1/schemas?limit=3&page_token=pt.6&kind=user-schema",
        ]
    );
}

#[test]
fn revisions_of_one_object_type() {
    let d = Double::start("");
    let c = client(&d, ALPHA_RW);
    let mut doc = sso_only();
    c.create(&doc).unwrap();
    doc["properties"]["city"] = json!({"type": "string"});
    c.create(&doc).unwrap();
    let q = |revisions| ListQuery {
        object_type: Some("partner".into()),
        revisions: Some(revisions),
        ..ListQuery::default()
    };
    assert_eq!(
        c.list_all(&q(Revisions::All), &mut |_| {}).unwrap().len(),
        2
    );
    let latest = c.list_all(&q(Revisions::Latest), &mut |_| {}).unwrap();
    assert_eq!(latest.len(), 1);
    assert!(latest[0].schema["properties"].get("city").is_some());
}

#[test]
fn every_error_code_is_told_apart() {
    let d = Double::start("/api/v1");
    let rw = client(&d, ALPHA_RW);
    assert_eq!(code_of(rw.get("sch_nope")), ErrorCode::NotFound);
    let mut bad = sso_only();
    bad["x-auth-methods"]["sso"]["providers"] = json!([]);
    assert_eq!(code_of(rw.create(&bad)), ErrorCode::InvalidRequest);
    let mut own = sso_only();
    own["$id"] = json!("sch_01HOWNID");
    rw.create(&own).unwrap();
    assert_eq!(code_of(rw.create(&own)), ErrorCode::AlreadyExists);
    assert_eq!(
        code_of(client(&d, ALPHA_RO).create(&sso_only())),
        ErrorCode::PermissionDenied
    );
    let too_many = ListQuery {
        page_token: Some("garbage".into()),
        ..ListQuery::default()
    };
    assert_eq!(code_of(rw.list_page(&too_many)), ErrorCode::RequestInvalid);
    assert_eq!(
        code_of(client(&d, "sk_proj_unknown").get("x")),
        ErrorCode::Unauthorized
    );
    d.inject(500, "internal");
    assert_eq!(code_of(rw.get("x")), ErrorCode::Internal);
    d.inject(501, "not_implemented");
    assert_eq!(
        code_of(rw.list_page(&ListQuery::default())),
        ErrorCode::NotImplemented
    );
    d.inject(418, "teapot.brewing");
    let e = rw.get("x").unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Other("teapot.brewing".into())));
    // Another project's schema is not found, and messages never carry the secret.
    let beta = client(&d, BETA_RW);
    let e = beta.get("sch_01HOWNID").unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::NotFound));
    assert!(!e.to_string().contains("sk_proj"), "{e}");
    assert!(e.to_string().contains("sch.not_found"), "{e}");
}

#[test]
fn a_body_that_is_not_the_api_is_reported() {
    let d = Double::start("/api/v1");
    // A base URL without the prefix reaches no route: the answer is the double's 404.
    let wrong = NextgenClient::new(
        &Url::parse(&d.url.replace("/api/v1", "/other")).unwrap(),
        Token::new(ALPHA_RW),
        Duration::from_secs(5),
    )
    .unwrap();
    assert!(wrong.get("x").is_err());
    let bad_url = NextgenClient::new(
        &Url::parse("http://example.com").unwrap(),
        Token::new("t"),
        Duration::from_secs(1),
    );
    assert!(
        matches!(bad_url, Err(ApiError::BadUrl { .. })),
        "plain http only for loopback"
    );
}
