//! `GET /timeline` (public): the track's deadlines from `blogtrack.dates`, each in AoE, in UTC
//! and in the viewer's own time, and the phase the track is in now. The viewer's time is
//! filled in by a one-line script allowed by its hash in the Content-Security-Policy
//! ([`SCRIPT_HASH`]); without JavaScript the `<time>` element reads the UTC time.

use super::reply;
use crate::ctx::Ctx;
use crate::pages;
use axum::response::Response;
use blogtrack_review::dates::Milestone;
use blogtrack_review::{Action, Phase};
use maud::{html, PreEscaped};
use serde_json::json;

/// Rewrites every `<time data-local>` in the viewer's zone (the browser's locale).
pub const LOCAL_TIME_SCRIPT: &str = "for(const t of document.querySelectorAll('time[data-local]')){const d=new Date(t.dateTime);if(!isNaN(d))t.textContent=d.toLocaleString(undefined,{dateStyle:'medium',timeStyle:'short',timeZoneName:'short'})}";

/// `'sha256-…'` of [`LOCAL_TIME_SCRIPT`], the only script the CSP allows (a test checks it).
pub const SCRIPT_HASH: &str = "'sha256-swq3dUX+Lb3xWaJdU5ZqQdo4ttRoGVGbu+FbXYMRkSY='";

/// What each milestone closes or opens, for the timeline's third column.
fn what(m: Milestone) -> &'static str {
    match m {
        Milestone::Abstract => "New submissions close (abstracts registered).",
        Milestone::Submission => "Submissions can no longer be edited; reviewing can start.",
        Milestone::Bidding => "Reviewers' bids close; organizers assign the reviews.",
        Milestone::Reviews => "Reviews are due; the author response opens.",
        Milestone::AuthorResponse => "Authors' answers to the reviews are due.",
        Milestone::MetaReviews => "Area chairs' meta-reviews are due.",
        Milestone::Decisions => "Decisions are released to the authors.",
        Milestone::CameraReady => "Camera-ready versions are due.",
    }
}

pub async fn show(ctx: Ctx) -> Response {
    let now = ctx.state.now();
    let dates = &ctx.state.settings.dates;
    let phase = Phase::at(now, dates);
    let open: Vec<&str> = Action::ALL
        .into_iter()
        .filter(|a| blogtrack_review::allowed(*a, now, dates, false).is_ok())
        .map(|a| a.label())
        .collect();
    let rows: Vec<_> = dates
        .dates
        .iter()
        .map(|d| {
            json!({
                "key": d.milestone.key(),
                "label": d.milestone.label(),
                "aoe": d.at.in_aoe(),
                "utc": d.at.utc(),
                "at": d.at.rfc3339(),
                "passed": now > d.at.unix,
            })
        })
        .collect();
    let j = json!({"phase": phase, "now": now, "dates": rows, "open": Action::ALL
        .into_iter()
        .filter(|a| blogtrack_review::allowed(*a, now, dates, false).is_ok())
        .collect::<Vec<_>>()});
    reply(&ctx, j, || {
        pages::page(
            &ctx,
            "Timeline",
            html! {
                p { "The track is in its " strong { (phase.label()) } " phase." }
                @if dates.dates.is_empty() {
                    p { "The organizers have not set the track's dates yet (" code { "blogtrack.dates" } " in " code { "_config.yml" } ")." }
                } @else {
                    p.note { "Deadlines are the last minute they are open, \"anywhere on Earth\" (AoE, UTC−12)." }
                    div.table-scroll {
                        table {
                            thead { tr { th scope="col" { "Deadline" } th scope="col" { "AoE" } th scope="col" { "Your time" } th scope="col" { "What happens" } } }
                            tbody {
                                @for d in &dates.dates {
                                    tr.passed[now > d.at.unix] {
                                        th scope="row" { (d.milestone.label()) @if now > d.at.unix { " (passed)" } }
                                        td { (d.at.in_aoe()) }
                                        td { time datetime=(d.at.rfc3339()) data-local { (d.at.utc()) } }
                                        td { (what(d.milestone)) }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "Open now" }
                @if open.is_empty() { p { "Nothing: every deadline has passed." } }
                ul { @for a in &open { li { (a) } } }
                script { (PreEscaped(LOCAL_TIME_SCRIPT)) }
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn base64(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn the_csp_hash_is_the_scripts() {
        let digest = Sha256::digest(LOCAL_TIME_SCRIPT.as_bytes());
        assert_eq!(SCRIPT_HASH, format!("'sha256-{}'", base64(&digest)));
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
