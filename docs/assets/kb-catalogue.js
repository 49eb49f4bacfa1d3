// A catalogue narrowed in the browser: facets (any of the values ticked in one facet, every facet
// with a tick), a text filter over what each card says, sorting, cards or a table, and the
// current selection as CSV. Each facet value shows how many records it would leave given the
// other choices, counted as render/catalogue.py counts them. The choices live in the address
// after # (kb.keep), so a link opens the same list. Without JavaScript the page lists every
// record and links a page per facet value.
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ");
  }

  function catalogue(root) {
    var data = JSON.parse(root.querySelector("[data-kb-catalogue-data]").textContent);
    var form = root.querySelector("[data-kb-controls]");
    var list = root.querySelector("[data-kb-cards]");
    var status = root.querySelector("[data-kb-status]");
    var text = form.querySelector('input[name="q"]');
    var sort = form.querySelector('select[name="sort"]');
    var yearAt = data.sorts.indexOf("year") >= 0 ? 1 : -1;
    var collator = new Intl.Collator(data.lang, {sensitivity: "base", numeric: true});
    var records = Array.prototype.map.call(list.children, function (card, position) {
      var row = data.records[position];
      var link = card.querySelector(".kb-card__title a");
      return {card: card, id: card.getAttribute("data-kb-record"), title: link.textContent.trim(), url: link.href,
              updated: row[0], year: yearAt > 0 ? row[yearAt] : null, values: row[row.length - 1],
              text: normalise(card.textContent), position: position, shown: true};
    });
    var facets = data.facets.map(function (name) {
      var fieldset = form.querySelector('[data-kb-facet="' + name + '"]');
      var boxes = Array.prototype.slice.call(fieldset.querySelectorAll('input[type="checkbox"]'));
      return {name: name, boxes: boxes, legend: fieldset.querySelector("legend").textContent.trim(),
              labels: boxes.map(function (box) { return box.parentNode.querySelector("[data-kb-value]").textContent.trim(); }),
              counts: boxes.map(function (box) { return box.parentNode.querySelector("[data-kb-count]"); }),
              shown: boxes.map(function () { return -1; })};
    });
    var order = {title: function (a, b) { return collator.compare(a.title, b.title); },
                 year: function (a, b) { return (b.year || 0) - (a.year || 0) || collator.compare(a.title, b.title); },
                 updated: function (a, b) { return a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : collator.compare(a.title, b.title); }};
    var sorted = null;
    var visible = [];  // the selection, in order
    var table = null;
    var more = root.querySelector("[data-kb-more]");
    var all = false;  // the whole selection shown, not only its first data.first cards

    // The state: {facets: {name: [value]}, q, sort, view}, in the address as theme=a,b&q=…&sort=year&view=table,
    // read from kb.params(): values not offered here are ignored; a facet named twice gives the values of both.
    function read(address) {
      var state = {facets: Object.create(null), q: address.get("q") || "", sort: data.sorts[0], view: "cards"};
      facets.forEach(function (facet) {
        var known = facet.boxes.map(function (box) { return box.value; });
        var chosen = [];
        address.getAll(facet.name).join(",").split(",").forEach(function (v) {
          if (known.indexOf(v) >= 0 && chosen.indexOf(v) < 0) { chosen.push(v); }
        });
        if (chosen.length) { state.facets[facet.name] = chosen; }
      });
      if (data.sorts.indexOf(address.get("sort")) >= 0) { state.sort = address.get("sort"); }
      if (address.get("view") === "table") { state.view = "table"; }
      return state;
    }

    function write(state) {
      var parts = [];
      facets.forEach(function (facet) {
        var chosen = state.facets[facet.name] || [];
        if (chosen.length) { parts.push(facet.name + "=" + chosen.map(encodeURIComponent).join(",")); }
      });
      if (state.q) { parts.push("q=" + encodeURIComponent(state.q)); }
      if (state.sort !== data.sorts[0]) { parts.push("sort=" + state.sort); }
      if (state.view !== "cards") { parts.push("view=" + state.view); }
      return parts.join("&");
    }

    function isEmpty(state) { return write(state) === ""; }

    function fromPage() {
      var state = {facets: {}, q: text.value.trim(), sort: sort.value,
                   view: form.querySelector('input[name="view"]:checked').value};
      facets.forEach(function (facet) {
        state.facets[facet.name] = facet.boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      });
      return state;
    }

    function toPage(state) {
      facets.forEach(function (facet) {
        var chosen = state.facets[facet.name] || [];
        facet.boxes.forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
      });
      text.value = state.q;
      sort.value = state.sort;
      form.querySelector('input[name="view"][value="' + state.view + '"]').checked = true;
    }

    // Which records the choices leave (kept[position] is 1), and how many each facet value would
    // leave (counts[facet][value]). One pass: a record failing no facet counts everywhere, failing
    // one facet counts only there.
    function narrow(state) {
      var chosen = facets.map(function (facet) {
        var ticked = state.facets[facet.name] || [];
        if (!ticked.length) { return null; }
        var set = new Uint8Array(facet.boxes.length);
        facet.boxes.forEach(function (box, v) { if (ticked.indexOf(box.value) >= 0) { set[v] = 1; } });
        return set;
      });
      var words = normalise(state.q).split(" ").filter(Boolean);
      var counts = facets.map(function (facet) { return new Int32Array(facet.boxes.length); });
      var kept = new Uint8Array(records.length);
      for (var r = 0; r < records.length; r++) {
        var record = records[r], values = record.values, w = 0, f, i;
        while (w < words.length && record.text.indexOf(words[w]) >= 0) { w++; }
        if (w < words.length) { continue; }
        var failing = -1, fails = 0;
        for (f = 0; f < chosen.length && fails < 2; f++) {
          if (!chosen[f]) { continue; }
          for (i = 0; i < values[f].length && !chosen[f][values[f][i]]; i++) { /* look for a chosen value */ }
          if (i === values[f].length) { fails++; failing = f; }
        }
        if (fails === 0) {
          kept[r] = 1;
          for (f = 0; f < values.length; f++) { for (i = 0; i < values[f].length; i++) { counts[f][values[f][i]]++; } }
        } else if (fails === 1) {
          for (i = 0; i < values[failing].length; i++) { counts[failing][values[failing][i]]++; }
        }
      }
      return {kept: kept, counts: counts};
    }

    function arrange(state) {
      if (sorted && sorted.by === state.sort) { return; }
      sorted = records.slice().sort(order[state.sort]);
      sorted.by = state.sort;
    }

    function tabulate() {
      var first = records[0] && records[0].card;
      if (!table) {
        table = document.createElement("div");
        table.className = "kb-catalogue__table";
        table.tabIndex = 0;  // a wide table scrolls inside its region, by keyboard too
        table.setAttribute("role", "region");
        table.setAttribute("aria-label", root.getAttribute("data-table-label"));
        list.parentNode.insertBefore(table, list.nextSibling);
      }
      var head = "<th scope=\"col\">" + root.getAttribute("data-csv-title") + "</th>";
      if (first) {
        first.querySelectorAll("[data-kb-column] dt").forEach(function (term) { head += "<th scope=\"col\">" + term.innerHTML + "</th>"; });
      }
      var rows = visible.slice(0, all ? visible.length : data.first).map(function (record) {
        var cells = "<th scope=\"row\">" + record.card.querySelector(".kb-card__title").innerHTML + "</th>";
        record.card.querySelectorAll("[data-kb-column] dd").forEach(function (cell) { cells += "<td>" + cell.innerHTML + "</td>"; });
        return "<tr>" + cells + "</tr>";
      });
      table.innerHTML = "<table class=\"kb-catalogue__grid\"><thead><tr>" + head + "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
    }

    function setText(node, words) {
      if (node.textContent !== words) { node.textContent = words; }
    }

    // The list holds the cards shown and no others, in their order. (Hidden cards left in the list
    // made showing a card cost a walk past all of them in the browser's layout tree.)
    function show(cards) {
      var showing = new Uint8Array(records.length);
      cards.forEach(function (record) { showing[record.position] = 1; });
      records.forEach(function (record) {
        if (record.shown && !showing[record.position]) { record.shown = false; list.removeChild(record.card); }
      });
      var next = list.firstElementChild;
      cards.forEach(function (record) {
        if (record.card === next) { next = next.nextElementSibling; } else { list.insertBefore(record.card, next); }
        record.shown = true;
      });
    }

    // What a change costs is the style and layout of the cards it shows: show only the first
    // data.first of the selection, and touch only the cards, counts and words that change.
    function refresh(state) {
      arrange(state);
      var result = narrow(state);
      visible = sorted.filter(function (record) { return result.kept[record.position]; });
      var shown = all ? visible.length : Math.min(data.first, visible.length);
      show(visible.slice(0, shown));
      if (more.hidden !== (shown === visible.length)) { more.hidden = shown === visible.length; }
      setText(more, root.getAttribute("data-more").split("{count}").join(visible.length));
      facets.forEach(function (facet, f) {
        var counts = result.counts[f];
        for (var v = 0; v < counts.length; v++) {
          if (facet.shown[v] !== counts[v]) {
            facet.shown[v] = counts[v];
            facet.counts[v].textContent = "(" + counts[v] + ")";
            facet.boxes[v].parentNode.classList.toggle("kb-facet__option--none", counts[v] === 0);
          }
        }
      });
      var tableView = state.view === "table";
      root.classList.toggle("kb-catalogue--table", tableView);
      if (list.hidden !== tableView) { list.hidden = tableView; }
      if (tableView) { tabulate(); } else if (table) { table.hidden = true; }
      if (table && tableView) { table.hidden = false; }
      var words = visible.length === 0 ? root.getAttribute("data-status-none")
        : root.getAttribute(visible.length === 1 ? "data-status-one" : "data-status-other");
      setText(status, words.split("{count}").join(visible.length).split("{total}").join(records.length));
    }

    function csv() {
      var header = [root.getAttribute("data-csv-id"), root.getAttribute("data-csv-title"), root.getAttribute("data-csv-url")]
        .concat(facets.map(function (facet) { return facet.legend; }));
      var rows = visible.map(function (record) {
        return [record.id, record.title, record.url].concat(facets.map(function (facet, f) {
          return record.values[f].map(function (v) { return facet.labels[v]; }).join("; ");
        }));
      });
      return window.kb.csv([header].concat(rows), root.getAttribute("data-csv-separator"));
    }

    var kept = window.kb.keep({key: "kb-catalogue:" + data.kind, remember: null, read: read, write: write,
                               isEmpty: isEmpty, fromPage: fromPage, toPage: toPage, refresh: refresh});
    form.hidden = false;
    root.querySelector("[data-kb-static]").hidden = true;
    var start = fromPage();
    var details = form.querySelector("[data-kb-facets]");
    var chosenAny = facets.some(function (facet) { return (start.facets[facet.name] || []).length; });
    details.open = chosenAny;  // the records come first; the facets open with a choice in the address
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { all = false; kept.update(true); });  // ticks, typing, the sort and the view
    more.addEventListener("click", function () {
      all = true;
      kept.update();
      // The button is gone: keyboard focus goes on to the first record it brought.
      var next = !visible[data.first] ? null : table && !table.hidden ? table.querySelectorAll("tbody th a")[data.first]
        : visible[data.first].card.querySelector(".kb-card__title a");
      if (next) { next.focus(); }
    });
    window.addEventListener("beforeprint", function () { all = true; kept.update(); });  // the whole selection prints
    form.querySelector('[data-kb-action="clear"]').addEventListener("click", function () { all = false; kept.clear(); });
    form.querySelector('[data-kb-action="csv"]').addEventListener("click", function () {
      window.kb.download(root.getAttribute("data-csv-name"), csv());
    });
    kept.update();
    // For the benchmark and the tests: narrow to a state and say how long it took.
    window.kbCatalogue = {narrow: function (encoded) {
      var began = performance.now();
      toPage(read(window.kb.params(encoded)));
      all = false;
      kept.update(true);
      void document.body.offsetHeight;  // include the layout the change causes
      return performance.now() - began;
    }, csv: csv};
  }

  function start() {
    document.querySelectorAll("[data-kb-catalogue]").forEach(catalogue);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
