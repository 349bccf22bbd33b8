// The NER page's side panel: the label tree with its filter and number keys,
// the current span's inspector, the relation list and the shortcut sheet.
// Methods of NerPage (static/ner/ner.js mixes them in).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  ns.el = el;
  ns.panelMethods = {
    buildTree() {
      const tree = this.root.querySelector("[data-ner-tree]");
      if (!tree) return;
      const build = (labels) =>
        labels.map((label) => {
          if (!label.leaf) {
            return el(
              "li",
              { "data-label-group": label.name },
              el("span", { class: "ner-group-name", text: label.display_name, title: label.description || null }),
              el("ul", {}, ...build(label.children)),
            );
          }
          const button = el(
            "button",
            {
              type: "button",
              class: `ner-choice ner-c${label.color}`,
              "data-label-choice": label.name,
              title: label.description || null,
            },
            el("kbd", { "data-num": "" }),
            el("span", { text: label.display_name }),
          );
          return el("li", {}, button);
        });
      tree.replaceChildren(...build(this.config.labels));
      this.filterLabels("");
    },

    visibleChoices() {
      return [...this.root.querySelectorAll("[data-label-choice]")].filter((b) => !b.closest("li").hidden);
    },

    filterLabels(query) {
      const q = query.trim().toLowerCase();
      const tree = this.root.querySelector("[data-ner-tree]");
      if (!tree) return;
      for (const button of tree.querySelectorAll("[data-label-choice]")) {
        const label = this.labels.get(button.dataset.labelChoice);
        const hay = [...label.path.map((n) => this.labelName(n)), label.name, label.description || ""].join(" ").toLowerCase();
        button.closest("li").hidden = q !== "" && !hay.includes(q);
      }
      for (const group of [...tree.querySelectorAll("[data-label-group]")].reverse()) {
        group.hidden = !group.querySelector("li:not([hidden]) [data-label-choice]");
      }
      const visible = this.visibleChoices();
      visible.forEach((b, i) => {
        b.querySelector("[data-num]").textContent = i < 9 ? String(i + 1) : "";
      });
      this.filterHi = 0;
      this.highlightChoice(visible);
    },

    highlightChoice(visible) {
      visible = visible || this.visibleChoices();
      this.root.querySelectorAll(".ner-choice.ner-hi").forEach((b) => b.classList.remove("ner-hi"));
      const b = visible[this.filterHi];
      if (b) {
        b.classList.add("ner-hi");
        b.scrollIntoView({ block: "nearest" });
      }
    },

    renderInspector() {
      const body = this.root.querySelector("[data-ner-inspector-body]");
      if (!body) return;
      const span = this.active && this.spans.get(this.active);
      if (!span) {
        const sel = this.selection();
        body.replaceChildren(
          el("p", {
            class: "ner-muted",
            text: sel
              ? `Selected “${this.excerpt({ start: sel[0], end: sel[1] })}”: choose a label (click, 1–9, or / to filter).`
              : "Select text, then choose a label. Click a span (or press n / p) to edit it.",
          }),
        );
        return;
      }
      const label = this.labels.get(span.label);
      const rows = [
        el("p", { class: "ner-inspect-text", "data-ner-active": span.id, text: this.text.slice(span.start, span.end) }),
        el("p", { class: "ner-muted", text: `${label ? label.path.map((n) => this.labelName(n)).join(" › ") : span.label} · characters ${this.off.toCp(span.start)}–${this.off.toCp(span.end)}` }),
      ];
      for (const attr of (label && label.attributes) || []) {
        const id = `ner-attr-${attr.key}`;
        const select = el(
          "select",
          { id, "data-attribute": attr.key },
          el("option", { value: "", text: "—" }),
          ...attr.options.map((o) => el("option", { value: o.value, text: o.display_name, selected: span.attributes[attr.key] === o.value })),
        );
        select.addEventListener("change", () => {
          this.setAttribute(span.id, attr.key, select.value);
          const again = this.root.querySelector(`[data-attribute="${CSS.escape(attr.key)}"]`);
          if (again) again.focus();
        });
        rows.push(el("div", { class: "ner-inspector-row" }, el("label", { for: id, text: attr.display_name, title: attr.description || null }), select));
      }
      const btn = (text, action, title) => {
        const b = el("button", { type: "button", text, title: title || null, "data-ner-action": action });
        return b;
      };
      rows.push(
        el("div", { class: "ner-inspector-row" }, el("span", { text: "Start" }), btn("◀", "start-left", "Alt+Shift+←"), btn("▶", "start-right", "Alt+Shift+→"),
          el("span", { text: "End" }), btn("◀", "end-left", "Alt+←"), btn("▶", "end-right", "Alt+→")),
        el("div", { class: "ner-inspector-row" },
          btn("Use selection", "extent", "x: set this span's extent to the selected text"),
          this.relDefs.length ? btn("Relate…", "relate", "r") : null,
          btn("Delete", "delete", "Delete")),
      );
      body.replaceChildren(...rows);
    },

    focusAttributes() {
      const select = this.root.querySelector("[data-ner-inspector-body] select");
      if (select) select.focus();
      else this.say("This span's label has no attributes.");
    },

    relationText(r) {
      const s = this.spans.get(r.source);
      const t = this.spans.get(r.target);
      const def = this.relDef(r.name);
      const arrow = def && def.is_directed ? "→" : "↔";
      const name = def ? def.display_name : r.name || "related to";
      return `“${s ? this.excerpt(s, 24) : "?"}” ${arrow} ${name} ${arrow} “${t ? this.excerpt(t, 24) : "?"}”`;
    },

    renderRelationList() {
      const list = this.root.querySelector("[data-ner-relations]");
      if (!list) return;
      const items = [];
      for (const r of this.relations.values()) {
        const go = el("button", { type: "button", class: "ner-rel-go", "data-relation-show": r.id, text: this.relationText(r) });
        const del = this.readonly
          ? null
          : el("button", { type: "button", "data-relation-delete": r.id, "aria-label": "Delete relation", text: "×" });
        items.push(el("li", { "data-relation-id": r.id, class: this.relationOk(r) ? "" : "ner-bad" }, go, " ", del));
      }
      list.replaceChildren(...items);
      const count = this.root.querySelector("[data-ner-relation-count]");
      if (count) count.textContent = String(this.relations.size);
    },

    showRelation(id) {
      for (const [sid, mark] of this.marked) for (const p of this.pieces(sid)) p.classList.remove(mark);
      this.marked = [];
      const r = this.relations.get(id);
      if (!r) return;
      const def = this.relDef(r.name);
      const directed = def && def.is_directed;
      this.marked = [
        [r.source, directed ? "ner-mark-from" : "ner-mark-both"],
        [r.target, directed ? "ner-mark-to" : "ner-mark-both"],
      ];
      for (const [sid, mark] of this.marked) for (const p of this.pieces(sid)) p.classList.add(mark);
      const first = this.pieces(r.source)[0];
      if (first) first.scrollIntoView({ block: "nearest" });
      this.say(this.relationText(r));
    },

    toggleHelp() {
      const help = this.root.querySelector("[data-ner-help]");
      const toggle = this.root.querySelector("[data-ner-help-toggle]");
      if (!help) return;
      help.hidden = !help.hidden;
      if (toggle) toggle.setAttribute("aria-expanded", String(!help.hidden));
    },

    onFilterKey(e, filter) {
      const visible = this.visibleChoices();
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const d = e.key === "ArrowDown" ? 1 : -1;
        this.filterHi = (this.filterHi + d + visible.length) % Math.max(1, visible.length);
        this.highlightChoice(visible);
      } else if (e.key === "Enter") {
        e.preventDefault();
        const b = visible[this.filterHi];
        if (b) {
          filter.value = "";
          this.filterLabels("");
          this.applyLabel(b.dataset.labelChoice);
        }
      } else if (e.key === "Escape") {
        e.preventDefault();
        filter.value = "";
        this.filterLabels("");
        this.textEl.focus({ preventScroll: true });
      }
    },
  };
})();
