"""The command line: ``hvdesigner [DESIGN] [--screenshot OUT.png]`` opens the designer;
``hvdesigner validate FILE...`` checks designs; ``hvdesigner export DESIGN --to FORMAT -o OUT``
makes a deliverable; ``hvdesigner capacity DESIGN`` sizes it (:mod:`hvdesigner.exporters.capacity`);
``hvdesigner simulate DESIGN [--lose SITE]...`` loses sites on paper
(:mod:`hvdesigner.exporters.simulate`);
``hvdesigner --version``.

``validate`` checks design files the way a CI pipeline wants: findings as text, JSON or SARIF
on stdout; exit 0 when no unsuppressed finding reaches ``--fail-on``, 1 when one does, 2 when a
file can't be read or isn't a valid design (the reasons on stderr, never a traceback).
Everything printed goes through :mod:`hvdesigner.exporters.terminal`: a name in a design never
reaches a terminal or a CI log as a control sequence.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from hvdesigner import __version__
from hvdesigner.exporters.findings import CheckedFile, dumps, to_json, to_sarif
from hvdesigner.exporters.formats import FORMATS, ExportOptions, ExportRefused, renderer
from hvdesigner.exporters.terminal import printable, write_lines, write_whole
from hvdesigner.fileformat.loader import DesignFileError, loads, read_design_bytes
from hvdesigner.fileformat.writer import DesignSaveError, write_atomic
from hvdesigner.model.gc_pause import gc_paused
from hvdesigner.rules.catalog import SEVERITIES
from hvdesigner.rules.engine import Checker

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_UNWRITTEN = 0, 1, 2, 3
_FAIL_LEVELS = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages can quote an argument (a file name from a glob, say)."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # (argparse's one way out; its own line breaks are kept)
        super()._print_message(printable(message, keep_newlines=True), file)


def _validate_parser() -> argparse.ArgumentParser:
    validate = _Parser(
        prog="hvdesigner validate",
        description="Check design files against the Hyper-V Replica rule catalog.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="design files (.hvd)")
    validate.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                          help="output format (default: text)")
    validate.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                          help="lowest severity that makes the exit code 1 (default: error)")
    validate.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                          help="date certificates must be valid on (default: today)")
    return validate


def _export_parser() -> argparse.ArgumentParser:
    export = _Parser(prog="hvdesigner export",
                     description="Turn a design into a deliverable: " + "; ".join(
                         f"{name}: {what}" for name, (_, _, what) in FORMATS.items()) + ".")
    export.add_argument("design", metavar="DESIGN", help="a design file (.hvd)")
    export.add_argument("--to", required=True, choices=sorted(FORMATS), help="the format")
    export.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    export.add_argument("--theme", choices=("print", "light", "dark"), default="print",
                        help="colours of a diagram (default: print)")
    export.add_argument("--scale", type=float, default=1.0, help="PNG pixels per canvas pixel")
    export.add_argument("--selection", default="", metavar="ID,...",
                        help="only these sites, servers or links (default: the whole design)")
    export.add_argument("--no-findings", action="store_true", help="leave findings out")
    export.add_argument("--force", action="store_true",
                        help="export even when the design has error findings")
    export.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="date certificates must be valid on (default: today)")
    return export


def run_export(args: argparse.Namespace, err: TextIO) -> int:
    """Load, check, render and write atomically; exit 2 with the reason when any step can't."""
    try:
        data = read_design_bytes(args.design)
        design = loads(data, args.design)
    except DesignFileError as e:
        write_lines(err, e.report_lines())
        return EXIT_INVALID
    if not 0.1 <= args.scale <= 16:
        write_lines(err, ["hvdesigner export: --scale must be between 0.1 and 16"])
        return EXIT_INVALID
    selection = tuple(i for i in args.selection.split(",") if i)
    unknown = [i for i in selection if i not in design]
    if unknown:
        write_lines(err, [f"hvdesigner export: --selection names what the design doesn't have: "
                          f"{', '.join(unknown)}"])
        return EXIT_INVALID
    findings = Checker(design, args.as_of or dt.date.today()).check_all(processes=_processes())
    options = ExportOptions(args.theme, args.scale, selection, not args.no_findings, args.force,
                            os.path.basename(args.design))
    try:
        content = renderer(args.to)(design, findings, options)
        write_atomic(os.path.abspath(args.output), content)
    except ExportRefused as e:  # (a reason, then perhaps what it lists, a line each)
        first, *rest = str(e).splitlines() or [""]
        write_lines(err, [f"hvdesigner export: {first}", *(f"  {line}" for line in rest)])
        return EXIT_INVALID
    except DesignSaveError as e:  # a missing folder, a read-only file, a full disk
        write_lines(err, [f"hvdesigner export: {e}".replace("the file on disk was not changed",
                                                            "nothing was written")])
        return EXIT_INVALID
    return EXIT_OK


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1600x1000") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise argparse.ArgumentTypeError("width and height must be 200 to 10000 pixels")
    return width, height


def _designer_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hvdesigner",
        description="Design and check Hyper-V Replica disaster-recovery topologies. "
        "`hvdesigner validate FILE...` checks designs from the command line; "
        "`hvdesigner capacity DESIGN` sizes one; "
        "`hvdesigner simulate DESIGN [--lose SITE]` loses sites on paper.",
    )
    parser.add_argument("--version", action="version", version=f"hvdesigner {__version__}")
    parser.add_argument("design", nargs="?", metavar="DESIGN", help="a design file to open")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the designer on DESIGN to a PNG and exit (works without a display)")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="colour theme (default: follow the system)")
    parser.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH",
                        help="window size for --screenshot (default: 1600x1000)")
    return parser


def _processes() -> int:
    """How many processes a one-shot check may share a large design's units between: the
    processors this process may run on (the command line has no threads to lose in a fork),
    at most four: measured on two, where a 5,000-host check takes 0.75 s instead of 1.3 s,
    and the units of a generated design that large make about ten parts of a useful size."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return min(4, len(usable) if usable is not None else os.cpu_count() or 1)


def _check_file(path: str, as_of: dt.date, with_text: bool) -> CheckedFile:
    """Load and check a file; ``with_text`` keeps its text too (SARIF points at its lines)."""
    data = read_design_bytes(path)
    design = loads(data, path)
    findings = Checker(design, as_of).check_all(processes=_processes())
    return CheckedFile(path, design, findings, data.decode("utf-8-sig") if with_text else "")


_FIX = f"{'':18}fix: "  # (how a finding's second line starts)


def _text_lines(checked: CheckedFile) -> Iterator[str]:
    counts = checked.summary()
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
                        for s in SEVERITIES)
    yield f"{checked.path}: {summary}"
    for f in checked.findings:
        head = f"  {f.severity:<7} {f.rule:<7} {f.message}"
        yield f"{head}  (suppressed: {f.reason})" if f.suppressed else head
        yield _FIX + f.fix


def _exit_code(outcomes: list[CheckedFile | DesignFileError], fail_on: str) -> int:
    if any(isinstance(o, DesignFileError) for o in outcomes):
        return EXIT_INVALID
    failing = _FAIL_LEVELS[fail_on]
    if any(f.severity in failing and not f.suppressed
           for o in outcomes if isinstance(o, CheckedFile) for f in o.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_files(args: argparse.Namespace, err: TextIO) -> list[CheckedFile | DesignFileError]:
    """Each file checked, or why it could not be (said on ``err`` at once)."""
    as_of = args.as_of or dt.date.today()
    outcomes: list[CheckedFile | DesignFileError] = []
    for path in args.files:
        try:
            outcomes.append(_check_file(path, as_of, with_text=args.format == "sarif"))
        except DesignFileError as e:
            outcomes.append(e)
            write_lines(err, e.report_lines())
    return outcomes


def _report(args: argparse.Namespace, outcomes: list[CheckedFile | DesignFileError],
            out: TextIO) -> int:
    """Print the report of ``validate``; its exit code."""
    code = _exit_code(outcomes, args.fail_on)
    checked = [o for o in outcomes if isinstance(o, CheckedFile)]
    if args.format == "text":
        for c in checked:
            write_lines(out, _text_lines(c))
    elif args.format == "json":
        reports = [to_json(c) for c in checked]
        write_whole(out, dumps(reports[0] if len(args.files) == 1 and reports else reports) + "\n")
    else:
        write_whole(out, dumps(to_sarif(outcomes, code)) + "\n")
    return code


def _never_fail_to_encode(*streams: TextIO) -> None:
    """Where stdout is not UTF-8 (a redirected Windows console), write what the encoding
    lacks as a backslash escape instead of stopping with UnicodeEncodeError."""
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _end_process(code: int) -> NoReturn:
    """End this process with ``code`` once everything printed is written, without the
    interpreter's teardown: freeing the million objects of a large design one by one, only to
    exit, took 0.05 s of a 1.5 s validate at 5,000 hosts (so the caller still holds the design,
    which would otherwise be freed as the function that made it returns). Nothing else is left
    to do by then: the command line registers no exit handlers, and every forked child was
    waited for. The report was flushed already, its failure said (``EXIT_UNWRITTEN``): what
    cannot be flushed now is what could not be written then, or a message with nowhere to go."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (by default this process's own arguments); its exit code.
    Run as the program (no ``argv``), ``validate`` ends the process itself once its report
    is written (:func:`_end_process`); a caller that passes ``argv`` gets the code back."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    _never_fail_to_encode(sys.stdout, sys.stderr)
    if args_list[:1] == ["export"]:
        return run_export(_export_parser().parse_args(args_list[1:]), sys.stderr)
    if args_list[:1] == ["capacity"]:
        from hvdesigner.exporters.capacity import run_capacity

        return run_capacity(args_list[1:], sys.stdout, sys.stderr)
    if args_list[:1] == ["simulate"]:
        from hvdesigner.exporters.simulate import run_simulate

        return run_simulate(args_list[1:], sys.stdout, sys.stderr)
    if args_list[:1] == ["validate"]:
        args = _validate_parser().parse_args(args_list[1:])
        try:
            # A run that builds a design, its findings and a report, then exits, leaves no
            # cycles worth collecting; the collector's passes over it cost a SARIF report of
            # a scale-2 design ~0.9 s (checking pauses it, the rest of the run need not run it).
            with gc_paused():
                outcomes = _check_files(args, sys.stderr)
                try:
                    code = _report(args, outcomes, sys.stdout)
                    sys.stdout.flush()
                except BrokenPipeError:
                    raise
                except OSError as e:  # (a full disk: say so, rather than a traceback)
                    write_lines(sys.stderr, [f"hvdesigner validate: the report could not be "
                                             f"written whole: {e}"])
                    code = EXIT_UNWRITTEN
                # (the designs, still held here, die with the process, before the collector,
                # back on, would first look at every object made while it was paused)
                return code if argv is not None else _end_process(code)
        except BrokenPipeError:  # `hvdesigner validate ... | head`
            sys.stderr.close()
            return EXIT_OK
    args = _designer_parser().parse_args(args_list)
    from hvdesigner.app import has_display, run_designer  # Qt only when the designer runs

    if args.screenshot is None and not has_display():
        # Instead of failing, show what the designer would have shown.
        stem = os.path.splitext(os.path.basename(args.design or "untitled"))[0]
        picture = f"hvdesigner-{stem}.png"
        write_lines(sys.stderr, [
            "hvdesigner: there is no display to open the designer on (no DISPLAY or "
            "WAYLAND_DISPLAY). Run it on a desktop, or in a virtual display with "
            "`xvfb-run -a hvdesigner ...`. Rendering the designer to "
            f"{picture} instead (hvdesigner DESIGN --screenshot OUT.png does this on purpose)."])
        args.screenshot = picture
    return run_designer(args.design, args.screenshot, args.theme, args.size)


if __name__ == "__main__":
    sys.exit(main())
