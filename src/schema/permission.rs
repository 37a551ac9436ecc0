//! The `urn:zitadel:schema:permission` keyword: who may read and write a field.

use serde_json::{Map, Value};

use super::position::escape_token;

pub const PERMISSION_KEYWORD: &str = "urn:zitadel:schema:permission";

/// What one party (the owner, i.e. an administrator, or the user themself) may do with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Access {
    /// The party may neither read nor write the field.
    Hidden,
    Read,
    Write,
    /// No restriction from the keyword.
    #[default]
    ReadWrite,
}

impl Access {
    pub const CHOICES: [Access; 3] = [Access::Hidden, Access::Read, Access::ReadWrite];

    pub fn label(self) -> &'static str {
        match self {
            Access::Hidden => "hidden",
            Access::Read => "read",
            Access::Write => "write only",
            Access::ReadWrite => "read and write",
        }
    }

    /// The keyword's string for this access, or `None` when the party is left out (hidden).
    pub fn to_letters(self) -> Option<&'static str> {
        match self {
            Access::Hidden => None,
            Access::Read => Some("r"),
            Access::Write => Some("w"),
            Access::ReadWrite => Some("rw"),
        }
    }

    pub fn from_letters(letters: Option<&str>) -> Access {
        match letters {
            None => Access::Hidden,
            Some(s) => match (s.contains('r'), s.contains('w')) {
                (true, true) => Access::ReadWrite,
                (true, false) => Access::Read,
                (false, true) => Access::Write,
                (false, false) => Access::Hidden,
            },
        }
    }

    pub fn can_read(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }

    pub fn can_write(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

/// The permission of one property. A property without the keyword is unrestricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permission {
    pub owner: Access,
    pub user: Access,
}

impl Permission {
    pub const UNRESTRICTED: Permission = Permission {
        owner: Access::ReadWrite,
        user: Access::ReadWrite,
    };

    /// Reads the keyword from a property's subschema. With no keyword the field is unrestricted.
    pub fn of(subschema: &Value) -> Permission {
        match subschema.get(PERMISSION_KEYWORD) {
            Some(Value::Object(map)) => Permission {
                owner: Access::from_letters(map.get("owner").and_then(Value::as_str)),
                user: Access::from_letters(map.get("self").and_then(Value::as_str)),
            },
            _ => Permission::UNRESTRICTED,
        }
    }

    /// Writes this permission into a property's subschema, removing the keyword when the
    /// field is unrestricted.
    pub fn apply(self, subschema: &mut Map<String, Value>) {
        if self == Permission::UNRESTRICTED {
            subschema.shift_remove(PERMISSION_KEYWORD);
            return;
        }
        let mut map = Map::new();
        if let Some(l) = self.owner.to_letters() {
            map.insert("owner".into(), Value::String(l.into()));
        }
        if let Some(l) = self.user.to_letters() {
            map.insert("self".into(), Value::String(l.into()));
        }
        subschema.insert(PERMISSION_KEYWORD.into(), Value::Object(map));
    }
}

/// One misuse of the keyword, at a JSON pointer relative to the schema root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionProblem {
    pub pointer: String,
    pub message: String,
}

/// Checks the keyword on every subschema of `schema`. On the root object only a single
/// letter passes (the meta-schema's `^[rw]$`); nested, every string of `r` and `w` does,
/// which is what the server's keyword compiler accepts.
pub fn check_permissions(schema: &Value) -> Vec<PermissionProblem> {
    let mut problems = Vec::new();
    let mut pointer = String::new();
    walk_subschemas(schema, &mut pointer, &mut |node, ptr, is_root| {
        if let Some(value) = node.get(PERMISSION_KEYWORD) {
            let at = format!("{ptr}/{}", escape_token(PERMISSION_KEYWORD));
            check_keyword(value, &at, is_root, &mut problems);
        }
    });
    problems
}

fn check_keyword(value: &Value, at: &str, is_root: bool, problems: &mut Vec<PermissionProblem>) {
    let Value::Object(map) = value else {
        problems.push(PermissionProblem {
            pointer: at.to_string(),
            message: format!(
                "the permission must be an object like {{\"owner\": \"rw\", \"self\": \"r\"}}, not {}",
                describe(value)
            ),
        });
        return;
    };
    for (key, letters) in map {
        let here = format!("{at}/{}", escape_token(key));
        if key != "owner" && key != "self" {
            problems.push(PermissionProblem {
                pointer: here,
                message: format!(
                    "unknown party \"{key}\" in the permission: only \"owner\" (administrators) and \"self\" (the user) are allowed"
                ),
            });
            continue;
        }
        let Value::String(s) = letters else {
            problems.push(PermissionProblem {
                pointer: here,
                message: format!(
                    "the permission of \"{key}\" must be a string of \"r\" and \"w\", not {}",
                    describe(letters)
                ),
            });
            continue;
        };
        if let Some(bad) = s.chars().find(|c| *c != 'r' && *c != 'w') {
            problems.push(PermissionProblem {
                pointer: here,
                message: format!(
                    "the permission of \"{key}\" has the letter '{bad}': only \"r\" (read) and \"w\" (write) are allowed"
                ),
            });
        } else if is_root && s.chars().count() != 1 {
            problems.push(PermissionProblem {
                pointer: here,
                message: format!(
                    "on the schema's root the permission of \"{key}\" must be exactly one letter, \"r\" or \"w\" (the server's meta-schema pattern ^[rw]$), not \"{s}\""
                ),
            });
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Keywords whose value is one subschema.
const SINGLE: &[&str] = &[
    "additionalProperties",
    "items",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
];
/// Keywords whose value maps names to subschemas.
const MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is an array of subschemas.
const ARRAYS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Called for every subschema with its pointer and whether it is the document's root.
pub type Visit<'a> = dyn FnMut(&Map<String, Value>, &str, bool) + 'a;

/// Calls `visit` for every subschema (objects only) with its pointer and whether it is the root.
pub fn walk_subschemas(schema: &Value, pointer: &mut String, visit: &mut Visit<'_>) {
    walk(schema, pointer, visit, true, 0);
}

fn walk(node: &Value, pointer: &mut String, visit: &mut Visit<'_>, is_root: bool, depth: usize) {
    let Value::Object(map) = node else { return };
    if depth > 256 {
        return;
    }
    visit(map, pointer, is_root);
    for (key, child) in map {
        let len = pointer.len();
        if SINGLE.contains(&key.as_str()) {
            pointer.push('/');
            pointer.push_str(key);
            walk(child, pointer, visit, false, depth + 1);
        } else if MAPS.contains(&key.as_str()) {
            if let Value::Object(children) = child {
                for (name, sub) in children {
                    pointer.push('/');
                    pointer.push_str(key);
                    pointer.push('/');
                    pointer.push_str(&escape_token(name));
                    walk(sub, pointer, visit, false, depth + 1);
                    pointer.truncate(len);
                }
            }
        } else if ARRAYS.contains(&key.as_str())
            && let Value::Array(items) = child
        {
            for (i, sub) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(key);
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(sub, pointer, visit, false, depth + 1);
                pointer.truncate(len);
            }
        }
        pointer.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn access_round_trips_through_letters() {
        for a in Access::CHOICES {
            assert_eq!(Access::from_letters(a.to_letters()), a);
        }
    }

    #[test]
    fn apply_writes_only_allowed_values() {
        let mut map = Map::new();
        Permission {
            owner: Access::ReadWrite,
            user: Access::Hidden,
        }
        .apply(&mut map);
        assert_eq!(
            Value::Object(map.clone()),
            json!({PERMISSION_KEYWORD: {"owner": "rw"}})
        );
        Permission::UNRESTRICTED.apply(&mut map);
        assert!(map.is_empty());
    }

    #[test]
    fn root_allows_one_letter_nested_any_rw_string() {
        let schema = json!({
            PERMISSION_KEYWORD: {"owner": "rw"},
            "properties": {"a": {PERMISSION_KEYWORD: {"owner": "rw", "self": ""}}}
        });
        let problems = check_permissions(&schema);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pointer, "/urn:zitadel:schema:permission/owner");
    }
}
