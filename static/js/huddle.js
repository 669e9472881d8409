// The huddle screen: marking someone absent greys out and disables their mood buttons
// (a disabled button sends nothing), and marking them here again brings them back.
// Without JavaScript the server leaves out the mood of anyone marked absent.
(function () {
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-presence]")) return;
    var row = input.closest("[data-huddle-row]");
    if (!row) return;
    var absent = input.value === "false" && input.checked;
    row.classList.toggle("is-absent", absent);
    row.querySelectorAll("[data-mood]").forEach(function (mood) {
      mood.disabled = absent;
    });
  });
})();
