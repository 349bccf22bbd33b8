// NER state in and out: loading the response, hypothesis, posted work or the
// browser copy (localStorage, keyed by task id); the posted response in code
// points; marking the spans a refused submit's errors name. Methods of NerPage
// (ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});
  const el = ns.el;

  function uuid4() {
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  ns.uuid4 = uuid4;

  ns.persistMethods = {
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
    },

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
    },

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
    },

    writeOutput() {
      if (this.output) this.output.value = JSON.stringify(this.response());
    },

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
    },

    store() {
      if (!this.storageKey || this.readonly || this.submitted) return;
      try {
        localStorage.setItem(
          this.storageKey,
          JSON.stringify({ saved_at: Date.now(), text_length: this.text.length, response: this.response() }),
        );
      } catch {
        this.say("Could not keep a copy in this browser (storage full?). Submit soon.", true);
      }
    },

    // After a successful submit: drop the copy, and keep the page's last
    // flush (pagehide) from writing it back.
    finishSubmit() {
      this.submitted = true;
      this.forget();
    },

    forget() {
      if (!this.storageKey) return;
      try {
        localStorage.removeItem(this.storageKey);
      } catch {
        /* storage unavailable: nothing to forget */
      }
    },

    changed() {
      // The hidden input and the browser copy are refreshed a moment later, so
      // a burst of edits costs one serialization; submit flushes at once.
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.flush(), 200);
      const undo = this.root.querySelector("[data-ner-undo]");
      if (undo) undo.disabled = this.undoStack.length === 0;
    },

    flush() {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.writeOutput();
      this.store();
    },

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
    },
  };
})();
