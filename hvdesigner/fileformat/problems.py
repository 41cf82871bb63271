"""What is wrong in a design file and how its values are named when they are: the problems
the loader and the kinds (:mod:`hvdesigner.fileformat.kinds`) record, each at a JSON Pointer,
and the one reading of a whole number that the loader and the published schema share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JSON = Any


@dataclass(frozen=True)
class Problem:
    """Something wrong in a design file: where (a JSON Pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class Problems(list[Problem]):
    def add(self, path: str, message: str) -> None:
        self.append(Problem(path, message))


def whole_number(value: JSON) -> int | None:
    """The whole number a JSON value is where the format wants one, else None: an integer, or
    a decimal with nothing after the point (``300.0``, ``3e2``), as JSON Schema's "integer"
    reads it. The one rule for every whole-number field (``version`` included), so the loader
    and the published schema accept the same files."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


_TYPE_NAMES = {  # bool before int: True is an int to Python, not to JSON
    bool: "true or false", dict: "an object", list: "a list", str: "a string",
    int: "a number", float: "a number", type(None): "null",
}


def describe(value: JSON) -> str:
    """How an unexpected JSON value is named in a message."""
    name = next((n for t, n in _TYPE_NAMES.items() if isinstance(value, t)), "a value")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, str) else str(value)
        return f"{name} ({text[:40]}{'…' if len(text) > 40 else ''})"
    return name
