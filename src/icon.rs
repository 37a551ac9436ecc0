//! The application icon and desktop identity, embedded in the binary.
//!
//! ```ignore
//! let viewport = egui::ViewportBuilder::default()
//!     .with_app_id(schemadesk::icon::APP_ID)
//!     .with_icon(std::sync::Arc::new(schemadesk::icon::app_icon()));
//! ```

/// The window's app id (Wayland `app_id`, X11 `WM_CLASS`). It must equal the `.desktop` file's
/// name (`packaging/linux/dev.schemadesk.schemadesk.desktop`) so that desktops show our icon.
pub const APP_ID: &str = "dev.schemadesk.schemadesk";

/// The 256 px icon, rendered from `assets/schemadesk.svg`.
pub const ICON_PNG: &[u8] = include_bytes!("../assets/schemadesk-256.png");

/// The icon as RGBA pixels for `egui::ViewportBuilder::with_icon`.
///
/// The PNG is part of the binary and checked by a test; should it ever fail to decode, this logs
/// the error and returns an empty icon (the platform's default is shown) instead of panicking.
pub fn app_icon() -> egui::IconData {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => icon,
        Err(e) => {
            tracing::warn!("the built-in icon does not decode: {e}");
            egui::IconData::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_decodes_to_256_square_rgba() {
        let icon = app_icon();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Transparent corner, opaque centre.
        assert_eq!(icon.rgba[3], 0);
        let centre = (128 * 256 + 128) * 4;
        assert_eq!(icon.rgba[centre + 3], 255);
    }

    #[test]
    fn app_id_matches_the_desktop_file() {
        let desktop = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("packaging/linux")
            .join(format!("{APP_ID}.desktop"));
        assert!(desktop.is_file(), "{} is missing", desktop.display());
    }
}
