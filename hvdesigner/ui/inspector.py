"""The inspector dock: every field of the selection, with proper widgets.

One thing selected: its form (:mod:`hvdesigner.ui.forms`); a server also lists its VMs, a
cluster its nodes, each with buttons to add and remove. Several things of one kind: "N items
selected" and the fields they share, set on all at once. Nothing selected: the design itself.
Every change goes through an intent of :mod:`hvdesigner.editing.edits`; a refused value shows
why and changes nothing. The inspector follows every change of what it shows, undo included.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.capacity.formulas import DEFAULT_WINDOW_HOURS
from hvdesigner.editing import edits, shared, vocabulary
from hvdesigner.editing.document import Document
from hvdesigner.fileformat import spec
from hvdesigner.fileformat.kinds import INVALID
from hvdesigner.model.design import Change
from hvdesigner.model.entities import (
    VM,
    Cluster,
    Domain,
    Firewall,
    Host,
    Replication,
    Site,
    WanLink,
)
from hvdesigner.recovery.scenarios import capacity_of
from hvdesigner.ui.capacity_dock import capacity_lines
from hvdesigner.ui.fields import NotesEditor, TextEditor
from hvdesigner.ui.forms import FormEditor

#: Fields each thing has its own value of: not offered for several at once.
_OWN = ("id", "name", "fqdn", "disks", "certificates", "broker", "sites", "source", "target",
        "vms", "trusts", "protects", "depends_on", "failover_ip")


#: The kinds of things each form offers in its drop-downs and checklists.
_NAMED_IN: dict[type, tuple[type, ...]] = {
    Host: (Site, Domain, Cluster), Cluster: (Site, Domain), VM: (Host, Cluster, VM),
    Replication: (Host, Cluster, VM), Firewall: (Site, Host, Cluster), Domain: (Domain,),
    WanLink: (Site,),
}


TITLE_CHARS = 120


def _not_on(design: Any, ids: Sequence[str]) -> tuple[str, ...]:
    """Fields the file forbids or ignores on these things: a cluster node's Replica settings
    are its cluster's (its broker's), so a node has none to edit; its replica storage is its
    cluster's too (shown only when a file gives a node one anyway, so it can be cleared)."""
    hosts = [design.find(i) for i in ids]
    if not all(isinstance(h, Host) and h.cluster is not None for h in hosts):
        return ()
    return ("replica_server",) + (("storage_gb",) if all(h.storage_gb is None for h in hosts) else ())


def _nodes_title(design: Any, cluster_id: str) -> str:
    """A cluster's nodes with what they give VMs together (the format: the sums over its
    nodes, unknown when any node's is)."""
    size = capacity_of(design, cluster_id)
    cores = "? logical processors" if size.cpus is None else f"{size.cpus:,} logical processors"
    memory = "? GB" if size.memory_gb is None else f"{size.memory_gb:,.0f} GB"
    return f"Nodes (together: {cores}, {memory} for VMs)"


class Inspector(QWidget):
    """Shows the form for the selection; ``select`` asks the window to select ids (a VM or a
    node picked in a list)."""

    select = Signal(object)  # list of ids

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.entity_id: str | None = None
        self.ids: list[str] = []
        self.form: FormEditor | None = None
        self.lists: dict[str, QListWidget] = {}  # the lists shown
        self.capacity: QLabel | None = None  # a VM's, replication's or WAN link's figures
        #: what is shown again at the next selection rather than made anew (new widgets each
        #: time would each leave their style's pictures in Qt's pixmap cache: see
        #: ``FormEditor.retarget``): a form for each kind and what it leaves out, for one
        #: thing or several; the nodes' and VMs' boxes, the capacity box, the design's form
        self._forms: dict[tuple[bool, type, tuple[str, ...]], FormEditor] = {}
        self._boxes: dict[str, QGroupBox] = {}
        self._listings: dict[str, QListWidget] = {}
        self._capacity_box: QGroupBox | None = None
        self._design_holder: QWidget | None = None
        self._kept: set[QWidget] = set()
        #: the planned initial-replication window (the capacity dock's), in hours
        self.window_hours: Callable[[], float] | None = None
        self.title = QLabel()
        self.title.setObjectName("inspector-title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)  # (built here, names escaped)
        self.title.setMinimumWidth(1)  # (an unbreakable name must not widen the dock)
        self.error = QLabel()
        self.error.setObjectName("inspector-error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #C42B1C")
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.error)
        layout.addWidget(scroll)
        self.setMinimumWidth(200)  # (its default width is the window's to give: 440 px)
        document.design_changed.connect(self._on_design_changed)
        document.refused.connect(self._refused)
        self.show_entity(None)

    # ------------------------------------------------------------------ what is shown
    def show_selection(self, ids: Sequence[str]) -> None:
        """Inspect the selection: one thing, several of a kind, or (none) the design."""
        ids = [i for i in ids if i in self.document.design]
        if len(ids) <= 1:
            self.show_entity(ids[0] if ids else None)
        else:
            self._show_several(ids)

    def show_entity(self, entity_id: str | None) -> None:
        """Inspect an entity or disk by id, or the design itself (None)."""
        design = self.document.design
        if entity_id is not None and entity_id not in design:
            entity_id = None
        self._clear()
        if entity_id is None:
            self.entity_id, self.ids = None, []
            self._set_title("Design", design.title)
            self._design_form()
            return
        target = design.vm_of_disk(entity_id) if design.is_disk(entity_id) else entity_id
        entity = design.get(target)
        self.entity_id, self.ids = target, [target]
        self._set_title(edits.kind_name(entity), getattr(entity, "name", "") or target, target)
        self.form = self._form(False, type(entity), target, ("id", *_not_on(design, [target])))
        self.form.set_value(entity)
        if isinstance(entity, (VM, Replication, WanLink)):
            self._show_kept(self._capacity())
            self.refresh_capacity()
        if isinstance(entity, Cluster):
            self._show_kept(self._list_box("nodes", "Nodes", "Add node", "Remove node"))
        if isinstance(entity, (Host, Cluster)) and not (isinstance(entity, Host) and entity.cluster):
            self._show_kept(self._list_box("vms", "VMs", "Add VM", "Remove VM"))
        self._refill_lists()
        self.body_layout.addStretch()

    def _form(self, several: bool, kind_type: type, owner_id: str, skip: tuple[str, ...]) -> FormEditor:
        """The form for things of this kind (made the first time), shown for ``owner_id``."""
        key = (several, kind_type, skip)
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = FormEditor(edits.KINDS[kind_type], self.document, kind_type,
                                                 owner_id, skip=skip)
            form.edited.connect(self._several_edited if several else self._entity_edited)
        else:
            form.retarget(owner_id)
        self._show_kept(form)
        return form

    def _show_kept(self, widget: QWidget) -> None:
        """Show a widget kept from one selection to the next (taken away by ``_clear``)."""
        self._kept.add(widget)
        self.body_layout.addWidget(widget)
        widget.show()

    def _show_several(self, ids: list[str]) -> None:
        design = self.document.design
        self._clear()
        self.entity_id, self.ids = None, ids
        types = {type(design.get(i)) for i in ids if not design.is_disk(i)}
        self._set_title(f"{len(ids)} items selected", "")
        if len(types) != 1 or any(design.is_disk(i) for i in ids):
            self.body_layout.addWidget(QLabel("Select things of one kind to edit the fields they share."))
            self.body_layout.addStretch()
            return
        (kind_type,) = types
        first = design.get(ids[0])
        self.body_layout.addWidget(QLabel(f"Fields they share (shown: {first.id})"))
        self.form = self._form(True, kind_type, ids[0],
                               tuple(f.name for f in dataclasses.fields(first) if f.name in _OWN)
                               + _not_on(design, ids))
        self.form.set_value(first)
        self.body_layout.addStretch()

    def _set_title(self, kind: str, name: str, id: str = "") -> None:
        """The heading: a name is text (escaped), and a long one is cut short, so that it can
        neither restyle the dock nor widen it past the window."""
        detail = f" <span style='color:gray'>({html.escape(id)})</span>" if id and id != name else ""
        shown = name if len(name) <= TITLE_CHARS else name[:TITLE_CHARS - 1] + "…"
        self.title.setText(f"<b>{html.escape(kind)}</b> {html.escape(shown)}{detail}")
        self.title.setToolTip(name if shown != name else "")

    def _clear(self) -> None:
        self.error.clear()
        if self.form is not None:
            # a cell or spin box still being typed in gives its value as it hides: the thing
            # it was typed for is no longer the one shown, and the kept form is to show the
            # next one, so it is dropped (as leaving the field with Esc does)
            self.form.blockSignals(True)
            self.form.hide()
            self.form.blockSignals(False)
        self.form = None
        self.lists = {}
        self.capacity = None
        while self.body_layout.count():
            widget = self.body_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # (kept: still the body's child, shown again when added back)
                if widget not in self._kept:
                    # deleted later (made a window of its own with setParent(None), it would
                    # take the focus window with it when deleted: no shortcut would work)
                    widget.deleteLater()

    # ------------------------------------------------------------------ edits
    def _entity_edited(self, value: Any) -> None:
        if value is INVALID:
            self.error.setText("Not changed: not a valid value")
            return
        assert self.entity_id is not None and self.form is not None
        token = self.form.merge_token()
        key = None if token is None else ("inspector", self.entity_id, token)
        if self.document.do(edits.set_value, value, key) is not None:
            self.error.clear()

    def _several_edited(self, value: Any) -> None:
        if value is INVALID or self.form is None:
            self.error.setText("Not changed: not a valid value")
            return
        if self.document.do(shared.set_shared_changes, self.ids, self.form.current,
                            value) is not None:
            self.error.clear()

    def _refused(self, text: str) -> None:
        self.error.setText(text)
        # a choice goes back to the value in force; typed text stays to be corrected
        if self.form is not None and self.ids and self.form.merge_token() is None:
            self.form.set_value(self.document.design.get(self.ids[0]))

    def _on_design_changed(self, changes: list[Change]) -> None:
        design = self.document.design
        if any(i not in design for i in self.ids):
            self.show_selection([i for i in self.ids if i in design])
            return
        if self.entity_id is None:
            if not self.ids:
                self._refresh_design_form(changes)
            elif self.form is not None and not {c.id for c in changes}.isdisjoint(self.ids):
                self.form.set_value(design.get(self.ids[0]))  # (several: the first's shown)
            return
        # drop-downs name other things: one of those added, removed or renamed means a new form
        named = _NAMED_IN.get(type(design.get(self.entity_id)), ())
        if any(c.id != self.entity_id and isinstance(c.before or c.after, named) and
               (c.before is None or c.after is None or "name" in c.fields) for c in changes):
            self.show_entity(self.entity_id)
            return
        mine = [c for c in changes if c.id == self.entity_id]
        if any(c.fields & {"source", "placement", "cluster"} for c in mine):
            self.show_entity(self.entity_id)  # the choices offered depend on these
        elif self.form is not None and mine:
            self.form.set_value(design.get(self.entity_id))
            entity = design.get(self.entity_id)
            self._set_title(edits.kind_name(entity), getattr(entity, "name", "") or entity.id, entity.id)
        if any(isinstance(c.before, (VM, Host)) or isinstance(c.after, (VM, Host)) for c in changes):
            self._refill_lists()
        self.refresh_capacity()  # (another VM's churn changes a link's load: one entity's figures)

    # ------------------------------------------------------------------ capacity
    def _capacity(self) -> QGroupBox:
        """The capacity box (made the first time); shows ``self.capacity`` while it is shown."""
        if self._capacity_box is None:
            self._capacity_box = QGroupBox("Capacity")
            self._capacity_box.setToolTip("What the sizing assumptions make of it (the Capacity dock has charts)")
            label = QLabel()
            label.setObjectName("inspector-capacity")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            QVBoxLayout(self._capacity_box).addWidget(label)
        self.capacity = self._capacity_box.findChild(QLabel, "inspector-capacity")
        return self._capacity_box

    def refresh_capacity(self) -> None:
        """Show the selection's capacity figures as they are now (the window changed)."""
        if self.capacity is not None and self.entity_id is not None:
            hours = self.window_hours() if self.window_hours is not None else DEFAULT_WINDOW_HOURS
            self.capacity.setText("\n".join(
                capacity_lines(self.document.design, self.entity_id, hours)))

    # ------------------------------------------------------------------ lists of VMs and nodes
    def _list_box(self, which: str, title: str, add_text: str, remove_text: str) -> QGroupBox:
        """A server's VMs or a cluster's nodes (the box made the first time), listed by
        ``_refill_lists``."""
        box = self._boxes.get(which)
        if box is None:
            box = self._boxes[which] = QGroupBox(title)
            listing = self._listings[which] = QListWidget()
            listing.setObjectName(f"server-{which}")
            listing.setMaximumHeight(160)
            listing.itemDoubleClicked.connect(
                lambda item: self.select.emit([item.data(Qt.ItemDataRole.UserRole)]))
            add, remove = QPushButton(add_text), QPushButton(remove_text)
            add.setObjectName(f"add-{which[:-1]}")
            remove.setObjectName(f"remove-{which[:-1]}")
            add.setToolTip(f"{add_text} (double-click a row to select it on the canvas)")
            add.clicked.connect(lambda: self.entity_id is not None and self._add(which, self.entity_id))
            remove.clicked.connect(lambda: listing.currentItem() is not None and self.document.do(
                edits.delete, [listing.currentItem().data(Qt.ItemDataRole.UserRole)]))
            buttons = QHBoxLayout()
            buttons.addWidget(add)
            buttons.addWidget(remove)
            layout = QVBoxLayout(box)
            layout.addWidget(listing)
            layout.addLayout(buttons)
        self.lists[which] = self._listings[which]
        return box

    def _add(self, which: str, server_id: str) -> None:
        """Add a VM or node and show it picked in the list (double-click selects it)."""
        edit = self.document.do(edits.add_node if which == "nodes" else edits.add_vm, server_id)
        listing = self.lists.get(which)
        if edit is not None and listing is not None:
            for i in range(listing.count()):
                if listing.item(i).data(Qt.ItemDataRole.UserRole) in edit.select:
                    listing.setCurrentRow(i)

    def _refill_lists(self) -> None:
        """The VMs on the server (with its nodes' for a cluster) and a cluster's nodes, as
        the design has them now."""
        design = self.document.design
        if self.entity_id is None or self.entity_id not in design:
            return
        nodes = sorted(design.nodes_of(self.entity_id))
        rows = {
            "nodes": [(design.hosts[n].name, n) for n in nodes],
            "vms": [(design.vms[v].name, v) for s in (self.entity_id, *nodes) for v in design.vms_on(s)],
        }
        if "nodes" in self.lists:
            self.lists["nodes"].parentWidget().setTitle(_nodes_title(design, self.entity_id))
        for which, listing in self.lists.items():
            wanted = sorted(rows[which], key=lambda r: r[0].casefold())
            shown = [(listing.item(i).text(), listing.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(listing.count())]
            if shown == wanted:
                continue
            listing.clear()
            for name, id in wanted:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, id)
                listing.addItem(item)

    # ------------------------------------------------------------------ the design itself
    def _design_form(self) -> None:
        if self._design_holder is None:
            form = QFormLayout()
            self._design_holder = QWidget()
            self._design_holder.setLayout(form)
            self.design_title = TextEditor()
            self.design_title.setObjectName("field-title")
            self.design_title.edited.connect(lambda v: self.document.do(
                edits.set_attribute, "title", v, ("design", "title", self.design_title.merge_token())))
            self.design_notes = NotesEditor()
            self.design_notes.setObjectName("field-notes")
            self.design_notes.edited.connect(lambda v: self.document.do(
                edits.set_attribute, "notes", v, ("design", "notes", self.design_notes.merge_token())))
            for key, editor in (("title", self.design_title), ("notes", self.design_notes)):
                editor.setToolTip(vocabulary.tooltip(key))
                form.addRow(vocabulary.label(key), editor)
            self.assumptions = FormEditor(spec.ASSUMPTIONS, self.document, object, "")
            self.assumptions.edited.connect(lambda v: v is not INVALID and self.document.do(
                edits.set_attribute, "assumptions", v,
                ("design", "assumptions", self.assumptions.merge_token())))
            form.addRow(QLabel("<b>Sizing assumptions</b>"))
            form.addRow(self.assumptions)
        else:
            for editor in (self.design_title, self.design_notes):
                editor.forget()
            self.assumptions.retarget("")
        design = self.document.design
        self.design_title.set_value(design.title)
        self.design_notes.set_value(design.notes)
        self.assumptions.set_value(design.assumptions)
        self._show_kept(self._design_holder)
        self.body_layout.addStretch()

    def _refresh_design_form(self, changes: list[Change]) -> None:
        design = self.document.design
        if any(c.id is None for c in changes):
            self.design_title.set_value(design.title)
            self.design_notes.set_value(design.notes)
            self.assumptions.set_value(design.assumptions)
            self._set_title("Design", design.title)
