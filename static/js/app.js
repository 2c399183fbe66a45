// The project's own few lines of JavaScript, on every page. Everything works without them: the menu is then
// always open, drop-downs have a submit button in <noscript>, and confirmations open as pages instead of dialogs.
(function () {
  "use strict";

  // Marks the page as scripted before the first paint, so the phone menu starts closed (see app.css, ".js").
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  // <select data-submit-on-change>: the language and the trainer switcher apply as soon as a value is picked
  // (they only change what is shown, never data).
  function setUpAutoSubmit() {
    document.addEventListener("change", function (event) {
      var select = event.target;
      if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
        select.form.submit();
      }
    });
  }

  // Confirmation pages loaded by HTMX into the page's <dialog> (hx-target="#confirm-dialog-body"). Their
  // "Cancel" (data-close-dialog) closes the dialog instead of leaving the page.
  function setUpConfirmDialog() {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) return;
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id === "confirm-dialog-body" && !dialog.open) {
        dialog.showModal();
      }
    });
    dialog.addEventListener("click", function (event) {
      var closer = event.target.closest("[data-close-dialog]");
      if (closer || event.target === dialog) {
        event.preventDefault();
        dialog.close();
      }
    });
  }

  // <table class="reflow">: each cell gets its column's heading as data-label, shown by app.css when the table
  // turns into cards on a phone. Cells spanning several columns (an empty list's message) get none.
  function labelReflowTables() {
    document.querySelectorAll("table.reflow").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (cell.colSpan === 1 && headings[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[index]);
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelReflowTables();
    setUpMenu();
    setUpAutoSubmit();
    setUpConfirmDialog();
  });
})();
