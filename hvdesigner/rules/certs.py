"""Certificate rules (CERT-*), for replications with certificate authentication: every sending
and receiving machine needs a usable certificate for each name it answers to."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import (
    certificate_covers,
    machines,
    needed_certificate_names,
    per_pass,
)
from hvdesigner.model.entities import Certificate, Cluster, Host, Replication
from hvdesigner.rules.check import Finding, RuleReader, check, finding


def usable(cert: Certificate, r: RuleReader) -> bool:
    """Both EKUs present and not expired on the check date (valid through ``expires``)."""
    return (
        cert.client_auth
        and cert.server_auth
        and (cert.expires is None or r.as_of <= cert.expires)
    )


@check("replication")
def machine_certificates(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    if rep.auth != "certificate":
        return
    source, target = r.get(rep.source), r.get(rep.target)
    if rep.source == rep.target or _node_of(source, rep.target) or _node_of(target, rep.source):
        # ends that share machines (TOP-01's mistakes): each machine once
        for host_id in dict.fromkeys(machines(r, rep.source) + machines(r, rep.target)):
            yield from machine_findings(r, host_id)
        return
    yield from server_findings(r, rep.source)
    yield from server_findings(r, rep.target)


def _node_of(server: Host | Cluster, cluster_id: str) -> bool:
    return isinstance(server, Host) and server.cluster == cluster_id


@per_pass
def server_findings(r: RuleReader, server_id: str) -> tuple[Finding, ...]:
    """The certificate findings of a server's machines, in their order: the same for every
    replication it takes part in, so put together once per checking pass (a cluster's for the
    4,000 replications from clusters at 5,000 hosts)."""
    return tuple(f for host_id in machines(r, server_id) for f in machine_findings(r, host_id))


@per_pass
def machine_findings(r: RuleReader, host_id: str) -> tuple[Finding, ...]:
    """A machine's certificate findings: the same for every replication it takes part in, so
    worked out once per checking pass."""
    return tuple(_check_machine(r, host_id))


def _check_machine(r: RuleReader, host_id: str) -> Iterator[Finding]:
    host: Host = r.get(host_id)
    subjects = (host_id,) if host.cluster is None else (host_id, host.cluster)
    if not host.certificates:
        yield finding("CERT-01", f"{host.name} takes part in certificate-authenticated "
                      "replication but has no certificate.", *subjects)
        return
    uncovered, unusable, self_signed = [], [], []
    spoiled: dict[int, Certificate] = {}  # position -> an unusable certificate a name relies on
    for name in needed_certificate_names(r, host_id):
        covering = {i: c for i, c in enumerate(host.certificates)
                    if any(certificate_covers(s, name) for s in c.subjects)}
        good = [c for c in covering.values() if usable(c, r)]
        if not covering:
            uncovered.append(name)
        elif not good:
            unusable.append(name)
            spoiled |= covering
        elif all(c.self_signed for c in good):
            self_signed.append(name)
    if uncovered:
        yield finding("CERT-03", f"No certificate of {host.name} covers {', '.join(uncovered)}; "
                      f"{_what_they_cover(host, uncovered)}.", *subjects)
    if unusable:
        why = "; ".join(f"{_which(host, i)} {_why_unusable(c, r)}" for i, c in sorted(spoiled.items()))
        yield finding("CERT-02", f"The certificates of {host.name} for {', '.join(unusable)} are "
                      f"not usable on {r.as_of.isoformat()}: {why}.", *subjects)
    if self_signed:
        yield finding("CERT-04", f"{host.name} has only self-signed certificates for "
                      f"{', '.join(self_signed)}: set DisableCertRevocationCheck on both sides "
                      "and import the root on the peer.", *subjects)


def _which(host: Host, i: int) -> str:
    """A certificate as the inspector lists it: by position, with its issuer."""
    cert = host.certificates[i]
    which = f"certificate {i + 1}" if len(host.certificates) > 1 else "its certificate"
    if cert.self_signed:
        return f"{which} (self-signed)"
    return f"{which} (issued by {cert.issuer})" if cert.issuer.strip() else which


def _why_unusable(cert: Certificate, r: RuleReader) -> str:
    """What makes a certificate unusable: the EKUs it lacks, the day it expired."""
    missing = [eku for eku, present in (("Client", cert.client_auth), ("Server", cert.server_auth))
               if not present]
    reasons = []
    if missing:
        plural = "s" if len(missing) > 1 else ""
        reasons.append(f"lacks the {' and '.join(missing)} Authentication EKU{plural}")
    if cert.expires is not None and r.as_of > cert.expires:
        reasons.append(f"expired at the end of {cert.expires.isoformat()}")  # valid through it
    return " and ".join(reasons)


#: How many names CERT-03 quotes before saying how many more there are.
_SHOWN_NAMES = 6


def _what_they_cover(host: Host, uncovered: list[str]) -> str:
    """The names the machine's certificates do cover, and a word on wildcards when one only
    just misses (``*.example.com`` covers ``hv1.example.com``, not ``hv1.corp.example.com``)."""
    names = list(dict.fromkeys(s for c in host.certificates for s in c.subjects))
    shown = ", ".join(names[:_SHOWN_NAMES])
    if len(names) > _SHOWN_NAMES:
        shown += f" and {len(names) - _SHOWN_NAMES} more"
    who = "its certificates cover" if len(host.certificates) > 1 else "its certificate covers"
    near = [s for s in names if s.startswith("*.") and any(
        n.casefold() == s[2:].casefold() or n.casefold().endswith(s[1:].casefold())
        for n in uncovered)]
    hint = f" ({near[0]} covers names exactly one label longer than {near[0][2:]})" if near else ""
    return f"{who} only {shown}{hint}"
