/**
 * The report's only script, inlined: table filters. Every row carries data-* attributes; a filter hides the rows
 * that do not match and updates the "Showing N" count. State "active" means anything not resolved.
 */
export const REPORT_SCRIPT = `
(function () {
  "use strict";
  function apply(bar) {
    var table = document.getElementById(bar.getAttribute("data-table"));
    var filters = Array.prototype.slice.call(bar.querySelectorAll("[data-filter]"));
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var visible = filters.every(function (input) {
        var key = input.getAttribute("data-filter");
        var want = input.value.trim().toLowerCase();
        if (want === "") return true;
        var have = (row.getAttribute("data-" + key) || "").toLowerCase();
        if (key === "text") return have.indexOf(want) !== -1;
        if (key === "state" && want === "active") return have !== "resolved";
        return have === want;
      });
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    var count = document.getElementById(table.id.replace("-table", "-shown"));
    if (count) count.textContent = String(shown);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".filters"), function (bar) {
    bar.addEventListener("input", function () { apply(bar); });
    bar.addEventListener("change", function () { apply(bar); });
    apply(bar);
  });
})();
`;
