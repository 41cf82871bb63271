"""The design file, format version 2, as tables: every key, its kind, its default.

This is ``shared/spec/design-format.md`` in code. The loader, the writer and the JSON Schema
in ``resources/schema/`` are all derived from these tables. Ranges the format leaves open are
decided here (see the comments); values whose legality is a rule's business (frequency,
recovery points, VSS interval) load as plain integers so that the design opens and shows the
finding.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from operator import attrgetter
from typing import Any

from hvdesigner.fileformat.kinds import (
    INVALID,
    Any_,
    Bool,
    Date,
    Enum,
    Field,
    Kind,
    ListOf,
    Nullable,
    Number,
    Obj,
    Str,
)
from hvdesigner.fileformat.problems import Problems
from hvdesigner.fileformat.quickcode import Code
from hvdesigner.model.entities import (
    VM,
    Assumptions,
    Authorization,
    Broker,
    Certificate,
    Cluster,
    Disk,
    Domain,
    FailoverIp,
    Firewall,
    Host,
    ReplicaServer,
    Replication,
    Site,
    Suppression,
    WanLink,
    WindowsFirewall,
)
from hvdesigner.model.integrity import ID_PATTERN, WAN_SITES_DIFFER
from hvdesigner.rules.catalog import RULES

FORMAT = "hvdesigner"
#: The version this program writes; older files are migrated on load (``migrations.py``).
VERSION = 2

BY_ID = attrgetter("id")


def _same(value: Any) -> Any:
    return value


_ID_HINT = "is not a valid id: use 1-64 letters, digits, '_', '.' or '-'"
ID = Str(ID_PATTERN.pattern, _ID_HINT)
# A disk's id: nothing else in a design repeats it (but a rare suppression), so keeping one
# object for each value would only cost: 100,000 of them at 5,000 hosts, a sixth of the time
# to load the VMs.
DISK_ID = Str(ID_PATTERN.pattern, _ID_HINT, share=False)
IDS = ListOf(ID, unique=True, sort_by=_same)
NAME = Str(non_empty=True)
# A TCP port; the format gives no range, and outside 1-65535 no listener can exist.
PORT = Number(integer=True, minimum=1, maximum=65535)
PORTS = ListOf(PORT, unique=True, sort_by=_same)
# Sizes, churn and latency can't be negative; a WAN link of 0 Mbps carries nothing.
AMOUNT = Number(minimum=0)
OS = Enum("2012", "2012r2", "2016", "2019", "2022", "2025")
# [0-9], not \d: Python's \d also takes other scripts' digits, the schema's (ECMA-262) doesn't.
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = Str(rf"(?:{_OCTET}\.){{3}}{_OCTET}", "is not an IPv4 address such as 10.0.0.15")


class Network(Str):
    """An IPv4 network in CIDR notation (``10.20.0.0/16``): no host bits set after the prefix,
    since a site's subnet is a network, and ``10.20.0.1/16`` is a typo for one."""

    def __init__(self) -> None:
        super().__init__(rf"(?:{_OCTET}\.){{3}}{_OCTET}/(?:3[0-2]|[12]?[0-9])",
                         "is not an IPv4 network in CIDR notation such as 10.20.0.0/16")

    def load(self, value: Any, path: str, problems: Problems) -> Any:
        loaded = super().load(value, path, problems)
        if loaded is not INVALID and (network := _network_of(loaded)) != loaded:
            problems.add(path, f"{loaded!r} has host bits set: the network is {network!r}")
            return INVALID
        return loaded

    def quick_code(self, v: str, code: Code) -> list[str]:
        return [*super().quick_code(v, code),
                f"if {code.name(_network_of)}({v}) != {v}:", "    raise Unusual"]


def _network_of(text: str) -> str:
    return str(ipaddress.IPv4Network(text, strict=False))


# Sizes of servers and VMs (format v2); null is "unknown", which capacity rules skip.
CORES = Nullable(Number(integer=True, minimum=1))
MEMORY = Nullable(Number(exclusive_minimum=0))
STORAGE = Nullable(AMOUNT)
# A host's virtual switches, in the order the user gave them.
SWITCHES = ListOf(NAME, unique=True)

SITE = Obj("Site", Site, [
    Field("id", ID), Field("name", NAME),
    Field("kind", Enum("datacenter", "branch", "cloud"), "datacenter"),
    Field("subnets", ListOf(Network(), unique=True), ()),
])
DOMAIN = Obj("Domain", Domain, [
    Field("id", ID), Field("name", NAME), Field("fqdn", NAME),
    Field("forest", NAME, None),
    Field("trusts", IDS, ()),
])
FIREWALL = Obj("Firewall", Firewall, [
    Field("id", ID), Field("name", NAME),
    Field("protects", IDS, ()),
    Field("allow_inbound_tcp", PORTS, ()),
    Field("allow_outbound_tcp", Nullable(PORTS), None),
])
WAN_LINK = Obj("WanLink", WanLink, [
    Field("id", ID), Field("name", NAME),
    Field("sites", ListOf(ID, min_items=2, max_items=2, unique=WAN_SITES_DIFFER)),
    Field("bandwidth_mbps", Number(exclusive_minimum=0)),
    Field("latency_ms", Nullable(AMOUNT), None),
])
WINDOWS_FIREWALL = Obj("WindowsFirewall", WindowsFirewall, [
    Field("http_listener", Bool(), False),
    Field("https_listener", Bool(), False),
    Field("custom_ports", PORTS, ()),
])
CERTIFICATE = Obj("Certificate", Certificate, [
    Field("subjects", ListOf(NAME, min_items=1)),
    Field("issuer", Str(), ""),
    Field("self_signed", Bool(), False),
    Field("expires", Nullable(Date()), None),
    Field("client_auth", Bool(), True),
    Field("server_auth", Bool(), True),
])
AUTHORIZATION = Obj("Authorization", Authorization, [
    Field("primary", NAME), Field("storage", NAME), Field("trust_group", NAME, "DEFAULT"),
])
REPLICA_SERVER = Obj("ReplicaServer", ReplicaServer, [
    # An enabled Replica server accepts at least one authentication type.
    Field("auth", ListOf(Enum("kerberos", "certificate"), unique=True, sort_by=_same,
                         min_items=1), ("kerberos",)),
    Field("kerberos_port", PORT, 80),
    Field("certificate_port", PORT, 443),
    Field("allow_any_primary", Bool(), False),
    Field("default_storage", Nullable(Str()), None),
    Field("authorizations", ListOf(AUTHORIZATION), ()),
])
BROKER = Obj("Broker", Broker, [
    Field("name", NAME), Field("fqdn", NAME), Field("ip", Nullable(IPV4), None),
])
HOST = Obj("Host", Host, [
    Field("id", ID), Field("name", NAME), Field("fqdn", NAME),
    Field("os", OS, "2022"),
    Field("site", ID),
    Field("domain", Nullable(ID), None),
    Field("cluster", Nullable(ID), None),
    Field("replica_server", Nullable(REPLICA_SERVER), None),
    Field("windows_firewall", WINDOWS_FIREWALL, WindowsFirewall()),
    Field("certificates", ListOf(CERTIFICATE), ()),
    Field("cores", CORES, None),
    Field("memory_gb", MEMORY, None),
    Field("storage_gb", STORAGE, None),
    Field("switches", SWITCHES, ()),
], schema_rules={
    # A node takes its Replica settings from its cluster: its own must be null. The loader
    # refuses anything else in model/integrity.py, beside the node's site and domain, which
    # must be its cluster's (that, a schema can't say).
    "if": {"required": ["cluster"], "properties": {"cluster": {"type": "string"}}},
    "then": {"properties": {"replica_server": {"type": "null"}}},
})
CLUSTER = Obj("Cluster", Cluster, [
    Field("id", ID), Field("name", NAME), Field("fqdn", NAME), Field("site", ID),
    Field("domain", Nullable(ID), None),
    Field("broker", Nullable(BROKER), None),
    Field("replica_server", Nullable(REPLICA_SERVER), None),
    Field("storage_gb", STORAGE, None),
])
DISK = Obj("Disk", Disk, [
    Field("id", DISK_ID), Field("name", NAME),
    Field("type", Enum("vhdx", "vhd", "passthrough", "shared_vhdx", "vhd_set"), "vhdx"),
    Field("role", Enum("os", "data", "log", "pagefile", "temp"), "data"),
    Field("size_gb", AMOUNT),
    Field("used_gb", AMOUNT, None),
    Field("churn_mb_s", AMOUNT, 0),
    Field("replicate", Bool(), True),
])
FAILOVER_IP = Obj("FailoverIp", FailoverIp, [
    Field("address", IPV4),
    Field("prefix_length", Number(integer=True, minimum=0, maximum=32)),
    Field("gateway", Nullable(IPV4), None),
    Field("dns", ListOf(IPV4), ()),  # (not sorted: DNS servers are tried in order)
])
VM_ = Obj("VM", VM, [
    Field("id", ID), Field("name", NAME), Field("placement", ID),
    Field("generation", Enum(1, 2), 2),
    Field("config_version", Nullable(NAME), None),
    Field("static_ip", Bool(), False),
    Field("integration_services", Bool(), True),
    Field("disks", ListOf(DISK, sort_by=BY_ID), ()),
    Field("vcpus", CORES, None),
    Field("memory_gb", MEMORY, None),
    Field("recovery_group", Nullable(Number(integer=True, minimum=1, maximum=9)), None),
    Field("depends_on", IDS, ()),
    Field("failover_ip", Nullable(FAILOVER_IP), None),
    Field("test_switch", Nullable(NAME), None),
])
REPLICATION = Obj("Replication", Replication, [
    Field("id", ID), Field("name", Str(), ""),
    Field("source", ID), Field("target", ID),
    Field("vms", IDS, ()),
    Field("auth", Enum("kerberos", "certificate"), "kerberos"),
    Field("port", PORT, None),
    Field("frequency_s", Number(integer=True), 300),
    Field("recovery_points", Number(integer=True), 0),
    Field("vss_hours", Nullable(Number(integer=True)), None),
    Field("compression", Bool(), True),
    Field("initial", Enum("network", "scheduled", "media", "backup"), "network"),
])


class RuleId(Kind):
    """A rule id of the catalog (``shared/domain/rules.md``); a near miss gets a suggestion."""

    expected = "a rule id such as 'TOP-01'"

    def load(self, value: Any, path: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, path, problems)
        if value in RULES:
            return value
        padded = re.sub(r"-([0-9])$", r"-0\1", value.upper())  # TOP-1 -> TOP-01
        close = [padded] if padded in RULES else difflib.get_close_matches(value, RULES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.add(path, f"unknown rule id {value!r}{hint}")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"enum": list(RULES)}


SUPPRESSION = Obj("Suppression", Suppression, [
    Field("rule", RuleId()), Field("subject", ID), Field("reason", NAME),
])
ASSUMPTIONS = Obj("Assumptions", Assumptions, [
    Field("growth", AMOUNT, 0.3),
    Field("compression_saving", Number(minimum=0, exclusive_maximum=1), 0.0),
    Field("utilization_ceiling", Number(exclusive_minimum=0, maximum=1), 0.8),
    Field("vcpu_per_core", Number(exclusive_minimum=0), 8),
])


class Layout(Any_):
    """The canvas-owned ``layout`` object: any JSON object the writer can write back."""

    expected = "an object"

    def load(self, value: Any, path: str, problems: Any) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(value, path, problems)
        return super().load(value, path, problems)

    def schema(self) -> dict[str, Any]:
        return {"type": "object"}


#: Entity collections, in file order, with the kind of their items.
COLLECTIONS: dict[str, Obj] = {
    "sites": SITE, "domains": DOMAIN, "firewalls": FIREWALL, "wan_links": WAN_LINK,
    "hosts": HOST, "clusters": CLUSTER, "vms": VM_, "replications": REPLICATION,
}

DESIGN = Obj("Design", dict, [
    Field("format", Enum(FORMAT)),
    Field("version", Number(integer=True, minimum=1)),
    Field("title", Str(), ""),
    Field("notes", Str(), ""),
    Field("assumptions", ASSUMPTIONS, Assumptions()),
    *(Field(key, ListOf(kind, sort_by=BY_ID), ()) for key, kind in COLLECTIONS.items()),
    Field("suppressions", ListOf(SUPPRESSION), ()),
    Field("layout", Layout(), None),
], describe_as="a JSON object (a design)")

#: Every object kind, for the schema's ``$defs``.
OBJECTS: list[Obj] = [
    SITE, DOMAIN, FIREWALL, WAN_LINK, WINDOWS_FIREWALL, CERTIFICATE, AUTHORIZATION,
    REPLICA_SERVER, BROKER, HOST, CLUSTER, DISK, FAILOVER_IP, VM_, REPLICATION, SUPPRESSION,
    ASSUMPTIONS,
]
