/* Small behaviours declared in the markup, so pages need no inline script
   (the Content-Security-Policy allows scripts from this site's files only).
   Listeners sit on the document, so content swapped in by HTMX works too.

   <form data-confirm="Question?">   asks before sending
   <select data-autosubmit>          sends its form when changed
   <details data-nav-group="key">    a menu group: opened or closed, it stays so on the next
                                     page (the group of the current page is always open) */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });
  var NAV_KEY = "biaoshuai.nav-groups";
  function navState() {
    try { return JSON.parse(window.localStorage.getItem(NAV_KEY)) || {}; } catch (e) { return {}; }
  }
  document.addEventListener("toggle", function (event) {
    var group = event.target;
    if (!group.matches || !group.matches("details[data-nav-group]")) { return; }
    var state = navState();
    state[group.dataset.navGroup] = group.open;
    try { window.localStorage.setItem(NAV_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }, true);
  function navRestore() {
    var state = navState();
    document.querySelectorAll("details[data-nav-group]").forEach(function (group) {
      var open = state[group.dataset.navGroup];
      if (group.hasAttribute("data-current")) { group.open = true; } else if (open !== undefined) { group.open = open; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", navRestore);
  } else { navRestore(); }
})();
