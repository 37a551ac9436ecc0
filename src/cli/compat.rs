//! `schemadesk compat TYPE A B [--samples FILE...] [--format json]`: what revision B means for
//! users created under revision A.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde_json::{Value, json};

use super::{OutputFormat, exit};
use crate::nextgen::compat::compare_documents;
use crate::schema::compat::{Class, Report, SampleInput, SampleOutcome, check_samples, compare};
use crate::store::Store;

#[derive(Debug, Args)]
#[command(
    long_about = "Compare two revisions of a schema and classify every change as breaking (a user \
                  valid under A fails B; an example user is shown, generated and checked with the \
                  validator), compatible (proved: every user valid under A stays valid), or cannot \
                  tell (neither could be shown, e.g. a pattern outside the regex subset compared, or \
                  a field declared where any value was allowed). Authenticators removed are listed \
                  too: users keep the ones they have. Sample users saved with the schema, and files \
                  given with --samples, are checked against B.",
    after_help = "Exit status:\n  \
                  0  every change is compatible and every sample passes. Changes that cannot be \
                  told still exit 0, but are printed as warnings: check them by hand or with samples.\n  \
                  1  a change is breaking, or a sample fails under revision B.\n  \
                  2  usage error: unknown type or revision, unreadable file, bad arguments."
)]
pub struct CompatArgs {
    /// The schema's type.
    #[arg(value_name = "TYPE")]
    pub type_name: String,
    /// The older revision (the one users were created with).
    #[arg(required_unless_present = "workspace")]
    pub a: Option<u32>,
    /// The newer revision (the one about to be pushed).
    #[arg(required_unless_present = "workspace")]
    pub b: Option<u32>,
    /// With --workspace: the git revision whose copy of the file the working copy is compared with.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub git_rev: String,
    /// Sample user files (one JSON object each) to check against revision B, besides the
    /// samples saved with the schema.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub samples: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(store: &Store, args: &CompatArgs) -> anyhow::Result<u8> {
    let (Some(a), Some(b)) = (args.a, args.b) else {
        anyhow::bail!("compat needs the revisions A and B (or --workspace DIR)");
    };
    let schema = store.by_type(&args.type_name)?;
    let old = store.revision(schema.id, a)?;
    let new = store.revision(schema.id, b)?;
    if store.target(schema.id)? == crate::nextgen::Target::Nextgen {
        return compat_revisions(
            &args.type_name,
            (a, &old.draft.schema),
            (b, &new.draft.schema),
            args.format,
        );
    }
    let mut inputs: Vec<SampleInput> = store
        .list_samples(schema.id)?
        .into_iter()
        .map(SampleInput::from)
        .collect();
    for file in &args.samples {
        let data = crate::files::read_bounded(file, crate::files::MAX_SCHEMA_BYTES)
            .with_context(|| format!("cannot read the sample {}", file.display()))?;
        inputs.push(SampleInput {
            name: file.display().to_string(),
            source: "file".into(),
            data,
        });
    }
    let report = compare(&old.draft, &new.draft);
    let samples = check_samples(&old.draft.schema, &new.draft.schema, &inputs);
    let failing = samples.iter().filter(|s| !s.passes()).count();
    let code = if report.is_breaking() || failing > 0 {
        exit::INVALID
    } else {
        exit::OK
    };
    match args.format {
        OutputFormat::Json => {
            let samples_json: Vec<_> = samples
                .iter()
                .map(|s| {
                    json!({"name": s.name, "source": s.source, "passes": s.passes(),
                           "failedBefore": s.failed_before, "diagnostics": s.diagnostics})
                })
                .collect();
            let body = json!({
                "type": args.type_name,
                "from": a,
                "to": b,
                "verdict": report.worst(),
                "breaking": report.count(Class::Breaking),
                "cannotTell": report.count(Class::CannotTell),
                "compatible": report.count(Class::Compatible),
                "changes": report.changes,
                "samples": samples_json,
                "failingSamples": failing,
                "exitCode": code,
            });
            println!("{}", serde_json::to_string_pretty(&body)?);
        }
        OutputFormat::Text => print_text(args, (a, b), &report, &samples, failing)?,
    }
    if report.count(Class::CannotTell) > 0 {
        eprintln!(
            "warning: {} change(s) cannot be judged automatically; check them by hand or with sample users",
            report.count(Class::CannotTell)
        );
    }
    Ok(code)
}

fn print_text(
    args: &CompatArgs,
    (a, b): (u32, u32),
    report: &Report,
    samples: &[SampleOutcome],
    failing: usize,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\"{}\": revision {} -> revision {}",
        args.type_name, a, b
    )?;
    if report.changes.is_empty() {
        writeln!(out, "no changes")?;
    }
    for c in &report.changes {
        let tag = match c.class {
            Class::Breaking => "BREAKING   ",
            Class::CannotTell => "WARNING    ",
            Class::Compatible => "compatible ",
        };
        let note = if c.class == Class::CannotTell {
            " (cannot tell)"
        } else {
            ""
        };
        writeln!(out, "{tag} {}: {}{note}", c.pointer_display(), c.message)?;
        if let Some(example) = c.example_sentence() {
            writeln!(out, "            {example}")?;
        }
    }
    if !samples.is_empty() {
        writeln!(
            out,
            "samples: {} checked against revision {}, {failing} would fail",
            samples.len(),
            b
        )?;
        for s in samples.iter().filter(|s| !s.passes()) {
            let before = if s.failed_before {
                format!(" (it already failed under revision {a})")
            } else {
                String::new()
            };
            writeln!(out, "  FAIL {} ({}){before}", s.name, s.source)?;
            for d in &s.diagnostics {
                writeln!(out, "    {d}")?;
            }
        }
    }
    writeln!(
        out,
        "verdict: {} ({} breaking, {} cannot tell, {} compatible; {failing} failing sample(s))",
        report.worst(),
        report.count(Class::Breaking),
        report.count(Class::CannotTell),
        report.count(Class::Compatible)
    )?;
    Ok(())
}

/// `compat TYPE A B` for a nextgen schema of the store.
pub fn compat_revisions(
    type_name: &str,
    (a, old): (u32, &Value),
    (b, new): (u32, &Value),
    format: OutputFormat,
) -> anyhow::Result<u8> {
    let title = format!("\"{type_name}\": revision {a} -> revision {b} (nextgen)");
    print_compat(&title, &a.to_string(), &b.to_string(), old, new, format)
}

/// Prints the nextgen compatibility report; exit 1 when anything breaks.
pub fn print_compat(
    title: &str,
    from: &str,
    to: &str,
    old: &Value,
    new: &Value,
    format: OutputFormat,
) -> anyhow::Result<u8> {
    let report = compare_documents(old, new);
    let code = if report.is_breaking() {
        exit::INVALID
    } else {
        exit::OK
    };
    match format {
        OutputFormat::Json => {
            let body = json!({
                "from": from, "to": to, "target": "nextgen",
                "verdict": report.worst(),
                "breaking": report.count(Class::Breaking),
                "cannotTell": report.count(Class::CannotTell),
                "compatible": report.count(Class::Compatible),
                "changes": report.schema.changes, "dialectChanges": report.dialect,
                "exitCode": code,
            });
            println!("{}", serde_json::to_string_pretty(&body)?);
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{title}")?;
            let lines = report.lines();
            if lines.is_empty() {
                writeln!(out, "no changes")?;
            }
            for (class, pointer, message) in &lines {
                let (tag, note) = match class {
                    Class::Breaking => ("BREAKING   ", ""),
                    Class::CannotTell => ("WARNING    ", " (cannot tell)"),
                    Class::Compatible => ("compatible ", ""),
                };
                let at = if pointer.is_empty() { "/" } else { pointer };
                writeln!(out, "{tag} {at}: {message}{note}")?;
            }
            writeln!(
                out,
                "verdict: {} ({} breaking, {} cannot tell, {} compatible)",
                report.worst(),
                report.count(Class::Breaking),
                report.count(Class::CannotTell),
                report.count(Class::Compatible)
            )?;
        }
    }
    Ok(code)
}
