// NER mouse handling: a drag selects (snapped to grapheme clusters, edge
// whitespace dropped), a click picks a span or places the cursor, and the side
// panel's buttons. Methods of NerPage (ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});

  ns.pointerMethods = {
    bind() {
      // A reload within the save delay must not lose the last change.
      window.addEventListener("pagehide", () => {
        if (this.saveTimer) this.flush();
      });
      // On the document: a drag may end outside the text.
      document.addEventListener("mouseup", (e) => this.onMouseUp(e));
      this.textEl.addEventListener("click", (e) => this.onClick(e));
      // Re-drawing under a pressed mouse button would cut the drag's selection
      // off its text nodes, so focus by mouse shows no cursor until a key is used.
      this.textEl.addEventListener("mousedown", () => {
        this.pointerFocus = true;
      });
      this.textEl.addEventListener("focus", () => {
        if (!this.readonly && !this.pointerFocus) this.showCaret();
        this.pointerFocus = false;
      });
      this.textEl.addEventListener("keydown", (e) => this.onTextKey(e));
      this.root.addEventListener("click", (e) => this.onPanelClick(e));
      const filter = this.root.querySelector("[data-ner-filter]");
      if (filter) {
        filter.addEventListener("input", () => this.filterLabels(filter.value));
        filter.addEventListener("keydown", (e) => this.onFilterKey(e, filter));
      }
      this.root.addEventListener("keydown", (e) => {
        if (e.key === "Escape" && e.target.closest("[data-ner-inspector], [data-ner-relation-picker]")) {
          e.preventDefault();
          this.textEl.focus({ preventScroll: true });
        }
      });
      this.root.addEventListener("mouseover", (e) => {
        const show = e.target.closest("[data-relation-show]");
        if (show) this.showRelation(show.dataset.relationShow);
      });
    },

    onMouseUp() {
      if (this.readonly) return;
      const sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || !this.textEl.isConnected) return;
      const range = sel.getRangeAt(0);
      if (!this.textEl.contains(range.startContainer)) return;
      if (sel.isCollapsed) {
        // A plain click puts the keyboard cursor there.
        const at = this.offsetOf(range.startContainer, range.startOffset);
        this.clickedAt = at === null ? null : this.off.floorB(at);
        return;
      }
      const a = this.offsetOf(range.startContainer, range.startOffset);
      const b = this.offsetOf(range.endContainer, range.endOffset);
      if (a === null || b === null) return;
      sel.removeAllRanges();
      this.selectRange(a, b);
      // The click that ends this drag (dispatched right after mouseup, if at
      // all) must not also activate a span; a timer clears the flag otherwise.
      this.justSelected = true;
      setTimeout(() => {
        this.justSelected = false;
      }, 0);
    },

    selectRange(a, b) {
      const snapped = this.off.snap(a, b);
      const old = this.selection();
      if (!snapped) {
        this.say("Only whitespace was selected.", true);
        return;
      }
      this.anchor = snapped[0];
      this.focus = snapped[1];
      const from = Math.min(snapped[0], old ? old[0] : snapped[0]);
      const to = Math.max(snapped[1], old ? old[1] : snapped[1]);
      if (this.active) this.activate(null);
      this.renderRange(from, to);
      this.renderInspector();
      this.say(`Selected “${this.excerpt({ start: snapped[0], end: snapped[1] })}”: choose a label (click or 1–9).`);
      this.textEl.focus({ preventScroll: true });
    },

    onClick(e) {
      if (this.justSelected) {
        this.justSelected = false;
        return;
      }
      const piece = e.target.closest("[data-span-id]");
      if (piece) {
        const id = piece.dataset.spanId;
        if (this.relSource && id !== this.relSource) {
          this.activate(id);
          this.chooseTarget(id);
          return;
        }
        this.clearSelection();
        this.activate(id);
        const span = this.spans.get(id);
        this.say(`${this.labelName(span.label)}: “${this.excerpt(span)}”. Delete, relabel (1–9), a: attributes${this.relDefs.length ? ", r: relation" : ""}.`);
        return;
      }
      this.clearSelection();
      if (this.active) this.activate(null);
      if (this.clickedAt !== null && this.clickedAt !== undefined) {
        this.caretShown = true;
        this.moveTo(this.clickedAt, false);
        this.clickedAt = null;
      }
    },

    onPanelClick(e) {
      const errorSpan = e.target.closest("[data-error-span]");
      if (errorSpan) {
        this.activate(errorSpan.dataset.errorSpan, true);
        this.textEl.focus({ preventScroll: true });
        return;
      }
      const choice = e.target.closest("[data-label-choice]");
      if (choice) return this.applyLabel(choice.dataset.labelChoice);
      const action = e.target.closest("[data-ner-action]");
      if (action) {
        const span = this.active;
        switch (action.dataset.nerAction) {
          case "start-left": return this.nudge("start", -1);
          case "start-right": return this.nudge("start", 1);
          case "end-left": return this.nudge("end", -1);
          case "end-right": return this.nudge("end", 1);
          case "delete": return this.deleteSpan(span);
          case "relate": return this.relationStep();
          case "extent": return this.extentFromSelection();
        }
      }
      const del = e.target.closest("[data-relation-delete]");
      if (del) {
        const r = this.relations.get(del.dataset.relationDelete);
        if (r) {
          this.record({ what: "delete relation", relations: [[{ ...r }, null]] });
          this.say("Deleted the relation.");
        }
        return;
      }
      const show = e.target.closest("[data-relation-show]");
      if (show) return this.showRelation(show.dataset.relationShow);
      if (e.target.closest("[data-ner-undo]")) return this.undo();
      if (e.target.closest("[data-ner-help-toggle]")) return this.toggleHelp();
    },

    extentFromSelection() {
      const sel = this.selection();
      if (!this.active || !sel) return this.say("Choose a span, then select text and press x (Use selection).", true);
      const id = this.active;
      this.anchor = this.focus = sel[1];
      this.renderRange(sel[0], sel[1]);
      this.setExtent(id, sel[0], sel[1]);
    },
  };
})();
