/* blogtrack theme script: progressive enhancement only. Every page reads completely without it.
   Adds: the dark-mode toggle, hover-card placement plus tap and Escape handling, copy buttons on
   code and citation boxes, an image lightbox for [data-zoomable], closing the nav dropdown,
   Mermaid rendering when the page bundles Mermaid, the search panel (`/`), a reading-progress
   bar on posts and the highlighted TOC entry of the section being read. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  root.classList.add("js");

  function ready(fn) {
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function stored() {
    try { return localStorage.getItem("theme"); } catch (e) { return null; }
  }

  function systemTheme() {
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  /* ---------- Dark mode ---------- */
  function setupThemeToggle() {
    var button = doc.querySelector(".theme-toggle");
    if (!button) return;
    function current() {
      var t = root.getAttribute("data-theme");
      return t === "dark" || t === "light" ? t : systemTheme();
    }
    function label() {
      var next = current() === "dark" ? "light" : "dark";
      button.setAttribute("aria-label", "Switch to " + next + " mode");
      button.setAttribute("title", "Switch to " + next + " mode");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: not persisted */ }
      label();
      document.dispatchEvent(new CustomEvent("themechange", { detail: next }));
    });
    if (window.matchMedia) {
      var mq = matchMedia("(prefers-color-scheme: dark)");
      var follow = function () {
        var s = stored();
        if (s !== "light" && s !== "dark") { root.setAttribute("data-theme", systemTheme()); label(); }
      };
      if (mq.addEventListener) mq.addEventListener("change", follow);
    }
  }

  /* ---------- Hover cards ---------- */
  var narrow = window.matchMedia ? matchMedia("(max-width: 699px)") : { matches: false };

  function place(card) {
    if (narrow.matches) { card.style.left = ""; card.style.top = ""; return; }
    var wrap = card.parentElement;
    var marker = wrap && wrap.querySelector("a");
    var parent = card.offsetParent;
    if (!marker || !parent) return;
    card.style.left = "0px";
    card.style.top = "0px";
    var m = marker.getBoundingClientRect();
    var p = parent.getBoundingClientRect();
    var w = card.offsetWidth, h = card.offsetHeight;
    var vw = root.clientWidth, vh = window.innerHeight;
    var x = Math.max(8, Math.min(m.left - 16, vw - w - 8));
    var y = m.bottom + 4;
    if (y + h > vh - 8 && m.top - h - 10 > 8) y = m.top - h - 10;
    card.style.left = (x - p.left - parent.clientLeft + parent.scrollLeft) + "px";
    card.style.top = (y - p.top - parent.clientTop + parent.scrollTop) + "px";
  }

  function closeAll(except) {
    var open = doc.querySelectorAll(".hover-card.is-open");
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].classList.remove("is-open");
  }

  function setupHoverCards() {
    // Citation cards carry only the ids of their references: copy each entry of the References
    // list in (the formatted reference is written once per page, not once per marker).
    var filled = doc.querySelectorAll(".hover-card[data-refs]");
    for (var f = 0; f < filled.length; f++) {
      var ids = filled[f].getAttribute("data-refs").split(" ");
      for (var r = 0; r < ids.length; r++) {
        var entry = doc.getElementById(ids[r]);
        if (!entry) continue;
        var ref = doc.createElement("span");
        ref.className = "hover-ref";
        ref.innerHTML = entry.innerHTML;
        filled[f].appendChild(ref);
      }
    }
    var cards = doc.querySelectorAll(".citation > .hover-card, .footnote > .hover-card");
    var lastPointer = "mouse";
    doc.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
    Array.prototype.forEach.call(cards, function (card) {
      var wrap = card.parentElement;
      var marker = wrap.querySelector("a");
      wrap.addEventListener("mouseenter", function () { place(card); });
      wrap.addEventListener("focusin", function () { place(card); });
      wrap.addEventListener("mouseleave", function () { card.classList.remove("is-dismissed"); });
      wrap.addEventListener("focusout", function (e) {
        if (!wrap.contains(e.relatedTarget)) { card.classList.remove("is-dismissed"); card.classList.remove("is-open"); }
      });
      if (marker) {
        marker.addEventListener("click", function (e) {
          if (lastPointer !== "touch" && lastPointer !== "pen") return;
          var opening = !card.classList.contains("is-open");
          closeAll(card);
          if (opening) {
            e.preventDefault();
            card.classList.remove("is-dismissed");
            card.classList.add("is-open");
            place(card);
          } else {
            card.classList.remove("is-open");
          }
        });
      }
    });
    doc.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".citation, .footnote")) closeAll(null);
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      closeAll(null);
      var shown = doc.querySelectorAll(".citation:hover > .hover-card, .footnote:hover > .hover-card, .citation:focus-within > .hover-card, .footnote:focus-within > .hover-card");
      for (var i = 0; i < shown.length; i++) shown[i].classList.add("is-dismissed");
    });
  }

  /* ---------- Copy buttons ---------- */
  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? "Copied" : "Press Ctrl+C";
      button.classList.add("copied");
      setTimeout(function () { button.textContent = "Copy"; button.classList.remove("copied"); }, 1600);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  function setupCopyButtons() {
    var blocks = doc.querySelectorAll("pre.highlight, pre.cite-box");
    Array.prototype.forEach.call(blocks, function (pre) {
      var wrap = doc.createElement("div");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "copy-btn";
      button.textContent = "Copy";
      button.setAttribute("aria-label", pre.classList.contains("cite-box") ? "Copy citation" : "Copy code");
      button.addEventListener("click", function () {
        var code = pre.querySelector("code");
        var clone = (code || pre).cloneNode(true);
        var numbers = clone.querySelectorAll(".lineno, .gutter, .ln");
        for (var i = 0; i < numbers.length; i++) numbers[i].remove();
        copyText(clone.textContent.replace(/\n$/, ""), button);
      });
      wrap.appendChild(button);
    });
  }

  /* ---------- Lightbox ---------- */
  function setupLightbox() {
    var open = null, opener = null;
    function close() {
      if (!open) return;
      open.remove();
      open = null;
      if (opener) opener.focus();
    }
    doc.addEventListener("click", function (e) {
      var img = e.target.closest ? e.target.closest("img[data-zoomable]") : null;
      if (!img || open) return;
      e.preventDefault();
      opener = img;
      if (!img.hasAttribute("tabindex")) img.setAttribute("tabindex", "-1");
      open = doc.createElement("div");
      open.className = "lightbox";
      open.setAttribute("role", "dialog");
      open.setAttribute("aria-modal", "true");
      open.setAttribute("aria-label", img.alt || "Image");
      open.tabIndex = -1;
      var big = doc.createElement("img");
      // The original, not the phone-sized variant the page may show: zooming is for detail.
      big.src = img.src || img.currentSrc;
      big.alt = img.alt || "";
      open.appendChild(big);
      open.addEventListener("click", close);
      doc.body.appendChild(open);
      open.focus();
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape") close();
      else if (open && e.key === "Tab") e.preventDefault();
    });
    Array.prototype.forEach.call(doc.querySelectorAll("img[data-zoomable]"), function (img) {
      img.setAttribute("tabindex", "0");
      img.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); img.click(); }
      });
    });
  }

  /* ---------- Navigation dropdown ---------- */
  function setupDropdowns() {
    var menus = doc.querySelectorAll(".site-nav .dropdown details");
    function closeMenus(except) {
      for (var i = 0; i < menus.length; i++) if (menus[i] !== except) menus[i].open = false;
    }
    doc.addEventListener("click", function (e) {
      closeMenus(e.target.closest ? e.target.closest(".site-nav .dropdown details") : null);
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      for (var i = 0; i < menus.length; i++) {
        if (menus[i].open) { menus[i].open = false; menus[i].querySelector("summary").focus(); }
      }
    });
  }

  /* ---------- Mermaid (only on pages that bundle it) ---------- */
  function setupMermaid() {
    var m = window.mermaid;
    if (!m || !doc.querySelector("pre.mermaid")) return;
    try {
      m.initialize({ startOnLoad: false, theme: root.getAttribute("data-theme") === "dark" ? "dark" : "default" });
      if (m.run) m.run({ querySelector: "pre.mermaid" });
      else if (m.init) m.init(undefined, "pre.mermaid");
    } catch (e) { /* the source stays visible */ }
  }


  /* ---------- Search ---------- */
  /* The index (search/index.json next to the search page) is fetched on first use. Every query
     word must occur in a post (as a prefix of one of its words); titles weigh most, then section
     headings, then authors and the excerpt, then the body's vocabulary. */
  function setupSearch() {
    var link = doc.querySelector(".site-nav a.search-link");
    if (!link) return;
    var indexUrl = link.getAttribute("href").replace(/\/?$/, "/") + "index.json";
    var index = null, loading = null, panel = null, input, status, list, opener = null, overlay = null;

    /* Other years of the same site (index.json's `also`, from the "other iterations" dropdown)
       are fetched with it and merged, their results labelled by year; a year whose index cannot
       be loaded (not built by blogtrack, offline) is named in a quiet notice. */
    var unavailable = [];

    function prepare(posts, year) {
      return (posts || []).map(function (p) {
        p._title = (p.title || "").toLowerCase();
        p._meta = ((p.authors || "") + " " + (p.excerpt || "")).toLowerCase();
        p._words = " " + (p.words || "") + " ";
        p._heads = (p.headings || []).map(function (h) { return h[0].toLowerCase(); });
        p._year = year || "";
        return p;
      });
    }

    function fetchIndex(url) {
      return fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }

    function load() {
      if (!loading) {
        loading = fetchIndex(indexUrl).then(function (data) {
          var also = Array.isArray(data.also) ? data.also : [];
          var own = prepare(data.posts, also.length ? data.label : "");
          return Promise.all(also.map(function (y) {
            var same = typeof y.index === "string" && y.index.charAt(0) === "/" && y.index.charAt(1) !== "/";
            if (!same) { unavailable.push(y.label); return []; }
            return fetchIndex(y.index).then(function (d) { return prepare(d.posts, y.label); },
              function () { unavailable.push(y.label); return []; });
          })).then(function (lists) {
            index = own.concat.apply(own, lists);
            return index;
          });
        });
      }
      return loading;
    }

    function terms(q) {
      return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
    }

    function score(p, ts) {
      var total = 0, heading = -1;
      for (var i = 0; i < ts.length; i++) {
        var t = ts[i], s = 0;
        if (p._title.indexOf(t) >= 0) s += 10;
        for (var h = 0; h < p._heads.length; h++) {
          if (p._heads[h].indexOf(t) >= 0) { s += 4; if (heading < 0) heading = h; break; }
        }
        if (p._meta.indexOf(t) >= 0) s += 3;
        if (p._words.indexOf(" " + t) >= 0) s += 1;
        if (s === 0) return null;
        total += s;
      }
      return { post: p, score: total, heading: heading };
    }

    function marked(text, ts) {
      var span = doc.createElement("span");
      var lower = text.toLowerCase(), pos = 0;
      while (pos < text.length) {
        var best = -1, len = 0;
        for (var i = 0; i < ts.length; i++) {
          var at = lower.indexOf(ts[i], pos);
          if (at >= 0 && (best < 0 || at < best)) { best = at; len = ts[i].length; }
        }
        if (best < 0) break;
        span.appendChild(doc.createTextNode(text.slice(pos, best)));
        var m = doc.createElement("mark");
        m.textContent = text.slice(best, best + len);
        span.appendChild(m);
        pos = best + len;
      }
      span.appendChild(doc.createTextNode(text.slice(pos)));
      return span;
    }

    function excerpt(text) {
      return text.length > 240 ? text.slice(0, 237).replace(/\s+\S*$/, "") + " …" : text;
    }

    function run() {
      var q = input.value.trim();
      var ts = terms(q);
      list.textContent = "";
      if (!ts.length) { status.textContent = ""; return; }
      if (!index) { status.textContent = "Loading the index …"; load().then(run, function () { status.textContent = "The search index could not be loaded."; }); return; }
      var hits = [];
      for (var i = 0; i < index.length; i++) { var h = score(index[i], ts); if (h) hits.push(h); }
      hits.sort(function (a, b) { return b.score - a.score || a.post.title.localeCompare(b.post.title); });
      status.textContent = hits.length ? hits.length + (hits.length === 1 ? " post" : " posts") + " found" : "No posts match “" + q + "”.";
      if (unavailable.length) status.textContent += " (" + unavailable.join(", ") + ": not searched, " + (unavailable.length === 1 ? "its" : "their") + " index could not be loaded)";
      hits.slice(0, 30).forEach(function (hit, n) {
        var p = hit.post;
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = p.url;
        a.className = "search-result-title";
        a.appendChild(marked(p.title, ts));
        li.appendChild(a);
        var meta = doc.createElement("p");
        meta.className = "search-result-meta";
        meta.textContent = [p._year, p.authors, p.date].filter(Boolean).join(" · ");
        li.appendChild(meta);
        var ex = doc.createElement("p");
        ex.className = "search-result-excerpt";
        ex.appendChild(marked(excerpt(p.excerpt || ""), ts));
        li.appendChild(ex);
        if (hit.heading >= 0) {
          var sec = doc.createElement("a");
          sec.className = "search-result-section";
          sec.href = p.url + p.headings[hit.heading][1];
          sec.appendChild(doc.createTextNode("Section: "));
          sec.appendChild(marked(p.headings[hit.heading][0], ts));
          li.appendChild(sec);
        }
        if (n === 0) li.classList.add("is-selected");
        list.appendChild(li);
      });
    }

    function move(delta) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      var cur = list.querySelector("li.is-selected");
      var i = Array.prototype.indexOf.call(items, cur);
      if (cur) cur.classList.remove("is-selected");
      var next = items[Math.max(0, Math.min(items.length - 1, i + delta))];
      next.classList.add("is-selected");
      next.scrollIntoView({ block: "nearest" });
    }

    function bind(root) {
      input = root.querySelector("#bt-search-input");
      status = root.querySelector(".search-status");
      list = root.querySelector(".search-results");
      input.addEventListener("input", run);
      input.addEventListener("focus", function () { load().catch(function () {}); });
      root.querySelector("form").addEventListener("submit", function (e) {
        e.preventDefault();
        var sel = list.querySelector("li.is-selected a");
        if (sel) window.location.href = sel.href;
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
        else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      });
      panel = root;
    }

    function openOverlay() {
      if (!overlay) {
        overlay = doc.createElement("div");
        overlay.className = "search-overlay";
        overlay.setAttribute("role", "dialog");
        overlay.setAttribute("aria-modal", "true");
        overlay.setAttribute("aria-label", "Search");
        overlay.innerHTML = '<div class="search-panel"><form class="search-form" role="search" action="">' +
          '<label for="bt-search-input" class="visually-hidden">Search the posts</label>' +
          '<input id="bt-search-input" name="q" type="search" autocomplete="off" spellcheck="false" placeholder="Search the posts (Esc to close)"></form>' +
          '<p class="search-status" role="status" aria-live="polite"></p><ol class="search-results"></ol></div>';
        overlay.addEventListener("click", function (e) { if (e.target === overlay) closeOverlay(); });
        doc.body.appendChild(overlay);
        bind(overlay);
      }
      opener = doc.activeElement;
      overlay.hidden = false;
      root.classList.add("search-open");
      input.focus();
      input.select();
    }

    function closeOverlay() {
      if (!overlay || overlay.hidden) return;
      overlay.hidden = true;
      root.classList.remove("search-open");
      if (opener && opener.focus) opener.focus();
    }

    var inline = doc.querySelector("[data-search-page]");
    if (inline) {
      bind(inline);
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) { input.value = q; run(); }
      input.focus();
    } else {
      link.addEventListener("click", function (e) { e.preventDefault(); openOverlay(); });
    }
    doc.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if (inline) { input.focus(); input.select(); } else openOverlay();
      } else if (e.key === "Escape" && overlay && !overlay.hidden) {
        closeOverlay();
      }
    });
  }

  /* ---------- Reading progress ---------- */
  function setupProgress() {
    var article = doc.querySelector("main.post d-article");
    if (!article) return;
    var bar = doc.createElement("div");
    bar.className = "reading-progress";
    bar.setAttribute("aria-hidden", "true");
    doc.body.appendChild(bar);
    var pending = false;
    function update() {
      pending = false;
      var r = article.getBoundingClientRect();
      var total = r.height - window.innerHeight;
      var f = total > 0 ? Math.min(1, Math.max(0, -r.top / total)) : 1;
      bar.style.transform = "scaleX(" + f.toFixed(4) + ")";
    }
    function schedule() { if (!pending) { pending = true; requestAnimationFrame(update); } }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    update();
  }

  /* ---------- Section highlighting in the TOC ----------
     The entry of the last heading that has passed the top fifth of the window gets
     aria-current="true" (styled in the CSS); without JS the TOC is a plain list of links. */
  function setupTocHighlight() {
    var toc = doc.querySelector("nav.toc");
    if (!toc) return;
    var entries = [];
    toc.querySelectorAll("a[href^='#']").forEach(function (a) {
      var id;
      try { id = decodeURIComponent(a.getAttribute("href").slice(1)); } catch (e) { return; }
      var heading = doc.getElementById(id);
      if (heading) entries.push({ a: a, heading: heading });
    });
    if (!entries.length) return;
    var current = null, pending = false;
    function update() {
      pending = false;
      var line = window.innerHeight * 0.2, found = null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.getBoundingClientRect().top <= line) found = entries[i];
        else break;
      }
      var max = root.scrollHeight - window.innerHeight;
      if (max > 0 && window.scrollY >= max - 2) {
        for (var j = entries.length - 1; j >= 0; j--) {
          if (entries[j].heading.getBoundingClientRect().top < window.innerHeight) { found = entries[j]; break; }
        }
      }
      if (found === current) return;
      if (current) current.a.removeAttribute("aria-current");
      current = found;
      if (current) current.a.setAttribute("aria-current", "true");
    }
    function schedule() { if (!pending) { pending = true; requestAnimationFrame(update); } }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    update();
  }

  /* ---------- Figures in dark mode ---------- */
  /* A "dim figures" switch beside the theme toggle (shown in dark mode only, by CSS). */
  function setupDimToggle() {
    var toggle = doc.querySelector(".theme-toggle");
    if (!toggle || !doc.querySelector("d-article img")) return;
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "dim-toggle";
    /* An icon the size of the theme toggle: a text label wrapped the header at laptop widths. */
    b.setAttribute("aria-label", "Dim figures in dark mode");
    b.title = "Dim figures in dark mode";
    b.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="M21 16l-5-5-9 9"/></svg>';
    function show() { b.setAttribute("aria-pressed", root.getAttribute("data-dim") === "off" ? "false" : "true"); }
    try { if (localStorage.getItem("dim") === "off") root.setAttribute("data-dim", "off"); } catch (e) { /* not stored */ }
    show();
    b.addEventListener("click", function () {
      var off = root.getAttribute("data-dim") !== "off";
      if (off) root.setAttribute("data-dim", "off"); else root.removeAttribute("data-dim");
      try { localStorage.setItem("dim", off ? "off" : "on"); } catch (e) { /* not stored */ }
      show();
    });
    toggle.parentNode.insertBefore(b, toggle);
  }

  /* ---------- Embedded pages ---------- */
  /* A same-origin iframe grows to its document's height (at most 4000 px), so it does not scroll
     inside the page; the author's height is the minimum. */
  function setupIframes() {
    var frames = doc.querySelectorAll("d-article iframe");
    Array.prototype.forEach.call(frames, function (f) {
      function fit() {
        var d;
        try { d = f.contentDocument; } catch (e) { return; }
        // Not for a missing page (the site's 404 page would fill the frame).
        if (!d || !d.documentElement || !d.body || d.querySelector("main.not-found")) return;
        var want = Math.min(4000, Math.max(d.documentElement.scrollHeight, d.body.scrollHeight));
        var min = parseFloat(f.getAttribute("height")) || 0;
        if (want > f.clientHeight + 4 && want > min) f.style.height = want + "px";
      }
      f.addEventListener("load", function () { fit(); setTimeout(fit, 600); });
      fit();
    });
  }

  /* ---------- Wide tables and formulas ---------- */
  /* At desktop widths a table or formula wider than the text column uses the page width
     (class bt-wide) before it scrolls. */
  function setupWide() {
    var wide = window.matchMedia ? matchMedia("(min-width: 1000px)") : { matches: false };
    var els = doc.querySelectorAll("d-article table, d-article .math-display, d-article > math[display=block], d-article p > math[display=block]");
    var inline = doc.querySelectorAll("d-article math:not([display=block])");
    var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
    function update() {
      /* Classes off, then every measure in one layout, then classes on (no layout per element). */
      each(els, function (el) { el.classList.remove("bt-wide"); });
      each(inline, function (m) { m.classList.remove("bt-scroll"); });
      var on = [];
      each(els, function (el) {
        if (wide.matches && el.scrollWidth > el.clientWidth + 1 &&
            !el.closest(".row, .l-page, .l-page-outset, .l-screen, .l-screen-inset, .l-body-outset, [style*=grid], [style*=flex]")) on.push([el, "bt-wide"]);
      });
      /* An inline formula wider than its line scrolls by itself instead of sticking out. */
      each(inline, function (m) {
        var p = m.parentElement;
        if (p && m.getBoundingClientRect().right > p.getBoundingClientRect().right + 1) on.push([m, "bt-scroll"]);
      });
      on.forEach(function (x) { x[0].classList.add(x[1]); });
    }
    update();
    window.addEventListener("resize", function () { requestAnimationFrame(update); });
  }

  /* A very long abstract is folded to its first lines (CSS) with a button that unfolds it. */
  function setupAbstract() {
    var d = doc.querySelector(".post-description.is-very-long");
    if (!d) return;
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "abstract-toggle";
    b.setAttribute("aria-expanded", "false");
    b.textContent = "Show the whole abstract";
    b.addEventListener("click", function () {
      var open = d.classList.toggle("is-open");
      b.setAttribute("aria-expanded", String(open));
      b.textContent = open ? "Show less" : "Show the whole abstract";
    });
    d.parentNode.insertBefore(b, d.nextSibling);
  }

  /* ---------- Author HTML in dark mode ---------- */
  /* An author's element whose own colours read badly on the dark page (dark text on the dark
     background, or light text on the author's light background) gets a light panel. */
  function luminance(rgb) {
    var c = rgb.match(/[\d.]+/g);
    if (!c) return 1;
    var l = c.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function backgroundOf(el) {
    for (; el; el = el.parentElement) {
      var b = getComputedStyle(el).backgroundColor;
      var a = b.match(/[\d.]+/g);
      if (a && (a.length < 4 || Number(a[3]) > 0.5)) return b;
    }
    return "rgb(255,255,255)";
  }
  function setupLegibility() {
    function check() {
      var marked = doc.querySelectorAll(".bt-light-panel");
      Array.prototype.forEach.call(marked, function (el) { el.classList.remove("bt-light-panel"); });
      if (root.getAttribute("data-theme") !== "dark") return;
      var els = doc.querySelectorAll("d-article [style*=color], d-article [bgcolor], d-article th, d-article td, d-article font[color]");
      var bad = Array.prototype.filter.call(els, function (el) {
        if (!el.textContent.trim()) return false;
        var a = luminance(getComputedStyle(el).color), b = luminance(backgroundOf(el));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) < 3;
      });
      bad.forEach(function (el) { el.classList.add("bt-light-panel"); });
    }
    check();
    doc.addEventListener("themechange", check);
  }

  ready(function () {
    setupThemeToggle();
    setupHoverCards();
    setupCopyButtons();
    setupLightbox();
    setupDropdowns();
    setupMermaid();
    setupSearch();
    setupProgress();
    setupTocHighlight();
    setupDimToggle();
    setupIframes();
    setupWide();
    setupLegibility();
    setupAbstract();
  });
})();
