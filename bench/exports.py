"""Exports benchmark: time and size of every deliverable of ``hvdesigner export``.

Generates designs with :mod:`bench.generate` (250, 1,000 and 5,000 hosts by default), checks
each once, then renders every format of ``exporters/formats.py`` in a fresh process per format
and size (so a format's first-use costs, Qt's start among them, count as a user meets them),
timing the render alone (``time.perf_counter`` around ``render``) and the whole process.
Targets (issue 9): every export under 5 s, SVG and PDF under 2 s, on the 1,000-host design.
PNG is rendered at ``--png-scale`` (0.5 by default: a 1,000-host picture at 1:1 is over the
64-megapixel cap).

Prints ONE JSON object on stdout (progress on stderr).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/exports.py [--hosts 250,1000,5000]
                                                                [--formats png,svg,...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate_design
from hvdesigner.exporters.formats import FORMATS

TARGET_S = {"svg": 2.0, "pdf": 2.0}
DEFAULT_TARGET_S = 5.0

# Run in a child process: load, check, render one format, write; print what it took.
_CHILD = """
import json, sys, time
from hvdesigner.exporters.formats import ExportOptions, renderer
from hvdesigner.fileformat import load
from hvdesigner.rules.engine import Checker
path, fmt, out, scale = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
design = load(path)
findings = Checker(design).check_all()
render = renderer(fmt)
t = time.perf_counter()
data = render(design, findings, ExportOptions(scale=scale, force=True, source=path))
took = time.perf_counter() - t
open(out, "wb").write(data)
print(json.dumps({"render_s": round(took, 3), "bytes": len(data)}))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(design_path: str, fmt: str, folder: str, png_scale: float) -> dict[str, Any]:
    out = os.path.join(folder, f"out.{fmt}")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _CHILD, design_path, fmt, out, str(png_scale)],
                            capture_output=True, text=True, env=env, timeout=900)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"], "process_s": round(wall, 2)}
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    target = TARGET_S.get(fmt, DEFAULT_TARGET_S)
    return {**figures, "process_s": round(wall, 2), "target_s": target,
            "met": figures["render_s"] < target}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hvdesigner export benchmark (JSON on stdout)")
    parser.add_argument("--hosts", default="250,1000,5000", help="comma-separated design sizes")
    parser.add_argument("--formats", default=",".join(sorted(FORMATS)), help="comma-separated")
    parser.add_argument("--png-scale", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hvd-exports-") as folder:
        for hosts in (int(h) for h in args.hosts.split(",")):
            path = os.path.join(folder, f"design-{hosts}.hvd")
            Path(path).write_text(json.dumps(generate_design(args.seed, hosts=hosts)))
            results[str(hosts)] = {}
            for fmt in args.formats.split(","):
                log(f"{hosts} hosts: {fmt}")
                results[str(hosts)][fmt] = measure(path, fmt, folder, args.png_scale)
    print(json.dumps({"bench": "exports", "png_scale": args.png_scale, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
