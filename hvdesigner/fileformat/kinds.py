"""Value kinds of the design file: each one loads a JSON value strictly, dumps a model value
back, and describes itself as JSON Schema.

The format's tables (:mod:`hvdesigner.fileformat.spec`) are built from these, so the loader,
the writer and the published schema come from one description and cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hvdesigner.fileformat.limits import (
    MAX_WHOLE,
    json_problems,
    number_problem,
    pointer,
    repeated_keys,
    text_problem,
)
from hvdesigner.fileformat.problems import JSON, Problems, describe, whole_number
from hvdesigner.fileformat.quickcode import Code
from hvdesigner.model.unfrozen import unfrozen_twin


class Invalid:
    """Marks a value that failed to load (its problems are already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()
REQUIRED: Any = object()


class Unusual(Exception):
    """Raised by :meth:`Kind.quick` for a value it leaves to :meth:`Kind.load`."""


def compiled(kind: Kind) -> Callable[[JSON], Any]:
    """``kind``'s quick path as one function, made at the first call from its lines
    (:meth:`Kind.quick_code`, on the variable ``value``), which run in this module's
    globals: ``Unusual``, and ``_share`` as it is at each call."""
    made: Callable[[JSON], Any] | None = kind.__dict__.get("_compiled")
    if made is None:
        code = Code()
        made = kind.__dict__["_compiled"] = code.function(
            kind.quick_code("value", code), globals(), f"quick path of {kind.expected}")
    return made


#: While a design file is read (:func:`one_object_per_value`), the ``setdefault`` of a table
#: of each string and decimal loaded so far; else the ``get`` of a table kept empty, which
#: gives each value back. The JSON parser makes a new object for every occurrence, and the
#: model keeps them: at 5,000 hosts 515k strings (a VM's host id, a disk's "data"...) of 200k
#: values. (A bound method: the quick path calls it for 700k values without asking first.)
_share: Callable[[Any, Any], Any] = {}.get


@contextmanager
def one_object_per_value() -> Iterator[None]:
    """Within: equal strings (and equal decimals) that kinds load come back as one object."""
    global _share
    outer, _share = _share, {}.setdefault
    try:
        yield
    finally:
        _share = outer


def _one(value: Any) -> Any:
    """The object kept for this value (a str, or a float: never both, as 1 == 1.0, and never
    an int, whose small values Python shares already); inline in :meth:`Str.quick_code`."""
    return _share(value, value)


class Kind:
    """A kind of JSON value.

    Loading has two paths. :meth:`load` checks everything and says what is wrong and where.
    :meth:`quick` only recognises the values a saved design is made of (exact JSON types,
    in range, savable text) and raises :class:`Unusual` for anything else, without saying
    why; :meth:`Obj.load` tries it first and falls back to the full path for the whole
    object, so every message and path comes from :meth:`load` alone. That is what makes a
    large design open fast: on the quick path no JSON Pointer is built and no problem list
    kept per field (an exception, not a marker value, says "unusual", so that no list of
    loaded values has to be searched for a marker). ``quick`` must accept only values that
    :meth:`load` accepts, and load them the same.

    The kinds a design is made of say their quick path as lines of Python
    (:meth:`quick_code`), compiled into one function per object and list kind: a field's
    check is then written out in its object's function rather than called, a million calls
    fewer at 5,000 hosts (:func:`compiled`).
    """

    expected = "a value"

    def __init_subclass__(cls) -> None:
        # A kind that changes its quick path says so in lines: a field of that kind is
        # written out from them, never calling the method.
        if "quick" in cls.__dict__ and "quick_code" not in cls.__dict__ and (
                cls.quick_code is not Kind.quick_code):
            raise TypeError(f"{cls.__name__} changes quick: it must say so in quick_code")

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        raise NotImplementedError

    def quick(self, value: JSON) -> Any:
        """The loaded value when it is a plain, valid one; else raise :class:`Unusual`."""
        raise Unusual

    def quick_code(self, v: str, code: Code) -> list[str]:
        """Lines of Python that do what :meth:`quick` does to the value in variable ``v``,
        leaving the loaded value in it (objects the lines use are named by ``code``)."""
        return [f"{v} = {code.name(self.quick)}({v})"]

    def dump(self, value: Any) -> JSON:
        return value

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong_type(self, value: JSON, path: str, problems: Problems) -> Invalid:
        problems.add(path, f"expected {self.expected}, got {describe(value)}")
        return INVALID


class Str(Kind):
    expected = "a string"

    def __init__(self, pattern: str | None = None, hint: str = "", non_empty: bool = False,
                 share: bool = True) -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.non_empty = non_empty
        self.share = share  # (the one object kept for its value: pays where values repeat)

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, path, problems)
        if not value.isascii() and (why := text_problem(value)) is not None:  # (hot: ASCII first)
            problems.add(path, why)
            return INVALID
        if self.non_empty and not value.strip():
            problems.add(path, "must not be empty")
            return INVALID
        if self.pattern is not None and not self.pattern.fullmatch(value):
            problems.add(path, f"{value[:60]!r} {self.hint}")
            return INVALID
        return _one(value) if self.share else value

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        refused = [f"type({v}) is not str",
                   f"not {v}.isascii() and {code.name(text_problem)}({v}) is not None"]
        if self.non_empty:
            refused.append(f"not {v}.strip()")
        if self.pattern is not None:
            refused.append(f"not {code.name(self.pattern.fullmatch)}({v})")
        # (the module's table of the load under way: read at each call)
        shared = [f"{v} = _share({v}, {v})"] if self.share else []
        return [f"if {' or '.join(refused)}:", "    raise Unusual", *shared]

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.pattern is not None:
            out["pattern"] = f"^(?:{self.pattern.pattern})$"
        elif self.non_empty:
            out["pattern"] = r"\S"
        return out


#: ASCII digits, spelled out: Python's ``\d`` also matches other scripts' digits, the schema's
#: (ECMA-262) does not.
_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


class Date(Kind):
    expected = "a date (YYYY-MM-DD)"

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        if isinstance(value, str) and re.fullmatch(_DATE, value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                problems.add(path, f"{value!r} is not a real date")
                return INVALID
        return self.wrong_type(value, path, problems)

    def quick(self, value: JSON) -> Any:
        if type(value) is str and re.fullmatch(_DATE, value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise Unusual

    def dump(self, value: dt.date) -> JSON:
        return value.isoformat()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{_DATE}$", "format": "date"}


class Bool(Kind):
    expected = "true or false"

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(value, path, problems)

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        return [f"if type({v}) is not bool:", "    raise Unusual"]

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Number(Kind):
    """A JSON number (never a boolean); ``integer`` wants a :func:`whole_number`."""

    def __init__(
        self,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: float | None = None,
        exclusive_maximum: float | None = None,
    ) -> None:
        self.integer = integer
        self.minimum, self.maximum = minimum, maximum
        self.exclusive_minimum, self.exclusive_maximum = exclusive_minimum, exclusive_maximum
        self.expected = "a whole number" if integer else "a number"
        #: (bound, its test, the test as Python writes it, the test in a message)
        self._bounds = [(bound, holds, symbol, words) for bound, holds, symbol, words in (
            (minimum, operator.ge, ">=", "at least"),
            (maximum, operator.le, "<=", "at most"),
            (exclusive_minimum, operator.gt, ">", "more than"),
            (exclusive_maximum, operator.lt, "<", "less than"),
        ) if bound is not None]

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong_type(value, path, problems)
        if self.integer and (whole := whole_number(value)) is not None:
            value = whole
        elif value == 0:
            value = type(value)(0)  # -0.0 means 0, and must not show as "-0"
        if (why := number_problem(value)) is not None:
            problems.add(path, why)
            return INVALID
        if self.integer and not isinstance(value, int):
            return self.wrong_type(value, path, problems)
        for bound, holds, _, words in self._bounds:
            if not holds(value, bound):
                problems.add(path, f"{value} is out of range: must be {words} {bound:g}")
                return INVALID
        return _one(value) if type(value) is float else value

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        # (a whole number written as a decimal, 300.0, is left to load)
        lines = [f"if type({v}) is int:",
                 f"    if not {-MAX_WHOLE} <= {v} <= {MAX_WHOLE}:", "        raise Unusual"]
        if self.integer:
            lines += ["else:", "    raise Unusual"]
        else:
            lines += [f"elif type({v}) is not float or not {code.name(math.isfinite)}({v}):",
                      "    raise Unusual",
                      f"elif {v} == 0:", f"    {v} = 0.0",  # -0.0 too
                      "else:", f"    {v} = _share({v}, {v})"]
        for bound, _, symbol, _ in self._bounds:
            lines += [f"if not {v} {symbol} {code.name(bound)}:", "    raise Unusual"]
        return lines

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        for key in ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum"):
            bound = getattr(self, key)
            if bound is not None:
                parts = key.split("_")
                out[parts[0] + "".join(p.title() for p in parts[1:])] = bound
        return out


class Enum(Kind):
    def __init__(self, *values: str | int) -> None:
        self.values = values
        #: each value to itself: what is loaded is this object, not the parser's copy of it
        self.own = {v: v for v in values}
        self.expected = "one of " + ", ".join(repr(v) for v in values)

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        # (generation 2.0 is generation 2, as in every whole-number field)
        chosen = whole_number(value) if isinstance(value, float) else value
        if isinstance(value, bool) or chosen not in self.values:
            return self.wrong_type(value, path, problems)
        return self.own[chosen]

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        own = code.name(self.own)
        return [f"if type({v}) is not str and type({v}) is not int or {v} not in {own}:",
                "    raise Unusual", f"{v} = {own}[{v}]"]

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


class Nullable(Kind):
    def __init__(self, inner: Kind) -> None:
        self.inner = inner
        self.expected = f"{inner.expected} or null"

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        return None if value is None else self.inner.load(value, path, problems)

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        return [f"if {v} is not None:", *(f"    {line}" for line in self.inner.quick_code(v, code))]

    def dump(self, value: Any) -> JSON:
        return None if value is None else self.inner.dump(value)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [self.inner.schema(), {"type": "null"}]}


class ListOf(Kind):
    """A JSON list loaded as a tuple. ``unique`` refuses repeats; ``sort_by`` orders it on save
    (for lists whose order means nothing, so that saves stay diff-friendly)."""

    def __init__(
        self, item: Kind, unique: bool | str = False, sort_by: Callable[[Any], Any] | None = None,
        min_items: int = 0, max_items: int | None = None,
    ) -> None:
        #: ``unique`` may be the message for a repeat, said of the whole list.
        self.item, self.unique, self.sort_by = item, unique, sort_by
        self.min_items, self.max_items = min_items, max_items
        self.max_len = math.inf if max_items is None else max_items
        self.expected = "a list"

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        if not isinstance(value, list):
            return self.wrong_type(value, path, problems)
        count = len(value)
        if count < self.min_items or (self.max_items is not None and count > self.max_items):
            wanted = (f"exactly {self.min_items}" if self.min_items == self.max_items
                      else f"at least {self.min_items}")
            problems.add(path, f"must have {wanted} item{'s' if self.min_items != 1 else ''}, has {count}")
            return INVALID
        items = [self.item.load(v, pointer(path, i), problems) for i, v in enumerate(value)]
        if any(item is INVALID for item in items):
            return INVALID
        if self.unique:
            seen: dict[Any, int] = {}
            for i, item in enumerate(items):
                if item in seen and isinstance(self.unique, str):
                    problems.add(path, self.unique)
                    return INVALID
                if item in seen:
                    problems.add(pointer(path, i), f"{describe(value[i])} is listed twice "
                                 f"(also at {pointer(path, seen[item])})")
                    return INVALID
                seen[item] = i
        return tuple(items)

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        # (a list of its own function: the items' lines are written out in its loop)
        if v != "value":
            return [f"{v} = {code.name(compiled(self))}({v})"]
        lines = [f"if type(value) is not list or not {code.name(self.min_items)} <= len(value)"
                 f" <= {code.name(self.max_len)}:", "    raise Unusual",
                 "items = []", "for item in value:",
                 *(f"    {line}" for line in self.item.quick_code("item", code)),
                 "    items.append(item)", "value = tuple(items)"]
        if self.unique:
            lines += ["if len(set(value)) < len(value):", "    raise Unusual"]
        return lines

    def dump(self, value: Sequence[Any]) -> JSON:
        ordered = sorted(value, key=self.sort_by) if self.sort_by else value
        return [self.item.dump(v) for v in ordered]

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.unique:
            out["uniqueItems"] = True
        if self.min_items:
            out["minItems"] = self.min_items
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        return out


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    #: REQUIRED, or the model value an omitted key stands for (None for a derived default).
    default: Any = REQUIRED


class Obj(Kind):
    """A JSON object with a fixed set of keys, loaded into a model class."""

    def __init__(self, name: str, build: Callable[..., Any], fields: Sequence[Field],
                 describe_as: str = "", schema_rules: dict[str, Any] | None = None) -> None:
        """``schema_rules``: what the schema can add to the fields' own kinds about how they
        go together (``if``/``then``), where the loader checks the same elsewhere."""
        self.name, self.build, self.fields = name, build, list(fields)
        self.schema_rules = schema_rules or {}
        self.by_key = {f.key: f for f in self.fields}
        self.expected = describe_as or "an object"
        #: (key, default, how its value is dumped: None for as it is), for saving a large
        #: design without a call per plain value.
        self.dumpers = [(f.key, f.default, None if type(f.kind).dump is Kind.dump else f.kind.dump)
                        for f in self.fields]
        self.defaults = {f.key: f.default for f in self.fields if f.default is not REQUIRED}

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        try:
            return self.quick(value)
        except Unusual:
            return self.load_in_full(value, path, problems)

    def load_in_full(self, value: JSON, path: str, problems: Problems) -> Any:
        """:meth:`load` without trying :meth:`quick` first (for this object: its fields'
        values still try theirs)."""
        if not isinstance(value, dict):
            return self.wrong_type(value, path, problems)
        before = len(problems)
        repeated_keys(value, path, problems.add)
        for key in value:
            if key not in self.by_key:
                close = difflib.get_close_matches(key, self.by_key, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.add(pointer(path, key), f"unknown key {key!r}{hint}")
        values: dict[str, Any] = {}
        for f in self.fields:
            if f.key in value:
                values[f.key] = f.kind.load(value[f.key], pointer(path, f.key), problems)
            elif f.default is REQUIRED:
                problems.add(path, f"missing required key {f.key!r}")
            else:
                values[f.key] = f.default
        if len(problems) > before:
            return INVALID
        return self.build(**values)

    def quick(self, value: JSON) -> Any:
        return compiled(self)(value)

    def quick_code(self, v: str, code: Code) -> list[str]:
        # (an object of its own function: its fields' lines are written out in it)
        if v != "value":
            return [f"{v} = {code.name(compiled(self))}({v})"]
        # (a dict subclass is the parser's object with a repeated key: left to load)
        lines = ["if type(value) is not dict:", "    raise Unusual",
                 "get = value.get", "absent = 0"]
        for i, f in enumerate(self.fields):
            lines += [f"v{i} = get({f.key!r}, {code.name(REQUIRED)})",
                      f"if v{i} is {code.name(REQUIRED)}:"]
            if f.default is REQUIRED:
                lines.append("    raise Unusual")
            else:
                lines += [f"    v{i} = {code.name(f.default)}", "    absent += 1", "else:"]
            lines += [("    " if f.default is not REQUIRED else "") + line
                      for line in f.kind.quick_code(f"v{i}", code)]
        # (every key is a field's, or the fields found and absent add up to more than there are)
        lines += [f"if len(value) + absent != {len(self.fields)}:", "    raise Unusual"]
        return lines + self._build_code(code)

    def _build_code(self, code: Code) -> list[str]:
        """Lines that build the model value from the fields' variables. An entity of the
        model (a frozen dataclass with slots and no ``__post_init__``, whose fields are
        exactly these) is filled in as its :func:`~hvdesigner.model.unfrozen.unfrozen_twin`,
        slot by slot, then made the entity: what its ``__init__`` does without a call a field
        (its ``object.__setattr__``, or a slot's own setter: 0.44 µs for 8 fields, where the
        plain stores and the change of class take 0.17 µs; 100,000 disks at 5,000 hosts)."""
        cls = self.build
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        if (isinstance(cls, type) and "__slots__" in cls.__dict__ and cls.__bases__ == (object,)
                and not hasattr(cls, "__post_init__")
                and all(f.init for f in fields) and {f.name for f in fields} == set(self.by_key)):
            return [f"value = {code.name(object.__new__)}({code.name(unfrozen_twin(cls))})",
                    *(f"value.{f.key} = v{i}" for i, f in enumerate(self.fields)),
                    f"value.__class__ = {code.name(cls)}"]
        return [f"value = {code.name(cls)}("
                + ", ".join(f"{f.key}=v{i}" for i, f in enumerate(self.fields)) + ")"]

    def dump(self, value: Any) -> JSON:
        out: dict[str, JSON] = {}
        for key, default, dump in self.dumpers:
            v = getattr(value, key)
            if default is not REQUIRED and v == default:
                continue
            out[key] = v if dump is None else dump(v)
        return out

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"}

    def definition(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.key: f.kind.schema() for f in self.fields},
        }
        required = [f.key for f in self.fields if f.default is REQUIRED]
        if required:
            out["required"] = required
        return out | self.schema_rules


class Any_(Kind):
    """Free-form JSON (the canvas's ``layout``), held to what the writer can write back
    (:mod:`hvdesigner.fileformat.limits`); saved with sorted keys."""

    def load(self, value: JSON, path: str, problems: Problems) -> Any:
        before = len(problems)
        json_problems(value, path, problems.add)
        return INVALID if len(problems) > before else value

    def dump(self, value: Any) -> JSON:
        if isinstance(value, dict):
            return {k: self.dump(value[k]) for k in sorted(value)}
        if isinstance(value, list):
            return [self.dump(v) for v in value]
        return value

    def schema(self) -> dict[str, Any]:
        return {}
