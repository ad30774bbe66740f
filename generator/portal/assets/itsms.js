/* itsms portal: sort and filter the register's table in the browser; let a keyboard
   reach every box that scrolls (a wide table), as screen readers and axe expect. */
(function () {
  "use strict";
  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.setAttribute("role", "button");
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellText(a, index), y = cellText(b, index);
          var c = x.localeCompare(y, "zh-CN", { numeric: true });
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function makeFilterable(input, table) {
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }
  function focusableScrolling() {
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        if (el.classList.contains("md-typeset__scrollwrap")) {
          el.setAttribute("role", "region");
          var heading = null;
          for (var n = el.closest("div[class^='itsms'], div") || el; n && !heading; n = n.previousElementSibling) {
            if (/^H[1-6]$/.test(n.tagName)) { heading = n; }
          }
          el.setAttribute("aria-label", heading ? heading.textContent.replace(/¶$/, "").trim() : document.title);
        }
      }
    });
  }
  function nameTheSearchDialog() {
    /* Material's search box is a dialog without a name (axe: aria-dialog-name) */
    var dialog = document.querySelector(".md-search[role='dialog']");
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "");
    }
  }
  function init() {
    focusableScrolling();
    nameTheSearchDialog();
    document.querySelectorAll(".itsms-sortable table").forEach(function (table) {
      if (table.dataset.itsms) { return; }
      table.dataset.itsms = "1";
      makeSortable(table);
      var input = document.querySelector(".itsms-filter");
      if (input) { makeFilterable(input, table); }
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(init); } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
