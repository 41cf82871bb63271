"""Authentication and encryption rules (AUTH-*): Kerberos needs trust and is unencrypted;
the link must match what the Replica server listens for."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    is_cross_site,
    listener_mismatch,
    mutually_trusted,
    replica_settings,
    replication_label,
    server_label,
)
from hvdesigner.model.entities import Replication
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


def _domain_name(r: RuleReader, domain: str | None) -> str:
    return "a workgroup" if domain is None else f"domain {r.get(domain).name}"


@check("replication")
def kerberos_trust(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if rep.auth != "kerberos":
        return
    source_domain, target_domain = r.get(rep.source).domain, r.get(rep.target).domain
    if mutually_trusted(r, source_domain, target_domain):
        return
    if source_domain is None or target_domain is None:
        why = "a side is in a workgroup"
    else:
        why = "their domains don't trust each other"
    yield finding("AUTH-01", f"{cap(replication_label(r, rep))} uses Kerberos, but {why} "
                  f"({_domain_name(r, source_domain)} → {_domain_name(r, target_domain)}).",
                  rep_id, rep.source, rep.target)


@check("replication")
def matches_listener(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    """AUTH-02 (accepted authentication) and AUTH-03 (port)."""
    rep: Replication = r.get(rep_id)
    settings = replica_settings(r, rep.target)
    if settings is None:
        return  # RS-01
    mismatch = listener_mismatch(settings, rep)
    if mismatch is None:
        return  # (before the labels: most links match, and their labels would go unused)
    accepted, expected = mismatch
    label, target = cap(replication_label(r, rep)), server_label(r, rep.target)
    if not accepted:
        accepts = " and ".join(settings.auth) or "nothing"
        yield finding("AUTH-02", f"{label} uses {rep.auth} authentication, but {target} accepts "
                      f"{accepts}.", rep_id, rep.target)
    if rep.effective_port != expected:
        yield finding("AUTH-03", f"{label} uses port {rep.effective_port}, but {target} listens "
                      f"for {rep.auth} on port {expected}.", rep_id, rep.target)


@check("replication")
def encrypted_across_sites(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if rep.auth == "kerberos" and is_cross_site(r, rep):
        source_site = r.get(r.get(rep.source).site).name
        target_site = r.get(r.get(rep.target).site).name
        yield finding("AUTH-04", f"{cap(replication_label(r, rep))} sends unencrypted Kerberos "
                      f"(HTTP) traffic from site {source_site} to site {target_site}.",
                      rep_id, rep.source, rep.target)
