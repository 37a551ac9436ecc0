//! Connecting to a stored server: the generation it speaks is probed once and recorded in the
//! store, then the client for that generation is opened.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::store::{Server, Store};
use crate::sync::{
    ClientOptions, Generation, ProbeReport, SyncError, Token, UserSchemaApi, check_url, connect,
    probe,
};

/// Connects to a stored server. When its generation is unknown it is probed and recorded.
pub fn open_api(
    store: &mut Store,
    server: &Server,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<Box<dyn UserSchemaApi>, SyncError> {
    let url = check_url(&server.base_url)?;
    let generation = match server.generation.and_then(Generation::from_number) {
        Some(g) => g,
        None => probe_server(store, server, token.clone(), options, cancel.clone())?.1,
    };
    connect(&url, generation, token, options, cancel)
}

/// Probes a stored server for the API generation it speaks, and records it.
pub fn probe_server(
    store: &mut Store,
    server: &Server,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<(ProbeReport, Generation), SyncError> {
    let url = check_url(&server.base_url)?;
    let report = probe(&url, token, options, cancel)?;
    let generation = report.chosen().ok_or_else(|| SyncError::NoGeneration {
        url: server.base_url.clone(),
        tried: "both generations".into(),
    })?;
    store.set_server_generation(server.id, Some(generation.number()))?;
    Ok((report, generation))
}
