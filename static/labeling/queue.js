// The queue page: "n" opens the next task (unless typing in a field).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const button = document.querySelector('[data-action="next-task"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.form.requestSubmit(button);
  });
})();
