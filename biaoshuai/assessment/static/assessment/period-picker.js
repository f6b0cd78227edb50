/* The assessment period picker: show only the fields of the chosen kind of period. */
(function () {
  "use strict";
  if (window.biaoshuaiPeriodPicker) { return; }  // included once per picker on a page
  window.biaoshuaiPeriodPicker = true;
  function update(form) {
    var kind = form.querySelector("[name=period]");
    if (!kind) { return; }
    form.querySelectorAll("[data-for]").forEach(function (el) {
      el.classList.toggle("d-none", el.dataset.for !== kind.value);
    });
  }
  function setUp(root) {
    root.querySelectorAll("form.period-picker").forEach(update);
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "period") {
      var form = event.target.closest("form.period-picker");
      if (form) { update(form); }
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
