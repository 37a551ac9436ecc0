//! Templates for a new schema, so that a new schema starts useful. Each passes [`validate`](super::validate()).

use serde_json::{Value, json};

use super::authenticator::AuthenticatorType;
use super::draft::{UserSchemaDraft, ZITADEL_META_SCHEMA};
use super::permission::PERMISSION_KEYWORD;

/// One template.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// A stable id (`empty`, `employee`, `customer`, `docs-example`).
    pub id: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    /// The type a new schema from this template is offered.
    pub suggested_type: &'static str,
    pub authenticators: &'static [AuthenticatorType],
    build: fn() -> Value,
}

/// Templates are told apart by their id.
impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Template {}

impl Template {
    /// The template's JSON Schema (a fresh value each time).
    pub fn schema(&self) -> Value {
        (self.build)()
    }

    /// A draft with this template's schema and authenticators under `type_name`.
    pub fn draft(&self, type_name: impl Into<String>) -> UserSchemaDraft {
        UserSchemaDraft::new(
            type_name,
            self.schema(),
            self.authenticators.iter().copied(),
        )
    }
}

/// Every template, in the order the "new schema" dialog lists them.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "empty",
        label: "Empty",
        description: "An object with no fields yet.",
        suggested_type: "user",
        authenticators: &[AuthenticatorType::Username, AuthenticatorType::Password],
        build: empty,
    },
    Template {
        id: "employee",
        label: "Employee",
        description: "Name, work email, phone, department, employee number (read-only for the user) and cost centre (administrators only).",
        suggested_type: "employee",
        authenticators: &[
            AuthenticatorType::Username,
            AuthenticatorType::Password,
            AuthenticatorType::Webauthn,
            AuthenticatorType::Totp,
        ],
        build: employee,
    },
    Template {
        id: "customer",
        label: "Customer",
        description: "Name, email, phone, preferred language, postal address, marketing consent and a customer number (read-only for the user).",
        suggested_type: "customer",
        authenticators: &[
            AuthenticatorType::Username,
            AuthenticatorType::Password,
            AuthenticatorType::Webauthn,
            AuthenticatorType::OtpEmail,
            AuthenticatorType::IdentityProvider,
        ],
        build: customer,
    },
    Template {
        id: "docs-example",
        label: "ZITADEL docs example",
        description: "The example from ZITADEL's user schema guide: given and family name, a profile URI the user can only read, and a customer id hidden from the user.",
        suggested_type: "docs-example",
        authenticators: &[AuthenticatorType::Username, AuthenticatorType::Password],
        build: docs_example,
    },
];

/// The template with this id.
pub fn by_id(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

fn empty() -> Value {
    json!({
        "$schema": ZITADEL_META_SCHEMA,
        "type": "object",
        "properties": {}
    })
}

fn employee() -> Value {
    let admin_only = json!({"owner": "rw"});
    let user_reads = json!({"owner": "rw", "self": "r"});
    let both_write = json!({"owner": "rw", "self": "rw"});
    json!({
        "$schema": ZITADEL_META_SCHEMA,
        "type": "object",
        "required": ["givenName", "familyName", "email"],
        "properties": {
            "givenName": {"type": "string", "title": "Given name", "minLength": 1, "maxLength": 200,
                          PERMISSION_KEYWORD: both_write},
            "familyName": {"type": "string", "title": "Family name", "minLength": 1, "maxLength": 200,
                           PERMISSION_KEYWORD: both_write},
            "email": {"type": "string", "title": "Work email", "format": "email",
                      PERMISSION_KEYWORD: user_reads},
            "phone": {"type": "string", "title": "Phone", "pattern": "^\\+[1-9][0-9]{6,14}$",
                      "description": "International format, e.g. +41441234567",
                      PERMISSION_KEYWORD: both_write},
            "department": {"type": "string", "title": "Department", PERMISSION_KEYWORD: user_reads},
            "employeeNumber": {"type": "string", "title": "Employee number", PERMISSION_KEYWORD: user_reads},
            "startDate": {"type": "string", "title": "Start date", "format": "date",
                          PERMISSION_KEYWORD: user_reads},
            "costCenter": {"type": "string", "title": "Cost centre", PERMISSION_KEYWORD: admin_only}
        }
    })
}

fn customer() -> Value {
    let user_reads = json!({"owner": "rw", "self": "r"});
    let both_write = json!({"owner": "rw", "self": "rw"});
    json!({
        "$schema": ZITADEL_META_SCHEMA,
        "type": "object",
        "required": ["email"],
        "properties": {
            "givenName": {"type": "string", "title": "Given name", "maxLength": 200, PERMISSION_KEYWORD: both_write},
            "familyName": {"type": "string", "title": "Family name", "maxLength": 200, PERMISSION_KEYWORD: both_write},
            "email": {"type": "string", "title": "Email", "format": "email", PERMISSION_KEYWORD: both_write},
            "phone": {"type": "string", "title": "Phone", "pattern": "^\\+[1-9][0-9]{6,14}$", PERMISSION_KEYWORD: both_write},
            "preferredLanguage": {"type": "string", "title": "Preferred language",
                                  "enum": ["en", "de", "fr", "it"], "default": "en",
                                  PERMISSION_KEYWORD: both_write},
            "address": {
                "type": "object",
                "title": "Postal address",
                PERMISSION_KEYWORD: both_write,
                "properties": {
                    "street": {"type": "string", "title": "Street", PERMISSION_KEYWORD: both_write},
                    "postalCode": {"type": "string", "title": "Postal code", "maxLength": 16, PERMISSION_KEYWORD: both_write},
                    "city": {"type": "string", "title": "City", PERMISSION_KEYWORD: both_write},
                    "country": {"type": "string", "title": "Country", "pattern": "^[A-Z]{2}$",
                                "description": "ISO 3166-1 alpha-2 code, e.g. CH", PERMISSION_KEYWORD: both_write}
                }
            },
            "marketingConsent": {"type": "boolean", "title": "Marketing consent", "default": false,
                                 PERMISSION_KEYWORD: both_write},
            "customerNumber": {"type": "string", "title": "Customer number", PERMISSION_KEYWORD: user_reads}
        }
    })
}

/// ZITADEL's documentation example (the user schema guide), as the server accepts it.
fn docs_example() -> Value {
    json!({
        "$schema": ZITADEL_META_SCHEMA,
        "type": "object",
        "properties": {
            "givenName": {"type": "string", PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
            "familyName": {"type": "string", PERMISSION_KEYWORD: {"owner": "rw", "self": "rw"}},
            "profileUri": {"type": "string", "format": "uri", PERMISSION_KEYWORD: {"owner": "rw", "self": "r"}},
            "customerId": {"type": "string", PERMISSION_KEYWORD: {"owner": "rw"}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Source, validate};
    use std::collections::BTreeSet;

    #[test]
    fn every_template_validates() {
        for t in TEMPLATES {
            let draft = t.draft(t.suggested_type);
            let text = draft.schema_pretty();
            let auths: BTreeSet<_> = draft.possible_authenticators.clone();
            let v = validate(Source::Parts {
                type_name: t.suggested_type,
                schema_text: &text,
                authenticators: &auths,
            });
            assert!(v.is_valid(), "{}: {:?}", t.id, v.diagnostics);
            let v = validate(Source::File(&draft.request_body_pretty()));
            assert!(
                v.is_valid(),
                "{} as a request body: {:?}",
                t.id,
                v.diagnostics
            );
        }
    }

    #[test]
    fn ids_are_unique_and_found() {
        for t in TEMPLATES {
            assert_eq!(by_id(t.id).map(|f| f.id), Some(t.id));
        }
        assert!(by_id("nope").is_none());
    }
}
