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
    let body = ctx
        .style_of(ctx.theme())
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(crate::settings::FontSize::DEFAULT.points() - 1.5, |f| {
            f.size
        });
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
    preferred.min(ui.available_width()).max(size::MIN_INPUT)
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

/// Icons, painted as a few strokes (egui's default fonts have no icon glyphs, and an icon
/// font crate would be one more dependency). Each is drawn in the text colour of the widget
/// it sits in, so it follows the theme and the disabled state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    New,
    Template,
    Import,
    Export,
    Undo,
    Redo,
    Format,
    Servers,
    Push,
    Pull,
    History,
    Theme,
    Settings,
    Recent,
    Help,
    More,
    Schemas,
    Save,
    Duplicate,
    Rename,
    Archive,
    Delete,
    Undelete,
    Purge,
    Add,
    Warn,
    Ok,
    Info,
}

impl Icon {
    /// Paints the icon into `rect` (a square) in `color`.
    pub fn paint(self, painter: &egui::Painter, rect: egui::Rect, color: Color32) {
        use egui::{Stroke, pos2, vec2};
        let r = rect.shrink(rect.width() * 0.12);
        let w = r.width();
        let stroke = Stroke::new((w / 10.0).clamp(1.2, 2.2), color);
        let p = |x: f32, y: f32| pos2(r.left() + x * w, r.top() + y * w);
        let line = |pts: &[egui::Pos2]| {
            painter.add(egui::Shape::line(pts.to_vec(), stroke));
        };
        let arrow_down = |x: f32, top: f32, bottom: f32| {
            line(&[p(x, top), p(x, bottom)]);
            line(&[
                p(x - 0.22, bottom - 0.22),
                p(x, bottom),
                p(x + 0.22, bottom - 0.22),
            ]);
        };
        let arrow_up = |x: f32, top: f32, bottom: f32| {
            line(&[p(x, bottom), p(x, top)]);
            line(&[p(x - 0.22, top + 0.22), p(x, top), p(x + 0.22, top + 0.22)]);
        };
        let arc = |cx: f32, cy: f32, rad: f32, from: f32, to: f32| -> Vec<egui::Pos2> {
            (0..=12)
                .map(|i| {
                    let a = from + (to - from) * i as f32 / 12.0;
                    p(cx + rad * a.cos(), cy + rad * a.sin())
                })
                .collect()
        };
        use std::f32::consts::PI;
        match self {
            Icon::New => {
                line(&[
                    p(0.2, 0.0),
                    p(0.6, 0.0),
                    p(0.85, 0.25),
                    p(0.85, 1.0),
                    p(0.2, 1.0),
                    p(0.2, 0.0),
                ]);
                line(&[p(0.6, 0.0), p(0.6, 0.25), p(0.85, 0.25)]);
            }
            Icon::Template => {
                let c = r.center();
                let star: Vec<_> = (0..8)
                    .map(|i| {
                        let a = i as f32 * PI / 4.0;
                        let rad = if i % 2 == 0 { w * 0.5 } else { w * 0.16 };
                        c + vec2(rad * a.cos(), rad * a.sin())
                    })
                    .collect();
                painter.add(egui::Shape::closed_line(star, stroke));
            }
            Icon::Import => {
                line(&[p(0.0, 0.6), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.6)]);
                arrow_down(0.5, 0.0, 0.7);
            }
            Icon::Export => {
                line(&[p(0.0, 0.6), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.6)]);
                arrow_up(0.5, 0.0, 0.7);
            }
            Icon::Undo | Icon::Undelete => {
                line(&arc(0.5, 0.55, 0.38, PI, 2.2 * PI));
                line(&[p(0.0, 0.35), p(0.12, 0.58), p(0.35, 0.45)]);
            }
            Icon::Redo => {
                line(&arc(0.5, 0.55, 0.38, 0.8 * PI, 2.0 * PI));
                line(&[p(1.0, 0.35), p(0.88, 0.58), p(0.65, 0.45)]);
            }
            Icon::Format => {
                line(&[p(0.0, 0.15), p(1.0, 0.15)]);
                line(&[p(0.25, 0.5), p(1.0, 0.5)]);
                line(&[p(0.25, 0.85), p(0.8, 0.85)]);
            }
            Icon::Servers => {
                for y in [0.05, 0.55] {
                    painter.rect_stroke(
                        egui::Rect::from_min_max(p(0.0, y), p(1.0, y + 0.4)),
                        2.0,
                        stroke,
                        egui::StrokeKind::Middle,
                    );
                    painter.circle_filled(p(0.2, y + 0.2), w * 0.06, color);
                }
            }
            Icon::Push => {
                line(&[p(0.1, 0.02), p(0.9, 0.02)]);
                arrow_up(0.5, 0.2, 1.0);
            }
            Icon::Pull => {
                line(&[p(0.1, 0.98), p(0.9, 0.98)]);
                arrow_down(0.5, 0.0, 0.8);
            }
            Icon::History => {
                painter.circle_stroke(r.center(), w * 0.48, stroke);
                line(&[p(0.5, 0.2), p(0.5, 0.5), p(0.72, 0.62)]);
            }
            Icon::Theme => {
                painter.circle_stroke(r.center(), w * 0.48, stroke);
                let half: Vec<_> = arc(0.5, 0.5, 0.48, -0.5 * PI, 0.5 * PI);
                painter.add(egui::Shape::convex_polygon(half, color, Stroke::NONE));
            }
            Icon::Settings => {
                painter.circle_stroke(r.center(), w * 0.28, stroke);
                for i in 0..8 {
                    let a = i as f32 * PI / 4.0;
                    let d = vec2(a.cos(), a.sin());
                    line(&[r.center() + d * w * 0.36, r.center() + d * w * 0.5]);
                }
            }
            Icon::Recent => {
                line(&[
                    p(0.0, 0.15),
                    p(0.35, 0.15),
                    p(0.45, 0.3),
                    p(1.0, 0.3),
                    p(1.0, 0.9),
                    p(0.0, 0.9),
                    p(0.0, 0.15),
                ]);
            }
            Icon::Help | Icon::Info => {
                painter.circle_stroke(r.center(), w * 0.48, stroke);
                let font = egui::FontId::proportional(w * 0.75);
                let text = if self == Icon::Help { "?" } else { "i" };
                painter.text(r.center(), egui::Align2::CENTER_CENTER, text, font, color);
            }
            Icon::More | Icon::Schemas => {
                for y in [0.15, 0.5, 0.85] {
                    if self == Icon::Schemas {
                        painter.circle_filled(p(0.08, y), w * 0.07, color);
                        line(&[p(0.3, y), p(1.0, y)]);
                    } else {
                        line(&[p(0.0, y), p(1.0, y)]);
                    }
                }
            }
            Icon::Save => {
                line(&[
                    p(0.0, 0.0),
                    p(0.8, 0.0),
                    p(1.0, 0.2),
                    p(1.0, 1.0),
                    p(0.0, 1.0),
                    p(0.0, 0.0),
                ]);
                line(&[p(0.25, 0.0), p(0.25, 0.3), p(0.7, 0.3), p(0.7, 0.0)]);
                line(&[p(0.2, 1.0), p(0.2, 0.6), p(0.8, 0.6), p(0.8, 1.0)]);
            }
            Icon::Duplicate => {
                line(&[
                    p(0.0, 0.3),
                    p(0.0, 1.0),
                    p(0.7, 1.0),
                    p(0.7, 0.3),
                    p(0.0, 0.3),
                ]);
                line(&[
                    p(0.3, 0.3),
                    p(0.3, 0.0),
                    p(1.0, 0.0),
                    p(1.0, 0.7),
                    p(0.7, 0.7),
                ]);
            }
            Icon::Rename => {
                line(&[
                    p(0.1, 0.9),
                    p(0.15, 0.65),
                    p(0.75, 0.05),
                    p(0.95, 0.25),
                    p(0.35, 0.85),
                    p(0.1, 0.9),
                ]);
            }
            Icon::Archive => {
                line(&[
                    p(0.0, 0.05),
                    p(1.0, 0.05),
                    p(1.0, 0.3),
                    p(0.0, 0.3),
                    p(0.0, 0.05),
                ]);
                line(&[p(0.08, 0.3), p(0.08, 1.0), p(0.92, 1.0), p(0.92, 0.3)]);
                line(&[p(0.35, 0.5), p(0.65, 0.5)]);
            }
            Icon::Delete => {
                line(&[p(0.0, 0.15), p(1.0, 0.15)]);
                line(&[p(0.35, 0.15), p(0.35, 0.0), p(0.65, 0.0), p(0.65, 0.15)]);
                line(&[p(0.12, 0.15), p(0.2, 1.0), p(0.8, 1.0), p(0.88, 0.15)]);
            }
            Icon::Purge => {
                line(&[p(0.1, 0.1), p(0.9, 0.9)]);
                line(&[p(0.9, 0.1), p(0.1, 0.9)]);
            }
            Icon::Add => {
                line(&[p(0.5, 0.05), p(0.5, 0.95)]);
                line(&[p(0.05, 0.5), p(0.95, 0.5)]);
            }
            Icon::Warn => {
                line(&[p(0.5, 0.0), p(1.0, 0.95), p(0.0, 0.95), p(0.5, 0.0)]);
                line(&[p(0.5, 0.35), p(0.5, 0.65)]);
                painter.circle_filled(p(0.5, 0.8), w * 0.05, color);
            }
            Icon::Ok => line(&[p(0.05, 0.55), p(0.38, 0.85), p(0.95, 0.15)]),
        }
    }

    /// The icon as an atom of a button or menu button, sized like the button's text.
    pub fn atom(self, ui: &egui::Ui) -> egui::Atom<'static> {
        let size = ui.text_style_height(&egui::TextStyle::Button);
        egui::Atom::paint(egui::Vec2::splat(size), move |ui, args| {
            self.paint(ui.painter(), args.rect, args.fallback_text_color);
        })
    }

    /// The icon on its own (not interactive), in `color`.
    pub fn show(self, ui: &mut egui::Ui, color: Color32) -> egui::Response {
        let size = ui.text_style_height(&egui::TextStyle::Body);
        let (rect, response) =
            ui.allocate_exact_size(egui::Vec2::splat(size), egui::Sense::hover());
        self.paint(ui.painter(), rect, color);
        response
    }
}

/// A button with an icon and a label; its accessible name is the label.
pub fn icon_button(
    ui: &egui::Ui,
    icon: Icon,
    label: impl Into<egui::WidgetText>,
) -> egui::Button<'static> {
    egui::Button::new((icon.atom(ui), egui::Atom::from(label.into())))
}

/// Applies the app's look to egui's style: spacing tokens and a little more air in buttons.
pub fn apply(ctx: &egui::Context) {
    fonts::load_in_background(ctx);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(space::M, space::S + 2.0);
        style.spacing.button_padding = egui::vec2(space::S + 2.0, space::XS + 1.0);
        style.spacing.menu_margin = egui::Margin::same(space::S as i8 + 2);
        style.spacing.indent = space::L + 6.0;
    });
}

/// System fonts as fallbacks for scripts egui's bundled fonts lack (CJK, Arabic, Hebrew,
/// Indic, Thai, …; issue 17, item 7), so a title like "電話" is drawn instead of empty boxes.
///
/// The fonts are found through fontconfig's `fc-list :lang=…` (present wherever a desktop
/// runs; no crate needed, and a missing `fc-list` only means no fallbacks): `fc-list`, unlike
/// `fc-match`, names only fonts that really cover the language. Reading a CJK font is tens of
/// megabytes, so [`load_in_background`] does it on a thread once per context; egui picks the
/// fonts up at the next frame.
pub mod fonts {
    use std::path::PathBuf;
    use std::process::Command;

    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};

    /// fontconfig languages whose scripts egui's default fonts do not cover.
    const LANGS: &[&str] = &[
        "zh-cn", "ja", "ko", "ar", "he", "hi", "th", "bn", "ta", "am",
    ];
    /// A font file larger than this is skipped (Noto CJK collections are about 20–60 MiB).
    const MAX_FONT_BYTES: u64 = 96 * 1024 * 1024;

    /// One font face on disk.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SystemFont {
        pub path: PathBuf,
        pub index: u32,
    }

    /// The first font (in fontconfig's order) covering each language, without repeats.
    pub fn discover() -> Vec<SystemFont> {
        let mut out: Vec<SystemFont> = Vec::new();
        for lang in LANGS {
            let Ok(output) = Command::new("fc-list")
                .arg(format!(":lang={lang}"))
                .args(["-f", "%{file}|%{index}\\n"])
                .output()
            else {
                return out;
            };
            let text = String::from_utf8_lossy(&output.stdout);
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            let found = lines.iter().find_map(|line| {
                let (path, index) = line.rsplit_once('|')?;
                Some(SystemFont {
                    path: PathBuf::from(path),
                    index: index.trim().parse().unwrap_or(0),
                })
            });
            if let Some(f) = found
                && !out.iter().any(|o| o.path == f.path)
            {
                out.push(f);
            }
        }
        out
    }

    /// Reads the fonts and adds them as the last fallbacks of both families; returns how
    /// many were added. Blocks on disk: call it off the UI thread (or in tests).
    pub fn install(ctx: &egui::Context, found: &[SystemFont]) -> usize {
        let mut added = 0;
        for f in found {
            if !std::fs::metadata(&f.path).is_ok_and(|m| m.len() <= MAX_FONT_BYTES) {
                continue;
            }
            let bytes = match std::fs::read(&f.path) {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!("cannot read the font {}: {e}", f.path.display());
                    continue;
                }
            };
            let mut data = FontData::from_owned(bytes);
            data.index = f.index;
            let name = format!("system:{}#{}", f.path.display(), f.index);
            ctx.add_font(FontInsert::new(
                &name,
                data,
                vec![
                    InsertFontFamily {
                        family: egui::FontFamily::Proportional,
                        priority: FontPriority::Lowest,
                    },
                    InsertFontFamily {
                        family: egui::FontFamily::Monospace,
                        priority: FontPriority::Lowest,
                    },
                ],
            ));
            added += 1;
        }
        added
    }

    /// Finds and installs the fallbacks on a thread, once per context.
    pub fn load_in_background(ctx: &egui::Context) {
        let started = egui::Id::unique("schemadesk.system_fonts");
        if ctx.data(|d| d.get_temp::<bool>(started).is_some()) {
            return;
        }
        ctx.data_mut(|d| d.insert_temp(started, true));
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("system-fonts".into())
            .spawn(move || {
                let n = install(&ctx, &discover());
                tracing::debug!("{n} system fallback font(s) installed");
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start the font thread: {e}");
        }
    }
}
