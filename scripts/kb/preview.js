// kb serve only: shows the validator's errors on the previewed page when the last save failed,
// instead of silently keeping the old page. kb writes kb-preview.json beside the site's root.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  fetch(new URL("../kb-preview.json", script.src), {cache: "no-store"})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (status) {
      if (!status || status.ok) return;
      var banner = document.createElement("section");
      banner.className = "kb-preview-errors";
      banner.setAttribute("role", "alert");
      banner.setAttribute("lang", status.lang);
      var title = document.createElement("h2");
      title.textContent = status.title;
      var hint = document.createElement("p");
      hint.textContent = status.hint;
      var list = document.createElement("pre");
      list.setAttribute("lang", status.issues_lang);  // the validator words its issues in English
      list.tabIndex = 0;  // scrollable by keyboard
      list.textContent = status.issues.join("\n");
      banner.append(title, hint, list);
      document.body.prepend(banner);
    })
    .catch(function () { /* no status file: nothing to show */ });
})();
