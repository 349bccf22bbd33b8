"""Code point offsets, the UTF-16 conversion the page mirrors, grapheme snapping, trimming."""

from __future__ import annotations

from bisect import bisect_right

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from ner.offsets import Utf16Index, grapheme_boundaries, is_blank, snap_selection, utf16_len

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # ZWJ sequence, 8 UTF-16 units
E_ACUTE = "e\u0301"  # e + combining acute accent


def utf16_offset_of(text: str, cp: int) -> int:
    """An independent oracle: encode the prefix."""
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii",
        "smile 😀 done",
        f"family {FAMILY} here",
        f"caf{E_ACUTE} au lait",
        "東京タワーで会いましょう",
        "שלום עולם مرحبا بالعالم",
        "col1\tcol2\tcol3",
        "line one\r\nline two\rline three\n",
        "  padded  ",
        "\U0001d518\U0001d52b\U0001d526 math letters",  # astral letters
    ],
)
def test_utf16_round_trip_at_every_offset(text):
    index = Utf16Index(text)
    assert index.to_utf16(len(text)) == utf16_len(text)
    for cp in range(len(text) + 1):
        unit = index.to_utf16(cp)
        assert unit == utf16_offset_of(text, cp)
        assert index.to_code_points(unit) == cp


def test_offset_inside_a_surrogate_pair_is_an_error():
    index = Utf16Index("a😀b")
    assert index.to_utf16(2) == 3
    with pytest.raises(ValueError, match="inside a surrogate pair"):
        index.to_code_points(2)
    with pytest.raises(ValueError):
        index.to_utf16(4)


def test_grapheme_boundaries():
    text = f"a{E_ACUTE}{FAMILY}\r\n🇫🇷x"
    assert grapheme_boundaries(text) == [0, 1, 3, 8, 10, 12, 13]


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        # Start inside the ZWJ family or after its first person: widen to all of it.
        (f"hi {FAMILY} yo", 4, 5, FAMILY),
        (f"hi {FAMILY} yo", 5, 8, FAMILY),
        # The combining accent alone, or the e alone, becomes the whole é.
        (f"caf{E_ACUTE}!", 4, 5, E_ACUTE),
        (f"caf{E_ACUTE}!", 3, 4, E_ACUTE),
        (f"caf{E_ACUTE}!", 0, 4, f"caf{E_ACUTE}"),
        # \r\n is one cluster and whitespace: trimmed from the edges.
        ("one\r\ntwo", 2, 5, "e"),
        ("one\r\ntwo", 4, 8, "two"),
        ("a\rb", 0, 3, "a\rb"),
        ("  padded  ", 0, 10, "padded"),
        ("\tcol\t", 0, 5, "col"),
        ("東京タワー", 1, 3, "京タ"),
        ("שלום עולם", 0, 5, "שלום"),
        ("🇫🇷🇩🇪", 1, 2, "🇫🇷"),
    ],
)
def test_snap_selection(text, start, end, expected):
    snapped = snap_selection(text, start, end)
    assert snapped is not None
    assert text[snapped[0] : snapped[1]] == expected


def test_snap_selection_of_only_whitespace_is_none():
    assert snap_selection("a  \r\n  b", 1, 7) is None
    assert snap_selection("abc", 2, 2) is None


def test_snap_selection_accepts_reversed_and_out_of_range():
    assert snap_selection("hello world", 11, 6) == (6, 11)
    assert snap_selection("hello", -3, 99) == (0, 5)


@given(st.text(min_size=1, max_size=60), st.data())
def test_property_round_trip_through_utf16_is_exact(text, data):
    index = Utf16Index(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    u_start, u_end = index.to_utf16(start), index.to_utf16(end)
    # What the browser sees: the same characters at the UTF-16 offsets.
    units = text.encode("utf-16-le", "surrogatepass")
    assert units[2 * u_start : 2 * u_end].decode("utf-16-le", "surrogatepass") == text[start:end]
    assert (index.to_code_points(u_start), index.to_code_points(u_end)) == (start, end)


@given(st.text(min_size=1, max_size=60), st.data())
def test_property_snapped_selection_is_whole_clusters_without_edge_whitespace(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    snapped = snap_selection(text, start, end)
    if snapped is None:
        return
    a, b = snapped
    bounds = grapheme_boundaries(text)
    assert a in bounds and b in bounds
    i, j = bounds.index(a), bounds.index(b)
    # The first and last clusters are not whitespace; only whitespace was dropped.
    assert not is_blank(text[a : bounds[i + 1]])
    assert not is_blank(text[bounds[j - 1] : b])
    lo, hi = min(start, end), max(start, end)
    assert all(
        is_blank(c) for c in regex.findall(r"\X", text[bounds[bisect_right(bounds, lo) - 1] : a])
    )
    assert a < hi and b > lo
    # Snapping is idempotent.
    assert snap_selection(text, a, b) == (a, b)
