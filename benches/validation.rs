//! Validation speed: the editor re-validates the whole draft after each edit.

use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use schemadesk::schema::diff::{diff_lines, unified};
use schemadesk::schema::validate::SampleChecker;
use schemadesk::schema::{Source, pretty, validate};

#[allow(dead_code)] // shared with the other benches, which use other parts
mod workload;

fn validation(c: &mut Criterion) {
    let big = pretty(&workload::big_schema(5000));
    let set = BTreeSet::new();
    let mut group = c.benchmark_group("validate");
    group.sample_size(20);
    group.bench_function("big_schema_5000_props_full", |b| {
        b.iter(|| {
            let v = validate(Source::Parts {
                type_name: "employee",
                schema_text: black_box(&big),
                authenticators: &set,
            });
            assert!(v.is_valid());
        })
    });
    // One edit that makes the schema invalid: the position index is built too.
    let broken = big.replacen("\"maxLength\": 200", "\"maxLength\": \"200\"", 1);
    group.bench_function("big_schema_5000_props_one_error", |b| {
        b.iter(|| {
            let v = validate(Source::Parts {
                type_name: "employee",
                schema_text: black_box(&broken),
                authenticators: &set,
            });
            assert_eq!(v.diagnostics.len(), 1);
        })
    });
    let smalls: Vec<String> = (0..200)
        .map(|i| pretty(&workload::small_schema(i)))
        .collect();
    group.bench_function("small_schemas_x200", |b| {
        b.iter(|| {
            for s in &smalls {
                assert!(validate(Source::File(black_box(s))).is_valid());
            }
        })
    });
    let schema = workload::big_schema(5000);
    let instance: serde_json::Value = schema["properties"]
        .as_object()
        .map(|props| {
            props
                .iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let value = if v["type"] == "object" {
                        serde_json::json!({"line0": "x"})
                    } else {
                        serde_json::json!(format!("value {i}"))
                    };
                    (k.clone(), value)
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        })
        .unwrap_or_default();
    let instance_text = instance.to_string();
    let checker = SampleChecker::new(&schema);
    group.bench_function("sample_user_against_big_schema", |b| {
        b.iter(|| assert!(checker.check(black_box(&instance_text)).is_empty()))
    });
    group.finish();

    let mut diff = c.benchmark_group("diff");
    diff.sample_size(10);
    let changed = big.replace("Field number 4", "Field no. 4");
    diff.bench_function("two_1.5MiB_revisions", |b| {
        b.iter(|| black_box(diff_lines(&big, &changed)).len())
    });
    // Two revisions of 20,000 properties with little in common: quadratic without the
    // diff's deadline (39 s); the target is under a second.
    let old = pretty(&workload::unrelated_schema(20_000, "old"));
    let new = pretty(&workload::unrelated_schema(20_000, "new"));
    diff.bench_function("20000_props_little_in_common", |b| {
        b.iter(|| black_box(unified(&old, &new, "a", "b")).len())
    });
    diff.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
