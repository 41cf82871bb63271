"""The draw.io deliverable: a design as an editable diagrams.net file (uncompressed mxGraph XML).

The picture is the canvas's (``shared/design/visual-language.md``), where the canvas has it
(:meth:`Layout.of`), built so that it stays whole while someone edits it in diagrams.net:

- a site is a container (a swimlane) and its host and cluster cards are its children, so
  moving a site moves its servers; a cluster's node chips are children of its card;
- replication links and WAN pipes are edges glued to the vertices they join (``source`` and
  ``target``), so moving a card drags its links; a finding marker on a link rides on it;
- a firewall that guards whole sites is a dashed container holding them; one that guards
  servers of one site sits in that site; any other is a loose dashed boundary;
- the domain legend is a group of its chips; each card carries its domain's chip.

Every design string is text: labels are plain text (``html=0``), control and bidi characters
are shown as escapes (:func:`hvdesigner.exporters.terminal.printable`), and tooltips, which
diagrams.net shows as HTML whatever the style says, are HTML-escaped. Cells that stand for a
design thing carry its id (``hvd_id``) and a few facts as data (diagrams.net: Edit Data).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hvdesigner import __version__
from hvdesigner.canvas.looks import (
    FirewallLook,
    ServerLook,
    WanLook,
    domain_order,
    link_look,
    server_look,
)
from hvdesigner.canvas.tokens import DOMAIN_COLOURS, FIREWALL, PRINT, SEVERITY_DARK, SEVERITY_LIGHT
from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.editing.layout import (
    FIREWALL_MARGIN,
    PARALLEL_SPACING,
    Layout,
    Rect,
    node_chip,
)
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.exporters.terminal import plain_text
from hvdesigner.model.derived import endpoint, replication_label
from hvdesigner.model.design import Design
from hvdesigner.model.entities import VM, Cluster, Firewall, Host, Replication, Site, WanLink
from hvdesigner.rules.catalog import SEVERITIES
from hvdesigner.rules.check import Finding
from hvdesigner.rules.dependencies import PlainReader


@dataclass(frozen=True)
class Palette:
    paper: str
    frame: str  # a site's body
    title: str  # a site's title bar
    card: str
    chip: str  # node chips
    text: str
    mid: str  # strokes, muted text
    severity: dict[str, str]


#: The print theme's neutrals, with the two tones the canvas derives from them (Theme:
#: ``frame_fill()`` is the window 4 % darker, the title bar ``mid`` 50 % lighter); "dark" takes
#: the dark tokens on a dark page (diagrams.net has no palette to follow).
PALETTES = {
    "print": Palette(PRINT["base"], "#EAEAEA", "#CFCFCF", PRINT["base"], PRINT["window"],
                     PRINT["text"], PRINT["mid"], SEVERITY_LIGHT),
    "dark": Palette("#1E1E1E", "#2A2A2A", "#3C3C3C", "#252526", "#333333", "#F0F0F0",
                    "#8A8A8A", SEVERITY_DARK),
}
PALETTES["light"] = PALETTES["print"]

SITE_GLYPH = {"datacenter": "🏢", "branch": "🏠", "cloud": "☁"}
SEVERITY_GLYPH = {"error": "!", "warning": "!", "info": "i"}
SEVERITY_SHAPE = {"error": "shape=ellipse", "warning": "shape=triangle;direction=north",
                  "info": "shape=ellipse"}
TITLE_H = 28
LABEL_ADVANCE = 6.5
text = plain_text  # a design string as a label shows it


def tooltip(lines: Iterable[str]) -> str:
    """Lines as a tooltip: diagrams.net reads tooltips as HTML, and breaks lines at newlines."""
    return "\n".join(html.escape(text(line)) for line in lines)


def style(*parts: str, **values: object) -> str:
    return ";".join([*parts, *(f"{k}={v}" for k, v in values.items())]) + ";"


def num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


# ------------------------------------------------------------------------------- what to draw
@dataclass
class Scope:
    """The sites, cards, links, WAN links and firewalls drawn. A card is a standalone host's
    or a cluster's: a server's :func:`endpoint` (a node is drawn in its cluster's card)."""

    sites: set[str] = field(default_factory=set)
    cards: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    wans: list[str] = field(default_factory=list)
    firewalls: list[str] = field(default_factory=list)


def scope(design: Design, selection: Sequence[str]) -> Scope:
    """Everything, or the chosen sites (with their servers), servers, links, WAN links,
    firewalls and VMs (their servers), the sites those sit in, and the links between them."""
    s = Scope()
    if not selection:
        s.sites = set(design.sites)
        s.cards = set(design.clusters) | {h for h, host in design.hosts.items() if host.cluster is None}
    for chosen in selection:
        thing = design.find(chosen)
        if design.is_disk(chosen):
            thing = design.vms[design.vm_of_disk(chosen)]
        if isinstance(thing, Site):
            s.sites.add(chosen)
            s.cards |= {endpoint(design, m) for m in design.servers_in_site(chosen)}
        elif isinstance(thing, (Host, Cluster)):
            s.cards.add(endpoint(design, chosen))
        elif isinstance(thing, Replication):
            s.cards |= {endpoint(design, thing.source), endpoint(design, thing.target)}
        elif isinstance(thing, VM):
            s.cards.add(endpoint(design, thing.placement))
        elif isinstance(thing, WanLink):
            s.sites |= set(thing.sites)
        elif isinstance(thing, Firewall):
            s.sites |= {p for p in thing.protects if p in design.sites}
            s.cards |= {endpoint(design, p) for p in thing.protects if p not in design.sites}
    s.sites |= {design.get(c).site for c in s.cards}
    if not s.sites:
        raise ExportRefused("--selection names nothing a diagram draws (choose sites, servers, "
                            "replications, WAN links, firewalls or VMs)")
    s.links = sorted(r for r, rep in design.replications.items()
                     if endpoint(design, rep.source) in s.cards and endpoint(design, rep.target) in s.cards)
    s.wans = sorted(w for w, wan in design.wan_links.items() if set(wan.sites) <= s.sites)
    s.firewalls = sorted(f for f, fw in design.firewalls.items() if any(
        p in s.sites if p in design.sites else endpoint(design, p) in s.cards for p in fw.protects))
    return s


# ------------------------------------------------------------------------------- the document
class Diagram:
    """The cells of one page, in drawing order (a parent before its children)."""

    def __init__(self, design: Design) -> None:
        taken = {"0", "1"} & set(design.entities_by_id())
        # (design ids are [A-Za-z0-9_.-]: a ":" or "/" in our own ids never meets one)
        self.root_id, self.layer = ("hvd:root", "hvd:layer") if taken else ("0", "1")
        self.root = ET.Element("root")
        ET.SubElement(self.root, "mxCell", {"id": self.root_id})
        ET.SubElement(self.root, "mxCell", {"id": self.layer, "parent": self.root_id})
        self.frames: dict[str, Rect] = {}  # absolute rectangles of vertices, by id
        self.label_ends: dict[str, tuple[float, float]] = {}  # edge -> its label's right end

    def vertex(self, id: str, parent: str, rect: Rect, origin: tuple[float, float], value: str,
               look: str, data: dict[str, str] | None = None, tip: str = "") -> None:
        """A vertex at an absolute rectangle, its geometry relative to its parent's
        top-left corner (``origin``)."""
        cell = self._cell(id, value, look, data, tip, {"parent": parent, "vertex": "1"})
        ET.SubElement(cell, "mxGeometry", {
            "x": num(rect.x - origin[0]), "y": num(rect.y - origin[1]),
            "width": num(rect.w), "height": num(rect.h), "as": "geometry"})
        self.frames[id] = rect

    def edge(self, id: str, source: str, target: str, value: str, look: str,
             data: dict[str, str], tip: str = "", via: tuple[float, float] | None = None,
             label_offset: float = 0.0) -> None:
        cell = self._cell(id, value, look, data, tip, {"parent": self.layer, "edge": "1",
                                                        "source": source, "target": target})
        geometry = ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
        if via is not None:
            points = ET.SubElement(geometry, "Array", {"as": "points"})
            ET.SubElement(points, "mxPoint", {"x": num(via[0]), "y": num(via[1])})
        if label_offset:
            ET.SubElement(geometry, "mxPoint", {"y": num(label_offset), "as": "offset"})
        # (labels stay level on a slanted edge, so "right of the label" is the same offset
        # whichever way the edge runs; the width is the 11 px font's average advance)
        self.label_ends[id] = (LABEL_ADVANCE * len(value) / 2, label_offset)

    def on_edge(self, id: str, edge: str, value: str, look: str, tip: str, size: float) -> None:
        """A small vertex riding on an edge, just right of its label (as a link's badge on
        the canvas)."""
        cell = self._cell(id, value, look, None, tip,
                          {"parent": edge, "vertex": "1", "connectable": "0"})
        geometry = ET.SubElement(cell, "mxGeometry", {
            "width": num(size), "height": num(size), "relative": "1", "as": "geometry"})
        right, down = self.label_ends[edge]
        ET.SubElement(geometry, "mxPoint", {"x": num(right + 4), "y": num(down - size / 2),
                                            "as": "offset"})

    def _cell(self, id: str, value: str, look: str, data: dict[str, str] | None, tip: str,
              attributes: dict[str, str]) -> ET.Element:
        """An mxCell; wrapped in an ``object`` (diagrams.net's user object) when it carries
        data or a tooltip, which then holds its id and label."""
        if data is None and not tip:
            return ET.SubElement(self.root, "mxCell",
                                 {"id": id, "value": value, "style": look, **attributes})
        wrapper = ET.SubElement(self.root, "object", {"id": id, "label": value})
        if tip:
            wrapper.set("tooltip", tip)
        for key, item in (data or {}).items():
            wrapper.set(key, text(item))
        return ET.SubElement(wrapper, "mxCell", {"style": look, **attributes})

    def document(self, name: str, background: str) -> bytes:
        mxfile = ET.Element("mxfile", host="hvdesigner", agent=f"hvdesigner {__version__}",
                            version=__version__)
        diagram = ET.SubElement(mxfile, "diagram", id="hvdesigner", name=text(name))
        model = ET.SubElement(diagram, "mxGraphModel", grid="1", gridSize="10", guides="1",
                              tooltips="1", connect="1", arrows="1", fold="1", page="0",
                              pageScale="1", math="0", shadow="0", background=background)
        model.append(self.root)
        ET.indent(mxfile, space=" ")
        return bytes(ET.tostring(mxfile, encoding="utf-8", xml_declaration=True))


# ------------------------------------------------------------------------------- the picture
@dataclass(frozen=True)
class Boundary:
    """A firewall's dashed boundary that holds no site: drawn inside the one site whose
    servers it guards, else on its own over the site frames."""

    id: str
    rect: Rect
    label: str
    look: str
    data: dict[str, str]


def render(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    """The design (or ``options.selection`` of it) as a draw.io file; see the module."""
    return Picture(design, options).draw(findings)


class Picture:
    """One export: what is drawn (the scope), where (the layout), and the cells made so far."""

    def __init__(self, design: Design, options: ExportOptions) -> None:
        self.design = design
        self.options = options
        self.palette = PALETTES[options.theme]
        self.layout = Layout.of(design)
        self.scope = scope(design, options.selection)
        self.diagram = Diagram(design)
        self.reader = PlainReader(design, dt.date.today(), {})  # (a memo the looks share)
        self.domains = domain_order(design)
        self.inside: defaultdict[str, list[Boundary]] = defaultdict(list)  # site -> firewalls
        self.loose: list[Boundary] = []

    def draw(self, findings: Sequence[Finding]) -> bytes:
        held = self._firewalls()
        for site_id in sorted(self.scope.sites):
            if site_id not in held:
                self._site(site_id, self.diagram.layer, (0.0, 0.0))
        for fw in self.loose:
            self.diagram.vertex(fw.id, self.diagram.layer, fw.rect, (0, 0), fw.label, fw.look, fw.data)
        for wan_id in self.scope.wans:
            self._wan(wan_id)
        self._links()
        self._legend()
        if self.options.findings:
            self._markers(findings)
        name = self.design.title or self.options.source or "Hyper-V Replica design"
        return self.diagram.document(name, self.palette.paper)

    # ---------------------------------------------------------------- sites and firewalls
    def _firewalls(self) -> set[str]:
        """Draw the firewalls that guard whole sites, first (behind the sites they hold), and
        keep those in one site for it; the sites held."""
        design, p = self.design, self.palette
        held: set[str] = set()
        for fw_id in self.scope.firewalls:
            fw = design.firewalls[fw_id]
            sites = [s for s in fw.protects if s in self.scope.sites]
            cards = sorted({endpoint(design, s) for s in fw.protects if s not in design.sites}
                           & self.scope.cards)
            rect = _around([self.layout.sites[s] for s in sites]
                           + [self.layout.card(design, c) for c in cards])
            look = style("rounded=1", "html=0", "dashed=1", "collapsible=0", fillColor="none",
                         strokeColor=FIREWALL, strokeWidth=2, arcSize=28, absoluteArcSize=1,
                         align="left", verticalAlign="top", spacingLeft=16, spacingTop=4,
                         fontColor=p.text, fontSize=11, dashPattern="8 4")
            boundary = Boundary(fw_id, rect, "🧱 " + text(FirewallLook(fw.name, fw.allow_inbound_tcp).label),
                                look, {"hvd_id": fw_id, "inbound_tcp": " ".join(
                                    map(str, fw.allow_inbound_tcp)) or "none"})
            homes = {design.get(c).site for c in cards}
            if sites and not cards and not held & set(sites):
                self.diagram.vertex(fw_id, self.diagram.layer, rect, (0, 0), boundary.label,
                                    look + "container=1;", boundary.data)
                for site_id in sorted(sites):
                    held.add(site_id)
                    self._site(site_id, fw_id, (rect.x, rect.y))
            elif not sites and len(homes) == 1:
                self.inside[homes.pop()].append(boundary)  # (drawn in its site, behind the cards)
            else:  # (guards places no one shape holds: a boundary of its own, over the frames)
                self.loose.append(boundary)
        return held

    def _site(self, site_id: str, parent: str, origin: tuple[float, float]) -> None:
        site, frame, p = self.design.sites[site_id], self.layout.sites[site_id], self.palette
        look = style("swimlane", "shape=swimlane", "html=0", "container=1", "collapsible=0", "rounded=1",
                     startSize=TITLE_H, arcSize=24, absoluteArcSize=1, fillColor=p.title,
                     swimlaneFillColor=p.frame, strokeColor=p.mid, fontColor=p.text, fontStyle=1,
                     fontSize=13, align="left", spacingLeft=10)
        self.diagram.vertex(site_id, parent, frame, origin, f"{SITE_GLYPH[site.kind]} {text(site.name)}",
                            look, {"hvd_id": site_id, "kind": site.kind},
                            tooltip([f"site {site.name} ({site.kind})"]))
        for fw in self.inside.get(site_id, []):
            self.diagram.vertex(fw.id, site_id, fw.rect, (frame.x, frame.y), fw.label, fw.look, fw.data)
        cards = sorted(c for c in self.scope.cards if self.design.get(c).site == site_id)
        for card in cards:
            self._card(card, site_id, frame)

    # ---------------------------------------------------------------- servers
    def _card(self, server_id: str, site_id: str, frame: Rect) -> None:
        design, p, d = self.design, self.palette, self.diagram
        server = design.get(server_id)
        look = server_look(design, server_id)
        rect = self.layout.card(design, server_id)
        cluster = look.kind == "cluster"
        names = [v.name for v in look.vms]
        vms = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        d.vertex(server_id, site_id, rect, (frame.x, frame.y), text(look.name), style(
            "rounded=1", "html=0", "collapsible=0", arcSize=16, absoluteArcSize=1, fillColor=p.card,
            strokeColor=p.mid, fontColor=p.text, fontStyle=1, fontSize=13, align="left",
            verticalAlign="top", spacingLeft=34 if cluster else 10, spacingTop=0),
            {"hvd_id": server_id, "kind": look.kind, "fqdn": server.fqdn, "os": look.os,
             "domain": look.domain or "WORKGROUP"},
            tooltip([f"{look.kind} {look.name} · {server.fqdn} · Windows Server {look.os}",
                     f"VMs: {vms or 'none'}"]))
        at = (rect.x, rect.y)
        muted = self._words(p.mid, "right")
        d.vertex(f"{server_id}/os", server_id, Rect(rect.right - 60, rect.y + 4, 50, 20), at,
                 text(look.os), muted)
        if cluster:
            self._broker(server_id, look, rect)
            for i, node in enumerate(look.nodes):
                x, y, w, h = node_chip(rect.w, i)
                chip = Rect(rect.x + x, rect.y + y, w, h)
                d.vertex(node.id, server_id, chip, at, f"{text(node.name)}  {node.os}", style(
                    "rounded=1", "html=0", arcSize=8, absoluteArcSize=1, fillColor=p.chip,
                    strokeColor=p.mid, fontColor=p.text, fontSize=11, align="left", spacingLeft=4),
                    {"hvd_id": node.id, "kind": "node", "fqdn": design.hosts[node.id].fqdn,
                     "os": node.os}, tooltip([f"node {node.name} of cluster {look.name}"]))
        lines = rect.h - 42
        self._domain_chip(server_id, look, Rect(rect.x + 10, rect.y + lines + 3, 10, 10), at)
        count = len(look.vms)
        pips = " ".join(f"[{pip}]" for pip in look.listeners)
        glyph = "▶" if look.replica else "▷"  # (the canvas's inbound arrow, filled when enabled)
        d.vertex(f"{server_id}/vms", server_id, Rect(rect.x + 8, rect.bottom - 22, rect.w - 16, 18), at,
                 f"{count} VM{'s' if count != 1 else ''}", self._words(p.text, "left"))
        d.vertex(f"{server_id}/listeners", server_id, Rect(rect.x + rect.w / 2, rect.bottom - 22,
                                                           rect.w / 2 - 10, 18), at,
                 f"{pips} {glyph}".strip(), muted, tip=tooltip([
                     f"listeners enabled: {', '.join(look.listeners) or 'none'}",
                     "Replica server: " + ("enabled" if look.replica else "not enabled")]))

    def _broker(self, cluster_id: str, look: ServerLook, rect: Rect) -> None:
        """A filled "B" with the broker's name, or a hollow dashed one in the error colour."""
        p, at = self.palette, (rect.x, rect.y)
        has = look.broker is not None
        error = p.severity["error"]
        self.diagram.vertex(f"{cluster_id}/broker", cluster_id, Rect(rect.x + 8, rect.y + 8, 20, 20),
                            at, "B", style("shape=ellipse", "html=0", "connectable=0", fontStyle=1,
                                           fillColor=p.text if has else "none",
                                           strokeColor=p.text if has else error,
                                           fontColor=p.card if has else error, dashed=0 if has else 1))
        self.diagram.vertex(f"{cluster_id}/caption", cluster_id,
                            Rect(rect.x + 34, rect.y + 21, rect.w - 44, 14), at,
                            f"Broker: {text(look.broker) if look.broker else 'no broker'}",
                            self._words(p.text, "left"))

    def _domain_chip(self, server_id: str, look: ServerLook, chip: Rect,
                     at: tuple[float, float]) -> None:
        p = self.palette
        if look.domain is None or look.domain_index is None:
            self.diagram.vertex(f"{server_id}/domain", server_id,
                                Rect(chip.x, chip.y - 3, 120, 16), at, "WORKGROUP",
                                self._words(p.mid, "left"))
            return
        self.diagram.vertex(f"{server_id}/domain", server_id, chip, at, text(look.domain),
                            self._chip_style(look.domain_index))

    @staticmethod
    def _words(colour: str, align: str) -> str:
        """The look of a detail line in a card (part of it: edges never glue to it)."""
        return style("text", "html=0", "connectable=0", fillColor="none", strokeColor="none",
                     fontColor=colour, fontSize=11, align=align, verticalAlign="middle")

    def _chip_style(self, index: int) -> str:
        """A domain's colour, hatched from the eighth domain on; its name at its right."""
        hatch = {"fillStyle": "hatch"} if index >= len(DOMAIN_COLOURS) else {}
        return style("rounded=1", "html=0", "connectable=0", arcSize=20,
                     fillColor=DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)], strokeColor="none",
                     labelPosition="right", verticalLabelPosition="middle", align="left",
                     verticalAlign="middle", spacingLeft=4, fontColor=self.palette.text,
                     fontSize=11, **hatch)

    # ---------------------------------------------------------------- links
    def _links(self) -> None:
        """Replication links, glued to their servers' shapes (a node's chip); parallel links
        between one pair of cards bend apart through a waypoint, as on the canvas."""
        design, p = self.design, self.palette
        pairs: defaultdict[frozenset[str], list[str]] = defaultdict(list)
        for rep_id in self.scope.links:
            rep = design.replications[rep_id]
            pairs[frozenset((endpoint(design, rep.source), endpoint(design, rep.target)))].append(rep_id)
        for siblings in pairs.values():
            for rank, rep_id in enumerate(siblings):
                rep = design.replications[rep_id]
                look = link_look(design, rep_id, self.reader)
                warn = look.unencrypted_across_sites
                colour = p.severity["warning"] if warn else p.text
                dash = ({"dashed": 1, "dashPattern": "6 4"} if warn else
                        {"dashed": 1, "dashPattern": "10 3 2 3"} if look.extended else {})
                glyph = "🔒 " if rep.auth == "certificate" else "🔓 " if warn else ""
                offset = (rank - (len(siblings) - 1) / 2) * PARALLEL_SPACING
                if endpoint(design, rep.source) > endpoint(design, rep.target):
                    offset = -offset  # (the same bend whichever way a link points)
                self.diagram.edge(
                    rep_id, rep.source, rep.target, glyph + text(look.text),
                    style("edgeStyle=none", "curved=1", "html=0", "endArrow=block", "endFill=1",
                          strokeColor=colour, fontColor=colour, strokeWidth=2.2 if look.extended else 1.6,
                          fontSize=11, labelBackgroundColor=p.paper, **dash),
                    {"hvd_id": rep_id, "auth": rep.auth, "port": str(look.port),
                     "frequency_s": str(look.frequency_s), "vms": " ".join(rep.vms)},
                    tooltip([replication_label(design, rep),
                             "VMs: " + (", ".join(design.vms[v].name for v in rep.vms) or "none")]),
                    via=self._bend(rep.source, rep.target, offset) if offset else None)

    def _bend(self, source: str, target: str, offset: float) -> tuple[float, float]:
        """The point a link bent sideways by ``offset`` passes halfway."""
        (ax, ay), (bx, by) = self.diagram.frames[source].center, self.diagram.frames[target].center
        length = math.hypot(bx - ax, by - ay) or 1.0
        return (ax + bx) / 2 - (by - ay) / length * offset, (ay + by) / 2 + (bx - ax) / length * offset

    def _wan(self, wan_id: str) -> None:
        """A thick pipe between two site frames, leaving each on the side facing the other,
        low down (below the links crossing between the sites); its label below it."""
        wan, p = self.design.wan_links[wan_id], self.palette
        a, b = (self.layout.sites[s] for s in wan.sites)
        (ax, ay), (bx, by) = a.center, b.center
        if abs(bx - ax) >= abs(by - ay):
            ends = {"exitX": 1 if bx > ax else 0, "exitY": 0.85, "entryX": 0 if bx > ax else 1,
                    "entryY": 0.85}
        else:
            ends = {"exitX": 0.5, "exitY": 1 if by > ay else 0, "entryX": 0.5,
                    "entryY": 0 if by > ay else 1}
        look = WanLook(wan.name, wan.bandwidth_mbps, wan_load_mbps(self.reader, wan_id))
        self.diagram.edge(
            wan_id, wan.sites[0], wan.sites[1], text(look.label),
            style("shape=link", "edgeStyle=none", "html=0", "endArrow=none", "startArrow=none",
                  width=6, strokeWidth=2, strokeColor=p.mid, fontColor=p.text, fontSize=11,
                  labelBackgroundColor=p.paper, **ends),
            {"hvd_id": wan_id, "bandwidth_mbps": f"{wan.bandwidth_mbps:g}",
             "latency_ms": "" if wan.latency_ms is None else f"{wan.latency_ms:g}"},
            label_offset=16)

    # ---------------------------------------------------------------- legend and findings
    def _legend(self) -> None:
        """The domains of what is drawn (all of them for the whole design), with their chips
        and trusts: a group that moves as one."""
        design, p = self.design, self.palette
        used = {design.get(s).domain for c in self.scope.cards
                for s in (c, *design.nodes_of(c))}
        shown = [d for d in self.domains if not self.options.selection or d in used]
        if not shown:
            return
        rows = []
        for domain_id in shown:
            domain = design.domains[domain_id]
            trusts = [design.domains[t].name for t in domain.trusts]
            rows.append((domain_id, f"{domain.name}  {domain.fqdn}"
                         + (f"  ⇄ {', '.join(trusts)}" if trusts else "")))
        width = max([160.0] + [7.0 * len(row) + 44 for _, row in rows])
        at = self.layout.legend
        if at is None:
            frames = [self.layout.sites[s] for s in self.scope.sites]
            at = (min(f.x for f in frames), max(f.bottom for f in frames) + 60)
        box = Rect(at[0], at[1], width, 30 + 20 * len(rows))
        legend = "hvd:legend"
        self.diagram.vertex(legend, self.diagram.layer, box, (0, 0), "Domains", style(
            "rounded=1", "html=0", "collapsible=0", arcSize=12, absoluteArcSize=1, fillColor=p.card,
            strokeColor=p.mid, fontColor=p.text, fontStyle=1, fontSize=13, align="left",
            verticalAlign="top", spacingLeft=10, spacingTop=0))
        for i, (domain_id, row) in enumerate(rows):
            self.diagram.vertex(f"{legend}/{domain_id}", legend,
                                Rect(box.x + 10, box.y + 29 + 20 * i, 12, 12), (box.x, box.y),
                                text(row), self._chip_style(self.domains.index(domain_id)),
                                {"hvd_id": domain_id})

    def _markers(self, findings: Sequence[Finding]) -> None:
        """A small marker on each drawn thing with unsuppressed findings: the worst one's
        shape and colour, and every finding in its tooltip."""
        about: defaultdict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            if not finding.suppressed:
                for target in self._badged(finding):
                    about[target].append(finding)
        p, d = self.palette, self.diagram
        for target, found in about.items():
            worst = min((f.severity for f in found), key=SEVERITIES.index)
            colour = p.severity[worst]
            look = style(SEVERITY_SHAPE[worst], "html=0", "connectable=0", "resizable=0",
                         fillColor=colour, strokeColor=colour, fontColor=p.paper, fontStyle=1,
                         fontSize=11, verticalAlign="middle" if worst != "warning" else "bottom")
            tip = tooltip([f"{f.severity} {f.rule}: {f.message}" for f in found])
            marker = f"{target}/finding"
            if target in d.frames:  # a vertex: at its top-right corner (a site's: in its title bar)
                frame = d.frames[target]
                corner = (Rect(frame.right - 24, frame.y + 6, 16, 16) if target in self.scope.sites
                          else Rect(frame.right - 8, frame.y - 8, 16, 16))
                d.vertex(marker, target, corner, (frame.x, frame.y), SEVERITY_GLYPH[worst], look,
                         tip=tip)
            else:  # a link or a WAN pipe
                d.on_edge(marker, target, SEVERITY_GLYPH[worst], look, tip, 16)

    def _badged(self, finding: Finding) -> set[str]:
        """What a finding is shown on, where it is drawn (as the canvas's badges): a link, a
        site, a WAN pipe, a firewall, a card (a node's on its cluster; a VM's or a disk's on
        the card it runs on)."""
        design, drawn = self.design, self.diagram.frames
        found: set[str] = set()
        for subject in finding.subjects:
            thing = design.find(subject)
            if design.is_disk(subject):
                thing = design.vms[design.vm_of_disk(subject)]
            if isinstance(thing, (Replication, WanLink)):
                if subject in self.scope.links or subject in self.scope.wans:
                    found.add(subject)
            elif isinstance(thing, (Site, Firewall)):
                if subject in drawn:
                    found.add(subject)
            elif isinstance(thing, (Host, Cluster)):
                if endpoint(design, subject) in drawn:
                    found.add(endpoint(design, subject))
            elif isinstance(thing, VM) and endpoint(design, thing.placement) in drawn:
                found.add(endpoint(design, thing.placement))
        return found


def _around(rects: list[Rect]) -> Rect:
    """A firewall's boundary around the frames and cards it guards."""
    left, top, right, bottom = FIREWALL_MARGIN
    x0, y0 = min(r.x for r in rects) - left, min(r.y for r in rects) - top
    x1, y1 = max(r.right for r in rects) + right, max(r.bottom for r in rects) + bottom
    return Rect(x0, y0, x1 - x0, y1 - y0)
