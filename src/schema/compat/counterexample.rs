//! A user for every change that is not compatible: a small value valid under the old
//! revision that the new one rejects, generated from the old schema around the place of
//! the change and checked with the project's validator (the one `validate` and the samples
//! use). A "cannot tell" change with such a user is breaking; a breaking change without
//! one says so.

use std::collections::HashSet;

use jsonschema::Validator;
use serde_json::{Map, Value, json};

use super::Change;
use super::Class;
use super::instances::{candidates, first_candidate};
use super::probe::{Found, Frame, Step};
use crate::schema::validate::compile;

/// At most this many validations per report (each is microseconds; this bounds a report
/// on a very large schema with many changes).
const TOTAL_BUDGET: usize = 4000;
/// And per change.
const PER_CHANGE: usize = 48;

pub(super) fn attach(old: &Value, new: &Value, found: Vec<Found>) -> Vec<Change> {
    let wanted = found
        .iter()
        .any(|f| f.probe.is_some() && f.change.class != Class::Compatible);
    let validators = if wanted {
        compile(old).ok().zip(compile(new).ok())
    } else {
        None
    };
    let Some((va, vb)) = validators else {
        return found.into_iter().map(|f| f.change).collect();
    };
    // The example is the old revision's smallest user with one thing changed; a base
    // the new revision accepts too makes the example about that one thing only.
    let bases = candidates(old, std::slice::from_ref(old), 8);
    let base = bases
        .iter()
        .find(|v| va.is_valid(v) && vb.is_valid(v))
        .or_else(|| bases.iter().find(|v| va.is_valid(v)))
        .cloned();
    let base_errors = base.as_ref().map(|b| errors(&vb, b)).unwrap_or_default();
    let mut budget = TOTAL_BUDGET;
    found
        .into_iter()
        .map(|f| {
            let mut change = f.change;
            if change.class == Class::Compatible {
                return change;
            }
            let (Some(probe), Some(base)) = (f.probe, base.as_ref()) else {
                return change;
            };
            let mut tries: Vec<Value> = probe.candidates.clone();
            if !probe.omit {
                for alt in &probe.alts {
                    let mut conj = probe.schemas.clone();
                    conj.push(alt.clone());
                    tries.extend(candidates(old, &conj, 6));
                }
                tries.extend(candidates(old, &probe.schemas, 24));
            } else {
                tries = vec![Value::Null];
            }
            for value in tries.into_iter().take(PER_CHANGE) {
                if budget == 0 {
                    break;
                }
                let Some(user) = embed(old, base, &probe.path, value, probe.omit) else {
                    continue;
                };
                budget -= 1;
                if !va.is_valid(&user) {
                    continue;
                }
                // Rejected because of this change: a failure the base does not have (or,
                // for a field left out, a `required` failure on its object).
                let errs = errors(&vb, &user);
                let parent = location(&probe.path[..probe.path.len().saturating_sub(1)]);
                let caused = if probe.omit {
                    errs.iter()
                        .any(|(at, rule)| *at == parent && rule.ends_with("/required"))
                } else {
                    let here = location(&probe.path);
                    let below = |at: &str| {
                        at == here
                            || at
                                .strip_prefix(here.as_str())
                                .is_some_and(|r| r.starts_with('/'))
                    };
                    errs.iter().any(|e| below(&e.0) || !base_errors.contains(e))
                };
                if caused {
                    change.example = Some(user);
                    break;
                }
            }
            if change.example.is_some() && change.class == Class::CannotTell && !probe.keep_class {
                change.class = Class::Breaking;
            }
            change
        })
        .collect()
}

/// The failures of `user` under `v`: where in the user, and which keyword of the schema.
fn errors(v: &Validator, user: &Value) -> HashSet<(String, String)> {
    v.iter_errors(user)
        .map(|e| {
            (
                e.instance_path().as_str().to_string(),
                e.schema_path().as_str().to_string(),
            )
        })
        .collect()
}

/// The JSON pointer of a path in the user.
fn location(path: &[Frame]) -> String {
    path.iter()
        .map(|f| match &f.step {
            Step::Key(k) => format!("/{}", crate::schema::position::escape_token(k)),
            Step::Item => "/0".to_string(),
        })
        .collect()
}

/// `base` with `value` put at `path` (or the property there left out), building the
/// objects and lists on the way from the old schemas.
fn embed(root: &Value, base: &Value, path: &[Frame], value: Value, omit: bool) -> Option<Value> {
    let mut user = base.clone();
    if path.is_empty() {
        return (!omit).then_some(value);
    }
    put(root, &mut user, path, value, omit);
    Some(user)
}

fn put(root: &Value, cur: &mut Value, path: &[Frame], value: Value, omit: bool) {
    let Some((frame, rest)) = path.split_first() else {
        *cur = value;
        return;
    };
    match &frame.step {
        Step::Key(k) => {
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            let Value::Object(obj) = cur else { return };
            if rest.is_empty() {
                if omit {
                    obj.shift_remove(k);
                } else {
                    obj.insert(k.clone(), value);
                }
                return;
            }
            let child = obj
                .entry(k.clone())
                .or_insert_with(|| first_of(root, &frame.schema));
            put(root, child, rest, value, omit);
        }
        Step::Item => {
            if !matches!(cur, Value::Array(items) if !items.is_empty()) {
                *cur = json!([first_of(root, &frame.schema)]);
            }
            let Value::Array(items) = cur else { return };
            if rest.is_empty() {
                items[0] = value;
                return;
            }
            put(root, &mut items[0], rest, value, omit);
        }
    }
}

fn first_of(root: &Value, schema: &Value) -> Value {
    first_candidate(root, std::slice::from_ref(schema)).unwrap_or(Value::Null)
}
