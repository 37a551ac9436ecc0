//! Drafts survive a crash (issue 13, item 11): a few seconds after the last edit the open
//! draft is kept in the store (not as a revision); the next start offers to restore or
//! discard it. The "crash" is the harness dropped without saving or closing.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::SchemaId;
use serde_json::json;

use crate::harness::{Fixture, click, opening, set_text, settle};

const EDITED: &str = "{\n  \"type\": \"object\",\n  \"title\": \"edited, not saved\"\n";

/// An "employee" schema in the fixture's store.
fn seed(fx: &Fixture) -> SchemaId {
    fx.store()
        .create_schema(
            &UserSchemaDraft::new(
                "employee",
                json!({"type": "object"}),
                [AuthenticatorType::Password],
            ),
            "seed",
        )
        .expect("seed")
        .schema_id
}

/// The app with the schema open, as after a restart.
fn app(fx: &Fixture, id: SchemaId) -> Harness<'static, SchemaDeskApp> {
    fx.app_with(egui::vec2(1280.0, 800.0), opening(id), |app| app)
}

/// Edits the JSON without saving, then lets (simulated) time pass until the draft is
/// kept; returns the harness as it is, to be dropped like a killed process.
fn edit_and_wait(fx: &Fixture, id: SchemaId) -> Harness<'static, SchemaDeskApp> {
    let mut h = app(fx, id);
    assert!(h.state().draft_offer().is_none(), "nothing to restore yet");
    set_text(&mut h, "JSON schema", EDITED);
    assert!(h.state().state.is_dirty());
    for _ in 0..40 {
        if !fx.store().kept_drafts().expect("drafts").is_empty() {
            break;
        }
        h.step();
        settle(&mut h);
    }
    h
}

#[test]
fn an_unsaved_draft_is_kept_and_restored_after_a_crash() {
    let fx = Fixture::new();
    let id = seed(&fx);
    let h = edit_and_wait(&fx, id);
    let kept = fx.store().kept_drafts().expect("drafts");
    assert_eq!(
        kept.len(),
        1,
        "the draft is kept a few seconds after the edit"
    );
    assert_eq!(kept[0].schema_text, EDITED);
    assert_eq!(kept[0].base_revision, 1);
    assert_eq!(
        fx.store().history(id).expect("history").len(),
        1,
        "a kept draft is not a revision"
    );
    drop(h);

    let mut h = app(&fx, id);
    assert!(h.state().draft_offer().is_some(), "the restart offers it");
    h.get_by_label("Restore draft");
    h.get_by_label("Discard draft");
    click(&mut h, "Restore draft");
    let editor = h.state().state.editor.clone().expect("open");
    assert_eq!(editor.parts.schema_text, EDITED);
    assert!(editor.dirty, "restored, not saved");
    assert!(h.query_by_label("Restore draft").is_none(), "asked once");

    // Saving makes it a revision and drops the kept draft.
    set_text(
        &mut h,
        "JSON schema",
        "{\n  \"type\": \"object\",\n  \"title\": \"now saved\"\n}",
    );
    click(&mut h, "Save revision");
    for _ in 0..20 {
        if fx.store().kept_drafts().expect("drafts").is_empty() {
            break;
        }
        h.step();
        settle(&mut h);
    }
    assert_eq!(fx.store().history(id).expect("history").len(), 2);
    assert!(fx.store().kept_drafts().expect("drafts").is_empty());
    drop(h);
    let h = app(&fx, id);
    assert!(h.state().draft_offer().is_none(), "nothing left to offer");
}

#[test]
fn a_discarded_draft_is_gone() {
    let fx = Fixture::new();
    let id = seed(&fx);
    drop(edit_and_wait(&fx, id));
    let mut h = app(&fx, id);
    click(&mut h, "Discard draft");
    let editor = h.state().state.editor.clone().expect("open");
    assert!(!editor.dirty);
    assert_ne!(editor.parts.schema_text, EDITED);
    assert!(fx.store().kept_drafts().expect("drafts").is_empty());
    assert_eq!(fx.store().history(id).expect("history").len(), 1);
}
