//! Revision compatibility report (issue 9): one case per rule, each asserting the class and
//! the pointer, plus the `schemadesk compat` exit codes on a temporary store.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use schemadesk::schema::compat::{
    Change, ChangeKind, Class, SampleInput, check_samples, compare, compare_schemas,
};
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::Store;
use serde_json::{Value, json};

/// The only change between two schemas.
fn only(old: Value, new: Value) -> Change {
    let report = compare_schemas(&old, &new);
    assert_eq!(
        report.changes.len(),
        1,
        "expected exactly one change, got {:#?}",
        report.changes
    );
    report.changes[0].clone()
}

fn assert_change(c: &Change, class: Class, kind: ChangeKind, pointer: &str) {
    assert_eq!(
        (c.class, c.kind, c.pointer.as_str()),
        (class, kind, pointer),
        "{c:#?}"
    );
    assert!(!c.message.is_empty());
}

fn obj(props: Value) -> Value {
    json!({"type": "object", "properties": props})
}

// ---- breaking ----

#[test]
fn field_became_required() {
    let c = only(
        obj(json!({"email": {"type": "string"}})),
        json!({"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::BecameRequired,
        "/properties/email",
    );
    assert!(c.message.contains("\"email\" became required"));
}

#[test]
fn new_required_field() {
    let c = only(
        obj(json!({})),
        json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::FieldAddedRequired,
        "/properties/id",
    );
}

#[test]
fn type_narrowed() {
    let c = only(
        obj(json!({"age": {"type": "number"}})),
        obj(json!({"age": {"type": "integer"}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::TypeNarrowed,
        "/properties/age/type",
    );
    let c = only(
        obj(json!({"x": {"type": ["string", "null"]}})),
        obj(json!({"x": {"type": "string"}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::TypeNarrowed,
        "/properties/x/type",
    );
    let c = only(obj(json!({"x": {}})), obj(json!({"x": {"type": "string"}})));
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::TypeNarrowed,
        "/properties/x/type",
    );
}

#[test]
fn field_removed_while_closed() {
    let c = only(
        json!({"type": "object", "additionalProperties": false,
               "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
        json!({"type": "object", "additionalProperties": false,
               "properties": {"a": {"type": "string"}}}),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::FieldRemovedClosed,
        "/properties/b",
    );
}

#[test]
fn additional_properties_closed() {
    let c = only(
        obj(json!({"a": {}})),
        json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false}),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::ClosedToOtherProperties,
        "/additionalProperties",
    );
}

#[test]
fn limits_tightened_one_per_keyword() {
    for (key, before, after) in [
        ("minimum", 0, 1),
        ("exclusiveMinimum", 0, 1),
        ("maximum", 10, 9),
        ("exclusiveMaximum", 10, 9),
        ("minLength", 1, 2),
        ("maxLength", 50, 10),
        ("minItems", 0, 1),
        ("maxItems", 5, 4),
        ("minProperties", 0, 1),
        ("maxProperties", 5, 4),
    ] {
        let c = only(
            obj(json!({"f": {key: before}})),
            obj(json!({"f": {key: after}})),
        );
        assert_change(
            &c,
            Class::Breaking,
            ChangeKind::LimitTightened,
            &format!("/properties/f/{key}"),
        );
    }
}

#[test]
fn limit_added() {
    let c = only(
        obj(json!({"name": {"type": "string"}})),
        obj(json!({"name": {"type": "string", "maxLength": 20}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::LimitAdded,
        "/properties/name/maxLength",
    );
}

#[test]
fn pattern_added() {
    let c = only(
        obj(json!({"code": {"type": "string"}})),
        obj(json!({"code": {"type": "string", "pattern": "^[A-Z]+$"}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::PatternAdded,
        "/properties/code/pattern",
    );
}

#[test]
fn enum_values_removed() {
    let c = only(
        obj(json!({"tier": {"enum": ["gold", "silver", "bronze"]}})),
        obj(json!({"tier": {"enum": ["gold", "silver"]}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::EnumValuesRemoved,
        "/properties/tier/enum",
    );
    assert!(c.message.contains("\"bronze\""));
}

#[test]
fn enum_added() {
    let c = only(
        obj(json!({"tier": {"type": "string"}})),
        obj(json!({"tier": {"type": "string", "enum": ["gold"]}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::EnumAdded,
        "/properties/tier/enum",
    );
}

#[test]
fn format_added_and_changed() {
    let c = only(
        obj(json!({"mail": {"type": "string"}})),
        obj(json!({"mail": {"type": "string", "format": "email"}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::FormatAdded,
        "/properties/mail/format",
    );
    let c = only(
        obj(json!({"d": {"type": "string", "format": "date-time"}})),
        obj(json!({"d": {"type": "string", "format": "date"}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::FormatChanged,
        "/properties/d/format",
    );
}

#[test]
fn const_added_and_changed() {
    let c = only(obj(json!({"v": {}})), obj(json!({"v": {"const": 2}})));
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::ConstAdded,
        "/properties/v/const",
    );
    let c = only(
        obj(json!({"v": {"const": 1}})),
        obj(json!({"v": {"const": 2}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::ConstChanged,
        "/properties/v/const",
    );
}

#[test]
fn unique_items_added() {
    let c = only(
        obj(json!({"tags": {"type": "array"}})),
        obj(json!({"tags": {"type": "array", "uniqueItems": true}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::UniqueItemsAdded,
        "/properties/tags/uniqueItems",
    );
}

#[test]
fn permission_taken_from_the_user() {
    let p = "urn:zitadel:schema:permission";
    let c = only(
        obj(json!({"phone": {"type": "string", p: {"owner": "rw", "self": "rw"}}})),
        obj(json!({"phone": {"type": "string", p: {"owner": "rw", "self": "r"}}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::PermissionTaken,
        "/properties/phone/urn:zitadel:schema:permission",
    );
    assert!(c.message.contains("the user can no longer change it"));
}

#[test]
fn permission_taken_from_the_owner() {
    let p = "urn:zitadel:schema:permission";
    // No keyword means unrestricted: adding one that leaves out write takes something away.
    let c = only(
        obj(json!({"id": {"type": "string"}})),
        obj(json!({"id": {"type": "string", p: {"owner": "r", "self": "rw"}}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::PermissionTaken,
        "/properties/id/urn:zitadel:schema:permission",
    );
    assert!(
        c.message
            .contains("the owner (administrators) can no longer change it")
    );
}

#[test]
fn items_tightened_inside_arrays() {
    let c = only(
        obj(json!({"tags": {"type": "array", "items": {"type": "string"}}})),
        obj(json!({"tags": {"type": "array", "items": {"type": "string", "maxLength": 8}}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::LimitAdded,
        "/properties/tags/items/maxLength",
    );
}

#[test]
fn nested_objects_are_compared() {
    let c = only(
        obj(json!({"address": {"type": "object", "properties": {"zip": {"type": "string"}}}})),
        obj(
            json!({"address": {"type": "object", "properties": {"zip": {"type": "string"}}, "required": ["zip"]}}),
        ),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::BecameRequired,
        "/properties/address/properties/zip",
    );
    assert!(c.message.contains("\"address.zip\""));
}

// ---- compatible ----

#[test]
fn new_optional_field() {
    let c = only(obj(json!({})), obj(json!({"nick": {"type": "string"}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::FieldAdded,
        "/properties/nick",
    );
}

#[test]
fn field_removed_while_open() {
    let c = only(obj(json!({"a": {}, "b": {}})), obj(json!({"a": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::FieldRemoved,
        "/properties/b",
    );
}

#[test]
fn no_longer_required() {
    let c = only(
        json!({"type": "object", "properties": {"a": {}}, "required": ["a"]}),
        obj(json!({"a": {}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::NoLongerRequired,
        "/properties/a",
    );
}

#[test]
fn type_widened() {
    let c = only(
        obj(json!({"n": {"type": "integer"}})),
        obj(json!({"n": {"type": "number"}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::TypeWidened,
        "/properties/n/type",
    );
}

#[test]
fn limits_widened_one_per_keyword() {
    for (key, before, after) in [
        ("minimum", 1, 0),
        ("maximum", 9, 10),
        ("minLength", 2, 1),
        ("maxLength", 10, 50),
        ("minItems", 1, 0),
        ("maxItems", 4, 5),
    ] {
        let c = only(
            obj(json!({"f": {key: before}})),
            obj(json!({"f": {key: after}})),
        );
        assert_change(
            &c,
            Class::Compatible,
            ChangeKind::LimitWidened,
            &format!("/properties/f/{key}"),
        );
    }
}

#[test]
fn limit_removed() {
    let c = only(obj(json!({"f": {"maxLength": 3}})), obj(json!({"f": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::LimitRemoved,
        "/properties/f/maxLength",
    );
}

#[test]
fn new_enum_value() {
    let c = only(
        obj(json!({"tier": {"enum": ["gold"]}})),
        obj(json!({"tier": {"enum": ["gold", "silver"]}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::EnumValuesAdded,
        "/properties/tier/enum",
    );
}

#[test]
fn enum_dropped_pattern_removed_format_removed_const_removed() {
    let c = only(obj(json!({"t": {"enum": ["a"]}})), obj(json!({"t": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::EnumRemoved,
        "/properties/t/enum",
    );
    let c = only(obj(json!({"t": {"pattern": "^a"}})), obj(json!({"t": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::PatternRemoved,
        "/properties/t/pattern",
    );
    let c = only(obj(json!({"t": {"format": "uri"}})), obj(json!({"t": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::FormatRemoved,
        "/properties/t/format",
    );
    let c = only(obj(json!({"t": {"const": 1}})), obj(json!({"t": {}})));
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::ConstRemoved,
        "/properties/t/const",
    );
}

#[test]
fn text_only_changes() {
    for key in ["title", "description", "examples", "default"] {
        let c = only(
            obj(json!({"f": {"type": "string", key: "old"}})),
            obj(json!({"f": {"type": "string", key: "new"}})),
        );
        assert_change(
            &c,
            Class::Compatible,
            ChangeKind::TextChanged,
            &format!("/properties/f/{key}"),
        );
    }
}

#[test]
fn permission_given() {
    let p = "urn:zitadel:schema:permission";
    let c = only(
        obj(json!({"f": {p: {"owner": "rw"}}})),
        obj(json!({"f": {p: {"owner": "rw", "self": "r"}}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::PermissionGiven,
        "/properties/f/urn:zitadel:schema:permission",
    );
}

#[test]
fn additional_properties_opened() {
    let c = only(
        json!({"type": "object", "additionalProperties": false}),
        json!({"type": "object"}),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::OpenedToOtherProperties,
        "/additionalProperties",
    );
}

#[test]
fn unknown_annotation_keyword() {
    let c = only(
        obj(json!({"f": {"x-ui": 1}})),
        obj(json!({"f": {"x-ui": 2}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::AnnotationChanged,
        "/properties/f/x-ui",
    );
}

// ---- cannot tell ----

#[test]
fn pattern_changed() {
    let c = only(
        obj(json!({"code": {"type": "string", "pattern": "^[A-Z]+$"}})),
        obj(json!({"code": {"type": "string", "pattern": "^[A-Z0-9]+$"}})),
    );
    assert_change(
        &c,
        Class::CannotTell,
        ChangeKind::PatternChanged,
        "/properties/code/pattern",
    );
}

#[test]
fn ref_changed() {
    let c = only(
        json!({"$defs": {"a": {"type": "string"}, "b": {"type": "string"}},
               "properties": {"f": {"$ref": "#/$defs/a"}}}),
        json!({"$defs": {"a": {"type": "string"}, "b": {"type": "string"}},
               "properties": {"f": {"$ref": "#/$defs/b"}}}),
    );
    assert_change(
        &c,
        Class::CannotTell,
        ChangeKind::RefChanged,
        "/properties/f/$ref",
    );
}

#[test]
fn combinators_changed() {
    for key in ["oneOf", "anyOf", "allOf"] {
        let c = only(
            obj(json!({"f": {key: [{"type": "string"}]}})),
            obj(json!({"f": {key: [{"type": "string"}, {"type": "integer"}]}})),
        );
        assert_change(
            &c,
            Class::CannotTell,
            ChangeKind::CombinatorChanged,
            &format!("/properties/f/{key}"),
        );
    }
    for key in ["not", "if"] {
        let c = only(
            obj(json!({"f": {key: {"type": "string"}}})),
            obj(json!({"f": {key: {"type": "integer"}}})),
        );
        assert_change(
            &c,
            Class::CannotTell,
            ChangeKind::CombinatorChanged,
            &format!("/properties/f/{key}"),
        );
    }
}

#[test]
fn other_validation_keyword_changed() {
    let c = only(
        json!({"dependentRequired": {"a": ["b"]}}),
        json!({"dependentRequired": {"a": ["c"]}}),
    );
    assert_change(
        &c,
        Class::CannotTell,
        ChangeKind::KeywordChanged,
        "/dependentRequired",
    );
}

// ---- authenticators ----

#[test]
fn authenticators_removed_and_added() {
    let old = UserSchemaDraft::new(
        "t",
        json!({}),
        [AuthenticatorType::Password, AuthenticatorType::Totp],
    );
    let new = UserSchemaDraft::new(
        "t",
        json!({}),
        [AuthenticatorType::Password, AuthenticatorType::Webauthn],
    );
    let report = compare(&old, &new);
    let kinds: Vec<_> = report
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                Class::Compatible,
                ChangeKind::AuthenticatorRemoved,
                "/possibleAuthenticators"
            ),
            (
                Class::Compatible,
                ChangeKind::AuthenticatorAdded,
                "/possibleAuthenticators"
            ),
        ]
    );
    assert!(
        report.changes[0]
            .message
            .contains("AUTHENTICATOR_TYPE_TOTP")
    );
    assert!(report.changes[0].message.contains("keep"));
    assert_eq!(report.worst(), Class::Compatible);
}

#[test]
fn report_worst_and_counts() {
    let report = compare_schemas(
        &obj(json!({"a": {"pattern": "^a"}, "b": {}})),
        &json!({"type": "object", "properties": {"a": {"pattern": "^b"}, "b": {}, "c": {}}, "required": ["b"]}),
    );
    assert_eq!(report.worst(), Class::Breaking);
    assert_eq!(report.count(Class::Breaking), 1);
    assert_eq!(report.count(Class::CannotTell), 1);
    assert_eq!(report.count(Class::Compatible), 1);
    assert_eq!(report.at("/properties/b").count(), 1);
}

// ---- samples ----

#[test]
fn samples_checked_against_the_new_revision() {
    let old = obj(json!({"name": {"type": "string"}}));
    let new = obj(json!({"name": {"type": "string", "maxLength": 3}}));
    let samples = [
        SampleInput {
            name: "short".into(),
            source: "store".into(),
            data: r#"{"name": "Al"}"#.into(),
        },
        SampleInput {
            name: "long".into(),
            source: "store".into(),
            data: r#"{"name": "Alexandra"}"#.into(),
        },
        SampleInput {
            name: "broken".into(),
            source: "file".into(),
            data: r#"{"name": 5}"#.into(),
        },
    ];
    let out = check_samples(&old, &new, &samples);
    assert!(out[0].passes());
    assert!(!out[1].passes());
    assert!(!out[1].failed_before);
    assert_eq!(out[1].diagnostics[0].pointer, "/name");
    assert!(!out[2].passes());
    assert!(out[2].failed_before);
    assert!(out[1].newly_fails() && !out[2].newly_fails() && !out[0].newly_fails());
}

// ---- the command line ----

fn schemadesk(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("SCHEMADESK_DB")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A store with revisions of "emp": 1 base, 2 compatible, 3 cannot tell, 4 breaking.
fn fixture(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("store.db");
    let mut store = Store::open(&db).expect("store opens");
    let base = json!({"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 20},
        "code": {"type": "string", "pattern": "^[a-z]+$"}}});
    let mut compatible = base.clone();
    compatible["properties"]["nick"] = json!({"type": "string"});
    let mut cannot_tell = compatible.clone();
    cannot_tell["properties"]["code"]["pattern"] = json!("^[a-z0-9]+$");
    let mut breaking = cannot_tell.clone();
    breaking["properties"]["name"]["maxLength"] = json!(5);
    let auths = BTreeSet::from([AuthenticatorType::Password]);
    for (i, schema) in [base, compatible, cannot_tell, breaking]
        .into_iter()
        .enumerate()
    {
        let draft = UserSchemaDraft {
            type_name: "emp".into(),
            schema,
            possible_authenticators: auths.clone(),
        };
        store
            .save_by_type(&draft, &format!("rev {}", i + 1))
            .expect("saved");
    }
    db
}

#[test]
fn cli_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let (code, out, _) = schemadesk(&db, &["compat", "emp", "1", "2"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("/properties/nick"));

    let (code, out, err) = schemadesk(&db, &["compat", "emp", "2", "3"]);
    assert_eq!(code, 0, "cannot tell alone exits 0: {out}");
    assert!(err.contains("warning"), "{err}");
    assert!(out.contains("/properties/code/pattern"));

    let (code, out, _) = schemadesk(&db, &["compat", "emp", "3", "4"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BREAKING") && out.contains("/properties/name/maxLength"));

    // Usage errors: unknown type, unknown revision, missing argument, unreadable sample.
    assert_eq!(schemadesk(&db, &["compat", "nope", "1", "2"]).0, 2);
    assert_eq!(schemadesk(&db, &["compat", "emp", "1", "9"]).0, 2);
    assert_eq!(schemadesk(&db, &["compat", "emp", "1"]).0, 2);
    let missing = dir.path().join("missing.json");
    let missing = missing.to_string_lossy();
    assert_eq!(
        schemadesk(&db, &["compat", "emp", "1", "2", "--samples", &missing]).0,
        2
    );
}

#[test]
fn cli_samples_from_files_and_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"name": "Bo"}"#).expect("write");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"name": "Bo", "code": "ABC"}"#).expect("write");

    // A compatible change, but a sample that fails: exit 1.
    let (code, out, _) = schemadesk(
        &db,
        &[
            "compat",
            "emp",
            "1",
            "2",
            "--samples",
            &good.to_string_lossy(),
            &bad.to_string_lossy(),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL") && out.contains("bad.json"), "{out}");
    assert!(
        !out.contains("FAIL") || !out.contains("good.json (file)"),
        "{out}"
    );

    // Samples saved in the store are checked too.
    {
        let mut store = Store::open(&db).expect("store");
        let id = store.by_type("emp").expect("emp").id;
        store
            .save_sample(id, "long name", r#"{"name": "Alexandra"}"#)
            .expect("sample saved");
    }
    let (code, out, _) = schemadesk(&db, &["compat", "emp", "3", "4", "--format", "json"]);
    assert_eq!(code, 1);
    let body: Value = serde_json::from_str(&out).expect("json output");
    assert_eq!(body["verdict"], "breaking");
    assert_eq!(body["exitCode"], 1);
    assert_eq!(body["failingSamples"], 1);
    assert_eq!(body["samples"][0]["name"], "long name");
    assert_eq!(body["samples"][0]["source"], "store");
    assert_eq!(body["samples"][0]["passes"], false);
    assert_eq!(body["changes"][0]["class"], "breaking");
    assert_eq!(body["changes"][0]["pointer"], "/properties/name/maxLength");

    // The same sample passes under revision 3: exit 0 for 1 -> 2 with the store sample.
    let (code, _, _) = schemadesk(&db, &["compat", "emp", "1", "2"]);
    assert_eq!(code, 0);
}

#[test]
fn cli_help_explains_cannot_tell() {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadesk"))
        .args(["compat", "--help"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cannot be told still exit 0"), "{text}");
    assert!(text.contains("warning"), "{text}");
}

#[test]
fn cli_json_cannot_tell_alone_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let (code, out, err) = schemadesk(&db, &["compat", "emp", "2", "3", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let body: Value = serde_json::from_str(&out).expect("json output");
    assert_eq!(body["verdict"], "cannot-tell");
    assert_eq!(body["cannotTell"], 1);
    assert_eq!(body["changes"][0]["kind"], "pattern-changed");
    assert_eq!(body["changes"][0]["pointer"], "/properties/code/pattern");
    assert!(err.contains("warning"), "{err}");
}

#[test]
fn cli_saved_sample_that_is_not_json_fails_with_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    {
        let mut store = Store::open(&db).expect("store");
        let id = store.by_type("emp").expect("emp").id;
        store
            .save_sample(id, "half typed", "{\"name\": ")
            .expect("sample saved");
    }
    let (code, out, _) = schemadesk(&db, &["compat", "emp", "1", "2"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL half typed (store)"), "{out}");
    assert!(out.contains("invalid JSON"), "{out}");
}

#[test]
fn root_permission_and_nested_pointers_are_escaped() {
    let p = "urn:zitadel:schema:permission";
    // r -> w at the root: reading is taken away (breaking), writing given (compatible).
    let report = compare_schemas(&json!({p: {"owner": "r"}}), &json!({p: {"owner": "w"}}));
    let kinds: Vec<_> = report
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                Class::Breaking,
                ChangeKind::PermissionTaken,
                "/urn:zitadel:schema:permission"
            ),
            (
                Class::Compatible,
                ChangeKind::PermissionGiven,
                "/urn:zitadel:schema:permission"
            ),
        ]
    );
    let c = only(
        obj(json!({"a/b": {"type": "string"}})),
        obj(json!({"a/b": {"type": "string", "minLength": 1}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::LimitAdded,
        "/properties/a~1b/minLength",
    );
}
