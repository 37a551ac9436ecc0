//! The pipeline on a real SQLite store in a temporary folder.

use std::path::Path;

use serde_json::json;

use super::export::{ExportError, export_all, export_latest};
use super::import::AuthenticatorListError;
use super::{ExportFormat, ImportError, ImportOptions, import_text, prepare, save};
use crate::nextgen::Target;
use crate::schema::{AuthenticatorType, TypeNameError};
use crate::store::{Store, StoreError};

fn store(dir: &Path) -> Store {
    Store::open(&dir.join("store.db")).expect("a new store opens")
}

fn sso_only() -> String {
    crate::schema::pretty(&json!({
        "kind": "user-schema",
        "metaSchema": "${SERVER_URL}/user-schema.json",
        "objectType": "partner",
        "x-auth-methods": {"sso": {"enabled": true, "providers": ["google"]}},
        "properties": {"company": {"type": "string"}}
    }))
}

const BARE: &str = r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#;

#[test]
fn a_bare_schema_takes_the_file_name_and_keeps_the_previous_authenticators() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(dir.path());
    let body = r#"{"type": "employee", "schema": {"type": "object"}, "possibleAuthenticators": ["AUTHENTICATOR_TYPE_PASSWORD"]}"#;
    import_text(
        &mut store,
        Path::new("body.json"),
        body,
        ImportOptions::default(),
        "",
    )
    .expect("the body imports");
    let (target, outcome) = import_text(
        &mut store,
        &dir.path().join("employee.json"),
        BARE,
        ImportOptions::default(),
        "",
    )
    .expect("the bare schema imports");
    assert_eq!(target, Target::V3alpha);
    let rev = outcome.revision();
    assert_eq!((rev.draft.type_name.as_str(), rev.number), ("employee", 2));
    assert_eq!(rev.message, "Imported from employee.json");
    assert_eq!(
        rev.draft
            .possible_authenticators
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![AuthenticatorType::Password]
    );
}

#[test]
fn a_bad_type_or_authenticator_list_is_refused_before_the_store_is_touched() {
    let file = Path::new("x.json");
    let opts = ImportOptions {
        type_name: Some(" padded"),
        authenticators: None,
    };
    assert!(matches!(
        prepare(file, BARE, opts),
        Err(ImportError::Type(TypeNameError::Untrimmed))
    ));
    let twice = ["password".to_string(), "password".to_string()];
    let opts = ImportOptions {
        type_name: None,
        authenticators: Some(&twice),
    };
    assert!(matches!(
        prepare(file, BARE, opts),
        Err(ImportError::Authenticators(AuthenticatorListError::Twice(
            AuthenticatorType::Password
        )))
    ));
    assert!(matches!(
        prepare(Path::new("-"), BARE, ImportOptions::default()),
        Err(ImportError::NoTypeFromStdin)
    ));
}

#[test]
fn if_latest_refuses_a_stale_save_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(dir.path());
    let file = Path::new("employee.json");
    import_text(&mut store, file, BARE, ImportOptions::default(), "").expect("imports");
    let newer = r#"{"type": "object", "properties": {"age": {"type": "integer"}}}"#;
    let prepared = prepare(file, newer, ImportOptions::default()).expect("valid");
    let err = save(&mut store, prepared, "m", Some(0)).expect_err("revision 1 is the latest");
    assert!(matches!(
        err,
        ImportError::NotLatest(StoreError::NotLatest { latest: 1, .. })
    ));
    let s = store
        .find_by_type("employee")
        .expect("reads")
        .expect("kept");
    assert_eq!(s.latest_revision, 1);
}

#[test]
fn a_nextgen_document_is_saved_as_nextgen_and_exports_as_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(dir.path());
    let text = sso_only();
    let (target, outcome) = import_text(
        &mut store,
        &dir.path().join("p.json"),
        &text,
        ImportOptions::default(),
        "",
    )
    .expect("the document imports");
    assert_eq!(target, Target::Nextgen);
    let id = outcome.revision().schema_id;
    assert_eq!(outcome.revision().draft.type_name, "partner");
    assert_eq!(store.target(id).expect("reads"), Target::Nextgen);
    // The request-body export of a nextgen schema is the document, not a v3alpha body.
    let out = dir.path().join("out.json");
    export_latest(&store, id, &out, ExportFormat::Body).expect("exports");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_eq!(written["kind"], "user-schema");
    assert!(written.get("possibleAuthenticators").is_none());
}

#[test]
fn an_invalid_nextgen_document_names_the_meta_schema_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(dir.path());
    let text = r#"{"kind": "user-schema", "objectType": 5}"#;
    let err = import_text(
        &mut store,
        Path::new("p.json"),
        text,
        ImportOptions::default(),
        "",
    )
    .expect_err("invalid");
    match err {
        ImportError::Invalid { diagnostics, meta } => {
            assert!(!diagnostics.is_empty());
            assert!(meta.is_some_and(|m| !m.is_empty()));
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(store.find_by_type("p").expect("reads").is_none());
}

#[test]
fn export_all_names_files_apart_and_skips_archived_schemas() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(dir.path());
    for name in ["Employee", "employee", "old"] {
        let opts = ImportOptions {
            type_name: Some(name),
            authenticators: None,
        };
        import_text(&mut store, Path::new("x.json"), BARE, opts, "").expect("imports");
    }
    let old = store.find_by_type("old").expect("reads").expect("saved");
    store.set_archived(old.id, true).expect("archives");
    let out = dir.path().join("out");
    let done = export_all(&store, &out, ExportFormat::Schema).expect("exports");
    assert_eq!(done.written, 2);
    assert_eq!(done.archived, vec!["old".to_string()]);
    assert!(done.failed.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2);
    assert!(names.iter().any(|n| n.ends_with("-2.json")), "{names:?}");
    // A folder that cannot be created is named.
    let blocked = dir.path().join("store.db").join("sub");
    let err = export_all(&store, &blocked, ExportFormat::Schema).expect_err("not a folder");
    assert!(matches!(err, ExportError::CreateDir { .. }));
    assert!(err.to_string().starts_with("cannot create "));
}
