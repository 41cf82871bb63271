"""The deliverables a design becomes, by format: one table the command line and the designer's
Export dialog share.

Each format is a function ``render(design, findings, options) -> bytes`` in its own module,
imported only when asked for (the images need Qt; the command line loads nothing it doesn't
use). Writing the bytes is the caller's job, atomically, like a design save.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hvdesigner.editing.vocabulary import plural
from hvdesigner.exporters.terminal import printable
from hvdesigner.model.design import Design
from hvdesigner.rules.check import Finding


@dataclass(frozen=True)
class ExportOptions:
    """What every format may take into account (a format ignores what it has no use for)."""

    theme: str = "print"  # print | light | dark (diagrams)
    scale: float = 1.0  # PNG pixels per canvas pixel
    selection: tuple[str, ...] = ()  # ids; empty: the whole design
    findings: bool = True  # badges and finding lists
    force: bool = False  # export even with error findings (the PowerShell script)
    source: str = ""  # the design's file name, for title blocks
    extra: dict[str, str] = field(default_factory=dict)


class ExportRefused(Exception):
    """A deliverable that can't be made as asked; the message says why and what to do."""


class BlockedByErrors(ExportRefused):
    """A script refused for the design's error findings (a script of a design with errors
    would not work), which the ``force`` option makes anyway, the steps they block commented
    out. The message tells the command line's ``--force``; :meth:`said` words it for another
    way of giving the option (the designer's box)."""

    def __init__(self, errors: Sequence[Finding]) -> None:
        self.errors = list(errors)
        super().__init__(self.said("export with --force"))

    def said(self, force: str) -> str:
        """The message, ``force`` saying how to export anyway."""
        # (a line each; a name's own line break is shown escaped, so it can't start a line)
        listed = "".join(f"\n{f.rule}  {printable(f.message)}" for f in self.errors)
        return (f"the design has {plural(len(self.errors), 'error finding')}, so its script "
                f"would not work; fix them, or {force} to get the script with the steps they "
                f"block commented out:{listed}")


Render = Callable[[Design, Sequence[Finding], ExportOptions], bytes]

#: format -> (module, function, what it is)
FORMATS: dict[str, tuple[str, str, str]] = {
    "drawio": ("hvdesigner.exporters.drawio", "render", "an editable diagrams.net diagram"),
    "html": ("hvdesigner.exporters.report", "render_html", "design report, one self-contained HTML file"),
    "md": ("hvdesigner.exporters.report", "render_markdown", "design report in Markdown"),
    "ps1": ("hvdesigner.exporters.powershell", "render", "PowerShell deployment script (and the failover after a site loss)"),
    "runbook": ("hvdesigner.exporters.runbook", "render", "failover runbook (Markdown): recovery plan per site loss, per-VM failover steps"),
    "pptx": ("hvdesigner.exporters.pptx", "render", "PowerPoint deck: editable topology, replication matrix, recovery per site loss, findings"),
    "png": ("hvdesigner.canvas.export", "render_png", "the diagram as a PNG image"),
    "svg": ("hvdesigner.canvas.export", "render_svg", "the diagram as SVG (vectors, text)"),
    "pdf": ("hvdesigner.canvas.export", "render_pdf", "the diagram as PDF, a page per site"),
}


def renderer(format: str) -> Render:
    module, function, _ = FORMATS[format]
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]
