"""Older design files, stepped up to the version this program reads.

Each format version after the first has one step here: a function from a parsed file of the
version before it to one of its own version (format: "the loader migrates through a chain of
steps, one per version"). The loader runs the steps in turn on the parsed JSON before loading
it; the file on disk is left alone until the user saves, and then written as the current
version. A step also refuses what its older version did not have: a key that version 2
introduced is unknown in a version 1 file, as any unknown key is.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hvdesigner.fileformat.limits import pointer
from hvdesigner.fileformat.problems import Problems

JSON = Any

#: Keys format version 2 added, by where they live (collection, or "" for the top-level
#: object, or a collection's nested object as "collection/key").
V2_KEYS: dict[str, tuple[str, ...]] = {
    "sites": ("subnets",),
    "hosts": ("cores", "memory_gb", "storage_gb", "switches"),
    "clusters": ("storage_gb",),
    "vms": ("vcpus", "memory_gb", "recovery_group", "depends_on", "failover_ip", "test_switch"),
    "assumptions": ("vcpu_per_core",),
}


def _v1_to_v2(doc: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Version 2 only added optional keys: a version 1 file is a version 2 file that has none
    of them (each one it has anyway is a problem, named by its path)."""
    for where, keys in V2_KEYS.items():
        value = doc.get(where)
        if where == "assumptions":
            items: list[tuple[str, Any]] = [("/assumptions", value)]
        else:
            items = [(pointer("", where) + f"/{i}", item)
                     for i, item in enumerate(value if isinstance(value, list) else ())]
        for path, item in items:
            if isinstance(item, dict):
                for key in keys:
                    if key in item:
                        problems.add(pointer(path, key), f"unknown key {key!r}: it is new in "
                                     "format version 2, and this file says \"version\": 1")
    doc = copy.copy(doc)  # (the caller's parse stays as it was; a copy keeps its class)
    doc["version"] = 2
    return doc


#: The step from each version to the next.
STEPS: dict[int, Callable[[dict[str, Any], Problems], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(doc: dict[str, Any], version: int, problems: Problems) -> dict[str, Any]:
    """The parsed file of ``version`` as one of the current version (problems recorded)."""
    while version in STEPS:
        doc = STEPS[version](doc, problems)
        version += 1
    return doc
