//! Submissions: the list a person may see, the submission form (authors edit until the
//! submission deadline), one submission's page, and declaring a conflict with it. Authors'
//! names and e-mails leave the server only for those whose access says `read_authors`.

use super::{check_text, reply, Input};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::pages;
use crate::router::Need;
use axum::extract::Path;
use axum::response::Response;
use blogtrack_review::conflict::Author;
use blogtrack_review::form::Kind;
use blogtrack_review::{Access, Action, Relation, Role};
use blogtrack_review_store::{NewSubmission, Submission};
use maud::{html, Markup};
use serde_json::json;

pub const MAX_TITLE: usize = 300;
pub const MAX_ABSTRACT: usize = 5000;
pub const MAX_AUTHORS: usize = 30;

fn relation_label(r: Relation) -> &'static str {
    match r {
        Relation::Author => "your submission",
        Relation::Reviewer { submitted: true } => "you reviewed it",
        Relation::Reviewer { submitted: false } => "to review",
        Relation::AreaChair => "you are its area chair",
        Relation::Conflicted => "conflict",
        Relation::Unrelated => "",
    }
}

/// The submission as this viewer may see it, as JSON.
fn to_json(
    s: &Submission,
    access: &Access,
    relation: Relation,
    authors: Option<&[Author]>,
) -> serde_json::Value {
    let mut v = if access.read {
        serde_json::to_value(s).unwrap_or_default()
    } else {
        json!({"id": s.id, "number": s.number, "title": s.title, "abstract": s.abstract_text})
    };
    v["relation"] = serde_json::to_value(relation).unwrap_or_default();
    v["access"] = serde_json::to_value(access).unwrap_or_default();
    if let Some(a) = authors {
        v["authors"] = serde_json::to_value(a).unwrap_or_default();
    }
    v
}

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    let v = ctx.viewer()?;
    let store = &ctx.state.store;
    let (subs, relations) = super::submissions_and_relations(&ctx).await?;
    let mut rows = Vec::new();
    for s in subs {
        let rel = relations.get(&s.id).copied().unwrap_or(Relation::Unrelated);
        let access = Access::of(&v.person.roles, rel);
        if access.read {
            rows.push((s, access, rel));
        }
    }
    let mut items = Vec::new();
    for (s, a, r) in &rows {
        let authors = if a.read_authors {
            Some(store.authors(&s.id).await.map_err(|e| ctx.internal(e))?)
        } else {
            None
        };
        items.push(to_json(s, a, *r, authors.as_deref()));
    }
    Ok(reply(&ctx, json!({ "submissions": items }), || {
        pages::page(
            &ctx,
            "Submissions",
            html! {
                p { a href="/submissions/new" { "Submit a blog post" } }
                @if rows.is_empty() { p { "No submission to show you yet." } }
                @else {
                    div.table-wrap { table {
                        thead { tr { th { "#" } th { "Title" } th { "You" } } }
                        tbody { @for (s, _, r) in &rows { tr {
                            td { (s.number) }
                            td { a href={ "/submissions/" (s.id) } { (s.title) } }
                            td { (relation_label(*r)) }
                        } } }
                    } }
                }
            },
        )
    }))
}

fn submission_form(ctx: &Ctx, action: &str, s: Option<(&Submission, &[Author], &str)>) -> Markup {
    let authors_text = s
        .map(|(_, a, _)| {
            a.iter()
                .map(|a| format!("{} <{}>, {}", a.name, a.email, a.institution))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_else(|| {
            ctx.viewer
                .as_ref()
                .map(|v| match v.person.institution.as_str() {
                    "" => format!("{} <{}>", v.person.name, v.person.email),
                    inst => format!("{} <{}>, {inst}", v.person.name, v.person.email),
                })
                .unwrap_or_default()
        });
    html! {
        form method="post" action=(action) {
            (pages::csrf(ctx))
            label for="title" { "Title" }
            input #title type="text" name="title" required maxlength=(MAX_TITLE) value=(s.map(|x| x.0.title.as_str()).unwrap_or(""));
            label for="abstract" { "Abstract" }
            textarea #abstract name="abstract" required { (s.map(|x| x.0.abstract_text.as_str()).unwrap_or("")) }
            label for="slug" { "Slug of the post (the file name in _posts without date and .md)" }
            input #slug type="text" name="slug" required pattern="[a-z0-9][a-z0-9\\-]*" value=(s.map(|x| x.0.slug.as_str()).unwrap_or(""));
            label for="authors" { "Authors, one per line: Name <e-mail>, Institution" }
            textarea #authors name="authors" required { (authors_text) }
            label for="conflict_declaration" { "Conflicts of interest: recent collaborators (< 3 years) and institutions, one per line" }
            textarea #conflict_declaration name="conflict_declaration" { (s.map(|x| x.2).unwrap_or("")) }
            @for f in &ctx.state.settings.submission_fields {
                label for={ "x_" (f.key) } { (f.label) }
                input id={ "x_" (f.key) } type="text" name={ "x_" (f.key) } value=(s.and_then(|x| x.0.extra.get(&f.key)).map(String::as_str).unwrap_or(""));
            }
            button type="submit" { "Save" }
        }
    }
}

pub async fn new_form(ctx: Ctx) -> AppResult<Response> {
    ctx.viewer()?;
    let body = match ctx.phase_allows(Action::NewSubmission, false) {
        Ok(()) => submission_form(&ctx, "/submissions", None),
        Err(r) => html! { p.error { (r.message()) } },
    };
    Ok(axum::response::IntoResponse::into_response(
        axum::response::Html(pages::page(&ctx, "Submit a blog post", body)),
    ))
}

/// `Name <e-mail>, Institution`. The address is the first `<…>` that holds an e-mail
/// address, so a name may itself contain `<`.
fn parse_author_line(line: &str) -> Option<Author> {
    for (open, _) in line.match_indices('<') {
        let rest = &line[open + 1..];
        let Some(close) = rest.find('>') else { break };
        let email = rest[..close].trim();
        if crate::handlers::sign_in::valid_email(email) {
            let institution = rest[close + 1..].trim().trim_start_matches(',').trim();
            return Some(Author {
                name: line[..open].trim().into(),
                email: email.to_lowercase(),
                institution: institution.into(),
            });
        }
    }
    None
}

/// The problems of a submission form, each with the field it belongs to.
type Problems = Vec<(String, String)>;

fn note(problems: &mut Problems, k: &str, r: Result<(), String>) {
    if let Err(m) = r {
        problems.push((k.to_string(), m));
    }
}

/// Reads and checks the submission form (or JSON body); every problem is reported, in the
/// order of the form: texts, slug, authors, the track's own fields.
pub fn read_submission(ctx: &Ctx, input: &Input) -> AppResult<NewSubmission> {
    let mut problems = Problems::new();
    check_texts(input, &mut problems);
    let slug = read_slug(input, &mut problems);
    let mut authors = read_authors(input, &mut problems);
    check_authors(ctx, &mut authors, &mut problems);
    let extra = read_extra_fields(ctx, input, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::bad(
            ctx.format,
            "The submission was not saved: fix the fields below.",
        )
        .with_fields(problems));
    }
    Ok(NewSubmission {
        title: input.get("title").trim().to_string(),
        abstract_text: input.get("abstract").trim().replace("\r\n", "\n"),
        slug,
        authors,
        conflict_declaration: input.get("conflict_declaration").trim().to_string(),
        extra,
    })
}

/// The title, the abstract and the conflict declaration: lengths, and the first two required.
fn check_texts(input: &Input, problems: &mut Problems) {
    note(
        problems,
        "title",
        check_text("The title", input.get("title"), MAX_TITLE, true),
    );
    note(
        problems,
        "abstract",
        check_text("The abstract", input.get("abstract"), MAX_ABSTRACT, true),
    );
    note(
        problems,
        "conflict_declaration",
        check_text(
            "The conflict declaration",
            input.get("conflict_declaration"),
            10_000,
            false,
        ),
    );
}

/// The slug: lower-case ASCII letters, digits and `-`, not first, at most 120.
fn read_slug(input: &Input, problems: &mut Problems) -> String {
    let slug = input.get("slug").trim().to_string();
    let slug_ok = !slug.is_empty()
        && slug.len() <= 120
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if !slug_ok {
        problems.push((
            "slug".into(),
            "the slug takes lower-case ASCII letters, digits and `-` (at most 120), e.g. `my-post`"
                .into(),
        ));
    }
    slug
}

/// The authors as given: a JSON list of `{name, email, institution}`, or one
/// `Name <e-mail>, Institution` line each in the form.
fn read_authors(input: &Input, problems: &mut Problems) -> Vec<Author> {
    let from_json = input
        .json
        .as_ref()
        .and_then(|j| j.get("authors"))
        .filter(|a| a.is_array());
    if let Some(list) = from_json {
        return match serde_json::from_value::<Vec<Author>>(list.clone()) {
            Ok(a) => a,
            Err(e) => {
                problems.push((
                    "authors".into(),
                    format!("`authors` must be a list of {{name, email, institution}}: {e}"),
                ));
                Vec::new()
            }
        };
    }
    let mut authors = Vec::new();
    for (i, line) in input
        .get("authors")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        match parse_author_line(line) {
            Some(a) => authors.push(a),
            None => problems.push((
                "authors".into(),
                format!("author line {}: write `Name <e-mail>, Institution`", i + 1),
            )),
        }
    }
    authors
}

/// 1 to [`MAX_AUTHORS`] authors, each with an e-mail address (lower-cased here), a name and
/// texts of bounded length; the person submitting among them.
fn check_authors(ctx: &Ctx, authors: &mut [Author], problems: &mut Problems) {
    if authors.is_empty() || authors.len() > MAX_AUTHORS {
        problems.push(("authors".into(), format!("give 1 to {MAX_AUTHORS} authors")));
    }
    for (i, a) in authors.iter_mut().enumerate() {
        a.email = a.email.trim().to_lowercase();
        if !crate::handlers::sign_in::valid_email(&a.email) {
            problems.push((
                "authors".into(),
                format!("author {}: `{}` is not an e-mail address", i + 1, a.email),
            ));
        }
        for (what, text, max) in [("name", &a.name, 200), ("institution", &a.institution, 300)] {
            if let Err(m) = check_text(
                &format!("author {} {what}", i + 1),
                text,
                max,
                what == "name",
            ) {
                problems.push(("authors".into(), m));
            }
        }
    }
    if let Some(v) = &ctx.viewer {
        if !authors.iter().any(|a| a.email == v.person.email)
            && !problems.iter().any(|p| p.0 == "authors")
        {
            problems.push((
                "authors".into(),
                format!("list yourself ({}) among the authors", v.person.email),
            ));
        }
    }
}

/// The track's own submission fields (`review.submission_fields`, form names `x_KEY`): the
/// non-empty ones, checked against their length and `required`.
fn read_extra_fields(
    ctx: &Ctx,
    input: &Input,
    problems: &mut Problems,
) -> std::collections::BTreeMap<String, String> {
    let mut extra = std::collections::BTreeMap::new();
    for f in &ctx.state.settings.submission_fields {
        let text = input.get(&format!("x_{}", f.key));
        let max = match f.kind {
            Kind::Text { max } => max,
            _ => 200,
        };
        note(
            problems,
            &f.key,
            check_text(&f.label, text, max, f.required),
        );
        if !text.is_empty() {
            extra.insert(f.key.clone(), text.to_string());
        }
    }
    extra
}

pub async fn create(ctx: Ctx, input: Input) -> AppResult<Response> {
    let v = ctx.viewer()?.clone();
    let now = ctx.state.now();
    ctx.require_phase(Action::NewSubmission, false)?;
    let new = read_submission(&ctx, &input)?;
    let store = &ctx.state.store;
    store
        .ensure_person(
            &v.person.email,
            &v.person.name,
            &v.person.institution,
            &[Role::Author],
            Some(&v.person.id),
            now,
        )
        .await
        .map_err(|e| ctx.internal(e))?;
    let sub = match store.create_submission(&v.person.id, &new, now).await {
        Ok(s) => s,
        Err(blogtrack_review_store::StoreError::Duplicate(_)) => {
            return Err(AppError::bad(
                ctx.format,
                format!("A submission with the slug `{}` exists already.", new.slug),
            ));
        }
        Err(e) => return Err(ctx.internal(e)),
    };
    let to = format!("/submissions/{}", sub.id);
    Ok(ctx.done(&to, json!({"ok": true, "id": sub.id, "number": sub.number})))
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (sub, access, relation) = ctx.submission(&id, Need::Known).await?;
    let store = &ctx.state.store;
    let authors = if access.read_authors {
        Some(store.authors(&id).await.map_err(|e| ctx.internal(e))?)
    } else {
        None
    };
    let declaration = if access.read_authors {
        store
            .conflict_declaration(&id)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        String::new()
    };
    let open = ctx.phase_allows(Action::EditSubmission, false).is_ok();
    let mut j = to_json(&sub, &access, relation, authors.as_deref());
    if access.read_authors {
        j["conflict_declaration"] = json!(declaration);
    }
    Ok(reply(&ctx, j, || {
        let title = format!("#{} {}", sub.number, sub.title);
        pages::page(
            &ctx,
            &title,
            html! {
                h2 { "Abstract" }
                div.abstract.rendered { (pages::trusted(crate::markdown::render(&sub.abstract_text))) }
                @if access.read {
                    @if let Some(url) = &sub.preview_url { p { a href=(url) rel="noopener noreferrer" { "Anonymized preview" } } }
                    p.note { "Slug: " code { (sub.slug) } @if let Some(pr) = sub.pr_number { " · pull request #" (pr) } }
                }
                @if let Some(authors) = &authors {
                    h2 { "Authors" }
                    ul { @for a in authors { li { (a.name) " <" (a.email) ">, " (a.institution) } } }
                    @if !declaration.is_empty() { h2 { "Declared conflicts" } pre { (declaration) } }
                }
                @if access.review { p { a href={ "/submissions/" (sub.id) "/review" } { "Your review" } } }
                @if access.read_reviews { p { a href={ "/submissions/" (sub.id) "/reviews" } { "All reviews" } } }
                @if access.discuss || access.respond { p { a href={ "/submissions/" (sub.id) "/discussion" } { @if access.discuss { "Discussion" } @else { "Author response" } } } }
                @if access.meta_review { p { a href={ "/submissions/" (sub.id) "/meta-review" } { "Your meta-review" } } }
                @if access.read { p { a href={ "/submissions/" (sub.id) "/decision" } { "Decision" } } }
                @if access.edit && open {
                    h2 { "Edit" }
                    (submission_form(&ctx, &format!("/submissions/{}", sub.id), Some((&sub, authors.as_deref().unwrap_or(&[]), &declaration))))
                }
                @if !access.edit && !access.manage {
                    h2 { "Conflict of interest" }
                    form method="post" action={ "/submissions/" (sub.id) "/conflict" } {
                        (pages::csrf(&ctx))
                        input type="hidden" name="confirm" value="yes";
                        label for="reason" { "I have a conflict with this submission because" }
                        input #reason type="text" name="reason" maxlength="500";
                        button type="submit" { "Declare the conflict" }
                    }
                }
            },
        )
    }))
}

pub async fn update(ctx: Ctx, Path(id): Path<String>, input: Input) -> AppResult<Response> {
    let (_, _, _) = ctx.submission(&id, Need::Edit).await?;
    let now = ctx.state.now();
    ctx.require_phase(Action::EditSubmission, false)?;
    let v = ctx.viewer()?;
    let new = read_submission(&ctx, &input)?;
    match ctx
        .state
        .store
        .update_submission(&v.person.id, &id, &new, now)
        .await
    {
        Ok(()) => {}
        Err(blogtrack_review_store::StoreError::Duplicate(_)) => {
            return Err(AppError::bad(
                ctx.format,
                format!("A submission with the slug `{}` exists already.", new.slug),
            ));
        }
        Err(e) => return Err(ctx.internal(e)),
    }
    Ok(ctx.done(&format!("/submissions/{id}"), json!({"ok": true})))
}

pub async fn declare_conflict(
    ctx: Ctx,
    Path(id): Path<String>,
    input: Input,
) -> AppResult<Response> {
    let (_, access, _) = ctx.submission(&id, Need::Known).await?;
    if access.edit {
        return Err(AppError::bad(
            ctx.format,
            "Authors do not declare a conflict with their own submission.",
        ));
    }
    if input.get("confirm") != "yes" {
        return Err(AppError::bad(
            ctx.format,
            "Confirm the declaration (confirm=yes).",
        ));
    }
    check_text("The reason", input.get("reason"), 500, false)
        .map_err(|m| AppError::bad(ctx.format, m))?;
    let v = ctx.viewer()?;
    ctx.state
        .store
        .declare_conflict(&v.person.id, &id, input.get("reason"), ctx.state.now())
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(ctx.done("/submissions", json!({"ok": true})))
}
