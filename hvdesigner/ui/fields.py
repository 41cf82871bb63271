"""Editors for the inspector: one widget per kind of field, each with ``value()``,
``set_value()`` and a ``edited`` signal carrying the new model value.

Which editor a field gets follows the format's own tables (:mod:`hvdesigner.fileformat.spec`):
enums become drop-downs, booleans checkboxes, ranged integers spin boxes with the legal range,
lists of objects tables. Values are validated by the loader's rules before they reach the model.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.editing import vocabulary
from hvdesigner.fileformat.kinds import (
    INVALID,
    Bool,
    Date,
    Enum,
    Kind,
    ListOf,
    Nullable,
    Number,
    Obj,
    Str,
)
from hvdesigner.fileformat.problems import Problems


class Editor(QWidget):
    edited = Signal(object)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def merge_token(self) -> Hashable | None:
        """What makes the last edit one undo step with the edits before it: typing in one
        text field, until it loses focus. None: every edit is a step of its own."""
        return None

    def forget(self) -> None:
        """The editor is to show another thing (the inspector keeps its editors from one
        selection to the next): drop what was typed for the one before and not taken."""

    def _emit(self, *_: Any) -> None:
        self.edited.emit(self.value())


def drop_typing(line: QLineEdit) -> None:
    """Forget the undo history of a field kept from one selection to the next: Ctrl+Z there
    would put back what was typed for the thing shown before, as an edit of this one.
    (setText starts a new history even when the text stays the same.)"""
    show_text(line, line.text())


def show_text(line: QLineEdit, text: str) -> None:
    """Put text in a field; unless the user is typing there, it shows from its start
    (setText leaves the cursor at the end: a long design title showed its last words, its
    first cut off)."""
    line.setText(text)
    if not line.hasFocus():
        line.setCursorPosition(0)


def add_remove_buttons(add: QPushButton, on_add: Callable[[], None],
                       on_remove: Callable[[], None]) -> QHBoxLayout:
    """The Add and Remove buttons under a list or table, on its left."""
    remove = QPushButton("Remove")
    remove.setObjectName("list-remove")
    add.clicked.connect(on_add)
    remove.clicked.connect(on_remove)
    buttons = QHBoxLayout()
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch()
    return buttons


class _WheelWhenFocused(QObject):
    """Lets a spin box or drop-down take the wheel only once it has the focus: turned over
    the inspector to scroll it, the wheel changed whichever field came under the pointer (a
    port, a site's kind), an edit the user never meant. Ignored, the wheel goes on to the
    scroll area round the form."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) \
                and not watched.hasFocus():
            event.ignore()
            return True
        return False


_WHEEL_GUARD = _WheelWhenFocused()


def wheel_when_focused(widget: QWidget) -> None:
    """See :class:`_WheelWhenFocused` (and a wheel turned over it no longer focuses it)."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_WHEEL_GUARD)


def _fill(layout: QHBoxLayout | QVBoxLayout, widget: QWidget) -> None:
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)


class TextEditor(Editor):
    """A line of text; ``none_if_empty`` maps an empty field to None (optional strings).
    Each key typed is an edit; the keys typed until the field loses focus are one undo step."""

    _sessions = itertools.count()

    def __init__(self, none_if_empty: bool = False) -> None:
        super().__init__()
        self.line = QLineEdit()
        self.none_if_empty = none_if_empty
        self._session = next(self._sessions)
        self._held = ""  # what the design holds, as last shown
        _fill(QHBoxLayout(self), self.line)
        self.line.textEdited.connect(self._emit)
        self.line.editingFinished.connect(self._end_session)

    def _end_session(self) -> None:
        """Leaving the field: what was typed and refused (an empty name) gives way to what the
        design holds, shown again (it stayed until the next selection, as if taken)."""
        self._session = next(self._sessions)
        if self.line.text() != self._held:
            show_text(self.line, self._held)

    def forget(self) -> None:
        self._end_session()
        drop_typing(self.line)

    def merge_token(self) -> Hashable | None:
        return self._session

    def value(self) -> Any:
        text = self.line.text()
        return None if self.none_if_empty and not text.strip() else text

    def set_value(self, value: Any) -> None:
        self._held = "" if value is None else str(value)
        if self.line.text() != self._held:
            show_text(self.line, self._held)


#: Above this many choices a drop-down holds only the chosen one until the user reaches for
#: it: a VM's "Runs on" offers every server (5,500 at 5,000 hosts), and building them on every
#: selection took 40 ms and left the heap tens of megabytes larger.
LAZY_CHOICES = 50


class _ReachedCombo(QComboBox):
    """A combo that says when the user reaches for it: opens it, focuses it (to step with the
    keys) or turns the wheel over it."""

    def __init__(self, reached: Callable[[], None]) -> None:
        super().__init__()
        self._reached = reached
        # (a long choice, a site's full name, made the whole form wider than the dock, every
        # field cut off at its edge: the field takes the width it is given, the open list
        # still shows each choice whole)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        wheel_when_focused(self)

    def showPopup(self) -> None:
        self._reached()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._reached()
        super().focusInEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._reached()
        super().wheelEvent(event)


class ChoiceEditor(Editor):
    """A drop-down of (label, value); ``offer`` (given the current value) may change the
    choices, so that a value outside them (a file written by hand) is shown as it is. A long
    list is added to the drop-down only when the user reaches for it (``LAZY_CHOICES``)."""

    def __init__(self, choices: list[tuple[str, Any]],
                 offer: Callable[[Any], list[tuple[str, Any]]] | None = None) -> None:
        super().__init__()
        self.combo = _ReachedCombo(self._fill_all)
        self.offer = offer
        self.choices: list[tuple[str, Any]] = []
        self._index = 0  # the chosen one's place in ``choices``
        self._filled = False  # whether the combo holds every choice, or the chosen one only
        self.set_choices(choices)
        _fill(QHBoxLayout(self), self.combo)
        self.combo.activated.connect(self._activated)

    def set_choices(self, choices: list[tuple[str, Any]]) -> None:
        """Offer these (a long list again only once the user reaches for it)."""
        if choices != self.choices:
            self.choices = list(choices)
            self._index = 0
            self._filled = False
            if len(self.choices) <= LAZY_CHOICES:
                self._fill_all()
            else:
                self._show_chosen()

    def _fill_all(self) -> None:
        if self._filled:
            return
        self._filled = True
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems([label for label, _ in self.choices])
        self.combo.setCurrentIndex(self._index)
        self.combo.blockSignals(False)

    def _show_chosen(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        if self.choices:
            self.combo.addItem(self.choices[self._index][0])
        self.combo.blockSignals(False)

    def _activated(self, index: int) -> None:
        if self._filled:
            self._index = index
        self._emit()

    def value(self) -> Any:
        return self.choices[self._index][1]

    def set_value(self, value: Any) -> None:
        if self.offer is not None:
            self.set_choices(self.offer(value))
        for i, (_, v) in enumerate(self.choices):
            if v == value:
                self._index = i
                if self._filled:
                    self.combo.setCurrentIndex(i)
                else:
                    self._show_chosen()
                return


class NotesEditor(Editor):
    """Several lines of free text; typing until the field loses focus is one undo step."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(120)
        self._session = 0
        _fill(QHBoxLayout(self), self.text)
        self.text.textChanged.connect(self._changed)
        self.text.installEventFilter(self)
        self._quiet = False

    def _changed(self) -> None:
        if not self._quiet:
            self._emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self._session += 1
        return False

    def forget(self) -> None:
        self._session += 1
        self.text.document().clearUndoRedoStacks()

    def merge_token(self) -> Hashable | None:
        return ("notes", id(self), self._session)

    def value(self) -> Any:
        return self.text.toPlainText()

    def set_value(self, value: Any) -> None:
        if self.text.toPlainText() != (value or ""):
            self._quiet = True
            self.text.setPlainText(value or "")
            self._quiet = False


class BoolEditor(Editor):
    def __init__(self, label: str = "") -> None:
        super().__init__()
        self.box = QCheckBox(label)
        _fill(QHBoxLayout(self), self.box)
        self.box.clicked.connect(self._emit)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class NumberEditor(Editor):
    """A spin box over the field's legal range; a nullable field shows "none" below it."""

    def __init__(self, kind: Number, nullable: bool = False, none_text: str = "none") -> None:
        super().__init__()
        low = kind.minimum if kind.minimum is not None else (
            kind.exclusive_minimum if kind.exclusive_minimum is not None else -1e9)
        high = kind.maximum if kind.maximum is not None else (
            kind.exclusive_maximum if kind.exclusive_maximum is not None else 1e9)
        self.nullable = nullable
        # the "none" below the legal values; where the least legal value is above a bound (a
        # memory size is > 0), the bound itself: one step up from "unknown" is a legal 1
        below = 0 if kind.minimum is None and kind.exclusive_minimum is not None else 1
        self.spin: QSpinBox | QDoubleSpinBox
        if kind.integer:
            self.spin = QSpinBox()
            self.spin.setRange(int(max(low, -10**9)) - (below if nullable else 0), int(min(high, 10**9)))
        else:
            self.spin = QDoubleSpinBox()
            self.spin.setDecimals(2)
            self.spin.setRange(low - (below if nullable else 0), high)
        self.spin.setKeyboardTracking(False)
        wheel_when_focused(self.spin)
        if nullable:
            self.spin.setSpecialValueText(none_text)
        _fill(QHBoxLayout(self), self.spin)
        self.spin.valueChanged.connect(self._emit)

    def value(self) -> Any:
        if self.nullable and self.spin.value() == self.spin.minimum():
            return None
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(self.spin.minimum() if value is None else value)
        self.spin.blockSignals(False)


class PortsEditor(Editor):
    """Comma-separated TCP ports; for a nullable list, "any" (or empty) means None."""

    def __init__(self, nullable: bool = False) -> None:
        super().__init__()
        self.nullable = nullable
        self.line = QLineEdit()
        self.line.setPlaceholderText("any" if nullable else "none, e.g. 443, 8443")
        _fill(QHBoxLayout(self), self.line)
        self.line.editingFinished.connect(self._emit)

    def value(self) -> Any:
        text = self.line.text().strip()
        if self.nullable and text.lower() in ("", "any", "all"):
            return None
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        try:
            return tuple(int(p) for p in parts)
        except ValueError:
            return INVALID

    def set_value(self, value: Any) -> None:
        show_text(self.line, "any" if value is None and self.nullable
                  else ", ".join(map(str, value or ())))


class ChecklistEditor(Editor):
    """Pick several of a list of (label, id); the value is the tuple of checked ids."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setMaximumHeight(140)
        self.choices: list[tuple[str, str]] = []
        self.set_choices(choices)
        _fill(QVBoxLayout(self), self.list)
        self.list.itemChanged.connect(self._emit)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """Offer these, none checked (rows made anew only when the choices changed)."""
        if choices == self.choices:
            return
        self.choices = list(choices)
        self.list.blockSignals(True)
        self.list.clear()
        for label, id in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def value(self) -> Any:
        return tuple(sorted(
            self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked))

    def set_value(self, value: Any) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in (value or ())
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)


class TableEditor(Editor):
    """A list of objects (disks, certificates, authorizations) as a table: one column per
    field; checkboxes for booleans, drop-downs for enums, text for the rest."""

    def __init__(self, obj: Obj, make_new: Any) -> None:
        super().__init__()
        self.obj = obj
        self.make_new = make_new
        self.rows: tuple[Any, ...] = ()
        order = vocabulary.COLUMNS.get(obj.name, ())
        self.columns = sorted(obj.fields, key=lambda f: order.index(f.key) if f.key in order else len(order))
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([vocabulary.label(f.key, obj.name) for f in self.columns])
        for c, f in enumerate(self.columns):
            self.table.horizontalHeaderItem(c).setToolTip(vocabulary.tooltip(f.key, obj.name))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(120)
        for c, f in enumerate(self.columns):
            if f.key == "id":  # (ids are made for new rows; nobody types them)
                self.table.setColumnHidden(c, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(add_remove_buttons(QPushButton("Add"), self._add, self._remove))
        self.table.itemChanged.connect(self._cell_changed)

    def value(self) -> Any:
        return self.rows

    def forget(self) -> None:
        self.table.setCurrentItem(None)  # (Remove acts on a row chosen for this thing)

    def set_value(self, value: Any) -> None:
        self.rows = tuple(value or ())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, f in enumerate(self.columns):
                self._set_cell(r, c, f.kind, getattr(row, f.key))
        self.table.blockSignals(False)

    def _set_cell(self, r: int, c: int, kind: Kind, value: Any) -> None:
        inner = kind.inner if isinstance(kind, Nullable) else kind
        if isinstance(inner, Enum):
            combo = self.table.cellWidget(r, c)
            if not isinstance(combo, QComboBox):
                combo = QComboBox()
                wheel_when_focused(combo)
                combo.addItems([vocabulary.value_label(v) for v in inner.values])
                combo.activated.connect(lambda i, r=r, c=c, inner=inner: self._set(r, c, inner.values[i]))
                self.table.setCellWidget(r, c, combo)
            combo.setCurrentIndex(inner.values.index(value))
            return
        item = QTableWidgetItem()
        if isinstance(inner, Bool):
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            item.setText(_to_text(value))
        self.table.setItem(r, c, item)

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        f = self.columns[item.column()]
        inner = f.kind.inner if isinstance(f.kind, Nullable) else f.kind
        if isinstance(inner, Bool):
            self._set(item.row(), item.column(), item.checkState() == Qt.CheckState.Checked)
        else:
            self._set(item.row(), item.column(), _from_text(item.text(), f.kind))

    def _set(self, r: int, c: int, value: Any) -> None:
        key = self.columns[c].key
        try:
            row = dataclasses.replace(self.rows[r], **{key: value})
        except TypeError:
            row = INVALID
        new = self.rows[:r] + (row,) + self.rows[r + 1:]
        self.edited.emit(INVALID if row is INVALID else new)

    def _add(self) -> None:
        self.edited.emit(self.rows + (self.make_new(self.rows),))

    def _remove(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self.edited.emit(self.rows[:r] + self.rows[r + 1:])


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _from_text(text: str, kind: Kind) -> Any:
    """Parse a table cell with the loader's own rules; INVALID when they refuse it."""
    text = text.strip()
    if isinstance(kind, Nullable) and not text:
        return None
    inner = kind.inner if isinstance(kind, Nullable) else kind
    raw: Any = text
    if isinstance(inner, ListOf):
        raw = [p.strip() for p in text.split(",") if p.strip()]
    elif isinstance(inner, Number):
        try:
            raw = float(text)
        except ValueError:
            return INVALID
    elif isinstance(inner, (Str, Date)):
        raw = text
    value = kind.load(raw, "", Problems())
    return value
