"""Fixtures of the exporter tests: the PowerShell grammar, built once per machine."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest


@pytest.fixture(scope="session")
def ps_parser(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.exporters import psgrammar

    if psgrammar.compiler() is None:
        pytest.skip("no C compiler (cc) to build the tree-sitter PowerShell grammar with; "
                    "CI machines have one")
    store = getattr(request.config, "cache", None)  # (None with -p no:cacheprovider)
    cache = (store.mkdir("tree-sitter-powershell") if store is not None
             else tmp_path_factory.mktemp("tree-sitter-powershell"))
    try:
        library = psgrammar.build(cache)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        # (no registry to fetch the grammar from: say so loudly rather than fail the build)
        pytest.skip(f"could not fetch or build tree-sitter-powershell: {e}")
    return psgrammar.parser(library)


def _host(id: str, site: str, **v2: Any) -> dict[str, Any]:
    fqdn = f"{id}.corp.example.com"
    return {"id": id, "name": id.upper(), "fqdn": fqdn, "site": site, "domain": "corp",
            "windows_firewall": {"http_listener": True},
            "replica_server": {"authorizations": [{"primary": "*.corp.example.com",
                                                   "storage": "D:\\Replica"}]}, **v2}


def _vm(id: str, **v2: Any) -> dict[str, Any]:
    return {"id": id, "name": id.upper(), "placement": "hq1", "static_ip": True, "disks": [
        {"id": f"{id}-os", "name": "os.vhdx", "role": "os", "size_gb": 60, "churn_mb_s": 0.2}],
        **v2}


def recovery_design() -> dict[str, Any]:
    """A format v2 design for recovery planning, worked out by hand. Losing HQ:

    - group 1: DC1, then SQL1 (it depends on DC1); group 2: APP1 (on SQL1); no group: WEB1
      (on APP1 and on DRAPP, which runs at DR), all on DR1 through "Tier 1" (30 s, so 60 s
      of data loss); EXT1 on C1 through its extended link (2 × (300 + 900) s = 40 min);
    - LOST1 is lost (its only replica is at HQ), DOWN1 is down (not replicated);
    - DR1 then runs 4 + 32 + 16 + 4 + 16 = 72 GB on 48 GB and 20 vCPUs on 8 cores at 2 vCPUs
      per core (16): over on both.
    """
    return {
        "format": "hvdesigner", "version": 2, "title": "Recovery test design",
        "assumptions": {"vcpu_per_core": 2},
        "sites": [{"id": "hq", "name": "HQ"}, {"id": "dr", "name": "DR"},
                  {"id": "cloud", "name": "Cloud", "kind": "cloud"}],
        "domains": [{"id": "corp", "name": "CORP", "fqdn": "corp.example.com"}],
        "wan_links": [{"id": "w1", "name": "MPLS", "sites": ["hq", "dr"], "bandwidth_mbps": 1000},
                      {"id": "w2", "name": "VPN", "sites": ["hq", "cloud"], "bandwidth_mbps": 1000}],
        "hosts": [_host("hq1", "hq", memory_gb=256, cores=64),
                  _host("hq2", "hq", memory_gb=256, cores=64),
                  _host("dr1", "dr", memory_gb=48, cores=8, switches=["LAN", "Isolated"]),
                  _host("c1", "cloud", memory_gb=128, cores=32)],
        "vms": [
            _vm("dc1", vcpus=2, memory_gb=4, recovery_group=1,
                failover_ip={"address": "10.2.0.10", "prefix_length": 24,
                             "dns": ["10.2.0.11", "10.2.0.12"]}),
            _vm("sql1", vcpus=8, memory_gb=32, recovery_group=1, depends_on=["dc1"],
                failover_ip={"address": "10.2.1.20", "prefix_length": 23, "gateway": "10.2.0.1",
                             "dns": ["10.2.0.10"]}, test_switch="Isolated"),
            _vm("app1", vcpus=4, memory_gb=16, recovery_group=2, depends_on=["sql1"],
                test_switch="Isolated"),
            _vm("web1", vcpus=2, memory_gb=4, depends_on=["app1", "drapp"]),
            {**_vm("drapp", vcpus=4, memory_gb=16), "placement": "dr1"},
            _vm("ext1", vcpus=1, memory_gb=2, recovery_group=3),
            _vm("lost1", vcpus=1, memory_gb=2, recovery_group=1),
            _vm("down1", vcpus=1, memory_gb=2),
        ],
        "replications": [
            {"id": "r1", "name": "Tier 1", "source": "hq1", "target": "dr1", "frequency_s": 30,
             "vms": ["dc1", "sql1", "app1", "web1"]},
            {"id": "r2", "name": "In HQ", "source": "hq1", "target": "hq2",
             "vms": ["ext1", "lost1"]},
            {"id": "r3", "name": "To the cloud", "source": "hq2", "target": "c1",
             "frequency_s": 900, "vms": ["ext1"]},
        ],
    }


def many_vms_design(count: int) -> dict[str, Any]:
    """``count`` VMs at HQ recovering to DR1 (for slides that must cap their rows)."""
    doc = recovery_design()
    doc["vms"] = [_vm(f"vm{i:03}", vcpus=1, memory_gb=1, recovery_group=1 + i % 3)
                  for i in range(count)]
    doc["replications"] = [{"id": "r1", "source": "hq1", "target": "dr1",
                            "vms": [v["id"] for v in doc["vms"]]}]
    return doc
