"""The topology as a small SVG document written as text (Qt-free), for the design report.

It draws what the canvas places (``Layout.of``): site frames with their titles, server cards
(name, OS and domain, VM count, a cluster's nodes), WAN links as thick pipes and replications
as arrows with the canvas's labels (``canvas/looks.py``), in the print colours of the visual
language. It is a summary picture, not the canvas: no badges, firewalls or VM rows. Images
that must look exactly like the canvas render through Qt (``canvas/``).

Every design string is escaped, and characters XML can't hold at all (C0 controls) become
U+FFFD, so the SVG is well-formed XML as well as valid inside HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict

from hvdesigner.canvas.looks import LinkLook, WanLook, link_look, server_look, site_look
from hvdesigner.canvas.tokens import DOMAIN_COLOURS, SEVERITY_LIGHT
from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.editing.layout import Layout, Rect
from hvdesigner.model.derived import Reader, endpoint
from hvdesigner.model.design import Design

MARGIN = 20
PARALLEL_SPACING = 34.0
TEXT, FRAME_FILL, FRAME_STROKE, CARD_FILL, NEUTRAL = "#000000", "#F3F3F3", "#8A8A8A", "#FFFFFF", "#5F5F5F"
WAN_STROKE, WAN_LANE = "#B8B8B8", 34
Point = tuple[float, float]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLE = (
    "text{font-family:system-ui,'Segoe UI',sans-serif;font-size:11px;fill:#000}"
    ".name{font-weight:bold;font-size:12px}.site{font-weight:bold;font-size:13px}"
    ".label{font-size:10px}.halo{stroke:#fff;stroke-width:3px;stroke-linejoin:round}"
)


def text(value: str) -> str:
    """A design string as SVG/HTML character data or attribute value."""
    return html.escape(_NOT_XML.sub("\ufffd", value), quote=True)


def _edge(rect: Rect, toward: Point) -> Point:
    """Where the line from a rectangle's centre toward a point leaves the rectangle."""
    cx, cy = rect.center
    dx, dy = toward[0] - cx, toward[1] - cy
    scale = min(rect.w / 2 / abs(dx) if dx else math.inf, rect.h / 2 / abs(dy) if dy else math.inf)
    return (cx, cy) if math.isinf(scale) else (cx + dx * scale, cy + dy * scale)


def _label(x: float, y: float, angle: float, label: str, colour: str = TEXT) -> str:
    """A label centred on a line, turned to stay readable (never upside down)."""
    if angle > 90 or angle < -90:
        angle -= math.copysign(180, angle)
    # a white halo under the text, drawn as a copy of it: QtSvg has no paint-order
    return "".join(
        f'<text class="label{extra}" x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{colour}" '
        f'transform="rotate({angle:.1f} {x:.1f} {y:.1f})">{text(label)}</text>' for extra in (" halo", ""))


def _site(layout: Layout, design: Design, site_id: str) -> list[str]:
    r = layout.sites[site_id]
    look = site_look(design, site_id)
    return [f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" rx="10" '
            f'fill="{FRAME_FILL}" stroke="{FRAME_STROKE}"/>',
            f'<line x1="{r.x:.1f}" y1="{r.y + 28:.1f}" x2="{r.right:.1f}" y2="{r.y + 28:.1f}" '
            f'stroke="{FRAME_STROKE}"/>',
            f'<text class="site" x="{r.x + 10:.1f}" y="{r.y + 19:.1f}">{text(look.name)} '
            f'<tspan font-weight="normal" font-size="11px">({look.kind})</tspan></text>']


def _card(layout: Layout, design: Design, server_id: str) -> list[str]:
    r = layout.card(design, server_id)
    look = server_look(design, server_id)
    out = [f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" rx="6" '
           f'fill="{CARD_FILL}" stroke="{TEXT}"/>']
    replica = " · Replica" if look.replica else ""
    out.append(f'<text class="name" x="{r.x + 8:.1f}" y="{r.y + 17:.1f}">{text(look.name)} '
               f'<tspan font-weight="normal" font-size="10px">{look.kind}{replica}</tspan></text>')
    if look.kind == "cluster":
        broker = f"Broker {text(look.broker)}" if look.broker else "no Replica Broker"
        out.append(f'<text x="{r.x + 8:.1f}" y="{r.y + 31:.1f}" font-size="10px">{broker}</text>')
    for i, node in enumerate(look.nodes):  # node chips, two a row, as the canvas draws them
        x, y = r.x + 8 + (i % 2) * (r.w - 16) / 2, r.y + 38 + (i // 2) * 24
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{(r.w - 24) / 2:.1f}" height="20" rx="3" '
                   f'fill="{FRAME_FILL}" stroke="{FRAME_STROKE}"/>')
        out.append(f'<text x="{x + 5:.1f}" y="{y + 14:.1f}">{text(node.name)} {text(node.os)}</text>')
    domain_y = r.bottom - 28
    if look.domain is not None and look.domain_index is not None:
        colour = DOMAIN_COLOURS[look.domain_index % len(DOMAIN_COLOURS)]
        out.append(f'<rect x="{r.x + 8:.1f}" y="{domain_y - 9:.1f}" width="10" height="10" '
                   f'fill="{colour}" stroke="{TEXT}" stroke-width="0.5"/>')
    domain = look.domain if look.domain is not None else "WORKGROUP"
    out.append(f'<text x="{r.x + 22:.1f}" y="{domain_y:.1f}">{text(look.os)} · {text(domain)}</text>')
    vms = len(look.vms)
    out.append(f'<text x="{r.x + 8:.1f}" y="{r.bottom - 10:.1f}">{vms} VM{"" if vms == 1 else "s"}'
               f'{" · listens " + " ".join(look.listeners) if look.listeners else ""}</text>')
    return out


def _wan_routes(layout: Layout, design: Design, reader: Reader) -> list[tuple[list[Point], str]]:
    """Each WAN link as a pipe under its two frames: down from one, across, up into the
    other, so its label never sits among the replication arrows between the frames. Pipes
    whose spans overlap under the same frames take lanes one below the other."""
    lanes: dict[float, list[list[tuple[float, float]]]] = defaultdict(list)
    routes = []
    for wan in sorted(design.wan_links.values(), key=lambda w: w.id):
        a, b = wan.sites
        if a not in layout.sites or b not in layout.sites or a == b:
            continue
        ra, rb = layout.sites[a], layout.sites[b]
        base = max(ra.bottom, rb.bottom)
        span = (min(ra.center[0], rb.center[0]), max(ra.center[0], rb.center[0]))
        taken = lanes[base]
        lane = next((i for i, spans in enumerate(taken)
                     if all(span[1] < s[0] or s[1] < span[0] for s in spans)), len(taken))
        if lane == len(taken):
            taken.append([])
        taken[lane].append(span)
        y, dx = base + 24 + lane * WAN_LANE, lane * 14.0
        xa, xb = ra.center[0] + dx, rb.center[0] + dx
        look = WanLook(wan.name, wan.bandwidth_mbps, wan_load_mbps(reader, wan.id))
        routes.append(([(xa, ra.bottom), (xa, y), (xb, y), (xb, rb.bottom)], look.label))
    return routes


def _wan(points: list[Point], label: str) -> list[str]:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    (_, _), (x1, y), (x2, _), _ = points
    return [f'<polyline points="{path}" fill="none" stroke="{WAN_STROKE}" stroke-width="8" '
            f'stroke-linejoin="round"/>', _label((x1 + x2) / 2, y + 20, 0, label)]


def _link(source: Rect, target: Rect, offset: float, look: LinkLook) -> list[str]:
    """An arrow from source to target, pushed ``offset`` sideways when a pair has several."""
    (sx, sy), (tx, ty) = source.center, target.center
    length = math.hypot(tx - sx, ty - sy) or 1.0
    nx, ny = -(ty - sy) / length * offset, (tx - sx) / length * offset
    start = _edge(source, (tx + nx, ty + ny))
    end = _edge(target, (sx + nx, sy + ny))
    (x1, y1), (x2, y2) = (start[0] + nx, start[1] + ny), (end[0] + nx, end[1] + ny)
    if look.unencrypted_across_sites:  # dashed and in the warning colour, with an open padlock
        colour, dash, label = SEVERITY_LIGHT["warning"], ' stroke-dasharray="8 5"', "unlocked · " + look.label
    else:
        colour, dash = (TEXT, "") if look.auth == "certificate" else (NEUTRAL, "")
        label = ("locked · " if look.auth == "certificate" else "") + look.label
    if look.extended:
        dash, label = ' stroke-dasharray="10 3 2 3"', "EXT · " + label
    marker = "warn" if look.unencrypted_across_sites else "plain"
    angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
    return [f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="1.5"{dash} marker-end="url(#{marker})"/>',
            _label((x1 + x2) / 2, (y1 + y2) / 2, angle, label, colour)]


def topology_svg(design: Design, reader: Reader) -> str:
    """The design's topology as an ``<svg>`` element (no XML declaration, so it can sit
    inside an HTML page as it is, or be saved as a file after one)."""
    layout = Layout.of(design)
    wans = _wan_routes(layout, design, reader)
    rects = list(layout.sites.values()) + [layout.card(design, s) for s in layout.servers]
    rects += [Rect(min(x for x, _ in p), p[1][1], 1, 30) for p, _ in wans]  # pipes and labels
    left = min((r.x for r in rects), default=0.0) - MARGIN
    top = min((r.y for r in rects), default=0.0) - MARGIN
    width = max((r.right for r in rects), default=0.0) + MARGIN - left
    height = max((r.bottom for r in rects), default=0.0) + MARGIN - top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} '
           f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
           f'aria-label="Topology of the design">',
           f"<style>{_STYLE}</style><defs>"]
    for name, colour in (("plain", NEUTRAL), ("warn", SEVERITY_LIGHT["warning"])):
        out.append(f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
                   f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
                   f'fill="{colour}"/></marker>')
    out.append(f'</defs><rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" '
               f'fill="#FFFFFF"/>')
    for site_id in layout.sites:
        out += _site(layout, design, site_id)
    for points, label in wans:
        out += _wan(points, label)
    for server_id in layout.servers:
        out += _card(layout, design, server_id)
    pairs: dict[frozenset[str], list[str]] = defaultdict(list)
    for rep in design.replications.values():
        pairs[frozenset((endpoint(design, rep.source), endpoint(design, rep.target)))].append(rep.id)
    for rep_ids in pairs.values():
        for i, rep_id in enumerate(sorted(rep_ids)):
            rep = design.replications[rep_id]
            source, target = endpoint(design, rep.source), endpoint(design, rep.target)
            if source == target or source not in layout.servers or target not in layout.servers:
                continue  # (a link to itself is a finding, TOP-01; there is no line to draw)
            # spread a pair's links evenly about the straight line, the same side whichever way
            # each one goes
            offset = (i - (len(rep_ids) - 1) / 2) * PARALLEL_SPACING * (1 if source < target else -1)
            out += _link(layout.card(design, source), layout.card(design, target), offset,
                         link_look(design, rep_id, reader))
    out.append("</svg>")
    return "\n".join(out)
