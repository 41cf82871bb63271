"""The PowerPoint deck of a design (``hvdesigner export --to pptx``): what an architect presents
and then edits in PowerPoint.

Slides: a title slide; the topology drawn as native shapes (site frames and server cards as
rounded rectangles, replications as connectors glued to the cards, so that moving a card in
PowerPoint drags its links along), first the whole design, then one slide per site; the
replication matrix; a recovery slide per site loss (``pptxrecovery.py``); the open findings
with their fixes. Tables continue on further slides
with the header repeated rather than running off the slide.

Positions come from the canvas's layout, scaled to fit the slide; strokes and labels come from
the canvas's looks (``canvas/looks.py``, Qt-free), so the deck reads like the canvas. Every
design string goes into a plain-text run (control and bidi characters shown as escapes, as in
draw.io), which python-pptx escapes for XML.

A large design makes a deck of a thousand slides and a hundred thousand runs, so the hot paths
(adding a slide, a table, a run, a link) go below python-pptx's object API to its XML
elements: the tests read every deck back through python-pptx.
"""

from __future__ import annotations

import copy
import functools
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.oxml.table import CT_TableCell
from pptx.oxml.xmlchemy import BaseOxmlElement, OxmlElement
from pptx.parts.slide import SlidePart
from pptx.presentation import Presentation as Deck
from pptx.shapes.autoshape import Shape
from pptx.shapes.connector import Connector
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from hvdesigner.canvas.looks import (
    LinkLook,
    WanLook,
    app_consistent,
    auth_name,
    every,
    link_look,
    recovery_points,
    server_look,
)
from hvdesigner.canvas.tokens import DOMAIN_COLOURS, PRINT, SEVERITY_LIGHT
from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.editing.layout import Layout, Rect
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.exporters.report import counts, report_date
from hvdesigner.exporters.terminal import plain_text
from hvdesigner.model.derived import endpoint
from hvdesigner.model.design import Design
from hvdesigner.rules.catalog import SEVERITIES
from hvdesigner.rules.check import Finding

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.4)
TITLE_H = Inches(0.7)
#: Rows under the header of one table slide: the matrix's rows are one line, a finding's
#: message and fix take up to three.
MATRIX_ROWS, FINDING_ROWS = 12, 8
ROW_H = Inches(0.3)  # a table row's least height; a row grows with its text
#: Canvas pixels at 100 % zoom per point of type (names 10 pt bold, details 9 pt are about
#: 13 and 12 px high), to scale type with the drawing.
NAME_PX, DETAIL_PX = 13.3, 12.0
#: Below this size text is unreadable on a projector: cards keep their name only, then none;
#: link labels are left out (as the canvas does when zoomed out).
SMALLEST_PT = 5.0
#: More links than this on one slide and their labels would bury the drawing.
MOST_LABELS = 120
#: A site slide is never drawn larger than this many points per canvas pixel.
MOST_ZOOM = 1.4


def rgb(token: str) -> RGBColor:
    """A colour token ("#9D5D00") as python-pptx takes it."""
    return RGBColor(*(int(token.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)))


TEXT, MID, FRAME, CARD = (rgb(PRINT[c]) for c in ("text", "mid", "window", "base"))
WARNING = rgb(SEVERITY_LIGHT["warning"])
SEVERITY_MARKS = {"error": "✖ error", "warning": "▲ warning", "info": "ℹ info"}


def render(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    if options.selection:
        raise ExportRefused("--selection doesn't apply to --to pptx: the deck covers the whole "
                            "design, with a slide per site (draw.io draws a selection)")
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    _title_slide(deck, design, options.source)
    layout = Layout.of(design)
    looks = {r: link_look(design, r) for r in design.replications}
    # the cards a link joins (a node's links join its cluster's card)
    ends = {r: (endpoint(design, rep.source), endpoint(design, rep.target))
            for r, rep in design.replications.items()}
    _topology_slide(deck, "Overview", design, layout, list(design.sites), looks, ends)
    for site_id in sorted(design.sites, key=lambda s: (design.sites[s].name.casefold(), s)):
        _topology_slide(deck, design.sites[site_id].name, design, layout, [site_id], looks, ends)
    _table_slides(deck, "Replication matrix", MATRIX_HEADER, MATRIX_WIDTHS,
                  matrix_rows(design, looks), MATRIX_ROWS, "No replications yet.")
    # (imported here: the recovery slides are drawn with this module's slide helpers)
    from hvdesigner.exporters.pptxrecovery import recovery_slides

    recovery_slides(deck, design)
    if options.findings:
        _table_slides(deck, "Open findings", FINDING_HEADER, FINDING_WIDTHS,
                      finding_rows(findings), FINDING_ROWS, "No open findings.")
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------- text
def _text(frame: TextFrame, lines: Iterable[Sequence[tuple[str, float, bool, RGBColor]]],
          align: PP_ALIGN = PP_ALIGN.LEFT) -> None:
    """Lines of runs (text, size in points, bold, colour), each run plain text."""
    body = frame._txBody
    for old in body.p_lst:
        body.remove(old)
    for runs in lines:
        paragraph = body.add_p()
        if align != PP_ALIGN.LEFT:
            paragraph.get_or_add_pPr().algn = align
        for text, size, bold, colour in runs:
            paragraph.append(_run(text, size, bold, colour))


def _run(text: str, size: float, bold: bool, colour: RGBColor) -> BaseOxmlElement:
    """A run of plain text: a copy of its style's run (see ``_run_style``) with the text set
    through python-pptx, which escapes it for XML; control and bidi characters are shown as
    escapes first, as draw.io shows them (a name can't reorder the text after it)."""
    run = copy.deepcopy(_run_style(size, bold, str(colour)))
    run.text = plain_text(text)
    return run


@functools.lru_cache(maxsize=256)
def _run_style(size: float, bold: bool, colour: str) -> BaseOxmlElement:
    """An empty run in a style, made through python-pptx's font properties once: a large
    design has tens of thousands of runs, and each property costs a third of a millisecond
    where copying a run costs microseconds."""
    run: BaseOxmlElement = OxmlElement("a:p").add_r()
    font = _Run(run, None).font  # type: ignore[arg-type]  # (a font needs no parent)
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor.from_string(colour)
    return run


def _tight(frame: TextFrame, margin: int) -> None:
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(margin)


def _new_slide(deck: Deck) -> Slide:
    """A blank slide at the end. python-pptx's ``add_slide`` looks through every slide there
    is twice (for a relationship to reuse, for the highest slide id), which makes a deck of a
    thousand table slides cost seconds; a new slide has neither, so it is added directly
    (through python-pptx's internals: the tests read every deck back)."""
    part = deck.part
    ids = part._element.get_or_add_sldIdLst()
    slide = SlidePart.new(PackURI(f"/ppt/slides/slide{len(ids) + 1}.xml"), part.package,
                          deck.slide_layouts[6].part)  # blank
    ids._add_sldId(id=256 + len(ids), rId=part._rels._add_relationship(RT.SLIDE, slide))
    new: Slide = slide.slide
    return new


def _slide(deck: Deck, title: str) -> Slide:
    slide = _new_slide(deck)
    box = slide.shapes.add_textbox(MARGIN, Inches(0.2), Emu(SLIDE_W - 2 * MARGIN), TITLE_H)
    box.name = "title"
    _text(box.text_frame, [[(title, 26, True, TEXT)]])
    box.text_frame.word_wrap = True
    return slide


def _title_slide(deck: Deck, design: Design, source: str) -> None:
    slide = _new_slide(deck)
    box = slide.shapes.add_textbox(Emu(MARGIN * 2), Inches(2.2), Emu(SLIDE_W - 4 * MARGIN),
                                   Inches(3))
    box.name = "title"
    frame = box.text_frame
    frame.word_wrap = True
    _text(frame, [[(design.title.strip() or "Untitled design", 36, True, TEXT)],
                  [("Hyper-V Replica disaster-recovery design", 20, False, MID)],
                  [(report_date().isoformat(), 16, False, TEXT)],
                  [(source or "unsaved design", 16, False, TEXT)],
                  [(" · ".join(counts(design)), 14, False, MID)]])


# ---------------------------------------------------------------------- topology
@dataclass(frozen=True)
class _Fit:
    """Canvas coordinates to slide EMUs: a scale (EMU per canvas pixel) and an offset."""

    scale: float
    dx: float
    dy: float

    @classmethod
    def of(cls, bounds: Rect, x: int, y: int, w: int, h: int, most: float) -> _Fit:
        scale = min(w / max(bounds.w, 1), h / max(bounds.h, 1), most * 12700)
        return cls(scale, x + (w - bounds.w * scale) / 2 - bounds.x * scale,
                   y + (h - bounds.h * scale) / 2 - bounds.y * scale)

    def rect(self, r: Rect) -> tuple[Emu, Emu, Emu, Emu]:
        return (Emu(round(self.dx + r.x * self.scale)), Emu(round(self.dy + r.y * self.scale)),
                Emu(max(1, round(r.w * self.scale))), Emu(max(1, round(r.h * self.scale))))

    def points(self, px: float) -> float:
        """Canvas pixels as points of type on the slide."""
        return px * self.scale / 12700


def _union(rects: Iterable[Rect]) -> Rect:
    rs = list(rects) or [Rect(0, 0, 1, 1)]
    x, y = min(r.x for r in rs), min(r.y for r in rs)
    return Rect(x, y, max(r.right for r in rs) - x, max(r.bottom for r in rs) - y)


def _flat(shape: Shape | Connector) -> None:
    """No shadow: the default theme's shape style asks for one (``effectRef``), and an empty
    effect list alone does not stop LibreOffice from drawing it."""
    shape.shadow.inherit = False
    style = shape._element.find(qn("p:style"))
    if style is not None:
        style.find(qn("a:effectRef")).set("idx", "0")


def _box(slide: Slide, name: str, rect: tuple[Emu, Emu, Emu, Emu], fill: RGBColor,
         radius_px: float, fit: _Fit) -> Shape:
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *rect)
    shape.name = name
    _flat(shape)
    shape.adjustments[0] = min(0.5, radius_px * fit.scale / max(1, min(rect[2], rect[3])))
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    shape.line.color.rgb = MID
    shape.line.width = Pt(0.75)
    return shape


def _topology_slide(deck: Deck, title: str, design: Design, layout: Layout, sites: list[str],
                    looks: dict[str, LinkLook], ends: dict[str, tuple[str, str]]) -> None:
    slide = _slide(deck, title)
    slide.shapes.turbo_add_enabled = True  # (ids counted, not searched for, at every shape)
    shown = set(sites)
    servers = sorted(s for s in layout.servers if design.get(s).site in shown)
    cards = set(servers)
    links = sorted(r for r, (a, b) in ends.items() if a in cards and b in cards)
    elsewhere = sorted(r for r, (a, b) in ends.items() if (a in cards) != (b in cards))
    top = MARGIN + TITLE_H
    width = SLIDE_W - 2 * MARGIN
    if elsewhere and len(sites) == 1:
        width = width * 2 // 3  # the right third lists the links leaving or entering the site
        _elsewhere_list(slide, design, sites[0], elsewhere, looks, MARGIN + width + Inches(0.2),
                        top, SLIDE_W - 2 * MARGIN - width - Inches(0.2), SLIDE_H - top - MARGIN)
    fit = _Fit.of(_union(layout.sites[s] for s in sites), MARGIN, top, width,
                  SLIDE_H - top - MARGIN, MOST_ZOOM if len(sites) == 1 else 10)
    name_pt, detail_pt = fit.points(NAME_PX), fit.points(DETAIL_PX)
    frames = {}
    for site_id in sites:
        frame = frames[site_id] = _box(slide, f"site:{site_id}", fit.rect(layout.sites[site_id]),
                                       FRAME, 10, fit)
        frame.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _tight(frame.text_frame, round(6 * fit.scale))
        if name_pt >= SMALLEST_PT:
            site = design.sites[site_id]
            _text(frame.text_frame, [[(site.name, name_pt, True, TEXT),
                                      (f"  {site.kind}", detail_pt, False, MID)]])
    shapes = {s: _card(slide, design, layout, s, fit, name_pt, detail_pt) for s in servers}
    boxes = {s: _bounds(shape) for s, shape in shapes.items()}
    taken = list(boxes.values())  # what a label must not cover
    if len(sites) > 1:
        _wan_pipes(slide, design, frames, fit, detail_pt, taken)
    labelled = detail_pt >= SMALLEST_PT and len(links) <= MOST_LABELS
    # strokes scale with the drawing, within limits: a thousand links on one slide drawn
    # 1.5 pt wide would be one black blot
    stroke = min(1.5, max(0.4, fit.points(2.0)))
    for rep_id, (begin, end) in _glue(design, links, ends, layout).items():
        source, target = ends[rep_id]
        line = (_site(boxes[source], begin), _site(boxes[target], end))
        _connector(slide, rep_id, looks[rep_id], line, (shapes[source], begin), (shapes[target], end),
                   stroke)
        if labelled:
            look = looks[rep_id]
            _label(slide, f"label:{rep_id}", look.text, detail_pt,
                   WARNING if look.unencrypted_across_sites else TEXT, line, taken)


def elided(name: str, room: int) -> str:
    """A name cut in the middle to ``room`` characters, as the canvas cuts names: their ends
    ("…-HV11", "…-HV12") tell servers apart. (The tables give names in full.)"""
    if len(name) <= room:
        return name
    head = max(1, (room - 1) // 2)
    return name[:head] + "…" + name[len(name) - max(1, room - 1 - head):]


def _card(slide: Slide, design: Design, layout: Layout, server_id: str, fit: _Fit,
          name_pt: float, detail_pt: float) -> Shape:
    """A server card: name, OS and domain chip, and a cluster's broker and nodes, VM count."""
    shape = _box(slide, f"server:{server_id}", fit.rect(layout.card(design, server_id)), CARD, 6,
                 fit)
    frame = shape.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    _tight(frame, round(5 * fit.scale))
    if name_pt < SMALLEST_PT:
        return shape
    look = server_look(design, server_id)
    # room for the name beside the OS, in characters of the name's size (about 0.6 em wide)
    room = (fit.points(layout.card(design, server_id).w - 10) - 0.6 * detail_pt * (len(look.os) + 2)
            ) / (0.62 * name_pt)
    lines: list[list[tuple[str, float, bool, RGBColor]]] = [
        [(elided(look.name, int(room)), name_pt, True, TEXT),
         (f"  {look.os}", detail_pt, False, MID)]]
    if detail_pt >= SMALLEST_PT:
        if look.kind == "cluster":
            lines.append([(f"Broker: {look.broker}" if look.broker else "no broker", detail_pt,
                           False, MID)])
            lines.append([(" · ".join(f"{n.name} {n.os}" for n in look.nodes) or "no nodes",
                           detail_pt, False, TEXT)])
        chip = (rgb(DOMAIN_COLOURS[look.domain_index % len(DOMAIN_COLOURS)])
                if look.domain_index is not None else MID)
        lines.append([("■ " if look.domain else "□ ", detail_pt, False, chip),
                      (look.domain or "WORKGROUP", detail_pt, False, TEXT)])
        vms = len(look.vms)
        replica = "  ⇲ Replica server" if look.replica else ""
        lines.append([(f"{vms} VM{'s' if vms != 1 else ''}{replica}", detail_pt, False, MID)])
    _text(frame, lines)
    return shape


#: Connection sites of a rectangle, as PowerPoint numbers them.
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3


def _glue(design: Design, links: list[str], ends: dict[str, tuple[str, str]],
          layout: Layout) -> dict[str, tuple[int, int]]:
    """Which connection site each end of each link is glued to: the sides that face each
    other; a second and third link between the same two cards leave the source from the
    other sides, so parallel links stay apart (and so do their labels)."""
    glued: dict[str, tuple[int, int]] = {}
    between: defaultdict[frozenset[str], int] = defaultdict(int)
    for rep_id in links:
        a, b = ends[rep_id]
        if a == b:  # (a node replicating to its own cluster: an error the findings name)
            glued[rep_id] = (TOP, RIGHT)
            continue
        (ax, ay), (bx, by) = layout.card(design, a).center, layout.card(design, b).center
        if abs(bx - ax) >= abs(by - ay):
            begin, end = (RIGHT, LEFT) if bx > ax else (LEFT, RIGHT)
            others = (BOTTOM, TOP)
        else:
            begin, end = (BOTTOM, TOP) if by > ay else (TOP, BOTTOM)
            others = (RIGHT, LEFT)
        k = between[frozenset((a, b))]
        between[frozenset((a, b))] += 1
        glued[rep_id] = (others[(k - 1) % 2] if k % 3 else begin, end)
    return glued


def _arrow(line_xml: BaseOxmlElement) -> None:
    """An arrowhead at the end (the replica side): a link points from primary to replica.
    (The fill and dash python-pptx writes come before it, as the schema orders them.)"""
    tail = OxmlElement("a:tailEnd")
    tail.set("type", "triangle")
    line_xml.append(tail)


Point = tuple[int, int]


def _site(box: Box, site: int) -> Point:
    """Where a connection site of a rectangle is (as PowerPoint places them)."""
    x0, y0, x1, y1 = box
    return {TOP: ((x0 + x1) // 2, y0), LEFT: (x0, (y0 + y1) // 2),
            BOTTOM: ((x0 + x1) // 2, y1), RIGHT: (x1, (y0 + y1) // 2)}[site]


def _connector(slide: Slide, rep_id: str, look: LinkLook, points: tuple[Point, Point],
               begin: tuple[Shape, int], end: tuple[Shape, int], stroke: float) -> None:
    """A link: a straight connector from connection site to connection site, glued to both.
    (Drawn at its ends' points and glued in the XML: python-pptx's ``begin_connect`` would
    read both shapes' positions back from their XML, half the time of a large overview.)"""
    (bx, by), (ex, ey) = points
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(bx), Emu(by), Emu(ex), Emu(ey))
    props = line._element.nvCxnSpPr.cNvCxnSpPr  # type: ignore[union-attr]
    for glue, (shape, site) in ((props.get_or_add_stCxn(), begin), (props.get_or_add_endCxn(), end)):
        glue.id, glue.idx = shape.shape_id, site
    line.name = f"link:{rep_id}"
    _flat(line)
    line.line.color.rgb = WARNING if look.unencrypted_across_sites else TEXT
    line.line.width = Pt(stroke * 1.5 if look.extended else stroke)
    if look.unencrypted_across_sites:
        line.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    elif look.extended:
        line.line.dash_style = MSO_LINE_DASH_STYLE.DASH_DOT
    _arrow(line.line._get_or_add_ln())


Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in EMU
#: Where along its line a label may sit, in the order tried (as on the canvas: the middle first).
ALONG = (0.5, 0.38, 0.62, 0.28, 0.72)


def _bounds(shape: Shape) -> Box:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _label(slide: Slide, name: str, text: str, size: float, colour: RGBColor,
           line: tuple[Point, Point],
           taken: list[Box], below: int = 0) -> None:
    """A label on a line (or ``below`` it), at the first place along it that covers no card and
    no other label; the middle when there is none. Kept level so it reads on a projector."""
    w, h = round(Pt(size * 0.6 * len(text) + 6)), round(Pt(size * 1.5 + 2))
    (bx, by), (ex, ey) = line
    spots = [(round(bx + t * (ex - bx)) - w // 2, round(by + t * (ey - by)) + below - h // 2)
             for t in ALONG]
    x, y = next((p for p in spots if not any(_overlap((*p, p[0] + w, p[1] + h), b) for b in taken)),
                spots[0])
    taken.append((x, y, x + w, y + h))
    label = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
    label.name = name
    if not below:  # (on the line: hide the stroke behind the text)
        label.fill.solid()
        label.fill.fore_color.rgb = CARD
    _tight(label.text_frame, Pt(1))
    label.text_frame.word_wrap = False
    label.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _text(label.text_frame, [[(text, size, False, colour)]], PP_ALIGN.CENTER)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _wan_pipes(slide: Slide, design: Design, frames: dict[str, Shape], fit: _Fit,
               detail_pt: float, taken: list[Box]) -> None:
    """WAN links as thick grey pipes between the site frames they join, low on the frames'
    facing sides as on the canvas (clear of the links between cards, which leave at mid-height)."""
    for wan_id, wan in sorted(design.wan_links.items()):
        a, b = (frames.get(s) for s in wan.sites)
        if a is None or b is None or a is b:
            continue
        (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = _bounds(a), _bounds(b)
        ends: tuple[Point, Point]
        low_a, low_b = ay0 + (ay1 - ay0) * 85 // 100, by0 + (by1 - by0) * 85 // 100
        right_a, right_b = ax0 + (ax1 - ax0) * 85 // 100, bx0 + (bx1 - bx0) * 85 // 100
        if bx0 >= ax1:  # side by side, then one above the other
            ends = ((ax1, low_a), (bx0, low_b))
        elif ax0 >= bx1:
            ends = ((ax0, low_a), (bx1, low_b))
        elif by0 >= ay1:
            ends = ((right_a, ay1), (right_b, by0))
        else:
            ends = ((right_a, ay0), (right_b, by1))
        (x0, y0), (x1, y1) = ends
        pipe = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(x0), Emu(y0), Emu(x1), Emu(y1))
        pipe.name = f"wan:{wan_id}"
        _flat(pipe)
        pipe.line.color.rgb = MID
        pipe.line.width = Pt(max(2.0, fit.points(6)))
        if detail_pt >= SMALLEST_PT:
            text = WanLook(wan.name, wan.bandwidth_mbps, wan_load_mbps(design, wan_id)).label
            _label(slide, f"label:{wan_id}", text, detail_pt, MID, ends, taken,
                   round(Pt(detail_pt * 1.5 + 4)))


def _elsewhere_list(slide: Slide, design: Design, site_id: str, links: list[str],
                    looks: dict[str, LinkLook], x: int, y: int, w: int, h: int) -> None:
    """A site slide's side panel: the replications that leave or enter the site."""
    box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
    box.name = "elsewhere"
    box.text_frame.word_wrap = True
    lines: list[list[tuple[str, float, bool, RGBColor]]] = [[("To and from other sites", 16, True, TEXT)]]
    shown = links[:10]
    for rep_id in shown:
        rep = design.replications[rep_id]
        outgoing = design.get(rep.source).site == site_id
        other = design.get(rep.target if outgoing else rep.source)
        colour = WARNING if looks[rep_id].unencrypted_across_sites else TEXT
        lines.append([(f"{'→' if outgoing else '←'} {other.name}", 13, True, TEXT),
                      (f" ({design.sites[other.site].name})", 13, False, MID)])
        lines.append([(looks[rep_id].text, 12, False, colour)])
    if len(links) > len(shown):
        lines.append([(f"… and {len(links) - len(shown)} more (see the replication matrix)",
                       12, False, MID)])
    _text(box.text_frame, lines)


# ---------------------------------------------------------------------- tables
MATRIX_HEADER = ("VM", "Source", "Target", "Auth / port", "Frequency", "Recovery points",
                 "App-consistent", "Excluded disks")
MATRIX_WIDTHS = (1.5, 1.6, 1.6, 2.0, 1.5, 1.2, 1.2, 1.9)  # inches, 12.5 in all
FINDING_HEADER = ("Severity", "Rule", "Finding", "Fix")
FINDING_WIDTHS = (1.2, 0.9, 5.4, 5.0)


@dataclass(frozen=True)
class Cell:
    text: str
    colour: RGBColor = TEXT
    bold: bool = False


def matrix_rows(design: Design, looks: dict[str, LinkLook]) -> list[tuple[Cell, ...]]:
    """One row per VM of each replication, by source, target and VM name."""
    def order(rep_id: str) -> tuple[str, str, str]:
        rep = design.replications[rep_id]
        return design.get(rep.source).name.casefold(), design.get(rep.target).name.casefold(), rep_id

    rows: list[tuple[Cell, ...]] = []
    for rep_id in sorted(design.replications, key=order):
        rep, look = design.replications[rep_id], looks[rep_id]
        auth = f"{look.transport} ({auth_name(rep.auth)})"
        colour = WARNING if look.unencrypted_across_sites else TEXT
        frequency = every(rep.frequency_s) + (" (extended)" if look.extended else "")
        points, vss = recovery_points(rep.recovery_points), app_consistent(rep.vss_hours)
        for vm in sorted((design.vms[v] for v in rep.vms), key=lambda v: (v.name.casefold(), v.id)):
            excluded = ", ".join(d.name for d in vm.disks if not d.replicate) or "–"
            rows.append((Cell(vm.name, bold=True), Cell(design.get(rep.source).name),
                         Cell(design.get(rep.target).name), Cell(auth, colour),
                         Cell(frequency), Cell(points), Cell(vss), Cell(excluded)))
    return rows


def finding_rows(findings: Sequence[Finding]) -> list[tuple[Cell, ...]]:
    """Unsuppressed findings, errors first, each with its fix."""
    open_ = sorted((f for f in findings if not f.suppressed),
                   key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.subjects))
    return [(Cell(SEVERITY_MARKS[f.severity],
                  rgb(SEVERITY_LIGHT[f.severity]), True),
             Cell(f.rule), Cell(f.message), Cell(f.fix)) for f in open_]


def _table_slides(deck: Deck, title: str, header: Sequence[str], widths: Sequence[float],
                  rows: list[tuple[Cell, ...]], per_slide: int, empty: str) -> None:
    """A table over as many slides as it takes, ``per_slide`` rows under the header on each,
    "(continued)" in the titles after the first."""
    if not rows:
        slide = _slide(deck, title)
        box = slide.shapes.add_textbox(MARGIN, Emu(MARGIN + TITLE_H), Emu(SLIDE_W - 2 * MARGIN),
                                       Inches(1))
        _text(box.text_frame, [[(empty, 18, False, MID)]])
        return
    size = 11 if per_slide > FINDING_ROWS else 10
    #: The first slide's table before its rows are filled in: copying it is much quicker
    #: than python-pptx making a table (a deck may have a thousand table slides).
    empty_table: BaseOxmlElement | None = None
    for start in range(0, len(rows), per_slide):
        chunk = rows[start:start + per_slide]
        shown = f"{start + 1}–{start + len(chunk)} of {len(rows)}"
        slide = _slide(deck, f"{title} (continued)" if start else title)
        note = slide.shapes.add_textbox(Emu(SLIDE_W - MARGIN - Inches(3)), Inches(0.3), Inches(3),
                                        Inches(0.4))
        _text(note.text_frame, [[(shown, 12, False, MID)]], PP_ALIGN.RIGHT)
        if empty_table is None:  # (made once, through python-pptx; then copied)
            shape = slide.shapes.add_table(len(chunk) + 1, len(header), MARGIN,
                                           Emu(MARGIN + TITLE_H), Emu(SLIDE_W - 2 * MARGIN),
                                           Emu(ROW_H * (len(chunk) + 1)))
            shape.name = "table"
            for c, inches in enumerate(widths):
                shape.table.columns[c].width = Inches(inches)
            for tc, text in zip(shape.table._tbl.tr_lst[0].tc_lst, header, strict=True):
                _cell(tc, Cell(text, CARD, True), size)
            empty_table = copy.deepcopy(shape._element)
            frame = shape._element
        else:
            frame = copy.deepcopy(empty_table)
            frame.nvGraphicFramePr.cNvPr.id = slide.shapes._spTree.max_shape_id + 1
            slide.shapes._spTree.append(frame)
        rows_xml = frame.xpath(".//a:tr")
        for tr in rows_xml[len(chunk) + 1:]:  # the last slide's table is shorter
            tr.getparent().remove(tr)
        for tr, row in zip(rows_xml[1:], chunk, strict=False):
            for tc, cell in zip(tr.tc_lst, row, strict=True):
                _cell(tc, cell, size)


def _cell(tc: CT_TableCell, cell: Cell, size: float) -> None:
    tc.get_or_add_txBody().p_lst[0].append(_run(cell.text, size, cell.bold, cell.colour))
