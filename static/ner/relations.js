// NER relations: which definitions admit two labels (mirrors
// ner.schema.Taxonomy.allowed: a group admits its descendants, undirected
// definitions match either order), and drawing one: source span, target span,
// then one of the names allowed. Methods of NerPage (ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});
  const el = ns.el;
  const uuid4 = ns.uuid4;

  ns.relationMethods = {
    admits(constraint, labelName) {
      if (constraint === null || constraint === undefined) return true;
      const label = this.labels.get(labelName);
      return !!label && label.path.includes(constraint);
    },

    // Mirrors ner.schema.Taxonomy.allowed: undirected definitions match either order.
    allowedRelations(sourceLabel, targetLabel) {
      return this.relDefs.filter(
        (r) =>
          (this.admits(r.source_label, sourceLabel) && this.admits(r.target_label, targetLabel)) ||
          (!r.is_directed &&
            this.admits(r.source_label, targetLabel) &&
            this.admits(r.target_label, sourceLabel)),
      );
    },

    relationOk(r) {
      const s = this.spans.get(r.source);
      const t = this.spans.get(r.target);
      return !!s && !!t && this.allowedRelations(s.label, t.label).some((d) => d.name === r.name);
    },

    warnRelations(id) {
      for (const r of this.relations.values()) {
        if ((r.source === id || r.target === id) && !this.relationOk(r)) {
          this.say("A relation of this span no longer fits its labels (marked in the list).", true);
        }
      }
    },

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
    },

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
    },

    duplicateRelation(source, target, def) {
      for (const r of this.relations.values()) {
        if (r.name !== def.name) continue;
        if (r.source === source && r.target === target) return true;
        if (!def.is_directed && r.source === target && r.target === source) return true;
      }
      return false;
    },

    addRelation(name) {
      const rel = { id: uuid4(), source: this.relSource, target: this.relTarget, name };
      this.cancelRelation(true);
      this.record({ what: "add relation", relations: [[null, rel]] });
      this.say(`Added relation: ${this.relationText(rel)}.`);
      this.textEl.focus({ preventScroll: true });
    },

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
    },

    relDef(name) {
      return this.relDefs.find((d) => d.name === name);
    },
  };
})();
