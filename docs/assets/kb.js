// Material wraps wide tables in a scrolling box; on a phone that box must be reachable by
// keyboard (WCAG 2.1.1), so give it a tab stop. Without JavaScript there is no wrapper.
document$.subscribe(function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrapper) {
    wrapper.tabIndex = 0;
  });
});

// Material binds single-character keys (f, s, /, n, p, .) to search and page navigation.
// WCAG 2.1.4 asks that such shortcuts can be switched off; we switch them off, so a speech-input
// user dictating text cannot trigger them. Keys typed into form fields are untouched.
window.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  if (!typing && event.key && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.stopImmediatePropagation();
  }
}, true);

// Shared by the pages that offer links to copy (act units, criteria, a self-assessment): the
// live region [data-kb-announce] speaks the outcome, its data-* attributes hold the words.
window.kb = (function () {
  function announce(text) {
    var region = document.querySelector("[data-kb-announce]");
    if (region) { region.textContent = ""; setTimeout(function () { region.textContent = text; }, 50); }
  }

  function say(name, values) {
    var region = document.querySelector("[data-kb-announce]");
    var text = region ? region.getAttribute("data-" + name) || "" : "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function permanentAddress(id) {
    var address = new URL(window.location.href);
    address.hash = id;
    address.search = "";
    address.pathname = address.pathname.replace(/index\.html$/, "");
    return address.href;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var done = document.execCommand("copy");
      document.body.removeChild(field);
      if (done) { resolve(); } else { reject(); }
    });
  }

  // Copy an address and say so; if the clipboard refuses, the address bar gets it (fallback()).
  function copyAddress(address, fallback) {
    return copyText(address).then(function () { announce(say("copied", {address: address})); }, function () {
      fallback();
      announce(say("copy-failed", {address: address}));
    });
  }

  // What an address says after # (or ?), read the same way for every page: name → values. Only its
  // first ADDRESS_LIMIT characters are read (a page's state is far shorter; the rest of a longer
  // address, from the pair it cuts, is ignored); a pair that cannot be decoded (%E0%A4%A, %, %ZZ)
  // or has no name is skipped; names are kept in a Map, so "__proto__" or "constructor" is only a
  // name. Pages take the names and values they know: get(name) → its first value or null,
  // getAll(name) → every value.
  var ADDRESS_LIMIT = 65536;  // characters

  function decode(text) {
    try { return decodeURIComponent(text); } catch (error) { return null; }
  }

  function bounded(text) {
    text = String(text || "").replace(/^[#?]/, "");
    if (text.length <= ADDRESS_LIMIT) { return text; }
    var cut = text.lastIndexOf("&", ADDRESS_LIMIT);
    return cut > 0 ? text.slice(0, cut) : "";
  }

  function params(text) {
    var found = new Map();
    bounded(text).split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      var name = at > 0 ? decode(pair.slice(0, at).replace(/\+/g, " ")) : null;
      var value = at > 0 ? decode(pair.slice(at + 1).replace(/\+/g, " ")) : null;
      if (name === null || value === null) { return; }
      if (!found.has(name)) { found.set(name, []); }
      found.get(name).push(value);
    });
    return {
      get: function (name) { return found.has(name) ? found.get(name)[0] : null; },
      getAll: function (name) { return found.has(name) ? found.get(name).slice() : []; }
    };
  }

  // The address's anchor (#art_17__para_1), decoded; "" when it cannot be.
  function anchor() {
    var text = window.location.hash.slice(1);
    return text.length > ADDRESS_LIMIT ? "" : decode(text) || "";
  }

  // What a page keeps for its reader (a self-assessment's answers, a method's work plan): in the
  // address after #, which a link reopens and no server sees, and in localStorage only once the
  // reader ticks "remember" and changes something. A link's own answers win over the remembered
  // ones without overwriting them; a # holding no answers (#utm_source=…) falls back to them;
  // an in-page link (#anchor) puts the answers back into the address.
  // options: key, remember (the checkbox), read(params) → state (params: what params() gives),
  // write(state) → text, isEmpty(state),
  // fromPage() → state, toPage(state), refresh(state) (what the page shows of a state). Without
  // `remember` (a catalogue's choices) nothing is stored: the address alone keeps the state.
  var ADDRESS_DELAY = 100;  // ms
  var unwritten = [];  // each kept page's flush(): write a pending address now
  function writeAddresses() { unwritten.forEach(function (flush) { flush(); }); }
  window.addEventListener("pagehide", writeAddresses);

  function keep(options) {
    var storage = null;
    try { storage = options.remember ? window.localStorage : null; if (storage) { storage.getItem(options.key); } }
    catch (error) { storage = null; }
    var changed = false;

    function stored() {
      try { return storage ? storage.getItem(options.key) : null; } catch (error) { return null; }
    }

    function writeAddress(state) {
      var encoded = options.write(state);
      var kept = window.location.hash.indexOf("=") >= 0 ? "" : window.location.hash;  // an anchor stays until there are answers
      try { window.history.replaceState(null, "", window.location.pathname + window.location.search + (encoded ? "#" + encoded : kept)); }
      catch (error) { /* a file:// page may refuse */ }
    }

    function store(state) {
      if (!storage || !changed) { return; }
      var encoded = options.write(state);
      try {
        if (options.remember.checked && encoded) { storage.setItem(options.key, encoded); } else { storage.removeItem(options.key); }
      } catch (error) { /* storage full or refused: the address still holds the answers */ }
    }

    // Writing the address costs a long page tens of milliseconds on a phone (the browser records a
    // navigation): the page shows a change first and writes its address a moment later, once
    // for a burst of changes (typing), and at once when the reader leaves or switches language.
    var pending = null;
    function flush() {
      if (pending === null) { return; }
      var state = pending;
      pending = null;
      writeAddress(state);
    }
    unwritten.push(flush);

    function save(state) {
      store(state);
      if (pending === null) { setTimeout(flush, ADDRESS_DELAY); }
      pending = state;
    }

    function update(event) {
      if (event) { changed = true; }  // a reader's change, not the page opening
      var state = options.fromPage();
      options.refresh(state);
      save(state);
    }

    function read(text) { return options.read(params(text)); }

    function clear() {
      options.toPage(read(""));
      try { if (storage) { storage.removeItem(options.key); } } catch (error) { /* nothing to clear */ }
      update(true);
      flush();  // a cleared page's address is cleared at once
      announce(say("cleared"));
    }

    function address(state) {
      var link = new URL(window.location.href);
      link.hash = options.write(state);
      return link.href;
    }

    var hash = window.location.hash.slice(1);
    var saved = stored();
    if (options.remember) { options.remember.checked = Boolean(saved); options.remember.addEventListener("change", update); }
    var fromAddress = read(hash.indexOf("=") >= 0 ? hash : "");
    options.toPage(!options.isEmpty(fromAddress) ? fromAddress : read(saved || ""));
    window.addEventListener("hashchange", function () {
      pending = null;  // what the address says now wins over a write not yet made
      var now = window.location.hash.slice(1);
      if (now.indexOf("=") < 0) { save(options.fromPage()); return; }  // an in-page link replaced the answers
      var state = read(now);
      if (!options.isEmpty(state)) { options.toPage(state); update(true); }
    });
    return {update: update, clear: clear, address: address};
  }

  // Rows as CSV text a spreadsheet opens as it is: UTF-8 with a byte order mark, every cell
  // quoted, and no cell a program would take for a formula or an error value: such a text goes
  // behind an apostrophe (the rule of scripts/kb/cells.py, which a test runs on both).
  var SPACES = "[ \\t\\r\\n\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
  var FORMULA_LIKE = new RegExp("^'*(?:[\\t\\r]|" + SPACES + "*[=+\\-@\\uff1d\\uff0b\\uff0d\\uff20])");
  var ERROR_VALUE = new RegExp("^'*" + SPACES + "*(?:#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|" +
                               "FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!|TIMEOUT!|ERROR!)|Err:[0-9]{3})" + SPACES + "*$", "i");
  function csv(rows, separator) {
    var cell = function (value) {
      var text = String(value);
      if (FORMULA_LIKE.test(text) || ERROR_VALUE.test(text)) { text = "'" + text; }
      return '"' + text.replace(/"/g, '""') + '"';
    };
    return "\ufeff" + rows.map(function (row) { return row.map(cell).join(separator); }).join("\r\n") + "\r\n";
  }

  function download(name, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function start() {
    document.querySelectorAll("[data-kb-copy]").forEach(function (button) {
      var id = button.getAttribute("data-kb-copy");
      var tools = button.closest("[data-kb-tools]");
      button.hidden = false;
      if (tools) { tools.hidden = false; }
      button.addEventListener("click", function () {
        copyAddress(permanentAddress(id), function () { window.location.hash = id; });
      });
    });
  }

  // Copy a passage's text (a citation); the status line beside it says whether it worked.
  function startCopyText() {
    document.querySelectorAll("[data-kb-copy-text]").forEach(function (button) {
      var passage = document.getElementById(button.getAttribute("data-kb-copy-text"));
      var status = button.closest(".kb-cite") && button.closest(".kb-cite").querySelector("[data-kb-cite-status]");
      if (!passage) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var tell = function (name) { if (status) { status.textContent = ""; setTimeout(function () { status.textContent = button.getAttribute(name); }, 50); } };
        copyText(passage.textContent.replace(/\s+/g, " ").trim()).then(function () { tell("data-copied"); }, function () {
          var range = document.createRange();
          range.selectNodeContents(passage);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          tell("data-copy-failed");
        });
      });
    });
  }

  // The language selector leads to the same place in the other language: the page's anchor
  // (#art_16b__para_2, a criterion, a stage) goes with it, as it changes.
  // The one-language preview offers the other languages on the published site (another origin),
  // as their home pages: the page's own path below its language's home goes after them.
  function keepAnchorAcrossLanguages() {
    var config = document.getElementById("__config");
    var base = new URL((config && JSON.parse(config.textContent).base || ".") + "/", window.location.href);
    var links = Array.prototype.slice.call(document.querySelectorAll("a.md-select__link[hreflang]"));
    links.forEach(function (link) {
      if (!link.hasAttribute("data-kb-href")) { link.setAttribute("data-kb-href", link.getAttribute("href")); }
    });
    var preview = links.some(function (link) { return new URL(link.getAttribute("data-kb-href"), window.location.href).origin !== window.location.origin; });
    links.forEach(function (link) {
      var target = new URL(link.getAttribute("data-kb-href"), window.location.href);
      if (preview && target.origin === window.location.origin) {
        target.pathname = window.location.pathname;  // the previewed language: this very page
      } else if (preview && window.location.pathname.indexOf(base.pathname) === 0) {
        target.pathname = target.pathname.replace(/\/?$/, "/") + window.location.pathname.slice(base.pathname.length);
      }
      target.hash = window.location.hash;
      link.href = target.href;
    });
  }
  // Pages that keep answers after # change it without a hashchange event: look again on the way out.
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]")) {
      writeAddresses();  // the switcher carries the address: write it first
      keepAnchorAcrossLanguages();
    }
  }, true);

  // On paper a link shows where it leads: its permanent address, resolved against the page's
  // canonical one (the published site, also when printed from a preview).
  function printAddresses() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical ? canonical.href : window.location.href;
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href.charAt(0) === "#" || /^(https?:|mailto:)/.test(href) || link.classList.contains("headerlink")) { return; }
      link.setAttribute("data-kb-print-href", new URL(href, base).href.replace(/index\.html(?=$|#)/, ""));
    });
  }

  function startAll() {
    start();
    document.querySelectorAll("[data-kb-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    startCopyText();
    keepAnchorAcrossLanguages();
    printAddresses();
    window.addEventListener("hashchange", keepAnchorAcrossLanguages);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", startAll); } else { startAll(); }
  return {announce: announce, say: say, copyAddress: copyAddress, params: params, anchor: anchor, keep: keep, writeAddresses: writeAddresses,
          csv: csv, download: download};
})();
