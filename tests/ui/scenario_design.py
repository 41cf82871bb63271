"""A small design with sizes for the scenario view's tests (format v2 keys): HQ replicates to
DR, one VM only inside HQ, one not replicated; DR runs VMs of its own, one of unknown size."""

from __future__ import annotations

from typing import Any


def _host(id: str, site: str, memory_gb: float, cores: int) -> dict[str, Any]:
    return {"id": id, "name": id.upper(), "fqdn": f"{id}.corp.example.com", "site": site,
            "domain": "corp", "memory_gb": memory_gb, "cores": cores,
            "replica_server": {"auth": ["kerberos"], "authorizations": [
                {"primary": "*.corp.example.com", "storage": "D:\\Replica"}]}}


def _vm(id: str, placement: str, memory_gb: float | None = None, vcpus: int | None = None,
        **more: Any) -> dict[str, Any]:
    vm = {"id": id, "name": id.upper(), "placement": placement, "disks": [
        {"id": f"{id}-os", "name": "os.vhdx", "role": "os", "size_gb": 60, "churn_mb_s": 0.2}],
        **more}
    if memory_gb is not None:
        vm["memory_gb"] = memory_gb
    if vcpus is not None:
        vm["vcpus"] = vcpus
    return vm


def scenario_design() -> dict[str, Any]:
    return {
        "format": "hvdesigner", "version": 2, "title": "Recovery planning",
        "sites": [{"id": "hq", "name": "HQ"}, {"id": "dr", "name": "DR"},
                  {"id": "br", "name": "Branch", "kind": "branch"}],
        "domains": [{"id": "corp", "name": "CORP", "fqdn": "corp.example.com"}],
        "wan_links": [{"id": "wan1", "name": "MPLS", "sites": ["hq", "dr"], "bandwidth_mbps": 500}],
        "hosts": [_host("hv1", "hq", 256, 64), _host("hv4", "hq", 128, 32),
                  _host("hv2", "dr", 64, 24), _host("hv3", "br", 32, 8)],
        "vms": [
            _vm("db1", "hv1", 16, 4, recovery_group=1),
            _vm("app1", "hv1", 32, 8, recovery_group=2, depends_on=["db1"]),
            _vm("web1", "hv1", 8, 2, recovery_group=2, depends_on=["app1"]),
            _vm("mail1", "hv1", 4, 2),
            _vm("arch1", "hv1", 8, 2),
            _vm("file1", "hv1", 4, 1),
            _vm("local1", "hv2", 24, 4),
            _vm("unk1", "hv2"),
        ],
        "replications": [
            {"id": "r1", "name": "HQ to DR", "source": "hv1", "target": "hv2",
             "vms": ["db1", "app1", "web1", "mail1"], "frequency_s": 300},
            {"id": "r2", "name": "Archive", "source": "hv1", "target": "hv4", "vms": ["arch1"],
             "frequency_s": 900},
        ],
    }
