// Runs the injected live-reload client against stubbed browser APIs and prints what it did.
// Usage: node live_client_sim.js <file holding the script body>
const src = require('fs').readFileSync(process.argv[2], 'utf8');
const sources = [], delays = [], store = {};
let reloads = 0, scrolled = null;
global.EventSource = function (url) { this.url = url; this.closed = false; this.close = () => { this.closed = true; }; sources.push(this); };
global.location = { pathname: '/2024/blog/x/', reload: () => { reloads++; } };
global.sessionStorage = { getItem: k => (k in store ? store[k] : null), setItem: (k, v) => { store[k] = v; }, removeItem: k => { delete store[k]; } };
global.setTimeout = (f, d) => { delays.push(d); f(); };
global.addEventListener = () => {};
global.window = { scrollTo: (x, y) => { scrolled = [x, y]; } };
global.scrollX = 0; global.scrollY = 640;
const tok = src.match(/var tok="([^"]*)"/)[1];
const last = () => sources[sources.length - 1];
eval(src);
last().onopen();
last().onmessage({ data: tok });
const sameTokenReloads = reloads;
for (let i = 0; i < 7; i++) last().onerror();
const backoff = delays.slice();
last().onopen();
last().onerror();
const afterOpen = delays[delays.length - 1];
last().onmessage({ data: 'restarted-1' });
const saved = store['__blogtrack_scroll:/2024/blog/x/'];
eval(src);
console.log(JSON.stringify({
  url: sources[0].url, sameTokenReloads, backoff, afterOpen, reloads, saved,
  restored: scrolled, storageLeft: Object.keys(store).length,
}));
