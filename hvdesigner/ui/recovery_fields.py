"""Editors for the recovery-planning fields of format version 2: IPv4 addresses, a prefix
length, DNS servers, lists of networks and of switch names, a VM's dependencies and its test
switch.

Each checks what is typed as it is typed, with the loader's own rules, and says what is wrong
in a line under the field; the model only ever hears of a valid value (:class:`Checked`). What
the user typed stays in the field until it is corrected or the model's value changes, so a
refused value loses nothing.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from hvdesigner.fileformat import spec
from hvdesigner.fileformat.kinds import INVALID, Kind, ListOf, Obj
from hvdesigner.fileformat.problems import Problems
from hvdesigner.ui.fields import (
    Editor,
    add_remove_buttons,
    drop_typing,
    show_text,
    wheel_when_focused,
)

#: What a parser makes of text: the value, or INVALID with the sentence saying why.
Parsed = tuple[Any, str]
Parser = Callable[[str], Parsed]



def wrong_colour() -> str:
    """The red of what is wrong: the inspector's on a light theme, a lighter one that stays
    readable on a dark one."""
    dark = QApplication.palette().window().color().lightness() < 128
    return "#FF7B6E" if dark else "#C42B1C"


def message_label() -> QLabel:
    """The line under a field that says what is wrong with what was typed (hidden while
    nothing is)."""
    label = QLabel()
    label.setObjectName("field-message")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # (it quotes what was typed: text, never markup)
    label.setStyleSheet(f"color: {wrong_colour()}")
    label.hide()
    return label


def fit_rows(listing: QListWidget, fewest: int = 2, most: int = 6) -> None:
    """A short list as tall as its rows (within limits), not a tall empty box."""
    rows = max(fewest, min(most, listing.count()))
    row = listing.sizeHintForRow(0) if listing.count() else listing.fontMetrics().height() + 4
    listing.setFixedHeight(rows * row + 2 * listing.frameWidth() + 4)
    # (and says so: a list's policy is to grow, and the form would spread a short one's
    # extra height around it, leaving gaps in a site's form)
    listing.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def field_kind(obj: Obj, key: str) -> Kind:
    """The kind the format's table gives a field."""
    return next(f.kind for f in obj.fields if f.key == key)


def loaded(kind: Kind, raw: Any) -> Parsed:
    """A value as the loader reads it, or INVALID and the loader's reason."""
    problems = Problems()
    value = kind.load(raw, "", problems)
    return (INVALID, problems[0].message) if problems else (value, "")


def parse_address(text: str) -> Parsed:
    text = text.strip()
    if not text:
        return INVALID, "An address is needed, such as 10.20.0.15."
    return loaded(spec.IPV4, text)


def parse_optional_address(text: str) -> Parsed:
    return (None, "") if not text.strip() else parse_address(text)


def parse_addresses(text: str) -> Parsed:
    """IPv4 addresses separated by commas, spaces or semicolons, in the order given."""
    values = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if part:
            value, why = parse_address(part)
            if value is INVALID:
                return INVALID, why
            values.append(value)
    return tuple(values), ""


def parse_prefix(text: str) -> Parsed:
    """A prefix length 0-32 ("24", "/24"), or a dotted subnet mask ("255.255.255.0")."""
    text = text.strip().lstrip("/")
    if not text:
        return INVALID, "A prefix length is needed, such as 24."
    if text.isascii() and text.isdigit():
        return loaded(field_kind(spec.FAILOVER_IP, "prefix_length"), int(text))
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{text}").prefixlen, ""
    except ValueError:
        return INVALID, (f"{text[:40]!r} is neither a prefix length 0-32 (24) nor a subnet "
                         "mask (255.255.255.0).")


def mask_of(prefix: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)


def parse_network(text: str) -> Parsed:
    """A site's subnet: the loader's reason when it refuses one (host bits set says which
    network was meant)."""
    subnets = field_kind(spec.SITE, "subnets")
    assert isinstance(subnets, ListOf)
    return loaded(subnets.item, text.strip())


def parse_switch(text: str) -> Parsed:
    return loaded(spec.NAME, text.strip())


class Checked(Editor):
    """A line of text checked as it is typed, with a message under the field while it is
    wrong; Enter or leaving the field makes a valid value an edit (one undo step). Nothing is
    sent on the way: typing 10.40.0.25 never sets the address to 10.40.0.2."""

    _sessions = itertools.count()

    def __init__(self, parse: Parser, format: Callable[[Any], str] = str,
                 placeholder: str = "", combo: QComboBox | None = None) -> None:
        super().__init__()
        self.parse, self.format = parse, format
        self.line = combo.lineEdit() if combo is not None else QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.message = message_label()
        self.model_value: Any = INVALID  # what the model holds, as last shown
        self._session = next(self._sessions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.row = QHBoxLayout()
        self.row.addWidget(combo if combo is not None else self.line)
        layout.addLayout(self.row)
        layout.addWidget(self.message)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)

    def _typed(self, text: str) -> None:
        self.say(self.parse(text)[1])

    def _finished(self) -> None:
        if self.line.isVisible():  # (not a field going away with its form)
            self.commit()

    def commit(self) -> None:
        value, why = self.parse(self.line.text())
        self.say(why)
        if value is not INVALID and value != self.model_value:
            self.edited.emit(value)
        self._session = next(self._sessions)  # (the next edit is a step of its own)

    def say(self, why: str) -> None:
        self.message.setText(why)
        self.message.setVisible(bool(why))

    def merge_token(self) -> Hashable | None:
        return self._session

    def forget(self) -> None:
        self.model_value = INVALID  # (so that the next value shown replaces the text)
        self._session = next(self._sessions)
        drop_typing(self.line)
        self.say("")

    def value(self) -> Any:
        return self.parse(self.line.text())[0]

    def set_value(self, value: Any) -> None:
        if value == self.model_value and not self.message.isHidden():
            return  # (the user's text, still to be corrected: kept)
        self.model_value = value
        text = self.text_of(value)
        if self.parse(self.line.text())[0] != value and self.line.text() != text:
            show_text(self.line, text)
        self.say("")

    def text_of(self, value: Any) -> str:
        return "" if value is None else self.format(value)


class PrefixEditor(Checked):
    """A prefix length, typed as a number or as a subnet mask; the mask is shown beside it."""

    def __init__(self) -> None:
        super().__init__(parse_prefix, placeholder="24 or 255.255.255.0")
        self.mask = QLabel()
        self.mask.setObjectName("prefix-mask")
        self.mask.setStyleSheet("color: gray")
        self.row.addWidget(self.mask)
        self.line.setMaximumWidth(140)
        self.line.textChanged.connect(self._show_mask)

    def _show_mask(self, text: str) -> None:
        value = self.parse(text)[0]
        self.mask.setText("" if value is INVALID else f"= {mask_of(value)}")


class ListEditor(Editor):
    """A list of short texts (a host's switches, a site's subnets), one per row: Add opens a
    new row to type in, a row is edited where it stands (double-click or F2), Remove drops the
    current row. Every row is checked; a wrong or repeated one is named under the list."""

    def __init__(self, parse: Parser, noun: str, example: str) -> None:
        super().__init__()
        self.parse = parse
        self.model_value: tuple[Any, ...] | None = None
        self.list = QListWidget()
        self.list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked
                                  | QListWidget.EditTrigger.EditKeyPressed)
        self.message = message_label()
        add = QPushButton(f"Add {noun}")
        add.setObjectName("list-add")
        add.setToolTip(f"Add a {noun}, e.g. {example} (double-click a row to change it)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addLayout(add_remove_buttons(add, self._add, self._remove))
        fit_rows(self.list)
        self.list.itemChanged.connect(self._rows_changed)

    def rows(self) -> list[str]:
        return [self.list.item(i).text().strip() for i in range(self.list.count())]

    def _parsed(self) -> tuple[Any, str, int | None]:
        """The list's value, or INVALID with why and which row is wrong."""
        values: list[Any] = []
        for row, text in enumerate(self.rows()):
            if not text:
                continue  # (a row opened and left empty: nothing)
            value, why = self.parse(text)
            if value is INVALID:
                return INVALID, why, row
            if value in values:
                return INVALID, f"{text!r} is listed twice.", row
            values.append(value)
        return tuple(values), "", None

    def _rows_changed(self, _item: QListWidgetItem | None = None) -> None:
        value, why, wrong = self._parsed()
        self.message.setText(why)
        self.message.setVisible(bool(why))
        self.list.blockSignals(True)  # (a row's colour is a change of the row too)
        for row in range(self.list.count()):
            self.list.item(row).setForeground(
                QColor(wrong_colour()) if row == wrong else self.list.palette().text())
        self.list.blockSignals(False)
        if value is not INVALID and value != self.model_value:
            self.edited.emit(value)

    def _add(self) -> None:
        item = self._item("")
        self.list.addItem(item)
        fit_rows(self.list)
        self.list.setCurrentItem(item)
        self.list.editItem(item)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            fit_rows(self.list)
            self._rows_changed()

    def _item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def value(self) -> Any:
        return self._parsed()[0]

    def forget(self) -> None:
        self.model_value = None  # (so that the next value shown replaces the rows)
        self.list.setCurrentRow(-1)  # (Remove acts on a row chosen for this thing)
        self.message.hide()

    def set_value(self, value: Any) -> None:
        value = tuple(value or ())
        if value == self.model_value and not self.message.isHidden():
            return  # (the user's rows, still to be corrected: kept)
        self.model_value = value
        self.message.hide()
        if self._parsed()[0] == value:
            return
        self.list.blockSignals(True)
        self.list.clear()
        for text in value:
            self.list.addItem(self._item(str(text)))
        self.list.blockSignals(False)
        fit_rows(self.list)


class LazyCombo(QComboBox):
    """An editable drop-down filled when the user first reaches it (focus or popup), not when
    the form is built: a design's thousands of VMs cost nothing until someone picks one."""

    def __init__(self, fill: Callable[[QComboBox], None]) -> None:
        super().__init__()
        self.fill, self.stale = fill, True
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        wheel_when_focused(self)

    def refill(self) -> None:
        if self.stale:
            self.stale = False
            self.blockSignals(True)
            self.clear()
            self.fill(self)
            self.setCurrentIndex(-1)
            self.clearEditText()
            self.blockSignals(False)

    def focusInEvent(self, event: Any) -> None:  # noqa: N802
        self.refill()
        super().focusInEvent(event)

    def showPopup(self) -> None:  # noqa: N802
        self.refill()
        super().showPopup()


class DependenciesEditor(Editor):
    """The VMs a VM depends on, by name: the list of those it has (Remove, or Delete, drops
    the selected one), and a drop-down to type a name in (any part of it) and pick one to
    add. Ids are what is stored; ``candidates`` never offers the VM itself."""

    def __init__(self, label_of: Callable[[str], str],
                 candidates: Callable[[], list[tuple[str, str]]]) -> None:
        super().__init__()
        self.label_of, self.candidates = label_of, candidates
        self.current: tuple[str, ...] = ()
        self.list = QListWidget()
        self.add = LazyCombo(self._offer)
        self.add.setObjectName("add-dependency")
        self.add.lineEdit().setPlaceholderText("Add a VM it depends on (type to search)")
        completer = self.add.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.remove = QPushButton("Remove")
        self.remove.setObjectName("remove-dependency")
        self.remove.setToolTip("Remove the dependency selected in the list (or press Delete)")
        self.remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(self.add, 1)
        row.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.remove.setEnabled(False)
        fit_rows(self.list)
        self.add.activated.connect(self._picked)
        self.list.currentItemChanged.connect(
            lambda item, _: self.remove.setEnabled(item is not None))
        self.list.installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        if (event.type() == event.Type.KeyPress and event.key() in (Qt.Key.Key_Delete,
                                                                    Qt.Key.Key_Backspace)):
            self._remove()
            return True
        return False

    def _offer(self, combo: QComboBox) -> None:
        """The VMs not yet listed, by name."""
        for label, id in sorted(self.candidates(), key=lambda c: c[0].casefold()):
            if id not in self.current:
                combo.addItem(label, id)

    def _picked(self, index: int) -> None:
        id = self.add.itemData(index)
        if id is None or self.add.itemText(index) != self.add.currentText():
            return  # (Enter on text that names no VM)
        self.edited.emit(tuple(sorted({*self.current, id})))

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            gone = item.data(Qt.ItemDataRole.UserRole)
            self.edited.emit(tuple(i for i in self.current if i != gone))

    def value(self) -> Any:
        return self.current

    def forget(self) -> None:
        """Another VM's: its candidates are others (and the drop-down let go of the
        thousands it may hold until the user reaches for it again)."""
        self.current = ()
        self.list.clear()
        self.remove.setEnabled(False)
        fit_rows(self.list)
        self.add.stale = True
        self.add.clear()

    def set_value(self, value: Any) -> None:
        value = tuple(value or ())
        if value == self.current and self.list.count() == len(value):
            return
        self.current = value
        self.list.clear()
        for label, id in sorted((self.label_of(id), id) for id in value):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, id)
            self.list.addItem(item)
        self.remove.setEnabled(False)
        fit_rows(self.list)
        self.add.stale = True
        if self.add.hasFocus():  # (a VM just picked there: offer the rest at once)
            self.add.refill()


NO_SWITCHES = "(no switches known on the replica side)"


class SwitchCombo(QComboBox):
    """An editable drop-down that asks for its choices each time it opens."""

    def __init__(self, offered: Callable[[], list[str]]) -> None:
        super().__init__()
        self.offered = offered
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        wheel_when_focused(self)

    def showPopup(self) -> None:  # noqa: N802
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        self.addItems(self.offered() or [NO_SWITCHES])
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)
        super().showPopup()


class SwitchEditor(Checked):
    """The test switch: a name typed, or picked from the switches of the server the VM would
    recover on (asked when the list opens, so it follows edits there); empty: not connected."""

    def __init__(self, offered: Callable[[], list[str]]) -> None:
        combo = SwitchCombo(offered)
        super().__init__(lambda text: (None, "") if not text.strip() else parse_switch(text),
                         placeholder="not connected", combo=combo)
        self.combo = combo
        combo.textActivated.connect(self._picked)

    def _picked(self, name: str) -> None:
        if name == NO_SWITCHES:
            self.combo.setEditText(self.text_of(self.model_value))
            return
        self.combo.setEditText(name)
        self.commit()
