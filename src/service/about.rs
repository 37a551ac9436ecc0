//! The facts the About dialog and a bug report show: version, OS, and where the store, the
//! log files and the settings are. No secrets and no schema contents. This joins the store's
//! and the settings' default paths with the log folder, so it lives here rather than in the
//! leaf `logging` module.

use std::fmt::{self, Write as _};
use std::path::PathBuf;

use crate::logging::log_dir;
use crate::settings::Settings;
use crate::store::{DB_ENV, Store};

/// What a bug report needs, without secrets or schema contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    pub version: String,
    pub os: String,
    pub store: Option<PathBuf>,
    pub log_dir: Option<PathBuf>,
    pub settings: Option<PathBuf>,
    /// The GUI's renderer (e.g. "wgpu Vulkan, llvmpipe"), when known.
    pub renderer: Option<String>,
}

impl Diagnostics {
    /// Collects what is known without a window: version, OS, default paths.
    /// The store is `$SCHEMADESK_DB` or the platform default; set [`Diagnostics::store`] when
    /// another one is open, and [`Diagnostics::renderer`] from the GUI.
    pub fn collect() -> Self {
        let store = std::env::var_os(DB_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(Store::default_path);
        Diagnostics {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            os: os_description(),
            store,
            log_dir: log_dir(),
            settings: Settings::path().ok(),
            renderer: None,
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn path(p: &Option<PathBuf>) -> String {
            p.as_ref()
                .map_or_else(|| "unknown".to_owned(), |p| p.display().to_string())
        }
        writeln!(f, "schemadesk {}", self.version)?;
        writeln!(f, "OS: {}", self.os)?;
        writeln!(f, "Store: {}", path(&self.store))?;
        writeln!(f, "Log folder: {}", path(&self.log_dir))?;
        writeln!(f, "Settings: {}", path(&self.settings))?;
        write!(
            f,
            "Renderer: {}",
            self.renderer.as_deref().unwrap_or("unknown")
        )
    }
}

/// A plain-text report for a "Copy diagnostics" button; see [`Diagnostics`] for more control.
pub fn diagnostics_report() -> String {
    Diagnostics::collect().to_string()
}

/// e.g. "linux x86_64 (Debian GNU/Linux 12 (bookworm))". Read from disk once per process:
/// the About dialog asks for it every frame while it is open.
fn os_description() -> String {
    static OS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OS.get_or_init(|| {
        let mut s = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
        if let Some(name) = os_release_name() {
            let _ = write!(s, " ({name})");
        }
        s
    })
    .clone()
}

fn os_release_name() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let text = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .ok()?;
    parse_pretty_name(&text)
}

fn parse_pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|line| {
        let value = line.strip_prefix("PRETTY_NAME=")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_name_every_field_and_survive_unknowns() {
        let d = Diagnostics {
            version: "1.2.3".into(),
            os: "linux x86_64".into(),
            store: None,
            log_dir: Some(PathBuf::from("/l")),
            settings: None,
            renderer: None,
        };
        let text = d.to_string();
        assert_eq!(
            text,
            "schemadesk 1.2.3\nOS: linux x86_64\nStore: unknown\nLog folder: /l\n\
             Settings: unknown\nRenderer: unknown"
        );
        let report = diagnostics_report();
        assert!(report.starts_with(&format!("schemadesk {}\n", env!("CARGO_PKG_VERSION"))));
        for key in [
            "OS: ",
            "Store: ",
            "Log folder: ",
            "Settings: ",
            "Renderer: ",
        ] {
            assert!(report.contains(key), "{report}");
        }
    }

    #[test]
    fn os_release_pretty_name() {
        let text = "NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
        assert_eq!(
            parse_pretty_name(text).as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(parse_pretty_name("NAME=x\n"), None);
    }
}
