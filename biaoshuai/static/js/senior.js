/* The portal's senior-friendly mode (适老化): larger type and higher contrast, kept per
   browser in localStorage. Loaded in <head>, so the page is drawn in the chosen mode from
   the start; the button (data-senior-toggle) switches it. */
(function () {
  "use strict";
  var KEY = "biaoshuai.senior";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("senior", on);
    document.querySelectorAll("[data-senior-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () { apply(stored()); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-senior-toggle]") : null;
    if (!button) { return; }
    var on = !root.classList.contains("senior");
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    apply(on);
  });
})();
