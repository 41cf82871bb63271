"""The recovery-planning keys of format v2 for a generated design (:mod:`bench.generate`).

Added after the rest of the estate is drawn, with a random generator of its own (so the v1
part of a seed's design is drawn as before, and its findings stay as they were: the failback
set-up below changes v1 keys only where no v1 rule reads them):

- VMs: vCPUs and memory (a few unknown), a recovery group by role (domain controllers first,
  then databases and file servers, mail, line-of-business, application and web tiers, some
  none), dependencies on VMs of the tiers below in the same site (acyclic; a couple of cycles
  and a few dependencies on a later group, so RCV-05/07 fire), a failover IP in the recovery
  site's network for most static-address VMs (a few outside it: NET-02), a test switch.
- Sites: a /16 each. Servers: two virtual switches.
- Hosts: memory and cores sized to the load they run plus the worst single site's VMs that
  recover onto them, with headroom, in the sizes servers are bought in; a few are sized to the
  normal load only, or below it, so RCV-01/03 fire on a few servers, as in a real estate. A
  cluster's nodes are sized for N+1, most of them. Replica storage (``storage_gb``) from the
  format's formula, with headroom, a few too small (RCV-04).
- Failback: most primaries that are Replica servers take replication back from their replica
  side, as a deployment that made them Replica servers for failback sets them up (our own
  PowerShell export opens the listener rules and authorizes on both sides): they accept their
  outgoing links' auth on the links' port, their machines' Windows Firewall opens that port,
  and the replica side is authorized. A few are left as drawn (FBK-01/02/03); network
  firewalls are left as drawn (FBK-04). A setting a v1 rule reads is never changed: the auth
  and port of links coming in, the authorization of their primaries, a port a machine
  receives on (FW-01) stay as the v1 part drew them, so FBK-01/03 also fire where a server
  receives that auth on another port or a machine receives on that port with it closed.
"""

from __future__ import annotations

import ipaddress
import math
import random
from collections import defaultdict
from typing import Any

from hvdesigner.model.derived import authorization_matches
from hvdesigner.model.entities import DEFAULT_PORTS

#: Recovery group by the role in a generated VM's name (its prefix).
GROUPS = {"DC": 1, "SQL": 2, "FS": 2, "EXCH": 3, "SAP": 4, "ERP": 4, "CRM": 4, "APP": 5,
          "RDS": 6, "WEB": 6}
#: The roles each role depends on (a web tier on an application tier and a database...).
NEEDS = {"WEB": ("APP", "SQL"), "APP": ("SQL", "DC"), "RDS": ("FS", "DC"), "SAP": ("SQL",),
         "ERP": ("SQL",), "CRM": ("SQL", "FS"), "EXCH": ("DC",), "SQL": ("DC",), "FS": ("DC",)}
MEMORY_SIZES = (64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048)
CORE_COUNTS = (8, 12, 16, 24, 32, 48, 64, 96, 128)
VCPU_PER_CORE = 8
SWITCHES = ["LAN", "Replica-Test"]
#: Share of primaries that are Replica servers left not ready for failback.
NOT_READY = 0.04


def _round_up(value: float, sizes: tuple[int, ...]) -> int:
    return next((s for s in sizes if s >= value), sizes[-1] * math.ceil(value / sizes[-1]))


class _Planner:
    def __init__(self, doc: dict[str, Any], seed: int) -> None:
        self.doc = doc
        self.rng = random.Random(seed * 104729 + 12)
        self.hosts = {h["id"]: h for h in doc["hosts"]}
        self.clusters = {c["id"]: c for c in doc["clusters"]}
        self.nodes: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for h in doc["hosts"]:
            if h.get("cluster"):
                self.nodes[h["cluster"]].append(h)
        self.vms = {v["id"]: v for v in doc["vms"]}

    def home(self, server_id: str) -> str:
        host = self.hosts.get(server_id)
        return host["cluster"] if host is not None and host.get("cluster") else server_id

    def site(self, server_id: str) -> str:
        return str((self.hosts.get(server_id) or self.clusters[server_id])["site"])

    # ---------------------------------------------------------------- VMs
    def size_vms(self) -> None:
        rng = self.rng
        for vm in self.doc["vms"]:
            if rng.random() < 0.04:
                continue  # not inventoried yet: unknown size
            vcpus = rng.choices((1, 2, 4, 8, 16), weights=(8, 30, 35, 20, 7))[0]
            vm["vcpus"] = vcpus
            vm["memory_gb"] = vcpus * rng.choice((2, 4, 4, 8))

    def order_vms(self, replicated: set[str]) -> None:
        """Groups by role (a top tier may have none), dependencies on the tiers below in the
        same site, nearly always on VMs that are replicated too."""
        rng = self.rng
        needed = {role for roles in NEEDS.values() for role in roles}
        by_site_role: defaultdict[tuple[str, bool, str], list[str]] = defaultdict(list)
        for vm in self.doc["vms"]:  # (file order: a VM depends only on earlier ones, acyclic)
            role = vm["name"].split("-")[0]
            site = self.site(self.home(vm["placement"]))
            if role in needed or rng.random() < 0.8:
                vm["recovery_group"] = GROUPS[role]
                if rng.random() < 0.01:
                    vm["recovery_group"] = rng.randint(1, 3)  # a tier that starts too early
            protected = vm["id"] in replicated and rng.random() < 0.97
            deps = [rng.choice(pool) for need in NEEDS.get(role, ())
                    if (pool := by_site_role.get((site, protected, need))) and rng.random() < 0.6]
            if deps:
                vm["depends_on"] = sorted(set(deps))
            by_site_role[(site, vm["id"] in replicated, role)].append(vm["id"])
        with_deps = [vm for vm in self.doc["vms"] if vm.get("depends_on")]
        for vm in rng.sample(with_deps, min(2, len(with_deps))):  # two cycles (RCV-05)
            dep = self.vms[vm["depends_on"][0]]
            dep["depends_on"] = sorted({*dep.get("depends_on", ()), vm["id"]})

    def primary_targets(self) -> dict[str, str]:
        """Each replicated VM's primary link's target (its first)."""
        target: dict[str, str] = {}
        for rep in self.doc["replications"]:
            for vm_id in rep.get("vms", ()):
                if self.home(self.vms[vm_id]["placement"]) == self.home(rep["source"]):
                    target.setdefault(vm_id, rep["target"])
        return target

    def network(self, target: dict[str, str]) -> None:
        rng = self.rng
        base = int(ipaddress.IPv4Address("10.0.0.0"))
        nets = {}
        for i, site in enumerate(self.doc["sites"]):
            net = ipaddress.IPv4Network((base + i * 65536, 16))
            site["subnets"] = [str(net)]
            nets[site["id"]] = net
        for host in self.hosts.values():  # (a cluster's are the names every node has)
            host["switches"] = list(SWITCHES)
        for vm_id, server in target.items():
            vm = self.vms[vm_id]
            if vm.get("static_ip") and rng.random() < 0.75:
                net = nets[self.site(server)]
                if rng.random() < 0.02:  # an address of the wrong site (NET-02)
                    net = nets[rng.choice(list(nets))]
                host = rng.randrange(256, 65000)
                vm["failover_ip"] = {
                    "address": str(net.network_address + host), "prefix_length": 16,
                    "gateway": str(net.network_address + 1),
                    "dns": [str(net.network_address + 10), str(net.network_address + 11)]}
            roll = rng.random()
            if roll < 0.8:
                vm["test_switch"] = "Replica-Test"
            elif roll < 0.83:
                vm["test_switch"] = "Test"  # not on the replica server (NET-04)

    # ---------------------------------------------------------------- servers
    def size_servers(self) -> None:
        rng = self.rng
        memory: defaultdict[str, float] = defaultdict(float)
        vcpus: defaultdict[str, float] = defaultdict(float)
        for vm in self.doc["vms"]:
            home = self.home(vm["placement"])
            memory[home] += vm.get("memory_gb", 0)
            vcpus[home] += vm.get("vcpus", 0)
        # the worst single site's VMs that recover onto each server (through primary links)
        arriving: defaultdict[str, defaultdict[str, list[float]]] = defaultdict(
            lambda: defaultdict(lambda: [0.0, 0.0]))
        storage: defaultdict[str, float] = defaultdict(float)
        for rep in self.doc["replications"]:
            target = self.home(rep["target"])
            points = rep.get("recovery_points", 0)
            on_2012 = self.os_of(target) == "2012"
            for vm_id in rep.get("vms", ()):
                vm = self.vms[vm_id]
                storage[target] += _replica_gb(vm, points, on_2012)
                home = self.home(vm["placement"])
                if home == self.home(rep["source"]) and self.site(home) != self.site(target):
                    load = arriving[target][self.site(home)]
                    load[0] += vm.get("memory_gb", 0)
                    load[1] += vm.get("vcpus", 0)
        servers = [h["id"] for h in self.hosts.values() if not h.get("cluster")]
        servers += [c for c in self.clusters if self.nodes[c]]
        for sid in servers:
            worst = max(arriving[sid].values(), default=[0.0, 0.0], key=lambda m: m[0])
            roll = rng.random()
            # most servers fit their load and the worst site loss; some only their own load;
            # a few not even that
            share = 1.0 if roll < 0.9 else 0.0
            headroom = rng.uniform(1.1, 1.5) if roll < 0.97 else rng.uniform(0.7, 0.95)
            need_memory = max(16.0, (memory[sid] + share * worst[0]) * headroom)
            need_cores = max(4.0, (vcpus[sid] + share * worst[1]) * headroom / VCPU_PER_CORE)
            self.give(sid, need_memory, need_cores, rng.random() < 0.9)
            if storage[sid]:
                factor = rng.uniform(1.2, 2.0) if rng.random() < 0.95 else rng.uniform(0.6, 0.95)
                server = self.hosts.get(sid) or self.clusters[sid]
                server["storage_gb"] = round(storage[sid] * factor / 100 + 1) * 100

    def give(self, sid: str, memory: float, cores: float, n_plus_1: bool) -> None:
        """Memory and cores in bought sizes; a cluster's spread over its nodes (with one node
        to spare when ``n_plus_1``)."""
        nodes = self.nodes[sid] if sid in self.clusters else [self.hosts[sid]]
        share = max(1, len(nodes) - 1) if n_plus_1 and len(nodes) > 1 else len(nodes)
        for node in nodes:
            node["memory_gb"] = _round_up(memory / share, MEMORY_SIZES)
            node["cores"] = _round_up(cores / share, CORE_COUNTS)

    def os_of(self, sid: str) -> str:
        if sid in self.hosts:
            return str(self.hosts[sid].get("os", "2022"))
        order = ("2012", "2012r2", "2016", "2019", "2022", "2025")
        return min((n.get("os", "2022") for n in self.nodes[sid]), key=order.index, default="2022")

    # ---------------------------------------------------------------- failback
    def ready_for_failback(self) -> None:
        """Primaries that are Replica servers set up to take their links back (module doc)."""
        links_in: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        receiving: defaultdict[str, set[int]] = defaultdict(set)  # machine -> ports (FW-01)
        links_out: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for rep in self.doc["replications"]:
            links_in[self.home(rep["target"])].append(rep)
            for machine in self.machines(rep["target"]):
                receiving[machine["id"]].add(_port(rep))
            links_out[self.home(rep["source"])].append(rep)
        for sid, reps in links_out.items():
            settings = (self.hosts.get(sid) or self.clusters[sid]).get("replica_server")
            if settings is None or self.rng.random() < NOT_READY:
                continue  # RS-05, or a primary not (yet) set up for failback
            auths_in = {r.get("auth", "kerberos") for r in links_in[sid]}
            primaries_in = {(self.identity(r["source"]) or "").casefold() for r in links_in[sid]}
            ported: set[str] = set()
            for rep in reps:
                auth, port = rep.get("auth", "kerberos"), _port(rep)
                if auth not in auths_in and auth not in ported:  # (AUTH-02/03 read these)
                    ported.add(auth)
                    settings["auth"] = sorted({*settings.get("auth", ["kerberos"]), auth})
                    settings[f"{auth}_port"] = port
                replica = self.identity(rep["target"])
                if replica is not None and replica.casefold() not in primaries_in and not (
                        settings.get("allow_any_primary") or any(
                            authorization_matches(a["primary"], replica)
                            for a in settings.get("authorizations", ()))):  # (RS-02/06 do)
                    settings.setdefault("authorizations", []).append({
                        "primary": replica, "storage": "C:\\ClusterStorage\\Volume1\\Hyper-V Replica"
                        if sid in self.clusters else "D:\\Hyper-V Replica"})
                for machine in self.machines(rep["source"]):
                    if port not in receiving[machine["id"]]:  # (FW-01 does)
                        _open(machine.setdefault("windows_firewall", {}), port)

    def machines(self, server_id: str) -> list[dict[str, Any]]:
        """The hosts that send and receive for a server: a cluster's nodes, or the host."""
        return self.nodes[server_id] if server_id in self.clusters else [self.hosts[server_id]]

    def identity(self, server_id: str) -> str | None:
        """A host's FQDN, a cluster's broker FQDN (None without a broker)."""
        if server_id in self.hosts:
            return str(self.hosts[server_id]["fqdn"])
        broker = self.clusters[server_id].get("broker")
        return str(broker["fqdn"]) if broker else None


def _port(rep: dict[str, Any]) -> int:
    return int(rep.get("port") or DEFAULT_PORTS[rep.get("auth", "kerberos")])


def _open(firewall: dict[str, Any], port: int) -> None:
    """Enable the listener rule for ``port`` in a host's Windows Firewall (a custom rule for a
    port other than 80 and 443)."""
    if port == 80:
        firewall["http_listener"] = True
    elif port == 443:
        firewall["https_listener"] = True
    else:
        firewall["custom_ports"] = sorted({*firewall.get("custom_ports", ()), port})


def _replica_gb(vm: dict[str, Any], points: int, on_2012: bool) -> float:
    """The format's "Replica storage" of one VM (growth 0.3, as the generator's assumptions)."""
    total = 0.0
    for d in vm["disks"]:
        if d.get("replicate", True):
            used = d.get("used_gb", d["size_gb"])
            per_point = (0.1 * d["size_gb"] if on_2012
                         else min(used, d.get("churn_mb_s", 0) * 3600 / 1024 * 1.3))
            total += used + points * per_point
    return total


def add_recovery_planning(doc: dict[str, Any], seed: int) -> None:
    """Fill in the v2 keys of a generated design document, in place."""
    planner = _Planner(doc, seed)
    targets = planner.primary_targets()
    planner.size_vms()
    planner.order_vms(set(targets))
    planner.network(targets)
    planner.size_servers()
    planner.ready_for_failback()
