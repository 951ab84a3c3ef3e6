// Saving as you go, one save at a time per criterion form (form[data-autosave]).
//
// - Typing saves after a pause, a change (leaving a field, a list) saves at once, "Save" saves at once.
// - Never two saves of one form in flight: a save asked for while one is on its way waits for it, then goes with
//   the revision that save brought back and the form's content at that moment (the latest content wins).
// - What was typed stays in this browser (localStorage) until the server has saved exactly that, so a dropped
//   connection or a closed tab never loses text; it is restored on the next visit, marked as not yet saved.
// - A real conflict (someone else saved meanwhile) pauses saving as you type until the person chooses: "Keep mine"
//   saves over the revision shown, "Take theirs" puts their version in the form.
// The server answers with the pieces to replace, by id (status, revision, field errors, conflict, measured level).
(function () {
  "use strict";
  const PAUSE = 1500;

  function key(form) { return "tincay-autosave-" + form.dataset.autosave; }
  function values(form) {
    const data = {};
    new FormData(form).forEach(function (v, k) {
      if (k !== "csrfmiddlewaretoken" && !k.endsWith("revision")) { data[k] = v; }
    });
    return data;
  }
  function remember(form) { localStorage.setItem(key(form), JSON.stringify(values(form))); }
  function status(form) { return form.querySelector(".save-status"); }
  function say(form, text, css) {
    const box = status(form);
    if (!box) { return; }
    box.textContent = "";
    const span = document.createElement("span");
    span.className = css;
    span.textContent = text;
    box.appendChild(span);
  }
  function inConflict(form) {
    const box = document.getElementById("conflict-" + form.dataset.result);
    return Boolean(box && box.firstElementChild);
  }

  // Replace each element of the answer that has an id by the element of this page with the same id.
  function apply(form, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    Array.from(template.content.children).forEach(function (fresh) {  // a copy: replacing empties the live list
      if (!fresh.id) { return; }
      const old = document.getElementById(fresh.id);
      if (!old) { return; }
      fresh.removeAttribute("hx-swap-oob");
      old.replaceWith(fresh);
    });
    markErrors(form);
  }

  // A field whose error box holds a message is marked invalid and described by it (read out with the field).
  function markErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (box) {
      const field = document.getElementById(box.id.replace(/_error$/, ""));
      if (!field) { return; }
      const bad = box.textContent.trim() !== "";
      field.classList.toggle("is-invalid", bad);
      if (bad) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
      const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== box.id;
      });
      if (bad) { ids.push(box.id); }
      if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); } else { field.removeAttribute("aria-describedby"); }
    });
  }

  function Saver(form) {
    let busy = false;   // a save of this form is on its way
    let next = null;    // the save asked for meanwhile: {explicit, keep}; only the last one is kept
    let timer = null;

    function ask(request) {
      window.clearTimeout(timer);
      if (!request.explicit && inConflict(form)) {
        say(form, form.dataset.resolve, "text-warning");
        return;
      }
      if (busy) {
        // one waiting save is enough: it reads the form when it goes, so it carries the latest content
        next = next ? { explicit: next.explicit || request.explicit, keep: request.keep || next.keep } : request;
        return;
      }
      send(request);
    }

    function send(request) {
      busy = true;
      const body = new FormData(form);
      if (request.keep) { body.set("keep", request.keep); }
      const sent = JSON.stringify(values(form));
      say(form, form.dataset.waiting, "text-body-secondary");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "HX-Request": "true", "HX-Current-URL": window.location.href },
      }).then(function (response) {
        return response.text().then(function (text) {
          if ([200, 400, 403, 409].indexOf(response.status) === -1 || text.indexOf("save-status") === -1) {
            throw new Error("unexpected answer " + response.status);
          }
          apply(form, text);
          const savedExactly = response.status === 200 && text.indexOf("text-success") !== -1;
          if (savedExactly && JSON.stringify(values(form)) === sent) { localStorage.removeItem(key(form)); }
        });
      }).catch(function () {
        say(form, form.dataset.failed, "text-danger");
      }).finally(function () {
        busy = false;
        const waiting = next;
        next = null;
        if (waiting) { ask(waiting); }
      });
    }

    form.addEventListener("input", function () {
      remember(form);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { ask({ explicit: false }); }, PAUSE);
    });
    form.addEventListener("change", function () {
      remember(form);
      ask({ explicit: false });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const by = event.submitter;
      ask({ explicit: true, keep: by && by.name === "keep" ? by.value : null });
    });
    // "Take theirs": their version into the form, their revision, nothing left to save.
    form.addEventListener("click", function (event) {
      const link = event.target.closest("[data-take-theirs]");
      if (!link) { return; }
      event.preventDefault();
      window.clearTimeout(timer);
      const theirs = JSON.parse(link.dataset.takeTheirs);
      Object.keys(theirs).forEach(function (name) {
        const field = form.elements[name];
        if (!field) { return; }
        if (field.type === "checkbox") { field.checked = theirs[name] === "on"; } else { field.value = theirs[name]; }
      });
      const revision = document.getElementById("rev-" + form.dataset.result);
      if (revision) { revision.value = link.dataset.revision; }
      localStorage.removeItem(key(form));
      const box = document.getElementById("conflict-" + form.dataset.result);
      if (box) { box.textContent = ""; }
      say(form, form.dataset.tookTheirs, "text-body-secondary");
    });
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
      const box = status(form);
      if (box) { box.textContent = box.dataset.restored || "⟲"; box.classList.add("text-warning"); }
    }
    markErrors(form);
    Saver(form);
  });
})();
