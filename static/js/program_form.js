// Show only the audience and schedule inputs that apply to the current choice.
// Without JavaScript every input stays visible and the server validates all.
(function () {
  const form = document.getElementById("program-form");
  if (!form) return;

  function sync() {
    const kind = form.querySelector("input[name=audience_kind]:checked");
    form.querySelectorAll("[data-audience]").forEach(function (block) {
      block.hidden = !kind || block.dataset.audience !== kind.value;
    });
    const cadence = form.querySelector("select[name=cadence]");
    form.querySelectorAll("[data-cadence]").forEach(function (block) {
      const hasError = block.querySelector(".errorlist");
      block.hidden = cadence && cadence.value !== block.dataset.cadence && !hasError;
    });
  }
  form.addEventListener("change", sync);
  sync();

  // Long lists (people, time zones) become searchable: type part of a name. The
  // select underneath is what the form submits, so without the library (or without
  // JavaScript) the plain list still works.
  if (!window.TomSelect) return;
  const placeholders = {
    person: "Type a name to search",
    people: "Type a name to add someone",
    zone: "Type a city or region",
  };
  form.querySelectorAll("select[data-search]").forEach(function (select) {
    const search = new window.TomSelect(select, {
      // One choice: the control shows it, and the search box opens with the list.
      plugins: select.multiple ? ["remove_button"] : ["dropdown_input"],
      maxOptions: null,
      allowEmptyOption: true,
      placeholder: placeholders[select.dataset.search],
      hidePlaceholder: !select.multiple,
      closeAfterSelect: true,
      selectOnTab: true,
      onItemAdd: function () {
        if (this.isMultiple) this.setTextboxValue("");
      },
    });
    // The select stays only to be submitted; people use the search box, which the
    // label now names, so assistive technology is not offered the select as well.
    select.setAttribute("aria-hidden", "true");
    // Enter in the search box picks a match; it never sends the half-filled form.
    search.control_input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  });
})();
