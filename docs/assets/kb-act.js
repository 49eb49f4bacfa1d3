// Act pages: choose the language columns of the parallel text, and stand in the nearest unit
// that still exists for a link to a removed one (copying a unit's link is kb.js's). Without
// JavaScript the page shows the original beside the reader's language and none of these controls.
(function () {

  function showColumns(view) {
    var chosen = Array.prototype.map.call(view.querySelectorAll("select[data-kb-column]"), function (select) {
      return select.value;
    });
    document.querySelectorAll(".kb-half[data-kb-lang]").forEach(function (half) {
      var position = chosen.indexOf(half.getAttribute("data-kb-lang"));
      half.hidden = position < 0;
      half.style.order = position < 0 ? "" : String(position);  // the first column chosen comes first
    });
    var original = view.getAttribute("data-original");
    document.querySelectorAll("[data-kb-provisions]").forEach(function (provisions) {
      provisions.classList.toggle("kb-with-original", chosen.indexOf(original) >= 0);
    });
  }

  function unitName(unit) {
    if (/^H\d$/.test(unit.tagName)) { return unit.textContent.replace(/\u00b6/g, "").trim(); }  // an article's heading
    var label = unit.querySelector(":scope > .kb-unit__head .kb-visually-hidden");
    return label ? label.textContent.replace(/^:\s*/, "") : unit.id;
  }

  function nearestUnit() {
    document.querySelectorAll(".kb-unit--nearest").forEach(function (old) { old.classList.remove("kb-unit--nearest"); });
    var id = window.kb.anchor();
    if (!id || document.getElementById(id)) { return; }
    var region = document.querySelector("[data-kb-announce]");
    var separator = region ? region.getAttribute("data-separator") : "__";
    var segments = id.split(separator);
    while (segments.length > 1) {
      segments.pop();
      var unit = document.getElementById(segments.join(separator));
      if (unit) {
        unit.classList.add("kb-unit--nearest");
        unit.scrollIntoView();
        window.kb.announce(window.kb.say("moved", {missing: id, shown: unitName(unit)}));
        return;
      }
    }
  }

  function start() {
    var view = document.querySelector("[data-kb-act-view]");
    if (!view) { return; }
    view.hidden = false;
    view.addEventListener("change", function () { showColumns(view); });
    showColumns(view);
    nearestUnit();
    window.addEventListener("hashchange", nearestUnit);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
