"""Offsets into the task text.

Responses count in Unicode code points (Python `str` indexing, `end`
exclusive): `text == task_text[start:end]`. Browsers count UTF-16 code units,
so the page converts; the helpers here are the reference the page's
static/ner/ner.js mirrors (and the tests check one against the other).

Selections made in the page snap outward to whole extended grapheme clusters
(UAX #29: a surrogate pair, a base letter with its combining marks, an emoji
ZWJ sequence, "\\r\\n" are never split) and then lose whitespace at both edges.
Python's standard library has no grapheme segmentation, so we use the
`regex` package's `\\X`, the same UAX #29 rules as the browser's Intl.Segmenter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

import regex

# Unicode White_Space, spelled out so Python and JS agree exactly (Python's
# str.isspace and JS's \s each differ from it, in opposite ways).
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unit_width(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


class Utf16Index:
    """Converts offsets between code points and UTF-16 code units for one text.

    Built once per text (O(n)); each conversion is O(1) or O(log n)."""

    def __init__(self, text: str):
        self.text = text
        # u16[i] = UTF-16 offset of code point i (len(text) + 1 entries).
        self.u16 = [0, *accumulate(_unit_width(ch) for ch in text)]

    def to_utf16(self, cp: int) -> int:
        if not 0 <= cp <= len(self.text):
            raise ValueError(f"code point offset {cp} is outside 0..{len(self.text)}")
        return self.u16[cp]

    def to_code_points(self, unit: int) -> int:
        """The code point offset of a UTF-16 offset; one inside a surrogate pair is an error."""
        i = bisect_left(self.u16, unit)
        if i >= len(self.u16) or self.u16[i] != unit:
            raise ValueError(f"UTF-16 offset {unit} is inside a surrogate pair or out of range")
        return i


def grapheme_boundaries(text: str) -> list[int]:
    """Code point offsets where extended grapheme clusters start, plus len(text)."""
    return [m.start() for m in _GRAPHEME.finditer(text)] + [len(text)]


def snap_to_graphemes(
    text: str, start: int, end: int, boundaries: list[int] | None = None
) -> tuple[int, int]:
    """Widen [start, end) to whole grapheme clusters."""
    bounds = boundaries if boundaries is not None else grapheme_boundaries(text)
    start = bounds[bisect_right(bounds, start) - 1]
    end = bounds[bisect_left(bounds, end)] if end > 0 else 0
    return start, end


def is_blank(cluster: str) -> bool:
    return all(ch in WHITESPACE for ch in cluster)


def snap_selection(text: str, start: int, end: int) -> tuple[int, int] | None:
    """What a selection in the page becomes: whole grapheme clusters, whitespace
    trimmed at both edges; None when nothing but whitespace remains."""
    if start > end:
        start, end = end, start
    start, end = max(0, start), min(len(text), end)
    bounds = grapheme_boundaries(text)
    start, end = snap_to_graphemes(text, start, end, bounds)
    i = bounds.index(start)
    while start < end and is_blank(text[start : bounds[i + 1]]):
        i += 1
        start = bounds[i]
    j = bounds.index(end)
    while end > start and is_blank(text[bounds[j - 1] : end]):
        j -= 1
        end = bounds[j]
    return (start, end) if start < end else None
