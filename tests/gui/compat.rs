//! The compatibility report in the history view shows, under a breaking change, the user
//! it would reject (issue 18).

use std::path::PathBuf;

use egui_kittest::kittest::Queryable as _;
use schemadesk::app::WindowState;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::Store;
use serde_json::json;

use crate::harness::{QueuedDialogs, click};

#[test]
fn a_breaking_change_shows_the_user_it_would_reject() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db: PathBuf = dir.path().join("store.db");
    let mut store = Store::open(&db).expect("a new store");
    let mut id = None;
    for (schema, message) in [
        (
            json!({"type": "object", "properties": {"age": {"type": "integer"}}}),
            "first",
        ),
        (
            json!({"type": "object", "properties": {"age": {"type": "integer", "minimum": 1}}}),
            "adults only",
        ),
    ] {
        let draft = UserSchemaDraft::new("employee", schema, [AuthenticatorType::Password]);
        id = Some(
            store
                .save_by_type(&draft, message)
                .expect("save")
                .revision()
                .schema_id,
        );
    }
    drop(store);
    let settings = WindowState {
        last_schema: id.map(|id| id.0),
        ..WindowState::default()
    };
    let mut h = crate::harness::harness(egui::vec2(1400.0, 900.0), move |cc| {
        SchemaDeskApp::with_settings(
            &cc.egui_ctx,
            db,
            Box::new(QueuedDialogs::default()),
            settings,
        )
    });
    click(&mut h, "Show diff");
    let sentence = "for example, a user with `{\"age\":0}` would be rejected at their next update";
    assert!(
        h.query_all_by_label_contains(sentence).next().is_some(),
        "the example user is shown under the breaking change"
    );
}
