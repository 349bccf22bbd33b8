// Named Entity Recognition labeling page (see docs/ner.md): the page's state
// (spans, relations, undo, browser copy, the posted response), its actions and
// mouse handling. The rest lives beside it, loaded first: offsets.js (code
// points, UTF-16, grapheme clusters), draw.js (the text), panel.js (labels,
// inspector, relations list), keys.js (the keyboard).
//
// The text arrives as JSON (the text of a hidden [data-ner-config]) and is drawn
// with textContent, never innerHTML. Spans keep UTF-16 offsets (what the DOM
// counts); the posted response uses code points (what Python and the spec count).
(() => {
  "use strict";

  const PALETTE = 12;
  const STORAGE_PREFIX = "labelform:ner:";
  // offsets.js, draw.js, panel.js and keys.js are loaded first (the scripts are deferred, in order).
  const ns = window.labelformNer;
  const { Offsets, el } = ns;
  function uuid4() {
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // ------------------------------------------------------------ the page

  class NerPage {
    constructor(root) {
      const t0 = performance.now();
      this.root = root;
      this.config = JSON.parse(root.querySelector("[data-ner-config]").textContent);
      this.text = this.config.text;
      this.readonly = root.hasAttribute("data-readonly");
      this.off = new Offsets(this.text);
      this.textEl = root.querySelector("[data-ner-text]");
      this.statusEl = root.querySelector("[data-ner-status]");
      this.output = root.querySelector("[data-ner-output]");
      this.storageKey = this.config.task_key ? STORAGE_PREFIX + this.config.task_key : null;

      this.indexLabels();
      this.spans = new Map(); // id -> {id, start, end, label, attributes, level}
      this.relations = new Map(); // id -> {id, source, target, name}
      this.undoStack = [];
      this.anchor = 0; // keyboard selection, UTF-16, at grapheme boundaries
      this.focus = 0;
      this.caretShown = false;
      this.active = null; // id of the span being edited
      this.relSource = null; // id of the span a relation starts from
      this.relTarget = null;
      this.marked = []; // [id, class] relation markers currently shown
      this.sortedDirty = true;
      this.filterHi = 0;
      this.saveTimer = null;

      this.loadInitial();
      this.markErrors();
      this.buildBlocks();
      this.renderAll();
      this.buildTree();
      this.renderRelationList();
      this.renderInspector();
      this.bind();
      this.writeOutput();
      // Timings for bench/bench_ner.py (ms since navigation start, and init cost).
      root.dataset.nerReadyAt = performance.now().toFixed(1);
      root.dataset.nerInitMs = (performance.now() - t0).toFixed(1);
      root.setAttribute("data-ner-ready", "");
    }

    // ---------------------------------------------------------- taxonomy

    indexLabels() {
      this.labels = new Map(); // name -> label (with path, leaf, color, index)
      this.leaves = [];
      const walk = (list) => {
        for (const label of list) {
          label.leaf = !label.children;
          this.labels.set(label.name, label);
          if (label.leaf) {
            label.color = this.leaves.length % PALETTE;
            this.leaves.push(label);
          } else walk(label.children);
        }
      };
      walk(this.config.labels);
      this.relDefs = this.config.relationships;
      this.namedRelations = this.relDefs.some((r) => r.name);
    }

    admits(constraint, labelName) {
      if (constraint === null || constraint === undefined) return true;
      const label = this.labels.get(labelName);
      return !!label && label.path.includes(constraint);
    }

    // Mirrors ner.schema.Taxonomy.allowed: undirected definitions match either order.
    allowedRelations(sourceLabel, targetLabel) {
      return this.relDefs.filter(
        (r) =>
          (this.admits(r.source_label, sourceLabel) && this.admits(r.target_label, targetLabel)) ||
          (!r.is_directed &&
            this.admits(r.source_label, targetLabel) &&
            this.admits(r.target_label, sourceLabel)),
      );
    }

    labelName(name) {
      const label = this.labels.get(name);
      return label ? label.display_name : name;
    }

    // ---------------------------------------------------------- state in / out

    loadInitial() {
      let data = this.config.initial;
      let restored = null;
      if (this.storageKey) {
        if (this.readonly) this.forget();
        // After a refused submit the posted work wins; if it could not even be
        // parsed, the browser copy is the work.
        else if (this.config.source !== "posted" || !this.config.initial) restored = this.readStored();
      }
      if (restored) {
        data = restored.response;
        this.say(
          `Restored your unsaved work from ${new Date(restored.saved_at).toLocaleString()}.`,
          false,
          "Discard it",
          () => {
            this.forget();
            this.replaceState(this.config.initial);
            this.say("Discarded the restored work.");
          },
        );
      }
      this.replaceState(data, true);
    }

    replaceState(data, initial) {
      this.spans.clear();
      this.relations.clear();
      let skipped = 0;
      const annotations = (data && Array.isArray(data.annotations) && data.annotations) || [];
      for (const a of annotations) {
        const start = this.off.toU16(a && a.start);
        const end = this.off.toU16(a && a.end);
        if (start < 0 || end < 0 || start >= end || typeof a.label !== "string") {
          skipped++;
          continue;
        }
        const id = typeof a.id === "string" && a.id && !this.spans.has(a.id) ? a.id : uuid4();
        const attributes = a.attributes && typeof a.attributes === "object" ? { ...a.attributes } : {};
        this.spans.set(id, { id, start, end, label: a.label, attributes, level: 0 });
      }
      const rels = (data && Array.isArray(data.relationships) && data.relationships) || [];
      for (const r of rels) {
        if (!r || !this.spans.has(r.source_ref) || !this.spans.has(r.target_ref)) {
          skipped++;
          continue;
        }
        const id = typeof r.id === "string" && r.id && !this.relations.has(r.id) ? r.id : uuid4();
        this.relations.set(id, {
          id,
          source: r.source_ref,
          target: r.target_ref,
          name: typeof r.name === "string" ? r.name : "",
        });
      }
      if (skipped) this.say(`${skipped} item(s) could not be shown: their offsets or references are invalid.`, true);
      this.assignLevels();
      this.sortedDirty = true;
      this.undoStack = [];
      if (!initial) {
        this.active = null;
        this.renderAll();
        this.renderRelationList();
        this.renderInspector();
        this.changed();
      }
    }

    response() {
      const annotations = [];
      for (const s of this.spans.values()) {
        const a = {
          id: s.id,
          start: this.off.toCp(s.start),
          end: this.off.toCp(s.end),
          text: this.text.slice(s.start, s.end),
          label: s.label,
        };
        const attrs = Object.fromEntries(Object.entries(s.attributes).filter(([, v]) => v !== ""));
        if (Object.keys(attrs).length) a.attributes = attrs;
        annotations.push(a);
      }
      const relationships = [];
      for (const r of this.relations.values()) {
        relationships.push({ id: r.id, source_ref: r.source, target_ref: r.target, name: r.name });
      }
      return { annotations, relationships };
    }

    writeOutput() {
      if (this.output) this.output.value = JSON.stringify(this.response());
    }

    readStored() {
      try {
        const raw = localStorage.getItem(this.storageKey);
        if (!raw) return null;
        const stored = JSON.parse(raw);
        // A different text (task edited?) would misplace every span.
        if (stored.text_length !== this.text.length) return null;
        return stored;
      } catch {
        return null;
      }
    }

    store() {
      if (!this.storageKey || this.readonly) return;
      try {
        localStorage.setItem(
          this.storageKey,
          JSON.stringify({ saved_at: Date.now(), text_length: this.text.length, response: this.response() }),
        );
      } catch {
        this.say("Could not keep a copy in this browser (storage full?). Submit soon.", true);
      }
    }

    forget() {
      if (!this.storageKey) return;
      try {
        localStorage.removeItem(this.storageKey);
      } catch {
        /* storage unavailable: nothing to forget */
      }
    }

    changed() {
      // The hidden input and the browser copy are refreshed a moment later, so
      // a burst of edits costs one serialization; submit flushes at once.
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.flush(), 200);
      const undo = this.root.querySelector("[data-ner-undo]");
      if (undo) undo.disabled = this.undoStack.length === 0;
    }

    flush() {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.writeOutput();
      this.store();
    }

    say(message, warn, actionLabel, action) {
      if (!this.statusEl) return;
      this.statusEl.textContent = message;
      this.statusEl.classList.toggle("ner-warn", !!warn);
      if (actionLabel) {
        const button = el("button", { type: "button", class: "link", text: actionLabel });
        button.addEventListener("click", () => action());
        this.statusEl.append(" ", button);
      }
    }

    // The server names refused items by index (annotations[3].label); mark
    // those spans and let a click on the error go to the span.
    markErrors() {
      this.errorIds = new Set();
      const posted = this.config.source === "posted" && this.config.initial;
      if (!posted) return;
      const byIndex = (list, i) => (Array.isArray(list) && list[i] && list[i].id) || null;
      for (const item of this.root.querySelectorAll("[data-error-path]")) {
        const m = /^(annotations|relationships)\[(\d+)\]/.exec(item.dataset.errorPath);
        if (!m) continue;
        let id = byIndex(posted[m[1]], Number(m[2]));
        if (m[1] === "relationships") {
          const r = id && this.relations.get(id);
          id = r ? r.source : null;
        }
        if (!id || !this.spans.has(id)) continue;
        this.errorIds.add(id);
        const go = el("button", { type: "button", class: "link", "data-error-span": id, text: "show" });
        item.append(" ", go);
      }
    }

    sorted() {
      if (this.sortedDirty) {
        this.sortedList = [...this.spans.values()].sort((a, b) => a.start - b.start || a.end - b.end);
        this.sortedDirty = false;
      }
      return this.sortedList;
    }

    selection() {
      const a = Math.min(this.anchor, this.focus);
      const b = Math.max(this.anchor, this.focus);
      return a < b ? [a, b] : null;
    }

    // ---------------------------------------------------------- actions

    record(change) {
      this.undoStack.push(change);
      if (this.undoStack.length > 200) this.undoStack.shift();
      this.apply(change, false);
    }

    // A change is {spans: [[before, after]], relations: [[before, after]]}
    // (null before = created, null after = deleted); undo applies it backwards.
    apply(change, backwards) {
      let from = Infinity;
      let to = -Infinity;
      const touch = (s) => {
        if (s) {
          from = Math.min(from, s.start);
          to = Math.max(to, s.end);
        }
      };
      for (const [before, after] of change.spans || []) {
        const [gone, now] = backwards ? [after, before] : [before, after];
        touch(gone);
        touch(now);
        if (gone) this.spans.delete(gone.id);
        if (now) {
          const span = { ...now, attributes: { ...now.attributes } };
          span.level = this.levelFor(span);
          this.spans.set(span.id, span);
        }
      }
      for (const [before, after] of change.relations || []) {
        const [gone, now] = backwards ? [after, before] : [before, after];
        if (gone) this.relations.delete(gone.id);
        if (now) this.relations.set(now.id, { ...now });
        for (const r of [gone, now]) {
          if (!r) continue;
          for (const id of [r.source, r.target]) touch(this.spans.get(id));
        }
      }
      if (this.active && !this.spans.has(this.active)) this.active = null;
      this.sortedDirty = true;
      if (from < to) this.renderRange(from, to);
      const changedIds = new Set((change.spans || []).map(([b, a]) => (b || a).id));
      let relationsTouched = (change.relations || []).length > 0;
      if (!relationsTouched && changedIds.size) {
        for (const r of this.relations.values()) {
          if (changedIds.has(r.source) || changedIds.has(r.target)) {
            relationsTouched = true;
            break;
          }
        }
      }
      if (relationsTouched) this.renderRelationList();
      this.renderInspector();
      this.changed();
    }

    undo() {
      const change = this.undoStack.pop();
      if (!change) return this.say("Nothing to undo.");
      this.apply(change, true);
      this.say(`Undid: ${change.what}.`);
    }

    snapshot(span) {
      return { id: span.id, start: span.start, end: span.end, label: span.label, attributes: { ...span.attributes } };
    }

    applyLabel(name) {
      const label = this.labels.get(name);
      if (!label || !label.leaf || this.readonly) return;
      const sel = this.selection();
      if (sel) {
        for (const s of this.spans.values()) {
          if (s.start === sel[0] && s.end === sel[1] && s.label === name) {
            this.say("That text already has this label.", true);
            return;
          }
        }
        const span = { id: uuid4(), start: sel[0], end: sel[1], label: name, attributes: {} };
        this.anchor = this.focus = sel[1];
        this.active = span.id;
        this.record({ what: `label “${label.display_name}”`, spans: [[null, span]] });
        this.say(`Labelled “${this.excerpt(span)}” as ${label.display_name}.`);
        if (label.attributes) this.focusAttributes();
        else this.textEl.focus({ preventScroll: true });
        return;
      }
      const active = this.active && this.spans.get(this.active);
      if (active) {
        if (active.label === name) return;
        const before = this.snapshot(active);
        const after = { ...before, label: name, attributes: {} };
        for (const a of label.attributes || []) {
          if (a.key in before.attributes) after.attributes[a.key] = before.attributes[a.key];
        }
        this.record({ what: "change label", spans: [[before, after]] });
        this.say(`Relabelled as ${label.display_name}.`);
        this.warnRelations(active.id);
        this.textEl.focus({ preventScroll: true });
        return;
      }
      this.say("Select some text first (drag over it, or Shift+arrows in the text).", true);
    }

    warnRelations(id) {
      for (const r of this.relations.values()) {
        if ((r.source === id || r.target === id) && !this.relationOk(r)) {
          this.say("A relation of this span no longer fits its labels (marked in the list).", true);
        }
      }
    }

    relationOk(r) {
      const s = this.spans.get(r.source);
      const t = this.spans.get(r.target);
      return !!s && !!t && this.allowedRelations(s.label, t.label).some((d) => d.name === r.name);
    }

    deleteSpan(id) {
      const span = this.spans.get(id);
      if (!span) return;
      const rels = [...this.relations.values()].filter((r) => r.source === id || r.target === id);
      this.record({
        what: "delete span",
        spans: [[this.snapshot(span), null]],
        relations: rels.map((r) => [{ ...r }, null]),
      });
      this.say(`Deleted “${this.excerpt(span)}”${rels.length ? ` and ${rels.length} relation(s)` : ""}.`);
    }

    setExtent(id, start, end) {
      const span = this.spans.get(id);
      if (!span || start >= end || start < 0 || end > this.text.length) return;
      if (start === span.start && end === span.end) return;
      const before = this.snapshot(span);
      this.record({ what: "change extent", spans: [[before, { ...before, start, end }]] });
      this.say(`Span is now “${this.excerpt(this.spans.get(id))}”.`);
    }

    nudge(which, dir) {
      const span = this.active && this.spans.get(this.active);
      if (!span) return this.say("Choose a span first (click it, or n / p).", true);
      let { start, end } = span;
      if (which === "start") start = dir < 0 ? this.off.prevB(start) : this.off.nextB(start);
      else end = dir < 0 ? this.off.prevB(end) : this.off.nextB(end);
      this.setExtent(span.id, start, end);
    }

    setAttribute(id, key, value) {
      const span = this.spans.get(id);
      if (!span) return;
      const before = this.snapshot(span);
      const after = { ...before, attributes: { ...before.attributes } };
      if (value === "") delete after.attributes[key];
      else after.attributes[key] = value;
      this.record({ what: "change attribute", spans: [[before, after]] });
    }

    excerpt(span, limit = 40) {
      const t = this.text.slice(span.start, span.end).replace(/\s+/g, " ");
      return t.length > limit ? `${t.slice(0, limit)}…` : t;
    }

    activate(id, scroll) {
      const old = this.active;
      this.active = id;
      if (old) for (const p of this.pieces(old)) p.classList.remove("ner-active");
      if (id) {
        const ps = this.pieces(id);
        for (const p of ps) p.classList.add("ner-active");
        if (scroll && ps.length) ps[0].scrollIntoView({ block: "nearest" });
      }
      this.renderInspector();
    }

    step(dir) {
      const list = this.sorted();
      if (!list.length) return this.say("There are no spans yet.");
      const cur = this.active && this.spans.get(this.active);
      let i;
      if (!cur) {
        const pos = this.focus;
        i = dir > 0 ? list.findIndex((s) => s.start >= pos) : list.findLastIndex((s) => s.start < pos);
        if (i === -1) i = dir > 0 ? 0 : list.length - 1;
      } else {
        i = (list.indexOf(cur) + dir + list.length) % list.length;
      }
      this.activate(list[i].id, true);
      this.say(`${this.labelName(list[i].label)}: “${this.excerpt(list[i])}” (${i + 1} of ${list.length})`);
    }

    // ---------------------------------------------------------- relations

    relationStep() {
      if (!this.relDefs.length) return this.say("This task has no relations.", true);
      if (!this.relSource) {
        if (!this.active) return this.say("Choose the source span first (click it, or n / p).", true);
        this.relSource = this.active;
        for (const p of this.pieces(this.relSource)) p.classList.add("ner-src");
        this.say("Relation: now choose the target span (click it, or n / p then r).");
        return;
      }
      if (!this.active || this.active === this.relSource) {
        return this.say("Choose a different span as the target (click it, or n / p then r).", true);
      }
      this.chooseTarget(this.active);
    }

    chooseTarget(id) {
      this.relTarget = id;
      const source = this.spans.get(this.relSource);
      const target = this.spans.get(id);
      const allowed = this.allowedRelations(source.label, target.label).filter(
        (d) => !this.duplicateRelation(source.id, target.id, d),
      );
      if (!allowed.length) {
        this.say(
          `No relation may link ${this.labelName(source.label)} → ${this.labelName(target.label)} (or it exists already).`,
          true,
        );
        return this.cancelRelation(true);
      }
      if (!this.namedRelations) return this.addRelation("");
      const picker = this.root.querySelector("[data-ner-relation-picker]");
      picker.replaceChildren(
        el("p", { class: "ner-muted", text: `“${this.excerpt(source, 20)}” → ? → “${this.excerpt(target, 20)}”` }),
        ...allowed.map((d, i) => {
          const b = el(
            "button",
            { type: "button", class: "ner-relchoice", "data-relation-choice": d.name },
            i < 9 ? el("kbd", { text: String(i + 1) }) : null,
            ` ${d.display_name}${d.is_directed ? " →" : " ↔"}`,
          );
          b.addEventListener("click", () => this.addRelation(d.name));
          return b;
        }),
      );
      picker.hidden = false;
      this.relChoices = allowed;
      this.say("Pick the relation: click it or press its number (Esc cancels).");
    }

    duplicateRelation(source, target, def) {
      for (const r of this.relations.values()) {
        if (r.name !== def.name) continue;
        if (r.source === source && r.target === target) return true;
        if (!def.is_directed && r.source === target && r.target === source) return true;
      }
      return false;
    }

    addRelation(name) {
      const rel = { id: uuid4(), source: this.relSource, target: this.relTarget, name };
      this.cancelRelation(true);
      this.record({ what: "add relation", relations: [[null, rel]] });
      this.say(`Added relation: ${this.relationText(rel)}.`);
      this.textEl.focus({ preventScroll: true });
    }

    cancelRelation(quiet) {
      if (this.relSource) for (const p of this.pieces(this.relSource)) p.classList.remove("ner-src");
      this.relSource = null;
      this.relTarget = null;
      this.relChoices = null;
      const picker = this.root.querySelector("[data-ner-relation-picker]");
      if (picker) {
        picker.hidden = true;
        picker.replaceChildren();
      }
      if (!quiet) this.say("Relation cancelled.");
    }

    relDef(name) {
      return this.relDefs.find((d) => d.name === name);
    }

    // Drawing the text (draw.js), the side panel (panel.js) and the keyboard
    // (keys.js) are mixed in below.

    // ---------------------------------------------------------- events

    bind() {
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
    }

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
    }

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
    }

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
    }

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
    }

    extentFromSelection() {
      const sel = this.selection();
      if (!this.active || !sel) return this.say("Choose a span, then select text and press x (Use selection).", true);
      const id = this.active;
      this.anchor = this.focus = sel[1];
      this.renderRange(sel[0], sel[1]);
      this.setExtent(id, sel[0], sel[1]);
    }

  }

  Object.assign(NerPage.prototype, ns.drawMethods, ns.panelMethods, ns.keyMethods);

  // ------------------------------------------------------------ wiring

  const pages = new WeakMap();

  function init(scope) {
    const roots = [];
    if (scope.matches && scope.matches("[data-ner]")) roots.push(scope);
    if (scope.querySelectorAll) roots.push(...scope.querySelectorAll("[data-ner]"));
    for (const root of roots) {
      if (pages.has(root)) continue;
      pages.set(root, new NerPage(root));
    }
  }

  function pageFor(form) {
    const root = form && form.querySelector("[data-ner]");
    return root ? pages.get(root) : null;
  }

  document.addEventListener("DOMContentLoaded", () => init(document));
  if (document.readyState !== "loading") init(document);
  // After a failed submit htmx swaps in the re-rendered form (with the posted work).
  document.addEventListener("htmx:load", (e) => init(e.target));
  // Serialize before htmx (or a plain POST) reads the form.
  document.addEventListener(
    "submit",
    (e) => {
      const page = pageFor(e.target);
      if (page) page.flush();
    },
    true,
  );
  document.addEventListener("htmx:configRequest", (e) => {
    const page = pageFor(e.target.closest ? e.target.closest("form") : null);
    if (page && page.output) {
      page.flush();
      e.detail.parameters[page.output.name] = page.output.value;
    }
  });
  // A successful submit answers with HX-Redirect: the browser copy is no longer needed.
  document.addEventListener("htmx:afterRequest", (e) => {
    const xhr = e.detail && e.detail.xhr;
    const page = pageFor(e.target.closest ? e.target.closest("form") : null);
    // (htmx 2 leaves detail.successful unset on this path, so look at the status.)
    if (page && xhr && xhr.status < 300 && xhr.getResponseHeader("HX-Redirect")) page.forget();
  });

  // Exposed for tests and benchmarks.
  Object.assign(ns, { pages, init });
})();
