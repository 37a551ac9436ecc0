//! A workspace fixture: editing one file leaves the others byte for byte, keeps key order,
//! number spellings and indentation, refuses $id and a renamed objectType, and compares with
//! git's HEAD.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use schemadesk::nextgen::workspace::{Saved, Workspace, WorkspaceError};

/// Written by hand in three styles: four-space indent with odd number spellings, two-space,
/// and a compact one-liner.
const EMPLOYEE: &str = r#"{
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "kind": "user-schema",
    "metaSchema": "${SERVER_URL}/user-schema.json",
    "objectType": "employee",
    "x-identifier": "email",
    "x-auth-methods": {"password": {"enabled": true}, "passkey": {"enabled": false}},
    "properties": {
        "email": {"type": "string", "x-unique": "project"},
        "age": {"type": "integer", "minimum": 1.0e1, "maximum": 150},
        "department": {"type": "string"}
    }
}
"#;
const PARTNER: &str = "{\n  \"kind\": \"user-schema\",\n  \"objectType\": \"partner\",\n  \"metaSchema\": \"${SERVER_URL}/user-schema.json\",\n  \"x-auth-methods\": {\"sso\": {\"enabled\": true, \"providers\": [\"google\"]}},\n  \"properties\": {\"company\": {\"type\": \"string\", \"maxLength\": 100.0}}\n}\n";
const MEMBER: &str = "{\"kind\":\"user-schema\",\"metaSchema\":\"m\",\"objectType\":\"member\",\"x-auth-methods\":{\"otp\":{\"enabled\":true}}}";

pub fn fixture(dir: &Path) {
    let schemas = dir.join(".zitadel/schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::write(dir.join("zitadel.json"), "{\"project\": \"alpha\"}\n").unwrap();
    std::fs::write(schemas.join("employee.json"), EMPLOYEE).unwrap();
    std::fs::write(schemas.join("partner.json"), PARTNER).unwrap();
    std::fs::write(schemas.join("member.json"), MEMBER).unwrap();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(".zitadel/schemas").join(name)).unwrap()
}

#[test]
fn an_edit_touches_only_its_file_and_its_change() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let ws = Workspace::open(dir.path()).unwrap();
    let file = ws.find("employee").unwrap();
    let mut doc: Value = serde_json::from_str(&file.text).unwrap();
    doc["properties"]["department"]["x-editable"] = json!(false);
    doc["properties"]["phone"] = json!({"type": "string"});
    doc["x-auth-methods"]["passkey"]["enabled"] = json!(true);
    assert_eq!(ws.save(&file, &doc).unwrap(), Saved::Written);
    // Untouched files: byte for byte.
    assert_eq!(read(dir.path(), "partner.json"), PARTNER);
    assert_eq!(read(dir.path(), "member.json"), MEMBER);
    // The edited file: only the change; 1.0e1 and the key order stay.
    let after = read(dir.path(), "employee.json");
    let expected = EMPLOYEE
        .replace(
            "\"department\": {\"type\": \"string\"}",
            "\"department\": {\"type\": \"string\", \"x-editable\": false},\n        \"phone\": {\n            \"type\": \"string\"\n        }",
        )
        .replace("\"passkey\": {\"enabled\": false}", "\"passkey\": {\"enabled\": true}");
    assert_eq!(after, expected);
    // Saving the same document again writes nothing.
    let file = ws.find("employee").unwrap();
    assert_eq!(ws.save(&file, &doc).unwrap(), Saved::Unchanged);
}

#[test]
fn id_a_renamed_object_type_and_invalid_documents_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let ws = Workspace::open(dir.path()).unwrap();
    let file = ws.find("partner").unwrap();
    let mut doc: Value = serde_json::from_str(&file.text).unwrap();
    doc["$id"] = json!("sch_01J");
    assert!(matches!(
        ws.save(&file, &doc),
        Err(WorkspaceError::HasId(_))
    ));
    doc.as_object_mut().unwrap().shift_remove("$id");
    doc["objectType"] = json!("supplier");
    let e = ws.save(&file, &doc).unwrap_err();
    assert!(matches!(e, WorkspaceError::ObjectTypeRenamed { .. }));
    assert!(
        e.to_string().contains("never") || e.to_string().contains("key that ties"),
        "{e}"
    );
    doc["objectType"] = json!("partner");
    doc["x-auth-methods"]["sso"]["providers"] = json!([]);
    assert!(matches!(
        ws.save(&file, &doc),
        Err(WorkspaceError::Invalid { .. })
    ));
    assert_eq!(read(dir.path(), "partner.json"), PARTNER);
}

#[test]
fn a_folder_without_zitadel_json_is_no_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let e = Workspace::open(dir.path()).unwrap_err().to_string();
    assert!(e.contains("zitadel.json"), "{e}");
}

pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_working_copy_is_compared_with_head() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "fixture"]);
    let ws = Workspace::open(dir.path()).unwrap();
    let file = ws.find("employee").unwrap();
    assert_eq!(ws.text_at(&file, "HEAD").unwrap(), EMPLOYEE);
    let mut doc: Value = serde_json::from_str(EMPLOYEE).unwrap();
    doc["properties"]["department"]["x-unique"] = json!("project");
    doc["properties"]["email"]["x-editable"] = json!(false);
    doc["properties"]["department"]["type"] = json!("string");
    doc["x-auth-methods"]["password"]["enabled"] = json!(false);
    doc["x-identifier"] = json!("department");
    ws.save(&file, &doc).unwrap();
    let file = ws.find("employee").unwrap();
    let old: Value = serde_json::from_str(&ws.text_at(&file, "HEAD").unwrap()).unwrap();
    let new: Value = serde_json::from_str(&file.text).unwrap();
    let report = schemadesk::nextgen::compat::compare_documents(&old, &new);
    use schemadesk::nextgen::compat::NextgenKind as K;
    let kinds: Vec<K> = report.dialect.iter().map(|c| c.kind).collect();
    for k in [
        K::UniqueAdded,
        K::EditableTurnedOff,
        K::MethodDisabled,
        K::IdentifierMoved,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {:#?}", report.dialect);
    }
    assert!(report.is_breaking());
    // The dialect's keywords are not reported twice as plain JSON Schema changes.
    assert!(
        report.schema.changes.is_empty(),
        "{:#?}",
        report.schema.changes
    );
    let e = ws.text_at(&file, "no-such-rev").unwrap_err().to_string();
    assert!(e.contains("no-such-rev"), "{e}");
}
