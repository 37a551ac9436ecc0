//! Conversion both ways of every template and of the ZITADEL docs example: each result
//! validates for its target, and the report names what did not map.

use serde_json::{Value, json};

use schemadesk::nextgen::convert::{ToNextgenOptions, to_nextgen, to_v3alpha};
use schemadesk::nextgen::validate::{MetaSet, validate_document};
use schemadesk::schema::templates::TEMPLATES;
use schemadesk::schema::{AuthenticatorType, Source, UserSchemaDraft, validate};

use super::{examples_dir, otp_nested, password_passkey, sso_only, text};

fn valid_nextgen(doc: &Value) {
    let v = validate_document(&text(doc), &MetaSet::bundled());
    assert!(v.is_valid(), "{doc:#}: {:?}", v.diagnostics);
}

fn valid_v3alpha(draft: &UserSchemaDraft) {
    let v = validate(Source::File(&draft.request_body_pretty()));
    assert!(
        v.is_valid(),
        "{}: {:?}",
        draft.request_body_pretty(),
        v.diagnostics
    );
}

fn docs_example() -> UserSchemaDraft {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(examples_dir().join("valid-docs-guide.json")).unwrap(),
    )
    .unwrap();
    UserSchemaDraft::new(
        "docs-example",
        schema,
        [AuthenticatorType::Username, AuthenticatorType::Password],
    )
}

#[test]
fn templates_and_the_docs_example_convert_both_ways() {
    let mut drafts: Vec<UserSchemaDraft> = TEMPLATES
        .iter()
        .map(|t| t.draft(t.suggested_type))
        .collect();
    drafts.push(docs_example());
    for draft in drafts {
        let there = to_nextgen(&draft, &ToNextgenOptions::default());
        valid_nextgen(&there.result);
        assert_eq!(there.result["objectType"], json!(draft.type_name));
        let back = to_v3alpha(&there.result, "fallback");
        valid_v3alpha(&back.result);
        assert_eq!(back.result.type_name, draft.type_name);
        // The authenticators that have a counterpart come back.
        for a in [
            AuthenticatorType::Username,
            AuthenticatorType::Password,
            AuthenticatorType::Webauthn,
        ] {
            assert_eq!(
                draft.possible_authenticators.contains(&a),
                back.result.possible_authenticators.contains(&a),
                "{}: {a}",
                draft.type_name
            );
        }
    }
}

#[test]
fn the_docs_example_maps_permissions_and_reports_the_hidden_field() {
    let c = to_nextgen(&docs_example(), &ToNextgenOptions::default());
    let props = &c.result["properties"];
    assert_eq!(props["givenName"]["x-editable"], json!(true));
    assert_eq!(props["profileUri"]["x-editable"], json!(false));
    assert_eq!(props["customerId"]["x-sensitive"], json!(true));
    assert!(
        props["givenName"]
            .get("urn:zitadel:schema:permission")
            .is_none()
    );
    // No username field existed: one was added for the identifier, and both are reported.
    assert_eq!(c.result["x-identifier"], json!("username"));
    assert_eq!(props["username"]["x-unique"], json!("project"));
    let at = |p: &str| c.report.iter().any(|u| u.pointer == p);
    assert!(at("/schema/properties/customerId"), "{:#?}", c.report);
    assert!(
        c.report.iter().any(|u| u.message.contains("\"username\"")),
        "{:#?}",
        c.report
    );
}

#[test]
fn the_customer_template_reports_otp_and_sso() {
    let t = TEMPLATES.iter().find(|t| t.id == "customer").unwrap();
    let draft = t.draft("customer");
    let c = to_nextgen(&draft, &ToNextgenOptions::default());
    assert_eq!(c.result["x-auth-methods"]["sso"], json!({"enabled": false}));
    assert_eq!(c.result["x-auth-methods"]["otp"], json!({"enabled": true}));
    assert!(
        c.report.iter().any(
            |u| u.message.contains("IDENTITY_PROVIDER") && u.message.contains("--sso-provider")
        )
    );
    // The existing email field becomes the identifier, made unique, and that is reported.
    assert_eq!(c.result["x-identifier"], json!("email"));
    assert!(
        c.report
            .iter()
            .any(|u| u.pointer == "/schema/properties/email")
    );
    // With providers, sso is enabled and lists them.
    let c = to_nextgen(
        &draft,
        &ToNextgenOptions {
            sso_providers: vec!["google".into()],
            meta_schema: None,
        },
    );
    assert_eq!(
        c.result["x-auth-methods"]["sso"],
        json!({"enabled": true, "providers": ["google"]})
    );
    valid_nextgen(&c.result);
}

#[test]
fn authentication_keys_and_refused_names_are_reported() {
    let draft = UserSchemaDraft::new(
        "machine",
        json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "a.b": {"type": "string"}}}),
        [AuthenticatorType::AuthenticationKey],
    );
    let c = to_nextgen(&draft, &ToNextgenOptions::default());
    valid_nextgen(&c.result);
    assert!(
        c.report
            .iter()
            .any(|u| u.message.contains("AUTHENTICATION_KEY"))
    );
    assert_eq!(c.result["required"], json!(["user_id"]));
    assert!(c.result["properties"].get("a_b").is_some());
    assert_eq!(
        c.report
            .iter()
            .filter(|u| u.message.contains("refuses the property name"))
            .count(),
        2
    );
}

#[test]
fn nextgen_documents_convert_to_valid_v3alpha() {
    for doc in [password_passkey(), sso_only(), otp_nested()] {
        let c = to_v3alpha(&doc, "fallback");
        valid_v3alpha(&c.result);
        let back = to_nextgen(&c.result, &ToNextgenOptions::default());
        valid_nextgen(&back.result);
    }
    let c = to_v3alpha(&password_passkey(), "x");
    let auths = &c.result.possible_authenticators;
    assert!(auths.contains(&AuthenticatorType::Username));
    assert!(auths.contains(&AuthenticatorType::Password));
    assert!(auths.contains(&AuthenticatorType::Webauthn));
    let perm = |p: &str| c.result.schema["properties"][p]["urn:zitadel:schema:permission"].clone();
    assert_eq!(perm("costCenter"), json!({"owner": "rw", "self": "r"}));
    assert_eq!(perm("email"), json!({"owner": "rw", "self": "rw"}));
    assert_eq!(
        c.result.schema["properties"]["name"]["properties"]["given"]["urn:zitadel:schema:permission"],
        json!({"owner": "rw", "self": "rw"})
    );
    // Field by field: the sensitive field, the unique one, the display order, the claims.
    for p in [
        "/properties/costCenter/x-sensitive",
        "/properties/email/x-unique",
        "/properties/email/x-claim",
        "/x-display",
    ] {
        assert!(
            c.report.iter().any(|u| u.pointer == p),
            "{p}: {:#?}",
            c.report
        );
    }
    let c = to_v3alpha(&sso_only(), "x");
    assert!(
        c.report
            .iter()
            .any(|u| u.message.contains("google, okta-partners"))
    );
    let c = to_v3alpha(&otp_nested(), "x");
    assert!(
        c.report
            .iter()
            .any(|u| u.pointer == "/x-auth-methods/magic_link")
    );
    assert!(
        c.result
            .possible_authenticators
            .contains(&AuthenticatorType::Totp)
    );
}
