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

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  return {announce: announce, say: say, copyAddress: copyAddress};
})();
