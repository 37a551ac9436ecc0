//! The compatibility report in the history view shows, under a breaking change, the user
//! it would reject (issue 18).

use egui_kittest::kittest::Queryable as _;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use serde_json::json;

use crate::harness::{Fixture, click, opening};

#[test]
fn a_breaking_change_shows_the_user_it_would_reject() {
    let fx = Fixture::new();
    let mut store = fx.store();
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
    let id = id.expect("saved");
    let mut h = fx.app_with(egui::vec2(1400.0, 900.0), opening(id), |app| app);
    click(&mut h, "Show diff");
    let sentence = "for example, a user with `{\"age\":0}` would be rejected at their next update";
    assert!(
        h.query_all_by_label_contains(sentence).next().is_some(),
        "the example user is shown under the breaking change"
    );
}
