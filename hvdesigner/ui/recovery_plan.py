"""The Recovery plan dock: the chosen site-loss scenario as a plan, for the scenario switch.

For the scenario chosen (:mod:`hvdesigner.ui.scenario_switch`): the VMs that recover in start
order, grouped by recovery group (a header row per group, "No group" last), each with its start
order number, name, the server it comes back on, the replication it came through (primary or
extended) and its data-loss bound ("≤ 10 min"); then the VMs lost (every copy was in a lost
site) and down (not replicated). Clicking a VM's row selects the VM on the canvas. In the
normal view it says to choose a site to lose. Like the capacity dock, it lists anew only while
it can be seen.

The scenario it is given may be older than the design: the switch works one out 100 ms after
an edit, and a dock shown in between lists the one it kept. So it lists only what the design
still has (a VM deleted since is left out; a server or link gone reads "—"), and the switch's
next scenario lists it right.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.model.derived import endpoint
from hvdesigner.model.design import Design
from hvdesigner.recovery.scenarios import Scenario
from hvdesigner.recovery.words import data_loss_bound

COLUMNS = ("#", "VM", "Comes back on", "Through", "Data loss")
HINT = ("Choose a site to lose with the Scenario switch on the toolbar (View → Next Scenario, "
        "{keys}): the plan lists the VMs that come back, in start order by recovery group, "
        "where and with what data loss, then those lost or down.")
VM_ROLE = Qt.ItemDataRole.UserRole


class RecoveryPlanPanel(QWidget):
    """The dock's widget; ``select`` asks the window to select a VM on the canvas."""

    select = Signal(object)  # list of ids

    def __init__(self, keys: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel(HINT.format(keys=keys))
        self.hint.setObjectName("recovery-plan-hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setObjectName("recovery-plan-summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("recovery-plan")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.summary)
        plan_layout.addWidget(self.tree, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(plan)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.pages)
        self.shown = False  # see set_shown
        self._pending: tuple[Scenario | None, Design] | None = None

    def set_shown(self, shown: bool) -> None:
        """Whether the dock can be seen (the window says so from ``visibilityChanged``)."""
        self.shown = shown
        if shown and self._pending is not None:
            self.show_scenario(*self._pending)

    def show_scenario(self, scenario: Scenario | None, design: Design) -> None:
        if not self.shown:
            self._pending = (scenario, design)
            return
        self._pending = None
        self.tree.clear()
        if scenario is None or not scenario.lost:
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        self.summary.setText(summary(scenario, design))
        groups: dict[int | None, list[QTreeWidgetItem]] = {}
        for position, vm_id in enumerate(scenario.start_order, 1):
            vm = design.vms.get(vm_id)
            if vm is None:  # (deleted since the scenario was worked out)
                continue
            outcome = scenario.outcomes[vm_id]
            via = design.replications.get(outcome.via or "")
            link = "—" if via is None else (
                ("primary" if via.source == endpoint(design, vm.placement) else "extended")
                + f" ({design.get(via.source).name} → {design.get(via.target).name})")
            server = _name(design, outcome.runs_on)
            groups.setdefault(vm.recovery_group, []).append(
                _row(vm_id, str(position), vm.name, server, link, data_loss_bound(outcome.rpo_s)))
        for group in sorted(groups, key=lambda g: (g is None, g or 0)):
            rows = groups[group]
            self._section(f"Group {group}" if group is not None else "No group (starts last)",
                          rows)
        for status, title, why in (
                ("lost", "Lost: every copy was in the lost site", "no copy survives"),
                ("down", "Down: not replicated", "not replicated")):
            ids = sorted((v for v in scenario.vms_with(status) if v in design.vms),
                         key=lambda v: (design.vms[v].name.casefold(), v))
            if ids:
                self._section(title, [_row(v, "", design.vms[v].name, "—", why, "all since "
                                           "the loss" if status == "lost" else "—") for v in ids])

    def _section(self, title: str, rows: list[QTreeWidgetItem]) -> None:
        header = QTreeWidgetItem([f"{title} · {len(rows)} VM{'s' if len(rows) != 1 else ''}"])
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.tree.font())
        font.setBold(True)
        header.setFont(0, font)
        self.tree.addTopLevelItem(header)
        header.setFirstColumnSpanned(True)
        self.tree.addTopLevelItems(rows)

    def rows(self) -> list[list[str]]:
        """The plan as shown, a list of each row's texts (a header row has one)."""
        result = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            texts = [item.text(c) for c in range(len(COLUMNS))]
            result.append(texts if item.data(0, VM_ROLE) else texts[:1])
        return result

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        vm_id = item.data(0, VM_ROLE)
        if vm_id:
            self.select.emit([vm_id])


def _row(vm_id: str, *texts: str) -> QTreeWidgetItem:
    row = QTreeWidgetItem(list(texts))
    row.setData(0, VM_ROLE, vm_id)
    row.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return row


def _name(design: Design, id: str | None) -> str:
    """An entity's name; "—" for none, or one deleted since the scenario was worked out."""
    return design.get(id).name if id is not None and id in design else "—"


def summary(scenario: Scenario, design: Design) -> str:
    """One line: what is lost, what comes back, what is over capacity."""
    lost = ", ".join(_name(design, s) for s in scenario.lost)
    counts = {status: sum(v in design.vms for v in scenario.vms_with(status))
              for status in ("recovered", "lost", "down")}
    over = sorted(_name(design, server) for server in scenario.over_capacity)
    text = (f"Losing {lost}: {counts['recovered']} VMs come back, {counts['lost']} lost, "
            f"{counts['down']} down.")
    if over:
        text += f" Over capacity: {', '.join(over[:6])}{', …' if len(over) > 6 else ''}."
    return text
