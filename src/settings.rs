//! User settings: a small TOML file in the platform's config folder.
//!
//! ```toml
//! default_server = "my-instance"   # a server name, as saved in the store
//! theme = "system"                 # "light", "dark" or "system"
//! font_size = 14.0                 # points, 8 to 32
//! autosave_secs = 30               # 0 turns autosave off; at most 3600
//! recent_files = ["/home/me/schemas/employee.json"]
//! ```
//!
//! A missing file (or missing keys) means defaults. A malformed file is an error that names the
//! file, line and column, so that the user can fix it; the app should show it and carry on with
//! defaults rather than overwrite the file. Unknown keys are ignored, so that a newer version's
//! file still loads. [`Settings::save`] writes a temporary file next to the target and renames it
//! over, so a crash never leaves half a file.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Overrides the settings file's path (tests, portable installs).
pub const SETTINGS_ENV: &str = "SCHEMADESK_SETTINGS";

/// The settings file's name inside the config folder.
pub const FILE_NAME: &str = "settings.toml";

/// How many recent files are remembered.
pub const MAX_RECENT_FILES: usize = 10;

/// Errors from loading or saving the settings file.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("no config folder is known for this platform; set {SETTINGS_ENV} to a file path")]
    NoConfigDir,
    #[error("cannot read the settings file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value is of the wrong kind or out of range.
    /// `line` and `column` are 1-based; they are 0 when the parser gave no position.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot write the settings file {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode the settings: {0}")]
    Encode(#[from] toml::ser::Error),
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    /// Follow the operating system.
    #[default]
    System,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    pub fn label(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::System => "System",
        }
    }
}

/// A font size in points, always within [`FontSize::MIN`]..=[`FontSize::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct FontSize(f32);

impl FontSize {
    pub const MIN: f32 = 8.0;
    pub const MAX: f32 = 32.0;
    pub const DEFAULT: FontSize = FontSize(14.0);

    /// Any value, clamped into range (for sliders). NaN gives the default.
    pub fn clamped(points: f32) -> Self {
        if points.is_nan() {
            Self::DEFAULT
        } else {
            FontSize(points.clamp(Self::MIN, Self::MAX))
        }
    }

    pub fn points(self) -> f32 {
        self.0
    }
}

impl Default for FontSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<f64> for FontSize {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        let (min, max) = (f64::from(Self::MIN), f64::from(Self::MAX));
        if (min..=max).contains(&value) {
            // In range, so the narrowing is exact enough for a font size.
            #[allow(clippy::cast_possible_truncation)]
            Ok(FontSize(value as f32))
        } else {
            Err(format!(
                "font_size must be between {min} and {max} points, not {value}"
            ))
        }
    }
}

impl From<FontSize> for f64 {
    fn from(value: FontSize) -> Self {
        f64::from(value.0)
    }
}

/// Seconds between autosaves of an edited draft; 0 means off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct AutosaveSecs(u32);

impl AutosaveSecs {
    pub const MAX: u32 = 3600;
    pub const DEFAULT: AutosaveSecs = AutosaveSecs(30);
    pub const OFF: AutosaveSecs = AutosaveSecs(0);

    /// Any value, clamped to at most [`AutosaveSecs::MAX`].
    pub fn clamped(secs: u32) -> Self {
        AutosaveSecs(secs.min(Self::MAX))
    }

    pub fn secs(self) -> u32 {
        self.0
    }

    /// The interval, or None when autosave is off.
    pub fn interval(self) -> Option<std::time::Duration> {
        (self.0 > 0).then(|| std::time::Duration::from_secs(u64::from(self.0)))
    }
}

impl Default for AutosaveSecs {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<i64> for AutosaveSecs {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        match u32::try_from(value) {
            Ok(secs) if secs <= Self::MAX => Ok(AutosaveSecs(secs)),
            _ => Err(format!(
                "autosave_secs must be between 0 (off) and {}, not {value}",
                Self::MAX
            )),
        }
    }
}

impl From<AutosaveSecs> for u32 {
    fn from(value: AutosaveSecs) -> Self {
        value.0
    }
}

/// Everything in the settings file. Missing keys take their defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The name of the server to push to and pull from when none is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_server: Option<String>,
    pub theme: Theme,
    pub font_size: FontSize,
    pub autosave_secs: AutosaveSecs,
    /// Most recent first, at most [`MAX_RECENT_FILES`].
    pub recent_files: Vec<PathBuf>,
}

impl Settings {
    /// The settings file: `$SCHEMADESK_SETTINGS`, else `settings.toml` in the platform's config
    /// folder (e.g. `~/.config/schemadesk/settings.toml`).
    pub fn path() -> Result<PathBuf, SettingsError> {
        if let Some(p) = std::env::var_os(SETTINGS_ENV).filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        default_path().ok_or(SettingsError::NoConfigDir)
    }

    /// Loads the settings file; a missing file gives the defaults.
    pub fn load() -> Result<Settings, SettingsError> {
        Self::load_from(&Self::path()?)
    }

    /// Loads `path`; a missing file gives the defaults.
    pub fn load_from(path: &Path) -> Result<Settings, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(source) => Err(SettingsError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses settings text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Settings, SettingsError> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((0, 0));
            SettingsError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        settings.recent_files.truncate(MAX_RECENT_FILES);
        Ok(settings)
    }

    /// The file's text, as [`Settings::save`] writes it.
    pub fn to_toml(&self) -> Result<String, SettingsError> {
        Ok(toml::to_string_pretty(self)?)
    }

    /// Writes the settings to [`Settings::path`], atomically.
    pub fn save(&self) -> Result<PathBuf, SettingsError> {
        let path = Self::path()?;
        self.save_to(&path)?;
        Ok(path)
    }

    /// Writes the settings to `path` (creating its folder): a temporary file beside it, flushed
    /// to disk, then renamed over the old one.
    pub fn save_to(&self, path: &Path) -> Result<(), SettingsError> {
        let text = self.to_toml()?;
        write_atomically(path, text.as_bytes()).map_err(|source| SettingsError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Puts `file` first in the recent files (once), keeping at most [`MAX_RECENT_FILES`].
    pub fn add_recent_file(&mut self, file: impl Into<PathBuf>) {
        let file = file.into();
        self.recent_files.retain(|f| *f != file);
        self.recent_files.insert(0, file);
        self.recent_files.truncate(MAX_RECENT_FILES);
    }

    /// Drops recent files that no longer exist.
    pub fn forget_missing_files(&mut self) {
        self.recent_files.retain(|f| f.exists());
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// `settings.toml` in the platform's config folder, if the platform has one.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("dev", "schemadesk", "schemadesk")
        .map(|dirs| dirs.config_dir().join(FILE_NAME))
}

/// 1-based line and column (in characters) of byte offset `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::files::write_atomically(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, SettingsError> {
        Settings::parse(text, Path::new("/cfg/settings.toml"))
    }

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::load_from(&dir.path().join("nope.toml")).unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.theme, Theme::System);
        assert_eq!(s.font_size.points(), 14.0);
        assert_eq!(s.autosave_secs.secs(), 30);
    }

    #[test]
    fn empty_and_partial_files_fill_in_defaults() {
        assert_eq!(parse("").unwrap(), Settings::default());
        let s = parse("theme = \"dark\"\n").unwrap();
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.font_size, FontSize::DEFAULT);
        assert_eq!(s.default_server, None);
    }

    #[test]
    fn full_file_parses() {
        let s = parse(
            "default_server = \"prod\"\ntheme = \"light\"\nfont_size = 16\n\
             autosave_secs = 0\nrecent_files = [\"/a.json\", \"/b.json\"]\nfuture_key = 1\n",
        )
        .unwrap();
        assert_eq!(s.default_server.as_deref(), Some("prod"));
        assert_eq!(s.theme, Theme::Light);
        assert_eq!(s.font_size.points(), 16.0);
        assert_eq!(s.autosave_secs.interval(), None);
        assert_eq!(
            s.recent_files,
            vec![PathBuf::from("/a.json"), PathBuf::from("/b.json")]
        );
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let err = parse("theme = \"dark\"\nfont_size = = 3\n").unwrap_err();
        match &err {
            SettingsError::Parse { line, column, .. } => {
                assert_eq!((*line, *column), (2, 13), "{err}");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
        assert!(
            err.to_string().starts_with("/cfg/settings.toml:2:13: "),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_errors_at_their_position() {
        let err = parse("\n\ntheme = \"purple\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("/cfg/settings.toml:3:9: "), "{text}");
        assert!(text.contains("purple"), "{text}");

        let err = parse("font_size = 99\n").unwrap_err().to_string();
        assert!(err.starts_with("/cfg/settings.toml:1:13: "), "{err}");
        assert!(err.contains("between 8 and 32"), "{err}");

        let err = parse("autosave_secs = -5\n").unwrap_err().to_string();
        assert!(err.contains("autosave_secs must be between 0"), "{err}");

        let err = parse("font_size = \"big\"\n").unwrap_err().to_string();
        assert!(err.starts_with("/cfg/settings.toml:1:13: "), "{err}");
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/folder/settings.toml");
        let mut s = Settings {
            default_server: Some("staging".into()),
            theme: Theme::Dark,
            font_size: FontSize::clamped(18.5),
            autosave_secs: AutosaveSecs::clamped(120),
            recent_files: vec![],
        };
        s.add_recent_file("/x/one.json");
        s.save_to(&path).unwrap();
        assert_eq!(Settings::load_from(&path).unwrap(), s);

        s.theme = Theme::Light;
        s.save_to(&path).unwrap();
        assert_eq!(Settings::load_from(&path).unwrap().theme, Theme::Light);

        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.toml")]);
    }

    #[test]
    fn save_into_an_unwritable_place_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let err = Settings::default()
            .save_to(&blocker.join("settings.toml"))
            .unwrap_err();
        assert!(matches!(err, SettingsError::Write { .. }));
        assert!(err.to_string().contains("settings.toml"), "{err}");
    }

    #[test]
    fn unreadable_path_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be.
        let err = Settings::load_from(dir.path()).unwrap_err();
        assert!(matches!(err, SettingsError::Read { .. }), "{err:?}");
    }

    #[test]
    fn recent_files_move_to_front_without_duplicates_and_are_capped() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.add_recent_file(format!("/f{i}.json"));
        }
        s.add_recent_file("/f10.json");
        assert_eq!(s.recent_files.len(), MAX_RECENT_FILES);
        assert_eq!(s.recent_files[0], PathBuf::from("/f10.json"));
        assert_eq!(s.recent_files[1], PathBuf::from("/f14.json"));
        assert_eq!(
            s.recent_files
                .iter()
                .filter(|f| f.as_path() == Path::new("/f10.json"))
                .count(),
            1
        );
    }

    #[test]
    fn clamping_helpers() {
        assert_eq!(FontSize::clamped(2.0).points(), FontSize::MIN);
        assert_eq!(FontSize::clamped(100.0).points(), FontSize::MAX);
        assert_eq!(FontSize::clamped(f32::NAN), FontSize::DEFAULT);
        assert_eq!(AutosaveSecs::clamped(99_999).secs(), AutosaveSecs::MAX);
        assert_eq!(
            AutosaveSecs::DEFAULT.interval(),
            Some(std::time::Duration::from_secs(30))
        );
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("abc", 0), (1, 1));
        assert_eq!(line_column("a\nbc", 3), (2, 2));
        assert_eq!(line_column("é = x", 2), (1, 2));
        assert_eq!(line_column("é = x", 1), (1, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn default_path_ends_in_settings_toml() {
        if let Some(p) = default_path() {
            assert!(p.ends_with(FILE_NAME));
        }
    }
}
