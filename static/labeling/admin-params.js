// The params editor: Tab indents (two spaces) instead of leaving the textarea.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    const area = event.target;
    if (event.key !== "Tab" || event.shiftKey || !area.matches || !area.matches("[data-params-json]")) return;
    event.preventDefault();
    const start = area.selectionStart;
    area.setRangeText("  ", start, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
