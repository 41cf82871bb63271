"""Files the writer could not write back are refused at load, as `hvdesigner validate` shows.

A lone surrogate, a number beyond a double, a whole number beyond 2^53 − 1, nesting deeper
than the limit, a key given twice: each used to load and then break Save (or, for a name,
make `validate` print a traceback and cut its report off). Now each is a load error: exit 2,
the JSON path and the reason on stderr, and a report on stdout that is whole.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hvdesigner.fileformat import DesignFileError, loads
from hvdesigner.fileformat.limits import MAX_DEPTH
from tests.designs import SPEC_EXAMPLE

GOOD = Path(__file__).parents[2] / "resources" / "examples" / "two-sites-certificates.hvd"
HUGE = 1.2345e300  # stands for 1e999 in the text: Python can't write an overflowing number


def text_of(change: Any) -> str:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    change(doc)
    return json.dumps(doc).replace("1.2345e+300", "1e999")


def nested(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {}
    for _ in range(depth - 1):
        inner = {"a": inner}
    return inner


#: (file name, its text, the problem validate must name)
CASES = [
    ("surrogate-name.hvd", text_of(lambda d: d["vms"][0].update(name="APP1\ud800")),
     "/vms/0/name: 'APP1\\ud800' contains a lone surrogate '\\ud800'"),
    ("surrogate-in-a-pair-order.hvd", text_of(lambda d: d.update(title="\udc00\ud800")),
     "/title: '\\udc00\\ud800' contains a lone surrogate"),
    ("surrogate-layout-key.hvd", text_of(lambda d: d.update(layout={"servers": {"hv\udfff": [0, 0]}})),
     "/layout/servers/hv\\udfff: the key 'hv\\udfff' contains a lone surrogate"),
    ("surrogate-layout-value.hvd", text_of(lambda d: d.update(layout={"legend": ["\ud83d"]})),
     "/layout/legend/0: '\\ud83d' contains a lone surrogate"),
    ("overflow-size.hvd", text_of(lambda d: d["vms"][0]["disks"][0].update(size_gb=HUGE)),
     "/vms/0/disks/0/size_gb: a number beyond what a double holds"),
    ("overflow-layout.hvd", text_of(lambda d: d.update(layout={"zoom": -HUGE})),
     "/layout/zoom: a number beyond what a double holds"),
    ("huge-integer.hvd", text_of(lambda d: d["replications"][0].update(frequency_s=2**53)),
     "/replications/0/frequency_s: 9007199254740992 is too large a whole number"),
    ("huge-whole-decimal.hvd", text_of(lambda d: d["replications"][0].update(recovery_points=1e300)),
     "/replications/0/recovery_points: 1000000000…(301 digits) is too large a whole number"),
    ("deep-layout.hvd", text_of(lambda d: d.update(layout=nested(500))),
     "/layout" + "/a" * (MAX_DEPTH - 1) + f": nested more than {MAX_DEPTH} levels deep"),
    ("repeated-layout-key.hvd",
     text_of(lambda d: d.update(layout={"zoom": 1})).replace('"zoom": 1', '"zoom": 1, "zoom": 2'),
     "/layout/zoom: the key 'zoom' appears more than once"),
]


@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_validate_refuses_what_could_not_be_saved(tmp_path: Path, output: str) -> None:
    paths = []
    for name, text, _ in CASES:
        (tmp_path / name).write_text(text, encoding="ascii")  # json.dumps escapes everything
        paths.append(str(tmp_path / name))
    result = subprocess.run(
        [sys.executable, "-m", "hvdesigner", "validate", str(GOOD), *paths, "--format", output],
        capture_output=True, encoding="utf-8", cwd=Path(__file__).parents[2])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for (_, _, problem), path in zip(CASES, paths, strict=True):
        assert f"{path}: cannot open this design (1 problem)\n  {problem}" in result.stderr
    if output == "text":
        assert result.stdout.startswith(f"{GOOD}: 0 errors, 0 warnings")
    else:  # a whole document, reporting the one file that opened
        report = json.loads(result.stdout)
        files = ([r["file"] for r in report] if output == "json" else
                 [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  for r in report["runs"][0]["results"]])
        assert files and {Path(f).name for f in files} == {GOOD.name}


def test_the_deepest_nesting_allowed_loads_and_one_more_level_does_not() -> None:
    """The document is the first level and ``layout`` the second."""
    def with_layout(depth: int) -> str:
        return text_of(lambda d: d.update(layout=nested(depth - 1)))

    assert loads(with_layout(MAX_DEPTH)).layout is not None
    with pytest.raises(DesignFileError, match=f"nested more than {MAX_DEPTH} levels"):
        loads(with_layout(MAX_DEPTH + 1))


def test_a_whole_surrogate_pair_is_just_text() -> None:
    design = loads(text_of(lambda d: d["vms"][0].update(name="APP1 \U0001f600")))
    assert design.vms["app1"].name == "APP1 \U0001f600"


@pytest.mark.parametrize("value, loaded", [(-0.0, 0.0), (0.0, 0.0), (2**53 - 1, 2**53 - 1),
                                           (-(2**53 - 1), -(2**53 - 1)), (1.5e308, 1.5e308)])
def test_numbers_at_the_edges(value: float, loaded: float) -> None:
    """-0.0 loads as 0 where the format wants a number (no field shows "-0"); the largest
    whole number and the largest doubles load as they are."""
    design = loads(text_of(lambda d: d.update(layout={"x": value}) or
                           d["vms"][0]["disks"][0].update(churn_mb_s=abs(value))))
    assert design.layout == {"x": value}
    churn = design.vms["app1"].disks[0].churn_mb_s
    assert churn == abs(loaded) and str(churn) == str(abs(loaded))
    size = loads(text_of(lambda d: d["vms"][0]["disks"][0].update(used_gb=-0.0)))
    assert str(size.vms["app1"].disks[0].used_gb) == "0.0"


def test_a_design_built_in_memory_with_such_a_value_fails_to_save_clearly(tmp_path: Path) -> None:
    """The loader and the inspector keep these out; a design built some other way still gets a
    save error that names the value (never a UnicodeEncodeError, never ``Infinity`` on disk)."""
    from hvdesigner.fileformat import DesignSaveError, save
    from hvdesigner.model.entities import Site

    path = tmp_path / "design.hvd"
    path.write_text("old")
    design = loads(json.dumps(SPEC_EXAMPLE))
    design.add(Site("zz", "Site \ud800"))
    with pytest.raises(DesignSaveError, match=r"/sites/2/name: 'Site \\ud800' contains a lone"):
        save(design, path)
    design = loads(json.dumps(SPEC_EXAMPLE))
    design.set("layout", {"zoom": float("inf")})
    with pytest.raises(DesignSaveError, match="/layout/zoom: a number beyond what a double holds"):
        save(design, path)
    assert path.read_text() == "old"
