/* The web edition's one script. Reading needs none of it; it adds:
   - the quick exit: "Leave this site" and the Esc key replace this page with an everyday site,
     so Back does not return here;
   - answers kept on this device only when the reader turns that on (localStorage), and erased
     on request; nothing is ever sent anywhere (the page's policy forbids it anyway);
   - printing a worksheet with the answers or blank;
   - "Add another entry" in logs, and text boxes that grow with what is typed. */
(function () {
  "use strict";

  var STORE = "workbook-answers:" + (document.documentElement.getAttribute("data-site") || "site");
  var PAGE = location.pathname.split("/").pop() || "index.html";

  /* The quick exit ------------------------------------------------------------------------ */
  var exit = document.querySelector("[data-quick-exit]");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;
    document.title = "";
    location.replace(exit.getAttribute("data-quick-exit"));
  }
  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.defaultPrevented) { leave(event); }
    });
  }

  /* Answers ------------------------------------------------------------------------------- */
  var main = document.getElementById("main");
  var panel = document.querySelector("[data-answers-panel]");
  if (!main || !panel) { return; }
  panel.hidden = false;
  var keep = panel.querySelector("[data-keep]");
  var status = panel.querySelector("[data-status]");

  function controls() {
    return main.querySelectorAll("input[name], textarea[name]");
  }
  function say(text) { status.textContent = text; }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }
  function readAll() {
    var store = storage();
    if (!store) { return null; }
    try { return JSON.parse(store.getItem(STORE) || "null"); } catch (error) { return null; }
  }
  function collect() {
    var answers = {};
    controls().forEach(function (control) {
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) { answers[control.name] = control.value; }
      } else if (control.value) {
        answers[control.name] = control.value;
      }
    });
    var logs = {};
    main.querySelectorAll("[data-log]").forEach(function (log) {
      logs[log.getAttribute("data-log")] = log.querySelectorAll("[data-entry]").length;
    });
    return { answers: answers, logs: logs };
  }
  function save() {
    var store = storage();
    if (!store || !keep.checked) { return; }
    var all = readAll() || { pages: {} };
    all.pages[PAGE] = collect();
    try { store.setItem(STORE, JSON.stringify(all)); } catch (error) {
      say("This browser would not keep your answers. They are still on this page.");
    }
  }
  function fill(saved) {
    Object.keys(saved.logs || {}).forEach(function (name) {
      var log = main.querySelector('[data-log="' + name + '"]');
      while (log && log.querySelectorAll("[data-entry]").length < saved.logs[name]) {
        addEntry(log, false);
      }
    });
    controls().forEach(function (control) {
      var value = (saved.answers || {})[control.name];
      if (control.type === "checkbox") { control.checked = value !== undefined; }
      else if (control.type === "radio") { control.checked = value === control.value; }
      else { control.value = value || ""; grow(control); }
    });
  }
  function clearPage() {
    controls().forEach(function (control) {
      if (control.type === "checkbox" || control.type === "radio") { control.checked = false; }
      else { control.value = ""; grow(control); }
    });
  }

  var kept = readAll();
  if (kept) {
    keep.checked = true;
    if (kept.pages && kept.pages[PAGE]) { fill(kept.pages[PAGE]); }
  }
  keep.addEventListener("change", function () {
    var store = storage();
    if (keep.checked) {
      save();
      say("Your answers will be kept in this browser on this device, until you erase them.");
    } else {
      if (store) { store.removeItem(STORE); }
      say("Your answers are no longer kept. They stay on this page until you close it.");
    }
  });
  main.addEventListener("input", save);
  main.addEventListener("change", save);

  panel.querySelector("[data-erase]").addEventListener("click", function () {
    if (!window.confirm("Erase your answers on every page of this workbook, here and in this browser's storage? This cannot be undone.")) {
      return;
    }
    var store = storage();
    if (store) { store.removeItem(STORE); }
    keep.checked = false;
    clearPage();
    say("Your answers are erased.");
  });

  /* Printing ------------------------------------------------------------------------------ */
  panel.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.getAttribute("data-print") !== "blank") { window.print(); return; }
      var saved = collect();
      clearPage();
      window.print();
      fill(saved);
    });
  });

  /* Text boxes that grow, and logs with more entries -------------------------------------- */
  function grow(control) {
    if (control.tagName !== "TEXTAREA") { return; }
    control.style.height = "auto";
    control.style.height = control.scrollHeight + 2 + "px";
  }
  main.addEventListener("input", function (event) { grow(event.target); });

  function addEntry(log, focus) {
    var entries = log.querySelector("[data-entries]");
    var all = entries.querySelectorAll("[data-entry]");
    var number = all.length + 1;
    var entry = all[0].cloneNode(true);
    var name = (log.getAttribute("data-entry-name") || "Entry") + " " + number;
    entry.setAttribute("data-entry", String(number));
    entry.querySelector("legend").textContent = name;
    var from = new RegExp("^(" + log.getAttribute("data-log") + ")-1-");
    entry.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (node) {
      ["id", "for", "name", "aria-describedby"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) { node.setAttribute(attribute, value.replace(from, "$1-" + number + "-")); }
      });
      if (node.tagName === "TEXTAREA") { node.value = ""; node.style.height = ""; }
      if (node.tagName === "INPUT") {
        if (node.type === "checkbox" || node.type === "radio") { node.checked = false; } else { node.value = ""; }
      }
    });
    entries.appendChild(entry);
    if (focus) {
      entry.querySelector("textarea, input").focus();
      say(name + " added.");
    }
    return entry;
  }
  main.querySelectorAll("[data-log]").forEach(function (log) {
    var button = log.querySelector("[data-add-entry]");
    button.hidden = false;
    button.addEventListener("click", function () { addEntry(log, true); save(); });
  });
})();
