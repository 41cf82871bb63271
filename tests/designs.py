"""Small designs the tests build on, as design-file dicts.

``rich_design()`` has a bit of everything (two domains in one forest plus an untrusted one,
sites, a firewall, WAN links, standalone hosts, two clusters with nodes and brokers, VMs with
disks, primary and extended links) so that random edits reach every rule.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hvdesigner.fileformat import loads
from hvdesigner.model.design import Design

SPEC_EXAMPLE: dict[str, Any] = {
    "format": "hvdesigner",
    "version": 1,
    "title": "Two sites, one VM",
    "sites": [{"id": "hq", "name": "HQ"}, {"id": "dr", "name": "DR"}],
    "domains": [{"id": "corp", "name": "CORP", "fqdn": "corp.example.com"}],
    "wan_links": [{"id": "wan1", "name": "MPLS", "sites": ["hq", "dr"], "bandwidth_mbps": 200}],
    "hosts": [
        {"id": "hv1", "name": "HV1", "fqdn": "hv1.corp.example.com", "site": "hq", "domain": "corp",
         "certificates": [{"subjects": ["hv1.corp.example.com"], "issuer": "Corp CA",
                           "expires": "2099-01-01"}],
         "replica_server": {"auth": ["certificate"], "authorizations": [
             {"primary": "*.corp.example.com", "storage": "D:\\Replica", "trust_group": "corp"}]}},
        {"id": "hv2", "name": "HV2", "fqdn": "hv2.corp.example.com", "site": "dr", "domain": "corp",
         "certificates": [{"subjects": ["hv2.corp.example.com"], "issuer": "Corp CA",
                           "expires": "2099-01-01"}],
         "windows_firewall": {"https_listener": True},
         "replica_server": {"auth": ["certificate"], "authorizations": [
             {"primary": "*.corp.example.com", "storage": "D:\\Replica", "trust_group": "corp"}]}},
    ],
    "vms": [{"id": "app1", "name": "APP1", "placement": "hv1", "disks": [
        {"id": "app1-os", "name": "os.vhdx", "role": "os", "size_gb": 80, "churn_mb_s": 0.5},
        {"id": "app1-pf", "name": "pagefile.vhdx", "role": "pagefile", "size_gb": 16,
         "replicate": False}]}],
    "replications": [{"id": "r1", "source": "hv1", "target": "hv2", "vms": ["app1"],
                      "auth": "certificate", "recovery_points": 4, "vss_hours": 4}],
}


def _node(id: str, cluster: str, site: str, domain: str, os: str = "2022") -> dict[str, Any]:
    fqdn = f"{id}.{domain}.example.com"
    return {"id": id, "name": id.upper(), "fqdn": fqdn, "site": site, "domain": domain,
            "cluster": cluster, "os": os, "windows_firewall": {"https_listener": True},
            "certificates": [{"subjects": [fqdn, f"{cluster}-rb.{domain}.example.com"],
                              "issuer": "Corp CA", "expires": "2030-06-30"}]}


def _vm(id: str, placement: str, churn: float) -> dict[str, Any]:
    return {"id": id, "name": id.upper(), "placement": placement, "disks": [
        {"id": f"{id}-os", "name": "os.vhdx", "role": "os", "size_gb": 60, "churn_mb_s": churn},
        {"id": f"{id}-data", "name": "data.vhdx", "size_gb": 200, "churn_mb_s": churn * 2},
        {"id": f"{id}-pf", "name": "pagefile.vhdx", "role": "pagefile", "size_gb": 8,
         "replicate": False}]}


def rich_design() -> dict[str, Any]:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["version"] = 2
    doc["title"] = "Rich test design"
    doc["sites"] += [{"id": "cloud", "name": "Hoster", "kind": "cloud"}]
    doc["domains"] += [
        {"id": "emea", "name": "EMEA", "fqdn": "emea.corp.example.com", "forest": "corp.example.com"},
        {"id": "hoster", "name": "HOSTER", "fqdn": "hoster.example.net"},
    ]
    doc["wan_links"] += [{"id": "wan2", "name": "Internet VPN", "sites": ["dr", "cloud"],
                          "bandwidth_mbps": 50, "latency_ms": 30}]
    doc["firewalls"] = [{"id": "fw1", "name": "Edge", "protects": ["cloud"],
                         "allow_inbound_tcp": [443], "allow_outbound_tcp": [443]}]
    doc["clusters"] = [
        {"id": "cla", "name": "CLA", "fqdn": "cla.corp.example.com", "site": "hq", "domain": "corp",
         "broker": {"name": "CLA-RB", "fqdn": "cla-rb.corp.example.com", "ip": "10.0.0.50"},
         "replica_server": {"auth": ["certificate", "kerberos"], "authorizations": [
             {"primary": "*.corp.example.com", "storage": "C:\\ClusterStorage\\Volume1\\Replica"}]}},
        {"id": "clb", "name": "CLB", "fqdn": "clb.corp.example.com", "site": "dr", "domain": "corp",
         "broker": {"name": "CLB-RB", "fqdn": "clb-rb.corp.example.com"},
         "replica_server": {"auth": ["certificate"], "authorizations": [
             {"primary": "cla-rb.corp.example.com", "storage": "C:\\ClusterStorage\\Volume1\\R"}]}},
    ]
    doc["hosts"] += [
        _node("na1", "cla", "hq", "corp"), _node("na2", "cla", "hq", "corp", "2019"),
        _node("nb1", "clb", "dr", "corp"), _node("nb2", "clb", "dr", "corp"),
        {"id": "hc1", "name": "HC1", "fqdn": "hc1.hoster.example.net", "site": "cloud",
         "domain": "hoster", "os": "2025", "windows_firewall": {"custom_ports": [443, 8443]},
         "certificates": [{"subjects": ["*.hoster.example.net"], "self_signed": True}],
         "replica_server": {"auth": ["certificate"], "allow_any_primary": True,
                            "default_storage": "E:\\Replicas"}},
    ]
    doc["vms"] += [_vm("sql1", "cla", 1.5), _vm("web1", "cla", 0.4), _vm("old1", "na2", 0.2)]
    # format v2: sizes, start-up order and failover networking
    doc["sites"][0]["subnets"] = ["10.0.0.0/16", "192.168.10.0/24"]
    doc["hosts"][-1].update(cores=32, memory_gb=256, storage_gb=4000.5, switches=["LAN", "Test"])
    doc["clusters"][1]["storage_gb"] = 20000
    doc["vms"][-3].update(vcpus=8, memory_gb=32, recovery_group=1, test_switch="Test",
                          failover_ip={"address": "10.1.0.20", "prefix_length": 16,
                                       "gateway": "10.1.0.1", "dns": ["10.1.0.5", "10.1.0.4"]})
    doc["vms"][-2].update(vcpus=2, memory_gb=4.5, recovery_group=2, depends_on=["sql1"])
    doc["assumptions"] = {"vcpu_per_core": 6}
    doc["replications"] += [
        {"id": "r2", "name": "Tier 1", "source": "cla", "target": "clb", "vms": ["sql1", "web1"],
         "auth": "certificate", "frequency_s": 30},
        {"id": "r3", "name": "To hoster", "source": "clb", "target": "hc1", "vms": ["sql1"],
         "auth": "certificate", "frequency_s": 900},
    ]
    return doc


def load_dict(doc: dict[str, Any]) -> Design:
    return loads(json.dumps(doc))
