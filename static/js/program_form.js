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
})();
