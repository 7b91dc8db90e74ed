//! Bidding: reviewers and area chairs see the title and abstract of every submission they
//! have no conflict with (never its authors) and say how much they want to review it.

use super::{reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::pages;
use crate::router::Need;
use axum::extract::Path;
use axum::response::Response;
use blogtrack_review::assign::Bid;
use blogtrack_review::{Access, Action, Relation};
use maud::html;
use serde_json::json;
use std::collections::HashMap;

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let (subs, relations) = super::submissions_and_relations(&ctx).await?;
    let mine: HashMap<String, Bid> = store
        .bids()
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .filter(|(p, _, _)| *p == v.person.id)
        .map(|(_, s, b)| (s, b))
        .collect();
    let rows: Vec<_> = subs
        .into_iter()
        .filter(|s| {
            Access::of(
                &v.person.roles,
                relations.get(&s.id).copied().unwrap_or(Relation::Unrelated),
            )
            .bid
        })
        .map(|s| {
            let bid = mine.get(&s.id).copied().unwrap_or(Bid::Neutral);
            (s, bid)
        })
        .collect();
    let refusal = ctx.phase_allows(Action::Bid, false).err();
    let open = refusal.is_none();
    let items: Vec<_> = rows
        .iter()
        .map(|(s, b)| json!({"id": s.id, "number": s.number, "title": s.title, "abstract": s.abstract_text, "bid": b}))
        .collect();
    Ok(reply(
        &ctx,
        json!({"open": open, "submissions": items}),
        || {
            pages::page(
                &ctx,
                "Bidding",
                html! {
                    @if let Some(r) = &refusal { p.error { (r.message()) } }
                    @if rows.is_empty() { p { "No submission to bid on." } }
                    @for (s, b) in &rows {
                        article {
                            h2 { "#" (s.number) " " (s.title) }
                            div.abstract.rendered { (pages::trusted(crate::markdown::render(&s.abstract_text))) }
                            form method="post" action={ "/bids/" (s.id) } {
                                (pages::csrf(&ctx))
                                label for={ "bid-" (s.id) } { "Your bid" }
                                select id={ "bid-" (s.id) } name="bid" {
                                    @for option in Bid::ALL {
                                        option value=(option.as_str()) selected[option == *b] { (option.label()) }
                                    }
                                }
                                button type="submit" { "Save bid" }
                            }
                        }
                    }
                },
            )
        },
    ))
}

pub async fn set(ctx: Ctx, Path(id): Path<String>, input: Input) -> AppResult<Response> {
    ctx.submission(&id, Need::Bid).await?;
    let now = ctx.state.now();
    ctx.require_phase(Action::Bid, false)?;
    let bid = Bid::parse(input.get("bid")).ok_or_else(|| {
        AppError::bad(
            ctx.format,
            "The bid must be eager, willing, neutral or reluctant.",
        )
    })?;
    let v = ctx.viewer()?;
    ctx.state
        .store
        .set_bid(&v.person.id, &id, bid, now)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done("/bids", json!({"ok": true, "bid": bid})))
}
