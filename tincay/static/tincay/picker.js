// Choosing a unit or a person by name (ARIA combobox). Progressive enhancement: the page carries a plain input for
// the code or user name (input or textarea [data-picker] = the search address) and a link to a search-then-pick page
// ([data-picker-fallback]), which works without JavaScript. This file adds a search box before the input that
// asks the server as one types ("hoang van thu" finds "Hoàng Văn Thụ") and fills the input with the choice
// (appended to a comma-separated list when the input has data-picker-multiple). The server decides what may be
// chosen and the services check what is sent; nothing here is trusted.
(function () {
  "use strict";

  let counter = 0;

  function enhance(input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = "1";
    counter += 1;
    const id = "picker-" + counter;
    const multiple = input.hasAttribute("data-picker-multiple");

    const box = document.createElement("div");
    box.className = "picker mb-2";
    const label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = id;
    label.textContent = input.dataset.pickerLabel || "";
    const search = document.createElement("input");
    search.type = "text";
    search.id = id;
    search.className = "form-control form-control-sm";
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", id + "-list");
    const list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "list-group picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.pickerLabel || "");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.append(label, search, list, status);
    input.before(box);

    const fallback = input.closest("form, .picker-field")?.querySelector("[data-picker-fallback='" + input.name + "']");
    if (fallback) { fallback.hidden = true; }

    let active = -1;
    let timer = null;
    let asked = 0;

    function options() { return Array.from(list.querySelectorAll("[role=option]")); }

    function close() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
        option.classList.toggle("active", i === active);
      });
      search.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      const value = option.dataset.value;
      if (multiple) {
        const chosen = input.value.split(/[,\s]+/).filter(Boolean);
        if (chosen.indexOf(value) < 0) { chosen.push(value); }
        input.value = chosen.join(", ");
        search.value = "";
      } else {
        input.value = value;
        search.value = option.dataset.label;
      }
      input.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = (input.dataset.pickerChosen || "") + " " + option.dataset.label;
      close();
    }

    function show(results) {
      list.replaceChildren();
      results.forEach(function (row, i) {
        const option = document.createElement("li");
        option.id = id + "-o" + i;
        option.className = "list-group-item list-group-item-action py-1";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.value = row.value;
        option.dataset.label = row.label;
        const name = document.createElement("span");
        name.textContent = row.label;
        const detail = document.createElement("span");
        detail.className = "small text-body-secondary ms-2";
        detail.textContent = row.detail;
        option.append(name, detail);
        list.append(option);
      });
      if (!results.length) {
        const none = document.createElement("li");
        none.className = "list-group-item py-1 text-body-secondary";
        none.textContent = input.dataset.pickerEmpty || "";
        list.append(none);
      }
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      active = -1;
      status.textContent = results.length ? String(results.length) : (input.dataset.pickerEmpty || "");
    }

    function ask() {
      const text = search.value.trim();
      if (text.length < 2) { close(); return; }
      asked += 1;
      const mine = asked;
      const url = new URL(input.dataset.picker, window.location.href);
      url.searchParams.set("q", text);
      url.searchParams.set("format", "json");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === asked) { show(data.results || []); } })
        .catch(function () { close(); });
    }

    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { ask(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter") {
        if (!list.hidden) { event.preventDefault(); if (active >= 0) { choose(options()[active]); } }
      } else if (event.key === "Escape") { close(); }
    });
    list.addEventListener("mousedown", function (event) {
      const option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(option); }
    });
    search.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function enhanceAll(root) {
    root.querySelectorAll("input[data-picker], textarea[data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
