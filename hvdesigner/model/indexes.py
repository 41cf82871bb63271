"""The indexes a :class:`~hvdesigner.model.design.Design` keeps beside its entities: for each
key (a VM, a server, a pair of sites...), the ids of the entities filed under it."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

EMPTY: frozenset[str] = frozenset()

#: An index: the ids under each key, a lone id as itself. Most keys have one (a VM listed by
#: one replication, a name used once): a set for each was 20 MB of a 5,000-host design.
Index = dict[Any, "str | set[str]"]


def mark(index: Index, key: Any, value: str) -> None:
    """File the id ``value`` under ``key``."""
    mark_each(index, ((key, value),))


def mark_each(index: Index, marks: Iterable[tuple[Any, str]]) -> None:
    """:func:`mark` of each (key, id) in turn, in one loop: a large design opens with 200,000."""
    get = index.get
    for key, value in marks:
        ids = get(key)
        if ids is None:
            index[key] = value
        elif type(ids) is str:
            if ids != value:
                index[key] = {ids, value}
        else:
            ids.add(value)  # type: ignore[union-attr]


def unmark(index: Index, key: Any, value: str) -> None:
    """Take the id ``value`` from under ``key``."""
    ids = index.get(key)
    if isinstance(ids, str):
        if ids == value:
            del index[key]
    elif ids is not None:
        ids.discard(value)
        if not ids:
            del index[key]


def members(index: Index, key: Any) -> Set[str]:
    """The ids filed under ``key``."""
    ids = index.get(key)
    if ids is None:
        return EMPTY
    return frozenset((ids,)) if isinstance(ids, str) else ids
