"""The JSON Schema of format v2, generated from the format's tables.

``resources/schema/design-v2.schema.json`` is this module's output (``make schema`` rewrites
it; a test keeps the two equal). The schema checks structure only: references between
entities, unique ids, a node's site and domain, and the limits of
:mod:`hvdesigner.fileformat.limits` are the loader's.
"""

from __future__ import annotations

import json
from typing import Any

from hvdesigner.fileformat.limits import MAX_DEPTH, MAX_WHOLE
from hvdesigner.fileformat.spec import DESIGN, FORMAT, OBJECTS, VERSION


def build_schema() -> dict[str, Any]:
    design = DESIGN.definition()
    design["properties"]["format"] = {"const": FORMAT}
    design["properties"]["version"] = {"const": VERSION}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:hvdesigner:design:v{VERSION}",
        "title": f"hvdesigner design, format version {VERSION}",
        "description": "A Hyper-V Replica disaster-recovery design (.hvd). Structure only: "
        "references, unique ids and a node's site and domain agreeing with its cluster's are "
        "checked by hvdesigner itself, and so is what a schema can't say about JSON values: "
        "no lone surrogates in text, numbers a double holds (whole numbers within "
        f"±{MAX_WHOLE}), at most {MAX_DEPTH} levels of nesting, no key twice in an object.",
        **design,
        "$defs": {obj.name: obj.definition() for obj in OBJECTS},
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
