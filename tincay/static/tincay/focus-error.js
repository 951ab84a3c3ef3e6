// After a refused form (the page comes back with errors), put the cursor on the first field in error and bring it
// into view, opening the section that holds it; with no field marked, the first error message is brought into view.
(function () {
  "use strict";
  const field = document.querySelector("form [aria-invalid='true']");
  const target = field || document.querySelector("form .alert-danger, form [role='alert'].text-danger");
  if (!target) { return; }
  const section = target.closest("details");
  if (section) { section.open = true; }
  if (!field) { target.setAttribute("tabindex", "-1"); }
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
})();
