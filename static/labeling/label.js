// The labeling page: submit-and-next on Ctrl/Cmd+Enter, and a lease heartbeat
// that renews the worker's lease while they are active on the page.
(function () {
  "use strict";

  const HEARTBEAT_MS = 60 * 1000;

  function submitButton() {
    return document.querySelector('#task-form [data-action="submit"]');
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const button = submitButton();
    if (!button || button.disabled) return;
    event.preventDefault();
    // requestSubmit(button) sends the button's name/value (after=next) and lets
    // htmx handle the submit event like a click would.
    button.form.requestSubmit(button);
  });

  const article = document.querySelector("[data-lease-url]");
  if (!article) return;
  const leaseUrl = article.getAttribute("data-lease-url");
  let active = false;
  ["keydown", "input", "click", "mousemove"].forEach(function (name) {
    document.addEventListener(name, function () { active = true; }, { passive: true });
  });

  function csrfToken() {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function showLost(message) {
    const note = document.querySelector("[data-lease-lost]");
    if (!note) return;
    note.textContent = message + " If you submit now, your answer is kept in the task's history but not applied.";
    note.hidden = false;
  }

  const timer = window.setInterval(function () {
    if (!active) return;
    active = false;
    fetch(leaseUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status === 409) {
        window.clearInterval(timer);
        return response.json().then(function (data) { showLost(data.error || "Your lease has ended."); });
      }
      return null;
    }).catch(function () { /* offline: the next beat retries */ });
  }, HEARTBEAT_MS);
})();
