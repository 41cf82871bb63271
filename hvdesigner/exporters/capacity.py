"""``hvdesigner capacity DESIGN [--format text|json|csv] [--window-hours 48]``: the capacity
model as text, JSON or CSV, with exit codes like ``validate``'s (2: the file can't be read or
isn't a valid design, the reason on stderr).

JSON: ``{"window_hours", "wan_links", "replications", "vms", "servers"}``, each entity with
every field of its value in :mod:`hvdesigner.capacity.model` (the names and units are a
contract: ``utilization`` is a fraction, ``null`` where a figure does not apply). CSV: one
section per table, each row led by the table's name, a blank line between sections; a design
string that a spreadsheet would run as a formula (leading ``= + - @``, tab or carriage return)
is written with a leading apostrophe. Text and CSV go through
:func:`~hvdesigner.exporters.terminal.printable`: no design string reaches a terminal as a
control sequence.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from hvdesigner.capacity.formulas import DEFAULT_WINDOW_HOURS
from hvdesigner.capacity.model import (
    Capacity,
    ReplicationCapacity,
    ServerCapacity,
    VmCapacity,
    WanLinkCapacity,
    capacity,
)
from hvdesigner.exporters.findings import dumps
from hvdesigner.exporters.terminal import printable, write_lines, write_whole
from hvdesigner.fileformat.loader import DesignFileError, loads, read_design_bytes

TABLES: dict[str, type] = {"wan_links": WanLinkCapacity, "replications": ReplicationCapacity,
                           "vms": VmCapacity, "servers": ServerCapacity}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(cap: Capacity) -> dict[str, Any]:
    return _rounded(dataclasses.asdict(cap))  # type: ignore[no-any-return]


def _rounded(value: Any) -> Any:
    """Figures to six significant digits: 13.52, not the float noise 13.520000000000001."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def _figure(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def columns(title: str, header: Sequence[str], rows: list[list[str]]) -> Iterator[str]:
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(header)]
    yield f"{title} ({len(rows)})"
    for row in [list(header), *rows]:
        yield "  " + "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
    yield ""


def text_lines(cap: Capacity) -> Iterator[str]:
    """Tables a person reads; names, not ids (they are in the JSON)."""
    yield from columns("WAN links", (
        "name", "Mbps", "load Mbps", "use", "headroom Mbps", "initial h", ""), [
        [w.name, _figure(w.bandwidth_mbps), _figure(w.load_mbps), f"{w.utilization:.0%}",
         _figure(w.headroom_mbps), _figure(w.initial_replication_hours),
         "over bandwidth" if w.over_bandwidth else "over ceiling" if w.over_ceiling else ""]
        for w in cap.wan_links])
    yield from columns("Replications", (
        "id", "Mbps", "MB/cycle", "interval s", "RPO s", "initial h", "replica GB", ""), [
        [r.id, _figure(r.required_mbps), _figure(r.data_per_cycle_mb), str(r.frequency_s),
         "unbounded" if r.cycles_missed else _figure(r.rpo_s, 0), _figure(r.initial_replication_hours), _figure(r.replica_storage_gb),
         "cycles missed" if r.cycles_missed else "seed by media" if r.media_recommended else ""]
        for r in cap.replications])
    yield from columns("VMs", (
        "name", "Mbps", "RPO s", "initial h", "resync after h", "replica GB", ""), [
        [v.name, _figure(v.required_mbps),
         "unbounded" if v.primary and v.rpo_s is None else _figure(v.rpo_s, 0),
         _figure(v.initial_replication_hours), _figure(v.resync_after_outage_hours),
         _figure(v.replica_storage_gb), "seed by media" if v.media_recommended else ""]
        for v in cap.vms])
    yield from columns("Target servers", ("name", "replica GB", "replica IOPS ×"), [
        [s.name, _figure(s.replica_storage_gb), "{:g}–{:g}".format(*s.iops_multiplier)]
        for s in cap.servers])
    yield f"Initial replication window: {cap.window_hours:g} h."


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = printable(value)
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, (list, tuple)):
        return " ".join(str(_cell(v)) for v in value if not isinstance(v, dict))
    return "" if value is None else value


def to_csv(cap: Capacity) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    data = to_json(cap)
    for n, (table, kind) in enumerate(TABLES.items()):
        rows = data[table]
        # (contributions are a table of their own, in the JSON)
        fields = [f.name for f in dataclasses.fields(kind) if f.name != "contributions"]
        if n:
            writer.writerow([])
        writer.writerow(["table", *fields])
        writer.writerows([table, *(_cell(row[f]) for f in fields)] for row in rows)
    return out.getvalue()


def render(cap: Capacity, fmt: str) -> str:
    if fmt == "json":
        return dumps(to_json(cap)) + "\n"
    if fmt == "csv":
        return to_csv(cap)
    return "".join(printable(line) + "\n" for line in text_lines(cap))


def run_capacity(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """The command: exit 0 with the tables, 2 when the file can't be read or isn't a design."""
    from hvdesigner.cli import EXIT_INVALID, EXIT_OK, _Parser

    parser = _Parser(prog="hvdesigner capacity",
                     description="Bandwidth, RPO, initial replication, resync tolerance and "
                     "replica storage of a design, per WAN link, replication, VM and target server.")
    parser.add_argument("design", metavar="DESIGN", help="a design file (.hvd)")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--window-hours", type=float, default=DEFAULT_WINDOW_HOURS, metavar="H",
                        help="initial replication window; longer over the network recommends "
                        f"seeding by media (default: {DEFAULT_WINDOW_HOURS:g})")
    args = parser.parse_args(argv)
    if not args.window_hours > 0:
        write_lines(err, ["hvdesigner capacity: --window-hours must be more than 0"])
        return EXIT_INVALID
    try:
        design = loads(read_design_bytes(args.design), args.design)
    except DesignFileError as e:
        write_lines(err, e.report_lines())
        return EXIT_INVALID
    try:
        write_whole(out, render(capacity(design, args.window_hours), args.format))
    except BrokenPipeError:  # `hvdesigner capacity ... | head`
        err.close()
    return EXIT_OK
