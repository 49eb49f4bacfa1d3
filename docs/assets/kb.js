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
