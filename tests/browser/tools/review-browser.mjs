// The browser side of the review server's tests (review.test.mjs, year.test.mjs): one browser
// context per person, sign-in and invitation links used through their pages' buttons, and the
// checks every page gets (screenshots at 1280 and 375 px, no overflow on a phone, labelled
// controls, axe-core WCAG 2.1 A/AA). Reviewers' contexts keep every HTML document they receive,
// for the test to search for authors' names.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export class Visitors {
  /** `server` is read at each use (`{ url }`): a test may restart it on the same port. */
  constructor(browser, server, artifacts) {
    this.browser = browser;
    this.server = server;
    this.artifacts = artifacts;
    this.used = new Set();
    this.audits = [];
    this.reviewerDocs = [];
  }

  /**
   * A person's own browser (context). Reviewers' contexts record every HTML document they
   * receive. `js: false` is the pass without JavaScript.
   */
  async person(label, { reviewer = false, js = true } = {}) {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && !/status of 40[34]/.test(m.text()) && errors.push(m.text()));
    if (reviewer) {
      context.on("response", (r) => {
        if (r.request().resourceType() === "document") {
          this.reviewerDocs.push(r.text().then((body) => ({ who: label, url: r.url(), status: r.status(), body }), () => null));
        }
      });
    }
    return { label, context, page, js, errors };
  }

  /** Opens a sign-in or invitation link and presses its button (the link is used up). */
  async useLink(who, link, fill = {}) {
    this.used.add(link);
    await who.page.goto(link);
    await this.audit(who, link.includes("/invite/") ? "invitation" : "sign-in-link");
    for (const [label, value] of Object.entries(fill)) await who.page.getByLabel(label, { exact: true }).fill(value);
    await who.page.getByRole("button", { name: /^(Sign in|Accept and sign in)$/ }).click();
    await who.page.waitForURL(`${this.server.url}/`);
  }

  /** Runs axe-core in the page; with JavaScript off, in a twin context holding the same cookies. */
  async axeViolations(who) {
    let page = who.page;
    let twin = null;
    if (!who.js) {
      twin = await this.browser.newContext({ storageState: await who.context.storageState(), viewport: page.viewportSize() });
      page = await twin.newPage();
      await page.goto(who.page.url());
    }
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    if (twin) await twin.close();
    return found;
  }

  /**
   * The checks every page gets: screenshots at 1280 and 375 px, nothing wider than a 375 px
   * window outside a scroll box, every form control labelled, axe-core clean.
   */
  async audit(who, name) {
    const page = who.page;
    const findings = [];
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 800 : 900 });
      await page.screenshot({ path: join(this.artifacts, `${name}-${width}.png`), fullPage: true });
      if (width !== 375) continue;
      const wide = await page.evaluate(() => {
        const out = [];
        for (const el of document.body.querySelectorAll("*")) {
          if (el.closest(".table-wrap, pre")) continue;
          const r = el.getBoundingClientRect();
          // Off to the left entirely is the hidden skip link's place, not an overflow.
          if (r.width > 0 && r.right > 0 && (r.right > window.innerWidth + 1 || r.left < -1)) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
        if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
        return out;
      });
      findings.push(...wide.map((w) => `wider than 375 px: ${w}`));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea, button")]
        .filter((el) => el.type !== "hidden")
        .filter((el) => {
          const name = el.tagName === "BUTTON" ? el.textContent.trim() || el.getAttribute("aria-label") : el.labels.length && [...el.labels].map((l) => l.textContent.trim()).join("");
          return !name && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby");
        })
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}[name=${el.name}]`),
    );
    findings.push(...unlabelled.map((u) => `control without a label: ${u}`));
    findings.push(...(await this.axeViolations(who)).map((v) => `axe: ${v}`));
    this.audits.push({ name, url: page.url(), findings });
    assert.deepEqual(findings, [], `page ${name} (${page.url()})`);
  }

  /** Goes to `path` and audits the page under `name`; returns the response. */
  async visit(who, path, name) {
    const response = await who.page.goto(`${this.server.url}${path}`);
    await this.audit(who, name);
    return response;
  }
}
