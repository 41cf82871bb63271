"""Replica server rules (RS-*): the target must accept the primary and store its replicas
where every node can reach them; the primary should accept replication back for failback."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    admits,
    identity,
    is_shared_path,
    replica_settings,
    replica_storage_for,
    replication_label,
    server_label,
)
from hvdesigner.model.entities import Cluster, Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


@check("replication")
def target_accepts(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    """RS-01 (not a Replica server), RS-02 (primary not authorized), RS-06 (storage)."""
    rep: Replication = r.get(rep_id)
    settings = replica_settings(r, rep.target)
    if settings is None:
        yield finding("RS-01", f"{_target(r, rep)}, the target of {replication_label(r, rep)}, "
                      "is not enabled as a Replica server.", rep_id, rep.target)
        return
    source_name = identity(r, rep.source)
    if not admits(settings, source_name):
        yield finding("RS-02", f"{_target(r, rep)} has no authorization entry for {source_name}, "
                      f"the primary of {replication_label(r, rep)}.", rep_id, rep.target)
    if isinstance(r.get(rep.target), Cluster):
        storage = replica_storage_for(settings, source_name)
        if storage is not None and not is_shared_path(storage):
            yield finding("RS-06", f"{_target(r, rep)} stores replicas of "
                          f"{replication_label(r, rep)} in {storage}, which is not shared storage "
                          "(a CSV or SMB share) that every node reaches.", rep_id, rep.target)


def _target(r: RuleReader, rep: Replication) -> str:
    """How a message names the target (made only for a finding: most replications have none)."""
    return cap(server_label(r, rep.target))


@check("replication")
def source_accepts_failback(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if replica_settings(r, rep.source) is None:
        yield finding("RS-05", f"{cap(server_label(r, rep.source))}, the primary of "
                      f"{replication_label(r, rep)}, is not a Replica server: planned failover "
                      "and reverse replication will fail.", rep_id, rep.source)


@check("server")
def any_primary(r: RuleReader, server_id: str) -> Iterator[Finding]:
    """RS-03 (any primary without default storage) and RS-04 (any primary at all)."""
    settings = r.get(server_id).replica_server
    if settings is None or not settings.allow_any_primary:
        return
    label = cap(server_label(r, server_id))
    if settings.storage_for_any_primary is None:
        yield finding("RS-03", f"{label} accepts replication from any server but has no default "
                      "storage location.", server_id)
    yield finding("RS-04", f"{label} accepts replication from any authenticated server instead "
                  "of specific primaries.", server_id)
