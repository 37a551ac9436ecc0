//! Three-way merge of JSON values and of user schema drafts, field by field.
//!
//! Two writers started from one `base`; `theirs` was saved first, `mine` is the draft being
//! saved. Members of objects merge key by key, so changes to different properties, keywords
//! or authenticators combine. Arrays of distinct scalars (`required`, `enum`, the
//! authenticator list) merge as sets; other arrays merge item by item when no side changed
//! their length. Where both sides changed the same value differently, the merge reports a
//! [`Conflict`] at its JSON pointer and uses the side [`Pick`]ed for it (by default mine).
//! Pure: no I/O, no state.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::draft::UserSchemaDraft;
use super::position::escape_token;

/// Which side a conflict takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// The draft being saved (the default: nothing typed is dropped without a choice).
    #[default]
    Mine,
    /// The revision saved meanwhile (or the server's copy).
    Theirs,
    /// The common starting point: both changes are dropped.
    Base,
}

impl Pick {
    pub const ALL: [Pick; 3] = [Pick::Mine, Pick::Theirs, Pick::Base];

    pub fn label(self) -> &'static str {
        match self {
            Pick::Mine => "mine",
            Pick::Theirs => "theirs",
            Pick::Base => "base",
        }
    }
}

/// One value both sides changed differently. `None` means the member is absent on that side.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// RFC 6901 pointer into the merged document.
    pub pointer: String,
    pub base: Option<Value>,
    pub theirs: Option<Value>,
    pub mine: Option<Value>,
    /// The side the merged value took here.
    pub pick: Pick,
}

impl Conflict {
    /// The value of one side.
    pub fn side(&self, pick: Pick) -> Option<&Value> {
        match pick {
            Pick::Mine => self.mine.as_ref(),
            Pick::Theirs => self.theirs.as_ref(),
            Pick::Base => self.base.as_ref(),
        }
    }
}

/// The choices made so far, by pointer; pointers not listed take [`Pick::Mine`].
pub type Picks = BTreeMap<String, Pick>;

/// A merged value and the conflicts met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// `None` when the merged document is absent (only if a side removed the whole value).
    pub value: Option<Value>,
    pub conflicts: Vec<Conflict>,
}

/// Merges three versions of a JSON value.
pub fn merge_values(
    base: Option<&Value>,
    theirs: Option<&Value>,
    mine: Option<&Value>,
    picks: &Picks,
) -> Merged {
    let mut conflicts = Vec::new();
    let mut pointer = String::new();
    let value = merge_at(&mut pointer, base, theirs, mine, picks, &mut conflicts);
    Merged { value, conflicts }
}

/// Why a merged draft could not be formed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    #[error("the merged schema is not a user schema: {0}")]
    Shape(String),
}

/// The merge of three drafts, as the request bodies `{type, schema, possibleAuthenticators}`:
/// conflict pointers read `/type`, `/schema/properties/…` and so on.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftMerge {
    pub draft: UserSchemaDraft,
    pub conflicts: Vec<Conflict>,
}

impl DraftMerge {
    /// Conflicts whose pick was not made explicitly in `picks`.
    pub fn undecided<'a>(&'a self, picks: &'a Picks) -> impl Iterator<Item = &'a Conflict> + 'a {
        self.conflicts
            .iter()
            .filter(|c| !picks.contains_key(&c.pointer))
    }
}

/// Merges three drafts field by field (type, every schema member, each authenticator).
pub fn merge_drafts(
    base: &UserSchemaDraft,
    theirs: &UserSchemaDraft,
    mine: &UserSchemaDraft,
    picks: &Picks,
) -> Result<DraftMerge, MergeError> {
    let merged = merge_values(
        Some(&base.request_body()),
        Some(&theirs.request_body()),
        Some(&mine.request_body()),
        picks,
    );
    let body = merged
        .value
        .ok_or_else(|| MergeError::Shape("nothing is left".into()))?;
    let draft: UserSchemaDraft =
        serde_json::from_value(body).map_err(|e| MergeError::Shape(e.to_string()))?;
    Ok(DraftMerge {
        draft,
        conflicts: merged.conflicts,
    })
}

/// Pointers of the leaves where `a` and `b` differ: members added, removed or changed, and
/// array items (or whole arrays whose length changed).
pub fn changed_pointers(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut pointer = String::new();
    changed_at(&mut pointer, Some(a), Some(b), &mut out);
    out
}

/// What saving `mine` over `theirs` undoes: the pointers `theirs` changed from `base` where
/// `mine` does not hold `theirs`' value.
pub fn reverted_by(base: &Value, theirs: &Value, mine: &Value) -> Vec<String> {
    changed_pointers(base, theirs)
        .into_iter()
        .filter(|p| lookup(theirs, p) != lookup(mine, p))
        .collect()
}

/// The value at a pointer (`""` is the whole document).
pub fn lookup<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    value.pointer(pointer)
}

fn merge_at(
    pointer: &mut String,
    base: Option<&Value>,
    theirs: Option<&Value>,
    mine: Option<&Value>,
    picks: &Picks,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    if theirs == mine || theirs == base {
        return mine.cloned();
    }
    if mine == base {
        return theirs.cloned();
    }
    match (theirs, mine) {
        (Some(Value::Object(t)), Some(Value::Object(m))) => {
            let empty = Map::new();
            let b = match base {
                Some(Value::Object(b)) => b,
                _ => &empty,
            };
            return Some(Value::Object(merge_objects(
                pointer, b, t, m, picks, conflicts,
            )));
        }
        (Some(Value::Array(t)), Some(Value::Array(m))) => {
            let b = match base {
                Some(Value::Array(b)) => Some(b),
                _ => None,
            };
            let empty = Vec::new();
            if is_scalar_set(t) && is_scalar_set(m) && b.is_none_or(|b| is_scalar_set(b)) {
                return Some(Value::Array(merge_sets(b.unwrap_or(&empty), t, m)));
            }
            if let Some(b) = b
                && b.len() == t.len()
                && b.len() == m.len()
            {
                let mut items = Vec::with_capacity(m.len());
                for (i, ((bi, ti), mi)) in b.iter().zip(t).zip(m).enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    let item = merge_at(pointer, Some(bi), Some(ti), Some(mi), picks, conflicts);
                    pointer.truncate(len);
                    // Every side holds the item, so every pick yields one.
                    items.push(item.unwrap_or(Value::Null));
                }
                return Some(Value::Array(items));
            }
        }
        _ => {}
    }
    let pick = picks.get(pointer.as_str()).copied().unwrap_or_default();
    let conflict = Conflict {
        pointer: pointer.clone(),
        base: base.cloned(),
        theirs: theirs.cloned(),
        mine: mine.cloned(),
        pick,
    };
    let chosen = conflict.side(pick).cloned();
    conflicts.push(conflict);
    chosen
}

/// Merges members key by key. The order is mine's, with members only theirs holds placed
/// after the member that precedes them in theirs.
fn merge_objects(
    pointer: &mut String,
    b: &Map<String, Value>,
    t: &Map<String, Value>,
    m: &Map<String, Value>,
    picks: &Picks,
    conflicts: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut order: Vec<&String> = m.keys().collect();
    let their_keys: Vec<&String> = t.keys().collect();
    for (i, key) in their_keys.iter().enumerate() {
        if m.contains_key(key.as_str()) {
            continue;
        }
        let after = their_keys[..i]
            .iter()
            .rev()
            .find_map(|prev| order.iter().position(|k| k == prev));
        let at = after.map_or(0, |p| p + 1);
        order.insert(at, key);
    }
    let mut out = Map::new();
    for key in order {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&escape_token(key));
        let merged = merge_at(
            pointer,
            b.get(key),
            t.get(key),
            m.get(key),
            picks,
            conflicts,
        );
        pointer.truncate(len);
        if let Some(v) = merged {
            out.insert(key.clone(), v);
        }
    }
    out
}

/// Arrays of distinct strings, numbers, booleans or nulls are sets here (`required`, `enum`,
/// `type`, the authenticators).
fn is_scalar_set(items: &[Value]) -> bool {
    items
        .iter()
        .all(|v| !matches!(v, Value::Array(_) | Value::Object(_)))
        && items
            .iter()
            .enumerate()
            .all(|(i, v)| !items[..i].contains(v))
}

/// Items either side removed go; items either side added come. Mine's order, with theirs'
/// additions after the item that precedes them in theirs.
fn merge_sets(b: &[Value], t: &[Value], m: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = m
        .iter()
        .filter(|v| t.contains(v) || !b.contains(v))
        .cloned()
        .collect();
    for (i, v) in t.iter().enumerate() {
        if b.contains(v) || out.contains(v) {
            continue;
        }
        let after = t[..i]
            .iter()
            .rev()
            .find_map(|prev| out.iter().position(|x| x == prev));
        out.insert(after.map_or(0, |p| p + 1), v.clone());
    }
    out
}

fn changed_at(pointer: &mut String, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<String>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys = x
                .keys()
                .chain(y.keys().filter(|k| !x.contains_key(k.as_str())));
            for key in keys {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                changed_at(pointer, x.get(key), y.get(key), out);
                pointer.truncate(len);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
            for (i, (xi, yi)) in x.iter().zip(y).enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                changed_at(pointer, Some(xi), Some(yi), out);
                pointer.truncate(len);
            }
        }
        _ => out.push(pointer.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merge3(b: Value, t: Value, m: Value) -> Merged {
        merge_values(Some(&b), Some(&t), Some(&m), &Picks::new())
    }

    #[test]
    fn one_sided_changes_win() {
        let b = json!({"a": 1});
        assert_eq!(
            merge3(b.clone(), json!({"a": 2}), b.clone()).value,
            Some(json!({"a": 2}))
        );
        assert_eq!(
            merge3(b.clone(), b.clone(), json!({"a": 3})).value,
            Some(json!({"a": 3}))
        );
    }

    #[test]
    fn same_value_changed_both_ways_conflicts_with_mine_by_default() {
        let m = merge3(
            json!({"a": {"x": 1}}),
            json!({"a": {"x": 2}}),
            json!({"a": {"x": 3}}),
        );
        assert_eq!(m.value, Some(json!({"a": {"x": 3}})));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].pointer, "/a/x");
        let picks = Picks::from([("/a/x".to_string(), Pick::Theirs)]);
        let again = merge_values(
            Some(&json!({"a": {"x": 1}})),
            Some(&json!({"a": {"x": 2}})),
            Some(&json!({"a": {"x": 3}})),
            &picks,
        );
        assert_eq!(again.value, Some(json!({"a": {"x": 2}})));
        assert_eq!(again.conflicts[0].pick, Pick::Theirs);
    }

    #[test]
    fn pointers_are_escaped() {
        let m = merge3(json!({"a/b": 1}), json!({"a/b": 2}), json!({"a/b": 3}));
        assert_eq!(m.conflicts[0].pointer, "/a~1b");
        let m = merge3(json!({"a~b": 1}), json!({"a~b": 2}), json!({"a~b": 3}));
        assert_eq!(m.conflicts[0].pointer, "/a~0b");
    }

    #[test]
    fn delete_against_change_conflicts() {
        let m = merge3(
            json!({"a": 1, "b": 1}),
            json!({"b": 1}),
            json!({"a": 2, "b": 1}),
        );
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].pointer, "/a");
        assert_eq!(m.conflicts[0].theirs, None);
        let picks = Picks::from([("/a".to_string(), Pick::Theirs)]);
        let v = merge_values(
            Some(&json!({"a": 1, "b": 1})),
            Some(&json!({"b": 1})),
            Some(&json!({"a": 2, "b": 1})),
            &picks,
        );
        assert_eq!(v.value, Some(json!({"b": 1})));
    }

    #[test]
    fn sets_merge_additions_and_removals() {
        let m = merge3(
            json!({"required": ["a", "b"]}),
            json!({"required": ["a", "b", "c"]}),
            json!({"required": ["b", "d"]}),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.value, Some(json!({"required": ["b", "c", "d"]})));
    }

    #[test]
    fn theirs_new_member_lands_after_its_neighbour() {
        let m = merge3(
            json!({"a": 1, "c": 1}),
            json!({"a": 1, "b": 2, "c": 1}),
            json!({"a": 1, "c": 1, "d": 4}),
        );
        let keys: Vec<_> = m
            .value
            .as_ref()
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "b", "c", "d"]);
    }

    #[test]
    fn equal_length_arrays_of_objects_merge_by_item() {
        let m = merge3(
            json!({"allOf": [{"x": 1}, {"y": 1}]}),
            json!({"allOf": [{"x": 2}, {"y": 1}]}),
            json!({"allOf": [{"x": 1}, {"y": 2}]}),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.value, Some(json!({"allOf": [{"x": 2}, {"y": 2}]})));
        let m = merge3(
            json!({"allOf": [{"x": 1}]}),
            json!({"allOf": [{"x": 1}, {"z": 1}]}),
            json!({"allOf": [{"x": 2}]}),
        );
        assert_eq!(m.conflicts[0].pointer, "/allOf");
    }

    #[test]
    fn reverted_lists_what_mine_undoes() {
        let base = json!({"p": {"a": 1}});
        let theirs = json!({"p": {"a": 1, "fromCli": {"type": "string"}}});
        let mine = json!({"p": {"a": 2}});
        assert_eq!(reverted_by(&base, &theirs, &mine), ["/p/fromCli"]);
        assert!(reverted_by(&base, &theirs, &theirs).is_empty());
    }
}
