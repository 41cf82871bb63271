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
from hvdesigner.model.entities import Certificate, Host, Replication
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
    for host_id in dict.fromkeys(machines(r, rep.source) + machines(r, rep.target)):
        yield from machine_findings(r, host_id)


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
    for name in needed_certificate_names(r, host_id):
        covering = [c for c in host.certificates if any(certificate_covers(s, name) for s in c.subjects)]
        good = [c for c in covering if usable(c, r)]
        if not covering:
            uncovered.append(name)
        elif not good:
            unusable.append(name)
        elif all(c.self_signed for c in good):
            self_signed.append(name)
    if uncovered:
        yield finding("CERT-03", f"No certificate of {host.name} covers "
                      f"{', '.join(uncovered)}.", *subjects)
    if unusable:
        yield finding("CERT-02", f"The certificates of {host.name} for {', '.join(unusable)} are "
                      f"not usable on {r.as_of.isoformat()} (a missing Client or Server "
                      "Authentication EKU, or expired).", *subjects)
    if self_signed:
        yield finding("CERT-04", f"{host.name} has only self-signed certificates for "
                      f"{', '.join(self_signed)}: set DisableCertRevocationCheck on both sides "
                      "and import the root on the peer.", *subjects)
