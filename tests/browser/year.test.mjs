// The review's whole year in a real browser (issue 19), then the decisions reaching the site:
// submission → bidding → assignment (reviewers and area chair) → reviews → discussion → author
// response → meta-review → decisions with an award → release → `blogtrack review publish` →
// `blogtrack build` (the accepted post with its badge, the poster-session page, served and opened
// in Chromium) → `blogtrack check` in camera-ready phase (the accepted post's pull request passes,
// the rejected one is refused).
//
// The track is a copy of tests/fixtures/publish (two posts: `diffusion-explained` by Ada Author,
// `attention-budget` by Ben Author). Time moves as for review.test.mjs: the test rewrites the
// track's `blogtrack.dates` relative to today and restarts `blogtrack review serve` on the same
// SQLite file, once per phase:
//
//   submissions  : submission deadline in 30 days
//   reviews      : submission deadline 3 days ago
//   response     : reviews deadline 3 days ago; author response, meta-reviews, decisions ahead
//   released     : decisions 3 days ago; camera-ready deadline in 30 days
//
// Mail: the links, the assignment mails (the organizer's "Tell reviewers and area chairs about
// their new assignments") and the decision mails ("Notify authors of released decisions", both
// on the /mail page) are read from the dev mailer's output on the server's standard error; there
// is no SMTP sink in the repository yet. The authors also see the decision on its page after the
// release date and not before.
//
// Environment: BLOGTRACK_BIN, CHROMIUM, ARTIFACTS (screenshots in $ARTIFACTS/review/year-*).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Visitors } from "./tools/review-browser.mjs";
import { day, freePort, mailedLink, mails, organizerLink, startReview, stopReview, writeConfig } from "./tools/review-server.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const BIN = process.env.BLOGTRACK_BIN || resolve(repo, "target/release/blogtrack");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = join(process.env.ARTIFACTS || resolve(repo, "target/browser-artifacts"), "review");
const ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

const ORGANIZER = "olga@organizers.example";
const SUBS = {
  ada: { name: "Ada Author", email: "ada@lab-one.example", inst: "Lab One", title: "Diffusion models, explained", slug: "diffusion-explained" },
  ben: { name: "Ben Author", email: "ben@uni-two.example", inst: "University Two", title: "How attention spends its budget", slug: "attention-budget" },
};
const COMMITTEE = {
  rita: { name: "Rita Reviewer", email: "rita@reviewers-a.example", inst: "Reviewer Institute A", role: "reviewer" },
  ravi: { name: "Ravi Reviewer", email: "ravi@reviewers-b.example", inst: "Reviewer Institute B", role: "reviewer" },
  arturo: { name: "Arturo Chair", email: "arturo@chairs.example", inst: "Chair University", role: "area-chair" },
};
const PHASES = {
  submissions: { submission_deadline: day(30), reviews_deadline: day(60), author_response_deadline: day(70), meta_reviews_deadline: day(80), decisions: day(90), camera_ready_deadline: day(120) },
  reviews: { submission_deadline: day(-3), reviews_deadline: day(60), author_response_deadline: day(70), meta_reviews_deadline: day(80), decisions: day(90), camera_ready_deadline: day(120) },
  response: { submission_deadline: day(-6), reviews_deadline: day(-3), author_response_deadline: day(30), meta_reviews_deadline: day(40), decisions: day(50), camera_ready_deadline: day(80) },
  released: { submission_deadline: day(-12), reviews_deadline: day(-9), author_response_deadline: day(-7), meta_reviews_deadline: day(-5), decisions: day(-3), camera_ready_deadline: day(30) },
};

let tmp, track, db, port, server, browser, v;
const people = {};
const ids = {};

function config(phase, camera = false) {
  writeConfig(track, PHASES[phase], {
    head: ["title: Publish test track", "url: https://example.org", "baseurl: /2026"],
    blogtrack: [`phase: ${camera ? "camera-ready" : "review"}`, "post_date: 2026-04-27"],
    perSubmission: 1,
    load: 1,
  });
}

async function phase(name) {
  await stopReview(server);
  config(name);
  server = await startReview(BIN, track, db, port);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), "blogtrack-review-year-"));
  track = join(tmp, "track");
  cpSync(join(repo, "tests/fixtures/publish"), track, { recursive: true });
  db = join(tmp, "review.sqlite");
  port = await freePort();
  config("submissions");
  server = await startReview(BIN, track, db, port, [ORGANIZER]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  v = new Visitors(browser, { url: server.url }, ARTIFACTS);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopReview(server);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const url = (path) => `${server.url}${path}`;

describe("the review's year in the browser, then the site", () => {
  test("submissions: invitations, two submissions, bids, assignment of reviewers and area chair", async () => {
    const olga = (people.olga = await v.person("organizer"));
    await v.useLink(olga, organizerLink(server, ORGANIZER));
    await olga.page.goto(url("/people"));
    for (const c of Object.values(COMMITTEE)) {
      await olga.page.getByLabel("E-mail", { exact: true }).fill(c.email);
      await olga.page.getByLabel("Name", { exact: true }).fill(c.name);
      await olga.page.getByLabel("Role").selectOption(c.role);
      await olga.page.getByRole("button", { name: "Send invitation" }).click();
      await olga.page.waitForURL(url("/people"));
    }
    for (const [key, c] of Object.entries(COMMITTEE)) {
      people[key] = await v.person(key, { reviewer: true });
      await v.useLink(people[key], await mailedLink(server, c.email, "invite", v.used), { "Your name": c.name, "Your institution": c.inst });
    }
    for (const [key, a] of Object.entries(SUBS)) {
      const who = (people[key] = await v.person(key));
      await who.page.goto(url("/sign-in"));
      await who.page.getByLabel("E-mail address").fill(a.email);
      await who.page.getByRole("button", { name: "Send me a sign-in link" }).click();
      await v.useLink(who, await mailedLink(server, a.email, "sign-in", v.used));
      await who.page.goto(url("/submissions/new"));
      await who.page.getByLabel("Title").fill(a.title);
      await who.page.getByLabel("Abstract").fill(`The post "${a.title}", with $x_t$ in it.`);
      await who.page.getByLabel(/^Slug/).fill(a.slug);
      await who.page.getByLabel(/^Authors/).fill(`${a.name} <${a.email}>, ${a.inst}`);
      await who.page.getByRole("button", { name: "Save" }).click();
      await who.page.waitForURL(/\/submissions\/[^/]+$/);
      ids[key] = new URL(who.page.url()).pathname;
    }
    for (const [rev, sub] of [["rita", "ada"], ["ravi", "ben"]]) {
      const who = people[rev];
      await who.page.goto(url("/bids"));
      const article = who.page.locator("article", { hasText: SUBS[sub].title });
      await article.getByLabel("Your bid").selectOption("eager");
      await article.getByRole("button", { name: "Save bid" }).click();
      await who.page.waitForURL(url("/bids"));
    }
    await olga.page.goto(url("/assignments"));
    for (const role of ["reviewer", "area-chair"]) {
      await olga.page.getByLabel("Assign automatically").selectOption(role);
      await olga.page.getByRole("button", { name: "Run the assignment" }).click();
      await olga.page.waitForURL(url("/assignments"));
    }
    const row = async (sub) => olga.page.locator("tr", { hasText: SUBS[sub].title }).innerText();
    assert.match(await row("ada"), /Rita Reviewer[\s\S]*Arturo Chair|Arturo Chair[\s\S]*Rita Reviewer/);
    assert.doesNotMatch(await row("ada"), /Ravi/);
    assert.match(await row("ben"), /Ravi Reviewer/);
    await v.audit(olga, "year-assignments");

    // Nobody is mailed by the assignment itself: the committee is told from the /mail page,
    // each person of only their own submissions, never of the authors.
    await olga.page.goto(url("/mail"));
    assert.match(await olga.page.locator("main").innerText(), /3 person\(s\) have assignments they have not been told of/);
    await olga.page.getByRole("button", { name: "Tell reviewers and area chairs about their new assignments" }).click();
    await olga.page.waitForURL(/\/mail\?done=assignments/);
    const page = await olga.page.locator("main").innerText();
    assert.match(page, /3 assignment mail\(s\) queued\./);
    assert.match(page, /Everyone has been told of their assignments\./);
    await v.audit(olga, "year-mail-assignments");
    const told = async (c) => {
      const is = (m) => /assignments$/.test(m.subject);
      for (let i = 0; i < 200 && !mails(server, c.email).some(is); i++) await new Promise((r) => setTimeout(r, 100));
      return mails(server, c.email).filter(is);
    };
    const ritaMails = await told(COMMITTEE.rita);
    assert.equal(ritaMails.length, 1, `one assignment mail to Rita:\n${server.log()}`);
    assert.match(ritaMails[0].subject, /your review assignments/);
    assert.ok(ritaMails[0].body.includes(SUBS.ada.title) && !ritaMails[0].body.includes(SUBS.ben.title), ritaMails[0].body);
    assert.ok(ritaMails[0].body.includes(url(ids.ada)), "the mail links the submission");
    const [chairMail] = await told(COMMITTEE.arturo);
    assert.ok(chairMail && /your area-chair assignments/.test(chairMail.subject), `an area-chair mail:\n${server.log()}`);
    assert.ok(chairMail.body.includes(SUBS.ada.title), chairMail.body);
    for (const m of [...ritaMails, chairMail, ...(await told(COMMITTEE.ravi))]) {
      for (const a of Object.values(SUBS)) assert.ok(!m.body.includes(a.name) && !m.body.includes(a.email), `an author in ${m.body}`);
    }
  });

  test("reviews, then the committee's discussion and a question to the authors", async () => {
    await phase("reviews");
    for (const [rev, sub, score] of [["rita", "ada", "3"], ["ravi", "ben", "1"]]) {
      const who = people[rev];
      await who.page.goto(url(`${ids[sub]}/review`));
      await who.page.getByLabel(/^Summary/).fill(`Read it twice; the $\\beta_t$ schedule is ${rev === "rita" ? "clear" : "missing"}.`);
      await who.page.getByLabel(/^Overall/).selectOption(score);
      await who.page.getByRole("button", { name: "Submit review" }).click();
      await who.page.waitForURL(url(`${ids[sub]}/review`));
    }
    const rita = people.rita;
    await rita.page.goto(url(`${ids.ada}/discussion`));
    await rita.page.getByLabel(/^New thread/).fill("Is the $\\beta_t$ schedule in figure 2 linear or cosine?");
    await rita.page.getByLabel("Readers").selectOption("authors");
    await rita.page.locator("form", { has: rita.page.getByLabel(/^New thread/) }).getByRole("button", { name: "Post" }).click();
    await rita.page.waitForURL(/\/discussion#m-/);
    await v.audit(rita, "year-discussion-reviewer");
    assert.match(await rita.page.locator("main").innerText(), /linear or cosine/);
  });

  test("author response, meta-review, decisions with an award; nothing shown to authors before the release", async () => {
    await phase("response");
    const { ada, arturo, olga } = people;
    await ada.page.goto(url(`${ids.ada}/discussion`));
    const seen = await ada.page.locator("main").innerText();
    assert.match(seen, /linear or cosine/);
    assert.doesNotMatch(seen, /Rita|Ravi|Arturo/, "authors see pseudonyms, never the committee's names");
    await ada.page.getByLabel(/^Your response/).fill("Cosine: $\\beta_t$ follows the cosine schedule; the caption now says so.");
    await ada.page.locator("form", { has: ada.page.getByLabel(/^Your response/) }).getByRole("button", { name: "Post" }).click();
    await ada.page.waitForURL(/\/discussion#m-/);
    await v.audit(ada, "year-author-response");

    await arturo.page.goto(url(`${ids.ada}/discussion`));
    assert.match(await arturo.page.locator("main").innerText(), /caption now says so/);
    await arturo.page.goto(url(`${ids.ada}/meta-review`));
    const rec = arturo.page.getByLabel(/^Recommendation/);
    await rec.selectOption({ index: (await rec.locator("option").count()) - 1 });
    await arturo.page.getByLabel(/^Meta-review/).fill("The reviewer's one question was answered; **accept**.");
    await arturo.page.getByRole("button", { name: "Submit the meta-review" }).click();
    await arturo.page.waitForURL(url(`${ids.ada}/meta-review`));
    await v.audit(arturo, "year-meta-review");

    await olga.page.goto(url("/decisions"));
    await olga.page.getByLabel("Decision for #1").selectOption("accept");
    await olga.page.getByLabel("Award for #1").selectOption({ label: "Best post" });
    await olga.page.getByLabel("Poster session for #1").check();
    await olga.page.getByLabel("Decision for #2").selectOption("reject");
    await olga.page.getByRole("button", { name: "Save the decisions" }).click();
    await olga.page.waitForURL(url("/decisions"));
    await v.audit(olga, "year-decisions");
    assert.match(await olga.page.locator("tr", { hasText: SUBS.ada.title }).innerText(), /Accept · Best post/);

    await ada.page.goto(url(`${ids.ada}/decision`));
    const early = await ada.page.locator("main").innerText();
    assert.match(early, /Decisions are released on/);
    assert.doesNotMatch(early, /Best post|Accept/, "not before the release date");
  });

  test("after the release the authors see their decisions; publish, build and the camera-ready check", async () => {
    await phase("released");
    const { ada, ben } = people;
    await v.visit(ada, `${ids.ada}/decision`, "year-decision-accepted");
    assert.match(await ada.page.locator("main").innerText(), /Accept[\s\S]*Best post/);
    await ben.page.goto(url(`${ids.ben}/decision`));
    assert.match(await ben.page.locator("main").innerText(), /Reject/);

    // The decision mail, from the organizers' mail page, read from the dev mailer's output.
    const { olga } = people;
    await v.visit(olga, "/mail", "year-mail");
    await olga.page.getByRole("button", { name: "Notify authors of released decisions" }).click();
    await olga.page.waitForURL(/\/mail\?/);
    const mailTo = async (a) => {
      for (let i = 0; i < 200 && !mails(server, a.email).some((m) => m.subject.includes(a.title)); i++) await new Promise((r) => setTimeout(r, 100));
      return mails(server, a.email).filter((m) => m.subject.includes(a.title));
    };
    const [adaMail] = await mailTo(SUBS.ada);
    assert.ok(adaMail, `a decision mail to ${SUBS.ada.email}:\n${server.log()}`);
    assert.match(adaMail.subject, /is accepted/);
    assert.match(adaMail.body, /Best post/);
    assert.ok(adaMail.body.includes(url(ids.ada)), "the mail links the submission");
    const [benMail] = await mailTo(SUBS.ben);
    assert.ok(benMail && /decision on/.test(benMail.subject), "the rejected author is told too");

    const out = execFileSync(BIN, ["review", "publish", track, "--db", db], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.match(out, /accepted: 1/);
    const decisions = readFileSync(join(track, "_data/decisions.yml"), "utf8");
    assert.match(decisions, /diffusion-explained/);
    assert.match(decisions, /best-post/);
    assert.match(readFileSync(join(track, "_data/rejected-previews.txt"), "utf8"), /attention-budget/);

    const root = join(tmp, "www");
    execFileSync(BIN, ["build", track, "-o", join(root, "2026")], { stdio: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    const site = await serve(root, "/2026/404.html");
    try {
      const reader = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await reader.newPage();
      await page.goto(`${site.origin}/2026/blog/`);
      await page.screenshot({ path: join(ARTIFACTS, "year-site-blog-1280.png"), fullPage: true });
      const index = page.locator("main");
      assert.match(await index.innerText(), /Diffusion models, explained/);
      assert.doesNotMatch(await index.innerText(), /How attention spends its budget/);
      assert.equal(await page.locator(".award-badge", { hasText: "Best post" }).count() > 0, true, "the badge on the index");
      await page.goto(`${site.origin}/2026/blog/diffusion-explained/`);
      assert.ok(await page.locator(".award-badge", { hasText: "Best post" }).isVisible(), "the badge on the post");
      const posters = await page.goto(`${site.origin}/2026/poster-session/`);
      assert.equal(posters.status(), 200);
      await page.screenshot({ path: join(ARTIFACTS, "year-site-posters-1280.png"), fullPage: true });
      assert.match(await page.locator("main").innerText(), /Diffusion models, explained/);
      await reader.close();
    } finally {
      await site.close();
    }

    config("released", true);
    const check = (post) => spawnSync(BIN, ["check", track, "--post", `_posts/2026-04-27-${post}.md`], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const accepted = check("diffusion-explained");
    assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
    const rejected = check("attention-budget");
    assert.equal(rejected.status, 1, rejected.stdout + rejected.stderr);
    assert.match(rejected.stdout + rejected.stderr, /error\[camera-ready-rejected\]/);
  });

  test("no page a committee member loaded names an author", async () => {
    const docs = (await Promise.all(v.reviewerDocs)).filter(Boolean);
    assert.ok(docs.length > 10, `the committee loaded ${docs.length} pages`);
    for (const d of docs) {
      for (const a of Object.values(SUBS)) {
        for (const s of [a.name, a.email]) assert.ok(!d.body.includes(s), `${d.who} loaded ${d.url} holding "${s}"`);
      }
    }
    for (const who of Object.values(people)) assert.deepEqual(who.errors, [], `console errors for ${who.label}`);
  });
});
