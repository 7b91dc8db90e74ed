//! The local preview server of `blogtrack serve`: an HTTP server over an in-memory site, live
//! reload, an error overlay and a debounced watcher of the track folder.
//!
//! The driver owns the pipeline: it watches the track with [`watch`], re-renders what an edit
//! affects and pushes the result into a [`SiteStore`]; [`serve`] answers requests from that
//! store and tells open pages to reload. This crate never renders anything and never reads
//! the track, except for large assets served straight from disk (declared with
//! [`SiteStore::set_static_files`], or any published-looking file under
//! [`ServerConfig::static_root`]). Build errors go to [`SiteStore::set_error`] and show as an
//! [`ErrorOverlay`] over every page until cleared.
//!
//! ```no_run
//! use std::sync::Arc;
//! use blogtrack_devserver::{serve, ServerConfig, SiteStore};
//!
//! let store = Arc::new(SiteStore::new());
//! store.replace_all(vec![("index.html".into(), b"<body>hi</body>".to_vec())]);
//! let server = serve(store.clone(), ServerConfig::default())?;
//! println!("http://{}/", server.local_addr());
//! # Ok::<(), std::io::Error>(())
//! ```

mod content_type;
mod inject;
mod overlay;
mod range;
mod route;
mod server;
mod store;
mod watch;

pub use content_type::content_type_for;
pub use inject::EVENTS_PATH;
pub use overlay::{ErrorOverlay, OverlayItem};
pub use server::{serve, ServerConfig, ServerHandle};
pub use store::{SiteFile, SiteStore};
pub use watch::{watch, Watcher};

#[cfg(test)]
mod tests {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn handles_can_move_between_threads() {
        send_sync::<super::SiteStore>();
        send::<super::ServerHandle>();
        send::<super::Watcher>();
    }
}
