"""The scenario switch: which site-loss scenario the designer shows, "Normal" or "Lose <site>".

A combo on the toolbar (View → Next Scenario cycles it), kept in step with the design's sites
(added, renamed, deleted: a lost site deleted goes back to Normal). The choice is a view state:
not an edit, not in the history, not saved. The chosen scenario
(:func:`hvdesigner.recovery.scenarios.scenario`) is drawn on the canvas
(:mod:`hvdesigner.canvas.scenario_overlay`) and listed by the Recovery plan dock. Choosing one
works it out (a quarter of a second at 5,000 hosts); after that each edit (undo and redo
included) updates it by what the edit touched (:class:`~hvdesigner.recovery.live.LiveScenario`,
a millisecond or two), and the canvas and the dock show it once the edits pause for
``DERIVE_DELAY_MS`` (redrawing every server's bars takes 40-60 ms at 5,000 hosts, too long for
every keystroke typed in the inspector; the badges wait the same way).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from hvdesigner.canvas.scenario_overlay import ScenarioOverlay
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.editing.document import Document
from hvdesigner.model.design import Change
from hvdesigner.model.entities import VM, Cluster, Host, Replication, Site
from hvdesigner.recovery.live import LiveScenario
from hvdesigner.recovery.scenarios import Scenario

DERIVE_DELAY_MS = 100
#: What a scenario is made of: where VMs run, their sizes and order, the servers' capacity,
#: the links. A drag (the layout), a domain, a firewall or a WAN link changes none of it.
SCENARIO_ENTITIES = (VM, Host, Cluster, Replication)
NORMAL = "Normal"
#: How many letters wide the switch is.
SHOWN_LETTERS = 28


def lose(site_name: str) -> str:
    return f"Lose {site_name}"


class ScenarioSwitch(QObject):
    """The switch's combo and the scenario it chose; ``changed`` says the scenario shown
    changed (None: the normal view)."""

    changed = Signal(object)  # Scenario | None

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        #: what the toolbar shows: "Scenario" and the combo
        self.widget = QWidget(parent)
        self.combo = QComboBox(self.widget)
        self.combo.setObjectName("scenario-switch")
        self.combo.setToolTip("Scenario: lose a site on paper and see what recovers where, in "
                              "what order, with what data loss (a view, not an edit)")
        # (as wide as about 28 letters, not its longest site's name: a long one filled the
        # toolbar; the open list shows each whole)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(SHOWN_LETTERS)
        self.combo.addItem(NORMAL, None)
        self.combo.currentIndexChanged.connect(self._chosen)
        label = QLabel("&Scenario", self.widget)
        label.setBuddy(self.combo)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(6, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.combo)
        self.document: Document | None = None
        self.overlay: ScenarioOverlay | None = None
        #: the lost site's id; None in the normal view
        self.lost: str | None = None
        self.scenario: Scenario | None = None
        self._live: LiveScenario | None = None
        self._timer = QTimer(self, singleShot=True, interval=DERIVE_DELAY_MS)
        self._timer.timeout.connect(self._show)

    def set_document(self, document: Document, scene: DesignScene) -> None:
        """Follow another design (opened, new, recovered): back to the normal view."""
        if self.document is not None:
            self.document.design_changed.disconnect(self._design_changed)
        self.document = document
        self.overlay = ScenarioOverlay(scene, lambda: document.design)
        document.design_changed.connect(self._design_changed)
        self.lost, self._live = None, None
        self._refill()

    def cycle(self) -> None:
        """The next scenario in the switch's order (after the last, Normal again)."""
        self.combo.setCurrentIndex((self.combo.currentIndex() + 1) % self.combo.count())

    def _choices(self) -> list[tuple[str, str | None]]:
        assert self.document is not None
        sites = sorted(self.document.design.sites.values(), key=lambda s: (s.name.casefold(), s.id))
        return [(NORMAL, None), *((lose(s.name), s.id) for s in sites)]

    def _refill(self) -> None:
        """The combo's entries from the design's sites, the chosen one kept if it is still
        there (else Normal), then the scenario worked out for the choice."""
        choices = self._choices()
        combo = self.combo
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] != choices:
            combo.blockSignals(True)
            combo.clear()
            for text, site in choices:
                combo.addItem(text, site)
            combo.blockSignals(False)
        index = combo.findData(self.lost) if self.lost is not None else 0
        combo.blockSignals(True)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if combo.currentData() != self.lost or self._live is None:
            self.lost = combo.currentData()
            self.derive()
        else:
            self._timer.start()  # (the same scenario; a site's name reads anew)

    def _chosen(self, _index: int) -> None:
        self.lost = self.combo.currentData()
        self.derive()

    def _design_changed(self, changes: list[Change]) -> None:
        if self._live is not None:
            self._live.apply(changes)  # (every edit, in order: what it touched)
        if any(isinstance(c.before, Site) or isinstance(c.after, Site) for c in changes):
            self._refill()  # (a site added, renamed or deleted: the choices change at once)
        elif self._live is not None and any(isinstance(c.before, SCENARIO_ENTITIES)
                                            or isinstance(c.after, SCENARIO_ENTITIES)
                                            for c in changes):
            self._timer.start()

    def derive(self) -> None:
        """Work the chosen scenario out anew and show it."""
        if self.document is None:
            return
        self._live = (LiveScenario(self.document.design, [self.lost])
                      if self.lost is not None else None)
        self._show()

    def _show(self) -> None:
        self._timer.stop()
        if self.overlay is None:
            return
        self.scenario = self._live.scenario if self._live is not None else None
        self.overlay.show(self.scenario)
        self.changed.emit(self.scenario)
