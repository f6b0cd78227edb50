/* Unit and cadre pickers: <select data-picker-url> (org.widgets) becomes a search-as-you-type
   box (Tom Select, vendored). The select holds only the chosen options; typing asks the
   server, which answers within the user's scope: [{id, text, unit}]. The original select
   stays in the form, so the page posts, and an HTMX filter hears its "change", as before. */
(function () {
  "use strict";
  function setUp(root) {
    if (typeof window.TomSelect !== "function") { return; }
    root.querySelectorAll("select[data-picker-url]").forEach(function (select) {
      if (select.tomselect) { return; }
      var url = select.dataset.pickerUrl;
      var empty = select.dataset.pickerEmpty || "";
      var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      new window.TomSelect(select, {
        valueField: "id",
        labelField: "text",
        searchField: ["text", "unit"],
        placeholder: select.dataset.pickerPlaceholder || "",
        allowEmptyOption: !select.required,
        maxOptions: 50,
        loadThrottle: 250,
        plugins: select.multiple ? ["remove_button"] : [],
        shouldLoad: function (query) { return query.length > 0; },
        load: function (query, callback) {
          fetch(url + "&q=" + encodeURIComponent(query), {
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
          }).then(function (response) {
            return response.ok ? response.json() : { results: [] };
          }).then(function (data) { callback(data.results); })
            .catch(function () { callback(); });
        },
        render: {
          option: function (item, escape) {
            var unit = item.unit ? " <small class=\"text-body-secondary\">" + escape(item.unit) + "</small>" : "";
            return "<div>" + escape(item.text) + unit + "</div>";
          },
          no_results: function (data, escape) {
            return "<div class=\"no-results\">" + escape(empty) + "</div>";
          }
        },
        onInitialize: function () {
          // The label names the box one types in.
          if (label && this.control_input) {
            this.control_input.setAttribute("aria-label", label.textContent.trim());
          }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
