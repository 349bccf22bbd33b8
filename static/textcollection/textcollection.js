// TextCollection behaviour that HTML alone lacks: the slider's live value and
// ranking by drag. Both listen on the document, so they keep working after
// HTMX swaps the body. Everything else (conditions, add another, ranking by
// keyboard via the buttons) is a server round trip.
(function () {
  "use strict";

  // Slider <-> number box: the number box is the named input (it also works
  // without JS); the slider mirrors it and shows the value live while dragging.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLInputElement)) return;
    if (el.dataset.sliderFor) {
      var box = document.getElementById(el.dataset.sliderFor);
      if (box) box.value = el.value;
    } else if (el.classList.contains("tc-slider-value")) {
      var slider = document.getElementById(el.id + "-slider");
      if (slider && el.value !== "") slider.value = el.value;
    }
  });
  document.addEventListener("change", function (event) {
    // The slider has no name: forward its change to the number box so that
    // live wrappers (conditions) see a change of the named input.
    var el = event.target;
    if (el instanceof HTMLInputElement && el.dataset.sliderFor) {
      var box = document.getElementById(el.dataset.sliderFor);
      if (box) box.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // Ranking by drag: move the item, give it (or take away) its hidden input,
  // then fire "change" so the server re-renders positions and labels.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target instanceof Element && event.target.closest("[data-rank-item]");
    if (!item || item.getAttribute("draggable") !== "true") return;
    dragged = item;
    item.classList.add("tc-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.rankItem);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("tc-dragging");
    dragged = null;
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged || !(event.target instanceof Element)) return;
    var list = event.target.closest("[data-rank-list]");
    if (list && list.closest("[data-ranking]") === dragged.closest("[data-ranking]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    if (!dragged || !(event.target instanceof Element)) return;
    var list = event.target.closest("[data-rank-list]");
    var box = list && list.closest("[data-ranking]");
    if (!box || box !== dragged.closest("[data-ranking]")) return;
    event.preventDefault();
    var over = event.target.closest("[data-rank-item]");
    if (over && over !== dragged) {
      var rect = over.getBoundingClientRect();
      var after = event.clientY > rect.top + rect.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    } else if (!over) {
      list.appendChild(dragged);
    }
    var input = dragged.querySelector("input[type=hidden]");
    if (list.dataset.rankList === "ranked" && !input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = box.dataset.ranking;
      input.value = dragged.dataset.rankItem;
      dragged.prepend(input);
    } else if (list.dataset.rankList === "unranked" && input) {
      input.remove();
    }
    list.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
