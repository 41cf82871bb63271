"""Shared builders for the rule tests.

Every rule test reads as "baseline + one change": :func:`baseline` is the design format's own
example (``shared/spec/design-format.md``: sites HQ and DR, domain CORP, a WAN link, hosts HV1
and HV2 with certificates, VM APP1, replication r1 with certificate authentication), which has
no error and no warning. Small builders add hosts, clusters (with broker and nodes), VMs and
replications that are clean on their own, and the ``assert_*`` helpers run the checker on a
fixed date and compare exact outcomes. Entities get display names that differ from their ids
(``hv1`` is ``HV1``), so a message that names an entity by id instead of by name is caught.

Tests import the builders from here (``from tests.rules.conftest import ...``): they are plain
functions that build plain dicts in the file format, not fixtures.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from hvdesigner.fileformat import loads
from hvdesigner.rules.catalog import RULES
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import Checker
from tests.designs import SPEC_EXAMPLE

#: The check date of every test: certificates in the builders expire long after it.
AS_OF = dt.date(2026, 1, 1)
SUFFIX = "corp.example.com"
#: A Cluster Shared Volume path: shared storage every node of a cluster reaches.
CSV = "C:\\ClusterStorage\\Volume1\\Replica"
LOCAL = "D:\\Replica"

_COLLECTIONS = ("sites", "domains", "firewalls", "wan_links", "hosts", "clusters", "vms",
                "replications")


# ---------------------------------------------------------------- builders
def baseline() -> dict[str, Any]:
    """A fresh copy of the format's example as a version 2 file (so that a change may use the
    v2 keys) with two touches, clean (no error, no warning): HV1, the primary, listens for HTTPS too, so failback can reach it
    (FBK-03), and APP1 names a test switch (NET-05, advice)."""
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["version"] = 2
    find(doc, "hv1")["windows_firewall"] = {"https_listener": True}
    find(doc, "app1")["test_switch"] = "Test"
    return doc


def find(doc: dict[str, Any], id: str) -> dict[str, Any]:
    """The entity (or disk) with this id, to change it in place."""
    for key in _COLLECTIONS:
        for entity in doc.get(key, []):
            if entity["id"] == id:
                return entity  # type: ignore[no-any-return]
            for disk in entity.get("disks", []) if key == "vms" else []:
                if disk["id"] == id:
                    return disk  # type: ignore[no-any-return]
    raise KeyError(id)


def fqdn(id: str) -> str:
    return f"{id}.{SUFFIX}"


def cert(*subjects: str, **fields: Any) -> dict[str, Any]:
    """A usable CA-issued certificate for these names."""
    return {"subjects": list(subjects), "issuer": "Corp CA", "expires": "2099-01-01", **fields}


def authorization(primary: str = f"*.{SUFFIX}", storage: str = LOCAL) -> dict[str, Any]:
    return {"primary": primary, "storage": storage, "trust_group": "corp"}


def replica_server(*authorizations: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Replica settings accepting certificate auth from ``*.corp.example.com`` (or the given
    authorization entries)."""
    entries = list(authorizations) or [authorization()]
    return {"auth": ["certificate"], "authorizations": entries, **fields}


def failover_ip(address: str = "10.2.0.10", prefix_length: int = 24,
                **fields: Any) -> dict[str, Any]:
    """A VM's failover TCP/IP settings (format v2), by default an address in 10.2.0.0/24."""
    return {"address": address, "prefix_length": prefix_length, **fields}


def add_site(doc: dict[str, Any], id: str, name: str | None = None) -> dict[str, Any]:
    site = {"id": id, "name": name or id.upper()}
    doc.setdefault("sites", []).append(site)
    return site


def add_host(doc: dict[str, Any], id: str, site: str = "dr", **fields: Any) -> dict[str, Any]:
    """A clean standalone host: certificate for its FQDN, HTTPS listener open, Replica server
    accepting certificate auth from the domain."""
    host = {
        "id": id, "name": id.upper(), "fqdn": fqdn(id), "site": site, "domain": "corp",
        "certificates": [cert(fqdn(id))],
        "windows_firewall": {"https_listener": True},
        "replica_server": replica_server(),
        **fields,
    }
    doc["hosts"].append(host)
    return host


def broker_of(id: str) -> dict[str, Any]:
    return {"name": f"{id.upper()}-BRK", "fqdn": fqdn(f"{id}-brk")}


def add_cluster(doc: dict[str, Any], id: str, site: str = "dr", *, nodes: int | list[str] = 2,
                broker: bool = True, domain: str | None = "corp", **fields: Any) -> dict[str, Any]:
    """A clean cluster ``id`` (name ``ID``) with broker ``ID-BRK`` (FQDN ``id-brk.corp...``),
    Replica settings storing on a CSV, and node hosts ``idn1``, ``idn2``... (``nodes`` is a
    count, or one OS per node). Each node has one certificate for its FQDN and the broker's
    and the HTTPS listener open."""
    cluster: dict[str, Any] = {
        "id": id, "name": id.upper(), "fqdn": fqdn(id), "site": site, "domain": domain,
        "broker": broker_of(id) if broker else None,
        "replica_server": replica_server(authorization(storage=CSV)),
        **fields,
    }
    doc.setdefault("clusters", []).append(cluster)
    versions = ["2022"] * nodes if isinstance(nodes, int) else nodes
    for i, os in enumerate(versions, start=1):
        node_id = f"{id}n{i}"
        names = [fqdn(node_id)] + ([cluster["broker"]["fqdn"]] if cluster["broker"] else [])
        doc["hosts"].append({
            "id": node_id, "name": node_id.upper(), "fqdn": fqdn(node_id), "os": os,
            "site": site, "domain": domain, "cluster": id,
            "certificates": [cert(*names)],
            "windows_firewall": {"https_listener": True},
        })
    return cluster


def add_vm(doc: dict[str, Any], id: str, placement: str, **fields: Any) -> dict[str, Any]:
    """A VM with one replicated VHDX OS disk (``id-os``, named ``id-os.vhdx``)."""
    vm = {
        "id": id, "name": id.upper(), "placement": placement,
        "disks": [{"id": f"{id}-os", "name": f"{id}-os.vhdx", "role": "os", "size_gb": 60,
                   "churn_mb_s": 0.1}],
        **fields,
    }
    doc["vms"].append(vm)
    return vm


def add_replication(doc: dict[str, Any], id: str, source: str, target: str,
                    vms: Iterable[str] = ("app1",), **fields: Any) -> dict[str, Any]:
    """A certificate-authenticated replication with default settings."""
    rep = {"id": id, "source": source, "target": target, "vms": list(vms),
           "auth": "certificate", **fields}
    doc["replications"].append(rep)
    return rep


def three_tier(doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """Baseline plus host HV3 (site DR) and the extended link r2 HV2 → HV3 listing APP1."""
    doc = doc if doc is not None else baseline()
    add_host(doc, "hv3", "dr")
    add_replication(doc, "r2", "hv2", "hv3")
    return doc


def cluster_target() -> dict[str, Any]:
    """Baseline with r1 going to cluster C1 (site DR, nodes C1N1 and C1N2) instead of HV2."""
    doc = baseline()
    add_cluster(doc, "c1", "dr")
    find(doc, "r1")["target"] = "c1"
    return doc


def cluster_source() -> dict[str, Any]:
    """Baseline with APP1 running on cluster C1 (site HQ) and r1 going from C1 to HV2."""
    doc = baseline()
    add_cluster(doc, "c1", "hq")
    find(doc, "app1")["placement"] = "c1"
    find(doc, "r1")["source"] = "c1"
    return doc


def kerberos(doc: dict[str, Any], rep: str = "r1") -> dict[str, Any]:
    """Switch a replication to Kerberos, with its target accepting both and listening on 80,
    and its source too where it is a Replica server (for failback)."""
    find(doc, rep)["auth"] = "kerberos"
    for end in ("target", "source"):
        server = find(doc, find(doc, rep)[end])
        if server.get("replica_server"):
            server["replica_server"]["auth"] = ["kerberos", "certificate"]
            server.setdefault("windows_firewall", {})["http_listener"] = True
    return doc


# ---------------------------------------------------------------- checking
def check(doc: dict[str, Any], as_of: dt.date = AS_OF) -> list[Finding]:
    """Every finding of a design (loaded through the file format, as the CLI does)."""
    return Checker(loads(json.dumps(doc)), as_of=as_of).check_all()


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def outcome(doc: dict[str, Any], rule: str,
            as_of: dt.date = AS_OF) -> list[tuple[str, tuple[str, ...]]]:
    """(severity, subjects) of every finding of one rule, in the checker's order."""
    return [(f.severity, f.subjects) for f in of(check(doc, as_of), rule)]


def problems(findings: list[Finding]) -> list[tuple[str, tuple[str, ...]]]:
    """(rule, subjects) of every error and warning."""
    return [(f.rule, f.subjects) for f in findings if f.severity != "info"]


def assert_one(doc: dict[str, Any], rule: str, severity: str, subjects: tuple[str, ...],
               *names: str, as_of: dt.date = AS_OF, fix: str | None = None) -> Finding:
    """The rule gives exactly this one finding, whose message names ``names``."""
    found = of(check(doc, as_of), rule)
    assert [(f.severity, f.subjects) for f in found] == [(severity, subjects)], found
    return assert_finding(found[0], rule, *names, fix=fix)


def assert_finding(f: Finding, rule: str, *names: str, fix: str | None = None) -> Finding:
    """A finding of ``rule`` with the catalog's fix (or ``fix``), unsuppressed, naming
    ``names``."""
    assert f.rule == rule
    assert f.fix == (fix or RULES[rule].fix)
    assert (f.suppressed, f.reason) == (False, None)
    for name in names:
        assert name in f.message, (name, f.message)
    return f


def assert_silent(doc: dict[str, Any], *rules: str, as_of: dt.date = AS_OF) -> list[Finding]:
    findings = check(doc, as_of)
    for rule in rules:
        assert of(findings, rule) == [], of(findings, rule)
    return findings


#: What a design whose replica is in the VM's own site gives besides (catalog v2): APP1 has no
#: copy outside site HQ.
SAME_SITE_COPY = ("RCV-06", ("app1", "hq"))


def assert_clean(doc: dict[str, Any], *expected: tuple[str, tuple[str, ...]],
                 as_of: dt.date = AS_OF) -> list[Finding]:
    """No error and no warning but the ``expected`` (rule, subjects), if any (info findings
    are allowed)."""
    findings = check(doc, as_of)
    assert problems(findings) == list(expected), findings
    return findings
