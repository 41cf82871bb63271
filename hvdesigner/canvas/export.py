"""Diagram images (``hvdesigner export --to png|svg|pdf``): the canvas's own scene, drawn
without a window in an export theme, with a legend and a title block (canvas/sheet.py).

A throwaway :class:`DesignScene` is built on the design, so the picture is the canvas's: the
same cards, links, labels and badges. For a print it is drawn as vectors with its text as text
(SVG ``<text>``, PDF text a reader can search and select): server cards skip their bitmap
cache and the link layers paint directly, not through their picture of a view.
``--selection`` draws only the chosen sites and servers and the links between them; a PDF has
the overview, then a page per site when there are several.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from hvdesigner import __version__
from hvdesigner.canvas import sheet
from hvdesigner.canvas.labels import place_labels
from hvdesigner.canvas.scene import DesignScene
from hvdesigner.canvas.theme import Theme
from hvdesigner.editing.document import Document
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.model.design import Design
from hvdesigner.model.entities import Cluster, Firewall, Host, Replication, Site, WanLink
from hvdesigner.rules.check import Finding

MARGIN = 30.0  # round the diagram, in canvas pixels
#: The largest PNG made (4 bytes a pixel: 256 MB, the most Qt reads back by default); a
#: larger one is refused with what to do.
MAX_PIXELS = 64_000_000
MAX_SIDE = 32_000  # (QImage and QPainter stop at 32,767 pixels a side)
#: The longest side of a PDF page, in canvas pixels: 200 inches, the most readers open; a
#: larger diagram is scaled down onto it (it stays vectors: zoom in to read).
MAX_PDF_SIDE = 200 * 96
#: What XML 1.0 can't hold even as a character reference (a name may have them): the SVG
#: shows U+FFFD instead.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_app: QApplication | None = None


def _application() -> None:
    """A QApplication for the scene, made if there is none; an export shows no window, so
    it needs no display (the platform may still be chosen with QT_QPA_PLATFORM)."""
    global _app
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QApplication(sys.argv[:1])


@dataclass(frozen=True)
class Page:
    """One picture: a scene area, what it shows (a title block line) and its legend."""

    source: QRectF
    caption: str
    legend: tuple[sheet.Section, ...]

    def parts(self, title: str, options: ExportOptions) -> tuple[list[str], QSizeF, QSizeF]:
        """The title block's lines, its size and the page's size (canvas pixels)."""
        lines = sheet.title_lines(title, [f"File: {options.source or 'not saved'}",
                                          f"Date: {dt.date.today().isoformat()}", self.caption,
                                          f"hvdesigner {__version__}"])
        title_w, title_h = sheet.title_size(lines)
        legend_w, legend_h = sheet.legend_size(self.legend)
        footer_w = legend_w + (sheet.GAP if legend_w else 0) + title_w
        width = max(self.source.width(), footer_w) + 2 * MARGIN
        height = self.source.height() + sheet.GAP + max(legend_h, title_h) + 2 * MARGIN
        return lines, QSizeF(title_w, title_h), QSizeF(width, height)


class Drawing:
    """The design's scene, made ready to draw: the export theme, badges (unless findings are
    left out), every label placed, only what is chosen shown."""

    def __init__(self, design: Design, findings: Sequence[Finding], options: ExportOptions) -> None:
        _application()
        self.design, self.options = design, options
        self.document = Document(design, drawing_only=True)
        self.theme = Theme.for_export(options.theme)
        self.scene = scene = DesignScene(self.document, self.theme)
        for card in scene.servers.values():  # (vectors and text, not a bitmap of each card)
            card.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if options.findings:
            scene.show_findings(findings)
        scene.legend.setVisible(False)  # (the legend in the margin has the domains)
        self.card_of = scene._card_of  # (the card a server is drawn in: a node, its cluster's)
        # (what each link, pipe and boundary joins, for drawing one site after another)
        self.link_ends = {r: (self.card_of(design.replications[r].source),
                              self.card_of(design.replications[r].target)) for r in scene.links}
        self.wan_ends = {w: design.wan_links[w].sites for w in scene.wans}
        self.protected = {f: {p if p in design.sites else self.card_of(p)
                              for p in design.firewalls[f].protects} for f in scene.firewalls}
        self.sites, self.cards = self.chosen(options.selection)
        self.show(self.sites, self.cards, touching=False)
        scene.link_layer.legible = True
        place_labels(scene, [r for r, link in scene.links.items() if link.isVisible()])
        scene.link_layer.refit()

    def close(self) -> None:
        """Let the design go: it lives on (in the designer, say) without this Document."""
        self.document.release()
        self.document.close()  # (its timers)
        self.scene.clear()

    def chosen(self, selection: Sequence[str]) -> tuple[set[str], set[str]]:
        """The site frames and server cards to draw: all, or those the selection names (a
        site with its servers, a server with its site's frame, a link or a WAN link with
        their ends, a firewall with what it protects)."""
        design = self.design
        if not selection:
            return set(self.scene.sites), set(self.scene.servers)
        sites: set[str] = set()
        cards: set[str] = set()
        for item_id in selection:
            entity = design.find(item_id)
            if isinstance(entity, Site):
                sites.add(item_id)
            elif isinstance(entity, (Host, Cluster)):
                cards.add(self.card_of(item_id))
            elif isinstance(entity, Replication):
                cards |= {self.card_of(entity.source), self.card_of(entity.target)}
            elif isinstance(entity, WanLink):
                sites.update(entity.sites)
            elif isinstance(entity, Firewall):
                for protected in entity.protects:
                    if protected in design.sites:
                        sites.add(protected)
                    else:
                        cards.add(self.card_of(protected))
            else:
                raise ExportRefused(f"--selection takes sites, servers, replications, WAN "
                                    f"links and firewalls; {item_id} is none of them")
        cards |= {c for c in self.scene.servers if design.get(c).site in sites}
        sites |= {design.get(c).site for c in cards}
        return sites, cards

    def show(self, sites: set[str], cards: set[str], touching: bool) -> None:
        """Show these frames and cards, the links and WAN links between them (``touching``:
        those that reach them at all) and the firewalls round only them, nothing else."""
        scene = self.scene
        for site_id, site in scene.sites.items():
            site.setVisible(site_id in sites)
        for card_id, card in scene.servers.items():
            card.setVisible(card_id in cards)
        for rep_id, (a, b) in self.link_ends.items():
            scene.links[rep_id].setVisible(
                (a in cards or b in cards) if touching else (a in cards and b in cards))
        for wan_id, (a, b) in self.wan_ends.items():
            scene.wans[wan_id].setVisible(
                (a in sites or b in sites) if touching else (a in sites and b in sites))
        for fw_id, protects in self.protected.items():
            fw = scene.firewalls[fw_id]
            fw.setVisible(not fw.rect.isNull() and all(p in sites or p in cards for p in protects))
        scene.link_layer.refit()
        scene.backdrop.refit()

    def legend(self) -> tuple[sheet.Section, ...]:
        """What the marks drawn mean: their domains, link styles, firewalls and badges."""
        scene = self.scene
        cards = [c for c in scene.servers.values() if c.isVisible()]
        entries = scene.legend.entries
        if self.options.selection:
            used = {c.look.domain_index for c in cards}
            entries = [e for e in entries if e[1] in used]
        sections = []
        if entries:
            sections.append(sheet.Section("Domains", tuple(
                (sheet.domain_sample(index), f"{name}  {detail}") for name, index, detail in entries),
                sheet.CHIP_W))
        styles = {(link.look.auth == "certificate", link.look.unencrypted_across_sites,
                   link.look.extended) for link in scene.links.values() if link.isVisible()}
        if styles:
            sections.append(sheet.Section("Replication (primary → replica)", sheet.link_rows(styles)))
        if any(fw.isVisible() for fw in scene.firewalls.values()):
            sections.append(sheet.Section("Firewalls", (
                (sheet.firewall_sample, "Boundary round what it protects"),
                (sheet.no_sample, "Label: name · inbound TCP ports allowed"))))
        if self.options.findings:
            sections.append(sheet.Section("Findings", self._badge_rows(), sheet.CHIP_W))
        return tuple(sections)

    def _badge_rows(self) -> tuple[tuple[sheet.Sample, str], ...]:
        """Each severity badged on what is drawn, with its count."""
        found: dict[str, set[object]] = {}
        for item_id, item in self.scene.all_items().items():
            if item.isVisible():
                for finding in self.scene.findings_on(item_id):
                    found.setdefault(finding.severity, set()).add(finding.key)
        rows = [(sheet.badge_sample(severity), f"{len(found[severity])} {severity}"
                 f"{'s' if len(found[severity]) != 1 and severity != 'info' else ''}")
                for severity in ("error", "warning", "info") if severity in found]
        return tuple(rows) or ((sheet.no_sample, "No findings on what is drawn"),)

    def overview(self) -> Page:
        rect = self.scene.content_rect()
        if rect.isEmpty():
            rect = QRectF(0, 0, 400, 200)  # (an empty design: a page with its title block)
        caption = ("Selection: " + ", ".join(self.options.selection) if self.options.selection
                   else "The whole design")
        return Page(rect.adjusted(-10, -10, 10, 10), caption, self.legend())

    def site_pages(self) -> Iterator[Page]:
        """A page per site, each with what reaches it (PDF, after the overview)."""
        for site_id in sorted(self.sites, key=lambda s: (self.scene.sites[s].y(), self.scene.sites[s].x())):
            cards = {c for c in self.cards if self.design.get(c).site == site_id}
            self.show({site_id}, cards, touching=True)
            # (room for a firewall round the site: its boundary and label above the frame;
            # a firewall round several sites is on the overview)
            frame = self.scene.sites[site_id].sceneBoundingRect()
            yield Page(frame.adjusted(-40, -60, 40, 40),
                       f"Site: {self.design.sites[site_id].name}", ())

    def paint(self, painter: QPainter, page: Page, size: QSizeF) -> None:
        """The page: background, diagram, legend (bottom left), title block (bottom right)."""
        lines, title, _ = page.parts(self.design.title, self.options)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(QPointF(0, 0), size), self.theme.base)
        source = page.source
        self.scene.render(painter, QRectF(MARGIN, MARGIN, source.width(), source.height()), source)
        top = MARGIN + source.height() + sheet.GAP
        sheet.paint_legend(painter, self.theme, page.legend, QPointF(MARGIN, top))
        sheet.paint_title_block(painter, self.theme, lines, QRectF(
            QPointF(size.width() - MARGIN - title.width(), top), title))


@contextmanager
def drawing(design: Design, findings: Sequence[Finding], options: ExportOptions) -> Iterator[Drawing]:
    made = Drawing(design, findings, options)
    try:
        yield made
    finally:
        made.close()


def _bytes_of(buffer: QBuffer) -> bytes:
    return bytes(buffer.data().data())


def render_png(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    """The overview as a PNG, ``options.scale`` pixels a canvas pixel."""
    with drawing(design, findings, options) as d:
        page = d.overview()
        size = page.parts(design.title, options)[2]
        width, height = math.ceil(size.width() * options.scale), math.ceil(size.height() * options.scale)
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise ExportRefused(
                f"at --scale {options.scale:g} the picture would be {width} x {height} pixels, "
                f"more than a PNG is made at ({MAX_PIXELS // 1_000_000} million pixels, "
                f"{MAX_SIDE} a side): give a smaller --scale, a --selection, or export to SVG or "
                "PDF (vectors, any size)")
        # (at the image's own 96 dpi: a higher one would grow the text twice, by the dpi
        # and by the scale, out of the boxes laid out for it)
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.scale(options.scale, options.scale)
        d.paint(painter, page, size)
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 80)  # (zlib level 1: a quarter faster, and smaller, than Qt's 6)
    return _bytes_of(buffer)


def render_svg(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    """The overview as SVG: shapes as paths, names and labels as ``<text>``."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with drawing(design, findings, options) as d:
        page = d.overview()
        size = page.parts(design.title, options)[2]
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(96)  # (a canvas pixel is an SVG pixel)
        generator.setSize(QSize(math.ceil(size.width()), math.ceil(size.height())))
        generator.setViewBox(QRectF(QPointF(0, 0), size))
        generator.setTitle(design.title or "Untitled design")
        generator.setDescription(f"Hyper-V Replica design {options.source}, drawn by hvdesigner")
        painter = QPainter(generator)
        d.paint(painter, page, size)
        painter.end()
    text = _bytes_of(buffer).decode("utf-8")
    return NOT_XML.sub("\ufffd", text).encode("utf-8")


def _pdf_pages(d: Drawing) -> Iterator[Page]:
    """The overview, then (if there are several) each site's page, drawn in turn: a site's
    page shows only what reaches that site."""
    yield d.overview()
    if len(d.sites) > 1:
        yield from d.site_pages()


def render_pdf(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    """The overview, then a page per site if there are several: vectors, text as text."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with drawing(design, findings, options) as d:
        writer = QPdfWriter(buffer)
        writer.setResolution(96)  # (a canvas pixel is a 96th of an inch, as on screen)
        writer.setTitle(design.title or "Untitled design")
        writer.setCreator(f"hvdesigner {__version__}")
        painter: QPainter | None = None
        for page in _pdf_pages(d):
            size = page.parts(design.title, options)[2]
            shrink = min(1.0, MAX_PDF_SIDE / max(size.width(), size.height()))
            writer.setPageSize(QPageSize(QSizeF(size.width() * shrink * 0.75,
                                                size.height() * shrink * 0.75),
                                         QPageSize.Unit.Point, "",
                                         QPageSize.SizeMatchPolicy.ExactMatch))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            if painter is None:
                painter = QPainter(writer)
            else:
                writer.newPage()
            painter.save()
            painter.scale(shrink, shrink)
            d.paint(painter, page, size)
            painter.restore()
        assert painter is not None
        painter.end()
    return _bytes_of(buffer)

