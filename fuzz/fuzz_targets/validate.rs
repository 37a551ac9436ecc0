//! The validation function on structured-ish JSON: the fuzzer's bytes drive a generator of
//! JSON Schema–like documents (schema keywords, the permission keyword, regexes, `$ref`s,
//! request bodies), which go through `validate` in both its forms and through the sample check.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use schemadesk::schema::validate::validate_instance;
use schemadesk::schema::{AuthenticatorType, Source, validate};
use serde_json::{Map, Value, json};

const KEYS: &[&str] = &[
    "type",
    "properties",
    "items",
    "required",
    "pattern",
    "patternProperties",
    "$ref",
    "$defs",
    "$id",
    "$schema",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "enum",
    "const",
    "format",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "additionalProperties",
    "title",
    "urn:zitadel:schema:permission",
    "owner",
    "self",
    "schema",
    "possibleAuthenticators",
    "a",
    "b/c",
    "d~e",
    "",
];

const STRINGS: &[&str] = &[
    "object",
    "string",
    "integer",
    "number",
    "array",
    "boolean",
    "null",
    "r",
    "w",
    "rw",
    "#",
    "#/$defs/a",
    "#/properties/a",
    "#/$defs/b~1c",
    "https://example.invalid/s.json",
    "urn:zitadel:schema:v1",
    "https://json-schema.org/draft/2020-12/schema",
    "^[a-z]+$",
    "(a+)+$",
    "[",
    "\\p{L}",
    "(?<n>x)\\k<n>",
    "email",
    "date-time",
    "uuid",
    "AUTHENTICATOR_TYPE_PASSWORD",
    "PASSWORD",
    "webauthn",
    "",
    "é\u{0}\u{2028}",
];

struct Gen<'a> {
    data: &'a [u8],
    i: usize,
}

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.i).copied().unwrap_or(0);
        self.i += 1;
        b
    }

    fn done(&self) -> bool {
        self.i >= self.data.len()
    }

    fn key(&mut self) -> String {
        let b = self.byte() as usize;
        if b < 230 {
            KEYS[b % KEYS.len()].to_string()
        } else {
            self.raw_string()
        }
    }

    fn string(&mut self) -> String {
        let b = self.byte() as usize;
        if b < 220 {
            STRINGS[b % STRINGS.len()].to_string()
        } else {
            self.raw_string()
        }
    }

    fn raw_string(&mut self) -> String {
        let n = (self.byte() % 12) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| self.byte()).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn value(&mut self, depth: usize) -> Value {
        if self.done() {
            return Value::Null;
        }
        let choice = if depth > 8 {
            self.byte() % 5
        } else {
            self.byte() % 9
        };
        match choice {
            0 => Value::Null,
            1 => Value::Bool(self.byte() & 1 == 1),
            2 => {
                let b = self.byte();
                match b % 4 {
                    0 => json!(b as i64 - 128),
                    1 => json!(u64::MAX - b as u64),
                    2 => json!(f64::from(b) / 7.0),
                    _ => json!(-1e300),
                }
            }
            3 | 4 => Value::String(self.string()),
            5 | 6 | 7 => {
                let n = self.byte() % 6;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = self.key();
                    let v = self.value(depth + 1);
                    m.insert(k, v);
                }
                Value::Object(m)
            }
            _ => {
                let n = self.byte() % 5;
                Value::Array((0..n).map(|_| self.value(depth + 1)).collect())
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut g = Gen { data, i: 0 };
    let mode = g.byte();
    let mut schema = g.value(0);
    if mode & 1 == 0 && !schema.is_object() {
        schema = json!({ "type": "object", "properties": { "a": schema } });
    }
    let schema_text = if mode & 2 == 0 {
        serde_json::to_string(&schema).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    };
    let authenticators: BTreeSet<AuthenticatorType> = ["PASSWORD", "USERNAME", "WEBAUTHN", "TOTP"]
        .iter()
        .enumerate()
        .filter(|(n, _)| mode >> (2 + n) & 1 == 1)
        .filter_map(|(_, a)| AuthenticatorType::parse(a).ok())
        .collect();
    let type_name = g.string();

    let parts = validate(Source::Parts {
        type_name: &type_name,
        schema_text: &schema_text,
        authenticators: &authenticators,
    });
    for d in &parts.diagnostics {
        assert!(d.line >= 1, "an unresolved position survived: {d:?}");
        let _ = d.to_string();
    }

    // The same schema as a request body, with a generated authenticator list.
    let body = json!({
        "type": type_name,
        "schema": schema,
        "possibleAuthenticators": g.value(7),
    });
    let body_text = body.to_string();
    let file = validate(Source::File(&body_text));
    for d in &file.diagnostics {
        assert!(d.line >= 1, "an unresolved position survived: {d:?}");
    }

    // Sample users checked against the schema.
    let instance = g.value(0).to_string();
    let _ = validate_instance(&schema, &instance);
});
