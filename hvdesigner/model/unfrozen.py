"""Objects of frozen, slotted dataclasses made in bulk without the freeze's cost.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, and even a
slot's own setter is a call a field; a large design makes a million fields' worth of entities
as it is opened, and its check 45,000 findings. An object of a class with the same slots in the
same order, not frozen, is filled in with plain stores (a fraction of a call each), and Python
then lets it become an object of the frozen class, the two being laid out alike.
"""

from __future__ import annotations

from typing import Any

_TWINS: dict[type, type] = {}


def unfrozen_twin(cls: type) -> type[Any]:
    """A class with the slots of ``cls`` (a dataclass with slots and no base but object), in its
    order, that is not frozen: an object of it, once every slot is set, becomes a ``cls`` by
    ``obj.__class__ = cls``."""
    twin = _TWINS.get(cls)
    if twin is None:
        slots = cls.__dict__["__slots__"]
        twin = _TWINS[cls] = type(f"Unfrozen{cls.__name__}", (), {"__slots__": slots})
    return twin
