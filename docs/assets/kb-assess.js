// Self-assessment against a service standard. The rule's evaluation mirrors scripts/kb/assessment.py
// line for line (tests/test_assessment.py runs both on the same cases); the rest keeps the answers
// in the page's address (and, if asked, in localStorage), and builds the verdict, the "what to do
// next" list, the printable report and the CSV. Nothing is sent anywhere. Without JavaScript the
// page is a checklist to print and fill in by hand, and none of these controls is shown.
(function (root) {
  "use strict";

  var ANSWERS = ["met", "not-met", "na"];  // an absent answer is "unanswered"

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // -- the evaluator: the mirror of kb.assessment -------------------------------------------
  function selects(condition, criterion) {
    var level = own(condition, "level") ? condition.level : null;
    var area = own(condition, "area") ? condition.area : null;
    var listed = own(condition, "criteria") ? condition.criteria : null;
    return (level === null || level === criterion.level) &&
      (area === null || area === criterion.area) &&
      (!listed || listed.length === 0 || listed.indexOf(criterion.id) >= 0);
  }

  function needed(atLeast, applicable) {
    if (atLeast === "all") { return applicable; }
    if (typeof atLeast === "string") { return Math.floor((parseInt(atLeast.slice(0, -1), 10) * applicable + 99) / 100); }
    return atLeast;
  }

  function evaluate(rule, criteria, answers) {
    var conditions = rule.require.map(function (condition) {
      var counts = {"selected": 0, "met": 0, "not-met": 0, "na": 0, "unanswered": 0};
      criteria.forEach(function (criterion) {
        if (selects(condition, criterion)) {
          var answer = own(answers, criterion.id) ? answers[criterion.id] : undefined;
          counts.selected += 1;
          counts[ANSWERS.indexOf(answer) >= 0 ? answer : "unanswered"] += 1;
        }
      });
      var applicable = counts.selected - counts.na;
      counts.applicable = applicable;
      counts.needed = needed(condition.at_least, applicable);
      counts.passed = counts.met >= counts.needed;
      counts.possible = counts.met + counts.unanswered >= counts.needed;
      return counts;
    });
    var given = criteria.map(function (criterion) { return own(answers, criterion.id) ? answers[criterion.id] : undefined; });
    var unanswered = given.filter(function (answer) { return ANSWERS.indexOf(answer) < 0; }).length;
    var verdict;
    if (unanswered === 0 && given.every(function (answer) { return answer === "na"; })) {
      verdict = "not-applicable";
    } else if (!conditions.every(function (condition) { return condition.possible; })) {
      verdict = "not-met";
    } else if (unanswered) {
      verdict = "incomplete";
    } else {
      verdict = conditions.every(function (condition) { return condition.passed; }) ? "met" : "not-met";
    }
    return {"verdict": verdict, "unanswered": unanswered, "total": criteria.length, "conditions": conditions};
  }

  function conditionState(condition) {
    return condition.passed ? "holds" : !condition.possible ? "fails" : "open";
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return own(values, key) ? String(values[key]) : whole; });
  }

  function describe(result, selections, texts) {
    var verdict = format(texts["verdict_" + result.verdict], {unanswered: result.unanswered, total: result.total});
    var reasons = result.conditions.map(function (condition, index) {
      var words = format(texts.reason, {selection: selections[index], met: condition.met,
                                        applicable: condition.applicable, needed: condition.needed});
      var extras = ["na", "unanswered"].filter(function (count) { return condition[count]; }).map(function (count) {
        return format(texts["reason_" + count], condition);
      });
      if (extras.length) { words += " (" + extras.join("; ") + ")"; }
      return words + " — " + texts[conditionState(condition)];
    });
    return {"verdict": verdict, "reasons": reasons};
  }

  // -- the answers in the address: #met=a,b&not-met=c&na=d&note.c=…&institution=…&date=… ------
  function emptyState() { return {answers: Object.create(null), notes: Object.create(null), fields: Object.create(null)}; }  // no prototype: an id such as "constructor" is just an id

  // params: the address as kb.params() reads it; fields: the assessment's own fields; limits: the
  // longest note and field kept (the inputs' maxlength).
  function readState(params, ids, fields, limits) {
    var state = emptyState();
    ANSWERS.forEach(function (answer) {
      (params.get(answer) || "").split(",").forEach(function (id) {
        if (ids.indexOf(id) >= 0 && !own(state.answers, id)) { state.answers[id] = answer; }  // unknown ids: ignored
      });
    });
    ids.forEach(function (id) {
      var note = params.get("note." + id);
      if (note) { state.notes[id] = note.slice(0, limits.note); }
    });
    fields.forEach(function (name) {
      var value = params.get(name);
      if (value && (name !== "date" || isDate(value))) { state.fields[name] = value.slice(0, limits.field); }
    });
    return state;
  }

  function isDate(value) {  // a real calendar day, YYYY-MM-DD
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) { return false; }
    var day = new Date(value + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  }

  function isEmpty(state) {
    return !Object.keys(state.answers).length && !Object.keys(state.notes).length && !Object.keys(state.fields).length;
  }

  function writeState(state, ids, fields) {
    var parts = [];
    ANSWERS.forEach(function (answer) {
      var chosen = ids.filter(function (id) { return state.answers[id] === answer; });
      if (chosen.length) { parts.push(answer + "=" + chosen.join(",")); }
    });
    ids.forEach(function (id) { if (state.notes[id]) { parts.push("note." + id + "=" + encodeURIComponent(state.notes[id])); } });
    fields.forEach(function (name) { if (state.fields[name]) { parts.push(name + "=" + encodeURIComponent(state.fields[name])); } });
    return parts.join("&");
  }


  var exported = {evaluate: evaluate, describe: describe, readState: readState, writeState: writeState, isEmpty: isEmpty};
  if (typeof module !== "undefined" && module.exports) { module.exports = exported; return; }  // the tests, in Node

  // -- the page -------------------------------------------------------------------------------
  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function plain(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }

  function start() {
    var page = document.querySelector("[data-kb-assess]");
    var source = page && page.querySelector("[data-kb-assess-data]");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var texts = data.texts;
    var ids = data.criteria.map(function (criterion) { return criterion.id; });
    var fields = data.fields;
    var read = function (params) { return readState(params, ids, fields, data.limits); };
    var spoken = "";  // what the verdict's live region says now: rewritten only when that changes
    var form = page.querySelector("[data-kb-form]");

    function fromForm() {
      var state = emptyState();
      ids.forEach(function (id) {
        var chosen = form.querySelector('input[name="answer-' + id + '"]:checked');
        if (chosen) { state.answers[id] = chosen.value; }
        var note = form.querySelector('[name="note-' + id + '"]').value.trim();
        if (note) { state.notes[id] = note; }
      });
      fields.forEach(function (name) {
        var value = form.querySelector('[name="' + name + '"]').value.trim();
        if (value) { state.fields[name] = value; }
      });
      return state;
    }

    function toForm(state) {
      ids.forEach(function (id) {
        form.querySelectorAll('input[name="answer-' + id + '"]').forEach(function (radio) {
          radio.checked = state.answers[id] === radio.value;
        });
        form.querySelector('[name="note-' + id + '"]').value = state.notes[id] || "";
      });
      fields.forEach(function (name) { form.querySelector('[name="' + name + '"]').value = state.fields[name] || ""; });
    }

    function criterionName(criterion) {
      return document.getElementById(criterion.id).querySelector("legend").textContent.trim();
    }

    function requirement(criterion) {  // an untranslated one: its original text, without the notice
      var node = document.getElementById(criterion.id + "-requirement");
      return plain(node.querySelector("[lang]") || node);
    }

    // An untranslated requirement is shown in its original language: its copies keep that lang.
    function withLanguage(node, criterion) {
      var original = document.getElementById(criterion.id + "-requirement").querySelector("[lang]");
      if (original) { node.setAttribute("lang", original.getAttribute("lang")); }
      return node;
    }

    function answerWord(state, id) { return texts[own(state.answers, id) ? state.answers[id] : "unanswered"]; }

    function showVerdict(result) {
      var words = describe(result, data.selections, texts);
      var box = page.querySelector("[data-kb-verdict-box]");
      var region = page.querySelector("[data-kb-verdict]");
      box.hidden = false;
      var saying = words.verdict + "\n" + words.reasons.join("\n");
      if (saying === spoken) { return; }  // typing a note must not make a screen reader repeat the verdict
      spoken = saying;
      box.className = "kb-verdict kb-verdict--" + result.verdict;
      var content = document.createDocumentFragment();
      content.appendChild(element("p", {"class": "kb-verdict__summary"})).appendChild(element("strong", {}, words.verdict));
      var list = content.appendChild(element("ul"));
      words.reasons.forEach(function (reason, index) {
        list.appendChild(element("li", {"class": "kb-condition--" + conditionState(result.conditions[index])}, reason));
      });
      region.replaceChildren(content);
    }

    function showNext(state) {
      var unmet = data.criteria.filter(function (criterion) { return state.answers[criterion.id] === "not-met"; });
      var section = page.querySelector("[data-kb-next]");
      var list = page.querySelector("[data-kb-next-list]");
      section.hidden = false;
      var content = document.createDocumentFragment();
      content.appendChild(element("p", {}, unmet.length ? texts.next_intro : texts.next_none));
      unmet.forEach(function (criterion) {
        var item = content.appendChild(element("div", {"class": "kb-next__criterion"}));
        var heading = item.appendChild(element("h3"));
        heading.appendChild(element("a", {href: "#" + criterion.id}, criterionName(criterion) + " · " + data.areas[criterion.area]));
        item.appendChild(withLanguage(element("p", {}, requirement(criterion)), criterion));
        var helps = document.querySelector('[data-kb-helps="' + criterion.id + '"]').cloneNode(true);
        helps.removeAttribute("data-kb-helps");
        helps.hidden = false;
        helps.querySelectorAll("a[href]").forEach(function (link) { link.setAttribute("href", link.href); });  // absolute, for paper
        item.appendChild(helps);
      });
      list.replaceChildren(content);
      ids.forEach(function (id) {  // on screen, what helps shows beside each criterion not met
        document.querySelector('[data-kb-helps="' + id + '"]').hidden = state.answers[id] !== "not-met";
      });
    }

    function showReport(state) {
      var head = page.querySelector("[data-kb-report-head]");
      var content = document.createDocumentFragment();
      content.appendChild(element("p", {"class": "kb-report-head__title"}, texts.report + ": " + data.title));
      var facts = content.appendChild(element("dl"));
      fields.forEach(function (name) {
        facts.appendChild(element("dt", {}, texts[name]));
        facts.appendChild(element("dd", {}, state.fields[name] || "—"));
      });
      var pageAddress = new URL(window.location.href);
      pageAddress.hash = "";
      content.appendChild(element("p", {"class": "kb-report-head__source"}, format(texts.source, {address: pageAddress.href})));
      head.replaceChildren(content);
      var table = element("table", {"class": "kb-report-table"});
      var header = table.appendChild(element("thead")).appendChild(element("tr"));
      ["number", "requirement", "level", "answer", "note"].forEach(function (key) {
        header.appendChild(element("th", {scope: "col"}, texts[key]));
      });
      var body = table.appendChild(element("tbody"));
      data.criteria.forEach(function (criterion) {
        var row = body.appendChild(element("tr"));
        row.appendChild(element("td", {}, String(criterion.number)));
        row.appendChild(withLanguage(element("td", {}, requirement(criterion)), criterion));
        row.appendChild(element("td", {}, data.levels[criterion.level]));
        row.appendChild(element("td", {"class": "kb-answer--" + (state.answers[criterion.id] || "unanswered")}, answerWord(state, criterion.id)));
        row.appendChild(element("td", {}, state.notes[criterion.id] || ""));
      });
      var answers = page.querySelector("[data-kb-report-answers]");
      answers.replaceChildren(element("h2", {}, texts.answers), table);
    }

    function show(state) {
      showVerdict(evaluate(data.rule, data.criteria, state.answers));
      showNext(state);
      showReport(state);
    }

    function csv(state) {
      var rows = [["institution", "assessor", "date", "number", "identifier", "area", "level", "requirement", "answer", "note"]
        .map(function (key) { return texts[key]; })];
      data.criteria.forEach(function (criterion) {
        rows.push([state.fields.institution || "", state.fields.assessor || "", state.fields.date || "", criterion.number,
                   criterion.id, data.areas[criterion.area], data.levels[criterion.level], requirement(criterion),
                   answerWord(state, criterion.id), state.notes[criterion.id] || ""]);
      });
      return window.kb.csv(rows, data.csv_separator);
    }

    function download(state) {
      window.kb.download(data.standard + "-" + (state.fields.date || "self-assessment") + ".csv", csv(state));
    }

    var actions = {
      print: function () { update(); window.print(); },
      csv: function () { download(fromForm()); },
      copy: function () { window.kb.copyAddress(kept.address(fromForm()), function () {}); },  // the address bar holds it
      clear: function () { kept.clear(); }
    };

    var kept = window.kb.keep({key: "kb-assess:" + data.standard, remember: page.querySelector("[data-kb-remember]"),
                               read: read, write: function (state) { return writeState(state, ids, fields); },
                               isEmpty: isEmpty, fromPage: fromForm, toPage: toForm, refresh: show});
    var update = kept.update;

    page.querySelector("[data-kb-controls]").hidden = false;
    document.querySelectorAll("[data-kb-no-script]").forEach(function (note) { note.hidden = true; });
    document.body.classList.add("kb-assess-ready");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", update);  // typing, and (in every browser we test) choosing a radio button
    form.addEventListener("change", update);  // the date picker, where input may not fire
    page.querySelectorAll("[data-kb-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-kb-action")]);
    });
    window.addEventListener("beforeprint", function () { update(); });
    update();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})(typeof window !== "undefined" ? window : this);
