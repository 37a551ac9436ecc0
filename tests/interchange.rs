//! Schemas in and out: Keycloak user profiles and Ory identity schemas imported (every
//! mapping rule and every reported-not-mapped case), the CLI's import and review export, and
//! the review sheet's content in Markdown, HTML and CSV.

#[path = "fake_zitadel/mod.rs"]
mod fake_zitadel;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schemadesk::interchange::review::{self, RevisionInfo, SheetFormat};
use schemadesk::interchange::{
    Format, Imported, InterchangeError, Outcome, Topic, convert, detect, parse,
};
use schemadesk::schema::fields::FieldTree;
use schemadesk::schema::permission::PERMISSION_KEYWORD;
use schemadesk::schema::validate::validate_instance;
use schemadesk::schema::{Access, AuthenticatorType as A, Permission, Source, validate};
use schemadesk::store::Store;
use serde_json::{Value, json};

fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/interchange")
        .join(rel)
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixture_path(rel)).unwrap()
}

const KEYCLOAK: &[&str] = &[
    "keycloak/default-realm.json",
    "keycloak/custom.json",
    "keycloak/realm-export.json",
];
const ORY: &[&str] = &[
    "ory/email-password.json",
    "ory/passkey.json",
    "ory/phone-code.json",
    "ory/customer.json",
];

/// Converts a fixture with detection and checks that the result is a valid ZITADEL request
/// body for the project's own validator.
fn import(rel: &str) -> Imported {
    let imported = convert(&fixture(rel), None).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_valid(&imported, rel);
    imported
}

fn assert_valid(imported: &Imported, what: &str) {
    let body = imported.draft("imported").request_body_pretty();
    let v = validate(Source::File(&body));
    assert!(v.is_valid(), "{what}: {:#?}\n{body}", v.diagnostics);
}

fn perm(owner: Access, user: Access) -> Permission {
    Permission { owner, user }
}

use Access::{Hidden, Read, ReadWrite};

fn field<'a>(i: &'a Imported, name: &str) -> &'a Value {
    &i.schema["properties"][name]
}

fn required(i: &Imported) -> Vec<String> {
    i.schema["required"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn entries<'a>(
    i: &'a Imported,
    subject: &'a str,
    topic: Topic,
) -> Vec<&'a schemadesk::interchange::Entry> {
    i.report
        .about(subject)
        .filter(|e| e.topic == topic)
        .collect()
}

fn has(i: &Imported, subject: &str, topic: Topic, outcome: Outcome) -> bool {
    entries(i, subject, topic)
        .iter()
        .any(|e| e.outcome == outcome)
}

// ---------------------------------------------------------------- detection and errors

#[test]
fn every_fixture_is_detected_as_its_format() {
    for rel in KEYCLOAK {
        let v = parse(&fixture(rel)).unwrap();
        assert_eq!(detect(&v), Some(Format::Keycloak), "{rel}");
        let i = import(rel);
        assert!(i.report.detected, "{rel}");
        assert_eq!(i.report.format, Format::Keycloak);
    }
    for rel in ORY {
        let v = parse(&fixture(rel)).unwrap();
        assert_eq!(detect(&v), Some(Format::Ory), "{rel}");
    }
    let named = convert(&fixture("ory/passkey.json"), Some(Format::Ory)).unwrap();
    assert!(!named.report.detected);
}

#[test]
fn zitadel_schemas_and_bodies_are_neither_format() {
    for t in schemadesk::schema::templates::TEMPLATES {
        let d = t.draft("x");
        assert_eq!(detect(&d.schema), None, "{}", t.id);
        assert_eq!(detect(&d.request_body()), None, "{}", t.id);
        assert_eq!(
            convert(&d.schema_pretty(), None),
            Err(InterchangeError::Undetected)
        );
    }
    // A schema with a property named "attributes", or an object field named "traits", is
    // still a ZITADEL schema.
    let s = json!({"type": "object", "properties": {"attributes": {"type": "string"}}});
    assert_eq!(detect(&s), None);
    let s = json!({"type": "object", "attributes": [{"name": "x"}]});
    assert_eq!(detect(&s), None);
    let s = json!({"$schema": "urn:zitadel:schema:v1", "type": "object",
                   "properties": {"traits": {"type": "object", "properties": {"a": {"type": "string"}}}}});
    assert_eq!(detect(&s), None);
    // Kratos's marks: its extension anywhere in the traits, or draft-07.
    let s = json!({"properties": {"traits": {"properties": {"a": {"ory.sh/kratos": {}}}}}});
    assert_eq!(detect(&s), Some(Format::Ory));
    let s =
        json!({"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"traits": {}}});
    assert_eq!(detect(&s), Some(Format::Ory));
}

#[test]
fn bad_input_is_refused_with_where_it_is() {
    match convert("{\n  \"attributes\": [\n    {\"name\": }\n  ]\n}", None) {
        Err(InterchangeError::Json { line, column, .. }) => {
            assert_eq!((line, column), (3, 14));
        }
        other => panic!("{other:?}"),
    }
    let e = convert(r#"{"attributes": [{"name": "a"}, {"name": "a"}]}"#, None).unwrap_err();
    assert_eq!(
        e,
        InterchangeError::Shape {
            pointer: "/attributes/1/name".into(),
            message: "the attribute \"a\" is defined twice".into()
        }
    );
    let e = convert(r#"{"attributes": [{"name": ""}]}"#, Some(Format::Keycloak)).unwrap_err();
    assert!(
        matches!(&e, InterchangeError::Shape { pointer, .. } if pointer == "/attributes/0/name"),
        "{e}"
    );
    let e = convert(r#"{"attributes": {}}"#, Some(Format::Keycloak)).unwrap_err();
    assert!(
        matches!(&e, InterchangeError::Shape { pointer, .. } if pointer == "/attributes"),
        "{e}"
    );
    // The wrong --from names what is missing.
    let e = convert(&fixture("ory/passkey.json"), Some(Format::Keycloak)).unwrap_err();
    assert!(
        matches!(&e, InterchangeError::Shape { pointer, .. } if pointer == "/attributes"),
        "{e}"
    );
    let e = convert(&fixture("keycloak/custom.json"), Some(Format::Ory)).unwrap_err();
    assert!(
        matches!(&e, InterchangeError::Shape { pointer, .. } if pointer == "/properties/traits"),
        "{e}"
    );
}

/// Every entry points at something real: its source pointer into the imported file, its
/// target into the request body (authenticators) or the schema.
#[test]
fn every_report_entry_points_at_the_source_and_the_result() {
    for rel in KEYCLOAK.iter().chain(ORY) {
        let source = parse(&fixture(rel)).unwrap();
        let i = import(rel);
        let body = i.draft("t").request_body();
        assert!(!i.report.entries.is_empty(), "{rel}");
        for e in &i.report.entries {
            if *rel != "keycloak/realm-export.json" {
                assert!(
                    e.source.is_empty() || source.pointer(&e.source).is_some(),
                    "{rel}: source {} of {e:?}",
                    e.source
                );
            }
            if let Some(t) = &e.target {
                let found = if t == "/possibleAuthenticators" {
                    body.pointer(t).is_some()
                } else {
                    i.schema.pointer(t).is_some()
                };
                assert!(found, "{rel}: target {t} of {e:?}");
            }
        }
    }
}

// ---------------------------------------------------------------- Keycloak

#[test]
fn keycloak_default_profile_of_a_fresh_realm() {
    let i = import("keycloak/default-realm.json");
    assert_eq!(i.authenticators, BTreeSet::from([A::Username, A::Password]));
    assert!(has(&i, "", Topic::Authenticators, Outcome::Note));
    assert_eq!(
        i.schema,
        json!({
            "$schema": "urn:zitadel:schema:v1",
            "type": "object",
            "required": ["email", "firstName", "lastName"],
            "properties": {
                "username": {"title": "username", "type": "string", "minLength": 3, "maxLength": 255,
                             PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
                "email": {"title": "email", "type": "string", "format": "email", "maxLength": 255,
                          PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
                "firstName": {"title": "firstName", "type": "string", "maxLength": 255,
                              PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
                "lastName": {"title": "lastName", "type": "string", "maxLength": 255,
                             PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}}
            }
        })
    );
    for name in ["username", "email", "firstName", "lastName"] {
        assert!(
            has(&i, name, Topic::BuiltInAttribute, Outcome::NotMapped),
            "{name}"
        );
        let keys = entries(&i, name, Topic::MessageKey);
        assert_eq!(keys.len(), 1, "{name}");
        assert_eq!(keys[0].outcome, Outcome::Adjusted);
        assert!(
            keys[0].message.contains(&format!("${{{name}}}")),
            "{}",
            keys[0].message
        );
        assert!(
            has(&i, name, Topic::ValidatorOption, Outcome::Adjusted),
            "{name}: trimming"
        );
    }
    for name in ["username", "firstName", "lastName"] {
        assert!(
            has(&i, name, Topic::ProhibitedCharacters, Outcome::NotMapped),
            "{name}"
        );
    }
    assert!(!has(
        &i,
        "email",
        Topic::ProhibitedCharacters,
        Outcome::NotMapped
    ));
    let homograph = entries(&i, "username", Topic::UnknownValidator);
    assert_eq!(homograph.len(), 1);
    assert_eq!(
        homograph[0].source,
        "/attributes/0/validations/up-username-not-idn-homograph"
    );
    // Required for the user role only: required, and said so.
    for name in ["email", "firstName", "lastName"] {
        assert!(
            has(&i, name, Topic::RequiredRoles, Outcome::Adjusted),
            "{name}"
        );
    }
    let groups = entries(&i, "", Topic::Group);
    assert_eq!(groups.len(), 1);
    assert!(groups[0].message.contains("user-metadata"));
    assert!(!has(
        &i,
        "",
        Topic::UnmanagedAttributePolicy,
        Outcome::NotMapped
    ));
}

#[test]
fn keycloak_custom_attributes_follow_every_rule() {
    let i = import("keycloak/custom.json");
    let p = |name: &str| Permission::of(field(&i, name));

    // pattern {pattern}: anchored, because Keycloak matches the whole value.
    assert_eq!(
        field(&i, "phoneNumber")["pattern"],
        json!("^(?:\\+[1-9][0-9]{6,14})$")
    );
    assert!(has(
        &i,
        "phoneNumber",
        Topic::PatternAnchored,
        Outcome::Adjusted
    ));
    let msg = entries(&i, "phoneNumber", Topic::ValidatorOption);
    assert!(
        msg.iter().any(|e| e.outcome == Outcome::NotMapped
            && e.source == "/attributes/2/validations/pattern/error-message"),
        "{msg:?}"
    );
    // An already anchored pattern is kept as it is.
    assert_eq!(field(&i, "badge")["pattern"], json!("^B-[0-9]{4}$"));
    assert!(!has(&i, "badge", Topic::PatternAnchored, Outcome::Adjusted));
    // displayName → title, kept verbatim when it is no message key.
    assert_eq!(field(&i, "phoneNumber")["title"], json!("Mobile phone"));
    assert!(entries(&i, "phoneNumber", Topic::MessageKey).is_empty());
    // annotations, groups and scopes are reported.
    let annotations = entries(&i, "phoneNumber", Topic::Annotation);
    assert_eq!(annotations.len(), 2);
    assert!(annotations.iter().all(|e| e.outcome == Outcome::NotMapped));
    assert_eq!(annotations[0].source, "/attributes/2/annotations/inputType");
    assert_eq!(entries(&i, "department", Topic::Annotation).len(), 2);
    assert!(has(
        &i,
        "phoneNumber",
        Topic::AttributeGroup,
        Outcome::NotMapped
    ));
    assert!(has(
        &i,
        "department",
        Topic::AttributeGroup,
        Outcome::NotMapped
    ));
    assert_eq!(entries(&i, "", Topic::Group).len(), 2);
    // required with scopes → not required, and said so.
    assert!(has(
        &i,
        "phoneNumber",
        Topic::RequiredScopes,
        Outcome::NotMapped
    ));
    assert!(!required(&i).contains(&"phoneNumber".to_string()));
    // required for admin only → required (and said); for both roles → required, nothing said.
    assert_eq!(required(&i), vec!["email", "employeeNumber"]);
    assert!(has(
        &i,
        "employeeNumber",
        Topic::RequiredRoles,
        Outcome::Adjusted
    ));
    assert!(entries(&i, "email", Topic::RequiredRoles).is_empty());

    // permissions: admin edit → owner rw, admin view only → r; user likewise → self; nobody → hidden.
    assert_eq!(p("username"), perm(ReadWrite, ReadWrite));
    assert_eq!(p("phoneNumber"), perm(Read, ReadWrite));
    assert_eq!(p("department"), perm(ReadWrite, Read));
    assert_eq!(p("employeeNumber"), perm(ReadWrite, Hidden));
    assert_eq!(p("salaryBand"), perm(Read, Hidden));
    assert_eq!(p("birthDate"), perm(Hidden, ReadWrite));
    assert_eq!(
        field(&i, "birthDate")[PERMISSION_KEYWORD],
        json!({"self": "rw"})
    );
    assert_eq!(
        field(&i, "salaryBand")[PERMISSION_KEYWORD],
        json!({"owner": "r"})
    );
    // No permissions at all: hidden from both (the keyword is an empty object), and said so.
    assert_eq!(field(&i, "internalNote")[PERMISSION_KEYWORD], json!({}));
    assert_eq!(p("internalNote"), perm(Hidden, Hidden));
    assert!(has(&i, "internalNote", Topic::NoPermissions, Outcome::Note));
    // A role Keycloak does not have is reported, not mapped.
    assert!(has(&i, "badge", Topic::UnknownRole, Outcome::NotMapped));
    assert_eq!(p("badge"), perm(ReadWrite, Hidden));

    // options → enum
    assert_eq!(
        field(&i, "department")["enum"],
        json!(["sales", "engineering", "support"])
    );
    // integer / double {min, max} → type and minimum/maximum (text numbers read as numbers)
    let emp = field(&i, "employeeNumber");
    assert_eq!(
        (&emp["type"], &emp["minimum"], &emp["maximum"]),
        (&json!("integer"), &json!(1), &json!(999999))
    );
    assert!(has(
        &i,
        "employeeNumber",
        Topic::NumberFromText,
        Outcome::Adjusted
    ));
    let band = field(&i, "salaryBand");
    assert_eq!(
        (&band["type"], &band["minimum"], &band["maximum"]),
        (&json!("number"), &json!(0.5), &json!(9.5))
    );
    // iso-date / local-date → format date (local-date said to differ)
    assert_eq!(field(&i, "birthDate")["format"], json!("date"));
    assert_eq!(field(&i, "startDate")["format"], json!("date"));
    assert!(entries(&i, "birthDate", Topic::ValidatorOption).is_empty());
    assert!(has(
        &i,
        "startDate",
        Topic::ValidatorOption,
        Outcome::Adjusted
    ));
    // uri → format uri; its options reported
    assert_eq!(field(&i, "website")["format"], json!("uri"));
    let uri = entries(&i, "website", Topic::ValidatorOption);
    assert!(
        uri.iter()
            .any(|e| e.source == "/attributes/8/validations/uri/allowedSchemes"),
        "{uri:?}"
    );
    // email → format email; max-local-length reported
    assert_eq!(field(&i, "email")["format"], json!("email"));
    assert!(
        entries(&i, "email", Topic::ValidatorOption)
            .iter()
            .any(|e| e.source.ends_with("/max-local-length") && e.outcome == Outcome::NotMapped)
    );
    // multivalued → array of the item type, the value validators on the items
    assert_eq!(
        field(&i, "skills"),
        &json!({"title": "Skills", "type": "array",
                "items": {"type": "string", "minLength": 2, "maxLength": 40},
                "minItems": 1, "maxItems": 5,
                PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}})
    );
    // an unknown validator and a selector are reported
    let unknown = entries(&i, "badge", Topic::UnknownValidator);
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].source.ends_with("/x-corporate-badge-check"));
    assert!(has(&i, "badge", Topic::Selector, Outcome::NotMapped));
    // the unmanaged-attribute policy is reported
    let policy = entries(&i, "", Topic::UnmanagedAttributePolicy);
    assert_eq!(policy.len(), 1);
    assert!(policy[0].message.contains("ADMIN_VIEW"));
}

/// Nothing of a Keycloak attribute is dropped silently: every validator is a keyword or a
/// report entry, every annotation, group and scope an entry.
#[test]
fn keycloak_nothing_is_dropped_silently() {
    const MAPPED: &[&str] = &[
        "length",
        "email",
        "uri",
        "pattern",
        "options",
        "integer",
        "double",
        "iso-date",
        "local-date",
        "multivalued",
    ];
    for rel in KEYCLOAK.iter().take(2) {
        let source = parse(&fixture(rel)).unwrap();
        let i = import(rel);
        let reported = |pointer: &str| {
            i.report
                .entries
                .iter()
                .any(|e| e.source == pointer || e.source.starts_with(&format!("{pointer}/")))
        };
        for (n, attr) in source["attributes"].as_array().unwrap().iter().enumerate() {
            let at = format!("/attributes/{n}");
            for v in attr["validations"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                if !MAPPED.contains(&v.as_str()) {
                    assert!(
                        reported(&format!("{at}/validations/{v}")),
                        "{rel}: {at} {v}"
                    );
                }
            }
            for a in attr["annotations"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                assert!(
                    reported(&format!("{at}/annotations/{a}")),
                    "{rel}: {at} {a}"
                );
            }
            if attr.get("group").is_some() {
                assert!(reported(&format!("{at}/group")), "{rel}: {at}");
            }
            if attr.pointer("/required/scopes").is_some() {
                assert!(reported(&format!("{at}/required/scopes")), "{rel}: {at}");
            }
            if attr.pointer("/selector/scopes").is_some() {
                assert!(reported(&format!("{at}/selector")), "{rel}: {at}");
            }
        }
        for (n, _) in source["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert!(reported(&format!("/groups/{n}")), "{rel}: group {n}");
        }
    }
}

#[test]
fn keycloak_pattern_zitadel_cannot_compile_is_left_out_and_reported() {
    let text = r#"{"attributes": [{"name": "code", "validations": {"pattern": {"pattern": "\\p{javaLowerCase}+"}},
                    "permissions": {"view": ["admin"], "edit": ["admin"]}}]}"#;
    let i = convert(text, Some(Format::Keycloak)).unwrap();
    assert_valid(&i, "java pattern");
    assert!(field(&i, "code").get("pattern").is_none());
    assert!(has(&i, "code", Topic::PatternInvalid, Outcome::NotMapped));
}

#[test]
fn keycloak_realm_export_reads_the_embedded_profile() {
    let i = import("keycloak/realm-export.json");
    let tree = FieldTree::read(&i.schema).unwrap();
    let names: Vec<_> = tree.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["username", "email"]);
    assert_eq!(required(&i), vec!["email"]);
}

/// Round trip: the imported schema's field tree (what the designer and the form preview
/// show) holds the profile's attributes, in order, with the profile's permissions.
#[test]
fn keycloak_round_trip_through_the_field_tree() {
    for rel in KEYCLOAK.iter().take(2) {
        let source = parse(&fixture(rel)).unwrap();
        let i = import(rel);
        let tree = FieldTree::read(&i.schema).unwrap();
        let attrs = source["attributes"].as_array().unwrap();
        assert_eq!(tree.fields.len(), attrs.len(), "{rel}");
        for (f, attr) in tree.fields.iter().zip(attrs) {
            assert_eq!(f.name, attr["name"].as_str().unwrap());
            let roles = |key: &str| -> Vec<String> {
                attr.pointer(&format!("/permissions/{key}"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|r| r.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (view, edit) = (roles("view"), roles("edit"));
            let expect = |role: &str| {
                if edit.iter().any(|r| r == role) {
                    ReadWrite
                } else if view.iter().any(|r| r == role) {
                    Read
                } else {
                    Hidden
                }
            };
            assert_eq!(
                f.permission,
                perm(expect("admin"), expect("user")),
                "{rel}: {}",
                f.name
            );
            let multivalued = attr["multivalued"] == json!(true);
            assert_eq!(
                f.field_type.map(|t| t.as_str()),
                Some(if multivalued {
                    "array"
                } else {
                    match attr.pointer("/validations") {
                        Some(v) if v.get("integer").is_some() => "integer",
                        Some(v) if v.get("double").is_some() => "number",
                        _ => "string",
                    }
                }),
                "{rel}: {}",
                f.name
            );
        }
    }
}

// ---------------------------------------------------------------- Ory

#[test]
fn ory_email_and_password() {
    let i = import("ory/email-password.json");
    assert_eq!(i.authenticators, BTreeSet::from([A::Username, A::Password]));
    assert_eq!(
        i.schema,
        json!({
            "$schema": "urn:zitadel:schema:v1",
            "title": "Person",
            "type": "object",
            "properties": {
                "email": {"type": "string", "format": "email", "title": "E-Mail", "minLength": 3},
                "name": {"type": "object", "properties": {
                    "first": {"title": "First Name", "type": "string"},
                    "last": {"title": "Last Name", "type": "string"}
                }}
            },
            "required": ["email"],
            "additionalProperties": false
        })
    );
    assert!(has(&i, "", Topic::Id, Outcome::NotMapped));
    assert!(has(&i, "", Topic::SchemaDialect, Outcome::Adjusted));
    assert!(has(&i, "", Topic::Title, Outcome::Adjusted));
    assert!(has(&i, "", Topic::Permissions, Outcome::Note));
    let cred = entries(&i, "email", Topic::Credential);
    assert_eq!(cred.len(), 1);
    assert!(cred[0].message.contains("USERNAME + PASSWORD"));
    assert_eq!(
        cred[0].source,
        "/properties/traits/properties/email/ory.sh~1kratos/credentials/password"
    );
    let ver = entries(&i, "email", Topic::Verification);
    assert_eq!(ver.len(), 1);
    assert_eq!(ver[0].outcome, Outcome::NotMapped);
    assert!(ver[0].message.contains("by email"));
    assert!(has(&i, "email", Topic::Recovery, Outcome::NotMapped));
    // Round trip: the traits' fields, nested, every one unrestricted (Kratos has no permissions).
    let tree = FieldTree::read(&i.schema).unwrap();
    let paths: Vec<String> = tree.iter().map(|f| f.path.join(".")).collect();
    assert_eq!(paths, ["email", "name", "name.first", "name.last"]);
    assert!(
        tree.iter()
            .all(|f| f.permission == Permission::UNRESTRICTED)
    );
    assert!(tree.find(&["email"]).unwrap().required);
}

#[test]
fn ory_passkey() {
    let i = import("ory/passkey.json");
    assert_eq!(i.authenticators, BTreeSet::from([A::Webauthn]));
    assert_eq!(entries(&i, "email", Topic::Credential).len(), 2);
    assert!(has(&i, "email", Topic::Verification, Outcome::NotMapped));
    assert!(!has(&i, "email", Topic::Recovery, Outcome::NotMapped));
    assert_eq!(i.schema["title"], json!("Passkey user"));
}

#[test]
fn ory_phone_and_code() {
    let i = import("ory/phone-code.json");
    assert_eq!(i.authenticators, BTreeSet::from([A::OtpSms]));
    assert!(
        entries(&i, "phone", Topic::Credential)[0]
            .message
            .contains("OTP_SMS")
    );
    assert!(has(&i, "phone", Topic::KratosFormat, Outcome::NotMapped));
    assert_eq!(field(&i, "phone")["format"], json!("tel"));
    assert!(
        entries(&i, "phone", Topic::Verification)[0]
            .message
            .contains("by sms")
    );
    assert!(
        entries(&i, "phone", Topic::Recovery)[0]
            .message
            .contains("by sms")
    );
}

#[test]
fn ory_multi_trait_customer_converts_draft_07() {
    let i = import("ory/customer.json");
    assert_eq!(
        i.authenticators,
        BTreeSet::from([A::Username, A::Password, A::OtpEmail, A::Totp, A::Webauthn])
    );
    let text = serde_json::to_string(&i.schema).unwrap();
    assert!(!text.contains("ory.sh/kratos"), "{text}");
    assert!(!text.contains("\"$id\""));
    assert!(!text.contains("definitions"));
    // definitions → $defs, references rewritten
    assert_eq!(
        i.schema["$defs"]["address"]["required"],
        json!(["city", "country"])
    );
    assert_eq!(field(&i, "shipping")["$ref"], json!("#/$defs/address"));
    assert!(has(&i, "", Topic::Definitions, Outcome::Adjusted));
    // items as an array → prefixItems, additionalItems → items
    assert_eq!(
        field(&i, "coordinates"),
        &json!({"type": "array", "title": "Last known coordinates",
                "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})
    );
    assert!(has(
        &i,
        "coordinates",
        Topic::KeywordConverted,
        Outcome::Adjusted
    ));
    // dependencies → dependentRequired
    assert_eq!(i.schema["dependentRequired"], json!({"vatId": ["company"]}));
    assert!(i.schema.get("dependencies").is_none());
    assert!(has(&i, "", Topic::KeywordConverted, Outcome::Adjusted));
    // title and description of the identity carried; metadata and organizations reported
    assert_eq!(i.schema["description"], json!("A shop customer"));
    assert!(has(&i, "", Topic::OtherProperty, Outcome::NotMapped));
    assert!(has(
        &i,
        "email",
        Topic::UnknownExtension,
        Outcome::NotMapped
    ));
    assert_eq!(entries(&i, "email", Topic::Credential).len(), 4);
    assert!(has(&i, "phone", Topic::KratosFormat, Outcome::NotMapped));
    assert_eq!(required(&i), vec!["email", "name"]);
    // The converted schema works: a customer passes, one without a country in the
    // shipping address (a rule that lives in the moved definition) fails there.
    let ok = r#"{"email": "a@example.com", "name": {"last": "Muster"}, "shipping": {"city": "Bern", "country": "CH"},
                 "coordinates": [46.9, 7.4], "company": "ACME", "vatId": "CHE-1"}"#;
    assert_eq!(validate_instance(&i.schema, ok), vec![]);
    let bad = r#"{"email": "a@example.com", "name": {"last": "M"}, "shipping": {"city": "Bern"}, "vatId": "X"}"#;
    let problems = validate_instance(&i.schema, bad);
    assert!(
        problems.iter().any(|d| d.pointer == "/shipping"),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|d| d.pointer.is_empty() && d.message.contains("company")),
        "{problems:?}"
    );
    // Field tree: every trait, nested ones included.
    let tree = FieldTree::read(&i.schema).unwrap();
    let paths: Vec<String> = tree.iter().map(|f| f.path.join(".")).collect();
    assert_eq!(
        paths,
        [
            "email",
            "name",
            "name.first",
            "name.last",
            "phone",
            "tier",
            "birthday",
            "newsletter",
            "shipping",
            "coordinates",
            "company",
            "vatId"
        ]
    );
}

#[test]
fn ory_unresolvable_reference_is_reported_and_the_result_refused() {
    let text = r##"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
        "properties": {"traits": {"type": "object", "properties": {
            "address": {"$ref": "https://example.com/address.json"},
            "self": {"$ref": "#/properties/traits/properties/address"}}}}}"##;
    let i = convert(text, None).unwrap();
    assert!(has(&i, "address", Topic::Reference, Outcome::NotMapped));
    assert_eq!(field(&i, "self")["$ref"], json!("#/properties/address"));
    assert!(entries(&i, "self", Topic::Reference).is_empty());
    assert!(has(&i, "", Topic::Authenticators, Outcome::Note));
    // The project's validator refuses what cannot be resolved offline: nothing would be saved.
    let v = validate(Source::File(&i.draft("x").request_body_pretty()));
    assert!(!v.is_valid());
}

// ---------------------------------------------------------------- review sheet

/// A schema with nested fields and every permission combination.
fn review_schema() -> Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "required": ["email", "address"],
        "properties": {
            "email": {"type": "string", "title": "Email", "format": "email", "maxLength": 255},
            "nickname": {"type": "string", "title": "Nick | name", "description": "Shown <b>publicly</b>",
                         PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
            "employeeId": {"type": "integer", "title": "Employee id", "minimum": 1,
                           PERMISSION_KEYWORD: {"owner": "rw", "self": "r"}},
            "costCenter": {"type": "string", "title": "Cost centre", PERMISSION_KEYWORD: {"owner": "rw"}},
            "auditFlag": {"type": "boolean", "title": "Audit flag", PERMISSION_KEYWORD: {"owner": "r"}},
            "diary": {"type": "string", "title": "Private diary", PERMISSION_KEYWORD: {"self": "rw"}},
            "badge": {"type": "string", "title": "=HYPERLINK(\"x\")", PERMISSION_KEYWORD: {"self": "r"}},
            "secret": {"type": "string", "title": "<script>alert(1)</script>", PERMISSION_KEYWORD: {}},
            "pin": {"type": "string", "pattern": "^[0-9]{4}$", PERMISSION_KEYWORD: {"owner": "w", "self": "w"}},
            "address": {
                "type": "object", "title": "Address", PERMISSION_KEYWORD: {"owner": "rw", "self": "r"},
                "required": ["city"],
                "properties": {
                    "city": {"type": "string", "title": "City"},
                    "zip": {"type": "string", "title": "ZIP", "maxLength": 10, PERMISSION_KEYWORD: {"owner": "r", "self": "r"}}
                }
            },
            "tags": {"type": "array", "title": "Tags", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 3}
        }
    })
}

fn review_draft() -> schemadesk::schema::UserSchemaDraft {
    schemadesk::schema::UserSchemaDraft::new(
        "employee",
        review_schema(),
        [A::Username, A::Password, A::Webauthn],
    )
}

fn info(n: u32) -> Option<RevisionInfo> {
    Some(RevisionInfo {
        number: n,
        created_at: "2026-12-01T12:00:00Z".into(),
        message: "Imported from realm.json".into(),
    })
}

#[test]
fn review_rows_show_every_permission_combination() {
    let sheet = review::build(&review_draft(), info(3), None);
    let row = |p: &str| sheet.rows.iter().find(|r| r.pointer == p).unwrap();
    let access = |p: &str| (row(p).admin, row(p).user);
    assert_eq!(access("/email"), (ReadWrite, ReadWrite));
    assert_eq!(access("/nickname"), (ReadWrite, ReadWrite));
    assert_eq!(access("/employeeId"), (ReadWrite, Read));
    assert_eq!(access("/costCenter"), (ReadWrite, Hidden));
    assert_eq!(access("/auditFlag"), (Read, Hidden));
    assert_eq!(access("/diary"), (Hidden, ReadWrite));
    assert_eq!(access("/badge"), (Hidden, Read));
    assert_eq!(access("/secret"), (Hidden, Hidden));
    assert_eq!(access("/pin"), (Access::Write, Access::Write));
    // Nested: the city has no keyword of its own, but the address limits the user to reading.
    assert_eq!(access("/address/city"), (ReadWrite, Read));
    assert_eq!(
        row("/address/city").user_limited_by.as_deref(),
        Some("/address")
    );
    assert_eq!(row("/address/city").admin_limited_by, None);
    assert_eq!(access("/address/zip"), (Read, Read));
    assert_eq!(row("/address/zip").user_limited_by, None);
    assert!(row("/address/city").required);
    assert_eq!(row("/address/city").depth, 1);
    assert_eq!(row("/tags").type_label, "array of string");
    assert_eq!(
        row("/tags").constraints,
        ["items ≤ 3", "each item: one of: a, b"]
    );
    assert_eq!(row("/email").constraints, ["length ≤ 255", "format email"]);
    assert_eq!(row("/employeeId").constraints, ["value ≥ 1"]);
    assert_eq!(sheet.rows.len(), 13);
}

#[test]
fn review_markdown_content() {
    let md = review::markdown(&review::build(&review_draft(), info(3), None));
    assert!(md.starts_with("# Review sheet: employee\n"), "{md}");
    assert!(md.contains("| Schema type | `employee` |"), "{md}");
    assert!(
        md.contains("| Revision | 3 \\(saved 2026-12-01T12:00:00Z\\): Imported from realm.json |")
            || md.contains(
                "| Revision | 3 (saved 2026-12-01T12:00:00Z): Imported from realm.json |"
            ),
        "{md}"
    );
    assert!(md.contains("Username (AUTHENTICATOR\\_TYPE\\_USERNAME), Password (AUTHENTICATOR\\_TYPE\\_PASSWORD), Passkey (WebAuthn) (AUTHENTICATOR\\_TYPE\\_WEBAUTHN)"), "{md}");
    assert!(md.contains("| Field | Title | Type | Constraints | Required | Administrators | User |\n|---|---|---|---|---|---|---|\n"), "{md}");
    assert!(md.contains("| `/email` | Email | string | `length ≤ 255`<br>`format email` | **yes** | read and write | read and write |"), "{md}");
    assert!(
        md.contains("| `/costCenter` | Cost centre | string |  | no | read and write | hidden |"),
        "{md}"
    );
    assert!(
        md.contains("| `/auditFlag` | Audit flag | boolean |  | no | read | hidden |"),
        "{md}"
    );
    assert!(
        md.contains("| `/diary` | Private diary | string |  | no | hidden | read and write |"),
        "{md}"
    );
    assert!(
        md.contains("| `/pin` |  | string | `pattern ^[0-9]{4}$` | no | write only | write only |"),
        "{md}"
    );
    assert!(md.contains("| `/address/city` | City | string |  | **yes** | read and write | read (limited by /address) |"), "{md}");
    // Schema text never becomes markup: the pipe does not split the cell, the tag is text.
    assert!(
        md.contains("Nick \\| name<br>Shown \\<b\\>publicly\\</b\\>"),
        "{md}"
    );
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(!md.contains("## Compatibility"));
    // Every table row has the header's number of cells.
    for line in md.lines().filter(|l| l.starts_with("| `/")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 8, "{line}");
    }
}

fn revision_2() -> schemadesk::schema::UserSchemaDraft {
    let mut d = review_draft();
    let props = d.schema["properties"].as_object_mut().unwrap();
    props.shift_remove("auditFlag");
    props.insert("phone".into(), json!({"type": "string", "title": "Phone"}));
    props["email"]["maxLength"] = json!(100);
    props["employeeId"][PERMISSION_KEYWORD] = json!({"owner": "rw"});
    d.schema["required"] = json!(["email", "address", "phone"]);
    d.possible_authenticators.remove(&A::Webauthn);
    d
}

#[test]
fn review_against_an_older_revision_marks_the_changed_fields() {
    let old = review_draft();
    let new = revision_2();
    let sheet = review::build(&new, info(4), Some(("revision 3".into(), &old)));
    let row = |p: &str| sheet.rows.iter().find(|r| r.pointer == p).unwrap();
    let change = |p: &str| row(p).change.clone().map(|c| (c.status, c.class));
    use review::Status;
    use schemadesk::schema::compat::Class;
    assert_eq!(change("/phone"), Some((Status::Added, Class::Breaking)));
    assert_eq!(change("/email"), Some((Status::Changed, Class::Breaking)));
    assert_eq!(change("/auditFlag").map(|c| c.0), Some(Status::Removed));
    assert_eq!(change("/employeeId").map(|c| c.0), Some(Status::Changed));
    assert_eq!(change("/nickname"), None);
    assert_eq!(change("/address/city"), None);
    let md = review::markdown(&sheet);
    assert!(
        md.contains("| Compared with | revision 3: **breaking"),
        "{md}"
    );
    assert!(md.contains("| **`/phone`** | Phone | string |  | **yes** | read and write | read and write | **added, breaking** |"), "{md}");
    assert!(md.contains("| **`/email`** |"), "{md}");
    assert!(md.contains("| ~~**`/auditFlag`**~~ |"), "{md}");
    assert!(md.contains("| `/nickname` |"), "{md}");
    assert!(md.contains("## Compatibility with revision 3\n"), "{md}");
    assert!(
        md.contains("AUTHENTICATOR\\_TYPE\\_WEBAUTHN"),
        "the authenticator change is listed: {md}"
    );
    let html = review::html(&sheet);
    assert!(
        html.contains("<tr class=\"breaking\"><td class=\"ptr\"><code>/phone</code>"),
        "{html}"
    );
    assert!(html.contains("<tr class=\"removed "), "{html}");
    assert!(html.contains("<h2>Compatibility with revision 3</h2>"));
    let csv = review::csv(&sheet);
    assert!(csv.starts_with("field,title,description,type,constraints,required,administrators,user,change,change details\r\n"));
    assert!(
        csv.contains(
            "/phone,Phone,,string,,yes,read and write,read and write,\"added, breaking\","
        ),
        "{csv}"
    );
}

#[test]
fn review_html_stands_alone_and_escapes_schema_text() {
    let html = review::html(&review::build(&review_draft(), info(3), None));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""
    ));
    assert!(html.contains("@media print"));
    for outside in [
        "<script", "<link", "src=", "@import", "url(", "http://", "https://",
    ] {
        assert!(!html.contains(outside), "{outside} in the HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Shown &lt;b&gt;publicly&lt;/b&gt;"));
    assert!(html.contains("=HYPERLINK(&quot;x&quot;)"));
    assert!(html.contains("<tr><td class=\"ptr\"><span class=\"indent\" style=\"width:1em\"></span><code>/address/city</code></td><td>City</td><td>string</td><td></td><td class=\"yes\">yes</td><td class=\"acc\">read and write</td><td class=\"acc\">read<span class=\"limited\">limited by /address</span></td></tr>"), "{html}");
    assert!(
        html.contains("<td class=\"acc hidden\">hidden</td>"),
        "{html}"
    );
    assert_eq!(html.matches("<td class=\"ptr\">").count(), 13);
}

#[test]
fn review_csv_is_one_row_per_field_and_safe_for_spreadsheets() {
    let csv = review::csv(&review::build(&review_draft(), info(3), None));
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "field,title,description,type,constraints,required,administrators,user"
    );
    assert_eq!(lines.len(), 14);
    assert!(lines.contains(
        &"/email,Email,,string,length ≤ 255; format email,yes,read and write,read and write"
    ));
    assert!(lines.contains(
        &"/nickname,Nick | name,Shown <b>publicly</b>,string,,no,read and write,read and write"
    ));
    // A title a spreadsheet would run as a formula is defused, and quoted for its quotes.
    assert!(
        lines.contains(&"/badge,\"'=HYPERLINK(\"\"x\"\")\",,string,,no,hidden,read"),
        "{csv}"
    );
    assert!(
        lines
            .contains(&"/address/city,City,,string,,yes,read and write,read (limited by /address)")
    );
}

#[test]
fn sheet_format_follows_the_extension() {
    assert_eq!(
        SheetFormat::from_extension("md"),
        Some(SheetFormat::Markdown)
    );
    assert_eq!(SheetFormat::from_extension("HTML"), Some(SheetFormat::Html));
    assert_eq!(SheetFormat::from_extension("csv"), Some(SheetFormat::Csv));
    assert_eq!(SheetFormat::from_extension("json"), None);
}

// ---------------------------------------------------------------- CLI

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn copy(&self, rel: &str, name: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::copy(fixture_path(rel), &p).unwrap();
        p
    }
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_schemadesk"))
            .args(args)
            .env("SCHEMADESK_DB", self.db())
            .output()
            .unwrap()
    }
    fn store(&self) -> Store {
        Store::open(&self.db()).unwrap()
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn out(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_import_detects_saves_a_revision_and_writes_the_report() {
    let env = Env::new();
    let file = env.copy("keycloak/custom.json", "acme-profile.json");
    let report = env.path("report.json");
    let (code, stdout, stderr) = out(&env.run(&["import", s(&file), "--report", s(&report)]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("detected a Keycloak user profile"),
        "{stderr}"
    );
    let ory = env.copy("ory/passkey.json", "passkey.json");
    let (code, _, stderr) = out(&env.run(&["import", s(&ory)]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("detected an Ory Kratos identity schema"),
        "{stderr}"
    );
    assert!(
        stdout.contains("saved \"acme-profile\" revision 1"),
        "{stdout}"
    );
    assert!(stdout.contains("phoneNumber:"), "{stdout}");
    assert!(
        stdout.contains("not mapped /attributes/2/annotations/inputType"),
        "{stdout}"
    );
    // The store holds exactly what the conversion gives.
    let store = env.store();
    let schema = store.by_type("acme-profile").unwrap();
    let rev = store.latest_revision(schema.id).unwrap();
    let expected = convert(&fixture("keycloak/custom.json"), None).unwrap();
    assert_eq!(rev.draft.schema, expected.schema);
    assert_eq!(rev.draft.possible_authenticators, expected.authenticators);
    assert_eq!(
        rev.message,
        "Imported from acme-profile.json (Keycloak user profile)"
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["format"], json!("keycloak"));
    assert_eq!(json["detected"], json!(true));
    assert_eq!(json["savedRevision"], json!(1));
    assert_eq!(json["type"], json!("acme-profile"));
    assert_eq!(json["fields"], json!(12));
    assert_eq!(
        json["entries"].as_array().unwrap().len(),
        expected.report.entries.len()
    );
    assert!(
        json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["topic"] == json!("required-scopes")
                && e["outcome"] == json!("not-mapped")
                && e["subject"] == json!("phoneNumber"))
    );
    // The same import again changes nothing.
    let (code, stdout, _) = out(&env.run(&["import", s(&file)]));
    assert_eq!(code, 0);
    assert!(stdout.contains("is unchanged"), "{stdout}");
}

#[test]
fn cli_import_from_ory_with_a_type() {
    let env = Env::new();
    let file = env.copy("ory/customer.json", "customer.json");
    let (code, stdout, stderr) = out(&env.run(&[
        "import",
        s(&file),
        "--from",
        "ory",
        "--type",
        "shop customer",
    ]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stderr.contains("detected"), "{stderr}");
    let store = env.store();
    let rev = store
        .latest_revision(store.by_type("shop customer").unwrap().id)
        .unwrap();
    assert_eq!(
        rev.draft.possible_authenticators,
        BTreeSet::from([A::Username, A::Password, A::OtpEmail, A::Totp, A::Webauthn])
    );
    // --authenticators overrides, as in a plain import.
    let (code, _, stderr) = out(&env.run(&[
        "import",
        s(&file),
        "--type",
        "shop customer",
        "--authenticators",
        "webauthn",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let rev = store
        .latest_revision(store.by_type("shop customer").unwrap().id)
        .unwrap();
    assert_eq!(
        rev.draft.possible_authenticators,
        BTreeSet::from([A::Webauthn])
    );
}

#[test]
fn cli_invalid_conversions_write_nothing() {
    let env = Env::new();
    let wrong = env.copy("ory/passkey.json", "passkey.json");
    let (code, _, stderr) = out(&env.run(&["import", s(&wrong), "--from", "keycloak"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("passkey.json:/attributes:"), "{stderr}");
    let unresolvable = env.path("remote-ref.json");
    std::fs::write(
        &unresolvable,
        r##"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"traits": {"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}}}"##,
    )
    .unwrap();
    let report = env.path("r.json");
    let (code, stdout, stderr) =
        out(&env.run(&["import", s(&unresolvable), "--report", s(&report)]));
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["savedRevision"], Value::Null);
    let broken = env.path("broken.json");
    std::fs::write(&broken, "{\"attributes\": [").unwrap();
    let (code, _, stderr) = out(&env.run(&["import", s(&broken), "--from", "keycloak"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.json:1:"), "{stderr}");
    assert!(
        env.store()
            .list_schemas(Default::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn cli_plain_import_is_unchanged_and_refuses_report() {
    let env = Env::new();
    let file = env.path("plain.json");
    std::fs::write(&file, review_draft().request_body_pretty()).unwrap();
    let report = env.path("r.json");
    let (code, _, stderr) = out(&env.run(&["import", s(&file), "--report", s(&report)]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--report"), "{stderr}");
    let (code, stdout, stderr) = out(&env.run(&["import", s(&file)]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("saved \"employee\" revision 1"), "{stdout}");
    assert!(!stderr.contains("detected"));
}

#[test]
fn cli_export_review_sheets() {
    let env = Env::new();
    let one = env.path("one.json");
    std::fs::write(&one, review_draft().request_body_pretty()).unwrap();
    let two = env.path("two.json");
    std::fs::write(&two, revision_2().request_body_pretty()).unwrap();
    assert_eq!(out(&env.run(&["import", s(&one)])).0, 0);
    assert_eq!(
        out(&env.run(&["import", s(&two), "--type", "employee"])).0,
        0
    );

    let md = env.path("sheet.md");
    let (code, _, stderr) = out(&env.run(&[
        "export",
        "employee",
        "--format",
        "review",
        "--against",
        "1",
        "-o",
        s(&md),
    ]));
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("| Revision | 2 (saved "), "{text}");
    assert!(text.contains("| **`/phone`** |"), "{text}");
    assert!(text.contains("## Compatibility with revision 1"), "{text}");

    let html = env.path("sheet.html");
    let (code, _, stderr) = out(&env.run(&[
        "export",
        "employee",
        "--format",
        "review",
        "-r",
        "1",
        "-o",
        s(&html),
    ]));
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("<td>1 (saved "), "{text}");
    assert!(text.contains("<code>/auditFlag</code>"));

    let csv = env.path("sheet.csv");
    assert_eq!(
        out(&env.run(&["export", "employee", "--format", "review", "-o", s(&csv)])).0,
        0
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 14);

    // `show --format review` prints the sheet of a revision without its date.
    let (code, stdout, _) = out(&env.run(&["show", "employee", "-r", "1", "--format", "review"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("| Revision | not saved |") && stdout.contains("| `/auditFlag` |"),
        "{stdout}"
    );

    // Markdown on standard output without -o.
    let (code, stdout, _) = out(&env.run(&["export", "employee", "--format", "review"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# Review sheet: employee"));

    let (code, _, stderr) = out(&env.run(&[
        "export",
        "employee",
        "--format",
        "review",
        "-o",
        s(&env.path("x.json")),
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains(".md, .html or .csv"), "{stderr}");
    assert!(!env.path("x.json").exists());
    let (code, _, stderr) =
        out(&env.run(&["export", "--all", s(&env.path("all")), "--format", "review"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--format review"), "{stderr}");
    let (code, _, stderr) =
        out(&env.run(&["export", "employee", "--format", "review", "--against", "9"]));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn cli_export_review_against_the_server_copy() {
    let srv = fake_zitadel::TestServer::start();
    let env = Env::new();
    // The server holds an older shape of the schema: the local one adds "phone" as required.
    srv.seed(
        "employee",
        review_schema(),
        &["AUTHENTICATOR_TYPE_USERNAME", "AUTHENTICATOR_TYPE_PASSWORD"],
    );
    let local = env.path("employee.json");
    std::fs::write(&local, revision_2().request_body_pretty()).unwrap();
    assert_eq!(out(&env.run(&["import", s(&local)])).0, 0);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_schemadesk"))
            .args(args)
            .env("SCHEMADESK_DB", env.db())
            .env("ZITADEL_TOKEN", fake_zitadel::TOKEN)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let (code, _, stderr) = out(&run(&["remote", "add", "prod", &srv.url]));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = out(&run(&[
        "export",
        "employee",
        "--format",
        "review",
        "--against-server",
        "prod",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("| Compared with | the server \"prod\" (its revision 1): **breaking"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| **`/phone`** | Phone | string |  | **yes** |"),
        "{stdout}"
    );
    assert!(stdout.contains("| ~~**`/auditFlag`**~~ |"), "{stdout}");
    // The token never appears in the sheet.
    assert!(!stdout.contains(fake_zitadel::TOKEN));
    let (code, _, stderr) = out(&run(&[
        "export",
        "employee",
        "--format",
        "review",
        "--against-server",
        "nowhere",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("nowhere"), "{stderr}");
}

// ---------------------------------------------------------------- generated profiles

/// A small deterministic generator (xorshift), so a failing case can be replayed by its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }
    fn roles(&mut self) -> Vec<&'static str> {
        ["admin", "user"]
            .into_iter()
            .filter(|_| self.coin())
            .collect()
    }
}

fn generated_attribute(g: &mut Gen, i: usize) -> Value {
    let mut attr = serde_json::Map::new();
    attr.insert("name".into(), json!(format!("attr{i}")));
    match g.below(3) {
        0 => {}
        1 => {
            attr.insert("displayName".into(), json!(format!("${{profile.attr{i}}}")));
        }
        _ => {
            attr.insert("displayName".into(), json!(format!("Attribute {i}")));
        }
    }
    let mut validations = serde_json::Map::new();
    let num = |g: &mut Gen, n: u64| {
        if g.coin() {
            json!(n)
        } else {
            json!(n.to_string())
        }
    };
    if g.coin() {
        let min = g.below(5);
        let max = min + 1 + g.below(100);
        validations.insert(
            "length".into(),
            json!({"min": num(g, min), "max": num(g, max)}),
        );
    }
    match g.below(8) {
        0 => {
            validations.insert("email".into(), json!({}));
        }
        1 => {
            validations.insert("uri".into(), json!({"allowedSchemes": ["https"]}));
        }
        2 => {
            let p = [
                "[a-z]+",
                "^[A-Z]{2}$",
                "\\d{3}-\\d{4}",
                "\\p{javaLowerCase}+",
            ][g.below(4) as usize];
            validations.insert(
                "pattern".into(),
                json!({"pattern": p, "error-message": "bad"}),
            );
        }
        3 => {
            validations.insert("options".into(), json!({"options": ["x", "y"]}));
        }
        4 => {
            validations.insert(
                "integer".into(),
                json!({"min": num(g, 1), "max": num(g, 99)}),
            );
        }
        5 => {
            validations.insert("double".into(), json!({"min": 0.5}));
        }
        6 => {
            validations.insert(
                if g.coin() { "iso-date" } else { "local-date" }.into(),
                json!({}),
            );
        }
        _ => {}
    }
    if g.coin() {
        validations.insert("person-name-prohibited-characters".into(), json!({}));
    }
    if g.below(4) == 0 {
        validations.insert("x-unknown-check".into(), json!({"level": 3}));
    }
    let multivalued = g.below(3) == 0;
    if multivalued && g.coin() {
        validations.insert("multivalued".into(), json!({"min": 1, "max": num(g, 4)}));
    }
    attr.insert("validations".into(), Value::Object(validations));
    if g.below(4) != 0 {
        let view = g.roles();
        let edit = g.roles();
        attr.insert("permissions".into(), json!({"view": view, "edit": edit}));
    }
    if g.coin() {
        let mut req = serde_json::Map::new();
        req.insert("roles".into(), json!(g.roles()));
        if g.below(3) == 0 {
            req.insert("scopes".into(), json!(["profile"]));
        }
        attr.insert("required".into(), Value::Object(req));
    }
    if multivalued {
        attr.insert("multivalued".into(), json!(true));
    }
    if g.below(3) == 0 {
        attr.insert(
            "annotations".into(),
            json!({"inputType": "textarea", "inputHelperTextAfter": "help"}),
        );
    }
    if g.below(4) == 0 {
        attr.insert("group".into(), json!("g1"));
    }
    Value::Object(attr)
}

/// Generated profiles: the result always validates, keeps every attribute in order with the
/// rule's permission and required-ness, and reports every validator it does not map.
/// `INTERCHANGE_CASES` raises the number of cases (64 by default).
#[test]
fn generated_keycloak_profiles_follow_the_rules() {
    const MAPPED: &[&str] = &[
        "length",
        "email",
        "uri",
        "pattern",
        "options",
        "integer",
        "double",
        "iso-date",
        "local-date",
        "multivalued",
    ];
    let cases: u64 = std::env::var("INTERCHANGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    for case in 0..cases {
        let seed = 0x9E37_79B9_7F4A_7C15 ^ (case + 1);
        let mut g = Gen(seed);
        let n = 1 + g.below(6) as usize;
        let attrs: Vec<Value> = (0..n).map(|i| generated_attribute(&mut g, i)).collect();
        let profile = json!({"attributes": attrs, "groups": [{"name": "g1"}]});
        let i = convert(&profile.to_string(), None).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_valid(&i, &format!("seed {seed}: {profile}"));
        let tree = FieldTree::read(&i.schema).unwrap();
        assert_eq!(tree.fields.len(), n, "seed {seed}");
        let req = required(&i);
        for (f, attr) in tree.fields.iter().zip(&attrs) {
            let name = attr["name"].as_str().unwrap();
            assert_eq!(f.name, name, "seed {seed}");
            let roles = |p: &str| -> Vec<String> {
                attr.pointer(p)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|r| r.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (view, edit) = (roles("/permissions/view"), roles("/permissions/edit"));
            let expect = |role: &str| {
                if edit.iter().any(|r| r == role) {
                    ReadWrite
                } else if view.iter().any(|r| r == role) {
                    Read
                } else {
                    Hidden
                }
            };
            assert_eq!(
                f.permission,
                perm(expect("admin"), expect("user")),
                "seed {seed}: {attr}"
            );
            let required_roles = roles("/required/roles");
            let should_require = attr.get("required").is_some()
                && attr.pointer("/required/scopes").is_none()
                && (required_roles.is_empty()
                    || required_roles.iter().any(|r| r == "admin" || r == "user"));
            assert_eq!(
                req.contains(&name.to_string()),
                should_require,
                "seed {seed}: {attr}"
            );
            let multivalued = attr["multivalued"] == json!(true);
            assert_eq!(
                f.field_type.map(|t| t.as_str()) == Some("array"),
                multivalued,
                "seed {seed}"
            );
            let at = |suffix: &str| {
                let pointer = format!(
                    "/attributes/{}{suffix}",
                    attrs.iter().position(|a| a == attr).unwrap()
                );
                i.report
                    .entries
                    .iter()
                    .any(|e| e.source == pointer || e.source.starts_with(&format!("{pointer}/")))
            };
            for (v, _) in attr["validations"].as_object().unwrap() {
                if !MAPPED.contains(&v.as_str()) {
                    assert!(
                        at(&format!("/validations/{v}")),
                        "seed {seed}: {v} unreported"
                    );
                }
            }
            for (a, _) in attr["annotations"].as_object().into_iter().flatten() {
                assert!(
                    at(&format!("/annotations/{a}")),
                    "seed {seed}: {a} unreported"
                );
            }
            if attr.pointer("/validations/pattern").is_some() {
                let kept = i
                    .schema
                    .pointer(&format!(
                        "{}/pattern",
                        if multivalued {
                            format!("/properties/{name}/items")
                        } else {
                            format!("/properties/{name}")
                        }
                    ))
                    .is_some();
                let reported_invalid = has(&i, name, Topic::PatternInvalid, Outcome::NotMapped);
                assert!(
                    kept != reported_invalid,
                    "seed {seed}: the pattern is kept or reported, not both"
                );
            }
        }
    }
}

/// Every place of every fixture replaced by values of the wrong shape: the conversion
/// answers (a result or an error naming a pointer), never panics, and a result's review
/// sheet renders. `INTERCHANGE_CASES` raises the number of mutations per fixture.
#[test]
fn mutated_fixtures_never_panic() {
    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, c) in map {
                    pointers(
                        c,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, c) in items.iter().enumerate() {
                    pointers(c, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let cases: u64 = std::env::var("INTERCHANGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let wrong = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("${x}"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"name": 3, "via": 7, "identifier": "yes"}),
    ];
    for rel in KEYCLOAK.iter().chain(ORY) {
        let original = parse(&fixture(rel)).unwrap();
        let mut all = Vec::new();
        pointers(&original, String::new(), &mut all);
        let mut g = Gen(0xD1B5_4A32_D192_ED03 ^ rel.len() as u64);
        for _ in 0..cases {
            let mut doc = original.clone();
            for _ in 0..1 + g.below(3) {
                let at = &all[g.below(all.len() as u64) as usize];
                if let Some(slot) = doc.pointer_mut(at) {
                    *slot = wrong[g.below(wrong.len() as u64) as usize].clone();
                }
            }
            for from in [None, Some(Format::Keycloak), Some(Format::Ory)] {
                match schemadesk::interchange::convert_value(&doc, from) {
                    Ok(i) => {
                        let d = i.draft("m");
                        let sheet = review::build(&d, None, Some(("revision 1".into(), &d)));
                        for f in [SheetFormat::Markdown, SheetFormat::Html, SheetFormat::Csv] {
                            assert!(!f.render(&sheet).is_empty());
                        }
                    }
                    Err(InterchangeError::Shape { pointer, message }) => {
                        assert!(!message.is_empty());
                        assert!(pointer.is_empty() || pointer.starts_with('/'), "{pointer}");
                    }
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
}
