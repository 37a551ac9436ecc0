//! `schemadesk validate FILE...`

use serde::Serialize;

// Re-exported for `remote`, which printed through here before `print` existed.
pub(super) use super::print::print_text;
use super::{OutputFormat, ValidateArgs, exit};
use crate::files::{MAX_SCHEMA_BYTES, read_bounded};
use crate::printable::printable;
use crate::schema::validate::SampleChecker;
use crate::schema::{Diagnostic, Source, validate};
use crate::service::exchange::check::check_file;

#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// The target the file was validated for (v3alpha or nextgen).
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'static str>,
    /// For nextgen: the meta-schema used, with its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<String>,
    diagnostics: &'a [Diagnostic],
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    if !args.samples.is_empty() {
        return run_samples(args);
    }
    let mut worst = exit::OK;
    let mut reports = Vec::new();
    let mut all = Vec::with_capacity(args.files.len());
    let mut targets = Vec::with_capacity(args.files.len());
    for file in &args.files {
        match read_bounded(file, MAX_SCHEMA_BYTES) {
            Ok(text) => {
                let v = check_file(file, &text, args.target.map(Into::into))?;
                if !v.diagnostics.is_empty() {
                    worst = worst.max(exit::INVALID);
                }
                if let (Some(meta), OutputFormat::Text) = (&v.meta, args.format) {
                    eprintln!("{}: nextgen, checked against {meta}", file.display());
                }
                targets.push((v.target.as_str(), v.meta));
                all.push((file.as_path(), Ok(v.diagnostics)));
            }
            Err(e) => {
                worst = exit::USAGE;
                targets.push(("", None));
                all.push((
                    file.as_path(),
                    Err(format!("cannot read {}: {e}", file.display())),
                ));
            }
        }
    }
    match args.format {
        OutputFormat::Text => {
            for (file, outcome) in &all {
                match outcome {
                    Ok(diags) => print_text(file, diags),
                    Err(e) => eprintln!("schemadesk: {}", printable(e)),
                }
            }
            if args.files.len() > 1 || worst == exit::OK {
                let bad = all
                    .iter()
                    .filter(|(_, o)| !matches!(o, Ok(d) if d.is_empty()))
                    .count();
                eprintln!("{} valid, {bad} invalid", all.len() - bad);
            }
        }
        OutputFormat::Json => {
            for ((file, outcome), (target, meta)) in all.iter().zip(&targets) {
                reports.push(match outcome {
                    Ok(diags) => FileReport {
                        file: file.display().to_string(),
                        valid: diags.is_empty(),
                        error: None,
                        target: Some(*target),
                        meta: meta.clone(),
                        diagnostics: diags,
                    },
                    Err(e) => FileReport {
                        file: file.display().to_string(),
                        valid: false,
                        error: Some(e.clone()),
                        target: None,
                        meta: None,
                        diagnostics: &[],
                    },
                });
            }
            println!("{}", serde_json::to_string_pretty(&reports)?);
        }
    }
    Ok(worst)
}

/// `validate SCHEMA --sample USER.json...`: the schema must be valid, then each sample is
/// checked against it, compiled once.
fn run_samples(args: &ValidateArgs) -> anyhow::Result<u8> {
    let [schema_file] = args.files.as_slice() else {
        anyhow::bail!("--sample needs exactly one schema FILE");
    };
    let text = read_bounded(schema_file, MAX_SCHEMA_BYTES)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", schema_file.display()))?;
    let validation = validate(Source::File(&text));
    if !validation.is_valid() {
        print_text(schema_file, &validation.diagnostics);
        eprintln!(
            "schemadesk: {} is not a valid schema; samples were not checked",
            schema_file.display()
        );
        return Ok(exit::INVALID);
    }
    let Some(parsed) = validation.parsed else {
        anyhow::bail!("{} holds no schema", schema_file.display());
    };
    let checker = SampleChecker::new(&parsed.schema);
    let mut worst = exit::OK;
    let mut reports = Vec::new();
    let mut results = Vec::new();
    for sample in &args.samples {
        let diags = match read_bounded(sample, MAX_SCHEMA_BYTES) {
            Ok(t) => checker.check(&t),
            Err(e) => {
                eprintln!(
                    "schemadesk: cannot read {}: {}",
                    sample.display(),
                    printable(&e.to_string())
                );
                worst = exit::USAGE;
                continue;
            }
        };
        if !diags.is_empty() {
            worst = worst.max(exit::INVALID);
        }
        results.push((sample, diags));
    }
    match args.format {
        OutputFormat::Text => {
            for (sample, diags) in &results {
                print_text(sample, diags);
            }
            let bad = results.iter().filter(|(_, d)| !d.is_empty()).count();
            eprintln!("{} sample(s) valid, {bad} invalid", results.len() - bad);
        }
        OutputFormat::Json => {
            for (sample, diags) in &results {
                reports.push(FileReport {
                    file: sample.display().to_string(),
                    valid: diags.is_empty(),
                    error: None,
                    target: None,
                    meta: None,
                    diagnostics: diags,
                });
            }
            println!("{}", serde_json::to_string_pretty(&reports)?);
        }
    }
    Ok(worst)
}
