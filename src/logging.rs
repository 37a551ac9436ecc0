//! Logs: `tracing` to a daily file in the platform's state folder, and warnings to standard error.
//!
//! - File: `schemadesk.YYYY-MM-DD.log` in [`log_dir`], a new file each day, the newest
//!   [`KEEP_FILES`] kept. Our own events at info (debug with `--verbose`); other crates at warn
//!   (info with `--verbose`). `SCHEMADESK_LOG` (an `EnvFilter` directive such as
//!   `schemadesk=trace`) overrides both.
//! - Standard error: warnings and errors (our debug events too with `--verbose`), without
//!   timestamps, so that the CLI tells its user when something went wrong.
//!
//! Rule for every `tracing` call in this crate: never a token, password or key at any level, and
//! never schema contents or request bodies at info or above (a type name, revision number, byte
//! count or status code is fine). Debug may show schema text; it never shows secrets.

use std::fmt;
use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Overrides the log folder.
pub const LOG_DIR_ENV: &str = "SCHEMADESK_LOG_DIR";
/// An `EnvFilter` directive that overrides the file's levels.
pub const LOG_FILTER_ENV: &str = "SCHEMADESK_LOG";
/// Log file names: `schemadesk.2026-11-27.log`.
pub const FILE_PREFIX: &str = "schemadesk";
pub const FILE_SUFFIX: &str = "log";
/// How many daily files are kept.
pub const KEEP_FILES: usize = 7;

/// Errors from setting up logging.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("a global logger is already installed")]
    AlreadyInitialised,
}

/// Keeps the file writer alive; drop it last (at the end of `main`) so that the last lines are
/// flushed.
#[must_use = "logging to the file stops when the guard is dropped"]
pub struct LogGuard {
    _worker: Option<WorkerGuard>,
    dir: Option<PathBuf>,
}

impl LogGuard {
    /// The folder the log files go to, if the file log could be opened.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_deref()
    }
}

impl fmt::Debug for LogGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogGuard").field("dir", &self.dir).finish()
    }
}

/// The log folder: `$SCHEMADESK_LOG_DIR`, else `logs` in the platform's state folder
/// (`~/.local/state/schemadesk/logs` on Linux), else in its local data folder (macOS, Windows).
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("dev", "schemadesk", "schemadesk")?;
    let base = dirs
        .state_dir()
        .map_or_else(|| dirs.data_local_dir().to_path_buf(), |d| d.to_path_buf());
    Some(base.join("logs"))
}

/// Crates whose debug and trace output shows raw request headers, the bearer token among
/// them: whatever `SCHEMADESK_LOG` asks, they never log below info.
const HEADER_LOGGERS: &[&str] = &["ureq", "ureq_proto", "rustls"];

/// The file filter: `SCHEMADESK_LOG` if set and valid, else our crate at info (debug when
/// `verbose`) and everything else at warn (info when `verbose`).
pub fn file_filter(verbose: bool) -> EnvFilter {
    std::env::var(LOG_FILTER_ENV)
        .ok()
        .map(|user| capped_directives(&user))
        .filter(|d| !d.is_empty())
        .and_then(|d| EnvFilter::try_new(d).ok())
        .unwrap_or_else(|| EnvFilter::new(capped_directives(default_directives(verbose))))
}

/// `directives` without any say over the header-logging crates, plus an info cap on them.
fn capped_directives(directives: &str) -> String {
    let mut kept: Vec<&str> = directives
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| !HEADER_LOGGERS.iter().any(|c| d.starts_with(c)))
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    let caps: Vec<String> = HEADER_LOGGERS.iter().map(|c| format!("{c}=info")).collect();
    kept.extend(caps.iter().map(String::as_str));
    kept.join(",")
}

fn default_directives(verbose: bool) -> &'static str {
    if verbose {
        "info,schemadesk=debug"
    } else {
        "warn,schemadesk=info"
    }
}

/// Installs the global logger. Call once, first thing in `main`, and keep the guard.
///
/// If the log folder cannot be created the file log is skipped, with a warning on standard
/// error; the only error is a logger that is already installed.
pub fn init(verbose: bool) -> anyhow::Result<LogGuard> {
    let stderr_filter = EnvFilter::new(if verbose {
        "warn,schemadesk=debug"
    } else {
        "warn"
    });
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(stderr_colours())
        .without_time()
        .with_target(false)
        .with_filter(stderr_filter);

    let (file_layer, worker, dir, file_error) = match open_file(log_dir()) {
        Ok((appender, dir)) => {
            let (writer, worker) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_filter(file_filter(verbose));
            (Some(layer), Some(worker), Some(dir), None)
        }
        Err(e) => (None, None, None, Some(e)),
    };

    tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init()
        .map_err(|_| LoggingError::AlreadyInitialised)?;

    if let Some(e) = file_error {
        tracing::warn!("not logging to a file: {e}");
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
        "schemadesk started"
    );
    Ok(LogGuard {
        _worker: worker,
        dir,
    })
}

/// Colour on standard error only for a terminal, and never with `NO_COLOR` set.
fn stderr_colours() -> bool {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn open_file(dir: Option<PathBuf>) -> Result<(RollingFileAppender, PathBuf), String> {
    let dir = dir
        .ok_or_else(|| format!("no state folder is known for this platform (set {LOG_DIR_ENV})"))?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEEP_FILES)
        .build(&dir)
        .map_err(|e| format!("cannot open a log file in {}: {e}", dir.display()))?;
    Ok((appender, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_loggers_are_capped_whatever_the_user_asks() {
        let d = capped_directives("trace,ureq=trace,ureq_proto::h1=trace,schemadesk=debug");
        assert_eq!(
            d,
            "trace,schemadesk=debug,ureq=info,ureq_proto=info,rustls=info"
        );
        assert!(EnvFilter::try_new(&d).is_ok());
        assert_eq!(capped_directives(""), "");
    }

    #[test]
    fn default_log_dir_is_a_logs_folder() {
        // The env override is tested through the binary (tests/packaging.rs), since changing
        // the environment here would race with other tests.
        if std::env::var_os(LOG_DIR_ENV).is_none()
            && let Some(dir) = log_dir()
        {
            assert!(dir.ends_with("logs"), "{}", dir.display());
            if cfg!(target_os = "linux") {
                assert!(
                    dir.to_string_lossy().contains("schemadesk"),
                    "{}",
                    dir.display()
                );
            }
        }
    }

    #[test]
    fn default_filters_parse() {
        for verbose in [false, true] {
            assert!(EnvFilter::try_new(default_directives(verbose)).is_ok());
        }
        assert!(default_directives(true).contains("schemadesk=debug"));
        assert!(default_directives(false).contains("schemadesk=info"));
    }

    #[test]
    fn file_appender_keeps_a_week_of_daily_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b");
        let (_appender, opened) = open_file(Some(target.clone())).unwrap();
        assert_eq!(opened, target);
        assert!(target.is_dir());
        assert_eq!(KEEP_FILES, 7);
    }

    #[test]
    fn unusable_log_dir_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let err = open_file(Some(blocker.join("logs"))).unwrap_err();
        assert!(err.contains("cannot create"), "{err}");
        assert!(open_file(None).is_err());
    }
}
