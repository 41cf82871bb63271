"""Format version 1 files open as version 2 designs and save as version 2 (``migrations.py``).

The version 1 files are the bundled examples as they were before version 2
(``tests/data/v1/``), kept byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvdesigner.fileformat import DesignFileError, dumps, load, loads
from hvdesigner.fileformat.migrations import STEPS, V2_KEYS
from hvdesigner.fileformat.spec import COLLECTIONS, VERSION

V1_FILES = sorted((Path(__file__).parents[1] / "data" / "v1").glob("*.hvd"))


def test_the_v1_files_are_version_1() -> None:
    assert V1_FILES
    for path in V1_FILES:
        assert json.loads(path.read_text())["version"] == 1


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.stem)
def test_a_v1_file_loads_saves_as_v2_and_reloads_equal(path: Path) -> None:
    design = load(path)
    assert design.migrated_from == 1
    text = dumps(design)
    assert json.loads(text)["version"] == 2
    again = loads(text)
    assert again.migrated_from is None
    assert dumps(again) == text
    # every entity is what it was: only the version changed, every new key at its default
    old = json.loads(path.read_text())
    new = json.loads(text)
    assert {k: v for k, v in new.items() if k != "version"} == \
        {k: v for k, v in old.items() if k != "version"}


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.stem)
def test_a_v1_file_loads_as_the_bundled_example_it_became(path: Path) -> None:
    """The bundled example of the same name began as this file: what it had then, it has
    now (the examples gained sizes, groups and addresses since)."""
    example = json.loads((Path(__file__).parents[2] / "resources" / "examples" / path.name)
                         .read_text())
    old = json.loads(path.read_text())
    for key in COLLECTIONS:
        assert [e["id"] for e in old.get(key, [])] == [e["id"] for e in example.get(key, [])]


def test_a_newer_version_is_refused_naming_the_version_read() -> None:
    with pytest.raises(DesignFileError) as caught:
        loads(b'{"format": "hvdesigner", "version": 3, "sites": []}')
    assert caught.value.report().count("format version 3") == 1
    assert f"this one reads version {VERSION}" in caught.value.report()


def test_a_v2_key_in_a_v1_file_is_an_unknown_key_with_its_path() -> None:
    doc = {"format": "hvdesigner", "version": 1,
           "sites": [{"id": "hq", "name": "HQ", "subnets": ["10.0.0.0/8"]}],
           "hosts": [{"id": "h", "name": "H", "fqdn": "h.x", "site": "hq", "cores": 8}],
           "assumptions": {"vcpu_per_core": 4}}
    with pytest.raises(DesignFileError) as caught:
        loads(json.dumps(doc))
    paths = [p.path for p in caught.value.problems]
    assert paths == ["/sites/0/subnets", "/hosts/0/cores", "/assumptions/vcpu_per_core"]
    assert "new in format version 2" in caught.value.report()


def test_the_same_v2_keys_in_a_v2_file_load() -> None:
    doc = {"format": "hvdesigner", "version": 2,
           "sites": [{"id": "hq", "name": "HQ", "subnets": ["10.0.0.0/8"]}],
           "hosts": [{"id": "h", "name": "H", "fqdn": "h.x", "site": "hq", "cores": 8}],
           "assumptions": {"vcpu_per_core": 4}}
    design = loads(json.dumps(doc))
    assert design.get("h").cores == 8 and design.assumptions.vcpu_per_core == 4


def test_every_v2_key_is_a_key_of_the_format() -> None:
    from hvdesigner.fileformat.spec import ASSUMPTIONS
    for where, keys in V2_KEYS.items():
        kind = ASSUMPTIONS if where == "assumptions" else COLLECTIONS[where]
        assert set(keys) <= {f.key for f in kind.fields}


def test_there_is_a_step_from_every_older_version() -> None:
    assert sorted(STEPS) == list(range(1, VERSION))


def test_a_version_1_design_migrated_in_memory_leaves_the_parsed_document_alone() -> None:
    from hvdesigner.fileformat.loader import load_document
    doc = {"format": "hvdesigner", "version": 1}
    load_document(doc)
    assert doc == {"format": "hvdesigner", "version": 1}


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.stem)
def test_the_v1_files_pass_the_published_v1_schema(path: Path) -> None:
    import jsonschema
    schema = json.loads((Path(__file__).parents[2] / "resources" / "schema" /
                         "design-v1.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(path.read_text()))) == []
