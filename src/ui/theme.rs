//! The design system in one place: spacing, sizes, colours, text styles and icons as named
//! tokens, after rerun's `re_ui`. Panels use these instead of numbers of their own, so the
//! window keeps one rhythm at every size and font size.
//!
//! Sizes are in points at the default font size (14 pt) and grow with the font: [`scale`].

use egui::{Color32, RichText, Visuals};

use crate::app::StatusKind;

/// Space between things, smallest to largest.
pub mod space {
    pub const XS: f32 = 2.0;
    pub const S: f32 = 4.0;
    pub const M: f32 = 8.0;
    pub const L: f32 = 12.0;
    pub const XL: f32 = 20.0;
}

/// Sizes of panels and inputs at the default font size.
pub mod size {
    /// No text input is narrower than this (the layout tests check it).
    pub const MIN_INPUT: f32 = 120.0;
    /// A comfortable width for a one-line input.
    pub const INPUT: f32 = 320.0;
    /// A short input (numbers, names).
    pub const SHORT_INPUT: f32 = 160.0;
    /// The schema list, when it is shown as a panel.
    pub const LIST_PANEL: f32 = 240.0;
    pub const LIST_PANEL_MIN: f32 = 190.0;
    /// The history panel.
    pub const HISTORY_PANEL: f32 = 360.0;
    pub const HISTORY_PANEL_MIN: f32 = 260.0;
    /// The centre is never squeezed below this by the side panels: they collapse first.
    pub const MIN_CENTRE: f32 = 480.0;
    /// Below this width the preview stacks its form over the sample.
    pub const PREVIEW_SPLIT: f32 = 720.0;
    /// The designer's field tree.
    pub const TREE_PANEL: f32 = 260.0;
    pub const TREE_PANEL_MIN: f32 = 200.0;
    /// Below this width the designer puts the tree above the field editor.
    pub const DESIGNER_SPLIT: f32 = 640.0;
    /// Labels of forms (the left column).
    pub const FORM_LABEL: f32 = 120.0;
    /// Dialogs.
    pub const DIALOG: f32 = 440.0;
    /// The smallest window the app opens at (points).
    pub const MIN_WINDOW: [f32; 2] = [800.0, 500.0];
    /// Lines of unchanged context shown around each change of a diff.
    pub const DIFF_CONTEXT: usize = 3;
}

/// How much larger than the default the text is (1.0 at 14 pt).
pub fn scale(ctx: &egui::Context) -> f32 {
    let body = ctx.style_of(ctx.theme()).text_styles.get(&egui::TextStyle::Body).map_or(
        crate::settings::FontSize::DEFAULT.points() - 1.5,
        |f| f.size,
    );
    // egui's body text is 12.5 pt when the preference is 14 pt.
    (body / 12.5).max(0.5)
}

/// A size token scaled with the font.
pub fn scaled(ctx: &egui::Context, points: f32) -> f32 {
    points * scale(ctx)
}

/// The width for a text input that would like `preferred` points: never wider than the room
/// left, never narrower than [`size::MIN_INPUT`].
pub fn input_width(ui: &egui::Ui, preferred: f32) -> f32 {
    preferred
        .min(ui.available_width())
        .max(size::MIN_INPUT)
}

/// Status and diff colours, for dark and light.
pub mod colors {
    use egui::{Color32, Visuals};

    pub fn error(v: &Visuals) -> Color32 {
        v.error_fg_color
    }

    pub fn warn(v: &Visuals) -> Color32 {
        v.warn_fg_color
    }

    pub fn ok(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x6c, 0xcf, 0x7f)
        } else {
            Color32::from_rgb(0x1a, 0x7f, 0x37)
        }
    }

    /// Neutral information (links to more, counts).
    pub fn info(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x8a, 0xb4, 0xf8)
        } else {
            Color32::from_rgb(0x1a, 0x56, 0xb0)
        }
    }

    pub fn added_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x1f, 0x3d, 0x27)
        } else {
            Color32::from_rgb(0xdc, 0xf5, 0xe0)
        }
    }

    pub fn removed_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgb(0x4a, 0x22, 0x24)
        } else {
            Color32::from_rgb(0xfb, 0xe0, 0xe0)
        }
    }

    pub fn error_line_bg(v: &Visuals) -> Color32 {
        if v.dark_mode {
            Color32::from_rgba_unmultiplied(0xff, 0x50, 0x50, 0x26)
        } else {
            Color32::from_rgba_unmultiplied(0xff, 0x30, 0x30, 0x1c)
        }
    }

    /// The background of a folded run of unchanged lines in a diff.
    pub fn fold_bg(v: &Visuals) -> Color32 {
        v.faint_bg_color
    }
}

/// The colour of a status: the one mapping every panel uses.
pub fn status_color(v: &Visuals, kind: StatusKind) -> Color32 {
    match kind {
        StatusKind::Info => v.text_color(),
        StatusKind::Success => colors::ok(v),
        StatusKind::Error => colors::error(v),
    }
}

/// Text styles by role. Secondary text is weak but body-sized: nothing a user must read is
/// drawn small.
pub mod text {
    use egui::RichText;

    /// A heading of a panel or a dialog.
    pub fn heading(t: impl Into<String>) -> RichText {
        RichText::new(t).heading()
    }

    /// A field label or a section name.
    pub fn label(t: impl Into<String>) -> RichText {
        RichText::new(t).strong()
    }

    /// Secondary text that must stay readable: notes, timestamps, hints.
    pub fn note(t: impl Into<String>) -> RichText {
        RichText::new(t).weak()
    }

    /// Decoration only (counts, shortcut hints): small is fine.
    pub fn detail(t: impl Into<String>) -> RichText {
        RichText::new(t).weak().small()
    }

    /// Code, pointers and revision numbers.
    pub fn code(t: impl Into<String>) -> RichText {
        RichText::new(t).monospace()
    }
}

/// A status line in its colour.
pub fn status_text(v: &Visuals, kind: StatusKind, t: impl Into<String>) -> RichText {
    RichText::new(t).color(status_color(v, kind))
}

/// Icons: glyphs of the icon font egui ships with its default fonts (no extra crate).
pub mod icon {
    pub const NEW: &str = "🗋";
    pub const TEMPLATE: &str = "✨";
    pub const IMPORT: &str = "📥";
    pub const EXPORT: &str = "📤";
    pub const UNDO: &str = "⟲";
    pub const REDO: &str = "⟳";
    pub const FORMAT: &str = "🖹";
    pub const SERVERS: &str = "🖧";
    pub const PUSH: &str = "⬆";
    pub const PULL: &str = "⬇";
    pub const HISTORY: &str = "🕓";
    pub const THEME: &str = "◐";
    pub const SETTINGS: &str = "⚙";
    pub const RECENT: &str = "🗁";
    pub const HELP: &str = "❓";
    pub const MORE: &str = "☰";
    pub const SCHEMAS: &str = "📑";
    pub const SAVE: &str = "💾";
    pub const DUPLICATE: &str = "🗐";
    pub const RENAME: &str = "✏";
    pub const ARCHIVE: &str = "📦";
    pub const DELETE: &str = "🗑";
    pub const UNDELETE: &str = "↩";
    pub const PURGE: &str = "✖";
    pub const ADD: &str = "➕";
    pub const UP: &str = "⏶";
    pub const DOWN: &str = "⏷";
    pub const WARN: &str = "⚠";
    pub const OK: &str = "✔";
    pub const INFO: &str = "ℹ";
    pub const CLOSE: &str = "🗙";
    pub const FOLD: &str = "⋯";
}

/// A button with an icon and a label; its accessible name is the label alone.
pub fn icon_button(icon: &str, label: &str) -> egui::Button<'static> {
    egui::Button::new(format!("{icon} {label}"))
}

/// Applies the app's look to egui's style: spacing tokens and a little more air in buttons.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(space::M, space::S + 2.0);
        style.spacing.button_padding = egui::vec2(space::S + 2.0, space::XS + 1.0);
        style.spacing.menu_margin = egui::Margin::same(space::S as i8 + 2);
        style.spacing.indent = space::L + 6.0;
    });
}
