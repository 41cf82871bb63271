"""Loading the keys format version 2 added: what is refused, with its path and why."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hvdesigner.fileformat import DesignFileError, dumps, loads
from tests.designs import rich_design


def _problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DesignFileError) as caught:
        loads(json.dumps(doc))
    return [str(p) for p in caught.value.problems]


def _site(**keys: Any) -> dict[str, Any]:
    doc = rich_design()
    doc["sites"][0].update(keys)
    return doc


def _vm(**keys: Any) -> dict[str, Any]:
    doc = rich_design()
    doc["vms"][-3].update(keys)  # sql1
    return doc


def test_the_rich_design_has_every_v2_key_and_saves_it_back() -> None:
    doc = rich_design()
    text = dumps(loads(json.dumps(doc)))
    for key in ("subnets", "cores", "memory_gb", "storage_gb", "switches", "vcpus",
                "recovery_group", "depends_on", "failover_ip", "test_switch", "vcpu_per_core"):
        assert f'"{key}"' in text
    assert dumps(loads(text)) == text


@pytest.mark.parametrize("subnets, problem", [
    (["10.0.0.0/33"], "/sites/0/subnets/0: '10.0.0.0/33' is not an IPv4 network in CIDR notation"),
    (["10.0.0.0"], "/sites/0/subnets/0: '10.0.0.0' is not an IPv4 network in CIDR notation"),
    (["10.0.0.1/16"], "/sites/0/subnets/0: '10.0.0.1/16' has host bits set: the network is '10.0.0.0/16'"),
    (["10.0.0.0/16", "10.0.0.0/16"], "/sites/0/subnets/1: a string ('10.0.0.0/16') is listed twice"),
])
def test_a_malformed_or_repeated_subnet_is_a_load_error(subnets: list[str], problem: str) -> None:
    (found,) = _problems(_site(subnets=subnets))
    assert found.startswith(problem)


@pytest.mark.parametrize("keys, problem", [
    ({"depends_on": ["sql1"]}, "/vms/1/depends_on: a VM cannot depend on itself"),
    ({"depends_on": ["nope"]}, "/vms/1/depends_on/0: there is no VM with id 'nope'"),
    ({"depends_on": ["hv1"]}, "/vms/1/depends_on/0: 'hv1' is a host, not a VM"),
    ({"depends_on": ["web1", "web1"]}, "/vms/1/depends_on/1: a string ('web1') is listed twice"),
    ({"recovery_group": 10}, "/vms/1/recovery_group: 10 is out of range: must be at most 9"),
    ({"recovery_group": 0}, "/vms/1/recovery_group: 0 is out of range: must be at least 1"),
    ({"vcpus": 0}, "/vms/1/vcpus: 0 is out of range: must be at least 1"),
    ({"memory_gb": 0}, "/vms/1/memory_gb: 0 is out of range: must be more than 0"),
    ({"failover_ip": {"address": "10.1.0.300", "prefix_length": 16}},
     "/vms/1/failover_ip/address: '10.1.0.300' is not an IPv4 address"),
    ({"failover_ip": {"address": "10.1.0.3", "prefix_length": 33}},
     "/vms/1/failover_ip/prefix_length: 33 is out of range: must be at most 32"),
    ({"failover_ip": {"prefix_length": 24}}, "/vms/1/failover_ip: missing required key 'address'"),
    ({"test_switch": ""}, "/vms/1/test_switch: must not be empty"),
])
def test_bad_vm_recovery_keys_are_load_errors(keys: dict[str, Any], problem: str) -> None:
    (found,) = _problems(_vm(**keys))
    assert found.startswith(problem), found


def test_the_vm_index_in_the_paths_is_sql1s() -> None:
    assert rich_design()["vms"][1]["id"] == "sql1"


def test_a_dependency_on_a_vm_deleted_with_it_goes_too() -> None:
    from hvdesigner.model.deletion import plan_deletion
    design = loads(json.dumps(rich_design()))
    plan = plan_deletion(design, ["sql1"])
    assert plan.replaced["web1"].depends_on == ()
