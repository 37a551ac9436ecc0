//! Store speed on a large file: 1,000 schemas × 100 revisions, and one schema with 10,000.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::{ListFilter, Store};
use serde_json::json;

#[allow(dead_code)] // shared with the other benches, which use other parts
mod workload;

fn draft(type_name: &str, n: usize) -> UserSchemaDraft {
    let mut schema = workload::small_schema(n);
    schema["title"] = json!(format!("revision {n}"));
    UserSchemaDraft::new(type_name, schema, [AuthenticatorType::Password])
}

fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let large = dir.path().join("large.db");
    workload::fill_store(&large, 1000, 100);
    let deep = dir.path().join("deep.db");
    workload::fill_store(&deep, 1, 10_000);

    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function("open_and_list_1000x100", |b| {
        b.iter(|| {
            let store = Store::open(black_box(&large)).expect("open");
            assert_eq!(
                store
                    .list_schemas(ListFilter::default())
                    .expect("list")
                    .len(),
                1000
            );
        })
    });
    let store = Store::open(&large).expect("open");
    group.bench_function("list_1000_schemas", |b| {
        b.iter(|| black_box(store.list_schemas(ListFilter::default()).expect("list")).len())
    });
    let deep_store = Store::open(&deep).expect("open");
    let id = deep_store.by_type("schema-0000").expect("schema").id;
    group.bench_function("history_of_10000_revisions", |b| {
        b.iter(|| {
            assert_eq!(
                deep_store.history(black_box(id)).expect("history").len(),
                10_000
            )
        })
    });
    group.bench_function("load_latest_revision", |b| {
        b.iter(|| black_box(deep_store.latest_revision(id).expect("latest")).number)
    });
    let mut writer = Store::open(&large).expect("open");
    let target = writer.by_type("schema-0500").expect("schema").id;
    let mut n = 1_000_000;
    group.bench_function("save_one_revision", |b| {
        b.iter(|| {
            n += 1;
            assert!(
                writer
                    .save_revision(target, &draft("schema-0500", n), "bench")
                    .expect("save")
                    .created()
            );
        })
    });
    group.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
