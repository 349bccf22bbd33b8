// Offsets for the NER page (see docs/ner.md, "Offsets"): code point <-> UTF-16
// tables and grapheme-cluster snapping, the browser's mirror of ner/offsets.py
// (tests/ner/test_browser.py checks the two agree).
(() => {
  "use strict";

  const ns = (window.labelformNer = window.labelformNer || {});

  // Unicode White_Space, the same set as ner/offsets.py WHITESPACE.
  const WS = new Set(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" +
      "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
  );

  // Code point <-> UTF-16 tables for one text (mirrors ner/offsets.py Utf16Index).
  class Offsets {
    constructor(text) {
      this.text = text;
      const n = text.length;
      const cpToU16 = new Int32Array(n + 1);
      const u16ToCp = new Int32Array(n + 1).fill(-1); // -1: inside a surrogate pair
      let cp = 0;
      for (let u = 0; u < n; cp++) {
        cpToU16[cp] = u;
        u16ToCp[u] = cp;
        const c = text.charCodeAt(u);
        const pair =
          c >= 0xd800 && c <= 0xdbff && u + 1 < n && (text.charCodeAt(u + 1) & 0xfc00) === 0xdc00;
        u += pair ? 2 : 1;
      }
      cpToU16[cp] = n;
      u16ToCp[n] = cp;
      this.cpCount = cp;
      this.cpToU16Table = cpToU16.subarray(0, cp + 1);
      this.u16ToCpTable = u16ToCp;
      this.bounds = null; // grapheme boundaries, computed on first need
    }
    toU16(cp) {
      return Number.isInteger(cp) && cp >= 0 && cp <= this.cpCount ? this.cpToU16Table[cp] : -1;
    }
    toCp(u) {
      return this.u16ToCpTable[u];
    }
    graphemeBounds() {
      if (!this.bounds) {
        const n = this.text.length;
        const bounds = new Uint8Array(n + 1);
        if (typeof Intl !== "undefined" && Intl.Segmenter) {
          const seg = new Intl.Segmenter(undefined, { granularity: "grapheme" });
          for (const s of seg.segment(this.text)) bounds[s.index] = 1;
        } else {
          for (let u = 0; u < n; u++) bounds[u] = this.u16ToCpTable[u] >= 0 ? 1 : 0;
        }
        bounds[n] = 1;
        this.bounds = bounds;
      }
      return this.bounds;
    }
    prevB(u) {
      const b = this.graphemeBounds();
      if (u <= 0) return 0;
      u--;
      while (u > 0 && !b[u]) u--;
      return u;
    }
    nextB(u) {
      const b = this.graphemeBounds();
      const n = this.text.length;
      if (u >= n) return n;
      u++;
      while (u < n && !b[u]) u++;
      return u;
    }
    floorB(u) {
      const b = this.graphemeBounds();
      while (u > 0 && !b[u]) u--;
      return u;
    }
    ceilB(u) {
      const b = this.graphemeBounds();
      const n = this.text.length;
      while (u < n && !b[u]) u++;
      return u;
    }
    isBlank(from, to) {
      for (const ch of this.text.slice(from, to)) if (!WS.has(ch)) return false;
      return true;
    }
    // Mirrors ner/offsets.py snap_selection: whole clusters, whitespace trimmed.
    snap(start, end) {
      if (start > end) [start, end] = [end, start];
      start = this.floorB(Math.max(0, start));
      end = this.ceilB(Math.min(this.text.length, end));
      while (start < end && this.isBlank(start, this.nextB(start))) start = this.nextB(start);
      while (end > start && this.isBlank(this.prevB(end), end)) end = this.prevB(end);
      return start < end ? [start, end] : null;
    }
  }

  ns.WS = WS;
  ns.Offsets = Offsets;
})();
