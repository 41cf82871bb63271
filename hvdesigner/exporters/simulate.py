"""``hvdesigner simulate DESIGN [--lose SITE]... [--format text|json]``: the format's site-loss
scenarios (:mod:`hvdesigner.recovery.scenarios`) on paper: one scenario (the sites named by
``--lose``, together), or without ``--lose`` the loss of every site in turn.

JSON (a contract): ``{"scenarios": [{"lost": [site ids], "vms": [{"id", "status", "runs_on",
"rpo_s", "start_order", ...}], "servers": [{"id", "memory_demand_gb", "memory_gb",
"vcpu_demand", "cores", "unknown_vms", ...}]}]}``: every VM, every surviving server (a cluster
or a standalone host), ``memory_gb`` and ``cores`` null when unknown. Text: per scenario the
recovered VMs in start order with their group, server and data-loss bound, the lost and down
VMs, and the servers VMs recover to or over capacity with their demand against their capacity
(over it marked), as the deliverables show them (:mod:`hvdesigner.exporters.recovery`);
names, not ids, through :func:`~hvdesigner.exporters.terminal.printable`. Exit codes as
``validate``'s usage errors: 2 for a file that can't be read or a site the design doesn't have.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from hvdesigner.exporters.capacity import columns
from hvdesigner.exporters.findings import dumps
from hvdesigner.exporters.recovery import OVER, memory_text, vcpu_text
from hvdesigner.exporters.terminal import printable, write_lines, write_whole
from hvdesigner.fileformat.loader import DesignFileError, loads, read_design_bytes
from hvdesigner.model.design import Design
from hvdesigner.recovery.scenarios import Load, Scenario, scenario, single_site_scenarios
from hvdesigner.recovery.words import data_loss_bound, listed


def scenarios_of(design: Design, lost: Sequence[str]) -> list[Scenario]:
    """The scenario losing ``lost`` together; none named: each single site's loss in turn."""
    if lost:
        return [scenario(design, lost)]
    return single_site_scenarios(design)[1:]  # (the first is the normal one)


# ---------------------------------------------------------------- JSON
def _server_json(design: Design, load: Load) -> dict[str, Any]:
    return {"id": load.id, "name": design.get(load.id).name,
            "memory_demand_gb": load.memory_demand_gb, "memory_gb": load.capacity.memory_gb,
            "vcpu_demand": load.vcpu_demand, "cores": load.capacity.cpus,
            "unknown_vms": load.unknown_vms, "over_memory": load.over_memory,
            "vcpu_capacity": load.vcpu_capacity, "over_cores": load.over_cores,
            "running": list(load.running)}


def scenario_json(design: Design, s: Scenario) -> dict[str, Any]:
    vms = []
    for vm_id in sorted(design.vms):
        o = s.outcomes[vm_id]
        vms.append({"id": vm_id, "name": design.vms[vm_id].name, "status": o.status,
                    "runs_on": o.runs_on, "rpo_s": o.rpo_s,
                    "start_order": s.start_positions.get(vm_id),
                    "recovery_group": design.vms[vm_id].recovery_group, "via": o.via})
    return {"lost": list(s.lost), "vms": vms,
            "servers": [_server_json(design, s.loads[i]) for i in sorted(s.loads)]}


# ---------------------------------------------------------------- text
def _table(title: str, header: Sequence[str], rows: list[list[str]]) -> Iterator[str]:
    yield from columns(title, header, rows) if rows else [f"{title}: none", ""]


def text_lines(design: Design, s: Scenario) -> Iterator[str]:
    """One scenario as a person reads it: names, not ids (they are in the JSON)."""
    sites = "site" if len(s.lost) == 1 else "sites"
    yield f"Loss of {sites} {listed([design.get(site).name for site in s.lost])}"
    yield ""
    rows = []
    for position, vm_id in enumerate(s.start_order, start=1):
        vm, o = design.vms[vm_id], s.outcomes[vm_id]
        group = "-" if vm.recovery_group is None else str(vm.recovery_group)
        rows.append([vm.name, str(position), group, design.get(o.runs_on or "").name,
                     data_loss_bound(o.rpo_s)])
    yield from _table("Recovered, in start order",
                      ("VM", "start", "group", "runs on", "data loss"), rows)
    for status in ("lost", "down"):
        hit = sorted(design.vms[v].name for v in s.vms_with(status))
        yield f"{status.capitalize()} ({len(hit)}){': ' + ', '.join(hit) if hit else ''}"
    yield ""
    shown = sorted(s.loads_to_show(), key=lambda load: (design.get(load.id).name.casefold(), load.id))
    rows = []
    for load in shown:
        marks = [m for m, over in (("over memory", load.over_memory),
                                   ("over vCPUs", load.over_cores)) if over]
        rows.append([design.get(load.id).name, str(len(load.running)),
                     memory_text(load).removesuffix(OVER), vcpu_text(load).removesuffix(OVER),
                     str(load.unknown_vms), ", ".join(marks)])
    yield from _table("Servers VMs recover to, or over capacity", (
        "server", "VMs", "memory", "vCPUs", "unknown size", ""), rows)
    others = len(s.loads) - len(shown)
    servers = ("1 other surviving server runs" if others == 1
               else f"{others} other surviving servers run")
    yield f"{servers} as in normal operation."
    yield ""


def render(design: Design, scenarios: list[Scenario], fmt: str) -> Iterator[str]:
    """The output in pieces, a scenario at a time: the JSON of every site's loss lists every
    VM in each (300 × 25,000 at 5,000 hosts), too much to hold at once."""
    if fmt == "json":
        yield '{\n  "scenarios": ['
        for n, s in enumerate(scenarios):
            text = dumps(scenario_json(design, s)).replace("\n", "\n    ")
            yield ("," if n else "") + "\n    " + text
        yield "\n  ]\n}\n"
        return
    for s in scenarios:
        yield "".join(printable(line) + "\n" for line in text_lines(design, s))


# ---------------------------------------------------------------- the command
def run_simulate(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """The command: exit 0 with the scenarios, 2 when the file can't be read or isn't a
    design, or ``--lose`` names a site it doesn't have."""
    from hvdesigner.cli import EXIT_INVALID, EXIT_OK, _Parser

    parser = _Parser(prog="hvdesigner simulate",
                     description="Lose a site on paper: which VMs recover where, in what order, "
                     "with what data loss, and whether the surviving servers have the memory "
                     "and cores to run them.")
    parser.add_argument("design", metavar="DESIGN", help="a design file (.hvd)")
    parser.add_argument("--lose", action="append", default=[], metavar="SITE",
                        help="a site id to lose (repeat to lose several at once; default: "
                        "each site in turn)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    args = parser.parse_args(argv)
    try:
        design = loads(read_design_bytes(args.design), args.design)
    except DesignFileError as e:
        write_lines(err, e.report_lines())
        return EXIT_INVALID
    unknown = [site for site in dict.fromkeys(args.lose) if site not in design.sites]
    if unknown:
        known = ", ".join(f"{s.id} ({s.name})" for s in design.sites.values()) or "none"
        write_lines(err, [f"hvdesigner simulate: --lose names no site of this design: "
                          f"{', '.join(unknown)}. Its sites: {known}."])
        return EXIT_INVALID
    try:
        write_whole(out, "".join(render(design, scenarios_of(design, args.lose), args.format)))
    except BrokenPipeError:  # `hvdesigner simulate ... | head`
        err.close()
    return EXIT_OK
