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
