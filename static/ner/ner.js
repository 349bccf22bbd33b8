// Named Entity Recognition labeling page (see docs/ner.md): the page class,
// its state and actions (label, relabel, extent, attributes, delete, undo) and
// the wiring to the form and htmx. Its other methods live beside it, loaded
// first and mixed in: offsets.js (code points, UTF-16, grapheme clusters),
// panel.js (labels, inspector, relation list), persist.js (state in and out,
// browser copy), draw.js (the text), relations.js, pointer.js (mouse), keys.js.
//
// The text arrives as JSON (the text of a hidden [data-ner-config]) and is drawn
// with textContent, never innerHTML. Spans keep UTF-16 offsets (what the DOM
// counts); the posted response uses code points (what Python and the spec count).
(() => {
  "use strict";

  const PALETTE = 12;
  const STORAGE_PREFIX = "labelform:ner:";
  // The other scripts are loaded first (deferred scripts run in order).
  const ns = window.labelformNer;
  const { Offsets, el } = ns;

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

    labelName(name) {
      const label = this.labels.get(name);
      return label ? label.display_name : name;
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
        const span = { id: ns.uuid4(), start: sel[0], end: sel[1], label: name, attributes: {} };
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


  }

  Object.assign(
    NerPage.prototype,
    ns.persistMethods,
    ns.drawMethods,
    ns.relationMethods,
    ns.panelMethods,
    ns.pointerMethods,
    ns.keyMethods,
  );

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
    if (page && xhr && xhr.status < 300 && xhr.getResponseHeader("HX-Redirect")) page.finishSubmit();
  });

  // Exposed for tests and benchmarks.
  Object.assign(ns, { pages, init });
})();
