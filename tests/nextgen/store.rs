//! The target of each schema in the store (migration 3).

use schemadesk::nextgen::Target;
use schemadesk::schema::UserSchemaDraft;
use schemadesk::store::{Store, StoreError};
use serde_json::json;

use super::sso_only;

#[test]
fn schemas_default_to_v3alpha_and_keep_their_target() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    let old = store
        .create_schema(
            &UserSchemaDraft::new("old", json!({"type": "object"}), []),
            "",
        )
        .unwrap();
    assert_eq!(store.target(old.schema_id).unwrap(), Target::V3alpha);
    let next = UserSchemaDraft::new("partner", sso_only(), []);
    let rev = store.save_with_target(&next, "m", Target::Nextgen).unwrap();
    let id = rev.revision().schema_id;
    assert_eq!(store.target(id).unwrap(), Target::Nextgen);
    // A nextgen document cannot become a revision of a v3alpha schema: refused, unchanged.
    let e = store
        .save_with_target(
            &UserSchemaDraft::new("old", sso_only(), []),
            "m",
            Target::Nextgen,
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::TargetMismatch { .. }), "{e}");
    assert_eq!(store.history(old.schema_id).unwrap().len(), 1);
    drop(store);
    let store = Store::open(&path).unwrap();
    let targets = store.targets().unwrap();
    assert_eq!(targets[&id], Target::Nextgen);
    assert_eq!(targets[&old.schema_id], Target::V3alpha);
}

#[test]
fn a_purged_schema_takes_its_target_along() {
    let mut store = Store::open_in_memory().unwrap();
    let rev = store
        .save_with_target(
            &UserSchemaDraft::new("partner", sso_only(), []),
            "",
            Target::Nextgen,
        )
        .unwrap();
    let id = rev.revision().schema_id;
    store.mark_deleted(id).unwrap();
    store.purge(id).unwrap();
    let again = store
        .create_schema(
            &UserSchemaDraft::new("partner", json!({"type": "object"}), []),
            "",
        )
        .unwrap();
    assert_eq!(store.target(again.schema_id).unwrap(), Target::V3alpha);
}
