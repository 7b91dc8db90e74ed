// The review server (`blogtrack review serve`) in a real browser, through its forms only (issue
// 18): the one thing read outside the browser is the sign-in and invitation links, from the mails
// the dev mailer prints on the server's standard error.
//
// The track is a temporary folder whose _config.yml sets the review's form and its dates relative
// to today; the real binary uses the system clock, so time moves by rewriting the dates and
// restarting the server on the same SQLite file (sessions live in the database and survive it):
//
// 1. Submissions open (deadline in 30 days). The organizer (`--organizer`) invites four reviewers;
//    Rosa shares the author's institution (a derived conflict). The author asks for a sign-in link
//    and submits, JavaScript off (title, abstract, two authors, conflicts). Rita bids eager, Ravi
//    reluctant; Rosa has nothing to bid on and is refused (404) on a page without the title or
//    an author when she opens the submission. The organizer runs the assignment (Rita and Rex: Ravi was
//    reluctant, Rosa is conflicted) and swaps Rex for Ravi by hand.
// 2. Reviews open (the submission deadline was yesterday). Rita writes Markdown with math, saves a
//    draft, submits; Ravi, JavaScript off, cannot read the reviews until he has submitted his,
//    then sees both under their pseudonyms, the math rendered as MathML.
//
// Every page is screenshot into $ARTIFACTS/review/ at 1280 and 375 px; at 375 px no element is
// wider than the window outside a scroll box; axe-core (WCAG 2.1 A/AA) finds nothing; every form
// control has a label. No page a reviewer loads holds an author's name or e-mail address (every
// HTML document their browser receives is searched, error pages and redirects included).
//
// Environment: BLOGTRACK_BIN (the binary; run.sh builds it), CHROMIUM, ARTIFACTS.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Visitors } from "./tools/review-browser.mjs";
import { day, freePort, mailedLink, organizerLink, startReview, stopReview, writeConfig } from "./tools/review-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const BIN = process.env.BLOGTRACK_BIN || resolve(repo, "target/release/blogtrack");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = join(process.env.ARTIFACTS || resolve(repo, "target/browser-artifacts"), "review");
const ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

const ORGANIZER = "olga@organizers.example";
const AUTHORS = [
  { name: "Ada Lovelace-Author", email: "ada@lab-one.example", institution: "Lab One" },
  { name: "Bartholomew Coauthor", email: "bart@uni-two.example", institution: "University Two" },
];
const REVIEWERS = {
  rita: { name: "Rita Reviewer", email: "rita@reviewers-a.example", institution: "Reviewer Institute A" },
  ravi: { name: "Ravi Reviewer", email: "ravi@reviewers-b.example", institution: "Reviewer Institute B" },
  rex: { name: "Rex Reviewer", email: "rex@reviewers-c.example", institution: "Reviewer Institute C" },
  rosa: { name: "Rosa Reviewer", email: "rosa@lab-one.example", institution: "Lab One" },
};
const TITLE = "Score matching without the tears";
/** What must never reach a reviewer: the authors' names, their addresses, the declaration. */
const SECRETS = [...AUTHORS.flatMap((a) => [a.name, a.email]), "Declared-collaborator Zed"];

let tmp, track, db, port, server, browser, v;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), "blogtrack-review-browser-"));
  track = join(tmp, "track");
  mkdirSync(track);
  db = join(tmp, "review.sqlite");
  port = await freePort();
  writeConfig(track, { submission_deadline: day(30), reviews_deadline: day(60) });
  server = await startReview(BIN, track, db, port, [ORGANIZER]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  v = new Visitors(browser, { url: server.url }, ARTIFACTS);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopReview(server);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const people = {};
let submissionUrl;

describe("review server in the browser", () => {
  test("the organizer signs in and invites four reviewers, who accept", async () => {
    const olga = (people.olga = await v.person("organizer"));
    await v.useLink(olga, organizerLink(server, ORGANIZER));
    await v.audit(olga, "home-organizer");
    await v.visit(olga, "/people", "people");
    for (const r of Object.values(REVIEWERS)) {
      await olga.page.getByLabel("E-mail", { exact: true }).fill(r.email);
      await olga.page.getByLabel("Name", { exact: true }).fill(r.name);
      await olga.page.getByLabel("Role").selectOption("reviewer");
      await olga.page.getByRole("button", { name: "Send invitation" }).click();
      await olga.page.waitForURL(`${server.url}/people`);
    }
    for (const [key, r] of Object.entries(REVIEWERS)) {
      const who = (people[key] = await v.person(key, { reviewer: true, js: key !== "ravi" }));
      const link = await mailedLink(server, r.email, "invite", v.used);
      await v.useLink(who, link, { "Your name": r.name, "Your institution": r.institution });
      assert.match(await who.page.locator("main").innerText(), new RegExp(`Signed in as ${r.name}`));
    }
    await v.visit(olga, "/people", "people-after-invitations");
    for (const r of Object.values(REVIEWERS)) assert.match(await olga.page.locator("main").innerText(), new RegExp(r.email.replace(/\./g, "\\.")));
  });

  test("an author signs in by e-mail link and submits, JavaScript off", async () => {
    const ada = (people.ada = await v.person("author", { js: false }));
    await v.visit(ada, "/sign-in", "sign-in");
    await ada.page.getByLabel("E-mail address").fill(AUTHORS[0].email);
    await ada.page.getByRole("button", { name: "Send me a sign-in link" }).click();
    assert.match(await ada.page.locator("main").innerText(), /sign-in link is on its way/);
    await v.useLink(ada, await mailedLink(server, AUTHORS[0].email, "sign-in", v.used));
    await v.visit(ada, "/submissions/new", "submission-new");
    await ada.page.getByLabel("Title").fill(TITLE);
    await ada.page.getByLabel("Abstract").fill("Why denoising is score matching, with the algebra done slowly: $\\nabla_x \\log p(x)$.");
    await ada.page.getByLabel(/^Slug/).fill("score-matching-tears");
    await ada.page.getByLabel(/^Authors/).fill(AUTHORS.map((a) => `${a.name} <${a.email}>, ${a.institution}`).join("\n"));
    await ada.page.getByLabel(/^Conflicts of interest/).fill("Declared-collaborator Zed\nLab One");
    await ada.page.getByRole("button", { name: "Save" }).click();
    await ada.page.waitForURL(/\/submissions\/[^/]+$/);
    submissionUrl = new URL(ada.page.url()).pathname;
    await v.audit(ada, "submission-author");
    const text = await ada.page.locator("main").innerText();
    assert.match(text, new RegExp(TITLE));
    for (const a of AUTHORS) assert.ok(text.includes(a.name) && text.includes(a.email), `the author sees ${a.name}`);
    assert.match(text, /Declared-collaborator Zed/);
  });

  test("reviewers bid; the conflicted one is refused the submission, on a page without its title or authors", async () => {
    const { rita, ravi, rosa } = people;
    for (const [who, bid] of [[rita, "eager"], [ravi, "reluctant"]]) {
      await v.visit(who, "/bids", `bids-${who.label}`);
      const article = who.page.locator("article", { hasText: TITLE });
      await article.getByLabel("Your bid").selectOption(bid);
      await article.getByRole("button", { name: "Save bid" }).click();
      await who.page.waitForURL(`${server.url}/bids`);
      assert.equal(await who.page.locator("article", { hasText: TITLE }).getByLabel("Your bid").inputValue(), bid);
    }
    await v.visit(rosa, "/bids", "bids-conflicted");
    assert.doesNotMatch(await rosa.page.locator("main").innerText(), new RegExp(TITLE));
    // The server answers 404 (not 403) to a conflicted person, as crates/review-server/tests/access.rs
    // asserts: the conflict-guarded query does not find the submission, so the answer does not
    // even tell that it exists.
    const refused = await v.visit(rosa, submissionUrl, "submission-conflicted");
    assert.equal(refused.status(), 404);
    const body = await rosa.page.content();
    assert.ok(!body.includes(TITLE), "the 403 page does not name the submission");
    for (const s of SECRETS) assert.ok(!body.includes(s), `the 403 page does not hold ${s}`);
  });

  test("the organizer runs the assignment and adjusts it by hand", async () => {
    const { olga } = people;
    await v.visit(olga, "/assignments", "assignments");
    await olga.page.getByLabel("Assign automatically").selectOption("reviewer");
    await olga.page.getByRole("button", { name: "Run the assignment" }).click();
    await olga.page.waitForURL(`${server.url}/assignments`);
    const row = () => olga.page.locator("tr", { hasText: TITLE });
    let cell = await row().innerText();
    // Two reviews per submission: Rita bid eager, Rex did not bid, Ravi was reluctant, Rosa is
    // conflicted (same institution as an author).
    assert.match(cell, /Rita Reviewer/);
    assert.match(cell, /Rex Reviewer/);
    assert.doesNotMatch(cell, /Ravi Reviewer|Rosa Reviewer/);
    await v.audit(olga, "assignments-after-run");
    await row().locator("li", { hasText: "Rex Reviewer" }).getByRole("button", { name: /^Remove/ }).click();
    await olga.page.waitForURL(`${server.url}/assignments`);
    await olga.page.getByLabel("Submission").selectOption({ label: `#1 ${TITLE}` });
    await olga.page.getByLabel("Person").selectOption({ label: REVIEWERS.ravi.name });
    await olga.page.getByLabel("As", { exact: true }).selectOption("reviewer");
    await olga.page.getByRole("button", { name: "Assign", exact: true }).click();
    await olga.page.waitForURL(`${server.url}/assignments`);
    cell = await row().innerText();
    assert.match(cell, /Rita Reviewer/);
    assert.match(cell, /Ravi Reviewer/);
    assert.doesNotMatch(cell, /Rex Reviewer|Rosa Reviewer/);
    await v.audit(olga, "assignments-by-hand");
  });

  test("after the submission deadline two reviewers review; each sees the other's only after submitting", async () => {
    await stopReview(server);
    writeConfig(track, { submission_deadline: day(-3), reviews_deadline: day(60) });
    server = await startReview(BIN, track, db, port);
    const { rita, ravi, rosa } = people;

    await v.visit(rita, `${submissionUrl}`, "submission-reviewer");
    await rita.page.getByRole("link", { name: "Your review" }).click();
    await v.audit(rita, "review-form");
    await rita.page.getByLabel(/^Summary/).fill("The **key step** is Tweedie's formula, $\\mathbb{E}[x \\mid y] = y + \\sigma^2 \\nabla_y \\log p(y)$; worth a figure.");
    await rita.page.getByRole("button", { name: "Save draft" }).click();
    await rita.page.waitForURL(`${server.url}${submissionUrl}/review`);
    assert.match(await rita.page.locator("main").innerText(), /draft/);
    const early = await rita.page.goto(`${server.url}${submissionUrl}/reviews`);
    assert.equal(early.status(), 403, "no reviews to read before submitting one's own");
    await v.audit(rita, "reviews-before-submitting");
    await rita.page.goto(`${server.url}${submissionUrl}/review`);
    await rita.page.getByLabel(/^Overall/).selectOption("3");
    await rita.page.getByRole("button", { name: "Submit review" }).click();
    await rita.page.waitForURL(`${server.url}${submissionUrl}/review`);
    await v.audit(rita, "review-submitted");
    const saved = rita.page.locator(".rendered").first();
    assert.equal(await saved.locator("strong").innerText(), "key step");
    assert.ok((await saved.locator("math").count()) >= 1, "the math is MathML");

    // Ravi, without JavaScript: the form works; no other review before his own is in.
    const before = await ravi.page.goto(`${server.url}${submissionUrl}/reviews`);
    assert.equal(before.status(), 403);
    assert.doesNotMatch(await ravi.page.content(), /Tweedie/);
    await v.visit(ravi, `${submissionUrl}/review`, "review-form-nojs");
    await ravi.page.getByLabel(/^Summary/).fill("Clear; the $\\sigma \\to 0$ limit deserves a sentence.");
    await ravi.page.getByLabel(/^Overall/).selectOption("2");
    await ravi.page.getByLabel("The post promotes the authors' own work").check();
    await ravi.page.getByRole("button", { name: "Submit review" }).click();
    await ravi.page.waitForURL(`${server.url}${submissionUrl}/review`);
    await ravi.page.getByRole("link", { name: "Read all reviews" }).click();
    await v.audit(ravi, "reviews-nojs");
    const reviews = ravi.page.locator("main article");
    assert.equal(await reviews.count(), 2);
    const text = await ravi.page.locator("main").innerText();
    assert.match(text, /Tweedie/);
    const pseudonyms = await reviews.locator("h2").allInnerTexts();
    assert.equal(new Set(pseudonyms).size, 2, `two pseudonyms: ${pseudonyms}`);
    for (const p of pseudonyms) assert.match(p, /^Reviewer /);
    for (const r of Object.values(REVIEWERS)) assert.ok(!text.includes(r.name), `no reviewer's name (${r.name}) on the reviews page`);
    assert.ok((await reviews.locator("math").count()) >= 2, "both reviews' math is MathML");

    // Rosa is still refused, now that there are reviews.
    assert.equal((await rosa.page.goto(`${server.url}${submissionUrl}/reviews`)).status(), 404);
    assert.doesNotMatch(await rosa.page.content(), /Tweedie/);
  });

  test("no page a reviewer loaded names an author; no console errors", async () => {
    const docs = (await Promise.all(v.reviewerDocs)).filter(Boolean);
    assert.ok(docs.length > 15, `reviewers loaded ${docs.length} pages`);
    for (const d of docs) {
      for (const s of SECRETS) assert.ok(!d.body.includes(s), `${d.who} loaded ${d.url} (${d.status}) holding "${s}"`);
    }
    for (const who of Object.values(people)) assert.deepEqual(who.errors, [], `console errors for ${who.label}`);
  });
});
