"""The recovery plan's phrases every deliverable shares (``exporters/recovery.py``)."""

from __future__ import annotations

from hvdesigner.exporters.recovery import OVER, vcpu_text
from hvdesigner.recovery.scenarios import Load, Size


def _load(vcpus: int, cores: int | None, per_core: float = 8) -> Load:
    return Load("dr1", 0.0, vcpus, 0, Size(48, cores), (), vcpu_per_core=per_core)


def test_vcpus_read_against_the_cores_times_vcpus_per_core_over_only_as_rcv_03_says() -> None:
    # more vCPUs than cores is normal: over only past cores × vcpu_per_core
    assert vcpu_text(_load(20, 8)) == "20 / 64 vCPU (8 cores, 8 per core)"
    assert vcpu_text(_load(64, 8)) == "20 / 64 vCPU (8 cores, 8 per core)".replace("20", "64")
    assert vcpu_text(_load(65, 8)) == "65 / 64 vCPU (8 cores, 8 per core)" + OVER
    assert vcpu_text(_load(3, 1, 1.5)) == "3 / 1.5 vCPU (1 core, 1.5 per core)" + OVER
    assert vcpu_text(_load(3, None)) == "3 vCPU (cores unknown)"
