// The oracle: MathJax 3.2.0 (the version the old al-folio sites loaded), run in Node, so that
// blogtrack-math can be compared with what a reader of the old site saw. Dev-only; the build
// never runs it. See ../README.md ("Coverage against MathJax") and run.sh.
//
//   node mathjax.js check    < formulas.jsonl > verdicts.jsonl
//       each input line {"group": "...", "tex": "...", "display": true|false} gives one output
//       line {"ok": true} or {"ok": false, "error": "..."}. Consecutive lines of the same group
//       (one post) share one MathJax document, so macros and labels carry over as on the page.
//   node mathjax.js commands > probes.jsonl
//       for every macro and environment of the packages below, the first probe expression that
//       MathJax renders without error: {"package", "kind", "name", "probes": [...]} (all accepted
//       probes, in order; empty when none of the shapes fits).
//
// Configuration: the old site's `tex-mml-chtml.js` with `tags: 'ams'` (packages base, ams,
// newcommand, require, and what its autoload package loads on first use; here all loaded up
// front, with `\require{…}` a no-op), without
// `noundefined` (an undefined macro counts as an error here, where the page showed it in red),
// plus mathtools (which the old site loaded only after `\require{mathtools}`), and without
// bussproofs (proof trees: it needs an output jax that measures boxes; no post uses it).
'use strict';

const readline = require('readline');
const { mathjax } = require('mathjax-full/js/mathjax.js');
const { TeX } = require('mathjax-full/js/input/tex.js');
const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
const { STATE } = require('mathjax-full/js/core/MathItem.js');
const { ConfigurationHandler } = require('mathjax-full/js/input/tex/Configuration.js');
const { MapHandler } = require('mathjax-full/js/input/tex/MapHandler.js');

const PACKAGES = [
  'base', 'ams', 'newcommand', 'configmacros', 'action', 'amscd', 'bbox', 'boldsymbol', 'braket',
  'cancel', 'color', 'enclose', 'extpfeil', 'html', 'mhchem', 'unicode', 'verb',
  'mathtools',
];
for (const p of PACKAGES) {
  const file = {
    base: 'base/BaseConfiguration', ams: 'ams/AmsConfiguration',
    newcommand: 'newcommand/NewcommandConfiguration',
    configmacros: 'configmacros/ConfigMacrosConfiguration',
    action: 'action/ActionConfiguration', amscd: 'amscd/AmsCdConfiguration',
    bbox: 'bbox/BboxConfiguration', boldsymbol: 'boldsymbol/BoldsymbolConfiguration',
    braket: 'braket/BraketConfiguration',
    cancel: 'cancel/CancelConfiguration', color: 'color/ColorConfiguration',
    enclose: 'enclose/EncloseConfiguration', extpfeil: 'extpfeil/ExtpfeilConfiguration',
    html: 'html/HtmlConfiguration', mhchem: 'mhchem/MhchemConfiguration',
    unicode: 'unicode/UnicodeConfiguration', verb: 'verb/VerbConfiguration',
    mathtools: 'mathtools/MathtoolsConfiguration',
  }[p];
  require(`mathjax-full/js/input/tex/${file}.js`);
}

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

function newDocument() {
  const tex = new TeX({
    packages: PACKAGES,
    tags: 'ams',
    // Every package `\require` could load is loaded already (Node has no loader).
    macros: { require: ['', 1] },
  });
  return mathjax.document('', { InputJax: tex });
}

// A TeX error becomes an `merror` node, as on the page (MathJax's own error handling, so the
// document's state after an error is the page's too).
function convert(doc, tex, display) {
  let root;
  try {
    root = doc.convert(tex, { display, end: STATE.COMPILED });
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e).replace(/\s+/g, ' ') };
  }
  let error = null;
  root.walkTree((node) => {
    if (error === null && node.isKind('merror')) {
      error = String(node.attributes.get('data-mjx-error') || 'error');
    }
  });
  return error === null ? { ok: true } : { ok: false, error };
}

// The page's MathJax read text nodes, where the browser had decoded character references.
function decodeEntities(tex) {
  const named = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: '\u00a0' };
  return tex.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return named[e] !== undefined ? named[e] : all;
  });
}

async function check() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let group = null;
  let doc = null;
  for await (const line of rl) {
    if (!line.trim()) continue;
    const f = JSON.parse(line);
    if (doc === null || f.group !== group) {
      group = f.group;
      doc = newDocument();
    }
    process.stdout.write(JSON.stringify(convert(doc, decodeEntities(f.tex), !!f.display)) + '\n');
  }
}

// Shapes tried for a macro `\N`, in order: arguments, delimiters, infix use, use inside an
// environment. The first ones MathJax accepts are the probes for that command.
const MACRO_SHAPES = [
  'N', 'N{red}', 'N{red}{x}', 'N{red}{blue}{x}', 'N{x}', 'N{x}{y}', 'N{x}{y}{z}', 'N{x}{y}{z}{w}', 'N{x}{y}{z}{w}{v}', 'N(', 'N|',
  '\\left(x N)', '\\left(x N|y\\right)', 'N(x\\right)', '{x N y}', 'N[x]{y}',
  '\\begin{array}{c}x N y\\end{array}', '\\sum N_x', 'N=', 'N{1em}', 'N 1em', 'N 1em x', 'N{1mu}', 'N 1mu',
  'N{1em}{1em}', 'N{1em}{1em}{1em}', 'N{1em}{x}', 'N x\\over y', 'N(){0pt}{0}{x}{y}', 'N|x|',
  'N{65}', 'N\\foo{x}', 'N\\foo=x', 'N{\\foo}{x}', 'N{x}{rgb}{1,0,0}', 'N{mi}{x}',
  '\\begin{multline}a\\\\N{x}\\\\b\\end{multline}', '\\begin{align}a\\\\N{x}b\\end{align}',
];
const ENV_SHAPES = [
  '', '{c}', '{2}', '[c]', '{x}', '{x}{y}', '{c}{x}',
];

function names(pkg, kind) {
  const conf = ConfigurationHandler.get(pkg);
  const out = new Set();
  if (!conf) return out;
  for (const mapName of conf.handler[kind] || []) {
    const map = MapHandler.getMap(mapName);
    if (map && map.map instanceof Map) {
      for (const k of map.map.keys()) out.add(k);
    }
  }
  return out;
}

function commands() {
  const seen = new Set();
  for (const pkg of PACKAGES) {
    if (pkg === 'configmacros') continue;
    for (const kind of ['macro', 'environment']) {
      for (const name of [...names(pkg, kind)].sort()) {
        const key = `${kind}:${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const shapes =
          kind === 'macro'
            ? MACRO_SHAPES.map((s) => s.replace('N', `\\${name}${/^[a-zA-Z]/.test(name) ? ' ' : ''}`))
            : ENV_SHAPES.map((a) => `\\begin{${name}}${a}x\\end{${name}}`);
        const probes = shapes.filter((tex) => convert(newDocument(), tex, true).ok);
        process.stdout.write(JSON.stringify({ package: pkg, kind, name, probes }) + '\n');
      }
    }
  }
}

const mode = process.argv[2];
if (mode === 'check') {
  check().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else if (mode === 'commands') {
  commands();
} else {
  console.error('usage: node mathjax.js check|commands (see the comment at the top)');
  process.exit(2);
}
