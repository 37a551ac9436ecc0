//! Sync facts other panels show: the history rows' push records and the schema list's badges.

use super::*;

/// "prod (server r3), test (server r1)" for a revision, from the push records.
pub fn pushed_to_text(state: &AppState, number: u32) -> Option<String> {
    let pushes = state.sync.pushes.get(&number)?;
    let parts: Vec<String> = pushes
        .iter()
        .map(|p| match p.remote_revision {
            Some(r) => format!("{} (server r{r})", p.server),
            None => p.server.clone(),
        })
        .collect();
    Some(parts.join(", "))
}

/// The schema list's sync badges, e.g. "prod: active".
pub fn badge_text(state: &AppState, id: SchemaId) -> Option<RichText> {
    let badges = state.sync.badges.get(&id)?;
    let worst = badges.iter().map(|b| b.kind).max_by_key(|k| match k {
        BadgeKind::Queued => 5,
        BadgeKind::OutOfDate => 4,
        BadgeKind::Deleted => 3,
        BadgeKind::Inactive => 2,
        BadgeKind::Active => 1,
        BadgeKind::Pushed => 0,
    })?;
    let text = badges
        .iter()
        .map(|b| format!("{}: {}", b.server, b.kind.label()))
        .collect::<Vec<_>>()
        .join(" ");
    Some(
        RichText::new(format!("{text} "))
            .small()
            .color(match worst {
                BadgeKind::Queued | BadgeKind::OutOfDate | BadgeKind::Inactive => {
                    egui::Color32::from_rgb(0xd0, 0x90, 0x20)
                }
                BadgeKind::Deleted => egui::Color32::from_rgb(0xc0, 0x40, 0x40),
                BadgeKind::Active | BadgeKind::Pushed => egui::Color32::from_rgb(0x3a, 0x9a, 0x50),
            }),
    )
}
