"""Nothing a user opens or does loses work (issue 8, points 3, 4, 6 and 7): every failed save
says why and keeps the window open, saving respects what is on disk, names are text, and a
remembered window layout can't leave the canvas a strip."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from hvdesigner.editing import edits
from hvdesigner.ui.main_window import MIN_CANVAS, MainWindow
from tests.ui.conftest import Answers, open_example

Button = QMessageBox.StandardButton


def _change(window: MainWindow) -> None:
    site = next(iter(window.document.design.sites))
    window.document.do(edits.rename, site, "Changed")


@pytest.mark.parametrize("where", ["parent-is-a-file", "nul", "too-long"])
def test_a_failed_save_says_why_and_closing_keeps_the_work(
        window: MainWindow, example: Any, answers: Answers, tmp_path: Path, where: str) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    _change(window)
    (tmp_path / "file").write_text("x")
    bad = {"parent-is-a-file": str(tmp_path / "file" / "d.hvd"), "nul": str(tmp_path / "a\0b.hvd"),
           "too-long": str(tmp_path / ("n" * 300 + ".hvd"))}[where]
    assert not window._save_to(bad)
    assert window.last_error is not None and "Could not save" in window.last_error.text()
    window.last_error.close()
    assert window.document.dirty
    window.document.path = bad  # as if the design had been opened from there
    answers.queue.append(Button.Save)
    assert not window.close()  # the save failed: the window stays, with the work
    assert window.isVisible() and window.document.dirty
    assert "Could not save" in window.last_error.text()
    window.last_error.close()


def test_saving_through_a_symbolic_link_writes_the_file_it_points_to(
        window: MainWindow, example: Any, tmp_path: Path) -> None:
    real = example("two-sites-certificates.hvd")
    link = tmp_path / "link.hvd"
    link.symlink_to(real)
    assert window.open_path(str(link))
    _change(window)
    assert window.save()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Changed" in real.read_text()


def test_a_read_only_file_is_not_overwritten(window: MainWindow, example: Any) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        _change(window)
        assert not window.save()
        assert "read-only" in window.last_error.text()
        assert path.read_bytes() == before and window.document.dirty
    finally:
        path.chmod(0o644)


def test_a_file_changed_on_disk_is_not_overwritten_without_asking(
        window: MainWindow, example: Any, answers: Answers) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    _change(window)
    pulled = path.read_text().replace('"title": "', '"title": "Pulled ', 1)
    path.write_text(pulled)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    answers.queue.append(Button.Cancel)
    assert not window.save()
    assert answers.asked[-1] == "The file changed on disk" and path.read_text() == pulled
    answers.queue.append(Button.Save)
    assert window.save()
    assert "Changed" in path.read_text() and not window.document.dirty
    _change(window)
    window.document.do(edits.rename, next(iter(window.document.design.sites)), "Again")
    asked = len(answers.asked)
    assert window.save()  # unchanged on disk since our own save: no question
    assert len(answers.asked) == asked


HOSTILE = '<b style="font-size:90px">BIG</b><a href="file:///etc/passwd">x</a><img src="/x.png" width=20000 height=20000>'


def test_names_are_shown_as_text_never_as_markup(window: MainWindow, example: Any, qtbot: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.set_attribute, "title", HOSTILE)
    window.scene.clearSelection()
    window.inspector.show_selection([])
    assert "&lt;b style" in window.inspector.title.text()
    host = next(iter(window.scene.servers))
    window.document.do(edits.rename, host, HOSTILE)
    window.scene.select_ids([host])
    title = window.inspector.title
    assert "<img" not in title.text() and "&lt;img" in title.text()
    assert title.height() < 400 and window.inspector_dock.width() < window.width() / 2
    window.show_error("Cannot open the design", f"{HOSTILE}\nsecond line")
    box = window.last_error
    assert box.textFormat() == Qt.TextFormat.PlainText and HOSTILE in box.text()
    box.close()


def test_a_long_title_leaves_the_canvas_its_room_now_and_at_the_next_start(
        window: MainWindow, example: Any, tmp_path: Path, qtbot: Any, answers: Answers) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.set_attribute, "title", "T" * 5000)
    window.scene.clearSelection()
    window.inspector.show_selection([])
    QTest.qWait(50)
    assert window.view.width() >= MIN_CANVAS[0]
    # a layout saved in a bad moment: the inspector takes nearly all the width
    window.resizeDocks([window.inspector_dock], [window.width() - 60], Qt.Orientation.Horizontal)
    QTest.qWait(20)
    window.settings.setValue("window/geometry", window.saveGeometry())
    window.settings.setValue("window/state", window.saveState())
    window.settings.sync()
    again = MainWindow(QSettings(window.settings.fileName(), QSettings.Format.IniFormat),
                       str(tmp_path / "recovery"), ask=answers)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    QTest.qWait(50)
    assert again.view.width() >= MIN_CANVAS[0] and again.view.height() >= MIN_CANVAS[1]
    again.close()
