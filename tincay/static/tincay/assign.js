// Assigning several indicators at once (assessment page, focal point). The checkboxes belong to
// form#assign-form through their form="" attribute, so the page works without this file: ticking a pillar's box
// assigns every indicator of the pillar on the server. This file adds comfort: the pillar box ticks its
// indicators, a refusal (400/403) is shown in the status line instead of being dropped by htmx, and after a
// successful assignment the ticks are cleared (the "assigned to" lines were already replaced by htmx).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    const pillar = event.target.closest("input[data-select-pillar]");
    if (!pillar) { return; }
    document.querySelectorAll("input[name=indicators][data-pillar='" + pillar.dataset.selectPillar + "']")
      .forEach(function (box) { box.checked = pillar.checked; });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "assign-status" && [400, 403].indexOf(event.detail.xhr.status) >= 0) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!form || form.id !== "assign-form" || !event.detail.successful) { return; }
    Array.from(form.elements).forEach(function (box) {
      if (box.type === "checkbox") { box.checked = false; }
    });
  });
})();
