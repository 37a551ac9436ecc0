//! The desktop app driven by egui_kittest: one test binary (linking wgpu once) with one module
//! per area of the window. `harness` holds what every module shares; `fake_zitadel` is the
//! test ZITADEL server the sync tests talk to over HTTP.

#[path = "../fake_zitadel/mod.rs"]
mod fake_zitadel;
mod harness;

mod compat;
mod designer;
mod drafts;
mod editor;
mod interchange;
mod layout;
mod nextgen;
mod open_work;
mod refs;
mod shell;
mod sync;
mod writers;
