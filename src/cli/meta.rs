//! `schemadesk completions SHELL` and `schemadesk man [--out DIR]`: generated from the same clap
//! definition as the parser, so they never drift from it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, exit};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    schemadesk completions bash > ~/.local/share/bash-completion/completions/schemadesk\n  \
    schemadesk completions zsh > ~/.zfunc/_schemadesk\n  \
    schemadesk completions fish > ~/.config/fish/completions/schemadesk.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    schemadesk man | man -l -\n  \
    schemadesk man --out /usr/local/share/man/man1")]
pub struct ManArgs {
    /// Write schemadesk.1 and one page per subcommand (schemadesk-import.1, ...) into this
    /// folder, creating it, instead of printing schemadesk.1 to standard output.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The clap command as the binary sees it.
pub fn command() -> clap::Command {
    Cli::command()
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "schemadesk", &mut out);
    write_stdout(&out)?;
    Ok(exit::OK)
}

pub fn man(args: &ManArgs) -> anyhow::Result<u8> {
    match &args.out {
        Some(dir) => {
            let written = write_man_pages(dir)?;
            for page in written {
                println!("{}", page.display());
            }
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command())
                .render(&mut out)
                .context("cannot render the man page")?;
            write_stdout(&out)?;
        }
    }
    Ok(exit::OK)
}

/// Writes `schemadesk.1` and `schemadesk-SUBCOMMAND.1` pages into `dir`; returns their paths.
pub fn write_man_pages(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    write_pages(cmd, dir, &mut written)?;
    Ok(written)
}

fn write_pages(cmd: clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, written)?;
    }
    let man = clap_mangen::Man::new(cmd);
    let path = dir.join(man.get_filename());
    let mut buf = Vec::new();
    man.render(&mut buf)
        .with_context(|| format!("cannot render {}", path.display()))?;
    std::fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path);
    Ok(())
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}
