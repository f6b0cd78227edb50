/* Small behaviours declared in the markup, so pages need no inline script
   (the Content-Security-Policy allows scripts from this site's files only).
   Listeners sit on the document, so content swapped in by HTMX works too.

   <form data-confirm="Question?">   asks before sending
   <select data-autosubmit>          sends its form when changed */
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
})();
