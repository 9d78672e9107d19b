/* `workbook serve` only (never in a built site): reload this page when a rebuild changed it,
   show what stops the workbook from building (file:line: message), and build the PDFs and
   the EPUB on request. It talks only to the preview server it came from. */
(function () {
  "use strict";
  var me = document.currentScript;
  var loaded = Number(me && me.getAttribute("data-generation"));
  var page = decodeURIComponent(location.pathname.split("/").pop() || "index.html");

  var bar = document.createElement("div");
  bar.className = "workbook-preview";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "Preview");
  bar.hidden = true;
  var problem = document.createElement("div");
  problem.setAttribute("role", "alert");
  problem.className = "workbook-problem";
  var note = document.createElement("p");
  note.setAttribute("role", "status");
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "Build the PDFs and the EPUB";
  button.addEventListener("click", function () {
    button.disabled = true;
    note.textContent = "Building the PDFs and the EPUB…";
    fetch("/_workbook/build-all", { method: "POST" }).catch(function () {
      note.textContent = "The preview server is not answering.";
      button.disabled = false;
    });
  });
  bar.appendChild(problem);
  bar.appendChild(button);
  bar.appendChild(note);
  document.body.appendChild(bar);
  bar.hidden = false;
  applyStyle();

  function applyStyle() {
    /* CSSOM, not a style attribute: the page's policy allows no inline style. */
    var s = bar.style;
    s.position = "sticky"; s.bottom = "0"; s.zIndex = "30"; s.padding = "0.5em 1em";
    s.background = "#fff8d6"; s.color = "#1b1b1b"; s.borderTop = "2px solid #7a5c00";
    problem.style.whiteSpace = "pre-wrap";
    problem.style.fontFamily = "monospace";
    note.style.margin = "0.3em 0 0";
  }

  function show(state) {
    if (state.problems.length) {
      problem.textContent = "The workbook could not be built. Fix this and save; the page " +
        "reloads by itself:\n" + state.problems.join("\n");
    } else {
      problem.textContent = "";
    }
    note.textContent = state.note || "";
    button.disabled = /^Building/.test(state.note || "");
  }

  var events = new EventSource("/_workbook/events");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var mine = state.changed.some(function (name) {
      return name === page || name.indexOf("assets/") === 0 || name === "*";
    });
    if (state.generation !== loaded && !state.problems.length && mine) {
      events.close();
      location.reload();
      return;
    }
    show(state);
  };
})();
