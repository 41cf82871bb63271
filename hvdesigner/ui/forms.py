"""Forms for the inspector, generated from the format's tables (:mod:`hvdesigner.fileformat.spec`).

Every field of the file gets an editor (:mod:`hvdesigner.ui.fields`) with its human label and a
tooltip saying what it means (:mod:`hvdesigner.editing.vocabulary`); references become
drop-downs or checklists of entities by name, enumerated values (frequency, recovery points,
VSS interval) drop-downs of what Hyper-V offers; addresses, networks, switches and a VM's
dependencies get the checked editors of :mod:`hvdesigner.ui.recovery_fields`. New rows (a
disk, a certificate) and a new failover IP get the defaults :mod:`hvdesigner.editing` decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout

from hvdesigner.editing import defaults, vocabulary
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
from hvdesigner.model.entities import VM, Cluster, Domain, Firewall, Host, Replication, WanLink
from hvdesigner.ui.fields import (
    BoolEditor,
    ChecklistEditor,
    ChoiceEditor,
    Editor,
    NumberEditor,
    PortsEditor,
    TableEditor,
    TextEditor,
)
from hvdesigner.ui.recovery_fields import (
    Checked,
    DependenciesEditor,
    ListEditor,
    PrefixEditor,
    SwitchEditor,
    parse_address,
    parse_addresses,
    parse_network,
    parse_optional_address,
    parse_switch,
)

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


class FormEditor(Editor):
    """Edits one object (an entity or a nested settings object) field by field; ``retarget``
    turns it to another thing of the same kind (``owner_id``)."""

    def __init__(self, obj: Obj, document: Document, owner: type, owner_id: str,
                 skip: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.obj = obj
        self.document, self.owner, self.owner_id = document, owner, owner_id
        self.current: Any = None
        self.editors: dict[str, Editor] = {}
        self._last_key: str | None = None
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for f in _in_form_order(obj):
            if f.key in skip:
                continue
            editor = self._editor_for(f.key, f.kind)
            editor.setObjectName(f"field-{f.key}")
            editor.setToolTip(vocabulary.tooltip(f.key, obj.name))
            editor.edited.connect(lambda value, key=f.key: self._field_edited(key, value))
            self.editors[f.key] = editor
            label = QLabel(vocabulary.label(f.key, obj.name))
            label.setToolTip(vocabulary.tooltip(f.key, obj.name))
            if isinstance(editor, NestedEditor):
                form.addRow(editor)  # (its group box carries the label)
            elif isinstance(editor, (TableEditor, ChecklistEditor, ListEditor, DependenciesEditor)):
                form.addRow(label)  # a list gets the whole width, below its label
                form.addRow(editor)
            else:
                form.addRow(label, editor)
        self._offer_references()

    def retarget(self, owner_id: str) -> None:
        """Edit another thing of this kind (or the same one, its choices anew) with these
        editors: what was typed for the one before is dropped, and the drop-downs and
        checklists that name other things offer what this one may name. (The inspector keeps
        its forms: widgets made anew at each selection leave their pictures in Qt's pixmap
        cache, which the canvas makes large, and the process grew at every click.)"""
        self.owner_id = owner_id
        self.current = None
        self._last_key = None
        for editor in self.editors.values():
            editor.forget()
            if isinstance(editor, NestedEditor):
                editor.form.retarget(owner_id)
        self._offer_references()

    def _offer_references(self) -> None:
        """The drop-downs and checklists of the things a field may name, for ``owner_id``."""
        design = self.document.design
        for key, editor in self.editors.items():
            ref = _REFS.get((self.owner, key))
            if (ref is None or (self.obj.name, key) in vocabulary.CHOICES
                    or not isinstance(editor, (ChoiceEditor, ChecklistEditor))):
                continue
            choices = (_vm_choices(design, self.owner_id) if (self.owner, key) == (Replication, "vms")
                       else _ref_choices(design, ref, exclude=self.owner_id))
            if isinstance(editor, ChoiceEditor):
                kind = next(f.kind for f in self.obj.fields if f.key == key)
                options: list[tuple[str, Any]] = list(choices)
                if isinstance(kind, Nullable):
                    options.insert(0, (_NONE_LABEL.get(key, "(none)"), None))
                editor.set_choices(options)
            else:
                editor.set_choices(choices)

    def _editor_for(self, key: str, kind: Kind) -> Editor:
        document = self.document
        ref = _REFS.get((self.owner, key))
        inner = kind.inner if isinstance(kind, Nullable) else kind
        default_none = any(f.key == key and f.default is None for f in self.obj.fields)
        if (self.obj.name, key) in vocabulary.CHOICES:
            return ChoiceEditor([], lambda current: vocabulary.choices(key, self.obj.name, current))
        special = self._recovery_editor(key, kind)
        if special is not None:
            return special
        if ref is not None:  # (offered by ``_offer_references``)
            return ChecklistEditor([]) if isinstance(inner, ListOf) else ChoiceEditor([])
        if isinstance(inner, Enum):
            return ChoiceEditor([(vocabulary.value_label(v), v) for v in inner.values])
        if isinstance(inner, Bool):
            return BoolEditor()
        if isinstance(inner, Number):
            return NumberEditor(inner, nullable=isinstance(kind, Nullable) or default_none,
                                none_text=vocabulary.NONE_TEXT.get((self.obj.name, key), "none"))
        if isinstance(inner, ListOf) and isinstance(inner.item, Number):
            return PortsEditor(nullable=isinstance(kind, Nullable))
        if isinstance(inner, ListOf) and isinstance(inner.item, Enum):  # accepted auth types
            return ChecklistEditor([(vocabulary.value_label(v), str(v)) for v in inner.item.values])
        if isinstance(inner, ListOf) and isinstance(inner.item, Obj):
            item_obj = inner.item
            return TableEditor(item_obj, lambda rows: _new_row(document, item_obj, self.owner_id, rows))
        if isinstance(inner, Obj):
            return NestedEditor(inner, document, self.owner, self.owner_id,
                                nullable=isinstance(kind, Nullable))
        if isinstance(inner, ListOf):  # subjects of a certificate, etc.
            return TextListEditor()
        return TextEditor(none_if_empty=isinstance(kind, Nullable) or default_none)

    def _recovery_editor(self, key: str, kind: Kind) -> Editor | None:
        """The editors of format version 2's addresses, networks, switches and dependencies
        (checked as typed); None for other fields."""
        where = (self.obj.name, key)
        inner = kind.inner if isinstance(kind, Nullable) else kind
        document = self.document
        if where == ("Site", "subnets"):
            return ListEditor(parse_network, "subnet", "10.20.0.0/16")
        if where == ("Host", "switches"):
            return ListEditor(parse_switch, "switch", "vSwitch-Prod")
        if where == ("VM", "depends_on"):
            return DependenciesEditor(lambda id: _vm_label(document.design, id),
                                      lambda: _dependency_choices(document.design, self.owner_id))
        if where == ("VM", "test_switch"):
            return SwitchEditor(lambda: defaults.replica_switches(document.design, self.owner_id)
                                if self.owner_id in document.design.vms else [])
        if where == ("FailoverIp", "prefix_length"):
            return PrefixEditor()
        if where == ("FailoverIp", "dns"):
            return Checked(parse_addresses, ", ".join, "e.g. 10.20.0.10, 10.20.0.11")
        if inner is spec.IPV4:
            return Checked(parse_optional_address if isinstance(kind, Nullable) else parse_address,
                           placeholder="none" if isinstance(kind, Nullable) else "e.g. 10.20.0.15")
        return None

    def value(self) -> Any:
        return self.current

    def set_value(self, value: Any) -> None:
        self.current = value
        if value is None:
            return
        for key, editor in self.editors.items():
            editor.set_value(getattr(value, key))

    def merge_token(self) -> Hashable | None:
        if self._last_key is None:
            return None
        inner = self.editors[self._last_key].merge_token()
        return None if inner is None else (self._last_key, inner)

    def _field_edited(self, key: str, value: Any) -> None:
        self._last_key = key
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
        self.document = document
        self.group = QGroupBox(vocabulary.label(_FIELD_OF.get(obj.name, obj.name)))
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

    def merge_token(self) -> Hashable | None:
        return self.form.merge_token()

    def _toggled(self, checked: bool) -> None:
        owner_id = self.form.owner_id  # (the thing shown now: the form is retargeted)
        if not checked:
            self.edited.emit(None)
            return
        made = defaults.new_settings(self.document.design, owner_id,
                                     _FIELD_OF.get(self.obj.name, ""))
        self.edited.emit(_default_of(self.obj) if made is None else made)


#: Fields shown earlier than the format lists them: a server's and a VM's size and a VM's
#: recovery settings right after what identifies it, above the long lists (disks,
#: certificates) that would push them out of sight.
_EARLY: dict[str, tuple[str, tuple[str, ...]]] = {
    "Host": ("cluster", ("cores", "memory_gb", "storage_gb", "switches")),
    "VM": ("integration_services", ("vcpus", "memory_gb", "recovery_group", "depends_on",
                                    "failover_ip", "test_switch")),
}


def _in_form_order(obj: Obj) -> list[Any]:
    """The fields of an object in the order its form shows them."""
    if obj.name not in _EARLY:
        return list(obj.fields)
    after, early = _EARLY[obj.name]
    rest = [f for f in obj.fields if f.key not in early]
    at = next(i for i, f in enumerate(rest) if f.key == after) + 1
    return rest[:at] + [f for key in early for f in obj.fields if f.key == key] + rest[at:]


#: The field a nested object sits in, for its group's title.
_FIELD_OF = {"ReplicaServer": "replica_server", "Broker": "broker",
             "WindowsFirewall": "windows_firewall", "FailoverIp": "failover_ip"}


class TextListEditor(TextEditor):
    """A list of strings typed comma-separated."""

    def value(self) -> Any:
        return tuple(p.strip() for p in self.line.text().split(",") if p.strip())

    def set_value(self, value: Any) -> None:
        super().set_value(", ".join(value or ()))


def _default_of(obj: Obj) -> Any:
    """A new settings object with the format's defaults and placeholder required values."""
    values = {f.key: (f.default if f.default is not REQUIRED else "") for f in obj.fields}
    return obj.build(**values)


def _new_row(document: Document, obj: Obj, owner_id: str, rows: tuple[Any, ...]) -> Any:
    design = document.design
    if obj is spec.DISK:
        return defaults.new_disk(owner_id, rows, design)
    if obj is spec.CERTIFICATE:
        return defaults.new_certificate(design, owner_id)
    if obj is spec.AUTHORIZATION:
        return defaults.new_authorization(design, owner_id, rows)
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


def _vm_label(design: Any, vm_id: str) -> str:
    """A VM as a pick list names it: by name and where it runs (names repeat across hosts)."""
    vm = design.vms.get(vm_id)
    return f"{vm.name} (on {design.get(vm.placement).name})" if vm else f"{vm_id} (not in the design)"


def _dependency_choices(design: Any, vm_id: str) -> list[tuple[str, str]]:
    """The VMs a VM may depend on: every other one."""
    return [(_vm_label(design, id), id) for id in design.vms if id != vm_id]


def _ref_choices(design: Any, ref: str, exclude: str) -> list[tuple[str, str]]:
    if ref == "servers":
        pool = {**design.hosts, **design.clusters}
    elif ref == "protectables":
        pool = {**design.sites, **design.hosts, **design.clusters}
    else:
        pool = dict(getattr(design, ref))
    return sorted(((f"{e.name} ({i})", i) for i, e in pool.items() if i != exclude),
                  key=lambda c: c[0].casefold())
