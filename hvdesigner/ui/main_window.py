"""The main window: canvas in the middle; palette, inspector, findings, capacity, recovery plan
and history docks; menus, toolbar (with the scenario switch), status bar with finding counts;
files with a dirty marker, a prompt on close, recent files, autosave and crash recovery; window
state remembered."""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QUndoView,
    QWidget,
)

from hvdesigner.canvas.scene import DesignScene
from hvdesigner.canvas.theme import Theme
from hvdesigner.canvas.view import CanvasView
from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.fileformat import autosave
from hvdesigner.fileformat.loader import DesignFileError
from hvdesigner.fileformat.writer import DesignSaveError
from hvdesigner.model.gc_pause import gc_paused, settle, unsettle
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import FindingsDelta
from hvdesigner.ui import module_sources
from hvdesigner.ui.capacity_dock import CapacityPanel
from hvdesigner.ui.clipboard_actions import ClipboardActions
from hvdesigner.ui.context_menu import build_menu
from hvdesigner.ui.creation import create_from_palette
from hvdesigner.ui.export_dialog import ExportDialog, ask_and_print, copy_diagram
from hvdesigner.ui.findings_dock import SEVERITIES, FindingsPanel, count_text
from hvdesigner.ui.icons import undo_icon
from hvdesigner.ui.inspector import Inspector
from hvdesigner.ui.palette import Palette
from hvdesigner.ui.recovery import RecoveryDialog
from hvdesigner.ui.recovery_plan import RecoveryPlanPanel
from hvdesigner.ui.scenario_switch import ScenarioSwitch

FILE_FILTER = "Hyper-V Replica designs (*.hvd);;All files (*)"
EXAMPLES = Path(str(importlib.resources.files("hvdesigner.resources"))) / "examples"


def is_bundled_example(path: str) -> bool:
    """A design shipped with the program: opened as a template, never written over."""
    return Path(path).resolve().parent == EXAMPLES.resolve()
NEXT_SCENARIO = "Ctrl+Shift+R"
MAX_RECENT = 8
MIN_CANVAS = (400, 250)  # px: less than this, and remembered dock sizes are not kept


def keys_for(shortcut: Any) -> list[QKeySequence]:
    """An action's keys: a standard key's every binding on this platform (its first alone
    left Windows and KDE without Ctrl+Shift+Z for redo), else the one given. (Only the
    platform's: a text field takes those for its own undo and redo, and a key it doesn't
    take, such as Ctrl+Y on GNOME, would redo an edit of the design while typing.)"""
    if not isinstance(shortcut, QKeySequence.StandardKey):
        return [QKeySequence(shortcut)]
    return QKeySequence.keyBindings(shortcut)


def ask_plainly(parent: QWidget, title: str, text: str, buttons: QMessageBox.StandardButton) -> Any:
    """A question whose text is shown as text: a file name can't restyle or link the dialog."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return QMessageBox.StandardButton(box.exec())




class MainWindow(ClipboardActions, QMainWindow):
    def __init__(self, settings: QSettings, recovery_folder: str | None = None,
                 ask: Callable[..., Any] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.recovery_folder = recovery_folder
        #: how the window asks questions; tests replace it to answer
        self.ask = ask or ask_plainly
        self.document: Document | None = None
        self.scene: DesignScene | None = None
        self._scene_connected = False
        self.view = CanvasView()
        self.view.setObjectName("canvas")
        self.view.palette_dropped.connect(self.drop_from_palette)
        self.view.context_menu.connect(self.show_context_menu)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))
        self.view.painted.connect(self._check_once_painted)
        self.setCentralWidget(self.view)
        module_sources.forget()  # (the window's modules are imported by now)
        self.palette_widget = Palette()
        self.findings_panel = FindingsPanel()
        self.findings_panel.finding_activated.connect(self.show_finding)
        self.capacity_panel = CapacityPanel(settings)
        self.capacity_panel.select.connect(self._select_from_dock)
        self.capacity_panel.window_hours.valueChanged.connect(
            lambda _hours: self.inspector.refresh_capacity())
        self.counts = QLabel()
        self.counts.setObjectName("finding-counts")
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.statusBar().addPermanentWidget(self.counts)
        self.inspector_dock = self._dock("Inspector", QWidget(), Qt.DockWidgetArea.RightDockWidgetArea)
        palette_dock = self._dock("Palette", self.palette_widget, Qt.DockWidgetArea.LeftDockWidgetArea)
        findings_dock = self._dock("Findings", self.findings_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.history_dock = self._dock("History", QUndoView(), Qt.DockWidgetArea.LeftDockWidgetArea)
        self.capacity_dock = self._dock("Capacity", self.capacity_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(findings_dock, self.capacity_dock)
        self.scenarios = ScenarioSwitch(self)  # (a view state: canvas overlay and plan dock)
        self.plan_panel = RecoveryPlanPanel(QKeySequence(NEXT_SCENARIO).toString(QKeySequence.SequenceFormat.NativeText))
        self.plan_panel.select.connect(self._select_from_dock)
        self.scenarios.changed.connect(lambda s: self.plan_panel.show_scenario(s, self.document.design))
        self.plan_dock = self._dock("Recovery plan", self.plan_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.capacity_dock, self.plan_dock)
        self.plan_dock.visibilityChanged.connect(self.plan_panel.set_shown)
        self.capacity_dock.visibilityChanged.connect(self.capacity_panel.set_shown)
        findings_dock.raise_()
        self._side_docks, self._bottom_dock = [palette_dock, self.inspector_dock], findings_dock
        self._build_actions()
        self.set_document(Document(recovery_folder=recovery_folder))
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray) and isinstance(state, QByteArray) \
                and self.restoreGeometry(geometry) and self.restoreState(state):
            self._check_layout = True  # (once the window is shown and laid out)
        else:
            self.resize(1500, 950)
            QTimer.singleShot(0, self._default_docks)  # docks size once the window is laid out

    _check_layout = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._check_layout:
            self._check_layout = False
            QTimer.singleShot(0, self._keep_canvas_usable)

    def _default_docks(self) -> None:
        """Palette 170 px, inspector 440 px, findings 190 px high: less in a small window, so
        that the canvas keeps the room it needs."""
        room = max(0, self.width() - MIN_CANVAS[0] - 40)
        side = [min(170, room * 0.3), min(440, room * 0.7)]
        self.resizeDocks(self._side_docks, [int(w) for w in side], Qt.Orientation.Horizontal)
        high = max(0, self.height() - MIN_CANVAS[1] - 120)
        self.resizeDocks([self._bottom_dock], [int(min(190, high))], Qt.Orientation.Vertical)

    def _keep_canvas_usable(self) -> None:
        """A remembered window that no longer fits the screen, or whose docks leave the canvas
        a strip (a layout saved in a bad moment), goes back to the default layout."""
        on_screen = QGuiApplication.platformName() != "offscreen"  # (a picture has no screen)
        screen = self.screen().availableGeometry() if self.screen() is not None and on_screen else None
        if screen is not None and (self.width() > screen.width() or self.height() > screen.height()
                                   or not screen.intersects(self.frameGeometry())):
            self.setGeometry(screen.adjusted(40, 40, -40, -40))
        if self.view.width() < MIN_CANVAS[0] or self.view.height() < MIN_CANVAS[1]:
            self._default_docks()

    # ------------------------------------------------------------------ structure
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                menu: Any = None, toolbar: Any = None, icon: Any = None) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(icon if isinstance(icon, QIcon) else self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else keys_for(shortcut))
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys})")
        action.triggered.connect(lambda _checked=False: slot())
        if menu is not None:
            menu.addAction(action)
        if toolbar is not None:
            toolbar.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        tools = self.addToolBar("Main")
        tools.setObjectName("toolbar-main")
        key = QKeySequence.StandardKey
        file = bar.addMenu("&File")
        self._action("&New", self.new_design, key.New, file, tools, icon=QStyle.StandardPixmap.SP_FileIcon)
        self._action("&Open…", self.open_dialog, key.Open, file, tools, icon=QStyle.StandardPixmap.SP_DialogOpenButton)
        self.recent_menu = file.addMenu("Open &Recent")
        self.save_action = self._action("&Save", self.save, key.Save, file, tools,
                                        icon=QStyle.StandardPixmap.SP_DialogSaveButton)
        self._action("Save &As…", self.save_as, key.SaveAs, file)
        file.addSeparator()
        self._action("&Export…", self.export_dialog, "Ctrl+E", file)
        self._action("&Print…", lambda: self.document and ask_and_print(
            self, self.document, self.selected_ids()), key.Print, file)
        file.addSeparator()
        self._action("Recover Unsaved &Work…", self.offer_recovery, menu=file)
        file.addSeparator()
        self._action("&Quit", self.close, key.Quit, file)
        self.edit_menu = bar.addMenu("&Edit")
        ink = self.palette().color(self.foregroundRole())
        self.undo_action = self._action("&Undo", lambda: self.document and self.document.undo_stack.undo(),
                                        key.Undo, self.edit_menu, tools, icon=undo_icon(ink))
        self.redo_action = self._action("&Redo", lambda: self.document and self.document.undo_stack.redo(),
                                        key.Redo, self.edit_menu, tools, icon=undo_icon(ink, redo=True))
        self.edit_menu.addSeparator()
        self._action("Cu&t", self.cut, key.Cut, self.edit_menu)
        self._action("&Copy", self.copy, key.Copy, self.edit_menu)
        self._action("&Paste", self.paste, key.Paste, self.edit_menu)
        self._action("Copy &Diagram", lambda: self.document and copy_diagram(
            self.document, self.selected_ids()), "Ctrl+Shift+C", self.edit_menu)
        self._action("&Delete", self.delete_selection, [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)], self.edit_menu, tools,
                     icon=QStyle.StandardPixmap.SP_TrashIcon)
        self._action("Select &All", self.select_all, key.SelectAll, self.edit_menu)
        view = bar.addMenu("&View")
        tools.addSeparator()
        self._action("Zoom &In", lambda: self.view and self.view.zoom_by(1.25), key.ZoomIn, view, tools)
        self._action("Zoom &Out", lambda: self.view and self.view.zoom_by(0.8), key.ZoomOut, view, tools)
        self._action("&Fit to Content", lambda: self.view and self.view.fit_content(), "Ctrl+0", view, tools)
        self._action("&Actual Size", lambda: self.view and self.view.set_zoom(1.0), "Ctrl+1", view)
        view.addSeparator()
        tools.addSeparator()
        tools.addWidget(self.scenarios.widget)
        self._action("Next &Scenario", self.scenarios.cycle, NEXT_SCENARIO, view)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        arrange_menu = bar.addMenu("&Arrange")
        for text, how, shortcut in (("Align &Left", "left", "Ctrl+Shift+L"),
                                    ("Align &Top", "top", "Ctrl+Shift+T"),
                                    ("Distribute &Horizontally", "horizontal", "Ctrl+Shift+H"),
                                    ("Distribute &Vertically", "vertical", "Ctrl+Shift+V")):
            self._action(text, lambda how=how: self.arrange(how), shortcut, arrange_menu)
        self._refresh_recent()

    # ------------------------------------------------------------------ documents
    def _detach_scene(self) -> None:
        """Stop hearing from the current scene (it goes with its view, or the window)."""
        if self.scene is not None and self._scene_connected:
            for signal in (self.scene.selectionChanged, self.scene.parts_selection_changed,
                           self.scene.status_message):
                signal.disconnect()
            self._scene_connected = False

    def set_document(self, document: Document) -> None:
        # (the canvas of a large design makes its items, looks and routes by the hundred
        # thousand, none of them garbage: the collector's passes over them as they came,
        # and over the design just loaded, cost 0.4-0.5 s of opening 5,000 hosts; paused,
        # one pass follows)
        with gc_paused():
            self._replace_document(document)

    def _replace_document(self, document: Document) -> None:
        old = self.document
        unsettle()  # (the design open until now may be collected once it is gone)
        self._settled_at = 0.0  # (how far its first check was when last settled)
        self._detach_scene()
        self.document = document
        old_scene = self.scene
        self.scene = DesignScene(document, Theme.from_palette(QGuiApplication.palette()))
        self.scene.setParent(self.view)
        self.view.setScene(self.scene)
        if old_scene is not None:
            old_scene.deleteLater()
        # (setWidget leaves the dock's previous widget in it, hidden: the last design's inspector
        # and its forms, which hold that design, would then live as long as the window)
        self.inspector_dock.widget().deleteLater()
        self.inspector = Inspector(document)
        self.inspector.window_hours = lambda: float(self.capacity_panel.window_hours.value())
        self.inspector.select.connect(self.scene.select_ids)
        self.inspector_dock.setWidget(self.inspector)
        self.findings_panel.set_document(document)
        self.capacity_panel.set_document(document)
        self.scenarios.set_document(document, self.scene)
        history = self.history_dock.widget()
        assert isinstance(history, QUndoView)
        history.setStack(document.undo_stack)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.parts_selection_changed.connect(self._selection_changed)
        self.scene.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._scene_connected = True
        document.findings_changed.connect(self.refresh_findings)
        document.checking.connect(self._show_checking)
        document.file_state_changed.connect(self._refresh_title)
        document.status.connect(lambda text: self.statusBar().showMessage(text, 10000))
        document.refused.connect(lambda text: self.statusBar().showMessage(text, 8000))
        document.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        document.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(document.undo_stack.canUndo())
        self.redo_action.setEnabled(document.undo_stack.canRedo())
        self.refresh_findings()
        self._refresh_title()
        self.view.fit_content()
        QTimer.singleShot(0, self.view.fit_content)  # again once the window is laid out
        if old is not None:
            for signal in (old.design_changed, old.findings_changed, old.file_state_changed,
                           old.status, old.refused, old.checking,
                           old.undo_stack.canUndoChanged, old.undo_stack.canRedoChanged):
                signal.disconnect()
            old.close()
            # (its undo steps go now, deleted by their stack while both are whole: left to the
            # collector, a step's wrapper freed before the stack's owner is deleted twice, a
            # crash in PySide6 6.11)
            old.undo_stack.clear()
            old.deleteLater()

    def _refresh_title(self) -> None:
        """The file name (an example opened as a template says so), the unsaved marker, and
        Save only when there is something to save."""
        document = self.document
        assert document is not None
        if document.path:
            name = os.path.basename(document.path)
        elif document.template:
            name = f"{os.path.basename(document.template)} (template)"
        else:
            name = "Untitled"
        self.setWindowTitle(f"{name}[*] — hvdesigner")
        self.setWindowModified(document.dirty)
        self.save_action.setEnabled(document.dirty)

    def refresh_findings(self, delta: FindingsDelta | None = None) -> None:
        """List the findings: all anew (a new design), or patched with what an edit changed,
        which keeps live editing of a big design quick."""
        assert self.document is not None
        if delta is None:
            self.findings_panel.set_findings(self.document.checker.findings())
        else:
            self.findings_panel.apply_delta(delta)
        counts = self.findings_panel.model.counts
        self.counts.setText("   ".join(count_text(s, counts[s]) for s in SEVERITIES))

    def _check_once_painted(self) -> None:
        """Begin the first check once the design is on screen, its model and scene settled
        first: they live while it is open (the check's findings follow when it ends)."""
        if self.document is not None and not self.document.checker.live:
            settle()
            self.document.check_soon()

    def _show_checking(self, done: float) -> None:
        """While the first check of a large design runs behind the open window. What it has
        made is settled every tenth of the way (its findings live while the design is open):
        else a full pass of the collector went through all of them, 80-90 ms in one step at
        5,000 hosts."""
        if done < 1:
            self.counts.setText(f"Checking the design… {done:.0%}")
            if done >= self._settled_at + 0.1:
                self._settled_at = done
                settle()
        else:  # opened and checked: what the design made lives while it is open
            settle()

    def confirm_discard(self) -> bool:
        """Ask before unsaved work would be lost; True when it is fine to go on."""
        if self.document is None or not self.document.dirty:
            return True
        buttons = QMessageBox.StandardButton
        answer = self.ask(self, "Unsaved changes", "Save the changes to this design first?",
                          buttons.Save | buttons.Discard | buttons.Cancel)
        if answer == buttons.Save:
            return self.save()
        return bool(answer == buttons.Discard)

    def new_design(self) -> None:
        if self.confirm_discard():
            self.set_document(Document(recovery_folder=self.recovery_folder))

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open design", "", FILE_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a design; a broken file shows the loader's messages and changes nothing. Work
        a crash left on this file is offered back first."""
        if not self.confirm_discard():
            return False
        template = is_bundled_example(path)
        left = [] if template else [e for e in self.crashed_work()
                                    if e.design_path == os.path.abspath(path)]
        if left:
            buttons = QMessageBox.StandardButton
            answer = self.ask(self, "Recover unsaved work",
                              f"{os.path.basename(path)} has unsaved work from "
                              f"{left[0].describe().split(' — ')[-1]}, probably left by a crash. "
                              "Recover it? (No opens the file; the work stays in File → Recover "
                              "Unsaved Work.)", buttons.Yes | buttons.No)
            if answer == buttons.Yes:
                return self.recover(left[0])
        try:
            document = Document.open(path, self.recovery_folder, template=template)
        except DesignFileError as e:
            self.show_error("Cannot open the design", e.report())
            return False
        self.set_document(document)
        self._remember_recent(path)
        # (what the last file's note said is not about this one)
        self.statusBar().showMessage(document.opening_note() or "", 20000)
        return True

    def crashed_work(self) -> list[autosave.Entry]:
        """Autosaved work no open design owns: left by a crash."""
        if self.recovery_folder is None:
            return []
        in_use = {self.document.recovery_key} if self.document is not None else set()
        return autosave.left_by_crash(self.recovery_folder, in_use)

    def recover(self, entry: autosave.Entry) -> bool:
        """Open work a crash left behind (unsaved until the user saves it)."""
        try:
            document = Document.recover(entry)
        except DesignFileError as e:
            self.show_error("Cannot recover the design", e.report())
            return False
        self.set_document(document)
        self.statusBar().showMessage(f"Recovered {entry.describe()}: save it to keep it.", 10000)
        return True

    def export_dialog(self) -> None:
        """File → Export…: every deliverable, with a preview (kept for tests to drive)."""
        assert self.document is not None
        self.exporting = ExportDialog(self, self.document, self.selected_ids())
        self.exporting.open()

    def offer_recovery(self) -> None:
        """Show every piece of work crashes left behind, to recover or discard (File → Recover
        Unsaved Work; at start when there is any)."""
        left = self.crashed_work()
        if not left:
            self.statusBar().showMessage("No unsaved work to recover.", 4000)
            return
        self.recovery_dialog = RecoveryDialog(self, left)
        self.recovery_dialog.open()

    last_error: QMessageBox | None = None

    def show_error(self, title: str, text: str) -> None:
        """A message box that shows the text as text (a file or design name can't restyle it)."""
        lines = text.splitlines() or [""]
        shown = "\n".join(line[:300] for line in lines[:12])  # (the rest: Show Details)
        box = QMessageBox(QMessageBox.Icon.Critical, title, shown, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("error-dialog")
        if len(lines) > 12 or any(len(line) > 300 for line in lines):
            box.setDetailedText(text)  # (a plain-text view)
        box.open()  # modal to this window, without blocking the event loop
        self.last_error = box

    def save(self) -> bool:
        assert self.document is not None
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        assert self.document is not None
        suggested = os.path.basename(self.document.path or self.document.template or "design.hvd")
        path, _ = QFileDialog.getSaveFileName(self, "Save design as", suggested, FILE_FILTER)
        return bool(path) and self._save_to(path if path.endswith(".hvd") else path + ".hvd")

    def _save_to(self, path: str) -> bool:
        """Save, saying why when it can't (the window stays open, the work in it)."""
        assert self.document is not None
        if path == self.document.path and self.document.changed_on_disk():
            buttons = QMessageBox.StandardButton
            answer = self.ask(self, "The file changed on disk",
                              f"{os.path.basename(path)} changed on disk since it was opened "
                              "(another program, a git pull?). Overwrite it with this design?",
                              buttons.Save | buttons.Cancel)
            if answer != buttons.Save:
                return False
        try:
            note = self.document.save(path)  # (a note: the older version's original kept)
        except DesignSaveError as e:
            self.show_error("Cannot save the design", str(e))
            return False
        self._remember_recent(path)
        self.statusBar().showMessage(note or f"Saved {path}", 20000 if note else 4000)
        return True

    def _remember_recent(self, path: str) -> None:
        recent = [p for p in self._recent() if p != os.path.abspath(path)]
        self.settings.setValue("recent", [os.path.abspath(path)] + recent[:MAX_RECENT - 1])
        self._refresh_recent()

    def _recent(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            self._action(path, lambda path=path: self.open_path(path), menu=self.recent_menu)
        self.recent_menu.setEnabled(bool(self._recent()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        if self.document is not None:
            self.document.close()
        self._detach_scene()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        event.accept()

    # ------------------------------------------------------------------ selection
    def selected_ids(self) -> list[str]:
        assert self.scene is not None
        ids = [item.entity_id for item in self.scene.selectedItems() if hasattr(item, "entity_id")]
        return ids + sorted(self.scene.selected_parts)

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.inspector.show_selection(ids)
        self.capacity_panel.show_selection(ids)

    def _select_from_dock(self, ids: list[str]) -> None:
        """A bar of the capacity dock clicked: select and show what it stands for."""
        assert self.scene is not None
        self.scene.select_ids(ids)
        items = self.scene.all_items()
        item = items.get(ids[0]) or items.get(self.scene.card_of_part(ids[0]) or "")
        if item is not None:
            self.view.centerOn(item)

    def select_all(self) -> None:
        assert self.scene is not None
        for item in self.scene.all_items().values():
            item.setSelected(True)

    def show_finding(self, finding: Finding) -> None:
        """Select and centre a finding's subjects, and inspect the one to fix: a node, VM or
        disk it names (FW-01 and CERT-* are fixed on the node), else its first subject."""
        assert self.scene is not None and self.view is not None and self.document is not None
        design = self.document.design
        parts = [s for s in finding.subjects if s in design.vms or design.is_disk(s) or self.scene.is_node(s)]
        chosen = parts[:1] or list(finding.subjects)
        self.scene.select_ids([design.vm_of_disk(s) if design.is_disk(s) else s for s in chosen])
        items = self.scene.all_items()
        shown = [items[s] for s in chosen if s in items]
        shown += [self.scene.servers[c] for s in chosen
                  if (c := self.scene.card_of_part(design.vm_of_disk(s) if design.is_disk(s) else s))
                  in self.scene.servers]
        if shown:
            self.view.centerOn(shown[0])
        self.inspector.show_entity(chosen[0])

    # ------------------------------------------------------------------ editing
    last_menu: QMenu | None = None

    def show_context_menu(self, scene_pos: QPointF, global_pos: QPoint) -> None:
        """The right-click menu for what is under the mouse (kept for tests to pick from)."""
        if self.scene is None:
            return
        self.last_menu = build_menu(self, scene_pos)
        self.last_menu.popup(global_pos)

    def drop_from_palette(self, kind: str, pos: QPointF) -> None:
        assert self.scene is not None
        create_from_palette(self.scene, kind, pos)

    def arrange(self, how: str) -> None:
        assert self.document is not None
        self.document.do(edits.align, self.selected_ids(), how)
