"""The deck's recovery slides (``pptx.py``): one per site loss, from its plan (``recovery.py``).

A slide says what is lost and what recovers where: on the left the VMs in start order with
their group, the server they come back on, what they depend on and their data-loss bound; on
the right the servers they recover to, each with its memory and vCPU demand against capacity
(red when over), then the VMs that don't come back. A slide stays legible with thousands of
VMs: each list is cut to what fits and says how many more there are (the report and the
runbook have them all).
"""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches

from hvdesigner.canvas.tokens import SEVERITY_LIGHT
from hvdesigner.exporters.pptx import (
    CARD,
    MARGIN,
    MID,
    SLIDE_H,
    SLIDE_W,
    TEXT,
    TITLE_H,
    Cell,
    _cell,
    _slide,
    _text,
    elided,
    rgb,
)
from hvdesigner.exporters.recovery import (
    OVER,
    SiteLoss,
    dependency_text,
    memory_text,
    site_losses,
    vcpu_text,
)
from hvdesigner.model.design import Design
from hvdesigner.recovery.words import data_loss_bound

#: The most VMs in a slide's start-order table, servers and unrecoverable VMs in its panel.
MOST_STEPS, MOST_SERVERS, MOST_MISSING = 14, 6, 6
#: Characters of a name in the panel (cut in the middle beyond; the table gives them whole).
NAME_ROOM = 24
HEADER = ("Start", "Group", "VM", "Recovers on", "Depends on", "Data loss")
WIDTHS = (0.7, 1.1, 1.9, 1.6, 2.1, 0.9)  # inches, 8.3 in all
RED = rgb(SEVERITY_LIGHT["error"])

Line = list[tuple[str, float, bool, RGBColor]]


def recovery_slides(deck: Deck, design: Design) -> None:
    for loss in site_losses(design):
        _loss_slide(deck, design, loss)


def _loss_slide(deck: Deck, design: Design, loss: SiteLoss) -> None:
    slide = _slide(deck, f"If {loss.site.name} is lost")
    top = MARGIN + TITLE_H
    over = len(loss.scenario.over_capacity)
    summary = slide.shapes.add_textbox(MARGIN, Emu(top), Emu(SLIDE_W - 2 * MARGIN), Inches(0.4))
    summary.name = "summary"
    summary.text_frame.word_wrap = True
    if not loss.groups and not loss.not_recoverable:
        _text(summary.text_frame, [[("No VM runs at this site: nothing to recover.", 16, False, MID)]])
        return
    _text(summary.text_frame, [[
        (f"{loss.recovering} VM{'s' * (loss.recovering != 1)} "
         f"recover{'s' * (loss.recovering == 1)}", 16, True, TEXT),
        (f" · {len(loss.not_recoverable)} lost or down", 16, False, MID),
        (f" · {over} server{'s' * (over != 1)} over capacity", 16, over > 0, RED if over else MID)]])
    top += Inches(0.5)
    steps = [(group.label, step) for group in loss.groups for step in group.steps]
    if steps:
        shown = steps[:MOST_STEPS]
        rows = [(Cell(str(step.position)), Cell(label), Cell(step.vm.name, bold=True),
                 Cell(design.get(step.runs_on).name),
                 Cell("; ".join(dependency_text(design, d) for d in step.depends_on) or "–"),
                 Cell(data_loss_bound(step.rpo_s))) for label, step in shown]
        if len(steps) > len(shown):
            rows.append((Cell(""), Cell(""), Cell(f"… and {len(steps) - len(shown)} more", MID),
                         Cell(""), Cell("(the report and the runbook list every VM)", MID), Cell("")))
        shape = slide.shapes.add_table(len(rows) + 1, len(HEADER), MARGIN, Emu(top),
                                       Inches(sum(WIDTHS)), Inches(0.3 * (len(rows) + 1)))
        shape.name = "start order"
        for c, inches in enumerate(WIDTHS):
            shape.table.columns[c].width = Inches(inches)
        for r, row in enumerate([tuple(Cell(h, CARD, True) for h in HEADER), *rows]):
            for tc, cell in zip(shape.table._tbl.tr_lst[r].tc_lst, row, strict=True):
                _cell(tc, cell, 11)
    panel_x = MARGIN + (Inches(sum(WIDTHS) + 0.3) if steps else 0)
    panel = slide.shapes.add_textbox(Emu(panel_x), Emu(top), Emu(SLIDE_W - MARGIN - panel_x),
                                     Emu(SLIDE_H - top - MARGIN))
    panel.name = "servers"
    panel.text_frame.word_wrap = True
    _text(panel.text_frame, _panel(design, loss))


def _panel(design: Design, loss: SiteLoss) -> list[Line]:
    lines: list[Line] = [[("Servers taking VMs on, or over capacity", 15, True, TEXT)]]
    # over capacity first: what the slide is there to show
    loads = sorted(loss.changed_loads, key=lambda load: not (load.over_memory or load.over_cores))
    for load in loads[:MOST_SERVERS]:
        lines.append([(elided(design.get(load.id).name, NAME_ROOM), 13, True, TEXT)])
        demand: Line = []
        for text in (memory_text(load), vcpu_text(load)):
            over = text.endswith(OVER)
            demand += [(" · " if demand else "   ", 12, False, MID),
                       (text.removesuffix(OVER) + (": over" if over else ""), 12, over,
                        RED if over else TEXT)]
        if load.unknown_vms:
            demand.append((f" · {load.unknown_vms} VM{'s' * (load.unknown_vms != 1)} of unknown "
                           "size", 12, False, MID))
        lines.append(demand)
    if not loads:
        lines.append([("None.", 12, False, MID)])
    elif len(loads) > MOST_SERVERS:
        lines.append([(f"… and {len(loads) - MOST_SERVERS} more", 12, False, MID)])
    if loss.not_recoverable:
        lines += [[("", 8, False, TEXT)], [("Not recoverable", 15, True, TEXT)]]
        for vm, status in loss.not_recoverable[:MOST_MISSING]:
            lines.append([(elided(vm.name, NAME_ROOM), 12, True, TEXT),
                          (f"  {status}", 12, False, MID)])
        if len(loss.not_recoverable) > MOST_MISSING:
            lines.append([(f"… and {len(loss.not_recoverable) - MOST_MISSING} more", 12, False, MID)])
    return lines
