// Small behaviours every page may use, declared in the markup with data attributes
// so that no page needs inline script (the Content-Security-Policy forbids it):
//   <select data-submit-on-change>  submits its form when the choice changes;
//   <input data-select-on-focus>    selects its whole text when focused (a link to copy);
//   <textarea maxlength="N">        counts what is typed against its limit (below).
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

// Text limits, shown instead of cut. The browser's maxlength silently drops what is
// pasted past the limit; with JavaScript the limit moves to data-maxlength, a counter
// appears once the text nears it, and a text over it is sent anyway so that the form
// comes back saying "At most N characters (you typed M)". Without JavaScript the
// browser's maxlength still holds.
(function () {
  var NEAR = 0.8;
  var live = null;
  function announce(text) {
    if (!live) {
      live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }
  function number(n) {
    return n.toLocaleString("en-GB");
  }
  function update(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    var counter = field.limitCounter;
    var typed = field.value.length;
    var state = typed > limit ? "over" : typed >= limit * NEAR ? "near" : "";
    counter.hidden = state === "";
    counter.classList.toggle("over", state === "over");
    counter.textContent =
      state === "over"
        ? number(typed) + " / " + number(limit) + " characters: " + number(typed - limit) + " too many"
        : number(typed) + " / " + number(limit) + " characters";
    if (state === "over") field.setAttribute("aria-invalid", "true");
    else if (field.getAttribute("data-limit-state") === "over") field.removeAttribute("aria-invalid");
    if (state !== (field.getAttribute("data-limit-state") || "")) {
      if (state === "over") announce("Over the limit of " + number(limit) + " characters.");
      else if (state === "near") announce(number(limit - typed) + " characters left.");
      field.setAttribute("data-limit-state", state);
    }
  }
  function setUp(field, index) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!(limit > 0)) return;
    var counter = document.createElement("span");
    counter.className = "counter";
    // Numbered, not named after the field: two forms on a page may share a field id.
    counter.id = "text-limit-" + index;
    counter.hidden = true;
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.limitCounter = counter;
    field.setAttribute("data-maxlength", String(limit));
    field.removeAttribute("maxlength");
    update(field);
  }
  var count = 0;
  function init(root) {
    var fields = (root && root.querySelectorAll ? root : document).querySelectorAll(
      "textarea[maxlength], input[type=text][maxlength]"
    );
    for (var i = 0; i < fields.length; i++) setUp(fields[i], count++);
  }
  // Parts of a page swapped in place (django-htmx) get their counters too.
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.limitCounter) update(field);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else init(document);
})();
