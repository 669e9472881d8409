// Small behaviours every page may use, declared in the markup with data attributes
// so that no page needs inline script (the Content-Security-Policy forbids it):
//   <select data-submit-on-change>  submits its form when the choice changes;
//   <input data-select-on-focus>    selects its whole text when focused (a link to copy).
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-on-focus]")) field.select();
  });
})();

// A table sorted in place (templates/snippets/table.html) is swapped whole; focus goes
// back to the header link the reader used, so the keyboard stays where it was.
(function () {
  var refocus = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    refocus = link && link.dataset ? link.dataset.refocus || null : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    var link = document.querySelector('[data-refocus="' + refocus + '"]');
    if (link) link.focus({ preventScroll: true });
    refocus = null;
  });
})();
