"""The design report: one self-contained HTML file (``--to html``) or Markdown (``--to md``).

Both are written from one outline of blocks (headings, paragraphs, tables, the diagram):
title and date, a summary, the topology diagram (HTML only: an inline SVG, see ``svg.py``),
the inventory by site, the replication matrix, a recovery plan per site loss (``recovery.py``:
what recovers where in start order, the servers' demand against capacity, what is lost),
findings with their fixes and references,
suppressions with their reasons, and the sizing assumptions with the WAN links' load.

Everything in a design is text: the HTML escapes it (``html.escape``); the Markdown
backslash-escapes every character that could start markup, a link, an autolink or raw HTML,
and folds line breaks into spaces, so a name can't become a heading, a table border, a link or
a script. The HTML refers to nothing outside itself (inline CSS and SVG, no fonts, scripts or
links; Microsoft's pages are named as text), and its Content-Security-Policy tells the browser
to load nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from hvdesigner import __version__
from hvdesigner.canvas.looks import app_consistent, auth_name, every, recovery_points
from hvdesigner.capacity.bandwidth import wan_load_mbps
from hvdesigner.editing.vocabulary import plural
from hvdesigner.exporters.formats import ExportOptions, ExportRefused
from hvdesigner.exporters.markdown import md
from hvdesigner.exporters.recovery import (
    OVER,
    SiteLoss,
    dependency_text,
    memory_text,
    site_losses,
    vcpu_text,
)
from hvdesigner.exporters.svg import text, topology_svg
from hvdesigner.model.derived import Reader, replica_settings, server_os, vm_links
from hvdesigner.model.design import Design
from hvdesigner.model.entities import OS_LABELS, VM, Cluster, Host, Replication
from hvdesigner.recovery.words import duration
from hvdesigner.rules.catalog import RULE_ORDER, RULES, SEVERITIES, help_uri
from hvdesigner.rules.check import Finding
from hvdesigner.rules.dependencies import PlainReader


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    empty: str = "None."  # what stands instead of a table without rows


@dataclass(frozen=True)
class Diagram:
    svg: str


Block = Heading | Para | Table | Diagram


def counts(design: Design) -> list[str]:
    """What a design holds, counted, as every deliverable says it: "3 sites", "1 cluster"."""
    return [plural(len(things), noun) for things, noun in (
        (design.sites, "site"), (design.hosts, "host"), (design.clusters, "cluster"),
        (design.vms, "VM"), (design.replications, "replication"), (design.wan_links, "WAN link"))]


def report_date() -> dt.date:
    """Today (UTC), or the date of ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


# ---------------------------------------------------------------------- the outline
class _Outline:
    """The report's blocks, from a design, its findings and the export options."""

    def __init__(self, design: Design, findings: Sequence[Finding], options: ExportOptions) -> None:
        self.design = design
        self.findings = findings
        self.options = options
        # one memo for the whole report: VM links and loads are worked out once
        self.reader: Reader = PlainReader(design, dt.date.today(), {})

    def name(self, id: str) -> str:
        found = self.design.find(id)
        return str(getattr(found, "name", id)) if found is not None else id

    def title(self) -> str:
        return self.design.title or self.options.source or "Untitled design"

    def blocks(self, diagram: bool) -> Iterator[Block]:
        d = self.design
        yield Heading(1, self.title())
        source = f" from {self.options.source}" if self.options.source else ""
        yield Para(f"Design report{source}, {report_date().isoformat()}, hvdesigner {__version__}.")
        yield from (Para(p) for p in re.split(r"\n\s*\n", d.notes) if p.strip())
        yield Para(", ".join(counts(d)) + ".")
        if diagram:
            yield Heading(2, "Topology")
            yield Diagram(topology_svg(d, self.reader))
        yield from self.inventory()
        yield from self.matrix()
        yield from self.recovery()
        if self.options.findings:
            yield from self.findings_section()
            yield from self.suppressions()
        yield from self.sizing()

    # ------------------------------------------------------------------ inventory
    def inventory(self) -> Iterator[Block]:
        d = self.design
        yield Heading(2, "Inventory")
        if d.domains:
            yield Table(("Domain", "FQDN", "Forest", "Trusts"), [
                (dom.name, dom.fqdn, dom.forest_root, ", ".join(self.name(t) for t in dom.trusts) or "none")
                for dom in sorted(d.domains.values(), key=lambda x: (x.name.casefold(), x.id))])
        for site in sorted(d.sites.values(), key=lambda s: (s.name.casefold(), s.id)):
            yield Heading(3, f"Site {site.name} ({site.kind})")
            servers = d.servers_in_site(site.id)
            top = sorted((s for s in servers if not (s in d.hosts and d.hosts[s].cluster)),
                         key=lambda s: (self.name(s).casefold(), s))
            rows = []
            for server_id in top:
                rows.append(self.server_row(server_id))
                rows += [self.server_row(n) for n in
                         sorted(d.nodes_of(server_id), key=lambda n: (self.name(n).casefold(), n))]
            yield Table(("Server", "Kind", "FQDN", "OS", "Domain", "Replica server"), rows,
                        "No servers.")
            vms = sorted((d.vms[v] for s in servers for v in d.vms_on(s)),
                         key=lambda v: (v.name.casefold(), v.id))
            yield Table(("VM", "Runs on", "Generation", "Disks"), [
                (vm.name, self.name(vm.placement), str(vm.generation), self.disks(vm)) for vm in vms],
                "No VMs run here.")

    def server_row(self, server_id: str) -> tuple[str, ...]:
        server = self.design.get(server_id)
        os = server_os(self.reader, server_id)
        if isinstance(server, Cluster):
            nodes = len(self.design.nodes_of(server_id))
            broker = f"broker {server.broker.name}" if server.broker else "no broker"
            kind = f"cluster, {plural(nodes, 'node')}, {broker}"
        else:
            host: Host = server
            kind = f"node of {self.name(host.cluster)}" if host.cluster else "host"
        domain = self.design.domains[server.domain].name if server.domain else "WORKGROUP"
        return (server.name, kind, server.fqdn, OS_LABELS[os] if os else "no nodes", domain,
                self.replica(server_id))

    def replica(self, server_id: str) -> str:
        settings = replica_settings(self.reader, server_id)
        if settings is None:
            return "no"
        host = self.design.hosts.get(server_id)
        if host is not None and host.cluster is not None:  # a node serves through its broker
            return "as its cluster"
        accepts = ", ".join(f"{a} {settings.port_for(a)}" for a in settings.auth)
        who = ("any primary" if settings.allow_any_primary
               else plural(len(settings.authorizations), "authorized primary").replace(
                   "primarys", "primaries"))
        return f"{accepts}; {who}"

    @staticmethod
    def disks(vm: VM) -> str:
        return "; ".join(f"{d.name} {d.size_gb:g} GB {d.type} {d.role}"
                         f"{'' if d.replicate else ' (excluded)'}" for d in vm.disks) or "none"

    # ------------------------------------------------------------------ replication
    def matrix(self) -> Iterator[Block]:
        d = self.design
        yield Heading(2, "Replication matrix")
        rows = []
        for rep in sorted(d.replications.values(),
                          key=lambda r: (self.name(r.source).casefold(), self.name(r.target).casefold(), r.id)):
            settings = (f"{auth_name(rep.auth)} / {rep.effective_port}", every(rep.frequency_s),
                        recovery_points(rep.recovery_points), app_consistent(rep.vss_hours))
            ends = (self.name(rep.source), self.name(rep.target))
            if not rep.vms:
                rows.append(("(no VMs)", *ends, self.role(rep, None), *settings, ""))
            for vm in sorted((d.vms[v] for v in rep.vms), key=lambda v: (v.name.casefold(), v.id)):
                excluded = ", ".join(x.name for x in vm.disks if not x.replicate) or "none"
                rows.append((vm.name, *ends, self.role(rep, vm.id), *settings, excluded))
        yield Table(("VM", "Source", "Target", "Link", "Auth / port", "Frequency",
                     "Recovery points", "App-consistent", "Excluded disks"), rows, "No replications.")

    def role(self, rep: Replication, vm_id: str | None) -> str:
        named = f" ({rep.name})" if rep.name else ""
        if vm_id is None:
            return "replication" + named
        links = vm_links(self.reader, vm_id)
        role = ("primary" if rep.id in links.primary else "extended" if rep.id in links.extended
                else "not a link of this VM")
        return role + named

    # ------------------------------------------------------------------ recovery
    def recovery(self) -> Iterator[Block]:
        losses = site_losses(self.design)
        if not losses:
            return
        yield Heading(2, "Recovery plans")
        yield Para("What happens when a site is lost: the VMs that recover, in start order (a "
                   "group starts once the group before it runs), the servers they recover to "
                   "with their memory and vCPU demand against capacity, and the VMs that don't "
                   "come back. Data loss is bounded by twice the replication frequency (both "
                   "links' for an extended replica).")
        for loss in losses:
            yield from self.site_loss(loss)

    def site_loss(self, loss: SiteLoss) -> Iterator[Block]:
        yield Heading(3, f"If {loss.site.name} is lost")
        if not loss.groups and not loss.not_recoverable:
            yield Para("No VM runs at this site: nothing to recover.")
            return
        yield Para(f"{plural(loss.recovering, 'VM')} recover{'s' * (loss.recovering == 1)}, "
                   f"{len(loss.not_recoverable)} can't.")
        if loss.groups:
            yield Table(("Start", "Group", "VM", "Recovers on", "Depends on", "Data loss up to"), [
                (str(step.position), group.label, step.vm.name, self.name(step.runs_on),
                 "; ".join(dependency_text(self.design, d) for d in step.depends_on) or "nothing",
                 duration(step.rpo_s))
                for group in loss.groups for step in group.steps])
        shown = loss.changed_loads
        if shown:
            yield Para("The servers they recover to (and any over capacity), demand against "
                       "capacity:")
            yield Table(("Server", "Memory demand / capacity", "vCPU demand / capacity",
                         "Sizes unknown"), [
                (self.name(load.id), memory_text(load), vcpu_text(load),
                 plural(load.unknown_vms, "VM") if load.unknown_vms else "none")
                for load in shown])
        count = loss.others
        if count:
            others = plural(count, "other surviving server" if shown else "surviving server")
            runs = "runs only its own VMs" if count == 1 else "run only their own VMs"
            yield Para(f"{others} {runs}, as in normal operation (none over capacity).")
        if loss.not_recoverable:
            yield Para("Not recoverable:")
            yield Table(("VM", "Status", "Why", "Runs on normally"), [
                (vm.name, status, f"no replica outside {loss.site.name}" if status == "lost"
                 else "not replicated", self.name(vm.placement))
                for vm, status in loss.not_recoverable])

    # ------------------------------------------------------------------ findings
    def findings_section(self) -> Iterator[Block]:
        yield Heading(2, "Findings")
        active = [f for f in self.findings if not f.suppressed]
        by_severity = Counter(f.severity for f in active)
        suppressed = len(self.findings) - len(active)
        yield Para(", ".join(plural(by_severity[s], s) if s != "info" else f"{by_severity[s]} info"
                             for s in SEVERITIES) + f"; {suppressed} suppressed.")
        yield Table(("Severity", "Rule", "Message", "Fix"),
                    [(f.severity, f.rule, f.message, f.fix) for f in active], "No findings.")
        cited = sorted({f.rule for f in self.findings}, key=RULE_ORDER.__getitem__)
        if cited:
            yield Heading(3, "References")
            yield Table(("Rule", "Title", "Best Practices Analyzer rule", "Microsoft documentation"),
                        [(r, RULES[r].title, RULES[r].bpa or "none", help_uri(r)) for r in cited])

    def suppressions(self) -> Iterator[Block]:
        yield Heading(2, "Suppressions")
        silenced = Counter((f.rule, s) for f in self.findings if f.suppressed for s in f.subjects)
        yield Table(("Rule", "Subject", "Reason", "Findings silenced"), [
            (s.rule, self.name(s.subject), s.reason, str(silenced[(s.rule, s.subject)]))
            for s in self.design.suppressions], "No suppressions.")

    # ------------------------------------------------------------------ sizing
    def sizing(self) -> Iterator[Block]:
        d = self.design
        a = d.assumptions
        yield Heading(2, "Sizing assumptions")
        yield Table(("Assumption", "Value"), [
            ("Growth headroom", f"{a.growth:.0%}"),
            ("Compression saving", f"{a.compression_saving:.0%}"),
            ("WAN utilisation ceiling", f"{a.utilization_ceiling:.0%}")])
        yield Para("A VM needs, on each link that carries it, the sum over its replicated disks "
                   "of churn (MB/s) × 8 × (1 + growth) × (1 − compression saving, when the "
                   "replication compresses) Mbps. A WAN link carries every replication between "
                   "its two sites.")
        rows = []
        for wan in sorted(d.wan_links.values(), key=lambda w: (w.name.casefold(), w.id)):
            load = wan_load_mbps(self.reader, wan.id)
            share = f"{load / wan.bandwidth_mbps:.0%}" if wan.bandwidth_mbps else "no bandwidth"
            latency = f"{wan.latency_ms:g} ms" if wan.latency_ms is not None else "not given"
            rows.append((wan.name, " ↔ ".join(self.name(s) for s in wan.sites),
                         f"{wan.bandwidth_mbps:g} Mbps", latency, f"{load:.1f} Mbps", share))
        yield Heading(3, "WAN links")
        yield Table(("WAN link", "Sites", "Bandwidth", "Latency", "Replication load", "Utilisation"), rows,
                    "No WAN links.")


# ---------------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,'Segoe UI',sans-serif;margin:2em auto;max-width:80em;padding:0 1em;
color:#000;background:#fff;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #8A8A8A;margin-top:2em}
h3{font-size:1.1em}
table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.9em}
th,td{border:1px solid #8A8A8A;padding:0.2em 0.5em;text-align:left;vertical-align:top}
th{background:#F3F3F3}
td.error{color:#C42B1C;font-weight:bold}td.warning{color:#9D5D00;font-weight:bold}
td.info{color:#005FB8}td.over{color:#C42B1C;font-weight:bold}
.diagram{overflow:auto;border:1px solid #8A8A8A}
.diagram svg{display:block;max-width:100%;height:auto}
@media print{.diagram{overflow:visible}}
"""
#: the browser loads nothing from elsewhere, runs nothing, and allows only the inline styles
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _html_table(table: Table) -> Iterator[str]:
    if not table.rows:
        yield f"<p>{text(table.empty)}</p>"
        return
    yield "<table><thead><tr>" + "".join(f"<th>{text(h)}</th>" for h in table.headers) + "</tr></thead><tbody>"
    severity = table.headers[0] == "Severity"  # the severity cell carries its colour as a class
    demand = table.headers[1:2] == ("Memory demand / capacity",)  # and a demand over capacity
    for row in table.rows:
        cells = [f'<td class="{row[0]}">{text(row[0])}</td>' if severity and row[0] in SEVERITIES
                 else f"<td>{text(row[0])}</td>"] + [
            f'<td class="over">{text(c)}</td>' if demand and c.endswith(OVER)
            else f"<td>{text(c)}</td>" for c in row[1:]]
        yield "<tr>" + "".join(cells) + "</tr>"
    yield "</tbody></table>"


def to_html(outline: _Outline) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="hvdesigner {__version__}">',
           f"<title>{text(outline.title())}</title>", f"<style>{_CSS}</style>", "</head>", "<body>"]
    for block in outline.blocks(diagram=True):
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{text(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            out.append(f"<p>{text(block.text)}</p>")
        elif isinstance(block, Table):
            out.extend(_html_table(block))
        else:
            out.append(f'<div class="diagram">{block.svg}</div>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------- Markdown
def to_markdown(outline: _Outline) -> str:
    out: list[str] = []
    for block in outline.blocks(diagram=False):
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + md(block.text), ""]
        elif isinstance(block, Para):
            out += [md(block.text), ""]
        elif isinstance(block, Table):
            if not block.rows:
                out += [md(block.empty), ""]
                continue
            out.append("| " + " | ".join(md(h) for h in block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in block.rows]
            out.append("")
    if out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------- the formats
def _outline(design: Design, findings: Sequence[Finding], options: ExportOptions) -> _Outline:
    if options.selection:
        raise ExportRefused("the report covers the whole design; --selection is for diagrams "
                            "(export without it)")
    return _Outline(design, findings, options)


def render_html(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    return to_html(_outline(design, findings, options)).encode("utf-8")


def render_markdown(design: Design, findings: Sequence[Finding], options: ExportOptions) -> bytes:
    return to_markdown(_outline(design, findings, options)).encode("utf-8")
