"""Intents for several things of a kind at once (a multi-selection in the inspector): one
undo step changing each, each keeping what is its own where the form shows the first's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from hvdesigner.editing.defaults import new_settings
from hvdesigner.editing.edits import KINDS, Edit, kind_name, set_fields
from hvdesigner.editing.vocabulary import labels, plural
from hvdesigner.model.design import Design


def set_shared_fields(design: Design, ids: Iterable[str], **fields: Any) -> Edit | None:
    """Give several entities of a kind the same values (a multi-selection in the inspector)."""
    return _each(design, ids, lambda entity: fields, fields)


def set_shared_changes(design: Design, ids: Iterable[str], before: Any, after: Any) -> Edit | None:
    """Make what a multi-selection's form changed (``before`` → ``after``, the values it
    shows: those of the first of ``ids``) to each entity, each keeping what is its own:
    - within a group of settings (a host's Replica server settings), only the settings
      changed; an entity without that group is left without it;
    - a group switched on: each entity without it gets its own (made for it, as the form
      makes one: a Replica server authorizing its own primaries), one with it keeps its own;
    - a list (subnets, accepted authentication, authorization entries): the items added to
      the first's are added to each, those taken from it taken from each;
    - any other field (a group switched off included) takes the new value on each.
    (What the form shows is the first's: changing its port, or adding an entry, gave every
    selected host the first's whole Replica setup, the primaries it authorizes too.)"""
    changes = _changes(before, after)
    return _each(design, ids, lambda entity: _patched(design, entity, changes), changes)


def _each(design: Design, ids: Iterable[str], fields_of: Callable[[Any], dict[str, Any]],
          named: Iterable[str]) -> Edit | None:
    """One undo step setting on each entity the fields ``fields_of`` it says (``named``: the
    fields the step is named after)."""
    edits = [e for e in (set_fields(design, i, **fields_of(design.get(i))) for i in ids)
             if e is not None]
    if not edits:
        return None
    if len(edits) == 1:
        return edits[0]
    first = edits[0].ops[0].before
    return Edit(f"Change {labels(named, KINDS[type(first)].name)} "
                f"of {plural(len(edits), kind_name(first).lower())}",
                tuple(op for e in edits for op in e.ops))


@dataclasses.dataclass(frozen=True)
class _Within:
    """Changes within a group of settings, not to the group as a whole."""

    changes: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class _SwitchedOn:
    """A group of settings switched on: ``shown``, the one the form made for ``made_for``."""

    shown: Any
    made_for: str


@dataclasses.dataclass(frozen=True)
class _Items:
    """Items added to a list and taken from it, not the list as a whole."""

    added: tuple[Any, ...]
    taken: tuple[Any, ...]


def _changes(before: Any, after: Any, owner: str | None = None) -> dict[str, Any]:
    """The fields ``after`` changes from ``before`` (objects of one kind: an entity, or a
    group of settings of ``owner``), each the new value or what changed in it (:class:`_Within`,
    :class:`_SwitchedOn`, :class:`_Items`)."""
    owner = before.id if owner is None else owner
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(after):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old == new:
            continue
        if dataclasses.is_dataclass(old) and type(old) is type(new):
            changes[f.name] = _Within(_changes(old, new, owner))
        elif old is None and dataclasses.is_dataclass(new):
            changes[f.name] = _SwitchedOn(new, owner)
        elif isinstance(old, tuple) and isinstance(new, tuple):
            changes[f.name] = _Items(tuple(i for i in new if i not in old),
                                     tuple(i for i in old if i not in new))
        else:
            changes[f.name] = new
    return changes


def _patched(design: Design, value: Any, changes: dict[str, Any],
             owner: str | None = None) -> dict[str, Any]:
    """The fields of ``value`` (an entity, or a group of its settings: ``owner`` the
    entity's id) that ``changes`` (:func:`_changes`) give new values."""
    owner = value.id if owner is None else owner
    fields: dict[str, Any] = {}
    for name, change in changes.items():
        own = getattr(value, name)
        if isinstance(change, _Within):
            if own is not None:  # (else none of that group to change)
                fields[name] = dataclasses.replace(
                    own, **_patched(design, own, change.changes, owner))
        elif isinstance(change, _SwitchedOn):
            if own is None:
                made = None if owner == change.made_for else new_settings(design, owner, name)
                fields[name] = change.shown if made is None else made
        elif isinstance(change, _Items):
            if own is not None:  # (a list left open, "any" port: left so)
                kept = tuple(i for i in own if i not in change.taken)
                fields[name] = kept + tuple(i for i in change.added if i not in kept)
        else:
            fields[name] = change
    return fields
