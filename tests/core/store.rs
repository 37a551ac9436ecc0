use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::{ListFilter, SaveOutcome, Store, StoreError};
use serde_json::json;

fn draft(type_name: &str, title: &str) -> UserSchemaDraft {
    UserSchemaDraft::new(
        type_name,
        json!({"type": "object", "title": title}),
        [AuthenticatorType::Password],
    )
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("nested/folder/store.db")).unwrap();
    (dir, store)
}

#[test]
fn a_new_store_records_its_version_and_uses_wal() {
    let (dir, store) = temp_store();
    assert_eq!(store.version().unwrap(), schemadesk::store::STORE_VERSION);
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("nested/folder/store.db")).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, schemadesk::store::APPLICATION_ID);
}

/// The GUI opens one store file from several threads at start-up; on a file that does not
/// exist yet, each of them must see either nothing or the finished store, never a half-made
/// one that looks like another program's database.
#[test]
fn many_connections_creating_one_new_store_at_once_all_succeed() {
    for round in 0..200 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let start = std::sync::Arc::new(std::sync::Barrier::new(6));
        let openers: Vec<_> = (0..6)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(|s| s.version().unwrap())
                })
            })
            .collect();
        for opener in openers {
            let opened = opener.join().expect("opener thread");
            assert_eq!(
                opened.map_err(|e| e.to_string()),
                Ok(schemadesk::store::STORE_VERSION),
                "round {round}"
            );
        }
    }
}

#[test]
fn a_version_1_store_is_migrated_in_place_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.create_schema(&draft("kept", "x"), "old").unwrap();
    }
    // Turn it back into a version 1 file: drop what version 2 added.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP INDEX revisions_history; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.version().unwrap(), schemadesk::store::STORE_VERSION);
    let s = store.by_type("kept").unwrap();
    assert_eq!(store.latest_revision(s.id).unwrap().message, "old");
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id, number, type, content_hash, created_at, message, restored_from \
             FROM revisions WHERE schema_id = 1 ORDER BY number DESC",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("COVERING INDEX revisions_history"), "{plan}");
}

#[test]
fn saving_appends_revisions_and_skips_unchanged_content() {
    let (_dir, mut store) = temp_store();
    let r1 = store
        .create_schema(&draft("employee", "v1"), "first")
        .unwrap();
    assert_eq!(r1.number, 1);
    let id = r1.schema_id;
    let same = store
        .save_revision(id, &draft("employee", "v1"), "again")
        .unwrap();
    assert!(matches!(same, SaveOutcome::Unchanged(ref r) if r.number == 1));
    let r2 = store
        .save_revision(id, &draft("employee", "v2"), "second")
        .unwrap();
    assert!(r2.created());
    assert_eq!(r2.revision().number, 2);
    let history = store.history(id).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.number, h.message.as_str()))
            .collect::<Vec<_>>(),
        [(2, "second"), (1, "first")]
    );
    // The old revision is untouched.
    assert_eq!(
        store.revision(id, 1).unwrap().draft,
        draft("employee", "v1")
    );
    assert_ne!(history[0].content_hash, history[1].content_hash);
}

#[test]
fn revisions_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    store.create_schema(&draft("a", "x"), "").unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let err = conn
        .execute("UPDATE revisions SET message = 'changed'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn restore_appends_a_copy_of_an_old_revision() {
    let (_dir, mut store) = temp_store();
    let id = store
        .create_schema(&draft("t", "one"), "")
        .unwrap()
        .schema_id;
    store.save_revision(id, &draft("t", "two"), "").unwrap();
    let restored = store.restore_revision(id, 1, "").unwrap();
    let rev = restored.revision();
    assert_eq!(rev.number, 3);
    assert_eq!(rev.restored_from, Some(1));
    assert_eq!(rev.message, "Restored revision 1");
    assert_eq!(rev.draft, draft("t", "one"));
    assert_eq!(store.history(id).unwrap().len(), 3);
    assert!(matches!(
        store.restore_revision(id, 9, ""),
        Err(StoreError::NoSuchRevision { number: 9, .. })
    ));
}

#[test]
fn rename_makes_a_revision_and_refuses_taken_types() {
    let (_dir, mut store) = temp_store();
    let a = store.create_schema(&draft("a", "x"), "").unwrap().schema_id;
    store.create_schema(&draft("b", "x"), "").unwrap();
    assert!(matches!(
        store.rename(a, "b"),
        Err(StoreError::TypeTaken(_))
    ));
    let out = store.rename(a, "c").unwrap();
    assert_eq!(out.revision().number, 2);
    assert_eq!(store.schema(a).unwrap().type_name, "c");
    assert!(store.find_by_type("a").unwrap().is_none());
    assert!(matches!(
        store.create_schema(&draft("c", "y"), ""),
        Err(StoreError::TypeTaken(_))
    ));
}

#[test]
fn archive_and_two_step_delete() {
    let (_dir, mut store) = temp_store();
    let a = store.create_schema(&draft("a", "x"), "").unwrap().schema_id;
    store.set_archived(a, true).unwrap();
    assert!(
        store
            .list_schemas(ListFilter::default())
            .unwrap()
            .is_empty()
    );
    let all = ListFilter {
        include_archived: true,
        include_deleted: true,
    };
    assert!(store.list_schemas(all).unwrap()[0].archived);
    store.set_archived(a, false).unwrap();

    assert!(matches!(store.purge(a), Err(StoreError::NotDeleted(_))));
    store.mark_deleted(a).unwrap();
    assert!(
        store
            .list_schemas(ListFilter::default())
            .unwrap()
            .is_empty()
    );
    // Revisions stay until the delete is confirmed.
    assert_eq!(store.history(a).unwrap().len(), 1);
    store.undelete(a).unwrap();
    assert_eq!(store.list_schemas(ListFilter::default()).unwrap().len(), 1);
    store.mark_deleted(a).unwrap();
    store.purge(a).unwrap();
    assert!(store.list_schemas(all).unwrap().is_empty());
    assert!(store.history(a).unwrap().is_empty());
}

#[test]
fn a_deleted_type_can_be_reused_but_not_undeleted_over_a_live_one() {
    let (_dir, mut store) = temp_store();
    let a = store.create_schema(&draft("a", "x"), "").unwrap().schema_id;
    store.mark_deleted(a).unwrap();
    store.create_schema(&draft("a", "new"), "").unwrap();
    assert!(matches!(store.undelete(a), Err(StoreError::TypeTaken(_))));
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_schema(&draft("a", "1"), "").unwrap().schema_id;
        store.save_revision(id, &draft("a", "2"), "m").unwrap();
    }
    let store = Store::open(&path).unwrap();
    let s = store.by_type("a").unwrap();
    assert_eq!(s.latest_revision, 2);
    assert_eq!(store.latest_revision(s.id).unwrap().message, "m");
}

#[test]
fn foreign_corrupt_and_newer_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();

    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"this is not a database, just some text that is long enough",
    )
    .unwrap();
    let before = std::fs::read(&junk).unwrap();
    let err = Store::open(&junk).err().expect("refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("junk.db"));
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = Store::open(&foreign).err().expect("refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Store::open(&newer).err().expect("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer schemadesk"));
}
