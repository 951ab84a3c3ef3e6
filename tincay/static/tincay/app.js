// Behaviour shared by every page, attached by event delegation: the Content-Security-Policy allows no inline
// event handler (onclick=…), so markup only carries data-* attributes and this file reacts to them.
(function () {
  "use strict";

  // Unit tree: a [data-tree-toggle] button loads its children through htmx (hx-get into the next <ul>) when it
  // opens; a second press closes the branch without a request. Runs in the capture phase, before htmx's own
  // click handler on the button, so closing can stop the request.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-tree-toggle]");
    if (!button) { return; }
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    button.textContent = open ? "▸" : "▾";
    if (open) {
      event.stopPropagation();
      const branch = button.parentElement.querySelector(":scope > ul");
      if (branch) { branch.replaceChildren(); }
    }
  }, true);
})();

// A "Print" button (data-print), e.g. on a survey's QR poster; without JavaScript the browser's own print works.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) { window.print(); }
});
