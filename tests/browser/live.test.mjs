// `blogtrack serve` in a real browser: the warnings panel and the error overlay of the live
// preview (issue 15). Needs no corpus: the track is the one `blogtrack init` writes, plus a post
// whose front matter has a typo (`autors:`, a warning) that the test edits while the page is open.
//
// Checked: the panel shows in a corner with the number of warnings, opens into the list, can be
// dismissed and stays dismissed across reloads of the same warnings; a new warning brings it back
// (the page reloads by itself); an error shows the overlay on top while the panel stays; fixing
// everything removes both. No console errors.
//
// Environment: BLOGTRACK_BIN (the binary; run.sh builds it), CHROMIUM (default /usr/bin/chromium).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const BIN = process.env.BLOGTRACK_BIN || resolve(repo, "target/release/blogtrack");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

const POST = "_posts/2026-04-27-panel-test.md";
const postText = (extra = "", body = "") =>
  `---\nlayout: distill\ntitle: Panel test\ndescription: A post for the warnings panel.\nautors: typo\n${extra}---\n\n## One\n\nText.${body}\n`;

let tmp, track, server, url, browser;

/** Starts `blogtrack serve` on a free port and resolves with the site's URL. */
function startServe(dir) {
  return new Promise((ok, fail) => {
    const p = spawn(BIN, ["serve", dir, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`serve did not start:\n${out}`)), 60000);
    const seen = (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok({ process: p, url: m[1] });
      }
    };
    p.stdout.on("data", seen);
    p.stderr.on("data", seen);
    p.on("exit", (code) => fail(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "blogtrack-live-"));
  track = join(tmp, "track");
  execFileSync(BIN, ["init", track, "-q"]);
  writeFileSync(join(track, POST), postText());
  const s = await startServe(track);
  server = s.process;
  url = s.url.replace(/\/$/, "");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Rewrites the post and waits for the open page to reload with the new build. */
async function edit(page, text) {
  const reloaded = page.waitForEvent("load", { timeout: 30000 });
  writeFileSync(join(track, POST), text);
  await reloaded;
}

describe("serve in the browser", () => {
  test("warnings show in a small dismissable panel; errors keep the overlay", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${url}/blog/panel-test/`);

    const panel = page.locator("#__blogtrack-warnings");
    await panel.waitFor({ state: "visible" });
    assert.match(await panel.locator("summary").innerText(), /the last build has 1 warning$/);
    // Small and in a corner: it covers little of the page.
    const box = await panel.boundingBox();
    assert.ok(box.width <= 560 && box.height < 80, `panel is ${box.width}x${box.height}`);
    assert.ok(box.x + box.width > 1200 && box.y + box.height > 850, "bottom right corner");
    assert.equal(await page.locator("#__blogtrack-overlay").count(), 0, "no overlay for warnings");

    // Opening it lists the warning with its place and rule.
    await panel.locator("summary").click();
    const list = await panel.locator("ol").innerText();
    assert.match(list, /_posts\/2026-04-27-panel-test\.md:5/);
    assert.match(list, /warning\[front-matter-unknown-key\]/);

    // Dismissed, it stays away when the same warnings come back (a reload).
    await panel.getByRole("button", { name: "Dismiss the warnings" }).click();
    assert.equal(await panel.count(), 0);
    await page.reload();
    await page.waitForLoadState("load");
    assert.equal(await page.locator("#__blogtrack-warnings").count(), 0, "still dismissed");

    // A new warning: the page reloads by itself and the panel is back, with both.
    await edit(page, postText("", "\n\nSee <d-cite key=\"nosuchkey\"></d-cite>."));
    await panel.waitFor({ state: "visible" });
    assert.match(await panel.locator("summary").innerText(), /2 warnings$/);

    // An error: the overlay on top, the panel still in its corner.
    await edit(page, postText("date: [unclosed\n"));
    await page.locator("#__blogtrack-overlay").waitFor({ state: "visible" });
    assert.match(await page.locator("#__blogtrack-overlay").innerText(), /yaml/i);
    const overlay = await page.locator("#__blogtrack-overlay").boundingBox();
    assert.ok(overlay.y === 0, "the overlay sits at the top");

    // Everything fixed: neither is shown.
    await edit(page, postText().replace("autors: typo\n", ""));
    await page.waitForFunction(() => !document.getElementById("__blogtrack-overlay"));
    assert.equal(await page.locator("#__blogtrack-warnings").count(), 0);
    assert.deepEqual(errors, [], "no console errors");
    await context.close();
  });
});
