//! Fills a store with generated schemas and revisions (the benchmarks' data), to try the app's
//! start-up and list speed on a large store:
//!
//! ```sh
//! cargo run --release --example fill_store -- /tmp/large.db 1000 100
//! SCHEMADESK_LOG_DIR=/tmp/logs cargo run --release -- --db /tmp/large.db
//! grep "after start" /tmp/logs/schemadesk.*.log
//! ```

#[allow(dead_code)] // the benchmarks use the other generators
#[path = "../benches/workload.rs"]
mod workload;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        bail!("usage: fill_store PATH [SCHEMAS=1000] [REVISIONS=100]");
    };
    let number = |arg: Option<String>, default: usize| -> anyhow::Result<usize> {
        arg.map_or(Ok(default), |a| {
            a.parse().with_context(|| format!("not a count: {a}"))
        })
    };
    let schemas = number(args.next(), 1000)?;
    let revisions = number(args.next(), 100)?;
    if std::path::Path::new(&path).exists() {
        bail!("{path} exists; give a new file");
    }
    workload::fill_store(std::path::Path::new(&path), schemas, revisions);
    println!("{path}: {schemas} schemas × {revisions} revisions");
    Ok(())
}
