// A method guide's working checklist: items ticked, and each stage's owner and due date, kept in
// the page's address (#done=stage.item,…&owner.stage=…&due.stage=YYYY-MM-DD) and, if asked, in
// localStorage, with a visible "clear". Nothing is sent anywhere. Printing the page gives the work
// plan with what was filled in. Without JavaScript the lists can be ticked and printed, and none
// of these controls is shown.
(function () {
  "use strict";

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  function emptyState() { return {done: Object.create(null), owner: Object.create(null), due: Object.create(null)}; }

  function isDate(value) {  // a real calendar day, YYYY-MM-DD
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) { return false; }
    var day = new Date(value + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  }

  // params: the address as kb.params() reads it. Unknown stages and items are ignored: a link made
  // before the method changed still opens.
  function readState(params, stages) {
    var state = emptyState();
    var items = [];
    stages.forEach(function (stage) { stage.items.forEach(function (item) { items.push(stage.id + "." + item); }); });
    (params.get("done") || "").split(",").forEach(function (key) { if (items.indexOf(key) >= 0) { state.done[key] = true; } });
    stages.forEach(function (stage) {
      var owner = params.get("owner." + stage.id), due = params.get("due." + stage.id);
      if (owner) { state.owner[stage.id] = owner.slice(0, 300); }
      if (due && isDate(due)) { state.due[stage.id] = due; }
    });
    return state;
  }

  function writeState(state, stages) {
    var parts = [];
    var done = Object.keys(state.done);
    if (done.length) { parts.push("done=" + done.join(",")); }
    stages.forEach(function (stage) {
      if (state.owner[stage.id]) { parts.push("owner." + stage.id + "=" + encodeURIComponent(state.owner[stage.id])); }
      if (state.due[stage.id]) { parts.push("due." + stage.id + "=" + state.due[stage.id]); }
    });
    return parts.join("&");
  }

  function isEmpty(state) {
    return !Object.keys(state.done).length && !Object.keys(state.owner).length && !Object.keys(state.due).length;
  }

  function start() {
    var plan = document.querySelector("[data-kb-plan]");
    var source = plan && plan.querySelector("[data-kb-plan-data]");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var progress = plan.querySelector("[data-kb-progress]");
    var total = data.stages.reduce(function (sum, stage) { return sum + stage.items.length; }, 0);

    function boxes() { return document.querySelectorAll('.kb-checklist input[name="done"]'); }
    function field(name) { return document.querySelector('.kb-checklist input[name="' + name + '"]'); }

    function fromPage() {
      var state = emptyState();
      boxes().forEach(function (box) { if (box.checked) { state.done[box.value] = true; } });
      data.stages.forEach(function (stage) {
        var owner = field("owner." + stage.id).value.trim(), due = field("due." + stage.id).value;
        if (owner) { state.owner[stage.id] = owner; }
        if (due) { state.due[stage.id] = due; }
      });
      return state;
    }

    function toPage(state) {
      boxes().forEach(function (box) { box.checked = own(state.done, box.value); });
      data.stages.forEach(function (stage) {
        field("owner." + stage.id).value = state.owner[stage.id] || "";
        field("due." + stage.id).value = state.due[stage.id] || "";
      });
    }

    var said = "";
    function show(state) {
      var words = data.texts.progress.split("{done}").join(String(Object.keys(state.done).length)).split("{total}").join(String(total));
      progress.hidden = false;
      if (words !== said) { progress.textContent = words; said = words; }  // typing an owner does not repeat it
    }

    var actions = {
      print: function () { window.print(); },
      copy: function () { window.kb.copyAddress(kept.address(fromPage()), function () {}); },
      clear: function () { kept.clear(); }
    };

    var read = function (params) { return readState(params, data.stages); };
    var kept = window.kb.keep({key: "kb-plan:" + data.method, remember: plan.querySelector("[data-kb-remember]"), read: read,
                               write: function (state) { return writeState(state, data.stages); },
                               isEmpty: isEmpty, fromPage: fromPage, toPage: toPage, refresh: show});
    var update = kept.update;

    plan.querySelector("[data-kb-controls]").hidden = false;
    document.querySelectorAll("[data-kb-no-script]").forEach(function (note) { note.hidden = true; });
    document.querySelectorAll(".kb-checklist").forEach(function (list) {
      list.addEventListener("input", update);
      list.addEventListener("change", update);
    });
    plan.querySelectorAll("[data-kb-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-kb-action")]);
    });
    update();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
