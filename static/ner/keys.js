// The NER page's keyboard: the cursor in the text (a whole grapheme cluster per
// step), Shift to select, and the shortcuts listed in the sheet and docs/ner.md.
// Methods of NerPage (static/ner/ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});
  const WS = ns.WS;

  ns.keyMethods = {
    showCaret() {
      const before = this.caretShown;
      this.caretShown = true;
      if (!before) this.renderRange(this.focus, this.off.nextB(this.focus));
    },

    moveTo(pos, extend) {
      const old = this.selection() || [this.focus, this.off.nextB(this.focus)];
      pos = Math.max(0, Math.min(this.text.length, pos));
      this.focus = pos;
      if (!extend) this.anchor = pos;
      const now = this.selection() || [this.focus, this.off.nextB(this.focus)];
      this.renderRange(Math.min(old[0], now[0]), Math.max(old[1], now[1]));
      const cur = this.textEl.querySelector(".ner-pending, .ner-cursor");
      if (cur) cur.scrollIntoView({ block: "nearest" });
      if (!this.active) this.renderInspector();
    },

    clearSelection() {
      const sel = this.selection();
      if (!sel) return false;
      this.anchor = this.focus;
      this.renderRange(sel[0], sel[1]);
      this.renderInspector();
      return true;
    },

    wordMove(pos, dir) {
      const t = this.text;
      const isWs = (i) => WS.has(t[i]);
      if (dir > 0) {
        while (pos < t.length && isWs(pos)) pos++;
        while (pos < t.length && !isWs(pos)) pos++;
        return this.off.ceilB(pos);
      }
      while (pos > 0 && isWs(pos - 1)) pos--;
      while (pos > 0 && !isWs(pos - 1)) pos--;
      return this.off.floorB(pos);
    },

    lineMove(pos, dir) {
      const t = this.text;
      const lineStart = (p) => {
        while (p > 0 && t[p - 1] !== "\n" && !(t[p - 1] === "\r" && t[p] !== "\n")) p--;
        return p;
      };
      const lineEnd = (p) => {
        while (p < t.length && t[p] !== "\n" && t[p] !== "\r") p++;
        return p;
      };
      const start = lineStart(pos);
      const col = pos - start;
      if (dir === "home") return start;
      if (dir === "end") return lineEnd(pos);
      if (dir < 0) {
        if (start === 0) return 0;
        const prevStart = lineStart(this.off.prevB(start));
        return this.off.floorB(Math.min(prevStart + col, lineEnd(prevStart)));
      }
      const end = lineEnd(pos);
      if (end >= t.length) return t.length;
      const nextStart = this.off.nextB(end);
      return this.off.floorB(Math.min(nextStart + col, lineEnd(nextStart)));
    },

    onTextKey(e) {
      if (this.readonly) return;
      const k = e.key;
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && (k === "z" || k === "Z")) {
        e.preventDefault();
        return this.undo();
      }
      if (k.startsWith("Arrow") || k === "Home" || k === "End") {
        e.preventDefault();
        this.showCaret();
        if (e.altKey && (k === "ArrowLeft" || k === "ArrowRight")) {
          return this.nudge(e.shiftKey ? "start" : "end", k === "ArrowLeft" ? -1 : 1);
        }
        let pos = this.focus;
        if (k === "ArrowRight") pos = ctrl ? this.wordMove(pos, 1) : this.off.nextB(pos);
        else if (k === "ArrowLeft") pos = ctrl ? this.wordMove(pos, -1) : this.off.prevB(pos);
        else if (k === "ArrowUp") pos = this.lineMove(pos, -1);
        else if (k === "ArrowDown") pos = this.lineMove(pos, 1);
        else if (k === "Home") pos = ctrl ? 0 : this.lineMove(pos, "home");
        else if (k === "End") pos = ctrl ? this.text.length : this.lineMove(pos, "end");
        return this.moveTo(pos, e.shiftKey);
      }
      if (ctrl || e.altKey) return;
      if (/^[1-9]$/.test(k)) {
        e.preventDefault();
        const n = Number(k) - 1;
        if (this.relChoices) {
          const d = this.relChoices[n];
          if (d) this.addRelation(d.name);
          return;
        }
        const b = this.visibleChoices()[n];
        if (b) this.applyLabel(b.dataset.labelChoice);
        return;
      }
      switch (k) {
        case "Escape":
          e.preventDefault();
          if (this.relSource) return this.cancelRelation();
          if (this.clearSelection()) return;
          if (this.active) return this.activate(null);
          return;
        case "/":
        case "l":
          e.preventDefault();
          return this.focusFilter();
        case "Enter":
          e.preventDefault();
          if (this.relSource) return this.relationStep();
          if (this.selection()) return this.focusFilter();
          if (this.active) return this.focusAttributes();
          return;
        case "n":
        case "]":
          e.preventDefault();
          return this.step(1);
        case "p":
        case "[":
          e.preventDefault();
          return this.step(-1);
        case "Delete":
        case "Backspace":
          e.preventDefault();
          if (this.active) this.deleteSpan(this.active);
          return;
        case "r":
          e.preventDefault();
          return this.relationStep();
        case "a":
          e.preventDefault();
          return this.focusAttributes();
        case "x":
          e.preventDefault();
          return this.extentFromSelection();
        case "u":
          e.preventDefault();
          return this.undo();
        case "?":
          e.preventDefault();
          return this.toggleHelp();
      }
    },

    focusFilter() {
      const filter = this.root.querySelector("[data-ner-filter]");
      if (filter) filter.focus();
    },
  };
})();
