// Helpers for the review server's browser test (review.test.mjs): a track folder whose
// _config.yml sets the review and its dates relative to now, `blogtrack review serve` started on
// a free port with its standard error kept (the dev mailer prints every mail there), and the
// links read from those mails.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const DAY = 86400 * 1000;

/** `YYYY-MM-DD` of now + `days` (a deadline is the end of that day, AoE). */
export function day(days) {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

/**
 * Writes `track/_config.yml`: a review with a form of a Markdown text, a scale and a checkbox,
 * and the given `blogtrack.dates` (name → `YYYY-MM-DD`). `head`: the lines before `blogtrack:`;
 * `blogtrack`: more lines under it; `perSubmission`, `load`: reviews per submission and per
 * reviewer.
 */
export function writeConfig(track, dates, { head = ["title: Browser test track"], blogtrack = [], perSubmission = 2, load = 2 } = {}) {
  const lines = Object.entries(dates).map(([k, v]) => `    ${k}: ${v}`);
  writeFileSync(
    join(track, "_config.yml"),
    [
      ...head,
      "blogtrack:",
      ...blogtrack.map((l) => `  ${l}`),
      "  dates:",
      ...lines,
      "review:",
      `  reviews_per_submission: ${perSubmission}`,
      `  reviewer_load: ${load}`,
      "  form:",
      "    - { key: summary, label: Summary, type: text, required: true, max: 5000 }",
      "    - key: score",
      "      label: Overall",
      "      type: scale",
      "      options: { 1: Reject, 2: Borderline, 3: Accept }",
      "    - { key: self_promotion, label: The post promotes the authors' own work, type: checkbox }",
      "",
    ].join("\n"),
  );
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `blogtrack review serve TRACK --db DB --listen 127.0.0.1:PORT [--organizer E]` and
 * resolves once it listens. `log()` is everything it printed so far.
 */
export function startReview(bin, track, db, port, organizers = []) {
  const args = ["review", "serve", track, "--db", db, "--listen", `127.0.0.1:${port}`];
  for (const o of organizers) args.push("--organizer", o);
  return new Promise((ok, fail) => {
    const p = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    const server = { process: p, url: `http://127.0.0.1:${port}`, log: () => out };
    const timer = setTimeout(() => fail(new Error(`review serve did not start:\n${out}`)), 60000);
    const seen = (chunk) => {
      out += chunk;
      if (/review server on http:\/\//.test(out)) {
        clearTimeout(timer);
        ok(server);
      }
    };
    p.stdout.on("data", seen);
    p.stderr.on("data", seen);
    p.on("exit", (code) => {
      clearTimeout(timer);
      server.exited = code;
      fail(new Error(`review serve exited with ${code}:\n${out}`));
    });
  });
}

/** Stops the server and waits for it to exit. */
export function stopReview(server) {
  return new Promise((ok) => {
    if (server.process.exitCode !== null) return ok();
    server.process.once("exit", () => ok());
    server.process.kill("SIGTERM");
  });
}

/** Every mail to `to` the dev mailer printed so far: `{ subject, body }`, oldest first. */
export function mails(server, to) {
  const re = new RegExp(`^--- mail to ${to.replace(/[.+]/g, "\\$&")}: ([^\\n]*)\\n([\\s\\S]*?)\\n---$`, "gm");
  return [...server.log().matchAll(re)].map((m) => ({ subject: m[1], body: m[2] }));
}

/**
 * The newest link `${url}/${kind}/<token>` in a mail to `to` that the dev mailer printed
 * (`--- mail to ADDR: SUBJECT`, the body, `---`), waiting up to 20 s for it; `skip` links
 * already used are passed over.
 */
export async function mailedLink(server, to, kind, skip = new Set()) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const links = [];
    for (const m of mails(server, to)) {
      for (const l of m.body.matchAll(new RegExp(`${server.url}/${kind}/[A-Za-z0-9_-]+`, "g"))) links.push(l[0]);
    }
    const fresh = links.filter((l) => !skip.has(l));
    if (fresh.length) return fresh[fresh.length - 1];
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} in the server's output:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sign-in link `--organizer` printed for `email`. */
export function organizerLink(server, email) {
  const m = server.log().match(new RegExp(`organizer ${email.replace(/[.+]/g, "\\$&")}: (\\S+)`));
  if (!m) throw new Error(`no organizer link for ${email} in:\n${server.log()}`);
  return m[1];
}
