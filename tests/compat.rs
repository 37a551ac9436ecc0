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
    // Where no other property was allowed, nobody can hold a value for it yet.
    let c = only(
        json!({"type": "object", "additionalProperties": false}),
        json!({"type": "object", "additionalProperties": false,
               "properties": {"nick": {"type": "string"}}}),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::FieldAdded,
        "/properties/nick",
    );
    // A field that accepts anything is compatible anywhere.
    let c = only(obj(json!({})), obj(json!({"nick": {"title": "Nick"}})));
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
    // Outside the regex subset both dialects read alike (\d, \w): cannot tell.
    let c = only(
        obj(json!({"code": {"type": "string", "pattern": "^\\d+$"}})),
        obj(json!({"code": {"type": "string", "pattern": "^\\w+$"}})),
    );
    assert_change(
        &c,
        Class::CannotTell,
        ChangeKind::PatternChanged,
        "/properties/code/pattern",
    );
    assert!(c.example.is_none());
    // Inside it, widened: compatible.
    let c = only(
        obj(json!({"code": {"type": "string", "pattern": "^[A-Z]+$"}})),
        obj(json!({"code": {"type": "string", "pattern": "^[A-Z0-9]+$"}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::PatternChanged,
        "/properties/code/pattern",
    );
}

#[test]
fn ref_changed() {
    // Two definitions that say the same: compared by what they resolve to.
    let c = only(
        json!({"$defs": {"a": {"type": "string"}, "b": {"type": "string"}},
               "properties": {"f": {"$ref": "#/$defs/a"}}}),
        json!({"$defs": {"a": {"type": "string"}, "b": {"type": "string"}},
               "properties": {"f": {"$ref": "#/$defs/b"}}}),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::RefChanged,
        "/properties/f/$ref",
    );
    // A reference that is not local cannot be followed (schemas never fetch URLs).
    let c = only(
        json!({"properties": {"f": {"$ref": "https://example.com/a"}}}),
        json!({"properties": {"f": {"$ref": "https://example.com/b"}}}),
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
    // A oneOf branch that no old value can match, an anyOf branch: compatible.
    for key in ["oneOf", "anyOf"] {
        let c = only(
            obj(json!({"f": {key: [{"type": "string"}]}})),
            obj(json!({"f": {key: [{"type": "string"}, {"type": "integer"}]}})),
        );
        assert_change(
            &c,
            Class::Compatible,
            ChangeKind::CombinatorChanged,
            &format!("/properties/f/{key}"),
        );
    }
    // An allOf branch no string meets, a not that now excludes integers: breaking.
    let c = only(
        obj(json!({"f": {"allOf": [{"type": "string"}]}})),
        obj(json!({"f": {"allOf": [{"type": "string"}, {"type": "integer"}]}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::CombinatorChanged,
        "/properties/f/allOf",
    );
    assert_eq!(c.example, Some(json!({"f": ""})));
    let c = only(
        obj(json!({"f": {"not": {"type": "string"}}})),
        obj(json!({"f": {"not": {"type": "integer"}}})),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::CombinatorChanged,
        "/properties/f/not",
    );
    assert_eq!(c.example, Some(json!({"f": 0})));
    // An if without then or else checks nothing.
    let c = only(
        obj(json!({"f": {"if": {"type": "string"}}})),
        obj(json!({"f": {"if": {"type": "integer"}}})),
    );
    assert_change(
        &c,
        Class::Compatible,
        ChangeKind::CombinatorChanged,
        "/properties/f/if",
    );
    // An if that moved, and no user found that it breaks: cannot tell.
    let c = only(
        obj(json!({"f": {"if": {"minLength": 2}, "then": {"maxLength": 4}}})),
        obj(json!({"f": {"if": {"minLength": 3}, "then": {"maxLength": 4}}})),
    );
    assert_eq!(c.class, Class::CannotTell, "{c:#?}");
    assert_eq!(c.pointer, "/properties/f/if");
}

#[test]
fn other_validation_keyword_changed() {
    let c = only(
        json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
        json!({"dependentSchemas": {"a": {"required": ["c"]}}}),
    );
    assert_change(
        &c,
        Class::CannotTell,
        ChangeKind::KeywordChanged,
        "/dependentSchemas",
    );
    // dependentRequired is decided: "a" now needs "c" as well.
    let c = only(
        json!({"type": "object", "dependentRequired": {"a": ["b"]}}),
        json!({"type": "object", "dependentRequired": {"a": ["c"]}}),
    );
    assert_change(
        &c,
        Class::Breaking,
        ChangeKind::DependencyAdded,
        "/dependentRequired",
    );
    assert_eq!(c.example, Some(json!({"a": null, "b": null})));
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
        &obj(json!({"a": {"pattern": "^\\d"}, "b": {}})),
        &json!({"type": "object", "properties": {"a": {"pattern": "^\\w"}, "b": {}, "c": {}}, "required": ["b"]}),
    );
    assert_eq!(report.worst(), Class::Breaking);
    assert_eq!(report.count(Class::Breaking), 1, "{:#?}", report.changes);
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
    let base = json!({"type": "object", "additionalProperties": false, "properties": {
        "name": {"type": "string", "maxLength": 20},
        "code": {"type": "string", "pattern": "^[a-z]+$"}}});
    let mut compatible = base.clone();
    compatible["properties"]["nick"] = json!({"type": "string"});
    // \w is outside the regex subset compared: cannot tell.
    let mut cannot_tell = compatible.clone();
    cannot_tell["properties"]["code"]["pattern"] = json!("^\\w+$");
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
    assert!(
        out.contains(
            "for example, a user with `{\"name\":\"000000\"}` would be rejected at their next update"
        ),
        "{out}"
    );

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
    assert_eq!(body["changes"][0]["example"], json!({"name": "000000"}));

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

// ---- issue 18: never "compatible" when a user could break; show the user who would ----
//
// "base" is an object with givenName (string, maxLength 50, required), email (string) and
// age (integer). Each case asserts the class and, for a breaking change, the example user:
// valid under A and rejected by B, both checked here again with the project's validator.

fn base_props() -> Value {
    json!({
        "givenName": {"type": "string", "maxLength": 50},
        "email": {"type": "string"},
        "age": {"type": "integer"}
    })
}

fn base_with(extra: Value) -> Value {
    let mut s = json!({"type": "object", "properties": base_props(), "required": ["givenName"]});
    if let (Value::Object(m), Value::Object(e)) = (&mut s, extra) {
        m.extend(e);
    }
    s
}

fn valid(schema: &Value, user: &Value) -> bool {
    schemadesk::schema::validate::validate_instance(schema, &user.to_string()).is_empty()
}

/// The report's worst class, and the first change of that class as JSON (with `example`).
fn judge(a: &Value, b: &Value) -> (Class, Value) {
    let report = compare_schemas(a, b);
    let worst = report.worst();
    let first = report
        .changes
        .iter()
        .find(|c| c.class == worst)
        .map(|c| serde_json::to_value(c).expect("serializes"))
        .unwrap_or(Value::Null);
    (worst, first)
}

/// Breaking, with an example user that A accepts and B rejects; returns the example.
fn breaking_with_example(a: &Value, b: &Value) -> Value {
    let (class, change) = judge(a, b);
    assert_eq!(class, Class::Breaking, "{change:#}");
    let example = change["example"].clone();
    assert!(!example.is_null(), "no example: {change:#}");
    assert!(valid(a, &example), "the example fails A: {example}");
    assert!(!valid(b, &example), "the example passes B: {example}");
    example
}

fn compatible(a: &Value, b: &Value) {
    let report = compare_schemas(a, b);
    assert_eq!(report.worst(), Class::Compatible, "{:#?}", report.changes);
}

#[test]
fn unsound_1_removed_field_falls_under_additional_properties() {
    let a = base_with(json!({"additionalProperties": {"type": "string"}}));
    let mut b = a.clone();
    b["properties"]
        .as_object_mut()
        .expect("props")
        .remove("age");
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "age": 0}));
}

#[test]
fn unsound_2_removed_field_and_other_properties_opened_to_strings() {
    let a = base_with(json!({"additionalProperties": false}));
    let mut b = base_with(json!({"additionalProperties": {"type": "string"}}));
    b["properties"]
        .as_object_mut()
        .expect("props")
        .remove("age");
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "age": 0}));
}

#[test]
fn unsound_3_a_required_name_declared_later_was_required_all_along() {
    let a = json!({"type": "object", "properties": base_props(), "required": ["givenName", "id"]});
    let mut b = a.clone();
    b["properties"]["id"] = json!({"type": "string"});
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "id": null}));
    let (_, change) = judge(&a, &b);
    assert_eq!(change["kind"], "field-added-was-required");
}

#[test]
fn unsound_4_new_field_narrower_than_additional_properties() {
    let a = base_with(json!({"additionalProperties": {"type": "string"}}));
    let mut b = a.clone();
    b["properties"]["nick"] = json!({"type": "string", "maxLength": 5});
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "nick": "000000"}));
}

#[test]
fn unsound_5_new_typed_field_in_an_open_schema_is_its_own_cannot_tell() {
    let a = base_with(json!({}));
    let mut b = a.clone();
    b["properties"]["nick"] = json!({"type": "string"});
    let (class, change) = judge(&a, &b);
    assert_eq!(class, Class::CannotTell, "{change:#}");
    assert_eq!(change["kind"], "field-added-over-open");
    assert_eq!(change["pointer"], "/properties/nick");
    let message = change["message"].as_str().expect("message");
    assert!(
        message.contains("compatible unless users already hold"),
        "{message}"
    );
    // The user who would break is shown all the same.
    assert_eq!(change["example"], json!({"givenName": "", "nick": null}));
}

#[test]
fn over_cautious_1_required_moved_from_all_of_to_the_top() {
    let a = json!({"type": "object", "properties": base_props(),
                   "allOf": [{"required": ["givenName"]}]});
    compatible(&a, &base_with(json!({})));
}

#[test]
fn over_cautious_2_maximum_150_is_exclusive_maximum_151_on_integers() {
    let a = base_with(json!({}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "age",
        json!({"type": "integer", "exclusiveMaximum": 151}),
    );
    let mut a = a;
    a_field(&mut a, "age", json!({"type": "integer", "maximum": 150}));
    compatible(&a, &b);
    // And the other way round it breaks, at 151.
    let mut tighter = a.clone();
    a_field(
        &mut tighter,
        "age",
        json!({"type": "integer", "exclusiveMaximum": 150}),
    );
    let example = breaking_with_example(&a, &tighter);
    assert_eq!(example, json!({"givenName": "", "age": 150}));
}

fn a_field(schema: &mut Value, name: &str, sub: Value) {
    schema["properties"][name] = sub;
}

#[test]
fn over_cautious_3_const_to_an_enum_that_holds_it() {
    let mut a = base_with(json!({}));
    a_field(&mut a, "role", json!({"type": "string", "const": "user"}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "role",
        json!({"type": "string", "enum": ["user", "admin"]}),
    );
    compatible(&a, &b);
}

#[test]
fn over_cautious_4_enum_numbers_compare_by_value() {
    let mut a = base_with(json!({}));
    a_field(&mut a, "level", json!({"enum": [1, 2]}));
    let mut b = a.clone();
    a_field(&mut b, "level", json!({"enum": [1.0, 2.0, 3]}));
    compatible(&a, &b);
    let report = compare_schemas(&a, &b);
    assert!(
        report
            .changes
            .iter()
            .all(|c| !c.message.contains("no longer allows")),
        "{:#?}",
        report.changes
    );
}

#[test]
fn over_cautious_5_enum_of_strings_gaining_type_string() {
    let mut a = base_with(json!({}));
    a_field(&mut a, "tier", json!({"enum": ["gold", "silver"]}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "tier",
        json!({"type": "string", "enum": ["gold", "silver"]}),
    );
    compatible(&a, &b);
}

#[test]
fn decided_1_pattern_narrowed_is_breaking() {
    let mut a = base_with(json!({}));
    a_field(
        &mut a,
        "code",
        json!({"type": "string", "pattern": "^[A-Z0-9]+$"}),
    );
    let mut b = a.clone();
    a_field(
        &mut b,
        "code",
        json!({"type": "string", "pattern": "^[A-Z]+$"}),
    );
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "code": "0"}));
}

#[test]
fn decided_2_pattern_widened_is_compatible() {
    let mut a = base_with(json!({}));
    a_field(
        &mut a,
        "code",
        json!({"type": "string", "pattern": "^[A-Z]+$"}),
    );
    let mut b = a.clone();
    a_field(
        &mut b,
        "code",
        json!({"type": "string", "pattern": "^[A-Z0-9]+$"}),
    );
    compatible(&a, &b);
}

#[test]
fn decided_3_overlapping_one_of_branch_is_breaking() {
    let mut a = base_with(json!({}));
    a_field(
        &mut a,
        "contact",
        json!({"oneOf": [{"type": "string", "maxLength": 5}]}),
    );
    let mut b = a.clone();
    a_field(
        &mut b,
        "contact",
        json!({"oneOf": [{"type": "string", "maxLength": 5}, {"type": "string", "pattern": "^a"}]}),
    );
    breaking_with_example(&a, &b);
}

#[test]
fn decided_4_then_gaining_a_pattern_is_breaking() {
    let cond = json!({"properties": {"country": {"const": "CH"}}, "required": ["country"]});
    let a =
        base_with(json!({"if": cond.clone(), "then": {"properties": {"zip": {"type": "string"}}}}));
    let b = base_with(json!({"if": cond,
        "then": {"properties": {"zip": {"type": "string", "pattern": "^[0-9]{4}$"}}}}));
    let example = breaking_with_example(&a, &b);
    assert_eq!(example["country"], "CH");
}

#[test]
fn decided_5_additional_properties_absent_to_a_schema_is_breaking() {
    let a = base_with(json!({}));
    let b = base_with(json!({"additionalProperties": {"type": "string"}}));
    breaking_with_example(&a, &b);
}

#[test]
fn decided_6_pattern_properties_added_is_breaking() {
    let a = base_with(json!({}));
    let b = base_with(json!({"patternProperties": {"^x-": {"type": "string"}}}));
    let example = breaking_with_example(&a, &b);
    assert!(example.get("x-").is_some(), "{example}");
}

#[test]
fn decided_7_dependent_required_added_is_breaking() {
    let a = base_with(json!({}));
    let b = base_with(json!({"dependentRequired": {"email": ["age"]}}));
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "email": ""}));
}

#[test]
fn decided_8_property_names_added_is_breaking() {
    let a = base_with(json!({}));
    let b = base_with(json!({"propertyNames": {"maxLength": 20}}));
    breaking_with_example(&a, &b);
}

#[test]
fn decided_9_contains_added_is_breaking() {
    let mut a = base_with(json!({}));
    a_field(
        &mut a,
        "tags",
        json!({"type": "array", "items": {"type": "string"}}),
    );
    let mut b = a.clone();
    a_field(
        &mut b,
        "tags",
        json!({"type": "array", "items": {"type": "string"}, "contains": {"const": "staff"}}),
    );
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "tags": []}));
}

#[test]
fn decided_10_ref_renamed_to_an_identical_definition_is_compatible() {
    let defs = json!({"name": {"type": "string", "maxLength": 50},
                      "label": {"type": "string", "maxLength": 50}});
    let a = json!({"type": "object", "$defs": defs.clone(),
                   "properties": {"givenName": {"$ref": "#/$defs/name"}}});
    let b = json!({"type": "object", "$defs": defs,
                   "properties": {"givenName": {"$ref": "#/$defs/label"}}});
    compatible(&a, &b);
    // A definition that says something else is compared by what it says.
    let mut narrower = b.clone();
    narrower["$defs"]["label"]["maxLength"] = json!(5);
    let example = breaking_with_example(&a, &narrower);
    assert_eq!(example, json!({"givenName": "000000"}));
}

#[test]
fn decided_11_required_moved_into_all_of_is_compatible() {
    let a = base_with(json!({}));
    let b = json!({"type": "object", "properties": base_props(),
                   "allOf": [{"required": ["givenName"]}]});
    compatible(&a, &b);
}

#[test]
fn decided_12_any_of_branch_added_is_compatible() {
    let mut a = base_with(json!({}));
    a_field(&mut a, "contact", json!({"anyOf": [{"type": "string"}]}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "contact",
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    );
    compatible(&a, &b);
}

// ---- the oracle: random revision pairs, users generated under A ----

mod oracle {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use schemadesk::schema::compat::{Class, compare_schemas, instances};
    use serde_json::{Map, Value, json};

    const NAMES: [&str; 6] = ["givenName", "email", "age", "nick", "id", "code"];
    const PATTERNS: [&str; 6] = [
        "^[A-Z]+$",
        "^[A-Z0-9]+$",
        "^[a-z]",
        "^\\d+$",
        "^.{1,3}$",
        "@",
    ];

    /// A field: a plain one, or combinators, a reference and a nested object over plain ones.
    fn field() -> impl Strategy<Value = Value> {
        prop_oneof![
            4 => plain(),
            1 => (plain(), plain()).prop_map(|(a, b)| json!({"anyOf": [a, b]})),
            1 => (plain(), plain()).prop_map(|(a, b)| json!({"oneOf": [a, b]})),
            1 => (plain(), plain()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
            1 => plain().prop_map(|a| json!({"not": a})),
            1 => (plain(), plain()).prop_map(|(a, b)| json!({"if": a, "then": b})),
            1 => Just(json!({"$ref": "#/$defs/s"})),
            1 => (plain(), any::<bool>()).prop_map(|(a, req)| {
                let mut o = json!({"type": "object", "properties": {"zip": a}});
                if req {
                    o["required"] = json!(["zip"]);
                }
                o
            }),
        ]
    }

    fn plain() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!({})),
            Just(json!({"type": "boolean"})),
            Just(json!({"type": "number"})),
            (0u64..4, prop::option::of(3u64..8)).prop_map(|(min, max)| {
                let mut m = json!({"type": "string", "minLength": min});
                if let Some(max) = max {
                    m["maxLength"] = json!(max);
                }
                m
            }),
            (0usize..PATTERNS.len())
                .prop_map(|i| json!({"type": "string", "pattern": PATTERNS[i]})),
            Just(json!({"type": "string", "format": "email"})),
            (
                prop::option::of(-1i64..3),
                prop::option::of(100i64..152),
                any::<bool>()
            )
                .prop_map(|(lo, hi, excl)| {
                    let mut m = json!({"type": "integer"});
                    if let Some(lo) = lo {
                        m["minimum"] = json!(lo);
                    }
                    if let Some(hi) = hi {
                        m[if excl { "exclusiveMaximum" } else { "maximum" }] = json!(hi);
                    }
                    m
                }),
            Just(json!({"enum": [1, 2]})),
            Just(json!({"enum": [1.0, 2.0, 3]})),
            Just(json!({"enum": ["gold", "silver"]})),
            Just(json!({"const": "user"})),
            Just(json!({"type": "array", "items": {"type": "string"}})),
            Just(json!({"type": "array", "items": {"type": "string"}, "maxItems": 1})),
            Just(json!({"type": "array", "uniqueItems": true})),
        ]
    }

    fn other() -> impl Strategy<Value = Option<Value>> {
        prop_oneof![
            Just(None),
            Just(Some(json!(false))),
            Just(Some(json!({"type": "string"}))),
            Just(Some(json!({"type": "integer"}))),
        ]
    }

    fn schema() -> impl Strategy<Value = Value> {
        (
            prop::collection::btree_map(0usize..NAMES.len(), field(), 1..4),
            prop::collection::btree_set(0usize..NAMES.len(), 0..3),
            other(),
            any::<bool>(),
        )
            .prop_map(|(props, req, ap, pattern_props)| {
                let props: Map<String, Value> = props
                    .into_iter()
                    .map(|(i, f)| (NAMES[i].to_string(), f))
                    .collect();
                let mut s = json!({"type": "object", "properties": props,
                                   "$defs": {"s": {"type": "string"}}});
                let req: Vec<&str> = req.into_iter().map(|i| NAMES[i]).collect();
                if !req.is_empty() {
                    s["required"] = json!(req);
                }
                if let Some(ap) = ap {
                    s["additionalProperties"] = ap;
                }
                if pattern_props {
                    s["patternProperties"] = json!({"^x-": {"type": "string"}});
                }
                s
            })
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Remove(usize),
        Set(usize, Value),
        Require(usize),
        Unrequire(usize),
        Other(Option<Value>),
        PatternProps(Option<Value>),
        RequiredIntoAllOf,
        DependentRequired(usize, usize),
        PropertyNames(u64),
        Definition(Value),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let i = 0usize..NAMES.len();
        prop_oneof![
            i.clone().prop_map(Edit::Remove),
            (i.clone(), field()).prop_map(|(i, f)| Edit::Set(i, f)),
            i.clone().prop_map(Edit::Require),
            i.clone().prop_map(Edit::Unrequire),
            other().prop_map(Edit::Other),
            prop_oneof![
                Just(None),
                Just(Some(json!({"^x-": {"type": "string", "maxLength": 2}}))),
                Just(Some(json!({"^[a-z]+$": {"type": "string"}}))),
            ]
            .prop_map(Edit::PatternProps),
            Just(Edit::RequiredIntoAllOf),
            (i.clone(), i).prop_map(|(a, b)| Edit::DependentRequired(a, b)),
            (4u64..12).prop_map(Edit::PropertyNames),
            plain().prop_map(Edit::Definition),
        ]
    }

    fn apply(mut s: Value, edits: &[Edit]) -> Value {
        for e in edits {
            let Value::Object(m) = &mut s else { continue };
            match e {
                Edit::Remove(i) => {
                    if let Some(Value::Object(p)) = m.get_mut("properties") {
                        p.shift_remove(NAMES[*i]);
                    }
                }
                Edit::Set(i, f) => {
                    if let Some(Value::Object(p)) = m.get_mut("properties") {
                        p.insert(NAMES[*i].to_string(), f.clone());
                    }
                }
                Edit::Require(i) => {
                    let r = m.entry("required").or_insert(json!([]));
                    if let Value::Array(r) = r
                        && !r.contains(&json!(NAMES[*i]))
                    {
                        r.push(json!(NAMES[*i]));
                    }
                }
                Edit::Unrequire(i) => {
                    if let Some(Value::Array(r)) = m.get_mut("required") {
                        r.retain(|n| n != NAMES[*i]);
                    }
                }
                Edit::Other(None) => {
                    m.shift_remove("additionalProperties");
                }
                Edit::Other(Some(v)) => {
                    m.insert("additionalProperties".into(), v.clone());
                }
                Edit::PatternProps(None) => {
                    m.shift_remove("patternProperties");
                }
                Edit::PatternProps(Some(v)) => {
                    m.insert("patternProperties".into(), v.clone());
                }
                Edit::RequiredIntoAllOf => {
                    if let Some(r) = m.shift_remove("required") {
                        m.insert("allOf".into(), json!([{"required": r}]));
                    }
                }
                Edit::DependentRequired(a, b) => {
                    m.insert("dependentRequired".into(), json!({NAMES[*a]: [NAMES[*b]]}));
                }
                Edit::PropertyNames(n) => {
                    m.insert("propertyNames".into(), json!({"maxLength": n}));
                }
                Edit::Definition(v) => {
                    m.insert("$defs".into(), json!({"s": v}));
                }
            }
        }
        s
    }

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64)
    }

    /// Whenever a user generated under A fails B, the report must not say "compatible";
    /// and every example it shows is valid under A and rejected by B.
    #[test]
    fn a_user_valid_under_a_that_fails_b_is_never_compatible() {
        let mut runner = TestRunner::new(Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        });
        let pair = schema().prop_flat_map(|a| {
            let edits = prop::collection::vec(edit(), 1..4);
            (Just(a), edits)
        });
        runner
            .run(&pair, |(a, edits)| {
                let b = apply(a.clone(), &edits);
                let va = schemadesk::schema::validate::compile(&a).expect("A compiles");
                let vb = schemadesk::schema::validate::compile(&b).expect("B compiles");
                let report = compare_schemas(&a, &b);
                for c in &report.changes {
                    if let Some(user) = &c.example {
                        prop_assert!(va.is_valid(user) && !vb.is_valid(user), "{c:?}");
                    }
                }
                if report.worst() != Class::Compatible {
                    return Ok(());
                }
                for user in instances::variants(&a, 400) {
                    if va.is_valid(&user) && !vb.is_valid(&user) {
                        prop_assert!(
                            false,
                            "compatible, but {user} passes A and fails B\nA = {a}\nB = {b}\n{:#?}",
                            report.changes
                        );
                    }
                }
                Ok(())
            })
            .expect("the report is sound on every generated pair");
    }
}

// ---- more of the rules of issue 18 ----

#[test]
fn a_removed_field_whose_values_the_other_properties_accept_is_compatible() {
    let a = base_with(json!({"additionalProperties": {"type": "integer"}}));
    let mut b = a.clone();
    b["properties"]
        .as_object_mut()
        .expect("props")
        .remove("age");
    let report = compare_schemas(&a, &b);
    assert_eq!(report.worst(), Class::Compatible, "{:#?}", report.changes);
    let c = report.at("/properties/age").next().expect("reported");
    assert_eq!(c.kind, ChangeKind::FieldRemoved);
    assert!(c.message.contains("additionalProperties"), "{}", c.message);
}

#[test]
fn a_removed_pattern_property_leaves_its_names_to_additional_properties() {
    let a = base_with(json!({"patternProperties": {"^x-": {"type": "integer"}},
                             "additionalProperties": {"type": "string"}}));
    let b = base_with(json!({"additionalProperties": {"type": "string"}}));
    let example = breaking_with_example(&a, &b);
    assert_eq!(example, json!({"givenName": "", "x-": 0}));
    let (_, change) = judge(&a, &b);
    assert_eq!(change["kind"], "pattern-property-removed");
    assert_eq!(change["pointer"], "/patternProperties/^x-");
}

#[test]
fn a_keyword_for_a_type_never_held_is_already_implied() {
    let mut a = base_with(json!({}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "age",
        json!({"type": "integer", "maxLength": 3, "pattern": "^a"}),
    );
    compatible(&a, &b);
    let report = compare_schemas(&a, &b);
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.kind == ChangeKind::AlreadyImplied),
        "{:#?}",
        report.changes
    );
    // uniqueItems on a list of at most one item was always true.
    a_field(&mut a, "tags", json!({"type": "array", "maxItems": 1}));
    let mut b = a.clone();
    a_field(
        &mut b,
        "tags",
        json!({"type": "array", "maxItems": 1, "uniqueItems": true}),
    );
    compatible(&a, &b);
}

#[test]
fn property_names_over_a_closed_object_check_the_declared_names() {
    let a = base_with(json!({"additionalProperties": false}));
    let fits = base_with(json!({"additionalProperties": false, "propertyNames": {"maxLength": 9}}));
    compatible(&a, &fits);
    let short =
        base_with(json!({"additionalProperties": false, "propertyNames": {"maxLength": 5}}));
    let example = breaking_with_example(&a, &short);
    assert_eq!(example, json!({"givenName": ""}));
}

#[test]
fn a_deeply_nested_change_is_reported_without_exhausting_a_worker_stack() {
    fn nest(depth: usize, leaf: Value) -> Value {
        (0..depth).fold(
            leaf,
            |inner, _| json!({"type": "object", "properties": {"a": inner}}),
        )
    }
    for depth in [40, 100] {
        let a = nest(depth, json!({"type": "string"}));
        let b = nest(depth, json!({"type": "string", "maxLength": 3}));
        // The app's background worker runs on a thread of the default 2 MiB stack.
        let report = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || compare_schemas(&a, &b))
            .expect("thread")
            .join()
            .expect("no stack overflow");
        assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
        let expected = if depth < 64 {
            Class::Breaking
        } else {
            Class::CannotTell
        };
        assert_eq!(report.changes[0].class, expected, "depth {depth}");
    }
}

/// A definition that refers to itself, reached through `$ref` beside `allOf`/`anyOf` nests: the
/// comparison once spent minutes here, unfolding the same definition again and again.
#[test]
fn a_self_referencing_definition_is_compared_once() {
    let pair: Value = serde_json::from_str(include_str!("fixtures/compat_self_ref_pair.json"))
        .expect("the fixture is JSON");
    let report = compare_schemas(&pair["old"], &pair["new"]);
    assert!(
        !report.changes.is_empty(),
        "the field b changed: {report:?}"
    );
}
