"""Saving streams: the design's text is written a block at a time as it is made, with the same
bytes as the whole text written at once, a small fraction of the file's size in memory, and the
old file intact when a block can't be made half-way through the save (issue 10)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from bench.generate import generate_design
from hvdesigner.fileformat import DesignSaveError, autosave, load, loads, save, writer
from hvdesigner.model.design import Design
from hvdesigner.model.entities import Site
from tests.designs import SPEC_EXAMPLE, load_dict, rich_design

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


def designs() -> list[tuple[str, Design]]:
    return ([(p.name, load(p)) for p in sorted(EXAMPLES.glob("*.hvd"))]
            + [("rich", load_dict(rich_design())),
               ("generated", loads(json.dumps(generate_design(3, scale=0.05))))])


@pytest.mark.parametrize(("name", "design"), designs())
def test_the_streamed_bytes_are_the_whole_text_written_at_once(
        name: str, design: Design, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut into many small blocks (so that every kind of place ends one), the blocks are the
    bytes json writes of the whole document, final newline included."""
    monkeypatch.setattr(writer, "BLOCK_PIECES", 7)
    whole = (json.dumps(writer.to_document(design), indent=2, ensure_ascii=False) + "\n").encode()
    blocks = list(writer.encode(design, "design.hvd"))
    assert len(blocks) > 2, name
    assert b"".join(blocks) == whole, name
    save(design, tmp_path / "design.hvd")
    assert (tmp_path / "design.hvd").read_bytes() == whole, name


def test_saving_costs_a_block_of_memory_not_copies_of_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written whole, the document, its pieces of text, the text and its bytes cost some six
    times the file's size; streamed, a block and the entity being written."""
    monkeypatch.setattr(writer, "BLOCK_PIECES", 512)  # (the block's cost, for a file this small)
    design = loads(json.dumps(generate_design(3, scale=0.2)))
    path = tmp_path / "design.hvd"
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        save(design, path)
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 1_000_000
    assert peak < size / 8, (peak, size)


def a_design_that_fails_half_way() -> Design:
    """Many sites that can be written, then one that can't (built in memory: the loader and
    the inspector refuse such a name), then hosts, VMs... after it."""
    design = load_dict(rich_design())
    for i in range(100):
        design.add(Site(f"site{i:03}", "A site with a long name " * 3))
    design.add(Site("site999", "Site \ud800"))
    return design


def test_a_value_that_cant_be_written_half_way_leaves_the_old_file_and_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "BLOCK_PIECES", 64)
    design = a_design_that_fails_half_way()
    written: list[bytes] = []
    with pytest.raises(DesignSaveError):
        written.extend(writer.encode(design, "design.hvd"))
    assert len(written) > 5  # (the failure comes after blocks were already on their way)
    path = tmp_path / "design.hvd"
    save(load_dict(SPEC_EXAMPLE), path)
    original = path.read_bytes()
    with pytest.raises(DesignSaveError) as failed:
        save(design, path)
    assert str(failed.value) == (  # (said once: the writer passes the blocks' own error on)
        f"Could not save {path}: /sites/103/name: 'Site \\ud800' contains a lone surrogate "
        "'\\ud800' (character 6; half of a UTF-16 pair), which has no UTF-8 form, so it can't "
        "be saved; the file on disk was not changed.")
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.hvd"]


def test_an_autosave_that_fails_half_way_keeps_the_last_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recovery entry stays what the last good autosave wrote, design and description."""
    monkeypatch.setattr(writer, "BLOCK_PIECES", 64)
    entry = autosave.write(str(tmp_path), "design-1", load_dict(SPEC_EXAMPLE), None)
    kept = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir())
    with pytest.raises(DesignSaveError, match="the file on disk was not changed"):
        autosave.write(str(tmp_path), "design-1", a_design_that_fails_half_way(), None)
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir()) == kept
    assert autosave.load_entry(entry).title == "Two sites, one VM"
    assert autosave.entries(str(tmp_path)) == [entry]
