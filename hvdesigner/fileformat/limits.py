"""What every value read from a design file is held to, so that whatever loads saves and loads
back to the same bytes.

JSON lets through more than a design file can carry across a save: a lone UTF-16 surrogate
(``"\\ud800"``) parses but has no UTF-8 form, so the save fails; a number beyond a double
(``1e999``) parses as infinity, which the writer can only spell ``Infinity``, which no JSON
reader (ours included) accepts; a value nested hundreds of levels deep parses but overflows the
writer's recursion. The loader refuses all of these, with the JSON path, so the writer never
meets them; the inspector refuses them too (its edits go through the same kinds).

The choices, all here:

- **Text** (values and object keys): no lone surrogates.
- **Numbers**: decimals must be finite doubles; whole numbers (integers, and decimals with
  nothing after the point where the format wants a whole number) must lie within
  ±(2**53 − 1), the integers every JSON tool reads exactly (RFC 7493, I-JSON), and whose
  products (frequency times recovery points...) still convert to a float.
- **Nesting**: at most :data:`MAX_DEPTH` levels of objects and lists. The format itself needs
  6 (a host's Replica server's authorization entries), the canvas's layout 4; the writer's
  recursion gives out near 450.
- **Keys**: each key at most once in an object. The JSON parser would silently keep only the
  last value, so the file would not mean what it says (and a save would drop the others).

``-0.0`` is no problem to the writer: in the layout it is kept as read (it round-trips); where
the format wants a number it loads as ``0`` (:class:`hvdesigner.fileformat.kinds.Number`), so
that no field shows "-0".
"""

from __future__ import annotations

import math
from typing import Any

#: The deepest nesting of objects and lists a design file may have (the document itself is the
#: first level).
MAX_DEPTH = 64
#: The largest whole number a design file may hold: 2**53 − 1 (RFC 7493, I-JSON).
MAX_WHOLE = 2**53 - 1


def printable(text: str) -> str:
    """Text with any lone surrogate spelled as its JSON escape, for messages and paths."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def text_problem(text: str) -> str | None:
    """Why a string can't be saved, or None."""
    if text.isascii():
        return None  # the common case, and the fast one
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return (f"{text[:40]!r} contains a lone surrogate {text[e.start]!r} (character "
                f"{e.start + 1}; half of a UTF-16 pair), which has no UTF-8 form, so it can't "
                "be saved")
    return None


def number_problem(value: int | float) -> str | None:
    """Why a number can't be saved and read back as the same number, or None."""
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        return ("a number beyond what a double holds (±1.8e308): it reads as infinity, "
                "which JSON can't write")
    if -MAX_WHOLE <= value <= MAX_WHOLE:
        return None
    return (f"{_short(value)} is too large a whole number: at most ±{MAX_WHOLE} (2^53 − 1) "
            "reads as the same number everywhere")


def _short(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:10]}…({len(text)} digits)"


def depth_of(path: str) -> int:
    """How many objects and lists enclose the value at a JSON Pointer (none for the document
    itself: its own level is the first)."""
    return path.count("/")


def json_problems(value: Any, path: str, add: Any) -> None:
    """Report (``add(path, message)``) everything in free-form JSON that could not be saved:
    lone surrogates in keys and strings, unwritable numbers, repeated keys, nesting deeper than
    :data:`MAX_DEPTH`. Descends no deeper than the limit, so a hostile file can't make this
    recurse without end."""
    # (bool is an int to Python: check it first)
    if isinstance(value, str):
        if (why := text_problem(value)) is not None:
            add(path, why)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, (int, float)):
        if (why := number_problem(value)) is not None:
            add(path, why)
    elif depth_of(path) >= MAX_DEPTH:
        add(path, f"nested more than {MAX_DEPTH} levels deep (objects and lists inside each "
            f"other); a design file may nest at most {MAX_DEPTH}")
    elif isinstance(value, dict):
        repeated_keys(value, path, add)
        for key, item in value.items():
            where = pointer(path, key)
            if (why := text_problem(key)) is not None:
                add(where, f"the key {why}")
            json_problems(item, where, add)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            json_problems(item, f"{path}/{i}", add)


def repeated_keys(obj: dict[str, Any], path: str, add: Any) -> None:
    """Report keys the file gave twice in one object (the parser keeps a note of them)."""
    for key in getattr(obj, "duplicate_keys", ()):
        add(pointer(path, key), f"the key {key!r} appears more than once")


def pointer(path: str, key: str | int) -> str:
    """Extend a JSON Pointer (RFC 6901) by one key or index (a lone surrogate in a key is
    spelled as its escape, so that the path can be printed)."""
    text = str(key)
    if not text.isascii():  # (hot: every field of every entity passes here)
        text = printable(text)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return f"{path}/{text}"
