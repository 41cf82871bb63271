"""Seeded generator of large, valid Hyper-V Replica designs (design file format v2).

The designs look like a real estate: regional datacenters with failover clusters, branch
offices with a standalone host or two, a few hosting-provider ("cloud") sites; AD forests with
child domains, a trusted acquisition and untrusted DMZ/hoster domains; VMs with OS, data, log,
pagefile and temp disks; primary replications to a DR partner site (some within a site),
extended links chaining from the replica, Kerberos and certificate mixes; perimeter and server
firewalls; WAN links sized around the load they carry; the recovery-planning keys of format
v2 (sizes, start-up order, failover networking: :mod:`bench.recovery_data`). A small, seeded
share of everything is wrong in the ways designs go wrong (missing authorizations, expired
certificates, closed ports, overloaded WAN links, a node used as an endpoint...) so that the
checker reports a realistic number of findings of most rule ids.

Every design loads without error through :func:`hvdesigner.fileformat.loads`. Findings that
depend on certificate expiry are stable when checked as of :data:`AS_OF` (or the ``as_of``
passed to :func:`generate_design`).

    from bench.generate import generate_design
    doc = generate_design(seed=1)              # 60 sites, 500 hosts, 5,000 VMs, ...
    doc = generate_design(seed=1, scale=0.2)   # a fifth of everything
    doc = generate_design(seed=1, hosts=1000)  # explicit counts override the scale

    python bench/generate.py --seed 1 --out big.hvd [--scale 2] [--hosts 1000 ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.recovery_data import add_recovery_planning

#: Reference date: certificates expire relative to it; check as of it for stable findings.
AS_OF = dt.date(2026, 6, 1)

#: Counts at scale 1.
BASE_COUNTS = {
    "sites": 60,
    "hosts": 500,
    "clusters": 50,
    "vms": 5000,
    "replications": 2500,
    "firewalls": 30,
}
MINIMUMS = {"sites": 4, "hosts": 6, "clusters": 1, "vms": 10, "replications": 4, "firewalls": 1}

OS_ORDER = ("2012", "2012r2", "2016", "2019", "2022", "2025")
OS_RANK = {os: i for i, os in enumerate(OS_ORDER)}
CONFIG_VERSION = {"2012": "4.0", "2012r2": "5.0", "2016": "8.0", "2019": "9.0", "2022": "10.0",
                  "2025": "12.0"}
REGIONS = ("AMER", "EMEA", "APAC")

# (id, name, fqdn, forest or None, trusts)
DOMAINS = [
    ("dom-corp", "CORP", "corp.example.com", None, ()),
    ("dom-amer", "AMER", "amer.corp.example.com", "corp.example.com", ()),
    ("dom-emea", "EMEA", "emea.corp.example.com", "corp.example.com", ()),
    ("dom-apac", "APAC", "apac.corp.example.com", "corp.example.com", ()),
    ("dom-fab", "FABRIKAM", "fabrikam.example.net", None, ("dom-corp",)),
    ("dom-fabeu", "FABEU", "eu.fabrikam.example.net", "fabrikam.example.net", ()),
    ("dom-dmz", "DMZ", "dmz.example.org", None, ()),
    ("dom-host", "TENANTS", "tenants.hoster.example.cloud", None, ()),
]
REGION_DOMAIN = {"AMER": "dom-amer", "EMEA": "dom-emea", "APAC": "dom-apac"}


def _pick(rng: random.Random, weighted: dict[Any, float]) -> Any:
    keys = list(weighted)
    return rng.choices(keys, weights=[weighted[k] for k in keys])[0]


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def scaled_counts(scale: float = 1.0, **overrides: int | None) -> dict[str, int]:
    """Entity counts for a scale factor; explicit counts win."""
    counts = {k: max(MINIMUMS[k], round(v * scale)) for k, v in BASE_COUNTS.items()}
    for key, value in overrides.items():
        if value is not None:
            if key not in counts:
                raise TypeError(f"unknown count {key!r}")
            counts[key] = int(value)
    return counts


class _Gen:
    """One generation run; the methods run in order and fill the document lists."""

    def __init__(self, seed: int, counts: dict[str, int], disks_per_vm: float,
                 replicated_share: float, as_of: dt.date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = counts
        self.disks_per_vm = disks_per_vm
        self.replicated_share = replicated_share
        self.as_of = as_of
        self.sites: list[dict[str, Any]] = []
        self.site_region: dict[str, str] = {}
        self.site_kind: dict[str, str] = {}
        self.site_domain: dict[str, str | None] = {}
        self.domains: dict[str, dict[str, Any]] = {}
        self.hosts: dict[str, dict[str, Any]] = {}
        self.clusters: dict[str, dict[str, Any]] = {}
        self.nodes: defaultdict[str, list[str]] = defaultdict(list)
        self.vms: list[dict[str, Any]] = []
        self.reps: list[dict[str, Any]] = []
        self.firewalls: list[dict[str, Any]] = []
        self.wan_links: list[dict[str, Any]] = []
        self.suppressions: list[dict[str, Any]] = []
        # server id -> (kerberos_port, certificate_port), decided before the links use them
        self.ports: dict[str, tuple[int, int]] = {}
        # VM id -> the VM's legitimate links (for the WAN sizing estimate)
        self.legit: list[tuple[dict[str, Any], list[str]]] = []
        self.disk_seq = 0

    # ---------------------------------------------------------------- helpers
    def server(self, sid: str) -> dict[str, Any]:
        return self.hosts.get(sid) or self.clusters[sid]

    def server_os(self, sid: str) -> str | None:
        if sid in self.hosts:
            return str(self.hosts[sid]["os"])
        nodes = self.nodes.get(sid)
        if not nodes:
            return None
        return min((str(self.hosts[n]["os"]) for n in nodes), key=OS_RANK.__getitem__)

    def identity(self, sid: str) -> str | None:
        if sid in self.hosts:
            return str(self.hosts[sid]["fqdn"])
        broker = self.clusters[sid].get("broker")
        return str(broker["fqdn"]) if broker else None

    def trusted(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return False
        if a == b:
            return True
        da, db = self.domains[a], self.domains[b]
        return (da.get("forest", da["fqdn"]) == db.get("forest", db["fqdn"])
                or b in da.get("trusts", ()) or a in db.get("trusts", ()))

    def fqdn_for(self, name: str, domain: str | None, site: str) -> str:
        if domain is None:
            return f"{name.lower()}.{site}.local"
        return f"{name.lower()}.{self.domains[domain]['fqdn']}"

    def date(self, days: int) -> str:
        return (self.as_of + dt.timedelta(days=days)).isoformat()

    # ---------------------------------------------------------------- sites and domains
    def make_domains(self) -> None:
        for did, name, fqdn, forest, trusts in DOMAINS:
            d: dict[str, Any] = {"id": did, "name": name, "fqdn": fqdn}
            if forest:
                d["forest"] = forest
            if trusts:
                d["trusts"] = list(trusts)
            self.domains[did] = d

    def make_sites(self) -> None:
        rng, n = self.rng, self.n["sites"]
        n_cloud = max(1, round(n * 0.08))
        n_branch = max(1, round(n * 0.22))
        kinds = ["cloud"] * n_cloud + ["branch"] * n_branch
        kinds += ["datacenter"] * max(2, n - len(kinds))
        kinds = kinds[:n]
        kinds.sort(key=lambda k: {"datacenter": 0, "branch": 1, "cloud": 2}[k])
        counters: defaultdict[tuple[str, str], int] = defaultdict(int)
        for i, kind in enumerate(kinds, 1):
            sid = f"site-{i}"
            region = REGIONS[i % 3]
            counters[(kind, region)] += 1
            k = counters[(kind, region)]
            if kind == "datacenter":
                name = f"DC-{region}-{k:02d}"
                domain = _pick(rng, {REGION_DOMAIN[region]: 70, "dom-corp": 10, "dom-fab": 9,
                                     "dom-fabeu": 6, "dom-dmz": 5})
            elif kind == "branch":
                name = f"BR-{region}-{k:02d}"
                domain = REGION_DOMAIN[region] if _chance(rng, 0.85) else None
            else:
                name = f"CLOUD-{region}-{k}"
                domain = "dom-host" if _chance(rng, 0.6) else None
            site: dict[str, Any] = {"id": sid, "name": name}
            if kind != "datacenter" or _chance(rng, 0.5):
                site["kind"] = kind  # the default is written out sometimes, like real files
            self.sites.append(site)
            self.site_region[sid] = region
            self.site_kind[sid] = kind
            self.site_domain[sid] = domain

    def site_os(self) -> str:
        return str(_pick(self.rng, {"2012": 3, "2012r2": 7, "2016": 14, "2019": 30, "2022": 36,
                                    "2025": 10}))

    # ---------------------------------------------------------------- hosts and clusters
    def make_servers(self) -> None:
        rng = self.rng
        n_hosts, n_clusters = self.n["hosts"], self.n["clusters"]
        big_sites = [s["id"] for s in self.sites if self.site_kind[s["id"]] != "branch"]
        dc_sites = [s for s in big_sites if self.site_kind[s] == "datacenter"] or big_sites
        sizes = [rng.randint(3, 6) for _ in range(n_clusters)]
        # at most ~55% of the hosts are nodes; small slices get smaller clusters
        while sum(sizes) > 0.55 * n_hosts and max(sizes) > 1:
            i = sizes.index(max(sizes))
            sizes[i] -= 1
        if n_clusters >= 20:
            sizes[rng.randrange(n_clusters)] = 0  # a planned cluster without nodes yet (TOP-09)
        site_os = {s["id"]: self.site_os() for s in self.sites}
        host_seq = 0

        def new_host(site: str, domain: str | None, os: str, cluster: str | None) -> str:
            nonlocal host_seq
            host_seq += 1
            hid, name = f"hv-{host_seq}", f"HV{host_seq:04d}"
            h: dict[str, Any] = {"id": hid, "name": name, "fqdn": self.fqdn_for(name, domain, site),
                                 "os": os, "site": site}
            if domain is not None:
                h["domain"] = domain
            if cluster is not None:
                h["cluster"] = cluster
                self.nodes[cluster].append(hid)
            self.hosts[hid] = h
            return hid

        # clusters and their nodes
        for i, size in enumerate(sizes, 1):
            cid, name = f"cl-{i}", f"CL{i:03d}"
            site = rng.choice(dc_sites) if _chance(rng, 0.9) else rng.choice(big_sites)
            domain = self.site_domain[site]
            c: dict[str, Any] = {"id": cid, "name": name, "fqdn": self.fqdn_for(name, domain, site),
                                 "site": site}
            if domain is not None:
                c["domain"] = domain
            if not _chance(rng, 0.08) or n_clusters < 5:
                bname = f"HVRB{i:03d}"
                broker: dict[str, Any] = {"name": bname, "fqdn": self.fqdn_for(bname, domain, site)}
                if _chance(rng, 0.7):
                    broker["ip"] = f"10.{i % 250}.{rng.randint(0, 255)}.{rng.randint(10, 250)}"
                c["broker"] = broker
            self.clusters[cid] = c
            os = site_os[site]
            for k in range(size):
                node_os = os
                if k == size - 1 and size > 1 and _chance(rng, 0.1) and OS_RANK[os] > 0:
                    node_os = OS_ORDER[OS_RANK[os] - 1]  # mid rolling upgrade
                new_host(site, domain, node_os, cid)
        # broker name mistakes (BRK-03): one duplicate in a domain, one invalid name
        with_broker = [c for c in self.clusters.values() if c.get("broker")]
        if len(with_broker) >= 10:
            a, b = rng.sample(with_broker, 2)
            b["broker"] = dict(b["broker"], name=a["broker"]["name"])
            b["domain"] = a.get("domain")  # the same domain, or both workgroups
            if b["domain"] is None:
                b.pop("domain")
            b["broker"]["fqdn"] = self.fqdn_for(b["broker"]["name"], b.get("domain"), b["site"])
            b["fqdn"] = self.fqdn_for(b["name"], b.get("domain"), b["site"])
            for nid in self.nodes[b["id"]]:
                h = self.hosts[nid]
                h.pop("domain", None)
                if b.get("domain"):
                    h["domain"] = b["domain"]
                h["fqdn"] = self.fqdn_for(h["name"], b.get("domain"), h["site"])
            c = rng.choice([x for x in with_broker if x not in (a, b)])
            c["broker"] = dict(c["broker"], name=f"HVREPLICABROKER{c['name']}")
        # standalone hosts: every site gets one, the rest by site weight
        n_standalone = max(0, n_hosts - host_seq)
        weights = {s["id"]: {"datacenter": 10, "cloud": 6, "branch": 1.2}[self.site_kind[s["id"]]]
                   for s in self.sites}
        placed = [s["id"] for s in self.sites][:n_standalone]
        placed += rng.choices(list(weights), weights=list(weights.values()),
                              k=n_standalone - len(placed))
        for site in placed:
            domain = self.site_domain[site]
            if domain is not None and _chance(rng, 0.04):
                domain = None  # a workgroup host in a domain site
            os = site_os[site] if _chance(rng, 0.7) else self.site_os()
            new_host(site, domain, os, None)
        # custom listener ports on a few servers (AUTH-03 / FW rules exercise them)
        for sid in list(self.hosts) + list(self.clusters):
            if sid in self.hosts and self.hosts[sid].get("cluster"):
                continue
            k = 8080 if _chance(rng, 0.04) else 80
            c_ = 8443 if _chance(rng, 0.04) else 443
            self.ports[sid] = (k, c_)

    def servers_in(self, site: str) -> list[str]:
        return self._servers_by_site.get(site, [])

    def index_servers(self) -> None:
        by_site: defaultdict[str, list[str]] = defaultdict(list)
        for h in self.hosts.values():
            if not h.get("cluster"):
                by_site[h["site"]].append(h["id"])
        for c in self.clusters.values():
            if self.nodes.get(c["id"]):
                by_site[c["site"]].append(c["id"])
        self._servers_by_site = dict(by_site)
        self.all_servers = [s for servers in by_site.values() for s in servers]

    # ---------------------------------------------------------------- VMs and disks
    def make_vms(self) -> None:
        rng = self.rng
        clusters = [c for c in self.clusters if self.nodes.get(c)]
        cluster_w = [len(self.nodes[c]) for c in clusters]
        standalone = [h for h in self.hosts.values() if not h.get("cluster")]
        nodes = [h for h in self.hosts.values() if h.get("cluster")]
        host_w = [{"datacenter": 4, "cloud": 3, "branch": 1}[self.site_kind[h["site"]]]
                  for h in standalone]
        for i in range(1, self.n["vms"] + 1):
            roll = rng.random()
            if roll < 0.6 and clusters:
                placement = rng.choices(clusters, weights=cluster_w)[0]
            elif roll < 0.97 or not nodes:
                placement = rng.choices(standalone, weights=host_w)[0]["id"]
            else:
                placement = rng.choice(nodes)["id"]  # not highly available (TOP-10 if replicated)
            os = self.server_os(placement) or "2022"
            vm: dict[str, Any] = {"id": f"vm-{i}", "name": self.vm_name(i), "placement": placement}
            if os == "2012":
                if not _chance(rng, 0.05):
                    vm["generation"] = 1
            elif _chance(rng, 0.12):
                vm["generation"] = 1
            if _chance(rng, 0.8):
                cv = CONFIG_VERSION[os] if _chance(rng, 0.8) else CONFIG_VERSION[
                    OS_ORDER[max(1, OS_RANK[os] - 1)]]
                vm["config_version"] = cv
            if _chance(rng, 0.25):
                vm["static_ip"] = True
            if _chance(rng, 0.03):
                vm["integration_services"] = False
            vm["disks"] = self.make_disks(vm, placement in self.clusters)
            self.vms.append(vm)

    def vm_name(self, i: int) -> str:
        prefix = ("APP", "SQL", "WEB", "FS", "DC", "EXCH", "RDS", "SAP", "ERP", "CRM")[i % 10]
        return f"{prefix}-{i:05d}"

    def make_disks(self, vm: dict[str, Any], clustered: bool) -> list[dict[str, Any]]:
        rng = self.rng
        extras = min(8, max(0, round(rng.gauss(self.disks_per_vm - 1, 1.1))))
        roles = ["os"] + rng.choices(["data", "log", "pagefile", "temp"], weights=[50, 20, 15, 15],
                                     k=extras)
        disks = []
        for k, role in enumerate(roles):
            self.disk_seq += 1
            d: dict[str, Any] = {"id": f"disk-{self.disk_seq}", "name": f"{role}{k}.vhdx"}
            t = _pick(rng, {"vhdx": 920, "vhd": 50, "passthrough": 6,
                            "shared_vhdx": 12 if clustered else 2,
                            "vhd_set": 12 if clustered else 2})
            if role == "os" and t in ("passthrough", "shared_vhdx", "vhd_set"):
                t = "vhdx"
            if t != "vhdx":
                d["type"] = t
                d["name"] = f"{role}{k}." + {"vhd": "vhd", "passthrough": "lun",
                                            "shared_vhdx": "vhdx", "vhd_set": "vhds"}[t]
            if role != "data" or _chance(rng, 0.3):
                d["role"] = role
            size, churn = {
                "os": (rng.choice([60, 80, 100, 127]), rng.uniform(0.05, 0.4)),
                "data": (rng.choice([100, 250, 500, 1000, 2000]), rng.lognormvariate(-0.5, 0.9)),
                "log": (rng.choice([50, 100, 200, 500]), rng.uniform(0.5, 6)),
                "pagefile": (rng.choice([8, 16, 32, 64]), rng.uniform(0.2, 2)),
                "temp": (rng.choice([20, 50, 100, 200]), rng.uniform(0.1, 3)),
            }[role]
            d["size_gb"] = size
            if _chance(rng, 0.7):
                d["used_gb"] = round(size * rng.uniform(0.2, 0.95), 1)
            d["churn_mb_s"] = round(churn, 2)
            exclude = {"os": 0.01, "data": 0.02, "log": 0.02, "pagefile": 0.75, "temp": 0.7}[role]
            if t in ("passthrough", "shared_vhdx"):
                exclude = 0.75
            if _chance(rng, exclude):
                d["replicate"] = False
            disks.append(d)
        return disks

    # ---------------------------------------------------------------- replications
    def partner_sites(self) -> None:
        """Each site's DR partner site (where its primary links go)."""
        rng = self.rng
        with_servers = [s["id"] for s in self.sites if self.servers_in(s["id"])]
        dcs = [s for s in with_servers if self.site_kind[s] == "datacenter"]
        clouds = [s for s in with_servers if self.site_kind[s] == "cloud"]
        self.partner: dict[str, str] = {}
        for s in with_servers:
            same_region = [d for d in dcs if d != s and self.site_region[d] == self.site_region[s]]
            other = [d for d in dcs if d != s]
            roll = rng.random()
            if self.site_kind[s] == "branch" or roll < 0.6:
                pool = same_region or other
            elif roll < 0.8:
                pool = other
            else:
                pool = [c for c in clouds if c != s] or other
            pool = pool or [x for x in with_servers if x != s] or [s]
            self.partner[s] = rng.choice(pool)
        # a second partner for some datacenters (primary links split between two DR sites)
        self.partner2 = {s: rng.choice([d for d in dcs if d != s] or [self.partner[s]])
                         for s in with_servers if _chance(self.rng, 0.25)}

    def choose_target(self, source: str, site: str, avoid: set[str]) -> str | None:
        rng = self.rng
        candidates = [s for s in self.servers_in(site) if s not in avoid and s != source]
        if not candidates:
            return None
        src_os = self.server_os(source) or "2022"
        same = [c for c in candidates if self.server_os(c) == src_os]
        newer = [c for c in candidates if OS_RANK[self.server_os(c) or "2022"] > OS_RANK[src_os]]
        roll = rng.random()
        if roll < 0.68 and same:
            return rng.choice(same)
        if roll < 0.88 and newer:
            return rng.choice(newer)
        if roll < 0.96 and (same or newer):
            return rng.choice(same + newer)
        if not (same or newer) and _chance(rng, 0.75):
            # the DR site runs only older servers: most planners pick another site
            region = self.site_region[self.server(source)["site"]]
            elsewhere = [s for s in self.all_servers
                         if s != source and s not in avoid
                         and OS_RANK[self.server_os(s) or "2022"] >= OS_RANK[src_os]
                         and self.site_region[self.server(s)["site"]] == region]
            if elsewhere:
                return rng.choice(elsewhere)
        return rng.choice(candidates)

    def new_rep(self, source: str, target: str, vms: list[str], *, extended: bool = False,
                primary_freq: int | None = None) -> dict[str, Any]:
        rng = self.rng
        rid = f"rep-{len(self.reps) + 1}"
        s_site, t_site = self.server(source)["site"], self.server(target)["site"]
        cross = s_site != t_site
        trusted = self.trusted(self.server(source).get("domain"), self.server(target).get("domain"))
        if not trusted:
            cert = _chance(rng, 0.93)
        elif cross:
            cert = _chance(rng, 0.62)
        else:
            cert = _chance(rng, 0.15)
        auth = "certificate" if cert else "kerberos"
        rep: dict[str, Any] = {"id": rid}
        if _chance(rng, 0.5):
            rep["name"] = f"{self.server(source)['name']}-{self.server(target)['name']}-{rid[4:]}"
        rep.update(source=source, target=target)
        if vms:
            rep["vms"] = sorted(vms, key=lambda v: int(v[3:]))
        if cert or _chance(rng, 0.3):
            rep["auth"] = auth
        kport, cport = self.ports.get(target, (80, 443))
        want = kport if auth == "kerberos" else cport
        default = 80 if auth == "kerberos" else 443
        if want != default and _chance(rng, 0.93):
            rep["port"] = want
        elif _chance(rng, 0.004):
            rep["port"] = 8081 if auth == "kerberos" else 4443  # a typo: AUTH-03, FW-*
        if extended:
            base = primary_freq or 300
            freq = 900 if base == 900 or _chance(rng, 0.5) else 300
            if _chance(rng, 0.03):
                freq = rng.choice([30, 60])  # TOP-06
        else:
            freq = _pick(rng, {300: 70, 30: 12, 900: 18})
            if _chance(rng, 0.003):
                freq = rng.choice([60, 120, 600])  # VM-01
        if freq != 300 or _chance(rng, 0.2):
            rep["frequency_s"] = freq
        rp = 0 if _chance(rng, 0.45) else rng.randint(1, 24)
        if _chance(rng, 0.005):
            rp = rng.randint(25, 48)  # VM-02
        if rp:
            rep["recovery_points"] = rp
        if extended:
            if _chance(rng, 0.03):
                rep["vss_hours"] = 4  # TOP-07
        elif _chance(rng, 0.25) and (rp > 0 or _chance(rng, 0.08)):
            rep["vss_hours"] = rng.choice([1, 2, 4, 4, 4, 6, 8, 12]) if _chance(rng, 0.99) else 24
        if _chance(rng, 0.05):
            rep["compression"] = False
        initial = _pick(rng, {"network": 80, "scheduled": 10, "media": 7, "backup": 3})
        if initial != "network":
            rep["initial"] = initial
        self.reps.append(rep)
        return rep

    def make_replications(self) -> None:
        rng = self.rng
        self.partner_sites()
        n_reps = self.n["replications"]
        n_special = max(0, round(n_reps * 0.018))
        n_ext = round(n_reps * 0.12)
        n_primary = max(1, n_reps - n_ext - n_special)

        # VM groups by home server (a VM on a node host is homed on its cluster)
        by_home: defaultdict[str, list[str]] = defaultdict(list)
        self.vm_by_id = {vm["id"]: vm for vm in self.vms}
        self.home: dict[str, str] = {}
        for vm in self.vms:
            p = vm["placement"]
            home = self.hosts[p].get("cluster") or p if p in self.hosts else p
            self.home[vm["id"]] = home
            by_home[home].append(vm["id"])
        # group sizes (1-4 VMs) average out so that about replicated_share of the VMs end
        # up on a primary link: not every VM is replicated
        mean = min(4.0, max(1.0, self.replicated_share * len(self.vms) / n_primary))
        groups: list[tuple[str, list[str]]] = []
        for home, vm_ids in by_home.items():
            vm_ids = vm_ids[:]
            rng.shuffle(vm_ids)
            i = 0
            while i < len(vm_ids):
                size = 1 + sum(_chance(rng, (mean - 1) / 3) for _ in range(3))
                groups.append((home, vm_ids[i:i + size]))
                i += size
        rng.shuffle(groups)
        chosen = groups[:n_primary]

        preferred: dict[str, str] = {}
        self.primary_of: dict[str, dict[str, Any]] = {}  # VM id -> its primary rep
        primaries: list[dict[str, Any]] = []
        for home, vm_ids in chosen:
            site = self.server(home)["site"]
            target = None
            if home in preferred and _chance(rng, 0.8):
                target = preferred[home]
            else:
                if _chance(rng, 0.12):
                    t_site = site
                elif site in self.partner2 and _chance(rng, 0.4):
                    t_site = self.partner2[site]
                else:
                    t_site = self.partner.get(site, site)
                target = self.choose_target(home, t_site, set())
                if target is None:
                    target = self.choose_target(home, self.partner.get(site, site), set())
                if target is None:
                    continue
                preferred.setdefault(home, target)
            rep = self.new_rep(home, target, vm_ids)
            primaries.append(rep)
            for v in vm_ids:
                self.primary_of[v] = rep
                self.legit.append((self.vm_by_id[v], [rep["id"]]))

        # extended links: from a primary's target to a third server
        rep_by_id = {r["id"]: r for r in self.reps}
        legit_by_vm = {vm["id"]: links for vm, links in self.legit}
        self.extended_of: dict[str, dict[str, Any]] = {}
        candidates = [r for r in primaries
                      if self.server_os(r["target"]) != "2012" or _chance(rng, 0.4)]
        rng.shuffle(candidates)
        for prim in candidates[:n_ext]:
            source = prim["target"]
            s_site = self.server(source)["site"]
            t_site = self.partner.get(s_site, s_site)
            if t_site == self.server(prim["source"])["site"] and _chance(rng, 0.7):
                t_site = rng.choice([s for s in self._servers_by_site if s not in (s_site, t_site)]
                                    or [t_site])
            avoid = {prim["source"]}
            target = self.choose_target(source, t_site, avoid)
            if target is None:
                continue
            vms = (prim["vms"] if _chance(rng, 0.7)
                   else rng.sample(prim["vms"], max(1, len(prim["vms"]) // 2)))
            rep = self.new_rep(source, target, vms, extended=True,
                               primary_freq=prim.get("frequency_s", 300))
            rep_by_id[rep["id"]] = rep
            for v in vms:
                self.extended_of[v] = rep
                legit_by_vm[v].append(rep["id"])
        self.make_special(n_reps - len(self.reps))

    def make_special(self, count: int) -> None:
        """Mistakes on links: duplicate primaries, links from nowhere, links to nodes, empty
        links, a server replicating to itself, a fourth tier, an extended link looping back."""
        rng = self.rng
        if count <= 0:
            return
        unreplicated = [vm["id"] for vm in self.vms if vm["id"] not in self.primary_of]
        replicated = list(self.primary_of)
        node_hosts = [h for h in self.hosts if self.hosts[h].get("cluster")]
        # interleaved so that small slices get one of each kind first
        kinds = ["empty", "dup", "nowhere", "node", "self", "fourth", "loop",
                 "empty", "dup", "nowhere", "node", "empty", "fourth", "loop", "empty", "dup",
                 "nowhere", "node", "empty", "dup", "nowhere", "empty", "node", "empty"]
        for i in range(count):
            kind = kinds[i] if i < len(kinds) else rng.choice(kinds)
            src = rng.choice(self.all_servers)
            if kind == "empty":
                t = self.choose_target(src, self.partner.get(self.server(src)["site"], ""), set()) \
                    or rng.choice(self.all_servers)
                self.new_rep(src, t, [])
            elif kind == "dup" and replicated:
                v = rng.choice(replicated)
                prim = self.primary_of[v]
                t = self.choose_target(prim["source"], self.server(prim["target"])["site"],
                                       {prim["target"]}) or prim["target"]
                self.new_rep(prim["source"], t, [v])
            elif kind == "nowhere" and replicated:
                v = rng.choice(replicated)
                s = rng.choice([x for x in self.all_servers
                                if x not in (self.home[v], self.primary_of[v]["target"])])
                self.new_rep(s, rng.choice([x for x in self.all_servers if x != s]), [v])
            elif kind == "node" and node_hosts:
                node = rng.choice(node_hosts)
                src = rng.choice([s for s in self.all_servers if s != self.hosts[node]["cluster"]])
                mine = [v for v in unreplicated if self.home[v] == src][:1]
                self.new_rep(src, node, mine)
            elif kind == "self":
                self.new_rep(src, src, [])
            elif kind == "fourth" and self.extended_of:
                v = rng.choice(list(self.extended_of))
                ext = self.extended_of[v]
                t = rng.choice([x for x in self.all_servers if x != ext["target"]])
                self.new_rep(ext["target"], t, [v])
            elif kind == "loop" and self.extended_of:
                v = rng.choice(list(self.extended_of))
                ext = self.extended_of[v]
                prim = self.primary_of[v]
                self.new_rep(ext["source"], self.home[v] if self.home[v] != ext["source"]
                             else prim["source"], [v])
            else:
                self.new_rep(src, rng.choice(self.all_servers), [])

    # ---------------------------------------------------------------- server settings
    def configure_servers(self) -> None:
        """Replica settings, Windows firewall and certificates, from the links drawn."""
        rng = self.rng
        targets: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        sources: set[str] = set()
        cert_machines: set[str] = set()
        for rep in self.reps:
            targets[rep["target"]].append(rep)
            sources.add(rep["source"])
            if rep.get("auth") == "certificate":
                for s in (rep["source"], rep["target"]):
                    cert_machines.update(self.nodes[s] if s in self.clusters else [s])
        servers = [h for h in self.hosts.values() if not h.get("cluster")]
        servers += self.clusters.values()
        receiving_ports: defaultdict[str, set[int]] = defaultdict(set)
        for srv in servers:
            sid = srv["id"]
            incoming = targets.get(sid, [])
            enabled = _chance(rng, 0.975 if incoming else 0.85 if sid in sources else 0.45)
            for rep in incoming:
                port = rep.get("port", 443 if rep.get("auth") == "certificate" else 80)
                for m in self.nodes[sid] if sid in self.clusters else [sid]:
                    receiving_ports[m].add(port)
            if not enabled:
                continue
            auths = {r.get("auth", "kerberos") for r in incoming} or set(
                _pick(rng, {("kerberos",): 3, ("certificate",): 3, ("kerberos", "certificate"): 4}))
            if len(auths) == 2 and _chance(rng, 0.05):
                auths = {rng.choice(sorted(auths))}  # AUTH-02 for the other kind
            elif len(auths) == 1 and _chance(rng, 0.3):
                auths = {"kerberos", "certificate"}
            rs: dict[str, Any] = {"auth": sorted(auths)}
            kport, cport = self.ports.get(sid, (80, 443))
            if kport != 80:
                rs["kerberos_port"] = kport
            if cport != 443:
                rs["certificate_port"] = cport
            clustered = sid in self.clusters
            if _chance(rng, 0.03):
                rs["allow_any_primary"] = True
                if _chance(rng, 0.7):
                    rs["default_storage"] = ("C:\\ClusterStorage\\Volume1\\Replica" if clustered
                                             else "D:\\Replica")
            auths_list = []
            seen = set()
            for rep in incoming:
                ident = self.identity(rep["source"])
                if ident is None:
                    continue
                dom = self.server(rep["source"]).get("domain")
                if dom is not None and _chance(rng, 0.7):
                    primary = "*." + self.domains[dom]["fqdn"]
                else:
                    primary = ident
                if primary in seen:
                    continue
                seen.add(primary)
                if _chance(rng, 0.025) and not rs.get("allow_any_primary"):
                    continue  # forgotten entry: RS-02
                if clustered:
                    roll = rng.random()
                    storage = (f"C:\\ClusterStorage\\Volume{rng.randint(1, 4)}\\Hyper-V Replica"
                               if roll < 0.9 else "\\\\fs01.corp.example.com\\replica$"
                               if roll < 0.96 else "D:\\Hyper-V Replica")  # RS-06
                else:
                    storage = rng.choice(["D:\\Hyper-V Replica", "E:\\Replica", "R:\\Replica"])
                entry = {"primary": primary, "storage": storage}
                if _chance(rng, 0.4):
                    entry["trust_group"] = (self.domains[dom]["name"] if dom else "WORKGROUP")
                auths_list.append(entry)
            if auths_list:
                rs["authorizations"] = auths_list
            srv["replica_server"] = rs
        # Windows firewall on receiving machines, and on the rest at random
        for h in self.hosts.values():
            ports = receiving_ports.get(h["id"], set())
            wf: dict[str, Any] = {}
            if 80 in ports and _chance(rng, 0.97) or not ports and _chance(rng, 0.25):
                wf["http_listener"] = True
            if 443 in ports and _chance(rng, 0.97) or not ports and _chance(rng, 0.3):
                wf["https_listener"] = True
            custom = sorted(p for p in ports - {80, 443} if _chance(rng, 0.95))
            if _chance(rng, 0.05):
                custom = sorted(set(custom) | {5985})
            if custom:
                wf["custom_ports"] = custom
            if wf:
                h["windows_firewall"] = wf
        # certificates
        for h in self.hosts.values():
            needed = h["id"] in cert_machines
            if not _chance(rng, 0.96 if needed else 0.8):
                continue  # CERT-01 if it takes part in certificate replication
            names = [h["fqdn"]]
            broker = self.clusters[h["cluster"]].get("broker") if h.get("cluster") else None
            roll = rng.random()
            cert: dict[str, Any] = {"subjects": names[:]}
            certs = [cert]
            if broker:
                if roll < 0.85:
                    cert["subjects"].append(broker["fqdn"])
                elif roll < 0.95:
                    certs.append({"subjects": [broker["fqdn"]]})
                # else: broker name missing (CERT-03)
            if _chance(rng, 0.03):
                cert["subjects"] = [f"{h['name'].lower()}.old.example.com"]  # CERT-03
            if _chance(rng, 0.04):
                dom = h.get("domain")
                if dom:
                    cert["subjects"] = ["*." + self.domains[dom]["fqdn"]]
            self_signed = _chance(rng, 0.05)
            for c in certs:
                if self_signed:
                    c["issuer"] = c["subjects"][0]
                    c["self_signed"] = True
                else:
                    c["issuer"] = rng.choice(["Contoso Issuing CA 01", "Contoso Issuing CA 02",
                                              "Fabrikam Enterprise CA"])
                roll = rng.random()
                if roll < 0.03:
                    c["expires"] = self.date(-rng.randint(1, 400))  # CERT-02
                elif roll < 0.9:
                    c["expires"] = self.date(rng.randint(30, 1100))
                if _chance(rng, 0.02):
                    c["client_auth"] = False  # CERT-02
            h["certificates"] = certs

    # ---------------------------------------------------------------- firewalls, WAN links
    def make_firewalls(self) -> None:
        rng = self.rng
        big = [s["id"] for s in self.sites if self.site_kind[s["id"]] != "branch"]
        branches = [s["id"] for s in self.sites if self.site_kind[s["id"]] == "branch"]
        dmz_hosts = [h["id"] for h in self.hosts.values()
                     if not h.get("cluster") and h.get("domain") in ("dom-dmz", None)]
        standalone = [h["id"] for h in self.hosts.values() if not h.get("cluster")]
        clusters = list(self.clusters)
        used_ports = sorted({p for kc in self.ports.values() for p in kc})
        for i in range(1, self.n["firewalls"] + 1):
            roll = rng.random()
            if roll < 0.6:
                protects = rng.sample(big, min(len(big), rng.choice([1, 1, 1, 2])))
                name = f"FW-EDGE-{i:02d}"
            elif roll < 0.85:
                pool = dmz_hosts if dmz_hosts and _chance(rng, 0.6) else standalone
                protects = rng.sample(pool, min(len(pool), rng.randint(2, 6)))
                name = f"FW-DMZ-{i:02d}"
            elif roll < 0.95 or not branches:
                protects = rng.sample(clusters, min(len(clusters), rng.randint(1, 2)))
                name = f"FW-CL-{i:02d}"
            else:
                protects = rng.sample(branches, min(len(branches), rng.randint(2, 5)))
                name = f"FW-BR-{i:02d}"
            inbound = {443} if _chance(rng, 0.15) else {80, 443}
            inbound |= {p for p in used_ports if p not in (80, 443) and _chance(rng, 0.6)}
            inbound |= set(rng.sample([22, 3389, 5985, 5986, 53, 135], rng.randint(0, 3)))
            if _chance(rng, 0.1):
                inbound.discard(rng.choice([80, 443]))  # FW-02
            fw: dict[str, Any] = {"id": f"fw-{i}", "name": name, "protects": sorted(protects),
                                  "allow_inbound_tcp": sorted(inbound)}
            if _chance(rng, 0.35):
                out = {80, 443, 53, 123} | {p for p in used_ports if _chance(rng, 0.5)}
                if _chance(rng, 0.15):
                    out.discard(80)  # FW-02 outbound for Kerberos links
                fw["allow_outbound_tcp"] = sorted(out)
            self.firewalls.append(fw)

    def make_wan_links(self, compression_saving: float, growth: float) -> None:
        """WAN links on most site pairs the links cross, sized around the load they carry."""
        rng = self.rng
        rep_by_id = {r["id"]: r for r in self.reps}
        load: defaultdict[frozenset[str], float] = defaultdict(float)
        for vm, links in self.legit:
            churn = sum(d["churn_mb_s"] for d in vm["disks"] if d.get("replicate", True))
            for rid in links:
                rep = rep_by_id[rid]
                pair = frozenset((self.server(rep["source"])["site"],
                                  self.server(rep["target"])["site"]))
                if len(pair) == 2:
                    saving = compression_saving if rep.get("compression", True) else 0.0
                    load[pair] += churn * 8 * (1 + growth) * (1 - saving)
        for rep in self.reps:
            pair = frozenset((self.server(rep["source"])["site"],
                              self.server(rep["target"])["site"]))
            if len(pair) == 2:
                load.setdefault(pair, 0.0)
        pairs = sorted(load, key=sorted)
        pairs = [p for p in pairs if _chance(rng, 0.92)]  # SZ-03 for the rest
        site_ids = [s["id"] for s in self.sites]
        for _ in range(max(1, len(pairs) // 10)):
            a, b = rng.sample(site_ids, 2)
            if frozenset((a, b)) not in pairs and frozenset((a, b)) not in load:
                pairs.append(frozenset((a, b)))
        seen: set[frozenset[str]] = set()
        for k, pair in enumerate(pairs, 1):
            if pair in seen:
                continue
            seen.add(pair)
            a, b = sorted(pair, key=lambda s: int(s[5:]))
            need = load.get(pair, 0.0)
            roll = rng.random()
            factor = (rng.uniform(1.35, 4) if roll < 0.75 else rng.uniform(1.03, 1.22)
                      if roll < 0.88 else rng.uniform(0.5, 0.95))
            bw = max(2.0, need * factor)
            bw = float(math.ceil(bw)) if bw > 20 else round(bw, 1)
            wan: dict[str, Any] = {"id": f"wan-{k}",
                                   "name": f"WAN {self.site_name(a)}-{self.site_name(b)}",
                                   "sites": [a, b], "bandwidth_mbps": bw}
            if _chance(rng, 0.7):
                wan["latency_ms"] = rng.choice([2, 5, 10, 20, 35, 60, 90, 140])
            self.wan_links.append(wan)

    def site_name(self, sid: str) -> str:
        return str(self.sites[int(sid[5:]) - 1]["name"])

    def make_suppressions(self) -> None:
        rng = self.rng
        kerberos_cross = [r for r in self.reps if r.get("auth", "kerberos") == "kerberos"
                          and self.server(r["source"])["site"] != self.server(r["target"])["site"]]
        for rep in rng.sample(kerberos_cross, min(len(kerberos_cross), 6)):
            self.suppressions.append({"rule": "AUTH-04", "subject": rep["id"],
                                      "reason": "Site-to-site IPsec tunnel encrypts this traffic"})
        pagefiles = [d for vm in self.vms if vm["id"] in self.primary_of for d in vm["disks"]
                     if d.get("role") == "pagefile" and d.get("replicate", True)]
        for d in rng.sample(pagefiles, min(len(pagefiles), 3)):
            self.suppressions.append({"rule": "DSK-04", "subject": d["id"], "reason":
                                      "Paging file moves to its own disk in the next window"})

    # ---------------------------------------------------------------- all together
    def run(self) -> dict[str, Any]:
        assumptions = {"growth": 0.3, "compression_saving": 0.4, "utilization_ceiling": 0.8}
        self.make_domains()
        self.make_sites()
        self.make_servers()
        self.index_servers()
        self.make_vms()
        self.make_replications()
        self.configure_servers()
        self.make_firewalls()
        self.make_wan_links(assumptions["compression_saving"], assumptions["growth"])
        self.make_suppressions()
        n = self.n
        doc = {
            "format": "hvdesigner",
            "version": 2,
            "title": f"Generated estate (seed {self.seed}, {len(self.hosts)} hosts, "
                     f"{len(self.vms)} VMs)",
            "notes": f"Generated by bench/generate.py; check as of {self.as_of.isoformat()} "
                     f"for stable certificate findings. Requested counts: {json.dumps(n)}.",
            "assumptions": assumptions,
            "sites": self.sites,
            "domains": list(self.domains.values()),
            "firewalls": self.firewalls,
            "wan_links": self.wan_links,
            "hosts": list(self.hosts.values()),
            "clusters": list(self.clusters.values()),
            "vms": self.vms,
            "replications": self.reps,
            "suppressions": self.suppressions,
        }
        add_recovery_planning(doc, self.seed)
        return doc


def generate_design(seed: int = 1, scale: float = 1.0, *, sites: int | None = None,
                    hosts: int | None = None, clusters: int | None = None,
                    vms: int | None = None, replications: int | None = None,
                    firewalls: int | None = None, disks_per_vm: float = 4.0,
                    replicated_share: float = 0.8, as_of: dt.date = AS_OF) -> dict[str, Any]:
    """A valid design document (JSON values in the design file format v2).

    ``scale`` multiplies the default counts (:data:`BASE_COUNTS`); explicit counts override
    it. The same arguments always give the same document. ``replicated_share`` caps the share
    of VMs on a primary link. Certificate expiry is laid out around ``as_of``.
    """
    counts = scaled_counts(scale, sites=sites, hosts=hosts, clusters=clusters, vms=vms,
                           replications=replications, firewalls=firewalls)
    if counts["sites"] < 4:
        raise ValueError("a design needs at least 4 sites")
    return _Gen(seed, counts, disks_per_vm, replicated_share, as_of).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    for key, count in BASE_COUNTS.items():
        parser.add_argument(f"--{key}", type=int, default=None, help=f"default {count} × scale")
    parser.add_argument("--out", default="-", help="output .hvd path ('-' = stdout)")
    parser.add_argument("--check", action="store_true", help="load the result to prove it valid")
    args = parser.parse_args(argv)
    doc = generate_design(args.seed, args.scale, **{k: getattr(args, k) for k in BASE_COUNTS})
    text = json.dumps(doc, indent=2) + "\n"
    if args.check:
        from hvdesigner.fileformat import loads
        loads(text)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.out}: {len(text):,} bytes, " + ", ".join(
            f"{len(doc[k])} {k}" for k in ("sites", "hosts", "clusters", "vms", "replications",
                                            "firewalls", "wan_links")), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
