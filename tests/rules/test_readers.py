"""The live checker's index of which units read each key, kept compact, behaves as a set
and keeps one object per key."""

from __future__ import annotations

import random

from hvdesigner.rules.dependencies import Readers


def test_readers_answer_as_a_dict_of_sets_would() -> None:
    rng = random.Random(7)
    readers: Readers[str] = Readers()
    model: dict[str, set[str]] = {}
    for _ in range(5000):
        key, unit = f"k{rng.randrange(6)}", f"u{rng.randrange(20)}"
        if rng.random() < 0.6:
            readers.add(unit, [key])
            model.setdefault(key, set()).add(unit)
        else:
            readers.discard(unit, key)
            model.get(key, set()).discard(unit)
            if not model.get(key, True):
                del model[key]
        for k in (f"k{i}" for i in range(6)):
            assert readers.get(k, set()) == model.get(k, set())
    key = ("listing", "vm1")
    [kept] = readers.add("u1", [key])
    assert readers.add("u2", [("listing", "vm1")]) == [kept] and kept is key
