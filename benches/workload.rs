//! Generated data shared by the benchmarks: the same shapes as ../shared/bench/gen_schemas.py.

use serde_json::{Map, Value, json};

/// A schema with `n` properties (every 50th a nested object), each with the permission keyword.
pub fn big_schema(n: usize) -> Value {
    let mut props = Map::new();
    for i in 0..n {
        let p = if i % 50 == 0 {
            let lines: Map<String, Value> = (0..5)
                .map(|k| {
                    (
                        format!("line{k}"),
                        json!({"type": "string", "maxLength": 100}),
                    )
                })
                .collect();
            json!({"type": "object", "properties": lines, "required": ["line0"],
                   "urn:zitadel:schema:permission": {"owner": "rw"}})
        } else {
            json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9 ]*$",
                   "description": format!("Field number {i} of the generated schema, used for load tests"),
                   "urn:zitadel:schema:permission": {"owner": "rw", "self": "r"}})
        };
        props.insert(format!("field{i:04}"), p);
    }
    json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "properties": props, "required": ["field0001", "field0002"]})
}

/// A small schema like the workload's 200 small files.
pub fn small_schema(seed: usize) -> Value {
    let kinds = ["string", "integer", "boolean"];
    let props: Map<String, Value> = (0..20)
        .map(|i| {
            (
                format!("f{i}"),
                json!({"type": kinds[(seed + i) % 3],
                       "urn:zitadel:schema:permission": {"owner": "rw", "self": "r"}}),
            )
        })
        .collect();
    json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": props})
}

/// A schema with `n` properties whose names and texts depend on `seed`: two seeds give two
/// large schemas with little in common but their shape.
pub fn unrelated_schema(n: usize, seed: &str) -> Value {
    let kinds = ["string", "integer", "boolean"];
    let props: Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("{seed}_{i:05}"),
                json!({"type": kinds[i % 3], "description": format!("{seed} property {i}")}),
            )
        })
        .collect();
    json!({"type": "object", "properties": props})
}

/// Fills a store with `schemas` schemas of `revisions` revisions each.
pub fn fill_store(path: &std::path::Path, schemas: usize, revisions: usize) {
    use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
    let draft = |name: &str, n: usize| {
        let mut schema = small_schema(n);
        schema["title"] = json!(format!("revision {n}"));
        UserSchemaDraft::new(name, schema, [AuthenticatorType::Password])
    };
    let mut store = schemadesk::store::Store::open(path).expect("store");
    for s in 0..schemas {
        let name = format!("schema-{s:04}");
        let id = store
            .create_schema(&draft(&name, 0), "")
            .expect("create")
            .schema_id;
        for r in 1..revisions {
            store
                .save_revision(id, &draft(&name, r), "edit")
                .expect("save");
        }
    }
}
