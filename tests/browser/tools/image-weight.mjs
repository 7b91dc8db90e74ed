// Image bytes a reader downloads per post at one window width (default 375 px, device pixel
// ratio 1), after scrolling through the whole post so lazy images load: the figure the issue-17
// responsive images are judged by. Prints every post and the heaviest; compare two builds by
// running it on each.
//
//   node tools/image-weight.mjs <dir> [width]     # <dir> holds the built site under 2024/
//
// Environment: CHROMIUM (default /usr/bin/chromium), BASE (default /2024).

import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

const [dir, widthArg] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node tools/image-weight.mjs <dir> [width]");
  process.exit(2);
}
const width = Number(widthArg || 375);
const BASE = process.env.BASE || "/2024";
const root = join(dir, BASE);
const server = await serve(dir, `${BASE}/404.html`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const slugs = readdirSync(join(root, "blog"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "blog", d.name, "index.html")))
  .map((d) => d.name)
  .sort();
const rows = [];
for (const slug of slugs) {
  const context = await browser.newContext({ viewport: { width, height: 740 }, deviceScaleFactor: 1 });
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  let bytes = 0, count = 0;
  // Every body is awaited before the page closes (counting in the handler alone lost the
  // responses still being read when the context closed, and the totals moved between runs).
  const pending = [];
  page.on("response", (r) => {
    if (r.request().resourceType() !== "image" || r.request().frame() !== page.mainFrame()) return;
    pending.push(r.body().then((b) => { bytes += b.length; count += 1; }, () => { /* aborted */ }));
  });
  await page.goto(`${server.origin}${BASE}/blog/${slug}/`, { waitUntil: "load" });
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 60));
    }
  });
  await page.waitForLoadState("networkidle").catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  await Promise.all(pending);
  rows.push({ slug, images: count, bytes });
  await context.close();
}
await browser.close();
await server.close();
rows.sort((a, b) => b.bytes - a.bytes);
for (const r of rows) console.log(`${(r.bytes / 1e6).toFixed(2).padStart(7)} MB  ${String(r.images).padStart(3)} images  ${r.slug}`);
const total = rows.reduce((n, r) => n + r.bytes, 0);
console.log(`heaviest at ${width} px: ${rows[0]?.slug} ${(rows[0]?.bytes / 1e6).toFixed(2)} MB; all posts ${(total / 1e6).toFixed(1)} MB`);
