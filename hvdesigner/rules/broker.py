"""Hyper-V Replica Broker rules (BRK-*): a replicating cluster needs a broker, and is reached
through it, never through a node."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hvdesigner.model.derived import replication_label
from hvdesigner.model.entities import Cluster, Host, Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding

#: A NetBIOS computer name as a broker's client access point may use it (the catalog's
#: pattern). The name also becomes the first label of the broker's DNS name, and a DNS label
#: can't end with a hyphen (RFC 1123), which the pattern alone lets through: BRK-03 refuses that
#: too (see :func:`_invalid_name`).
_BROKER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,14}")


@check("cluster")
def has_broker(r: RuleReader, cluster_id: str) -> Iterator[Finding]:
    cluster: Cluster = r.get(cluster_id)
    if cluster.broker is None and r.replications_at(cluster_id):
        yield finding("BRK-01", f"Cluster {cluster.name} replicates but has no Hyper-V Replica "
                      "Broker.", cluster_id)


@check("replication")
def not_to_a_node(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    for role, server_id in (("source", rep.source), ("target", rep.target)):
        server = r.get(server_id)
        if isinstance(server, Host) and server.cluster is not None:
            cluster: Cluster = r.get(server.cluster)
            yield finding("BRK-02", f"{cap(replication_label(r, rep))} has node {server.name} as "
                          f"its {role}; replicate to or from cluster {cluster.name} (its broker).",
                          rep_id, server_id, cluster.id)


@check("cluster")
def broker_name(r: RuleReader, cluster_id: str) -> Iterator[Finding]:
    cluster: Cluster = r.get(cluster_id)
    if cluster.broker is None:
        return
    name = cluster.broker.name
    if (invalid := _invalid_name(name)) is not None:
        why = f"is not a valid NetBIOS name: it {invalid}"
    else:
        clashes = sorted(r.name_users(cluster.domain, name) - {cluster_id + "#broker"})
        if not clashes:
            return
        names = ", ".join(_owner(r, c) for c in clashes)
        why = f"is already used in the {_domain(r, cluster)} by {names}"
    yield finding("BRK-03", f"Broker name {name} of cluster {cluster.name} {why}.", cluster_id)


def _invalid_name(name: str) -> str | None:
    """What makes a broker name invalid (said of "it"), or None for a valid one."""
    bad = [c for c in dict.fromkeys(name) if not (c.isascii() and (c.isalnum() or c == "-"))]
    if bad:
        listed = " ".join(repr(c) for c in bad)
        return f"has {listed}: only letters A-Z, digits and hyphens are allowed"
    if len(name) > 15:
        return f"has {len(name)} characters, more than 15"
    if name.startswith("-"):
        return "starts with a hyphen"
    if name.endswith("-"):
        return "ends with a hyphen, which the DNS name it registers can't"
    if name.isdigit():
        return "is all digits"
    if not _BROKER_NAME.fullmatch(name):
        return "is not 1-15 letters, digits or hyphens"  # (only an empty name gets here)
    return None


def _owner(r: RuleReader, user: str) -> str:
    if user.endswith("#broker"):
        return f"the broker of cluster {r.get(user.removesuffix('#broker')).name}"
    entity = r.get(user)
    return f"{'cluster' if isinstance(entity, Cluster) else 'host'} {entity.name}"


def _domain(r: RuleReader, cluster: Cluster) -> str:
    return "workgroup" if cluster.domain is None else f"domain {r.get(cluster.domain).name}"
