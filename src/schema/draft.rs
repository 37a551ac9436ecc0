//! The user schema draft: what is sent to the server as `{type, schema, possibleAuthenticators}`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::authenticator::AuthenticatorType;

/// The most characters the server allows in a schema's `type`.
pub const TYPE_MAX_CHARS: usize = 200;

/// The meta-schema id schemas may name in `$schema`.
pub const ZITADEL_META_SCHEMA: &str = "urn:zitadel:schema:v1";

/// A complete, valid-shaped draft with the server's exact JSON names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSchemaDraft {
    #[serde(rename = "type")]
    pub type_name: String,
    pub schema: Value,
    #[serde(default)]
    pub possible_authenticators: BTreeSet<AuthenticatorType>,
}

impl UserSchemaDraft {
    pub fn new(
        type_name: impl Into<String>,
        schema: Value,
        possible_authenticators: impl IntoIterator<Item = AuthenticatorType>,
    ) -> Self {
        Self {
            type_name: type_name.into(),
            schema,
            possible_authenticators: possible_authenticators.into_iter().collect(),
        }
    }

    /// The JSON Schema alone, pretty-printed with two spaces and a final newline.
    pub fn schema_pretty(&self) -> String {
        pretty(&self.schema)
    }

    /// The exact create/update request body, pretty-printed.
    pub fn request_body_pretty(&self) -> String {
        pretty(&self.request_body())
    }

    /// The request body as a JSON value: `{type, schema, possibleAuthenticators}`.
    pub fn request_body(&self) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), Value::String(self.type_name.clone()));
        body.insert("schema".into(), self.schema.clone());
        body.insert(
            "possibleAuthenticators".into(),
            Value::Array(
                self.possible_authenticators
                    .iter()
                    .map(|a| Value::String(a.wire_name().to_string()))
                    .collect(),
            ),
        );
        Value::Object(body)
    }

    /// A stable hash of the content (type, schema, authenticators), hex-encoded SHA-256.
    /// Key order inside the schema counts: it is part of what the administrator wrote.
    ///
    /// The hash is that of the compact request body, written straight into the hasher: no
    /// copy of the schema and no string of it (a large schema's value is several times its
    /// text, and a save hashes twice).
    pub fn content_hash(&self) -> String {
        /// The request body's fields in [`UserSchemaDraft::request_body`]'s order, borrowed.
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "type")]
            type_name: &'a str,
            schema: &'a Value,
            #[serde(rename = "possibleAuthenticators")]
            possible_authenticators: Vec<&'static str>,
        }
        /// Feeds what serde_json writes to the hash.
        struct Hashing(Sha256);
        impl std::io::Write for Hashing {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.update(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let body = Body {
            type_name: &self.type_name,
            schema: &self.schema,
            possible_authenticators: self
                .possible_authenticators
                .iter()
                .map(|a| a.wire_name())
                .collect(),
        };
        let mut hashing = Hashing(Sha256::new());
        match serde_json::to_writer(&mut hashing, &body) {
            Ok(()) => hex(&hashing.0.finalize()),
            // As before: a body that cannot be written hashes as the empty text.
            Err(_) => hex_sha256(b""),
        }
    }
}

/// Pretty JSON with two-space indent and a trailing newline, as files on disk should be.
pub fn pretty(value: &Value) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    out.push('\n');
    // The text is often kept (the editor's draft): without the growth's spare third.
    out.shrink_to_fit();
    out
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a JSON file holds: a bare JSON Schema, or a full request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    BareSchema,
    RequestBody,
}

impl SourceKind {
    /// A document is a request body when it has a `schema` member and no keys other than
    /// the three of the create request (`schema` is no JSON Schema keyword, so a bare schema
    /// is never mistaken for one).
    pub fn detect(value: &Value) -> SourceKind {
        match value {
            Value::Object(map)
                if map.contains_key("schema")
                    && map.keys().all(|k| {
                        matches!(k.as_str(), "type" | "schema" | "possibleAuthenticators")
                    }) =>
            {
                SourceKind::RequestBody
            }
            _ => SourceKind::BareSchema,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_body_uses_server_names() {
        let d = UserSchemaDraft::new(
            "employee",
            json!({"type": "object"}),
            [AuthenticatorType::Webauthn, AuthenticatorType::Password],
        );
        assert_eq!(
            d.request_body(),
            json!({"type": "employee", "schema": {"type": "object"},
                   "possibleAuthenticators": ["AUTHENTICATOR_TYPE_PASSWORD", "AUTHENTICATOR_TYPE_WEBAUTHN"]})
        );
        let back: UserSchemaDraft = serde_json::from_value(d.request_body()).unwrap();
        assert_eq!(back, d);
    }

    /// Stores keep these hashes: computing them without copying the schema must give the
    /// same bytes as hashing the compact request body.
    #[test]
    fn the_content_hash_is_that_of_the_compact_request_body() {
        let drafts = [
            UserSchemaDraft::new("employee", json!({"type": "object"}), []),
            UserSchemaDraft::new(
                "ünï \"quoted\"\\",
                crate::schema::numbers::from_str(
                    r#"{"z": 1.50, "a": [1e400, -0, {"\u00e9\n": "\u2028"}], "m": null}"#,
                )
                .unwrap(),
                [AuthenticatorType::Webauthn, AuthenticatorType::Password],
            ),
        ];
        for d in &drafts {
            let body = serde_json::to_string(&d.request_body()).unwrap();
            assert_eq!(d.content_hash(), hex_sha256(body.as_bytes()), "{body}");
        }
        assert_eq!(
            drafts[0].content_hash(),
            "dbbd3a91b13dcb144a670ae0c7f7196f0803cd59890e77c33acdb463e3e1d978",
            "hashes already in stores stay valid"
        );
    }

    #[test]
    fn detects_request_bodies() {
        assert_eq!(
            SourceKind::detect(&json!({"type": "x", "schema": {}})),
            SourceKind::RequestBody
        );
        assert_eq!(
            SourceKind::detect(&json!({"type": "object", "properties": {}})),
            SourceKind::BareSchema
        );
    }
}
