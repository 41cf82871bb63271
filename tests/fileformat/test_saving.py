"""Saving: deterministic bytes that load back to the same design, written atomically."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesigner.fileformat import DesignSaveError, dumps, load, loads, save
from hvdesigner.fileformat.writer import json_text
from hvdesigner.model.entities import Site
from tests.designs import SPEC_EXAMPLE, load_dict, rich_design
from tests.fileformat.test_round_trip import ANY_JSON, NUMBERS, _nested


def test_saving_an_unchanged_design_gives_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "design.hvd"
    save(load_dict(rich_design()), path)
    first = path.read_bytes()
    save(load(path), path)
    assert path.read_bytes() == first


def test_the_writer_sorts_entities_and_id_lists_and_omits_defaults() -> None:
    doc = rich_design()
    doc["sites"].reverse()
    doc["replications"][1]["vms"] = ["web1", "sql1"]
    doc["replications"][0]["compression"] = True  # the default: not written back
    text = dumps(load_dict(doc))
    saved = json.loads(text)
    assert [s["id"] for s in saved["sites"]] == ["cloud", "dr", "hq"]
    assert saved["replications"][1]["vms"] == ["sql1", "web1"]
    assert "compression" not in saved["replications"][0]
    assert list(saved)[:3] == ["format", "version", "title"]
    assert text.endswith("}\n") and text.startswith('{\n  "format": "hvdesigner",\n  "version": 2,')


def test_non_ascii_names_are_written_readably() -> None:
    doc = json.loads(json.dumps(SPEC_EXAMPLE))
    doc["sites"][0]["name"] = "Zürich Rechenzentrum — 東京"
    assert "Zürich Rechenzentrum — 東京" in dumps(load_dict(doc))


def test_layout_is_kept_with_sorted_keys() -> None:
    doc = json.loads(json.dumps(SPEC_EXAMPLE))
    doc["layout"] = {"zoom": 1.5, "items": {"hv2": [10, 20], "hv1": [0, 0]}}
    saved = json.loads(dumps(load_dict(doc)))
    assert saved["layout"] == doc["layout"]
    assert list(saved["layout"]) == ["items", "zoom"] and list(saved["layout"]["items"]) == ["hv1", "hv2"]


def test_a_save_keeps_the_file_mode_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "design.hvd"
    path.write_text("old")
    os.chmod(path, 0o640)
    save(load_dict(SPEC_EXAMPLE), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.hvd"]


def test_a_save_into_a_missing_folder_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(DesignSaveError, match="Could not save .*the file on disk was not changed"):
        save(load_dict(SPEC_EXAMPLE), tmp_path / "nope" / "design.hvd")


def test_a_full_disk_mid_save_leaves_the_old_file_intact(tmp_path: Path) -> None:
    """A real write failure: the child process may not write files over 4 KiB (RLIMIT_FSIZE),
    so the save of a big design fails part-way, as on a full disk."""
    path = tmp_path / "design.hvd"
    save(load_dict(SPEC_EXAMPLE), path)
    original = path.read_bytes()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from hvdesigner.fileformat import DesignSaveError, save
        from hvdesigner.model.entities import Site
        from tests.designs import load_dict, rich_design
        design = load_dict(rich_design())
        for i in range(200):
            design.add(Site(f"site{{i}}", "A site with a long name " * 3))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            save(design, {str(path)!r})
        except DesignSaveError as e:
            print(e)
            sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "the file on disk was not changed" in result.stdout
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.hvd"]
    assert loads(path.read_bytes()).title == "Two sites, one VM"


def test_saved_designs_load_back_equal() -> None:
    design = load_dict(rich_design())
    design.add(Site("extra", "Extra", "branch"))
    again = loads(dumps(design))
    assert dumps(again) == dumps(design)
    assert again.get("extra") == Site("extra", "Extra", "branch")
    assert again.get("r2") == design.get("r2")


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parents[2] / "resources"
                                                          / "examples").glob("*.hvd")))
def test_a_loaded_design_answers_as_one_built_edit_by_edit(name: str) -> None:
    """The loader builds checked designs directly into the indexes (no journal per entity);
    the result must be the design the edit-by-edit path would build."""
    from hvdesigner.model.design import Design

    loaded = load(Path(__file__).parents[2] / "resources" / "examples" / name)
    built = Design()
    with built.transaction():
        for entity in loaded.entities_by_id().values():
            built.add(entity)
        for attribute in ("title", "notes", "assumptions", "suppressions", "layout"):
            built.set(attribute, getattr(loaded, attribute))
    assert dumps(built) == dumps(loaded)
    ids = set(loaded.entities_by_id())
    sites = list(loaded.sites)
    for id in ids:
        assert loaded.referrers(id) == built.referrers(id)
        assert loaded.replications_at(id) == built.replications_at(id)
        assert loaded.replications_listing(id) == built.replications_listing(id)
        assert loaded.firewalls_protecting(id) == built.firewalls_protecting(id)
        assert loaded.nodes_of(id) == built.nodes_of(id)
    for a in sites:
        assert loaded.servers_in_site(a) == built.servers_in_site(a)
        for b in sites:
            assert loaded.replications_between(a, b) == built.replications_between(a, b)
            assert loaded.wan_link_between(a, b) == built.wan_link_between(a, b)


@settings(max_examples=500, deadline=None)
@given(st.one_of(ANY_JSON, st.lists(ANY_JSON, max_size=3),
                 st.integers(1, 300).map(lambda depth: {"deep": _nested(depth)}),
                 st.dictionaries(st.one_of(st.integers(), st.booleans(), st.none(), NUMBERS), ANY_JSON,
                                 max_size=3)))
def test_the_writer_writes_what_json_writes(value: Any) -> None:
    """The writer's own indenting gives json's text, and fails where json fails."""
    try:
        expected: str | type[Exception] = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    except (ValueError, RecursionError) as e:
        expected = type(e)
    if isinstance(expected, str):
        assert json_text(value) == expected
    else:
        with pytest.raises(expected):
            json_text(value)
