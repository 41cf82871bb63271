"""Saving a design opened from a format version 1 file, through the window's own Save and Save
As: the first save over the file keeps the original beside it (never over another file) and
says so; later saves don't; a Save As elsewhere leaves the original where it is, and says that."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.fileformat.writer import DesignSaveError
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import Answers
from tests.ui.test_recovery import _crash, _next_start

V1 = Path(__file__).parents[1] / "data" / "v1"


def open_v1(window: MainWindow, tmp_path: Path, name: str = "training.hvd") -> Path:
    path = tmp_path / name
    shutil.copy(V1 / name, path)
    assert window.open_path(str(path))
    edit(window)
    return path


def edit(window: MainWindow, memory_gb: float = 10) -> None:
    """A change worth saving (Save is offered once something changed)."""
    document = window.document
    assert document is not None
    after = dataclasses.replace(document.design.vms["web01"], memory_gb=memory_gb)
    assert document.do(edits.set_value, after) is not None


def version_of(path: Path) -> int:
    return int(json.loads(path.read_text(encoding="utf-8"))["version"])


def opened_v1(tmp_path: Path) -> tuple[Path, bytes, Document]:
    """The version 1 training design copied to ``tmp_path`` and opened (no window): its
    path, its bytes, the document."""
    path = tmp_path / "training.hvd"
    shutil.copy(V1 / "training.hvd", path)
    return path, path.read_bytes(), Document.open(str(path))


def assert_original_kept(path: Path, original: bytes) -> None:
    """Saved as version 2, with the version 1 original beside it, and nothing else."""
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{path.stem}.v1.hvd"]
    assert path.with_name(f"{path.stem}.v1.hvd").read_bytes() == original
    assert version_of(path) == 2


def test_the_first_save_keeps_the_version_1_original_beside_it_and_says_so(
        window: MainWindow, tmp_path: Path) -> None:
    path = open_v1(window, tmp_path)
    original = path.read_bytes()
    window.save_action.trigger()
    kept = tmp_path / "training.v1.hvd"
    assert kept.read_bytes() == original
    assert version_of(path) == 2
    message = window.statusBar().currentMessage()
    assert "format version 2" in message and "training.v1.hvd" in message

    edit(window, 14)  # another edit, another save
    window.save_action.trigger()
    assert sorted(p.name for p in tmp_path.glob("training*.hvd")) == ["training.hvd", "training.v1.hvd"]
    assert kept.read_bytes() == original
    assert window.statusBar().currentMessage() == f"Saved {path}"


def test_opening_a_version_1_file_says_what_saving_will_do(window: MainWindow,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "training.hvd"
    shutil.copy(V1 / "training.hvd", path)
    assert window.open_path(str(path))
    message = window.statusBar().currentMessage()
    assert message.startswith("training.hvd is a format version 1 file")
    assert "saving writes version 2 and keeps the original" in message
    assert window.document is not None and not window.document.dirty
    assert window.open_path(str(V1.parents[2] / "resources" / "examples" / "training.hvd"))
    assert "format version" not in window.statusBar().currentMessage()


def test_an_existing_file_of_that_name_is_never_written_over(
        window: MainWindow, tmp_path: Path) -> None:
    (tmp_path / "training.v1.hvd").write_text("someone else's", encoding="utf-8")
    (tmp_path / "training.v1 (2).hvd").write_text("and another", encoding="utf-8")
    path = open_v1(window, tmp_path)
    original = path.read_bytes()
    window.save_action.trigger()
    assert (tmp_path / "training.v1.hvd").read_text(encoding="utf-8") == "someone else's"
    assert (tmp_path / "training.v1 (2).hvd").read_text(encoding="utf-8") == "and another"
    assert (tmp_path / "training.v1 (3).hvd").read_bytes() == original
    assert "training.v1 (3).hvd" in window.statusBar().currentMessage()


def test_save_as_elsewhere_leaves_the_original_as_it_was_and_says_so(
        window: MainWindow, tmp_path: Path, monkeypatch: Any) -> None:
    path = open_v1(window, tmp_path)
    original = path.read_bytes()
    elsewhere = tmp_path / "training-2026.hvd"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(elsewhere), ""))
    assert window.save_as()
    assert path.read_bytes() == original and version_of(elsewhere) == 2
    assert not list(tmp_path.glob("*.v1*"))
    message = window.statusBar().currentMessage()
    assert "training.hvd is left as it was" in message
    edit(window, 14)
    window.save_action.trigger()  # (to the new file: nothing more to say)
    assert window.statusBar().currentMessage() == f"Saved {elsewhere}"


def test_a_version_2_file_is_saved_with_nothing_kept(window: MainWindow, example: Any) -> None:
    path = example("training.hvd")
    assert window.open_path(str(path))
    edit(window)
    window.save_action.trigger()
    assert not list(path.parent.glob("*.v1*"))
    assert window.statusBar().currentMessage() == f"Saved {path}"


def test_when_the_original_cant_be_kept_nothing_is_written(tmp_path: Path, qapp: Any,
                                                           monkeypatch: Any) -> None:
    path, original, document = opened_v1(tmp_path)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("read-only folder")

    monkeypatch.setattr("hvdesigner.editing.document.keep_original", refuse)
    with pytest.raises(DesignSaveError, match="version 1 original could not be kept"):
        document.save()
    assert path.read_bytes() == original
    document.close()


def test_work_recovered_after_a_crash_still_keeps_the_version_1_original(
        window: MainWindow, tmp_path: Path, qtbot: Any, answers: Answers) -> None:
    path = open_v1(window, tmp_path)
    original = path.read_bytes()
    _crash(window)
    again = _next_start(window, qtbot, answers)
    answers.queue.append(QMessageBox.StandardButton.Yes)  # recover the work
    assert again.open_path(str(path)) and again.document.dirty
    again.save_action.trigger()
    assert (tmp_path / "training.v1.hvd").read_bytes() == original
    assert again.document.design.vms["web01"].memory_gb == 10  # (the recovered work, saved)
    assert version_of(path) == 2
    answers.queue.append(QMessageBox.StandardButton.Discard)
    again.close()


def test_a_copy_that_could_not_be_written_whole_is_not_left_behind(
        tmp_path: Path, qapp: Any, monkeypatch: Any) -> None:
    """A full disk while the copy is written: no half-written NAME.v1.hvd that looks like the
    original, and the file itself unchanged."""
    path, original, document = opened_v1(tmp_path)
    real_fsync = os.fsync

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DesignSaveError, match="version 1 original could not be kept"):
        document.save()
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["training.hvd"]
    assert path.read_bytes() == original
    assert document.save() is not None and (tmp_path / "training.v1.hvd").read_bytes() == original
    document.close()


def test_a_save_that_fails_after_the_copy_takes_the_copy_back(
        tmp_path: Path, qapp: Any, monkeypatch: Any) -> None:
    """The disk fills while the design itself is written, the original copied already: the
    file is unchanged and no NAME.v1.hvd is left (each try would leave one more); the next
    save keeps the original as NAME.v1.hvd, not NAME.v1 (2).hvd."""
    path, original, document = opened_v1(tmp_path)
    real_fsync = os.fsync
    synced: list[int] = []

    def full_after_the_copy(fd: int) -> None:
        synced.append(fd)
        if len(synced) > 1:  # (the first is the copy's)
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_after_the_copy)
    for _ in range(2):
        with pytest.raises(DesignSaveError):
            document.save()
        synced.clear()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["training.hvd"]
        assert path.read_bytes() == original
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert document.save() is not None
    assert_original_kept(path, original)
    document.close()


def test_a_folder_that_cannot_be_synced_after_the_rename_still_saves_and_keeps_the_copy(
        tmp_path: Path, qapp: Any, monkeypatch: Any) -> None:
    """Some file systems refuse to sync a folder: the file is replaced by then, so the save
    worked; saying it failed made it take back the copy of the original, the only one left."""
    path, original, document = opened_v1(tmp_path)
    real_fsync = os.fsync

    def no_folders(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", no_folders)
    assert document.save() is not None
    assert_original_kept(path, original)
    document.close()


def test_a_file_another_program_saved_as_version_2_meanwhile_is_not_kept_as_the_original(
        tmp_path: Path, qapp: Any) -> None:
    path = tmp_path / "training.hvd"
    shutil.copy(V1 / "training.hvd", path)
    document = Document.open(str(path))
    v2 = json.loads(path.read_text(encoding="utf-8"))
    v2["version"] = 2
    path.write_text(json.dumps(v2), encoding="utf-8")
    assert document.save() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["training.hvd"]
    document.close()
