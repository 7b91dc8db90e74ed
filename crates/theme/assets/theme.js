/* blogtrack theme script: progressive enhancement only. Every page reads completely without it.
   Adds: the dark-mode toggle, hover-card placement plus tap and Escape handling, copy buttons on
   code and citation boxes, an image lightbox for [data-zoomable], closing the nav dropdown, and
   Mermaid rendering when the page bundles Mermaid. */
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
      big.src = img.currentSrc || img.src;
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

  ready(function () {
    setupThemeToggle();
    setupHoverCards();
    setupCopyButtons();
    setupLightbox();
    setupDropdowns();
    setupMermaid();
  });
})();
