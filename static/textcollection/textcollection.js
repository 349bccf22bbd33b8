// TextCollection behaviour that HTML alone lacks: the slider's live value and
// ranking (drag, and the move buttons) done instantly in the page. Everything
// listens on the document, so it keeps working after HTMX swaps the body.
// Conditions, "add another", "remove" and form tabs are server round trips.
(function () {
  "use strict";

  // Controls that need this script (e.g. Clear on radio groups) are shown only
  // when it runs.
  document.documentElement.classList.add("tc-js");

  // Clear an optional radio group: uncheck it, then fire "change" so
  // conditions that depend on it are re-evaluated by the server.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-clear-radios]");
    if (!button) return;
    var form = button.closest("form") || document;
    var radios = form.querySelectorAll('input[type=radio][name="' + button.dataset.clearRadios + '"]');
    var changed = null;
    radios.forEach(function (radio) {
      if (radio.checked) { radio.checked = false; changed = radio; }
    });
    if (changed) changed.dispatchEvent(new Event("change", { bubbles: true }));
  });

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

  // ------------------------------------------------------------ ranking
  //
  // A ranking is purely the worker's own state (nothing else on the page
  // depends on it), so moves happen here, at once, with no round trip: the
  // <li> moves between the lists, gets or loses its hidden input, and the
  // positions, tags and buttons are updated. A round trip per key press lost
  // presses: a press landing on a button swapped in a few milliseconds earlier
  // (before htmx had processed it) submitted the whole form instead, and two
  // presses before the first response each posted the same old order. The
  // buttons stay real submit buttons with formaction, so without JS they post
  // the form to the server, which applies the same move; the server validates
  // the final order at submit.

  function rankLists(box) {
    return {
      ranked: box.querySelector('[data-rank-list="ranked"]'),
      unranked: box.querySelector('[data-rank-list="unranked"]'),
    };
  }

  function rankItems(list) {
    return Array.prototype.filter.call(list.children, function (li) {
      return li.hasAttribute("data-rank-item");
    });
  }

  function rankOrder(box) {
    return rankItems(rankLists(box).ranked).map(function (li) { return li.dataset.rankItem; });
  }

  function opButton(item, op) {
    return item.querySelector('button[data-rank-op="' + op + '"]');
  }

  // Make every item of the box look the way the server would render it.
  function syncRanking(box) {
    var lists = rankLists(box);
    var max = parseInt(box.dataset.rankMax, 10) || 0;
    var ranked = rankItems(lists.ranked);
    var full = ranked.length >= max;
    ranked.forEach(function (li, pos) {
      var input = li.querySelector('input[type="hidden"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = box.dataset.ranking;
        input.value = li.dataset.rankItem;
        li.prepend(input);
      }
      var posSpan = li.querySelector(".tc-rank-pos");
      posSpan.textContent = String(pos + 1);
      posSpan.hidden = false;
      var tag = "";
      if (pos === 0 && box.dataset.firstLabel) tag = box.dataset.firstLabel;
      else if (pos === max - 1 && box.dataset.lastLabel) tag = box.dataset.lastLabel;
      setTag(li, posSpan, tag);
      var ops = li.querySelector(".tc-rank-ops");
      if (ops) ops.hidden = false;
      setDisabled(opButton(li, "up"), pos === 0);
      setDisabled(opButton(li, "down"), pos === ranked.length - 1);
      var add = opButton(li, "add");
      if (add) add.hidden = true;
      li.setAttribute("draggable", "true");
    });
    rankItems(lists.unranked).forEach(function (li) {
      var input = li.querySelector('input[type="hidden"]');
      if (input) input.remove();
      var posSpan = li.querySelector(".tc-rank-pos");
      posSpan.hidden = true;
      setTag(li, posSpan, "");
      var ops = li.querySelector(".tc-rank-ops");
      if (ops) ops.hidden = true;
      var add = opButton(li, "add");
      if (add) add.hidden = full;
      li.setAttribute("draggable", full ? "false" : "true");
    });
  }

  function setTag(li, posSpan, text) {
    var tag = li.querySelector(".tc-rank-tag");
    if (!text) {
      if (tag) tag.remove();
      return;
    }
    if (!tag) {
      tag = document.createElement("span");
      tag.className = "tc-rank-tag";
      posSpan.after(tag);
    }
    tag.textContent = text;
  }

  function setDisabled(button, disabled) {
    if (!button) return;
    if (disabled) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
  }

  // Unranked items are listed in attachment order, as the server lists them.
  function putUnranked(list, item) {
    var index = parseInt(item.dataset.rankItem, 10);
    var before = rankItems(list).find(function (li) {
      return li !== item && parseInt(li.dataset.rankItem, 10) > index;
    });
    list.insertBefore(item, before || null);
  }

  function visible(button) {
    return button && !button.hidden && !button.closest("[hidden]") ? button : null;
  }

  // Apply one move; returns the button that should have the focus afterwards.
  function moveRank(box, item, op) {
    var lists = rankLists(box);
    var inRanked = item.parentNode === lists.ranked;
    var next = null;
    if (op === "up" && inRanked) {
      var prev = item.previousElementSibling;
      // Move the neighbour, not the item: moving the focused element blurs it.
      if (prev) lists.ranked.insertBefore(prev, item.nextElementSibling);
    } else if (op === "down" && inRanked) {
      var after = item.nextElementSibling;
      if (after) lists.ranked.insertBefore(after, item);
    } else if (op === "add" && !inRanked) {
      var max = parseInt(box.dataset.rankMax, 10) || 0;
      if (rankItems(lists.ranked).length >= max) return opButton(item, "add");
      next = item.nextElementSibling || item.previousElementSibling;
      lists.ranked.appendChild(item);
    } else if (op === "remove" && inRanked) {
      next = item.nextElementSibling || item.previousElementSibling;
      putUnranked(lists.unranked, item);
    }
    syncRanking(box);
    if (op === "add") return visible(next && opButton(next, "add")) || opButton(item, "up");
    if (op === "remove") return visible(next && opButton(next, "remove")) || opButton(item, "add");
    return opButton(item, op);
  }

  // Capture phase: runs before htmx (and before the form's own submit), so a
  // press is handled even on a button that was swapped in a moment ago.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("button[data-rank-op]");
    var box = button && button.closest("[data-ranking]");
    var item = button && button.closest("[data-rank-item]");
    if (!box || !item) return;
    event.preventDefault();
    event.stopPropagation();
    var focus = moveRank(box, item, button.dataset.rankOp);
    if (focus && document.activeElement !== focus) focus.focus();
  }, true);

  // Other op buttons (add another, remove, tabs) are htmx round trips. One
  // pressed before htmx processed it (swapped in a few milliseconds earlier)
  // would submit the whole form; processing it here, in the capture phase,
  // lets htmx's own click listener see this very click.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("#tc-body button[hx-post]");
    if (button && window.htmx) window.htmx.process(button);
  }, true);

  // A round trip in flight (a condition, a tab, a failed submit) carries the
  // ranking as it was when sent; if the worker moved items since, its swap
  // would bring the old order back. Remember what was sent, and put the
  // current order back into the swapped-in boxes.
  var sentOrders = new WeakMap();
  var redoOrders = new WeakMap();

  function allOrders() {
    var out = {};
    document.querySelectorAll("[data-ranking]").forEach(function (box) {
      out[box.dataset.ranking] = rankOrder(box);
    });
    return out;
  }

  // A "remove:<prefix>-<i>" round trip renumbers later responses of that field
  // (tc-5-2-… becomes tc-5-1-…) and drops response i; follow the names.
  function renamed(name, op) {
    if (!op || op.indexOf("remove:") !== 0) return name;
    var slot = op.slice("remove:".length);
    var cut = slot.lastIndexOf("-");
    var prefix = slot.slice(0, cut + 1);
    var removed = parseInt(slot.slice(cut + 1), 10);
    if (name === slot || name.indexOf(slot + "-") === 0) return null;
    if (name.indexOf(prefix) !== 0) return name;
    var match = /^(\d+)(.*)$/.exec(name.slice(prefix.length));
    if (!match || parseInt(match[1], 10) <= removed) return name;
    return prefix + (parseInt(match[1], 10) - 1) + match[2];
  }

  function setOrder(box, order) {
    var lists = rankLists(box);
    var byIndex = {};
    rankItems(lists.ranked).concat(rankItems(lists.unranked)).forEach(function (li) {
      byIndex[li.dataset.rankItem] = li;
    });
    order.forEach(function (index) {
      if (byIndex[index]) lists.ranked.appendChild(byIndex[index]);
    });
    rankItems(lists.ranked).forEach(function (li) {
      if (order.indexOf(li.dataset.rankItem) < 0) putUnranked(lists.unranked, li);
    });
    syncRanking(box);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    var data = config && config.formData;
    sentOrders.set(event.detail.xhr, {
      orders: allOrders(),
      op: data && data.get ? data.get("_tc_op") : null,
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var sent = sentOrders.get(event.detail.xhr);
    if (!sent) return;
    var now = allOrders();
    var redo = {};
    var any = false;
    Object.keys(now).forEach(function (name) {
      var before = sent.orders[name];
      if (!before || before.join(",") === now[name].join(",")) return;
      var target = renamed(name, sent.op);
      if (target) {
        redo[target] = now[name];
        any = true;
      }
    });
    if (!any) return;
    // The focused button may be hidden in the old order htmx swaps in (so its
    // focus restore fails): focus it again once the order is back.
    var focused = document.activeElement;
    var focusId = focused && focused.closest && focused.closest("[data-ranking]") ? focused.id : "";
    redoOrders.set(event.detail.xhr, { orders: redo, focusId: focusId });
  });
  function redoAfterSwap(event) {
    var redo = redoOrders.get(event.detail.xhr);
    if (!redo) return;
    redoOrders.delete(event.detail.xhr);  // once: every box is in place by the first afterSwap
    Object.keys(redo.orders).forEach(function (name) {
      var order = redo.orders[name];
      document.querySelectorAll("[data-ranking]").forEach(function (box) {
        if (box.dataset.ranking === name && rankOrder(box).join(",") !== order.join(",")) {
          setOrder(box, order);
        }
      });
    });
    var focus = redo.focusId && document.getElementById(redo.focusId);
    if (focus && document.activeElement !== focus) focus.focus();
  }
  // afterSwap puts the order back before anyone sees the old one; afterSettle
  // covers a swap that fired no afterSwap.
  document.addEventListener("htmx:afterSwap", redoAfterSwap);
  document.addEventListener("htmx:afterSettle", redoAfterSwap);

  // Ranking by drag: move the item into place, then update the box as above.
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
    var lists = rankLists(box);
    if (list === lists.ranked && dragged.parentNode !== list) {
      var max = parseInt(box.dataset.rankMax, 10) || 0;
      if (rankItems(list).length >= max) return;
    }
    if (list === lists.unranked) {
      putUnranked(list, dragged);
    } else {
      var over = event.target.closest("[data-rank-item]");
      if (over && over !== dragged) {
        var rect = over.getBoundingClientRect();
        var after = event.clientY > rect.top + rect.height / 2;
        list.insertBefore(dragged, after ? over.nextSibling : over);
      } else if (!over) {
        list.appendChild(dragged);
      }
    }
    syncRanking(box);
  });
})();
