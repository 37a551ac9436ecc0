use std::process::ExitCode;

use clap::Parser;
use schemadesk::cli::{self, Cli};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // Before any thread starts (see `when`).
    schemadesk::when::init_local_offset();
    let mut cli = Cli::parse();
    let _log = schemadesk::logging::init(cli.verbose)
        .inspect_err(|e| eprintln!("schemadesk: warning: no log: {e:#}"));
    match cli.command.take() {
        Some(command) => cli::run(cli, command),
        None => {
            match cli::store_path(cli.db.clone()).and_then(|db| schemadesk::gui::run(db, started)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("schemadesk: {e:#}");
                    ExitCode::from(cli::exit::USAGE)
                }
            }
        }
    }
}
