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
