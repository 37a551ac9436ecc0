//! Documents of each shape validate; each rule, broken once, is reported at its pointer
//! and line:column.

use serde_json::{Value, json};

use schemadesk::nextgen::validate::{MetaSet, validate_document};
use schemadesk::schema::Rule;

use super::{otp_nested, password_passkey, sso_only, text};

fn problems(doc: &Value) -> Vec<(String, Rule, String)> {
    validate_document(&text(doc), &MetaSet::bundled())
        .diagnostics
        .into_iter()
        .map(|d| (d.pointer, d.rule, d.message))
        .collect()
}

#[test]
fn every_shape_is_valid() {
    for doc in [password_passkey(), sso_only(), otp_nested()] {
        let v = validate_document(&text(&doc), &MetaSet::bundled());
        assert!(v.is_valid(), "{doc}: {:?}", v.diagnostics);
        assert!(v.meta.contains("v0.8.0"), "{}", v.meta);
    }
}

/// Breaks `doc` with `f` and expects exactly one problem at `pointer`, of `rule`, whose
/// message contains `says`.
fn broken(mut doc: Value, f: impl FnOnce(&mut Value), pointer: &str, rule: Rule, says: &str) {
    f(&mut doc);
    let p = problems(&doc);
    assert!(
        p.iter()
            .any(|(ptr, r, m)| ptr == pointer && *r == rule && m.contains(says)),
        "expected {rule:?} at {pointer} saying {says:?}, got {p:#?}"
    );
}

#[test]
fn identifier_must_name_an_existing_property() {
    broken(
        password_passkey(),
        |d| d["x-identifier"] = json!("mail"),
        "/x-identifier",
        Rule::Dialect,
        "no property",
    );
}

#[test]
fn identifier_must_name_a_leaf() {
    broken(
        password_passkey(),
        |d| d["x-identifier"] = json!("name"),
        "/x-identifier",
        Rule::Dialect,
        "leaf",
    );
}

#[test]
fn identifier_must_be_unique_in_the_project() {
    broken(
        password_passkey(),
        |d| d["properties"]["email"]["x-unique"] = json!("team"),
        "/x-identifier",
        Rule::Dialect,
        "x-unique\": \"project\"",
    );
}

#[test]
fn password_needs_an_identifier() {
    broken(
        password_passkey(),
        |d| {
            d.as_object_mut().unwrap().shift_remove("x-identifier");
        },
        "",
        Rule::Dialect,
        "password is enabled",
    );
    // Without password, no identifier is fine.
    let mut d = sso_only();
    d.as_object_mut().unwrap().shift_remove("x-identifier");
    assert!(problems(&d).is_empty());
}

#[test]
fn sso_enabled_needs_providers() {
    broken(
        sso_only(),
        |d| d["x-auth-methods"]["sso"] = json!({"enabled": true}),
        "/x-auth-methods/sso",
        Rule::Dialect,
        "needs \"providers\"",
    );
    broken(
        sso_only(),
        |d| d["x-auth-methods"]["sso"]["providers"] = json!([]),
        "/x-auth-methods/sso/providers",
        Rule::Dialect,
        "no providers",
    );
}

#[test]
fn sso_disabled_has_no_providers() {
    broken(
        sso_only(),
        |d| d["x-auth-methods"]["sso"]["enabled"] = json!(false),
        "/x-auth-methods/sso/providers",
        Rule::Dialect,
        "disabled",
    );
}

#[test]
fn property_names_hold_no_dot() {
    broken(
        otp_nested(),
        |d| d["properties"]["account"]["properties"]["e.mail"] = json!({"type": "string"}),
        "/properties/account/properties/e.mail",
        Rule::Dialect,
        "contains a dot",
    );
}

#[test]
fn id_and_metadata_are_refused() {
    for name in ["id", "metadata"] {
        broken(
            sso_only(),
            |d| d["properties"][name] = json!({"type": "string"}),
            &format!("/properties/{name}"),
            Rule::Dialect,
            "refused",
        );
    }
}

#[test]
fn only_the_five_method_keys() {
    broken(
        sso_only(),
        |d| d["x-auth-methods"]["webauthn"] = json!({"enabled": true}),
        "/x-auth-methods/webauthn",
        Rule::Dialect,
        "no authentication method",
    );
}

#[test]
fn the_meta_schema_checks_keywords_at_every_depth() {
    broken(
        otp_nested(),
        |d| d["properties"]["account"]["properties"]["login"]["x-unique"] = json!("world"),
        "/properties/account/properties/login/x-unique",
        Rule::MetaSchema,
        "",
    );
    broken(
        sso_only(),
        |d| d["objectType"] = json!("x".repeat(257)),
        "/objectType",
        Rule::MetaSchema,
        "",
    );
    broken(
        sso_only(),
        |d| {
            d.as_object_mut().unwrap().shift_remove("x-auth-methods");
        },
        "",
        Rule::MetaSchema,
        "x-auth-methods",
    );
    broken(
        sso_only(),
        |d| d["kind"] = json!("user-schemas"),
        "/kind",
        Rule::MetaSchema,
        "",
    );
}

#[test]
fn display_names_existing_properties() {
    broken(
        password_passkey(),
        |d| d["x-display"] = json!(["name.given", "nickname"]),
        "/x-display/1",
        Rule::Dialect,
        "nickname",
    );
}

#[test]
fn problems_carry_line_and_column() {
    let text = "{\n  \"kind\": \"user-schema\",\n  \"metaSchema\": \"m\",\n  \"x-auth-methods\": {\n    \"sso\": {\"enabled\": false, \"providers\": [\"g\"]}\n  }\n}\n";
    let v = validate_document(text, &MetaSet::bundled());
    assert_eq!(v.diagnostics.len(), 1, "{:?}", v.diagnostics);
    let d = &v.diagnostics[0];
    assert_eq!(d.pointer, "/x-auth-methods/sso/providers");
    assert_eq!((d.line, d.column), (5, 31));
    let v = validate_document("{\n  \"kind\": \"user-schema\",,\n}", &MetaSet::bundled());
    assert_eq!(v.diagnostics[0].rule, Rule::Syntax);
    assert_eq!(v.diagnostics[0].line, 2);
}

#[test]
fn a_pinned_meta_schema_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    // A stricter workspace meta-schema: objectType must be lowercase.
    let meta = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://id.example.com/user-schema.json",
        "type": "object",
        "required": ["kind", "metaSchema", "x-auth-methods", "objectType"],
        "properties": {"objectType": {"type": "string", "pattern": "^[a-z]+$"}}
    });
    std::fs::write(dir.path().join("user-schema.json"), text(&meta)).unwrap();
    let metas = MetaSet::from_dir(dir.path()).unwrap();
    assert!(metas.describe().contains("user-schema.json"));
    let mut doc = sso_only();
    doc["objectType"] = json!("Partner");
    let v = validate_document(&text(&doc), &metas);
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.pointer == "/objectType" && d.rule == Rule::MetaSchema),
        "{:?}",
        v.diagnostics
    );
    // The bundled meta-schema accepts it.
    assert!(validate_document(&text(&doc), &MetaSet::bundled()).is_valid());
    // The rules no meta-schema states still apply.
    doc["objectType"] = json!("partner");
    doc["properties"]["id"] = json!({"type": "string"});
    let v = validate_document(&text(&doc), &metas);
    assert_eq!(v.diagnostics.len(), 1, "{:?}", v.diagnostics);
}

#[test]
fn a_broken_meta_folder_is_reported_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("user-schema.json"), "{\n  \"a\": ,\n}").unwrap();
    let e = MetaSet::from_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("user-schema.json:2:"), "{e}");
}

#[test]
fn a_json_schema_error_is_reported_once() {
    let mut doc = sso_only();
    doc["properties"]["company"]["type"] = json!("strin");
    let p = problems(&doc);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].0, "/properties/company/type");
}
