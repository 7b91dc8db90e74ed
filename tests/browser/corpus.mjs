// Whether the browser tests that need the real corpora can run, and the one way they say they
// were skipped: the same rules and message as the Rust tests' `blogtrack-testcorpus` crate.
// The tracks come from CORPUS / CORPUS_2023 (default: iclr-2024/ and iclr-2023/ in
// BLOGTRACK_CORPUS, else in ../shared/corpus next to the repository; scripts/fetch-corpus
// fetches them). When one is absent the message
// goes to stderr and to the file named by BLOGTRACK_SKIP_LOG (scripts/test lists it at the end);
// with BLOGTRACK_REQUIRE_CORPUS=1 (CI) an absent corpus is an error instead.

import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/** `false` when every track in `dirs` has a `_posts/` folder, else the reason `what` is skipped. */
export function corpusSkip(what, dirs) {
  const missing = dirs.filter((d) => !existsSync(join(d, "_posts")));
  if (missing.length === 0) return false;
  const line =
    `skipped: ${what} needs the corpus (iclr-2023/ and iclr-2024/ with _posts/), not found at ` +
    `${missing.join(", ")}; run scripts/fetch-corpus or set BLOGTRACK_CORPUS`;
  const required = process.env.BLOGTRACK_REQUIRE_CORPUS;
  if (required && required !== "0") {
    throw new Error(`BLOGTRACK_REQUIRE_CORPUS is set and the corpus is absent: ${line}`);
  }
  process.stderr.write(line + "\n");
  if (process.env.BLOGTRACK_SKIP_LOG) {
    try {
      appendFileSync(process.env.BLOGTRACK_SKIP_LOG, line + "\n");
    } catch {
      // The log is a convenience for scripts/test; the line above was printed either way.
    }
  }
  return line;
}
