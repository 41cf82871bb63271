"""A scenario kept up with edits (``recovery/live.py``) equals one worked out anew."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvdesigner.model.design import ModelError
from hvdesigner.recovery import live as live_module
from hvdesigner.recovery.live import LiveScenario
from hvdesigner.recovery.scenarios import Scenario, scenario
from tests.test_live_checking import apply_edit, edits, sized_design


def same(kept: Scenario, anew: Scenario) -> None:
    assert kept.lost == anew.lost
    assert dict(kept.outcomes) == dict(anew.outcomes)
    assert dict(kept.loads) == dict(anew.loads)
    assert kept.start_order == anew.start_order
    assert dict(kept.start_positions) == dict(anew.start_positions)
    assert dict(kept.hit) == dict(anew.hit)
    assert kept.over_capacity == anew.over_capacity


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits, st.sampled_from([("hq",), ("dr",), ("cloud",), ("hq", "dr")]))
def test_a_scenario_kept_up_with_edits_equals_one_worked_out_anew(
        sequence: list[Any], lost: tuple[str, ...]) -> None:
    design = sized_design()
    kept = LiveScenario(design, lost)
    design.subscribe(kept.apply)
    for op, id, value in sequence:
        try:
            apply_edit(design, op, id, value)
        except ModelError:
            pass
        same(kept.scenario, scenario(design, lost))


def test_a_size_edit_works_out_only_what_it_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    design = sized_design()
    kept = LiveScenario(design, ["hq"])
    design.subscribe(kept.apply)
    before = kept.scenario
    was = design.vms["sql1"].memory_gb

    def whole(*_: Any) -> None:
        raise AssertionError("the whole scenario was worked out again")

    monkeypatch.setattr(live_module, "scenario", whole)
    design.update("sql1", memory_gb=200)
    after = kept.scenario
    assert after is not before
    (changed,) = [s for s in after.loads if after.loads[s] != before.loads.get(s)]
    assert after.loads[changed].memory_demand_gb == before.loads[changed].memory_demand_gb + 200 - was
    assert "sql1" in after.loads[changed].running
    design.update("clb", name="CLB2")  # a cluster's name: its load, the same figures
    design.update("dr", name="Disaster recovery")  # a site's name: nothing to work out
    monkeypatch.undo()
    same(kept.scenario, scenario(design, ["hq"]))


def test_a_server_moved_to_another_site_works_the_scenario_out_again() -> None:
    design = sized_design()
    kept = LiveScenario(design, ["dr"])
    design.subscribe(kept.apply)
    design.update("hc1", site="dr")
    assert "hc1" not in kept.scenario.loads
    same(kept.scenario, scenario(design, ["dr"]))
