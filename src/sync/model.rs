//! What the server sends back, read leniently from both generations' JSON: int64s as
//! strings (or numbers), zero values omitted, unknown fields ignored, both authenticator
//! spellings accepted.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::schema::draft::hex_sha256;
use crate::schema::{AuthenticatorType, UserSchemaDraft};

/// The API generation a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Generation {
    /// `zitadel.user.schema.v3alpha.UserSchemaService` at `/v3alpha/user_schemas`.
    V1,
    /// `zitadel.resources.userschema.v3alpha.ZITADELUserSchemas` at `/resources/v3alpha/user_schemas`.
    V2,
}

impl Generation {
    pub fn number(self) -> u8 {
        match self {
            Generation::V1 => 1,
            Generation::V2 => 2,
        }
    }

    pub fn from_number(n: u8) -> Option<Generation> {
        match n {
            1 => Some(Generation::V1),
            2 => Some(Generation::V2),
            _ => None,
        }
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(super::error::describe(*self))
    }
}

/// A schema's state on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RemoteState {
    /// `STATE_UNSPECIFIED` or missing: also what a deleted schema reads as.
    Unspecified,
    Active,
    Inactive,
}

impl RemoteState {
    fn parse(v: Option<&Value>) -> RemoteState {
        match v {
            Some(Value::String(s)) => match s.as_str() {
                "STATE_ACTIVE" | "ACTIVE" | "1" => RemoteState::Active,
                "STATE_INACTIVE" | "INACTIVE" | "2" => RemoteState::Inactive,
                _ => RemoteState::Unspecified,
            },
            Some(Value::Number(n)) => match n.as_i64() {
                Some(1) => RemoteState::Active,
                Some(2) => RemoteState::Inactive,
                _ => RemoteState::Unspecified,
            },
            _ => RemoteState::Unspecified,
        }
    }

    /// The word stored in bindings and shown in lists.
    pub fn as_str(self) -> &'static str {
        match self {
            RemoteState::Unspecified => "UNSPECIFIED",
            RemoteState::Active => "ACTIVE",
            RemoteState::Inactive => "INACTIVE",
        }
    }
}

/// The `details` of an answer, from either generation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Details {
    /// Generation 1's event sequence (an int64, kept as the string it came as).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<String>,
    /// Generation 1's `changeDate`, generation 2's `changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_date: Option<String>,
    /// Generation 2's `created`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Generation 1's `resourceOwner`, generation 2's `owner.id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_owner: Option<String>,
    /// Generation 2 carries the id in the details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Details {
    pub fn from_value(v: Option<&Value>) -> Details {
        let Some(Value::Object(m)) = v else {
            return Details::default();
        };
        Details {
            sequence: int_text(m.get("sequence")),
            change_date: text(m.get("changeDate")).or_else(|| text(m.get("changed"))),
            created: text(m.get("created")).or_else(|| text(m.get("creationDate"))),
            resource_owner: text(m.get("resourceOwner")).or_else(|| {
                m.get("owner")
                    .and_then(Value::as_object)
                    .and_then(|o| text(o.get("id")))
            }),
            id: text(m.get("id")),
        }
    }

    /// As JSON text, for the binding's `last_details`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One schema as the server holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteSchema {
    pub id: String,
    pub type_name: String,
    pub schema: Value,
    pub authenticators: BTreeSet<AuthenticatorType>,
    /// Authenticator names this build does not know (kept out of the draft, shown as a warning).
    pub unknown_authenticators: Vec<String>,
    pub state: RemoteState,
    /// The server's revision; `None` when omitted (zero).
    pub revision: Option<u32>,
    pub details: Details,
}

impl RemoteSchema {
    /// The server's copy as a local draft.
    pub fn draft(&self) -> UserSchemaDraft {
        UserSchemaDraft {
            type_name: self.type_name.clone(),
            schema: self.schema.clone(),
            possible_authenticators: self.authenticators.clone(),
        }
    }

    /// Reads generation 1's schema object: `{id, details, type, state, revision, schema, possibleAuthenticators}`.
    pub fn from_v1(v: &Value) -> Option<RemoteSchema> {
        let m = v.as_object()?;
        let details = Details::from_value(m.get("details"));
        let id = text(m.get("id")).or_else(|| details.id.clone())?;
        Some(Self::from_parts(id, m, m, details))
    }

    /// Reads generation 2's `{details:{id,…}, config:{type, schema, possibleAuthenticators}, state, revision}`.
    pub fn from_v2(v: &Value) -> Option<RemoteSchema> {
        let m = v.as_object()?;
        let details = Details::from_value(m.get("details"));
        let id = details.id.clone().or_else(|| text(m.get("id")))?;
        let empty = Map::new();
        let config = m.get("config").and_then(Value::as_object).unwrap_or(&empty);
        Some(Self::from_parts(id, m, config, details))
    }

    fn from_parts(
        id: String,
        outer: &Map<String, Value>,
        config: &Map<String, Value>,
        details: Details,
    ) -> RemoteSchema {
        let mut authenticators = BTreeSet::new();
        let mut unknown = Vec::new();
        if let Some(Value::Array(items)) = config.get("possibleAuthenticators") {
            for item in items {
                let raw = match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match AuthenticatorType::parse(&raw) {
                    Ok(a) => {
                        authenticators.insert(a);
                    }
                    Err(_) => unknown.push(raw),
                }
            }
        }
        RemoteSchema {
            id,
            type_name: text(config.get("type")).unwrap_or_default(),
            // A missing schema reads as an empty object (protobuf Struct zero value).
            schema: config
                .get("schema")
                .cloned()
                .unwrap_or_else(|| Value::Object(Map::new())),
            authenticators,
            unknown_authenticators: unknown,
            state: RemoteState::parse(outer.get("state")),
            revision: int_text(outer.get("revision"))
                .and_then(|s| s.parse::<u32>().ok())
                .filter(|r| *r > 0),
            details,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<RemoteSchema>,
    /// `details.totalResult`, when sent.
    pub total: Option<u64>,
}

/// What a create returned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Created {
    pub id: String,
    pub details: Details,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// An int64 sent as a string (the rule) or as a number (tolerated).
pub(crate) fn int_text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A hash of a draft's content that ignores key order and number spelling: the server keeps
/// a schema as a protobuf Struct (a map of doubles), so it may send keys in another order.
/// Bindings keep this hash to tell whether the server's copy moved.
pub fn remote_hash(draft: &UserSchemaDraft) -> String {
    let mut out = String::new();
    canonical(&draft.request_body(), &mut out);
    hex_sha256(out.as_bytes())
}

/// Whether two drafts hold the same content for the server.
pub fn same_content(a: &UserSchemaDraft, b: &UserSchemaDraft) -> bool {
    remote_hash(a) == remote_hash(b)
}

fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(child) = m.get(*k) {
                    canonical(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                out.push_str(&format!("{}", f as i64))
            }
            Some(f) => out.push_str(&format!("{f}")),
            None => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_generations() {
        let v1 = json!({"id": "a1", "details": {"sequence": "7", "changeDate": "2024-01-01T00:00:00Z", "resourceOwner": "inst"},
            "type": "emp", "state": "STATE_ACTIVE", "revision": 2, "schema": {"type": "object"},
            "possibleAuthenticators": ["AUTHENTICATOR_TYPE_PUBLIC_KEY", "AUTHENTICATOR_TYPE_FUTURE"]});
        let r = RemoteSchema::from_v1(&v1).unwrap();
        assert_eq!(r.id, "a1");
        assert_eq!(r.revision, Some(2));
        assert_eq!(r.details.sequence.as_deref(), Some("7"));
        assert!(
            r.authenticators
                .contains(&AuthenticatorType::AuthenticationKey)
        );
        assert_eq!(r.unknown_authenticators, ["AUTHENTICATOR_TYPE_FUTURE"]);
        let v2 = json!({"details": {"id": "b", "changed": "x", "owner": {"type": "OWNER_TYPE_INSTANCE", "id": "inst"}},
            "config": {"type": "emp"}});
        let r = RemoteSchema::from_v2(&v2).unwrap();
        assert_eq!(r.id, "b");
        assert_eq!(r.state, RemoteState::Unspecified);
        assert_eq!(r.revision, None);
        assert_eq!(r.schema, json!({}));
        assert_eq!(r.details.resource_owner.as_deref(), Some("inst"));
    }

    #[test]
    fn hash_ignores_key_order_and_number_spelling() {
        let a = UserSchemaDraft::new("t", json!({"b": 1, "a": {"y": 2.0, "x": [1]}}), []);
        let b = UserSchemaDraft::new("t", json!({"a": {"x": [1.0], "y": 2}, "b": 1.0}), []);
        assert!(same_content(&a, &b));
        let c = UserSchemaDraft::new("t", json!({"a": {"x": [1], "y": 3}, "b": 1}), []);
        assert!(!same_content(&a, &c));
    }
}
