// The start form: variant and checkpoint lists show only the groups of the chosen model (or, with "as the config
// says", of the config's model), so a choice the server would refuse is not offered. The server validates anyway.
(function () {
  "use strict";
  const form = document.getElementById("start-run");
  if (!form) return;
  const config = document.getElementById("Config");
  const model = document.getElementById("Model");
  const variant = document.getElementById("Variant");
  const checkpoint = document.getElementById("Checkpoint");
  if (!config || !model || !variant || !checkpoint) return;

  function show(select, matches) {
    for (const group of select.querySelectorAll("optgroup")) {
      const visible = matches(group);
      group.hidden = !visible;
      group.disabled = !visible;
    }
    const chosen = select.selectedOptions[0];
    if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.hidden) select.value = "";
  }

  function update() {
    const written = config.selectedOptions[0];
    const chosenModel = model.value || (written ? written.dataset.model : "");
    const chosenVariant = variant.value || (written && written.dataset.model === chosenModel ? written.dataset.variant : "");
    show(variant, (g) => g.dataset.model === chosenModel);
    show(checkpoint, (g) => g.dataset.model === chosenModel && (!chosenVariant || g.dataset.variant === chosenVariant));
  }

  for (const select of [config, model, variant]) select.addEventListener("change", update);
  update();
})();
