// Keeps what was typed in autosaving forms in this browser until the server has saved it, so a dropped
// connection or a closed tab never loses text. Restored on the next visit, marked as not yet saved.
(function () {
  "use strict";
  function key(form) { return "tincay-autosave-" + form.dataset.autosave; }
  function values(form) {
    const data = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrfmiddlewaretoken" && !k.endsWith("revision")) { data[k] = v; } });
    return data;
  }
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    const stored = localStorage.getItem(key(form));
    if (stored) {
      const data = JSON.parse(stored);
      Object.keys(data).forEach(function (name) {
        const field = form.elements[name];
        if (!field) { return; }
        if (field.type === "checkbox") { field.checked = data[name] === "on"; } else { field.value = data[name]; }
      });
      const status = form.querySelector(".save-status");
      if (status) { status.textContent = status.dataset.restored || "⟲"; status.classList.add("text-warning"); }
    }
    form.addEventListener("input", function () { localStorage.setItem(key(form), JSON.stringify(values(form))); });
    form.addEventListener("change", function () { localStorage.setItem(key(form), JSON.stringify(values(form))); });
    // A refused save answers 400 (bad value), 403 (not yours) or 409 (saved meanwhile): show its message too.
    form.addEventListener("htmx:beforeSwap", function (event) {
      if ([400, 403, 409].indexOf(event.detail.xhr.status) !== -1) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful && event.detail.xhr.responseText.indexOf("text-success") !== -1) {
        localStorage.removeItem(key(form));
      }
    });
  });
})();
