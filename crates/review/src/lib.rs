//! The review's domain, without I/O: who holds which role, what phase the track is in at a
//! given instant and what each action may do then (from the track's `blogtrack.dates`, read by
//! the `blogtrack-dates` crate), who may see and do what with a submission, which
//! conflicts of interest follow from names, institutions and e-mail domains, the review form
//! and its validation, and the automatic assignment of reviewers and area chairs.
//!
//! The storage crate (`blogtrack-review-store`) keeps these values; the HTTP crate
//! (`blogtrack-review-server`) asks this crate before it acts. Everything here is a pure
//! function of its arguments (the clock is an argument), so the rules are tested without a
//! database or a server.

pub mod access;
pub mod assign;
pub mod conflict;
pub mod decision;
pub mod form;
pub mod phase;
pub mod role;
pub mod settings;

pub use access::{Access, Relation};
pub use blogtrack_dates as dates;
pub use blogtrack_dates::TrackDates;
pub use phase::{allowed, Action, Phase, Refusal};
pub use role::{Role, Roles};
pub use settings::ReviewSettings;
