// Compares two builds of the same posts in Chromium, JavaScript off: the layout box of every
// MathML element and a full-page screenshot at 1280 px. Used to check that a change to the
// MathML writer (crates/math/src/slim.rs) draws every formula exactly as before.
//
// Usage: node tools/compare-builds.mjs <dirA> <dirB> <slug>...  where each dir holds the site
// under 2024/ (e.g. blogtrack build CORPUS -o <dirA>/2024 with the old and the new binary).
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";
const [dirA, dirB, ...posts] = process.argv.slice(2);
// SELECTOR=body* compares every element of the page instead of the formulas only.
const SELECTOR = process.env.SELECTOR === "body*" ? "body *" : "math, math *";
const [A, B] = [await serve(dirA, "/2024/404.html"), await serve(dirB, "/2024/404.html")];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const slug of posts) {
  const res = [];
  for (const s of [A, B]) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce", javaScriptEnabled: false });
    await ctx.route("**/*", (r) => new URL(r.request().url()).hostname === "127.0.0.1" ? r.continue() : r.abort());
    const page = await ctx.newPage();
    await page.goto(`${s.origin}/2024/blog/${slug}/`, { waitUntil: "load" });
    const boxes = await page.evaluate((sel) => [...document.querySelectorAll(sel)].filter((e) => e.localName !== "annotation" && !e.closest("annotation")).map((e) => { const r = e.getBoundingClientRect(); return [e.localName, e.className && e.className.baseVal === undefined ? e.className : "", r.x, r.y, r.width, r.height].join(","); }), SELECTOR);
    let shot = Buffer.from("x"); try { shot = await page.screenshot({ fullPage: true, timeout: 60000 }); } catch { shot = Buffer.from("timeout"); }
    res.push({ boxes, shot }); await ctx.close();
  }
  let diff = 0;
  const n = Math.max(res[0].boxes.length, res[1].boxes.length);
  for (let i = 0; i < n; i++) if (res[0].boxes[i] !== res[1].boxes[i]) { if (diff++ < 3) console.log(" ", res[0].boxes[i], "|", res[1].boxes[i]); }
  console.log(slug, "elements", res[0].boxes.length, res[1].boxes.length, "boxes differing", diff, "screenshot identical", res[0].shot.equals(res[1].shot));
}
await browser.close(); await A.close(); await B.close();
