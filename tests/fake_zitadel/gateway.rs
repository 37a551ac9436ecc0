//! The HTTP gateway in front of the test server's handlers, as strict as ZITADEL's
//! (../shared/zitadel-user-schema-api.md, "How a body maps"): each route decodes its body
//! exactly as its `google.api.http` rule says — `body: "*"` (the object is the whole
//! request), `body: "user_schema"` (the object is that one field), `body: "filters"` (a bare
//! array) or no body at all — into request types that mirror the proto messages. An unknown
//! field, a wrong JSON type, an unknown enum name, a body on a route without one or an
//! unknown query parameter is a 400 with code 3 and no details, before any handler runs.
//!
//! JSON types follow protojson with the contract's tightening: 64-bit integers (`offset`)
//! only as strings, 32-bit ones (`limit`) only as numbers, enums only by name, a Struct
//! (`schema`) only as an object. Both the JSON name and the proto name of a field are
//! accepted, as protojson does (`possibleAuthenticators` / `possible_authenticators`).

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gen {
    V1,
    V2,
}

/// A request the gateway decoded, handed to the handlers.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Create(SchemaFields),
    Update { id: String, fields: SchemaFields },
    Get { id: String },
    List(ListRequest),
    Deactivate { id: String },
    Reactivate { id: String },
    Delete { id: String },
}

impl Call {
    /// The RPC's name, for the record of requests.
    pub fn rpc(&self) -> &'static str {
        match self {
            Call::Create(_) => "Create",
            Call::Update { .. } => "Update",
            Call::Get { .. } => "Get",
            Call::List(_) => "List",
            Call::Deactivate { .. } => "Deactivate",
            Call::Reactivate { .. } => "Reactivate",
            Call::Delete { .. } => "Delete",
        }
    }
}

/// `type`, `schema` and `possibleAuthenticators` of a create, update or patch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaFields {
    pub type_name: Option<String>,
    /// A `google.protobuf.Struct`: always an object.
    pub schema: Option<Map<String, Value>>,
    /// Enum names, checked against the proto's (UNSPECIFIED is a valid name; the handler refuses it).
    pub authenticators: Vec<String>,
}

/// A list (search) request of either generation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListRequest {
    pub offset: u64,
    /// 0: the server's default.
    pub limit: u32,
    /// Ascending order (generation 1 `asc`, generation 2 `!desc`).
    pub ascending: bool,
    pub sorting_column: Option<String>,
    /// The top-level filters (ANDed).
    pub filters: Vec<Filter>,
}

/// One search filter, whatever the generation called it.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Type { type_name: String, method: String },
    State { state: String },
    Id { id: String, method: String },
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Not(Box<Filter>),
}

/// A gateway refusal: the message of a code-3 answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal(pub String);

type Decoded<T> = Result<T, Refusal>;

fn refuse<T>(message: impl Into<String>) -> Decoded<T> {
    Err(Refusal(message.into()))
}

/// Which route a method and path name, before anything is decoded; `None` is a 404.
pub fn route_of(generation: Gen, method: &str, segments: &[String]) -> Option<Route> {
    let (search, deactivate, reactivate, update) = match generation {
        Gen::V1 => ("search", "deactivate", "reactivate", "PUT"),
        Gen::V2 => ("_search", "_deactivate", "_reactivate", "PATCH"),
    };
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (method, seg.as_slice()) {
        ("POST", []) => Some(Route::Create),
        ("POST", [s]) if *s == search => Some(Route::List),
        ("GET", [id]) => Some(Route::Get(id.to_string())),
        (m, [id]) if m == update => Some(Route::Update(id.to_string())),
        ("DELETE", [id]) => Some(Route::Delete(id.to_string())),
        ("POST", [id, a]) if *a == deactivate => Some(Route::Deactivate(id.to_string())),
        ("POST", [id, a]) if *a == reactivate => Some(Route::Reactivate(id.to_string())),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Create,
    Update(String),
    Get(String),
    List,
    Deactivate(String),
    Reactivate(String),
    Delete(String),
}

/// Decodes a request for a route exactly as its HTTP rule says.
pub fn decode(generation: Gen, route: Route, query: &str, body: &str) -> Decoded<Call> {
    let params = query_params(query)?;
    match route {
        Route::Create => {
            no_query(&params)?;
            let fields = match generation {
                // body: "*" — the object is the whole CreateUserSchemaRequest.
                Gen::V1 => decode_object::<V1CreateRequest>(
                    body,
                    "zitadel.user.schema.v3alpha.CreateUserSchemaRequest",
                )?
                .fields(),
                // body: "user_schema" — the object is the UserSchema, not wrapped.
                Gen::V2 => decode_object::<V2UserSchema>(
                    body,
                    "zitadel.resources.userschema.v3alpha.UserSchema",
                )?
                .fields(),
            };
            Ok(Call::Create(fields))
        }
        Route::Update(id) => {
            no_query(&params)?;
            let fields = match generation {
                Gen::V1 => decode_object::<V1UpdateRequest>(
                    body,
                    "zitadel.user.schema.v3alpha.UpdateUserSchemaRequest",
                )?
                .fields(),
                Gen::V2 => decode_object::<V2PatchUserSchema>(
                    body,
                    "zitadel.resources.userschema.v3alpha.PatchUserSchema",
                )?
                .fields(),
            };
            Ok(Call::Update { id, fields })
        }
        Route::List => match generation {
            Gen::V1 => {
                no_query(&params)?;
                let r = decode_object::<V1ListRequest>(
                    body,
                    "zitadel.user.schema.v3alpha.ListUserSchemasRequest",
                )?;
                let query = r.query.unwrap_or_default();
                let mut filters = Vec::new();
                for q in r.queries.unwrap_or_default() {
                    filters.push(q.filter(1)?);
                }
                Ok(Call::List(ListRequest {
                    offset: query.offset.map_or(0, |o| o.0),
                    limit: query.limit.unwrap_or(0),
                    ascending: query.asc.unwrap_or(false),
                    sorting_column: r.sorting_column.map(|c| c.name),
                    filters,
                }))
            }
            Gen::V2 => {
                // body: "filters" — the JSON is that repeated field: a bare array.
                let mut list = search_params_v2(&params)?;
                let trimmed = body.trim();
                if !trimmed.is_empty() {
                    let items: Vec<V2SearchFilter> = decode_json(
                        trimmed,
                        "zitadel.resources.userschema.v3alpha.SearchUserSchemasRequest.filters",
                    )?;
                    for f in items {
                        list.filters.push(f.filter(1)?);
                    }
                }
                Ok(Call::List(list))
            }
        },
        Route::Get(id) => {
            no_query(&params)?;
            no_body(body)?;
            Ok(Call::Get { id })
        }
        Route::Deactivate(id) => {
            no_query(&params)?;
            no_body(body)?;
            Ok(Call::Deactivate { id })
        }
        Route::Reactivate(id) => {
            no_query(&params)?;
            no_body(body)?;
            Ok(Call::Reactivate { id })
        }
        Route::Delete(id) => {
            no_query(&params)?;
            no_body(body)?;
            Ok(Call::Delete { id })
        }
    }
}

fn no_body(body: &str) -> Decoded<()> {
    if body.is_empty() {
        Ok(())
    } else {
        refuse("this call takes no body (its HTTP rule has none)")
    }
}

fn query_params(query: &str) -> Decoded<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if out.iter().any(|(seen, _)| *seen == k) {
            return refuse(format!("query parameter {k:?} is given twice"));
        }
        out.push((k.into_owned(), v.into_owned()));
    }
    Ok(out)
}

fn no_query(params: &[(String, String)]) -> Decoded<()> {
    match params.first() {
        None => Ok(()),
        Some((k, _)) => refuse(format!("unknown query parameter {k:?}")),
    }
}

/// Generation 2's paging and sorting, from the query string.
fn search_params_v2(params: &[(String, String)]) -> Decoded<ListRequest> {
    let mut list = ListRequest {
        ascending: true,
        ..ListRequest::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "query.offset" => {
                list.offset = digits(v)
                    .and_then(|d| d.parse::<u64>().ok())
                    .ok_or_else(|| Refusal(format!("query.offset: {v:?} is not a uint64")))?;
            }
            "query.limit" => {
                list.limit = digits(v)
                    .and_then(|d| d.parse::<u32>().ok())
                    .ok_or_else(|| Refusal(format!("query.limit: {v:?} is not a uint32")))?;
            }
            "query.desc" => {
                // strconv.ParseBool's spellings.
                list.ascending = match v.as_str() {
                    "1" | "t" | "T" | "TRUE" | "true" | "True" => false,
                    "0" | "f" | "F" | "FALSE" | "false" | "False" => true,
                    _ => return refuse(format!("query.desc: {v:?} is not a bool")),
                };
            }
            "sortingColumn" | "sorting_column" => {
                let column: Named<FieldName> = serde_json::from_value(Value::String(v.clone()))
                    .map_err(|e| Refusal(format!("sortingColumn: {e}")))?;
                list.sorting_column = Some(column.name().to_string());
            }
            other => return refuse(format!("unknown query parameter {other:?}")),
        }
    }
    Ok(list)
}

fn digits(v: &str) -> Option<&str> {
    (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())).then_some(v)
}

/// Decodes a body that must be one JSON object of type `T`. An empty body is the empty message.
fn decode_object<T: for<'de> Deserialize<'de>>(body: &str, message: &str) -> Decoded<T> {
    let text = if body.trim().is_empty() { "{}" } else { body };
    // protojson wants an object for a message; `null`, arrays and scalars are refused.
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(_)) => {}
        Ok(other) => {
            return refuse(format!(
                "cannot decode {message} from JSON: expected an object, got {}",
                kind(&other)
            ));
        }
        Err(e) => return refuse(format!("cannot decode {message} from JSON: {e}")),
    }
    decode_json(text, message)
}

fn decode_json<T: for<'de> Deserialize<'de>>(text: &str, message: &str) -> Decoded<T> {
    serde_json::from_str(text)
        .map_err(|e| Refusal(format!("cannot decode {message} from JSON: {e}")))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A 64-bit integer as the contract sends it: a JSON string of digits only.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Int64Text(u64);

impl<'de> Deserialize<'de> for Int64Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::String(s) => digits(&s)
                .and_then(|s| s.parse().ok())
                .map(Int64Text)
                .ok_or_else(|| de::Error::custom(format!("{s:?} is not a uint64"))),
            other => Err(de::Error::custom(format!(
                "a 64-bit integer must be a JSON string, not {}",
                kind(&other)
            ))),
        }
    }
}

/// A proto enum: its full name and the names of its values.
trait ProtoEnum {
    const NAME: &'static str;
    const VALUES: &'static [&'static str];
}

/// An enum value given by name (protojson also takes numbers; the client never sends one,
/// so this double refuses them).
#[derive(Debug, Clone, PartialEq)]
struct Named<E> {
    name: String,
    _enum: std::marker::PhantomData<E>,
}

impl<E> Named<E> {
    fn name(&self) -> &str {
        &self.name
    }
}

impl<'de, E: ProtoEnum> Deserialize<'de> for Named<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if E::VALUES.contains(&s.as_str()) => Ok(Named {
                name: s,
                _enum: std::marker::PhantomData,
            }),
            Value::String(s) => Err(de::Error::custom(format!(
                "invalid value for enum {}: {s:?}",
                E::NAME
            ))),
            other => Err(de::Error::custom(format!(
                "enum {} must be given by name, not {}",
                E::NAME,
                kind(&other)
            ))),
        }
    }
}

macro_rules! proto_enum {
    ($ty:ident, $name:literal, [$($value:literal),+ $(,)?]) => {
        #[derive(Debug, Clone, PartialEq)]
        struct $ty;
        impl ProtoEnum for $ty {
            const NAME: &'static str = $name;
            const VALUES: &'static [&'static str] = &[$($value),+];
        }
    };
}

proto_enum!(
    AuthenticatorType,
    "AuthenticatorType",
    [
        "AUTHENTICATOR_TYPE_UNSPECIFIED",
        "AUTHENTICATOR_TYPE_USERNAME",
        "AUTHENTICATOR_TYPE_PASSWORD",
        "AUTHENTICATOR_TYPE_WEBAUTHN",
        "AUTHENTICATOR_TYPE_TOTP",
        "AUTHENTICATOR_TYPE_OTP_EMAIL",
        "AUTHENTICATOR_TYPE_OTP_SMS",
        "AUTHENTICATOR_TYPE_AUTHENTICATION_KEY",
        "AUTHENTICATOR_TYPE_IDENTITY_PROVIDER",
    ]
);
proto_enum!(
    State,
    "State",
    ["STATE_UNSPECIFIED", "STATE_ACTIVE", "STATE_INACTIVE"]
);
proto_enum!(
    FieldName,
    "FieldName",
    [
        "FIELD_NAME_UNSPECIFIED",
        "FIELD_NAME_TYPE",
        "FIELD_NAME_STATE",
        "FIELD_NAME_REVISION",
        "FIELD_NAME_CHANGE_DATE",
    ]
);
proto_enum!(
    TextQueryMethod,
    "TextQueryMethod",
    [
        "TEXT_QUERY_METHOD_EQUALS",
        "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
        "TEXT_QUERY_METHOD_STARTS_WITH",
        "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
        "TEXT_QUERY_METHOD_CONTAINS",
        "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
        "TEXT_QUERY_METHOD_ENDS_WITH",
        "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE",
    ]
);
// Generation 2's methods: no ENDS_WITH, no CONTAINS_IGNORE_CASE.
proto_enum!(
    TextFilterMethod,
    "TextFilterMethod",
    [
        "TEXT_FILTER_METHOD_EQUALS",
        "TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE",
        "TEXT_FILTER_METHOD_STARTS_WITH",
        "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE",
        "TEXT_FILTER_METHOD_CONTAINS",
    ]
);

/// A text method without its prefix, as the handlers match it (`EQUALS`, `CONTAINS_IGNORE_CASE`).
fn short_method(name: &str) -> String {
    name.trim_start_matches("TEXT_QUERY_METHOD_")
        .trim_start_matches("TEXT_FILTER_METHOD_")
        .to_string()
}

fn names(list: Option<Vec<Named<AuthenticatorType>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|a| a.name)
        .collect()
}

/// Filters nest at most this deep.
const MAX_DEPTH: usize = 20;

// ---- generation 1: zitadel.user.schema.v3alpha ----

/// `CreateUserSchemaRequest` (body "*").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1CreateRequest {
    #[serde(rename = "type", default)]
    type_name: Option<String>,
    #[serde(default)]
    schema: Option<Map<String, Value>>,
    #[serde(
        rename = "possibleAuthenticators",
        alias = "possible_authenticators",
        default
    )]
    possible_authenticators: Option<Vec<Named<AuthenticatorType>>>,
}

impl V1CreateRequest {
    fn fields(self) -> SchemaFields {
        SchemaFields {
            type_name: self.type_name,
            schema: self.schema,
            authenticators: names(self.possible_authenticators),
        }
    }
}

/// `UpdateUserSchemaRequest` (body "*"; `id` also comes from the path, which wins).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1UpdateRequest {
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<String>,
    #[serde(rename = "type", default)]
    type_name: Option<String>,
    #[serde(default)]
    schema: Option<Map<String, Value>>,
    #[serde(
        rename = "possibleAuthenticators",
        alias = "possible_authenticators",
        default
    )]
    possible_authenticators: Option<Vec<Named<AuthenticatorType>>>,
}

impl V1UpdateRequest {
    fn fields(self) -> SchemaFields {
        SchemaFields {
            type_name: self.type_name,
            schema: self.schema,
            authenticators: names(self.possible_authenticators),
        }
    }
}

/// `zitadel.object.v2.ListQuery`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1ListQuery {
    #[serde(default)]
    offset: Option<Int64Text>,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    asc: Option<bool>,
}

/// `ListUserSchemasRequest` (body "*").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1ListRequest {
    #[serde(default)]
    query: Option<V1ListQuery>,
    #[serde(rename = "sortingColumn", alias = "sorting_column", default)]
    sorting_column: Option<Named<FieldName>>,
    #[serde(default)]
    queries: Option<Vec<V1SearchQuery>>,
}

/// `SearchQuery`: a oneof of the filters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1SearchQuery {
    #[serde(rename = "orQuery", alias = "or_query", default)]
    or_query: Option<V1ListOfQueries>,
    #[serde(rename = "andQuery", alias = "and_query", default)]
    and_query: Option<V1ListOfQueries>,
    #[serde(rename = "notQuery", alias = "not_query", default)]
    not_query: Option<V1NotQuery>,
    #[serde(rename = "typeQuery", alias = "type_query", default)]
    type_query: Option<V1TextQuery<TypeField>>,
    #[serde(rename = "stateQuery", alias = "state_query", default)]
    state_query: Option<StateQuery>,
    #[serde(rename = "idQuery", alias = "id_query", default)]
    id_query: Option<V1TextQuery<IdField>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1ListOfQueries {
    #[serde(default)]
    queries: Option<Vec<V1SearchQuery>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1NotQuery {
    #[serde(default)]
    query: Option<Box<V1SearchQuery>>,
}

/// Marks which text field a text query carries.
trait TextField {
    const NAME: &'static str;
}
#[derive(Debug)]
struct TypeField;
impl TextField for TypeField {
    const NAME: &'static str = "type";
}
#[derive(Debug)]
struct IdField;
impl TextField for IdField {
    const NAME: &'static str = "id";
}

/// `TypeQuery {type, method}` / `IDQuery {id, method}`.
#[derive(Debug)]
struct V1TextQuery<F> {
    text: String,
    method: String,
    _field: std::marker::PhantomData<F>,
}

impl<'de, F: TextField> Deserialize<'de> for V1TextQuery<F> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (text, method) = text_query::<D, Named<TextQueryMethod>>(d, F::NAME)?;
        Ok(V1TextQuery {
            text,
            method: method.map_or("EQUALS".into(), |m| short_method(m.name())),
            _field: std::marker::PhantomData,
        })
    }
}

/// Reads `{<field>: string, method: enum}` with no other key.
fn text_query<'de, D: Deserializer<'de>, M: for<'a> Deserialize<'a>>(
    d: D,
    field: &str,
) -> Result<(String, Option<M>), D::Error> {
    let map = Map::<String, Value>::deserialize(d)?;
    let mut text = String::new();
    let mut method = None;
    for (k, v) in map {
        if k == field {
            match v {
                Value::String(s) => text = s,
                Value::Null => {}
                other => {
                    return Err(de::Error::custom(format!(
                        "{field}: expected a string, got {}",
                        kind(&other)
                    )));
                }
            }
        } else if k == "method" {
            if !v.is_null() {
                method = Some(serde_json::from_value(v).map_err(de::Error::custom)?);
            }
        } else {
            return Err(de::Error::custom(format!("unknown field {k:?}")));
        }
    }
    Ok((text, method))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateQuery {
    #[serde(default)]
    state: Option<Named<State>>,
}

impl V1SearchQuery {
    fn filter(self, depth: usize) -> Decoded<Filter> {
        if depth > MAX_DEPTH {
            return refuse(format!("queries nest deeper than {MAX_DEPTH}"));
        }
        let set = [
            self.or_query.is_some(),
            self.and_query.is_some(),
            self.not_query.is_some(),
            self.type_query.is_some(),
            self.state_query.is_some(),
            self.id_query.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if set != 1 {
            return refuse(format!("a SearchQuery holds exactly one query, not {set}"));
        }
        let all = |q: Option<Vec<V1SearchQuery>>| -> Decoded<Vec<Filter>> {
            q.unwrap_or_default()
                .into_iter()
                .map(|q| q.filter(depth + 1))
                .collect()
        };
        if let Some(q) = self.or_query {
            return Ok(Filter::Or(all(q.queries)?));
        }
        if let Some(q) = self.and_query {
            return Ok(Filter::And(all(q.queries)?));
        }
        if let Some(q) = self.not_query {
            let Some(inner) = q.query else {
                return refuse("notQuery needs a query");
            };
            return Ok(Filter::Not(Box::new(inner.filter(depth + 1)?)));
        }
        if let Some(q) = self.type_query {
            return Ok(Filter::Type {
                type_name: q.text,
                method: q.method,
            });
        }
        if let Some(q) = self.state_query {
            return Ok(Filter::State {
                state: q.state.map_or("STATE_UNSPECIFIED".into(), |s| s.name),
            });
        }
        match self.id_query {
            Some(q) => Ok(Filter::Id {
                id: q.text,
                method: q.method,
            }),
            None => refuse("empty query"),
        }
    }
}

// ---- generation 2: zitadel.resources.userschema.v3alpha ----

/// `UserSchema` (the create's body "user_schema").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2UserSchema {
    #[serde(rename = "type", default)]
    type_name: Option<String>,
    #[serde(default)]
    schema: Option<Map<String, Value>>,
    #[serde(
        rename = "possibleAuthenticators",
        alias = "possible_authenticators",
        default
    )]
    possible_authenticators: Option<Vec<Named<AuthenticatorType>>>,
}

impl V2UserSchema {
    fn fields(self) -> SchemaFields {
        SchemaFields {
            type_name: self.type_name,
            schema: self.schema,
            authenticators: names(self.possible_authenticators),
        }
    }
}

/// `PatchUserSchema` (the patch's body "user_schema").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2PatchUserSchema {
    #[serde(rename = "type", default)]
    type_name: Option<String>,
    #[serde(default)]
    schema: Option<Map<String, Value>>,
    #[serde(
        rename = "possibleAuthenticators",
        alias = "possible_authenticators",
        default
    )]
    possible_authenticators: Option<Vec<Named<AuthenticatorType>>>,
}

impl V2PatchUserSchema {
    fn fields(self) -> SchemaFields {
        SchemaFields {
            type_name: self.type_name,
            schema: self.schema,
            authenticators: names(self.possible_authenticators),
        }
    }
}

/// `SearchFilter`: a oneof of the filters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2SearchFilter {
    #[serde(rename = "orFilter", alias = "or_filter", default)]
    or_filter: Option<V2ListOfFilters>,
    #[serde(rename = "andFilter", alias = "and_filter", default)]
    and_filter: Option<V2ListOfFilters>,
    #[serde(rename = "notFilter", alias = "not_filter", default)]
    not_filter: Option<V2NotFilter>,
    #[serde(rename = "typeFilter", alias = "type_filter", default)]
    type_filter: Option<V2TextFilter<TypeField>>,
    #[serde(rename = "stateFilter", alias = "state_filter", default)]
    state_filter: Option<StateQuery>,
    #[serde(rename = "idFilter", alias = "id_filter", default)]
    id_filter: Option<V2TextFilter<IdField>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2ListOfFilters {
    #[serde(default)]
    queries: Option<Vec<V2SearchFilter>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2NotFilter {
    #[serde(default)]
    query: Option<Box<V2SearchFilter>>,
}

#[derive(Debug)]
struct V2TextFilter<F> {
    text: String,
    method: String,
    _field: std::marker::PhantomData<F>,
}

impl<'de, F: TextField> Deserialize<'de> for V2TextFilter<F> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (text, method) = text_query::<D, Named<TextFilterMethod>>(d, F::NAME)?;
        Ok(V2TextFilter {
            text,
            method: method.map_or("EQUALS".into(), |m| short_method(m.name())),
            _field: std::marker::PhantomData,
        })
    }
}

impl V2SearchFilter {
    fn filter(self, depth: usize) -> Decoded<Filter> {
        if depth > MAX_DEPTH {
            return refuse(format!("filters nest deeper than {MAX_DEPTH}"));
        }
        let set = [
            self.or_filter.is_some(),
            self.and_filter.is_some(),
            self.not_filter.is_some(),
            self.type_filter.is_some(),
            self.state_filter.is_some(),
            self.id_filter.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if set != 1 {
            return refuse(format!(
                "a SearchFilter holds exactly one filter, not {set}"
            ));
        }
        let all = |q: Option<Vec<V2SearchFilter>>| -> Decoded<Vec<Filter>> {
            q.unwrap_or_default()
                .into_iter()
                .map(|q| q.filter(depth + 1))
                .collect()
        };
        if let Some(q) = self.or_filter {
            return Ok(Filter::Or(all(q.queries)?));
        }
        if let Some(q) = self.and_filter {
            return Ok(Filter::And(all(q.queries)?));
        }
        if let Some(q) = self.not_filter {
            let Some(inner) = q.query else {
                return refuse("notFilter needs a query");
            };
            return Ok(Filter::Not(Box::new(inner.filter(depth + 1)?)));
        }
        if let Some(q) = self.type_filter {
            return Ok(Filter::Type {
                type_name: q.text,
                method: q.method,
            });
        }
        if let Some(q) = self.state_filter {
            return Ok(Filter::State {
                state: q.state.map_or("STATE_UNSPECIFIED".into(), |s| s.name),
            });
        }
        match self.id_filter {
            Some(q) => Ok(Filter::Id {
                id: q.text,
                method: q.method,
            }),
            None => refuse("empty filter"),
        }
    }
}
