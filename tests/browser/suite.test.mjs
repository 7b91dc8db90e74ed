// The reading experience of a built track, checked in a real browser (Debian's chromium driven by
// playwright-core through the DevTools protocol).
//
// The suite builds ../shared/corpus/iclr-2024 with the release binary into <tmp>/2024, serves the
// parent folder on 127.0.0.1 (the site's baseurl is /2024), and checks every post for what a
// reader notices: console errors, requests leaving the machine, TOC links, hover cards by mouse
// and keyboard, dark mode, visible math/code/figures, horizontal overflow on a phone, page
// weight and axe-core findings. Screenshots, a printed PDF and the measured figures are saved
// under target/browser-artifacts/ (see README.md here).
//
// Environment: BLOGTRACK_BIN (the binary; run.sh builds it), CORPUS (default: the 2024 corpus),
// CHROMIUM (default /usr/bin/chromium), ARTIFACTS (default <repo>/target/browser-artifacts).
// Without the corpus every test here is skipped with the reason (see corpus.mjs).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { corpusSkip } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const require = createRequire(import.meta.url);
const CORPUS_ROOT = process.env.BLOGTRACK_CORPUS || resolve(repo, "../shared/corpus");
const CORPUS = process.env.CORPUS || join(CORPUS_ROOT, "iclr-2024");
const CORPUS_2023 = process.env.CORPUS_2023 || join(CORPUS_ROOT, "iclr-2023");
/** The reason every test of this file is skipped (the corpus is absent), or false. */
const SKIP = corpusSkip("browser suite.test.mjs (every test)", [CORPUS, CORPUS_2023]);
const BIN = process.env.BLOGTRACK_BIN || resolve(repo, "target/release/blogtrack");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = process.env.ARTIFACTS || resolve(repo, "target/browser-artifacts");
const BASE = "/2024";
/** A post page's own HTML + CSS + JS, uncompressed (issue 8, item 4). */
const WEIGHT_BUDGET = 150 * 1024;
/** The theme's own share of a post page (the page's HTML+CSS+JS minus what the author wrote:
 * the article body, the references and their citation_reference tags): its CSS and JS
 * (~45 KB, cached across pages) plus the head, header, byline, TOC and footer. Held under this
 * so that the author always keeps more than half of the 150 KB budget. */
const THEME_OVERHEAD_BUDGET = 72 * 1024;
/** The theme's stylesheet and script (cached across pages): 45 KB before issue 17, whose
 * containment of authors' content (scoped styles, wide content, iframes, dark figures, legibility
 * of authors' colours, folded abstracts) added about 10 KB. */
const THEME_FILES_BUDGET = 56 * 1024;
/** Posts whose own raw HTML overflows at 375 px, with the reason (reported, not failed). */
const KNOWN_AUTHOR_OVERFLOW = {
  clml: "raw <picture> markup copied from al-folio's generated HTML; its -480.webp sources do not exist in the repository",
};
/** Posts photographed at both widths in both modes (they cover math, code, citations, figures). */
const SHOWCASE = ["distill-example", "bench-hvp", "double-descent-demystified", "diffusion-theory-from-scratch"];

const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let site, server, browser, posts;
const figures = { posts: {}, external: [], axe: {}, search: null };

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (SKIP) return;
  // Built under target/ so that the image variants' cache (.blogtrack-cache/ beside the
  // outputs) survives between runs; the sites themselves are rebuilt every time.
  const tmp = resolve(ARTIFACTS, "..", "browser-site");
  mkdirSync(tmp, { recursive: true });
  for (const d of readdirSync(tmp)) if (d !== ".blogtrack-cache") rmSync(join(tmp, d), { recursive: true, force: true });
  site = { tmp, root: join(tmp, "2024") };
  execFileSync(BIN, ["build", CORPUS, "-o", site.root], { stdio: ["ignore", "ignore", "pipe"] });
  // The previous year, built by blogtrack with its own baseurl beside it, for search across years.
  execFileSync(BIN, ["build", CORPUS_2023, "-o", join(tmp, "2023")], { stdio: ["ignore", "ignore", "pipe"] });
  server = await serve(tmp, `${BASE}/404.html`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  posts = readdirSync(join(site.root, "blog"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(site.root, "blog", d.name, "index.html")))
    .filter((d) => readFileSync(join(site.root, "blog", d.name, "index.html"), "utf8").includes('<main id="bt-main" class="post"'))
    .map((d) => d.name)
    .sort();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (site) for (const d of readdirSync(site.tmp)) if (d !== ".blogtrack-cache") rmSync(join(site.tmp, d), { recursive: true, force: true });
  writeFileSync(join(ARTIFACTS, "figures.json"), JSON.stringify(figures, null, 2) + "\n");
});

/** A fresh page that records console errors, page errors, and every request by origin; requests
 * that would leave 127.0.0.1 are counted and aborted (the test fails on any). */
async function openPage({ width = 1280, height = 900, scheme = "light" } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: scheme,
    reducedMotion: "reduce",
  });
  const log = { errors: [], themeErrors: [], external: [], bytes: {}, requests: 0, missing: [] };
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    log.external.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  // An error is the theme's when it comes from the theme's files or names them; everything else
  // (authors' iframes, their inline scripts, their missing images) is reported, not failed.
  // Other years' indexes (2025, 2026 in the dropdown, not served here) are expected to 404.
  const own = (text) => /\/assets\/blogtrack\/|\/2024\/search\/index\.json/.test(text);
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location().url || "";
    log.errors.push(`${m.text()} @ ${where}`);
    if (own(where) || own(m.text())) log.themeErrors.push(`${m.text()} @ ${where}`);
  });
  page.on("pageerror", (e) => {
    log.errors.push(String(e));
    if (own(e.stack || "")) log.themeErrors.push(String(e.stack));
  });
  page.on("response", async (r) => {
    log.requests += 1;
    const type = r.request().resourceType();
    if (r.status() >= 400 && own(r.url())) log.themeErrors.push(`${r.status()} ${r.url()}`);
    if (r.status() >= 400) log.missing.push(r.url());
    if (r.request().frame() !== page.mainFrame()) return;
    if (!["document", "stylesheet", "script", "font", "fetch", "xhr"].includes(type)) return;
    try {
      const body = await r.body();
      // Mermaid's bundle is loaded only for a page with a diagram: it is the diagram's weight
      // (like an author's figure), reported apart from the page's own CSS+JS.
      const kind = /\/assets\/blogtrack\/mermaid-[^/]*\.js$/.test(new URL(r.url()).pathname) ? "diagram" : type;
      log.bytes[kind] = (log.bytes[kind] || 0) + body.length;
    } catch { /* redirects have no body */ }
  });
  return { context, page, log };
}

/** Whether an external URL was written by the post's author (its host occurs in the post page's
 * body or in the post's interactive-figure files), as opposed to added by blogtrack. */
function authorWrote(slug, external) {
  const host = new URL(external).host;
  const pageHtml = readFileSync(join(site.root, "blog", slug, "index.html"), "utf8");
  const body = pageHtml.slice(pageHtml.indexOf("<d-article"));
  if (body.includes(host)) return true;
  const figs = join(site.root, "assets", "html");
  if (!existsSync(figs)) return false;
  const stack = [figs];
  while (stack.length) {
    const dir = stack.pop();
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) stack.push(p);
      else if (/\.html?$/.test(d.name) && readFileSync(p, "utf8").includes(host)) return true;
    }
  }
  return false;
}

const url = (path) => `${server.origin}${BASE}${path}`;

/** Scrolls through the page so lazy images load, then back to the top. */
async function scrollThrough(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    scrollTo(0, 0);
  });
}

async function cardShown(card) {
  return card.evaluate((el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility === "visible" && Number(s.opacity) > 0.5 && r.width > 0 && r.height > 0;
  });
}

async function waitShown(card, want) {
  for (let i = 0; i < 40; i++) {
    if ((await cardShown(card)) === want) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** In the page: elements that stick out of the viewport outside a scrollable box that itself
 * fits (`missing`: image URLs that failed to load, reported rather than failed). */
function findOverflow(missing) {
  const vw = document.documentElement.clientWidth;
  const scrollable = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.tagName === "MAIN") return false;
      const s = getComputedStyle(a);
      if (["auto", "scroll"].includes(s.overflowX)) {
        const r = a.getBoundingClientRect();
        if (r.left >= -1 && r.right <= vw + 1) return true;
      }
    }
    return false;
  };
  const bad = [], broken = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest(".hover-card, .skip-link, [hidden]")) continue;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none" || s.position === "fixed") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // An author's image whose file is missing (the build warned) is reported, not failed.
    if (el.tagName === "IMG" && ((el.complete && el.naturalWidth === 0) || missing.includes(el.currentSrc))) { broken.push(el.currentSrc || el.src); continue; }
    if ((r.right > vw + 1 || r.left < -1) && !scrollable(el)) {
      bad.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
  }
  return { page: document.documentElement.scrollWidth - vw, bad: bad.slice(0, 8), count: bad.length, broken };
}

describe("every post", { skip: SKIP }, () => {
  test("has no console errors, no request leaving localhost, and fits the weight budget", async () => {
    assert.ok(posts.length >= 10, `only ${posts.length} posts built`);
    for (const slug of posts) {
      const { context, page, log } = await openPage();
      await page.goto(url(`/blog/${slug}/`), { waitUntil: "load" });
      await scrollThrough(page);
      await page.waitForLoadState("networkidle").catch(() => {});
      const html = readFileSync(join(site.root, "blog", slug, "index.html"));
      const blocking = await page.evaluate(() =>
        [...document.querySelectorAll("head script[src]")].filter((s) => !s.defer && !s.async && s.type !== "module").map((s) => s.src));
      const weight = (log.bytes.document || 0) + (log.bytes.stylesheet || 0) + (log.bytes.script || 0);
      const text = html.toString("utf8");
      const bodyBytes = Buffer.byteLength(text.slice(text.indexOf("<d-article"), text.indexOf("</d-article>")));
      const bytesOf = (re) => (text.match(re) || []).reduce((n, m) => n + Buffer.byteLength(m), 0);
      const mathml = bytesOf(/<math[\s>][\s\S]*?<\/math>/g);
      const texAnnotations = bytesOf(/<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/g);
      const references = bytesOf(/<section class="appendix"[\s\S]*?<\/section>/g) + bytesOf(/<meta name="citation_reference"[^>]*>\n?/g);
      const authorContent = bodyBytes + references;
      figures.posts[slug] = {
        html: html.length,
        css: log.bytes.stylesheet || 0,
        js: log.bytes.script || 0,
        diagram_renderer: log.bytes.diagram || 0,
        own_weight: weight,
        article_body: bodyBytes,
        mathml,
        of_which_tex_annotations: texAnnotations,
        author_text: bodyBytes - mathml,
        references,
        author_content: authorContent,
        theme_share: weight - authorContent,
        within_budget: weight < WEIGHT_BUDGET,
        over_budget_because: weight < WEIGHT_BUDGET ? null
          : authorContent >= WEIGHT_BUDGET ? "the author's content alone is over 150 KB"
          : "the author's content plus the theme's share",
        requests: log.requests,
        external_requests: log.external.length,
        console_errors: log.errors,
        theme_console_errors: log.themeErrors.length,
      };
      figures.external.push(...log.external.map((u) => ({ slug, url: u })));
      await context.close();
      assert.deepEqual(log.themeErrors, [], `${slug}: console errors caused by the theme`);
      const ours = log.external.filter((u) => !authorWrote(slug, u));
      assert.deepEqual(ours, [], `${slug}: requests left localhost that the author did not write`);
      assert.deepEqual(blocking, [], `${slug}: render-blocking scripts`);
      // Total weight against the 150 KB budget is reported per post in figures.json (MathML and
      // reference lists of long posts go over it); the theme's fixed CSS+JS must stay small.
      const fixed = (log.bytes.stylesheet || 0) + (log.bytes.script || 0);
      assert.ok(fixed < THEME_FILES_BUDGET, `${slug}: the theme's CSS+JS is ${fixed} bytes`);
      assert.ok(weight - authorContent < THEME_OVERHEAD_BUDGET,
        `${slug}: the theme's share of the page is ${weight - authorContent} bytes (budget ${THEME_OVERHEAD_BUDGET})`);
    }
  });

  test("every TOC link scrolls to its heading", async () => {
    const { context, page } = await openPage();
    let links = 0;
    for (const slug of posts) {
      await page.goto(url(`/blog/${slug}/`));
      const results = await page.evaluate(async () => {
        const out = [];
        for (const a of document.querySelectorAll("nav.toc a[href^='#']")) {
          scrollTo(0, 0);
          a.click();
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const id = decodeURIComponent(a.getAttribute("href").slice(1));
          const el = document.getElementById(id);
          const max = document.documentElement.scrollHeight - innerHeight;
          out.push({
            href: a.getAttribute("href"),
            found: !!el,
            top: el ? el.getBoundingClientRect().top : null,
            atBottom: scrollY >= max - 2,
            hash: decodeURIComponent(location.hash.slice(1)) === id,
          });
        }
        return out;
      });
      for (const r of results) {
        links += 1;
        assert.ok(r.found, `${slug}: ${r.href} names no element`);
        assert.ok(r.hash, `${slug}: the address does not end in ${r.href} after the click`);
        assert.ok((r.top >= -2 && r.top < 120) || (r.atBottom && r.top >= 0 && r.top < 900),
          `${slug}: ${r.href} heading is at ${r.top}px after the click`);
      }
    }
    figures.toc_links_checked = links;
    await context.close();
    assert.ok(links > 50, `only ${links} TOC links`);
  });

  test("at 375 px nothing overflows except inside scrollable code, math and table boxes", async () => {
    const { context, page, log } = await openPage({ width: 375, height: 740 });
    for (const slug of posts) {
      log.missing.length = 0;
      await page.goto(url(`/blog/${slug}/`), { waitUntil: "load" });
      const found = await page.evaluate(findOverflow, log.missing);
      if (found.broken.length) (figures.broken_images_375 ||= {})[slug] = found.broken;
      assert.ok(found.page <= 0, `${slug}: the page scrolls sideways by ${found.page}px`);
      if (KNOWN_AUTHOR_OVERFLOW[slug] && found.count) {
        (figures.known_overflow_375 ||= {})[slug] = { reason: KNOWN_AUTHOR_OVERFLOW[slug], elements: found.bad };
        continue;
      }
      assert.equal(found.count, 0, `${slug}: ${found.count} elements overflow: ${found.bad.join(", ")}`);
    }
    await context.close();
  });
});

describe("hover cards", { skip: SKIP }, () => {
  for (const kind of [["citation", ".citation", "cite-marker"], ["footnote", ".footnote", "fn-marker"]]) {
    const [name, wrap, markerClass] = kind;
    test(`a ${name} marker shows its card on hover and on keyboard focus; Escape closes it`, async () => {
      const { context, page } = await openPage();
      let checked = 0;
      for (const slug of posts) {
        await page.goto(url(`/blog/${slug}/`));
        const first = page.locator(`d-article ${wrap}`).first();
        if (!(await first.count())) continue;
        const marker = first.locator(`a.${markerClass}`);
        const card = first.locator(".hover-card");
        await marker.scrollIntoViewIfNeeded();
        assert.equal(await cardShown(card), false, `${slug}: ${name} card shown before any hover`);
        await marker.hover();
        assert.ok(await waitShown(card, true), `${slug}: hovering the ${name} marker shows no card`);
        assert.ok((await card.innerText()).trim().length > 0, `${slug}: the ${name} card is empty`);
        const box = await card.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 1280, `${slug}: the ${name} card leaves the viewport`);
        await page.keyboard.press("Escape");
        assert.ok(await waitShown(card, false), `${slug}: Escape leaves the hovered ${name} card open`);
        await page.mouse.move(0, 0);
        // Keyboard: Tab from the element just before the marker.
        await marker.evaluate((a) => {
          const stop = document.createElement("span");
          stop.tabIndex = -1;
          stop.id = "bt-test-focus-stop";
          a.parentElement.before(stop);
          stop.focus();
        });
        await page.keyboard.press("Tab");
        assert.ok(await marker.evaluate((a) => document.activeElement === a), `${slug}: Tab does not reach the ${name} marker`);
        assert.ok(await waitShown(card, true), `${slug}: focusing the ${name} marker shows no card`);
        const outline = await marker.evaluate((a) => getComputedStyle(a).outlineStyle);
        assert.notEqual(outline, "none", `${slug}: the focused ${name} marker has no visible focus`);
        await page.keyboard.press("Escape");
        assert.ok(await waitShown(card, false), `${slug}: Escape leaves the focused ${name} card open`);
        checked += 1;
        if (checked >= 4) break;
      }
      await context.close();
      assert.ok(checked >= 2, `only ${checked} posts have a ${name}`);
    });
  }
});

describe("TOC section highlighting", { skip: SKIP }, () => {
  test("the entry of the section being read is marked aria-current, and follows in the margin on wide screens", async () => {
    const { context, page, log } = await openPage({ width: 1700 });
    await page.goto(url("/blog/bench-hvp/"));
    const ids = await page.evaluate(() => [...document.querySelectorAll("nav.toc a[href^='#']")].map((a) => a.getAttribute("href")));
    assert.ok(ids.length >= 4, `only ${ids.length} TOC entries`);
    for (const href of [ids[2], ids[Math.floor(ids.length / 2)]]) {
      await page.evaluate((h) => {
        document.getElementById(decodeURIComponent(h.slice(1))).scrollIntoView({ block: "start" });
        scrollBy(0, 4);
      }, href);
      await page.waitForFunction((h) => document.querySelector("nav.toc a[aria-current='true']")?.getAttribute("href") === h, href, { timeout: 3000 });
      assert.equal(await page.locator("nav.toc a[aria-current='true']").count(), 1);
    }
    const place = await page.evaluate(() => {
      const toc = document.querySelector("nav.toc").getBoundingClientRect();
      const art = document.querySelector("d-article").getBoundingClientRect();
      return { tocRight: toc.right, tocTop: toc.top, tocBottom: toc.bottom, articleLeft: art.left };
    });
    assert.ok(place.tocRight <= place.articleLeft, `the TOC overlaps the text: ${JSON.stringify(place)}`);
    assert.ok(place.tocTop >= 0 && place.tocBottom <= 900, `the TOC is not in view while reading: ${JSON.stringify(place)}`);
    await page.screenshot({ path: join(ARTIFACTS, "toc-highlight-1700.png") });
    assert.deepEqual(log.themeErrors, []);
    await context.close();
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1700, height: 900 } });
    const plain = await noJs.newPage();
    await plain.goto(url("/blog/bench-hvp/"));
    assert.equal(await plain.locator("nav.toc a[aria-current]").count(), 0);
    assert.ok(await plain.locator("nav.toc a").first().isVisible(), "the TOC is hidden without JavaScript");
    await noJs.close();
  });
});

describe("dark mode", { skip: SKIP }, () => {
  test("the toggle switches the theme and the choice persists across reloads", async () => {
    const { context, page } = await openPage();
    await page.goto(url(`/blog/${posts[0]}/`));
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
    const light = await bg();
    const toggle = page.locator(".theme-toggle");
    assert.ok(await toggle.isVisible(), "no visible toggle");
    await toggle.click();
    assert.equal(await page.getAttribute("html", "data-theme"), "dark");
    assert.notEqual(await bg(), light, "the background did not change");
    await page.reload();
    assert.equal(await page.getAttribute("html", "data-theme"), "dark", "dark mode was not kept after reload");
    await page.goto(url("/blog/"));
    assert.equal(await page.getAttribute("html", "data-theme"), "dark", "dark mode was not kept on another page");
    await page.locator(".theme-toggle").click();
    await page.reload();
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
    await context.close();
  });

  test("dark mode dims raster figures; the reader can switch it off; the header keeps one row", async () => {
    // A post with a raster figure in its body (the switch only appears where it has something to do).
    const slug = posts.find((p) => /<d-article[\s\S]*<img[^>]+src="[^"]+\.(png|jpe?g|webp)"/i
      .test(readFileSync(join(site.root, "blog", p, "index.html"), "utf8")));
    assert.ok(slug, "no corpus post has a raster figure");
    for (const width of [1280, 375]) {
      const { context, page } = await openPage({ width, height: 800, scheme: "dark" });
      await page.goto(url(`/blog/${slug}/`));
      const dim = page.locator(".dim-toggle");
      assert.ok(await dim.isVisible(), `${width}px: no visible dim switch in dark mode`);
      assert.equal(await dim.getAttribute("aria-label"), "Dim figures in dark mode");
      const facts = await page.evaluate(() => {
        const box = (sel) => document.querySelector(sel).getBoundingClientRect();
        const img = [...document.querySelectorAll("d-article img")].find((i) => /\.(png|jpe?g|webp)/i.test(i.currentSrc || i.src));
        return {
          title: box(".site-title"), toggle: box(".theme-toggle"), dim: box(".dim-toggle"),
          filter: getComputedStyle(img).filter, id: img.src,
        };
      });
      if (width === 1280) {
        // Title, navigation and both buttons on one row: the buttons sit at the title's height.
        const mid = (r) => r.top + r.height / 2;
        assert.ok(Math.abs(mid(facts.dim) - mid(facts.title)) < 12 && Math.abs(mid(facts.toggle) - mid(facts.title)) < 12,
          `the header wraps at 1280 px: title at ${Math.round(mid(facts.title))}, dim at ${Math.round(mid(facts.dim))}, toggle at ${Math.round(mid(facts.toggle))}`);
      }
      assert.ok(facts.dim.right <= facts.toggle.left, "the dim switch overlaps the theme toggle");
      assert.match(facts.filter, /brightness/, `${width}px: the raster figure is not dimmed in dark mode`);
      await page.screenshot({ path: join(ARTIFACTS, `dark-figures-${width}.png`) });
      await dim.click();
      assert.equal(await page.getAttribute("html", "data-dim"), "off");
      assert.equal(await dim.getAttribute("aria-pressed"), "false");
      const after = await page.evaluate((src) => getComputedStyle([...document.querySelectorAll("d-article img")].find((i) => i.src === src)).filter, facts.id);
      assert.equal(after, "none", "switching dimming off left the figure filtered");
      await page.reload();
      assert.equal(await page.getAttribute("html", "data-dim"), "off", "the choice was not kept after reload");
      await page.locator(".dim-toggle").click();
      assert.equal(await page.getAttribute("html", "data-dim"), null);
      await context.close();
    }
    // In light mode there is nothing to dim and no switch.
    const { context, page } = await openPage({ width: 1280, scheme: "light" });
    await page.goto(url(`/blog/${slug}/`));
    assert.equal(await page.locator(".dim-toggle").isVisible(), false, "the dim switch shows in light mode");
    await context.close();
  });

  test("a reader whose system prefers dark gets dark without JavaScript", async () => {
    const context = await browser.newContext({ colorScheme: "dark", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url(`/blog/${posts[0]}/`));
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, "rgb(19, 21, 25)");
    await context.close();
  });

  test("without JavaScript a citation marker links to its reference and shows no empty card", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // Without JavaScript a citation marker is a link to its entry in the References list, and
    // its card (filled by the script) stays hidden instead of showing empty.
    let checked = 0;
    for (const slug of posts) {
      await page.goto(url(`/blog/${slug}/`));
      const wrap = page.locator("d-article .citation:has(> a.cite-marker[href^='#ref-']):visible").first();
      if (!(await wrap.count())) continue;
      const marker = wrap.locator("a.cite-marker");
      const href = await marker.getAttribute("href");
      const inList = await page.evaluate((id) => document.getElementById(id)?.closest(".reference-list") != null, href.slice(1));
      assert.ok(inList, `${slug}: ${href} is not in the References list`);
      await marker.scrollIntoViewIfNeeded();
      await marker.hover();
      const card = wrap.locator(".hover-card");
      assert.equal(await card.isVisible(), false, `${slug}: an empty citation card shows without JavaScript`);
      checked++;
    }
    assert.ok(checked > 0, "no post with citations was checked without JavaScript");
    await context.close();
  });
});

describe("content", { skip: SKIP }, () => {
  test("math, code and figures are visible and sized", async () => {
    const { context, page } = await openPage();
    const seen = { math: 0, code: 0, figure: 0 };
    for (const slug of posts) {
      await page.goto(url(`/blog/${slug}/`));
      await page.evaluate(async () => {
        const img = document.querySelector("d-article figure img");
        if (!img) return;
        img.loading = "eager";
        img.scrollIntoView();
        await img.decode().catch(() => {});
      });
      const r = await page.evaluate(async () => {
        const size = (el) => { const b = el.getBoundingClientRect(); return [b.width, b.height]; };
        const shown = (el) => el.checkVisibility() && !el.closest(".hover-card, details:not([open])");
        const math = [...document.querySelectorAll("d-article math")].find(shown);
        const pre = [...document.querySelectorAll("d-article pre")].find(shown);
        const img = [...document.querySelectorAll("d-article figure img")].find((i) => i.complete);
        return {
          math: math && size(math),
          mathDisplay: (([m]) => m && size(m))([...document.querySelectorAll("d-article math[display=block]")].filter(shown)),
          code: pre && size(pre),
          img: img && { size: size(img), natural: img.naturalWidth },
        };
      });
      if (r.math) { seen.math++; assert.ok(r.math[0] > 2 && r.math[1] > 5, `${slug}: math is ${r.math}`); }
      if (r.mathDisplay) assert.ok(r.mathDisplay[0] > 10 && r.mathDisplay[1] > 10, `${slug}: display math is ${r.mathDisplay}`);
      if (r.code) { seen.code++; assert.ok(r.code[0] > 100 && r.code[1] > 20, `${slug}: code is ${r.code}`); }
      if (r.img) { seen.figure++; assert.ok(r.img.natural > 0 && r.img.size[0] > 40 && r.img.size[1] > 20, `${slug}: figure ${JSON.stringify(r.img)}`); }
    }
    await context.close();
    assert.ok(seen.math >= 5 && seen.code >= 2 && seen.figure >= 5, `too few posts with math/code/figures: ${JSON.stringify(seen)}`);
  });

  test("figures zoom on click and on Enter, and Escape closes the zoom", async () => {
    const { context, page } = await openPage();
    for (const slug of posts) {
      await page.goto(url(`/blog/${slug}/`));
      const img = page.locator("d-article img[data-zoomable]").first();
      if (!(await img.count())) continue;
      await img.scrollIntoViewIfNeeded();
      await img.click();
      // The zoom shows the full-size original, which may still be loading.
      const zoomed = async () => page.locator(".lightbox img").waitFor({ state: "visible", timeout: 5000 }).then(() => true, () => false);
      assert.ok(await zoomed(), `${slug}: no zoomed image`);
      await page.keyboard.press("Escape");
      assert.equal(await page.locator(".lightbox").count(), 0);
      await img.focus();
      await page.keyboard.press("Enter");
      assert.ok(await zoomed(), `${slug}: Enter does not zoom`);
      await page.keyboard.press("Escape");
      await context.close();
      return;
    }
    await context.close();
    assert.fail("no post has a zoomable figure");
  });

  test("code and BibTeX boxes have copy buttons", async () => {
    const { context, page } = await openPage();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(url(`/blog/${posts[0]}/`));
    const bib = page.locator(".appendix .code-wrap").last();
    await bib.hover();
    const button = bib.locator(".copy-btn");
    assert.ok(await button.isVisible());
    await button.click();
    // The label changes once the clipboard write (a promise) has resolved.
    const copied = await button
      .evaluate((b) => new Promise((done) => {
        const t0 = performance.now();
        (function poll() {
          if (b.textContent === "Copied" || performance.now() - t0 > 3000) done(b.textContent);
          else requestAnimationFrame(poll);
        })();
      }));
    assert.equal(copied, "Copied");
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(text, /^@\w+\{/);
    await context.close();
  });

  test("the print stylesheet hides the chrome and keeps the references", async () => {
    const { context, page } = await openPage();
    const slug = SHOWCASE.find((s) => posts.includes(s)) || posts[0];
    await page.goto(url(`/blog/${slug}/`));
    await page.emulateMedia({ media: "print" });
    const r = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector(".site-header")).display,
      refs: document.querySelector(".reference-list") && getComputedStyle(document.querySelector(".reference-list")).display,
      bg: getComputedStyle(document.body).backgroundColor,
    }));
    assert.equal(r.header, "none");
    assert.notEqual(r.refs, "none");
    assert.equal(r.bg, "rgb(255, 255, 255)");
    await page.pdf({ path: join(ARTIFACTS, `print-${slug}.pdf`), format: "A4", printBackground: false });
    await context.close();
  });
});

describe("search", { skip: SKIP }, () => {
  test("pressing / opens search; results have titles and excerpts and lead to the post", async () => {
    const { context, page, log } = await openPage();
    await page.goto(url("/blog/"));
    await page.keyboard.press("/");
    const input = page.locator("#bt-search-input");
    await input.waitFor({ state: "visible" });
    assert.ok(await input.evaluate((el) => document.activeElement === el), "the search box is not focused");
    await input.fill("double descent");
    const results = page.locator(".search-results li");
    await results.first().waitFor({ state: "visible" });
    const first = await results.first().evaluate((li) => ({
      title: li.querySelector(".search-result-title")?.textContent,
      excerpt: li.querySelector(".search-result-excerpt")?.textContent,
      href: li.querySelector("a")?.getAttribute("href"),
    }));
    assert.match(first.title, /double descent/i);
    assert.ok(first.excerpt && first.excerpt.length > 20, "no excerpt");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/blog\/[^/]+\//);
    assert.ok(page.url().includes("/blog/double-descent-demystified/"), page.url());
    figures.search = { index_bytes: log.bytes.fetch || 0, first };
    await page.goBack();
    await page.keyboard.press("/");
    await input.fill("zzzzqqqq");
    await page.locator(".search-status").filter({ hasText: "No posts" }).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(await input.isVisible(), false, "Escape does not close search");
    assert.deepEqual(log.themeErrors, []);
    await context.close();
  });

  test("the search page also searches the other years served beside it, labelled by year", async () => {
    const { context, page, log } = await openPage();
    const other = JSON.parse(readFileSync(join(site.tmp, "2023", "search", "index.json"), "utf8"));
    const own = JSON.parse(readFileSync(join(site.root, "search", "index.json"), "utf8"));
    assert.deepEqual(own.also.map((y) => y.label).sort(), ["2023", "2025", "2026"]);
    const target = other.posts[0];
    await page.goto(url(`/search/?q=${encodeURIComponent(target.title)}`));
    const hit = page.locator(".search-results li").filter({ hasText: target.title }).first();
    await hit.waitFor({ state: "visible" });
    const found = await hit.evaluate((li) => ({
      href: li.querySelector(".search-result-title").getAttribute("href"),
      meta: li.querySelector(".search-result-meta").textContent,
    }));
    assert.equal(found.href, target.url);
    assert.ok(found.href.startsWith("/2023/"), found.href);
    assert.match(found.meta, /^2023 · /);
    const status = await page.locator(".search-status").innerText();
    assert.match(status, /(2026, 2025|2025, 2026): not searched, their index could not be loaded/);
    assert.deepEqual(log.external, []);
    assert.deepEqual(log.themeErrors, []);
    figures.search_years = { searched: ["2024", "2023"], unavailable: ["2026", "2025"], found_2023: found };
    await context.close();
  });

  test("the search page says what to do without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url("/search/"));
    assert.match(await page.locator("main").innerText(), /JavaScript/);
    assert.ok(await page.locator("main a[href$='/blog/']").count());
    await context.close();
  });
});

describe("accessibility", { skip: SKIP }, () => {
  test("axe-core finds no violations in the theme (author content reported separately)", async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const pages = ["/blog/", "/search/", ...["distill-example", "diffusion-theory-from-scratch"].filter((s) => posts.includes(s)).map((s) => `/blog/${s}/`)];
    const themeViolations = [];
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await openPage({ scheme });
      for (const p of pages) {
        await page.goto(url(p));
        await page.addScriptTag({ content: axe });
        const found = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
          const split = { theme: [], author: [] };
          for (const v of r.violations) {
            for (const side of ["theme", "author"]) {
              const nodes = v.nodes.filter((n) => {
                const el = document.querySelector(n.target[0]);
                const inBody = !!(el && el.closest("d-article, .page .prose"));
                return side === "author" ? inBody : !inBody;
              });
              if (nodes.length) split[side].push({ id: v.id, impact: v.impact, nodes: nodes.length, help: v.help, targets: nodes.slice(0, 3).map((n) => n.target.join(" ")) });
            }
          }
          return split;
        });
        const { theme, author } = found;
        figures.axe[`${scheme} ${p}`] = { theme, author };
        themeViolations.push(...theme.map((v) => `${scheme} ${p}: ${v.id} (${v.nodes}) ${v.targets.join(" | ")}`));
      }
      await context.close();
    }
    assert.deepEqual(themeViolations, []);
  });

  test("pages have lang, landmarks, a skip link that works, and MathML for screen readers", async () => {
    const { context, page } = await openPage();
    const slug = SHOWCASE.find((s) => posts.includes(s)) || posts[0];
    await page.goto(url(`/blog/${slug}/`));
    assert.equal(await page.getAttribute("html", "lang"), "en");
    for (const sel of ["header.site-header", "nav.site-nav", "main#bt-main", "footer.site-footer"]) {
      assert.equal(await page.locator(sel).count(), 1, sel);
    }
    await page.keyboard.press("Tab");
    const skip = page.locator(".skip-link");
    assert.ok(await skip.evaluate((a) => document.activeElement === a), "the first Tab does not reach the skip link");
    assert.ok(await skip.isVisible(), "the focused skip link is not visible");
    await page.keyboard.press("Enter");
    assert.equal(new URL(page.url()).hash, "#bt-main");
    const math = await page.evaluate(() => {
      const m = document.querySelector("d-article math");
      return m && { ns: m.namespaceURI, hasTex: !!m.querySelector("annotation[encoding='application/x-tex']") };
    });
    assert.ok(math, "no math on the page");
    assert.equal(math.ns, "http://www.w3.org/1998/Math/MathML");
    await context.close();
  });
});

/** In the page: the layout facts issue 17 asks for — equation tags cut off by their box or the
 * window, iframes (and images that were iframes) not at their authored size or not centred. */
function layoutFacts() {
  const vw = document.documentElement.clientWidth;
  const clippedTags = [];
  for (const tag of document.querySelectorAll("d-article .eqno")) {
    const r = tag.getBoundingClientRect();
    if (r.width === 0) continue;
    let box = null;
    for (let a = tag.parentElement; a && a.tagName !== "MAIN"; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") { box = a.getBoundingClientRect(); break; }
    }
    const within = (b) => r.left >= b.left - 1 && r.right <= b.right + 1;
    if (!within({ left: 0, right: vw }) || (box && !within(box))) clippedTags.push(`${tag.textContent} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  const frames = [];
  for (const f of document.querySelectorAll("d-article iframe, d-article img.from-iframe")) {
    const r = f.getBoundingClientRect();
    if (r.width === 0 || f.closest("details:not([open])")) continue;
    const parent = f.parentElement;
    const ps = getComputedStyle(parent);
    const pr = parent.getBoundingClientRect();
    const inner = { left: pr.left + parseFloat(ps.paddingLeft) + parseFloat(ps.borderLeftWidth), right: pr.right - parseFloat(ps.paddingRight) - parseFloat(ps.borderRightWidth) };
    const w = /^\d+(\.\d+)?(px)?$/.test(f.getAttribute("width") || "") ? parseFloat(f.getAttribute("width")) : null;
    const h = /^\d+(\.\d+)?(px)?$/.test(f.getAttribute("height") || "") ? parseFloat(f.getAttribute("height")) : null;
    const styled = /width/.test(f.getAttribute("style") || "");
    const fact = { what: `${f.tagName.toLowerCase()} ${f.getAttribute("src")}`, width: Math.round(r.width), height: Math.round(r.height), w, h, problems: [] };
    if (w !== null && !styled && Math.abs(r.width - Math.min(w, inner.right - inner.left)) > 2) fact.problems.push(`width ${r.width} for authored ${w}`);
    if (h !== null && f.tagName === "IFRAME" && r.height < Math.min(h, 4000) - 2) fact.problems.push(`height ${r.height} for authored ${h}`);
    if (ps.display === "block" && r.width < inner.right - inner.left - 4 && Math.abs((r.left + r.right) / 2 - (inner.left + inner.right) / 2) > 2 && getComputedStyle(f).float === "none") fact.problems.push("not centred");
    frames.push(fact);
  }
  return { clippedTags, frames };
}

describe("authors' content cannot break the page (issue 17)", { skip: SKIP }, () => {
  test("at 375, 1280 and 1440 px nothing is wider than the window, no equation tag is cut off, iframes keep their authored size", async () => {
    let tags = 0, frames = 0;
    for (const [width, height] of [[375, 740], [1280, 800], [1440, 900]]) {
      const { context, page, log } = await openPage({ width, height });
      for (const slug of posts) {
        log.missing.length = 0;
        await page.goto(url(`/blog/${slug}/`), { waitUntil: "load" });
        const facts = await page.evaluate(layoutFacts);
        tags += await page.locator("d-article .eqno").count();
        frames += facts.frames.length;
        assert.deepEqual(facts.clippedTags, [], `${slug} at ${width} px: equation tags cut off`);
        for (const f of facts.frames) assert.deepEqual(f.problems, [], `${slug} at ${width} px: ${f.what}`);
        if (width === 375) continue; // the 375 px overflow test above checks every element
        const found = await page.evaluate(findOverflow, log.missing);
        assert.ok(found.page <= 0, `${slug} at ${width} px: the page scrolls sideways by ${found.page}px`);
        assert.equal(found.count, 0, `${slug} at ${width} px: ${found.count} elements overflow: ${found.bad.join(", ")}`);
      }
      await context.close();
    }
    figures.layout_checked = { equation_tags: tags, iframes: frames };
    assert.ok(tags > 30 && frames > 10, `only ${tags} equation tags and ${frames} iframes checked`);
  });

  test("at 1280×800 the first screen shows body text, the TOC beside it; on a phone the TOC is folded", async () => {
    const { context, page } = await openPage({ width: 1280, height: 800 });
    const late = [];
    for (const slug of posts) {
      await page.goto(url(`/blog/${slug}/`));
      const f = await page.evaluate(() => {
        const first = [...document.querySelectorAll("d-article > *")].find((el) => el.getBoundingClientRect().height > 0);
        const toc = document.querySelector("nav.toc")?.getBoundingClientRect();
        const art = document.querySelector("d-article").getBoundingClientRect();
        return { top: first ? first.getBoundingClientRect().top : Infinity, toc: toc && { right: toc.right, top: toc.top }, left: art.left };
      });
      if (f.top >= 800 - 24) late.push(`${slug} (${Math.round(f.top)} px)`);
      if (f.toc) {
        assert.ok(f.toc.right <= f.left, `${slug}: the TOC (right edge ${f.toc.right}) overlaps the text (${f.left})`);
        assert.ok(f.toc.top < 800, `${slug}: the TOC starts below the first screen`);
      }
    }
    await context.close();
    figures.first_screen_without_text_1280 = late;
    assert.deepEqual(late, [], "posts whose first screen at 1280×800 has no body text");
    const phone = await openPage({ width: 375, height: 740 });
    await phone.page.goto(url("/blog/bench-hvp/"));
    assert.equal(await phone.page.locator("nav.toc details").getAttribute("open"), null, "the TOC is open on a phone");
    await phone.page.locator("nav.toc summary").click();
    assert.ok(await phone.page.locator("nav.toc a").first().isVisible(), "the folded TOC does not open");
    await phone.context.close();
  });

  test("hostile author CSS leaves the theme's elements unchanged and readable (contrast ≥ 4.5:1)", async () => {
    const HOSTILE = "a{color:#87CEFA} *{font-size:30px} figure{margin:-100%}";
    const demo = resolve(repo, "demo");
    for (const [name, hostile] of [["demo-clean", false], ["demo-hostile", true]]) {
      const src = join(site.tmp, `src-${name}`);
      cpSync(demo, src, { recursive: true });
      const cfg = join(src, "_config.yml");
      writeFileSync(cfg, readFileSync(cfg, "utf8").replace(/^baseurl: .*$/m, `baseurl: /${name}`));
      if (hostile) {
        const postFile = join(src, "_posts", readdirSync(join(src, "_posts")).find((f) => f.endsWith(".md")));
        let text = readFileSync(postFile, "utf8");
        assert.match(text, /^_styles: >$/m, "the demo post has no _styles to extend");
        text = text.replace(/^_styles: >$/m, `_styles: >\n  ${HOSTILE}`);
        const end = text.indexOf("\n---", 4) + 4;
        text = `${text.slice(0, end)}\n\n<style>${HOSTILE}</style>\n${text.slice(end)}`;
        writeFileSync(postFile, text);
      }
      execFileSync(BIN, ["build", src, "-o", join(site.tmp, name)], { stdio: ["ignore", "ignore", "pipe"] });
    }
    const blog = join(site.tmp, "demo-clean", "blog");
    const slug = readdirSync(blog).find((d) => existsSync(join(blog, d, "index.html"))
      && readFileSync(join(blog, d, "index.html"), "utf8").includes('<main id="bt-main" class="post"'));
    const probe = () => {
      const lum = (c) => {
        const v = c.match(/[\d.]+/g).slice(0, 3).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
      };
      const bgOf = (el) => {
        for (; el; el = el.parentElement) {
          const b = getComputedStyle(el).backgroundColor, a = b.match(/[\d.]+/g);
          if (a.length < 4 || Number(a[3]) > 0.5) return b;
        }
        return "rgb(255, 255, 255)";
      };
      const out = {};
      // Outside the article everything must be identical; markers inside it keep their colour
      // (their size follows the author's text).
      const outside = [".site-title", ".post-title", ".byline .author", ".byline-label", ".toc", ".toc a", ".toc-title", ".appendix h2", ".reference-list li", ".fn-back", ".site-footer"];
      for (const sel of [...outside, ".cite-marker", ".fn-marker"]) {
        const els = [...document.querySelectorAll(sel)].slice(0, 4);
        out[sel] = els.map((el) => {
          const s = getComputedStyle(el), r = el.getBoundingClientRect();
          const a = lum(s.color), b = lum(bgOf(el));
          const fact = { color: s.color, contrast: Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100 };
          if (outside.includes(sel)) Object.assign(fact, { size: s.fontSize, left: Math.round(r.left), width: Math.round(r.width) });
          return fact;
        });
      }
      return { out, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    };
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await openPage({ width: 1280, height: 800, scheme });
      await page.goto(`${server.origin}/demo-clean/blog/${slug}/`);
      const clean = await page.evaluate(probe);
      await page.goto(`${server.origin}/demo-hostile/blog/${slug}/`);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("d-article p")).fontSize), "30px", "the hostile CSS did not reach the author's own text");
      const hostile = await page.evaluate(probe);
      await page.screenshot({ path: join(ARTIFACTS, `hostile-css-1280-${scheme}.png`) });
      await context.close();
      assert.ok(clean.out[".cite-marker"].length > 0 && clean.out[".fn-marker"].length > 0 && clean.out[".toc a"].length > 0, "the demo post has no markers or TOC to check");
      assert.deepEqual(hostile.out, clean.out, `${scheme}: the theme's elements changed under hostile author CSS`);
      for (const [sel, facts] of Object.entries(hostile.out)) {
        for (const f of facts) assert.ok(f.contrast >= 4.5, `${scheme}: ${sel} contrast ${f.contrast}`);
      }
      assert.ok(hostile.sideways <= 0, `${scheme}: the page scrolls sideways by ${hostile.sideways}px`);
    }
  });
});

describe("screenshots", { skip: SKIP }, () => {
  test("showcase posts at 1440, 1280 and 375 px, light and dark", async () => {
    const dir = join(ARTIFACTS, "screenshots");
    mkdirSync(dir, { recursive: true });
    const targets = [...SHOWCASE.filter((s) => posts.includes(s)).map((s) => [s, `/blog/${s}/`]), ["blog-index", "/blog/"]];
    for (const [width, height] of [[1440, 900], [1280, 800], [375, 740]]) {
      for (const scheme of ["light", "dark"]) {
        const { context, page, log } = await openPage({ width, height, scheme });
        for (const [name, p] of targets) {
          await page.goto(url(p));
          await scrollThrough(page);
          await page.waitForLoadState("networkidle").catch(() => {});
          const full = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.screenshot({
            path: join(dir, `${name}-${width}-${scheme}.png`),
            fullPage: true,
            clip: { x: 0, y: 0, width, height: Math.min(full, width > 500 ? 5000 : 7000) },
          });
        }
        assert.deepEqual(log.themeErrors, []);
        await context.close();
      }
    }
  });
});
