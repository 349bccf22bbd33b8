// Drawing the NER text: blocks of about BLOCK UTF-16 units, each cut at every
// span boundary into pieces; a span is one nested inline element per piece, and
// overlapping spans get different levels (underline depths). A change re-draws
// only the blocks it touches. Methods of NerPage (static/ner/ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});
  const el = ns.el;
  const BLOCK = 1500;
  const MAX_LEVEL = 5;

  ns.drawMethods = {
    // Interval partitioning: overlapping spans get different levels, so each
    // draws its underline at its own depth. Longer spans first = outer levels.
    assignLevels() {
      const list = [...this.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end);
      const levelEnd = [];
      for (const s of list) {
        let k = 0;
        while (k < levelEnd.length && levelEnd[k] > s.start) k++;
        levelEnd[k] = s.end;
        s.level = k;
      }
    },

    levelFor(span) {
      const used = new Set();
      for (const o of this.spans.values()) {
        if (o !== span && o.start < span.end && span.start < o.end) used.add(o.level);
      }
      let k = 0;
      while (used.has(k)) k++;
      return k;
    },

    buildBlocks() {
      const t = this.text;
      const n = t.length;
      this.blocks = [];
      let start = 0;
      while (start < n) {
        let end = Math.min(n, start + BLOCK);
        if (end < n) {
          // Prefer cutting after a newline, else after a space, never inside a
          // surrogate pair or before a combining mark (the split is only visual).
          const nl = t.indexOf("\n", end);
          if (nl !== -1 && nl - end < 400) end = nl + 1;
          else {
            const sp = t.indexOf(" ", end);
            if (sp !== -1 && sp - end < 200) end = sp + 1;
          }
          while (end < n && (/\p{M}/u.test(t[end]) || (t.charCodeAt(end) & 0xfc00) === 0xdc00 || t[end] === "\u200d")) end++;
        }
        this.blocks.push({ start, end, el: null });
        start = end;
      }
      // A block that starts and ends a line can be a block box: then a change
      // re-lays out that block only, not the whole text (one inline formatting
      // context of 100k characters costs ~100 ms per change).
      this.blocks.forEach((b, i) => {
        const startsLine = i === 0 || t[b.start - 1] === "\n";
        const endsLine = b.end === n || t[b.end - 1] === "\n";
        b.cls = startsLine && endsLine ? "ner-block ner-line" : "ner-block";
      });
      // Lone "\r" (not followed by "\n") ends a line: drawn by CSS (.ner-cr).
      this.loneCR = [];
      for (let i = t.indexOf("\r"); i !== -1; i = t.indexOf("\r", i + 1)) {
        if (t[i + 1] !== "\n") this.loneCR.push(i);
      }
    },

    blockIndex(u) {
      let lo = 0;
      let hi = this.blocks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.blocks[mid].start <= u) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },

    renderAll() {
      const frag = document.createDocumentFragment();
      const perBlock = this.blocks.map(() => []);
      for (const s of this.spans.values()) {
        const first = this.blockIndex(s.start);
        const last = this.blockIndex(s.end - 1);
        for (let b = first; b <= last; b++) perBlock[b].push(s);
      }
      this.blocks.forEach((block, i) => {
        block.el = el("span", { class: block.cls });
        this.fillBlock(block, perBlock[i]);
        frag.append(block.el);
      });
      this.textEl.replaceChildren(frag);
    },

    renderRange(from, to) {
      if (!this.blocks.length) return;
      const first = this.blockIndex(Math.max(0, from));
      const last = this.blockIndex(Math.max(0, Math.min(this.text.length - 1, to - 1)));
      for (let b = first; b <= Math.max(first, last); b++) {
        const block = this.blocks[b];
        const spans = [];
        for (const s of this.spans.values()) if (s.start < block.end && block.start < s.end) spans.push(s);
        const fresh = el("span", { class: block.cls });
        const old = block.el;
        block.el = fresh;
        this.fillBlock(block, spans);
        old.replaceWith(fresh);
      }
    },

    fillBlock(block, spans) {
      const { start, end } = block;
      const cuts = new Set([start, end]);
      for (const s of spans) {
        if (s.start > start) cuts.add(s.start);
        if (s.end < end) cuts.add(s.end);
      }
      const sel = this.selection();
      const pending = sel && sel[0] < end && start < sel[1] ? sel : null;
      if (pending) {
        cuts.add(Math.max(start, pending[0]));
        cuts.add(Math.min(end, pending[1]));
      }
      let cursor = null;
      if (!this.readonly && !sel && this.caretShown && this.focus >= start && this.focus < end) {
        cursor = [this.focus, Math.min(end, this.off.nextB(this.focus))];
        cuts.add(cursor[0]);
        cuts.add(cursor[1]);
      }
      for (const cr of this.loneCR) {
        if (cr >= start && cr < end) {
          cuts.add(cr);
          cuts.add(cr + 1);
        }
      }
      const points = [...cuts].sort((x, y) => x - y);
      const byLevel = spans.slice().sort((x, y) => x.level - y.level || y.end - x.end);
      const out = block.el;
      for (let i = 0; i + 1 < points.length; i++) {
        const p = points[i];
        const q = points[i + 1];
        let node = document.createTextNode(this.text.slice(p, q));
        if (this.text[p] === "\r" && q === p + 1 && this.text[q] !== "\n") {
          node = el("span", { class: "ner-cr" }, node);
        }
        if (cursor && p >= cursor[0] && q <= cursor[1]) node = el("span", { class: "ner-cursor" }, node);
        if (pending && p >= pending[0] && q <= pending[1]) node = el("span", { class: "ner-pending" }, node);
        for (let k = byLevel.length - 1; k >= 0; k--) {
          const s = byLevel[k];
          if (s.start <= p && s.end >= q) node = this.spanPiece(s, p, q, node);
        }
        out.append(node);
      }
    },

    spanPiece(s, p, q, child) {
      const label = this.labels.get(s.label);
      let cls = `ner-sp ner-c${label && label.leaf ? label.color : "x"} ner-lv${Math.min(s.level, MAX_LEVEL)}`;
      if (s.start === p) cls += " ner-start";
      if (s.end === q) cls += " ner-end";
      if (s.id === this.active) cls += " ner-active";
      if (s.id === this.relSource) cls += " ner-src";
      if (this.errorIds && this.errorIds.has(s.id)) cls += " ner-has-error";
      for (const [id, mark] of this.marked) if (id === s.id) cls += ` ${mark}`;
      const node = el("span", { class: cls, "data-span-id": s.id, "data-label": s.label }, child);
      if (s.end === q) node.setAttribute("data-tag", this.labelName(s.label));
      return node;
    },

    pieces(id) {
      return this.textEl.querySelectorAll(`[data-span-id="${CSS.escape(id)}"]`);
    },

    // UTF-16 offset of a DOM point inside the text (a Range measures the text before it).
    offsetOf(node, offset) {
      if (node === this.textEl) {
        if (offset >= this.blocks.length) return this.text.length;
        return this.blocks[offset].start;
      }
      let blockEl = node.nodeType === 1 ? node : node.parentElement;
      blockEl = blockEl && blockEl.closest(".ner-block");
      const block = blockEl && this.blocks.find((b) => b.el === blockEl);
      if (!block) return null;
      const range = document.createRange();
      range.setStart(block.el, 0);
      range.setEnd(node, offset);
      return block.start + range.toString().length;
    },
  };
})();
