//! References left behind (issue 17): a property the new revision no longer has, but that
//! its `dependentRequired`, `dependentSchemas`, an `if`/`then`/`else` or `propertyNames` still
//! names. Such a schema may accept every old user, yet the rule now speaks of a field the form
//! cannot set (a rename that left `"nickname": ["familyName"]` behind makes every new user
//! with a nickname fail), so the change is not called compatible. Uses the designer's
//! reference index, [`crate::schema::refs`], so both name the same places.

use serde_json::Value;

use super::{Change, ChangeKind, Class};
use crate::schema::fields::FieldTree;
use crate::schema::refs::{RefKind, references_to};

/// One change per reference in `new` to a field that `old` has and `new` does not. The
/// container's own `required` is left to the rules in `walk`.
pub(super) fn stale_references(old: &Value, new: &Value) -> Vec<Change> {
    let (Ok(old_tree), Ok(new_tree)) = (FieldTree::read(old), FieldTree::read(new)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for gone in old_tree.iter().filter(|f| new_tree.find(&f.path).is_none()) {
        for r in references_to(new, &gone.path) {
            if r.kind == RefKind::Required {
                continue;
            }
            out.push(Change {
                class: Class::CannotTell,
                kind: ChangeKind::StaleReference,
                message: format!(
                    "\"{}\" is no longer a field, but this rule still names it ({}): the form \
                     cannot set it any more; rename or remove the reference too",
                    gone.path.join("."),
                    r.rule
                ),
                pointer: r.pointer,
                example: None,
            });
        }
    }
    out
}
