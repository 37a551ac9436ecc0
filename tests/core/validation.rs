use std::collections::BTreeSet;

use schemadesk::schema::validate::{SampleChecker, validate_instance};
use schemadesk::schema::{AuthenticatorType, Rule, Source, validate};

use super::examples_dir;

fn file(text: &str) -> Vec<(String, usize, usize, Rule)> {
    validate(Source::File(text))
        .diagnostics
        .into_iter()
        .map(|d| (d.pointer, d.line, d.column, d.rule))
        .collect()
}

#[test]
fn every_example_gets_the_verdict_its_name_gives() {
    let mut seen = 0;
    for entry in std::fs::read_dir(examples_dir()).expect("examples folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let v = validate(Source::File(&text));
        if name.starts_with("valid-") {
            assert!(v.is_valid(), "{name}: {:?}", v.diagnostics);
        } else if name.starts_with("invalid-") {
            assert!(!v.is_valid(), "{name} should be refused");
        } else {
            continue;
        }
        seen += 1;
    }
    assert!(seen >= 4, "only {seen} examples found");
}

#[test]
fn syntax_errors_name_line_and_column() {
    let d = file("{\n  \"type\": \"object\",\n  \"properties\": {,}\n}");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].3, Rule::Syntax);
    assert_eq!((d[0].1, d[0].2), (3, 18));
}

#[test]
fn schema_must_be_an_object() {
    for text in ["[]", "true", "\"x\"", "3"] {
        let d = file(text);
        assert_eq!(d.len(), 1, "{text}");
        assert_eq!(d[0].3, Rule::NotObject, "{text}");
    }
    let d = file(r#"{"type": "t", "schema": [1]}"#);
    assert_eq!(d[0].0, "/schema");
    assert_eq!(d[0].3, Rule::NotObject);
}

#[test]
fn meta_schema_errors_point_at_the_offending_value() {
    let text = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"age\": {\"type\": \"integer\", \"minimum\": \"ten\"}\n  }\n}";
    let d = file(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "/properties/age/minimum");
    assert_eq!((d[0].1, d[0].2), (4, 43));
    assert_eq!(d[0].3, Rule::MetaSchema);
}

#[test]
fn required_boolean_gets_a_hint() {
    let v = validate(Source::File(
        r#"{"type":"object","properties":{"n":{"type":"string","required":true}}}"#,
    ));
    assert_eq!(v.diagnostics.len(), 1);
    assert!(v.diagnostics[0].message.contains("array of property names"));
}

#[test]
fn every_permission_misuse_is_reported_at_once() {
    let text = r#"{
  "type": "object",
  "properties": {
    "a": {"type": "string", "urn:zitadel:schema:permission": "read"},
    "b": {"type": "string", "urn:zitadel:schema:permission": true},
    "c": {"type": "string", "urn:zitadel:schema:permission": {"admin": "r"}},
    "d": {"type": "string", "urn:zitadel:schema:permission": {"owner": "rx"}},
    "e": {"type": "string", "urn:zitadel:schema:permission": {"self": 1}},
    "f": {"type": "object", "properties": {"g": {"urn:zitadel:schema:permission": {"self": "x"}}}},
    "ok": {"type": "string", "urn:zitadel:schema:permission": {"owner": "rw", "self": ""}}
  }
}"#;
    let d = file(text);
    let pointers: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/properties/a/urn:zitadel:schema:permission",
            "/properties/b/urn:zitadel:schema:permission",
            "/properties/c/urn:zitadel:schema:permission/admin",
            "/properties/d/urn:zitadel:schema:permission/owner",
            "/properties/e/urn:zitadel:schema:permission/self",
            "/properties/f/properties/g/urn:zitadel:schema:permission/self",
        ]
    );
    assert!(d.iter().all(|x| x.3 == Rule::Permission));
    assert_eq!(d[0].1, 4);
    assert_eq!(d[5].1, 9);
}

#[test]
fn root_permission_allows_exactly_one_letter() {
    assert!(file(r#"{"urn:zitadel:schema:permission": {"owner": "r", "self": "w"}}"#).is_empty());
    let d = file(r#"{"urn:zitadel:schema:permission": {"owner": "rw"}}"#);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, "/urn:zitadel:schema:permission/owner");
}

#[test]
fn permission_inside_combinators_and_defs_is_checked() {
    let d = file(
        r#"{"$defs": {"x": {"urn:zitadel:schema:permission": "r"}}, "allOf": [{"properties": {"y": {"urn:zitadel:schema:permission": {"self": "q"}}}}]}"#,
    );
    let pointers: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
    assert!(pointers.contains(&"/$defs/x/urn:zitadel:schema:permission"));
    assert!(pointers.contains(&"/allOf/0/properties/y/urn:zitadel:schema:permission/self"));
}

#[test]
fn zitadel_meta_schema_id_validates_offline() {
    assert!(file(r#"{"$schema": "urn:zitadel:schema:v1", "type": "object"}"#).is_empty());
}

#[test]
fn remote_refs_are_never_fetched() {
    let d = file(r#"{"properties": {"a": {"$ref": "https://example.invalid/s.json"}}}"#);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, "/properties/a/$ref");
    assert_eq!(d[0].3, Rule::Compile);
}

#[test]
fn bad_regex_is_reported() {
    let d = file(r#"{"properties": {"a": {"type": "string", "pattern": "(open"}}}"#);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, "/properties/a/pattern");
}

#[test]
fn type_length_is_checked() {
    let set = BTreeSet::new();
    for (name, ok) in [
        ("", false),
        ("a", true),
        (&"x".repeat(200)[..], true),
        (&"x".repeat(201)[..], false),
        (&"é".repeat(200)[..], true),
    ] {
        let v = validate(Source::Parts {
            type_name: name,
            schema_text: "{}",
            authenticators: &set,
        });
        assert_eq!(v.is_valid(), ok, "type of {} chars", name.chars().count());
        if !ok {
            assert_eq!(v.diagnostics[0].pointer, "/type");
            assert_eq!(v.diagnostics[0].rule, Rule::Type);
        }
    }
    let d = file(r#"{"type": "", "schema": {}}"#);
    assert_eq!((d[0].0.as_str(), d[0].3), ("/type", Rule::Type));
}

#[test]
fn unknown_unspecified_and_duplicate_authenticators_are_refused() {
    let text = r#"{
  "type": "employee",
  "schema": {},
  "possibleAuthenticators": [
    "AUTHENTICATOR_TYPE_PASSWORD",
    "AUTHENTICATOR_TYPE_UNSPECIFIED",
    "AUTHENTICATOR_TYPE_FINGERPRINT",
    "AUTHENTICATOR_TYPE_PASSWORD",
    7
  ]
}"#;
    let d = file(text);
    let got: Vec<(&str, usize)> = d.iter().map(|x| (x.0.as_str(), x.1)).collect();
    assert_eq!(
        got,
        [
            ("/possibleAuthenticators/1", 6),
            ("/possibleAuthenticators/2", 7),
            ("/possibleAuthenticators/3", 8)
        ]
    );
    assert!(d.iter().all(|x| x.3 == Rule::Authenticator));
    let v = validate(Source::File(text));
    assert!(
        v.diagnostics[0]
            .message
            .contains("UNSPECIFIED is never valid")
    );
}

#[test]
fn a_valid_request_body_yields_a_draft() {
    let text = r#"{"type": "customer", "schema": {"type": "object"},
                   "possibleAuthenticators": ["AUTHENTICATOR_TYPE_PUBLIC_KEY", "AUTHENTICATOR_TYPE_TOTP"]}"#;
    let draft = validate(Source::File(text))
        .into_draft(None)
        .expect("valid");
    assert_eq!(draft.type_name, "customer");
    assert_eq!(
        draft
            .possible_authenticators
            .into_iter()
            .collect::<Vec<_>>(),
        [
            AuthenticatorType::Totp,
            AuthenticatorType::AuthenticationKey
        ]
    );
}

#[test]
fn problems_of_all_kinds_come_together() {
    let set = BTreeSet::new();
    let v = validate(Source::Parts {
        type_name: "",
        schema_text: r#"{"properties": {"a": {"type": 5, "urn:zitadel:schema:permission": "rw"}}}"#,
        authenticators: &set,
    });
    let rules: BTreeSet<_> = v
        .diagnostics
        .iter()
        .map(|d| format!("{:?}", d.rule))
        .collect();
    assert_eq!(
        rules,
        ["MetaSchema", "Permission", "Type"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn sample_users_are_validated_with_positions() {
    let schema = serde_json::json!({
        "type": "object",
        "required": ["email"],
        "properties": {
            "email": {"type": "string", "format": "email"},
            "age": {"type": "integer", "minimum": 0}
        }
    });
    assert!(validate_instance(&schema, r#"{"email": "a@example.com", "age": 3}"#).is_empty());
    let d = validate_instance(&schema, "{\n  \"email\": \"nope\",\n  \"age\": -1\n}");
    let got: Vec<(&str, usize)> = d.iter().map(|x| (x.pointer.as_str(), x.line)).collect();
    assert_eq!(got, [("/email", 2), ("/age", 3)]);
    let checker = SampleChecker::new(&schema);
    let missing = checker.check("{}");
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("email"));
    let broken = checker.check("{\"email\": ");
    assert_eq!(broken[0].rule, Rule::Syntax);
}

#[test]
fn errors_deep_in_a_large_schema_get_exact_positions() {
    use schemadesk::schema::position::PositionIndex;
    let mut props = serde_json::Map::new();
    for i in 0..3000 {
        props.insert(
            format!("f{i}"),
            serde_json::json!({"type": "string", "maxLength": if i == 2500 { serde_json::json!("x") } else { serde_json::json!(10) }}),
        );
    }
    let text =
        schemadesk::schema::pretty(&serde_json::json!({"type": "object", "properties": props}));
    let v = validate(Source::File(&text));
    assert_eq!(v.diagnostics.len(), 1);
    let d = &v.diagnostics[0];
    assert_eq!(d.pointer, "/properties/f2500/maxLength");
    let expected = PositionIndex::build(&text).locate(&d.pointer);
    assert_eq!((d.line, d.column), (expected.line, expected.column));
    assert!(
        text.lines()
            .nth(d.line - 1)
            .unwrap()
            .contains("\"maxLength\": \"x\"")
    );
}

/// The validator thread checks an opened schema with the value the store thread parsed
/// (issue 14, memory: the text is parsed once): the same diagnostics as from the text.
#[test]
fn a_schema_parsed_once_gets_the_diagnostics_of_its_text() {
    let mut texts: Vec<String> = vec![
        r#"{"type": "object", "properties": {"a": {"type": "strin"}}}"#.into(),
        r#"{"type": "object", "required": true}"#.into(),
        r#"{"properties": {"a": {"urn:zitadel:schema:permission": {"owner": "x", "self": 1}}}}"#
            .into(),
        r#"{"properties": {"a": {"type": "string", "pattern": "(["}}}"#.into(),
        r##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##.into(),
        r#"{"properties": {"a": {"$ref": "https://example.com/remote.json"}}}"#.into(),
        "[1, 2]".into(),
        "{}".into(),
    ];
    for entry in std::fs::read_dir(examples_dir()).expect("examples folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            texts.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    let none = BTreeSet::new();
    let mut compared = 0;
    for text in &texts {
        let Ok(value) = schemadesk::schema::numbers::from_str(text) else {
            continue;
        };
        for type_name in ["person", "", "has space"] {
            let from_text = validate(Source::Parts {
                type_name,
                schema_text: text,
                authenticators: &none,
            })
            .diagnostics;
            let parsed =
                schemadesk::schema::validate::validate_parsed_parts(type_name, text, &value);
            assert_eq!(parsed, from_text, "{type_name:?} {text}");
            compared += 1;
        }
    }
    assert!(compared >= 24, "only {compared} compared");
}
