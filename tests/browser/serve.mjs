// A tiny static file server for the browser suite: serves one folder on 127.0.0.1 the way
// GitHub Pages serves a built site (a folder's index.html, the site's 404.html with status 404).
// It is not the dev server: no live reload, no rebuilds; it only has to be faithful and local.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".pdf": "application/pdf",
  ".woff2": "font/woff2",
};

async function fileAt(path) {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return fileAt(join(path, "index.html"));
    return s.isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * Serves `root` on 127.0.0.1 at a free port. `notFound` is the site path of the 404 page
 * (e.g. `/2024/404.html`). Resolves to `{ origin, close }`.
 */
export function serve(root, notFound) {
  const base = normalize(root + sep);
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const full = normalize(join(base, path));
    let file = full.startsWith(base) ? await fileAt(full) : null;
    let status = 200;
    if (!file) {
      status = 404;
      file = notFound ? await fileAt(join(base, notFound)) : null;
    }
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const body = await readFile(file);
    res.writeHead(status, {
      "content-type": TYPES[extname(file).toLowerCase()] || "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}
