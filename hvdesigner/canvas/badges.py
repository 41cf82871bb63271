"""Findings badges on the canvas (a part of the scene): which items each finding badges, kept
exact as the findings and the design change.

A finding badges every drawn thing it is about: a replication's link, a site's frame, a WAN
pipe, a firewall's bound, a host's or cluster's card (a node's finding goes on its cluster's
card), and for a VM or one of its disks the card the VM runs on and the VM's row in it. An
item's badge shows its worst unsuppressed finding; its tooltip lists them.

Where each finding was put is remembered by its key, so that removing it clears exactly those
items even when the design has moved its subjects since (a VM moved, and the move undone,
before the checker ran). A change that re-homes a subject (a VM's placement, a host joining or
leaving a cluster, a thing added or removed, which makes or drops its item) re-places the
findings about it, and a change of the suppressions refreshes the items of the findings it
names. All of it is in proportion to the change: a large design has about 19,000 findings.

The first check of a large design brings tens of thousands at once; badging them takes a
second, so a delta that large is badged in steps between the window's events (as the check
itself was run), in order with any delta that follows.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHelpEvent, QToolTip

from hvdesigner.canvas.glyphs import SEVERITY_RANK, SEVERITY_SYMBOL
from hvdesigner.canvas.items import Attachment, DesignItem, ServerItem
from hvdesigner.model.design import Change
from hvdesigner.model.entities import (
    VM,
    Cluster,
    Firewall,
    Host,
    Replication,
    Site,
    Suppression,
    WanLink,
)
from hvdesigner.model.gc_pause import gc_paused
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import FindingsDelta

if TYPE_CHECKING:
    from hvdesigner.canvas.scene import DesignScene

    _Base = DesignScene
else:
    _Base = object

Key = tuple[str, tuple[str, ...]]
Row = tuple[str, str]  # (card, VM): a VM's row in the card it is drawn in


class Placement(NamedTuple):
    """Where a finding's badges are: items by id (drawn or not yet), and VM rows, each
    sorted. (Tuples: one is kept per finding, 72,000 at 5,000 hosts, and two frozensets each
    took 430 bytes; most findings have no row, and share the one empty tuple.)"""

    items: tuple[str, ...]
    rows: tuple[Row, ...]


NOWHERE = Placement((), ())
#: Findings badged in one go; a larger delta is badged this many at a time, a step per turn
#: of the event loop.
BADGE_BATCH = 500
#: How long the badging steps run before the window handles its events again.
BADGE_STEP_S = 0.015


class SceneBadges(_Base):
    """Findings badges of the DesignScene (mixed into it)."""

    _badge_timer: QTimer | None = None  # steps through the backlog

    def forget_findings(self) -> None:
        self._backlog: deque[FindingsDelta] = deque()  # parts of large deltas, yet to badge
        self._unrefreshed: set[str] = set()  # items the backlog's badging has touched
        if self._badge_timer is None:  # (the scene's own: it goes with the scene)
            self._badge_timer = QTimer(self, singleShot=True, interval=0)
            self._badge_timer.timeout.connect(self._badge_step)
        self._placed: dict[Key, tuple[Finding, Placement]] = {}
        self._badged: defaultdict[str, dict[Key, Finding]] = defaultdict(dict)  # item -> findings
        self._about: defaultdict[str, dict[Key, Finding]] = defaultdict(dict)  # subject -> findings

    def show_findings(self, findings: Iterable[Finding]) -> None:
        """Badge these findings afresh (a rebuilt scene)."""
        self.forget_findings()
        self._release_layers()  # (held while a backlog, now forgotten, was badged)
        touched: set[str] = set()
        with gc_paused():  # (the first check places thousands: see gc_pause)
            for finding in findings:
                self._place(finding, touched)
        self._refresh_badges(set(self.all_items()))

    def badge_targets(self, finding: Finding) -> Placement:
        """Where a finding's badges go in the design as it is now (see the module)."""
        design = self.design
        entities = design.entities_by_id()  # (design.find would look a disk up the slow way)
        items: set[str] = set()
        rows: set[Row] = set()
        for subject in finding.subjects:
            entity = entities.get(subject)
            if entity is None and design.is_disk(subject):
                entity = entities[design.vm_of_disk(subject)]  # a disk shows as its VM
            if isinstance(entity, (Replication, Site, WanLink, Firewall)):
                items.add(subject)
            elif isinstance(entity, (Host, Cluster)):
                items.add(self._card_of(subject))
            elif isinstance(entity, VM):
                card = self._card_of(entity.placement)
                items.add(card)
                rows.add((card, entity.id))
        return Placement(tuple(sorted(items)), tuple(sorted(rows)) if rows else ())

    # ------------------------------------------------------------------ placing
    def _place(self, finding: Finding, touched: set[str]) -> None:
        """Put a finding's badges where it belongs; add the items whose badges may change to
        ``touched``."""
        key = finding.key
        if key in self._placed:  # (a changed finding: placed anew as a whole)
            touched.update(self._unplace(key).items)
        placement = self.badge_targets(finding)
        self._placed[key] = (finding, placement)
        for item_id in placement.items:
            self._badged[item_id][key] = finding
        for subject in finding.subjects:
            self._about[subject][key] = finding
        touched.update(placement.items)

    def _unplace(self, key: Key) -> Placement:
        """Take a finding off the items it was put on; where that was."""
        placed = self._placed.pop(key, None)
        if placed is None:
            return NOWHERE
        finding, placement = placed
        for item_id in placement.items:
            self._drop(self._badged, item_id, key)
        for subject in finding.subjects:
            self._drop(self._about, subject, key)
        return placement

    @staticmethod
    def _drop(index: defaultdict[str, dict[Key, Finding]], id: str, key: Key) -> None:
        """Remove a key from an index entry, and the entry once empty (indexes of a large
        design would else keep thousands of empty entries)."""
        entry = index.get(id)
        if entry is not None:
            entry.pop(key, None)
            if not entry:
                del index[id]

    @property
    def badging(self) -> bool:
        """Whether findings are waiting to be badged (a large delta, badged in steps)."""
        return bool(self._backlog or self._unrefreshed)

    def on_findings_changed(self, delta: FindingsDelta) -> None:
        """Badge what the checker found: at once, or (a large delta, or one arriving while
        one is being badged) in steps, in order."""
        if not self.badging and len(delta.added) + len(delta.removed) <= BADGE_BATCH:
            self._refresh_badges(self._badge(delta))
            return
        assert self._badge_timer is not None
        if not self.badging:
            # The layers' pictures (links, frames, pipes) are painted again once, when all is
            # badged, not at every step (at a fitted zoom, each would paint the whole design).
            for layer in (self.link_layer, self.backdrop):
                layer.held = True
        self._badge_timer.start()
        removed, added = delta.removed, delta.added  # (removed first: a changed finding is in both)
        self._backlog.extend(FindingsDelta([], removed[i:i + BADGE_BATCH])
                             for i in range(0, len(removed), BADGE_BATCH))
        self._backlog.extend(FindingsDelta(added[i:i + BADGE_BATCH], [])
                             for i in range(0, len(added), BADGE_BATCH))

    def _badge_step(self) -> None:
        """Place the findings of the backlog, then show the badges of the items they touched,
        a batch at a time until the step's time is up."""
        deadline = time.perf_counter() + BADGE_STEP_S
        while self.badging:  # (a batch at least)
            if self._backlog:
                self._unrefreshed |= self._badge(self._backlog.popleft())
            else:
                unrefreshed = self._unrefreshed
                self._refresh_badges({unrefreshed.pop()
                                      for _ in range(min(BADGE_BATCH, len(unrefreshed)))})
            if time.perf_counter() >= deadline:
                break
        if self.badging:
            assert self._badge_timer is not None
            self._badge_timer.start()
        else:
            self._release_layers()

    def _release_layers(self) -> None:
        for layer in (self.link_layer, self.backdrop):
            layer.release()

    def _badge(self, delta: FindingsDelta) -> set[str]:
        """Place and unplace a delta's findings; the items whose badges may change."""
        touched: set[str] = set()
        with gc_paused():  # (the first check adds thousands: see gc_pause)
            for finding in delta.removed:
                touched.update(self._unplace(finding.key).items)
            for finding in delta.added:
                self._place(finding, touched)
        return touched

    def rehome_findings(self, changes: list[Change]) -> None:
        """After the items followed a design change (connected after the scene's own
        handler): re-place the findings about subjects the change re-homed, give new items
        their badges, and refresh those whose suppression changed."""
        # The layers' pictures are held while a large delta is badged in steps; an edit meanwhile
        # (its links re-routed, a card moved) must show at once: release them, once and for all.
        self._release_layers()
        design = self.design
        subjects: set[str] = set()
        touched: set[str] = set()
        for change in changes:
            if change.id is None:
                if "suppressions" in change.fields:
                    touched |= self._suppression_targets(change.before, change.after)
                continue
            value = change.after if change.after is not None else change.before
            structural = change.before is None or change.after is None
            if structural:
                subjects.add(change.id)
                touched.add(change.id)  # (a new item starts without a badge)
            if isinstance(value, (Host, Cluster)) and (structural or "cluster" in change.fields):
                subjects.add(change.id)  # its card appears, goes, or becomes its cluster's
                touched.add(change.id)
                for vm_id in design.vms_on(change.id):
                    subjects.add(vm_id)
                    subjects.update(d.id for d in design.vms[vm_id].disks)
            elif isinstance(value, VM) and "placement" in change.fields:
                for vm in (change.before, change.after):
                    if vm is not None:
                        subjects.add(vm.id)
                        subjects.update(d.id for d in vm.disks)
        for key in {k for s in subjects for k in self._about.get(s, ())}:
            finding, old = self._placed[key]
            new = self.badge_targets(finding)
            if new != old:
                for item_id in set(old.items).difference(new.items):
                    self._drop(self._badged, item_id, key)
                for item_id in set(new.items).difference(old.items):
                    self._badged[item_id][key] = finding
                self._placed[key] = (finding, new)
                touched.update(old.items, new.items)  # (the same card may change its rows)
        self._refresh_badges(touched)

    def _suppression_targets(self, before: Iterable[Suppression],
                             after: Iterable[Suppression]) -> set[str]:
        """The items of the findings that suppressions added or removed name."""
        pairs = {(s.rule, s.subject) for s in before} ^ {(s.rule, s.subject) for s in after}
        items: set[str] = set()
        for rule, subject in pairs:
            for key in self._about.get(subject, ()):
                if key[0] == rule:
                    items.update(self._placed[key][1].items)
        return items

    # ------------------------------------------------------------------ showing
    def _suppressed(self) -> dict[str, set[str]]:
        """The subjects suppressions name, by rule."""
        by_rule: defaultdict[str, set[str]] = defaultdict(set)
        for s in self.design.suppressions:
            by_rule[s.rule].add(s.subject)
        return by_rule

    @staticmethod
    def _is_suppressed(finding: Finding, suppressed: dict[str, set[str]]) -> bool:
        """As the checker matches them: a suppression names the rule and any subject."""
        subjects = suppressed.get(finding.rule)
        return subjects is not None and not subjects.isdisjoint(finding.subjects)

    def _item(self, item_id: str) -> DesignItem | None:
        for items in (self.servers, self.links, self.sites, self.wans, self.firewalls):
            item = items.get(item_id)
            if item is not None:
                return item  # type: ignore[no-any-return]
        return None

    def _refresh_badges(self, item_ids: set[str]) -> None:
        """Give these items the badge of their worst unsuppressed finding (and a card's VM
        rows theirs)."""
        if not item_ids:
            return
        suppressed = self._suppressed()
        rank = SEVERITY_RANK
        for item_id in item_ids:
            item = self._item(item_id)
            if item is None:
                continue
            worst: str | None = None
            rows: dict[str, str] = {}
            for finding in self._badged.get(item_id, {}).values():
                if suppressed and self._is_suppressed(finding, suppressed):
                    continue
                severity = finding.severity
                if worst is None or rank[severity] < rank[worst]:
                    worst = severity
                for card, vm in self._placed[finding.key][1].rows:
                    if card == item_id and (vm not in rows or rank[severity] < rank[rows[vm]]):
                        rows[vm] = severity
            if isinstance(item, ServerItem) and rows != item.vm_severity:
                item.vm_severity = rows
                item.update()
            if item.severity != worst:
                item.set_severity(worst)

    def findings_on(self, item_id: str) -> list[Finding]:
        """The findings an item's badge stands for (unsuppressed), worst first."""
        suppressed = self._suppressed()
        return sorted((f for f in self._badged.get(item_id, {}).values()
                       if not self._is_suppressed(f, suppressed)),
                      key=lambda f: (SEVERITY_RANK[f.severity], f.rule, f.subjects))

    def tooltip_for(self, item: QGraphicsItem) -> str:
        """What hovering an item shows: its findings (worked out only when asked), as rich
        text whose every design string is escaped (Qt would guess a name with markup in it
        to be rich text and render it)."""
        if isinstance(item, Attachment):
            return item.tooltip()
        if not isinstance(item, DesignItem):
            return ""
        lines = [html.escape(f"{SEVERITY_SYMBOL[f.severity]} {f.rule}: {f.message}")
                 for f in self.findings_on(item.entity_id)]
        return f"<qt>{'<br>'.join(lines)}</qt>" if lines else ""

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        for item in self.items(event.scenePos()):
            text = self.tooltip_for(item)
            if text:
                QToolTip.showText(event.screenPos(), text)
                return
        QToolTip.hideText()
