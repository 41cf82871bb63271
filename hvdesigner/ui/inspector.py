"""The inspector dock: every field of the selected item, with proper widgets.

Forms are built from the format's tables, so every field of the file is editable here and
validated by the loader's own rules before it reaches the model (a refused value shows why and
changes nothing). References become drop-downs or checklists of entities by name. Typing in a
field is one undo step. With nothing selected the inspector edits the design itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
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

from hvdesigner.editing.commands import Op
from hvdesigner.editing.document import Document
from hvdesigner.fileformat import spec
from hvdesigner.fileformat.kinds import (
    INVALID,
    REQUIRED,
    Bool,
    Enum,
    Kind,
    ListOf,
    Nullable,
    Number,
    Obj,
)
from hvdesigner.model.design import IntegrityError
from hvdesigner.model.entities import (
    DEFAULT_PORTS,
    VM,
    Authorization,
    Broker,
    Certificate,
    Cluster,
    Disk,
    Domain,
    Firewall,
    Host,
    Replication,
    Site,
    WanLink,
)
from hvdesigner.ui.fields import (
    BoolEditor,
    ChecklistEditor,
    ChoiceEditor,
    Editor,
    NumberEditor,
    PortsEditor,
    TableEditor,
    TextEditor,
    validate,
)

_KINDS: dict[type, Obj] = {
    Site: spec.SITE, Domain: spec.DOMAIN, Firewall: spec.FIREWALL, WanLink: spec.WAN_LINK,
    Host: spec.HOST, Cluster: spec.CLUSTER, VM: spec.VM_, Replication: spec.REPLICATION,
}
#: Which entities a reference field may name: a Design mapping name, or "servers".
_REFS: dict[tuple[type, str], str] = {
    (Host, "site"): "sites", (Host, "domain"): "domains", (Host, "cluster"): "clusters",
    (Cluster, "site"): "sites", (Cluster, "domain"): "domains",
    (VM, "placement"): "servers", (Replication, "source"): "servers",
    (Replication, "target"): "servers", (Replication, "vms"): "vms",
    (Firewall, "protects"): "protectables", (Domain, "trusts"): "domains",
    (WanLink, "sites"): "sites",
}
_NONE_LABEL = {"domain": "(workgroup)", "cluster": "(standalone)"}


def _new_disk(vm_id: str, rows: tuple[Disk, ...]) -> Disk:
    taken = {d.id for d in rows}
    n = len(rows) + 1
    while f"{vm_id}-disk{n}" in taken:
        n += 1
    return Disk(f"{vm_id}-disk{n}", f"disk{n}.vhdx", 100)


def follow_defaults(before: Any, after: Any) -> Any:
    """Keep a replication's port on the default when its authentication changes, if it was
    on the old default: switching to Kerberos means port 80 unless a custom port was set."""
    if (isinstance(before, Replication) and isinstance(after, Replication)
            and before.auth != after.auth and before.port == after.port
            and before.effective_port == DEFAULT_PORTS[before.auth]):
        return dataclasses.replace(after, port=None)
    return after


class FormEditor(Editor):
    """Edits one object (an entity or a nested settings object) field by field."""

    def __init__(self, obj: Obj, document: Document, owner: type, owner_id: str,
                 skip: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.obj = obj
        self.current: Any = None
        self.editors: dict[str, Editor] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for f in obj.fields:
            if f.key in skip:
                continue
            editor = self._editor_for(f.key, f.kind, document, owner, owner_id)
            editor.setObjectName(f"field-{f.key}")
            editor.edited.connect(lambda value, key=f.key: self._field_edited(key, value))
            self.editors[f.key] = editor
            form.addRow(f.key.replace("_", " "), editor)

    def _editor_for(self, key: str, kind: Kind, document: Document, owner: type,
                    owner_id: str) -> Editor:
        design = document.design
        ref = _REFS.get((owner, key))
        inner = kind.inner if isinstance(kind, Nullable) else kind
        if ref is not None:
            choices = (_vm_choices(design, owner_id) if (owner, key) == (Replication, "vms")
                       else _ref_choices(design, ref, exclude=owner_id))
            if isinstance(inner, ListOf):
                return ChecklistEditor(choices)
            options: list[tuple[str, Any]] = list(choices)
            if isinstance(kind, Nullable):
                options.insert(0, (_NONE_LABEL.get(key, "(none)"), None))
            return ChoiceEditor(options)
        if isinstance(inner, Enum):
            return ChoiceEditor([(str(v), v) for v in inner.values])
        if isinstance(inner, Bool):
            return BoolEditor()
        if isinstance(inner, Number):
            default_none = any(f.key == key and f.default is None for f in self.obj.fields)
            return NumberEditor(inner, nullable=isinstance(kind, Nullable) or default_none)
        if isinstance(inner, ListOf) and isinstance(inner.item, Number):
            return PortsEditor(nullable=isinstance(kind, Nullable))
        if isinstance(inner, ListOf) and isinstance(inner.item, Enum):  # e.g. accepted auth types
            return ChecklistEditor([(str(v), str(v)) for v in inner.item.values])
        if isinstance(inner, ListOf) and isinstance(inner.item, Obj):
            item_obj = inner.item
            return TableEditor(item_obj, lambda rows: _new_row(item_obj, owner_id, rows))
        if isinstance(inner, Obj):
            sub = NestedEditor(inner, document, owner, owner_id, nullable=isinstance(kind, Nullable))
            return sub
        if isinstance(inner, ListOf):  # subjects of a certificate, etc.
            return TextListEditor()
        default_none = any(f.key == key and f.default is None for f in self.obj.fields)
        return TextEditor(none_if_empty=isinstance(kind, Nullable) or default_none)

    def value(self) -> Any:
        return self.current

    def set_value(self, value: Any) -> None:
        self.current = value
        if value is None:
            return
        for key, editor in self.editors.items():
            editor.set_value(getattr(value, key))

    def _field_edited(self, key: str, value: Any) -> None:
        if value is INVALID or self.current is None:
            self.edited.emit(INVALID)
            return
        self.edited.emit(dataclasses.replace(self.current, **{key: value}))


class NestedEditor(Editor):
    """A settings object inside an entity (Replica server, broker, Windows Firewall); when
    optional, a checkable group: unchecked means none."""

    def __init__(self, obj: Obj, document: Document, owner: type, owner_id: str,
                 nullable: bool) -> None:
        super().__init__()
        self.obj = obj
        self.nullable = nullable
        self.document, self.owner_id = document, owner_id
        self.group = QGroupBox(obj.name)
        self.group.setCheckable(nullable)
        self.form = FormEditor(obj, document, owner, owner_id)
        inner = QVBoxLayout(self.group)
        inner.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.group)
        self.form.edited.connect(self.edited.emit)
        self.group.clicked.connect(self._toggled)

    def value(self) -> Any:
        return self.form.value() if (not self.nullable or self.group.isChecked()) else None

    def set_value(self, value: Any) -> None:
        if self.nullable:
            self.group.setChecked(value is not None)
            self.form.setVisible(value is not None)
        self.form.set_value(value)

    def _toggled(self, checked: bool) -> None:
        if not checked:
            self.edited.emit(None)
        elif self.obj is spec.BROKER:
            self.edited.emit(_new_broker(self.document.design.get(self.owner_id)))
        else:
            self.edited.emit(_default_of(self.obj))


def _new_broker(cluster: Cluster) -> Broker:
    """A broker named after its cluster (NetBIOS: at most 15 characters), in its DNS suffix."""
    name = f"{cluster.name[:12]}-RB"
    suffix = cluster.fqdn.partition(".")[2]
    return Broker(name, f"{name.lower()}.{suffix}" if suffix else name.lower())


class TextListEditor(TextEditor):
    """A list of strings typed comma-separated."""

    def value(self) -> Any:
        return tuple(p.strip() for p in self.line.text().split(",") if p.strip())

    def set_value(self, value: Any) -> None:
        text = ", ".join(value or ())
        if self.line.text() != text:
            self.line.setText(text)


def _default_of(obj: Obj) -> Any:
    """A new settings object with the format's defaults and placeholder required values."""
    values = {f.key: (f.default if f.default is not REQUIRED else "") for f in obj.fields}
    return obj.build(**values)


def _new_row(obj: Obj, owner_id: str, rows: tuple[Any, ...]) -> Any:
    if obj is spec.DISK:
        return _new_disk(owner_id, rows)
    if obj is spec.CERTIFICATE:
        return Certificate(("host.example.com",))
    if obj is spec.AUTHORIZATION:
        return Authorization("*.example.com", "D:\\Hyper-V Replica")
    return _default_of(obj)


def _vm_choices(design: Any, rep_id: str) -> list[tuple[str, str]]:
    """The VMs a replication could list: those running where it starts (a cluster's and its
    nodes'), those replicated to where it starts (for an extended link), and those it lists."""
    rep: Replication = design.replications[rep_id]
    source = design.get(rep.source)
    home = source.cluster if isinstance(source, Host) and source.cluster else rep.source
    servers = {home, rep.source, *design.nodes_of(home)}
    ids = {vm for s in servers for vm in design.vms_on(s)} | set(rep.vms)
    for other in design.replications_at(rep.source):
        if design.replications[other].target == rep.source:
            ids |= set(design.replications[other].vms)
    return sorted(((f"{design.vms[v].name} (on {design.get(design.vms[v].placement).name})", v)
                   for v in ids), key=lambda c: c[0].casefold())


def _ref_choices(design: Any, ref: str, exclude: str) -> list[tuple[str, str]]:
    if ref == "servers":
        pool = {**design.hosts, **design.clusters}
    elif ref == "protectables":
        pool = {**design.sites, **design.hosts, **design.clusters}
    else:
        pool = dict(getattr(design, ref))
    return sorted(((f"{e.name} ({i})", i) for i, e in pool.items() if i != exclude),
                  key=lambda c: c[0].casefold())


class Inspector(QWidget):
    """Shows the form for the selection; emits ``status`` with what went wrong, if anything."""

    status = Signal(str)

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.entity_id: str | None = None
        self.form: FormEditor | None = None
        self.title = QLabel()
        self.title.setObjectName("inspector-title")
        self.title.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("inspector-error")
        self.error.setWordWrap(True)
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
        document.design_changed.connect(self._on_design_changed)
        self.show_entity(None)

    def show_entity(self, entity_id: str | None) -> None:
        """Inspect an entity or disk by id, or the design itself (None)."""
        design = self.document.design
        if entity_id is not None and entity_id not in design:
            entity_id = None
        self.entity_id = entity_id
        self.error.clear()
        while self.body_layout.count():
            widget = self.body_layout.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)  # gone from the dock at once, not at the next event loop
                widget.deleteLater()
        if entity_id is None:
            self.title.setText(f"<b>Design</b> {design.title}")
            self.form = None
            self._design_form()
            return
        target = design.vm_of_disk(entity_id) if design.is_disk(entity_id) else entity_id
        entity = design.get(target)
        kind = _KINDS[type(entity)]
        self.entity_id = target
        self.title.setText(f"<b>{kind.name}</b> {getattr(entity, 'name', '') or target}"
                           f" <span style='color:gray'>({target})</span>")
        self.form = FormEditor(kind, self.document, type(entity), target, skip=("id",))
        self.form.set_value(entity)
        self.form.edited.connect(self._entity_edited)
        self.body_layout.addWidget(self.form)
        if isinstance(entity, (Host, Cluster)):
            self.body_layout.addWidget(self._vm_list(target))
        self.body_layout.addStretch()

    def _entity_edited(self, value: Any) -> None:
        assert self.entity_id is not None
        before = self.document.design.get(self.entity_id)
        problem = validate(_KINDS[type(before)], value)
        if problem is not None:
            self.error.setText(f"Not changed: {problem}")
            self.status.emit(f"Not changed: {problem}")
            return
        value = follow_defaults(before, value)
        changed = sorted(f.name for f in dataclasses.fields(before)
                         if getattr(before, f.name) != getattr(value, f.name))
        if not changed:
            return
        self.error.clear()
        try:
            self.document.push(f"Change {', '.join(changed)} of {getattr(before, 'name', '') or before.id}",
                               [Op(before, value, before.id)],
                               merge_key=("inspector", before.id, tuple(changed)))
        except IntegrityError as e:
            self.error.setText(f"Not changed: {e.problems[0][2]}")

    def _on_design_changed(self, changes: list[Any]) -> None:
        if self.entity_id is None:
            return
        if self.entity_id not in self.document.design:
            self.show_entity(None)
            return
        mine = [c for c in changes if c.id == self.entity_id]
        if mine and any(c.fields & {"source", "placement"} for c in mine):
            self.show_entity(self.entity_id)  # the choices offered depend on these
        elif self.form is not None and mine:
            self.form.set_value(self.document.design.get(self.entity_id))

    def _vm_list(self, server_id: str) -> QGroupBox:
        """The VMs on a server: add a VM, remove the selected one."""
        design = self.document.design
        box = QGroupBox("VMs")
        vms = QListWidget()
        vms.setObjectName("server-vms")
        for vm_id in sorted(design.vms_on(server_id), key=lambda v: design.vms[v].name):
            item = QListWidgetItem(design.vms[vm_id].name)
            item.setData(256, vm_id)
            vms.addItem(item)
        add, remove = QPushButton("Add VM"), QPushButton("Remove VM")
        add.setObjectName("add-vm")
        remove.setObjectName("remove-vm")
        add.clicked.connect(lambda: self._add_vm(server_id))
        remove.clicked.connect(lambda: vms.currentItem() and self.document.delete(
            [vms.currentItem().data(256)]))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout = QVBoxLayout(box)
        layout.addWidget(vms)
        layout.addLayout(buttons)
        self.vm_list = vms
        return box

    def _add_vm(self, server_id: str) -> None:
        design = self.document.design
        n = 1
        while f"vm{n}" in design:
            n += 1
        vm_id = f"vm{n}"
        vm = VM(vm_id, f"VM{n}", server_id, disks=(
            Disk(f"{vm_id}-os", "os.vhdx", 80, role="os", churn_mb_s=0.5),))
        self.document.add(vm)
        self.show_entity(server_id)

    def _design_form(self) -> None:
        design = self.document.design
        form = QFormLayout()
        holder = QWidget()
        holder.setLayout(form)
        title = TextEditor()
        title.set_value(design.title)
        title.edited.connect(lambda v: self.document.set_attribute(
            "title", v, "Change design title", merge_key=("design", "title")))
        notes = TextEditor()
        notes.set_value(design.notes)
        notes.edited.connect(lambda v: self.document.set_attribute(
            "notes", v, "Change design notes", merge_key=("design", "notes")))
        form.addRow("title", title)
        form.addRow("notes", notes)
        assumptions = FormEditor(spec.ASSUMPTIONS, self.document, object, "")
        assumptions.set_value(design.assumptions)
        assumptions.edited.connect(self._assumptions_edited)
        form.addRow(QLabel("<b>Sizing assumptions</b>"))
        form.addRow(assumptions)
        self.body_layout.addWidget(holder)
        self.body_layout.addStretch()

    def _assumptions_edited(self, value: Any) -> None:
        problem = validate(spec.ASSUMPTIONS, value)
        if problem is not None:
            self.error.setText(f"Not changed: {problem}")
            return
        self.document.set_attribute("assumptions", value, "Change sizing assumptions",
                                    merge_key=("design", "assumptions"))
