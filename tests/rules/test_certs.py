"""Certificate rules CERT-01..04 (certificate authentication only)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rules.conftest import (
    add_cluster,
    add_host,
    add_replication,
    assert_clean,
    assert_one,
    assert_silent,
    baseline,
    cert,
    check,
    cluster_source,
    cluster_target,
    find,
    fqdn,
    kerberos,
    of,
    outcome,
)

HV2 = "hv2.corp.example.com"
BROKER = "c1-brk.corp.example.com"


def _hv2_certs(*certificates):
    doc = baseline()
    find(doc, "hv2")["certificates"] = list(certificates)
    return doc


# ---------------------------------------------------------------- CERT-01
@pytest.mark.parametrize("host", ["hv1", "hv2"], ids=["sending", "receiving"])
def test_cert01_machine_without_certificates(host):
    doc = baseline()
    find(doc, host)["certificates"] = []
    f = assert_one(doc, "CERT-01", "error", (host,), host.upper())
    assert "no certificate" in f.message


@pytest.mark.parametrize("build, node", [(cluster_target, "c1n2"), (cluster_source, "c1n1")],
                         ids=["receiving", "sending"])
def test_cert01_every_node_of_a_cluster(build, node):
    doc = build()
    find(doc, node)["certificates"] = []
    assert_one(doc, "CERT-01", "error", (node, "c1"), node.upper())


def test_cert01_silent_with_kerberos():
    doc = kerberos(baseline())
    find(doc, "hv1")["certificates"] = []
    find(doc, "hv2")["certificates"] = []
    assert_silent(doc, "CERT-01", "CERT-02", "CERT-03", "CERT-04")


def test_cert01_once_per_machine_whatever_the_number_of_replications():
    doc = baseline()
    add_host(doc, "hv3", "hq")
    add_replication(doc, "r3", "hv3", "hv2", vms=[])
    find(doc, "hv2")["certificates"] = []
    assert outcome(doc, "CERT-01") == [("error", ("hv2",))]


@pytest.mark.parametrize("source, target, reached", [
    ("c1n1", "c1", ["c1n1", "c1n2", "c1n3"]), ("c1", "c1n2", ["c1n1", "c1n2", "c1n3"]),
    ("c1", "c1", ["c1n1", "c1n2", "c1n3"]), ("c1n1", "c1n2", ["c1n1", "c1n2"])])
def test_cert01_once_per_machine_when_both_ends_share_machines(source, target, reached):
    """A link between a node and its own cluster, a cluster and itself or two of its nodes
    (TOP-01's mistakes): each machine it reaches found once, as on any link."""
    doc = baseline()
    add_cluster(doc, "c1", "dr", nodes=3)
    add_replication(doc, "r3", source, target, vms=[])
    for node in ("c1n1", "c1n2", "c1n3"):
        find(doc, node)["certificates"] = []
    assert outcome(doc, "CERT-01") == [("error", (node, "c1")) for node in reached]


def test_cert01_silent_for_a_machine_on_no_replication():
    doc = baseline()
    add_host(doc, "hv3", "dr", certificates=[])
    assert_clean(doc)


# ---------------------------------------------------------------- CERT-02
@pytest.mark.parametrize("expires, fires", [
    ("2025-12-31", True),   # expired the day before the check
    ("2026-01-01", False),  # valid through its expiry day
    ("2026-01-02", False),
    (None, False),          # unknown: treated as not expired
])
def test_cert02_expiry(expires, fires):
    doc = _hv2_certs(cert(HV2, expires=expires))
    if fires:
        f = assert_one(doc, "CERT-02", "error", ("hv2",), "HV2", HV2, "2026-01-01")
        assert "not usable" in f.message
    else:
        assert_clean(doc)


def test_cert02_follows_the_check_date():
    doc = _hv2_certs(cert(HV2, expires="2026-06-30"))
    assert_clean(doc)
    assert_one(doc, "CERT-02", "error", ("hv2",), "2026-07-01", as_of=dt.date(2026, 7, 1))


@pytest.mark.parametrize("eku", ["client_auth", "server_auth"])
def test_cert02_missing_eku(eku):
    doc = _hv2_certs(cert(HV2, **{eku: False}))
    assert_one(doc, "CERT-02", "error", ("hv2",), "HV2", HV2)


@pytest.mark.parametrize("fields, why, not_said", [
    ({"client_auth": False}, "its certificate (issued by Corp CA) lacks the Client "
     "Authentication EKU.", ("Server", "expired")),
    ({"server_auth": False}, "lacks the Server Authentication EKU.", ("Client", "expired")),
    ({"client_auth": False, "server_auth": False},
     "lacks the Client and Server Authentication EKUs.", ("expired",)),
    ({"expires": "2025-12-31"}, "its certificate (issued by Corp CA) expired at the end of "
     "2025-12-31.", ("EKU",)),
    ({"server_auth": False, "expires": "2025-06-30", "self_signed": True},
     "its certificate (self-signed) lacks the Server Authentication EKU and expired at the end "
     "of 2025-06-30.", ("Client",)),
])
def test_cert02_says_what_makes_the_certificate_unusable(fields, why, not_said):
    f = assert_one(_hv2_certs(cert(HV2, **fields)), "CERT-02", "error", ("hv2",), why)
    for word in not_said:
        assert word not in f.message


def test_cert02_names_each_unusable_certificate_by_its_place_in_the_list():
    doc = _hv2_certs(cert("other.corp.example.com"), cert(HV2, expires="2024-02-29"),
                     cert(HV2, client_auth=False, issuer=""))
    assert_one(doc, "CERT-02", "error", ("hv2",),
               "not usable on 2026-01-01: certificate 2 (issued by Corp CA) expired at the end "
               "of 2024-02-29; certificate 3 lacks the Client Authentication EKU.")


def test_cert02_silent_when_a_usable_certificate_also_covers_the_name():
    doc = _hv2_certs(cert(HV2, expires="2020-01-01"), cert(HV2, client_auth=False), cert(HV2))
    assert_clean(doc)


def test_cert02_broker_name_on_a_node_covered_only_by_an_expired_certificate():
    doc = cluster_target()
    find(doc, "c1n1")["certificates"] = [
        cert(fqdn("c1n1")), cert(BROKER, expires="2025-06-30")]
    assert_one(doc, "CERT-02", "error", ("c1n1", "c1"), "C1N1", BROKER)
    assert_silent(doc, "CERT-03")


# ---------------------------------------------------------------- CERT-03
@pytest.mark.parametrize("subject", [
    "hv9.corp.example.com",
    "*.example.com",           # a wildcard covers exactly one more label, not two
    "*.hv2.corp.example.com",  # ... and not zero
    "hv2.corp",
])
def test_cert03_name_not_covered(subject):
    doc = _hv2_certs(cert(subject))
    f = assert_one(doc, "CERT-03", "error", ("hv2",), "HV2", HV2)
    assert "No certificate" in f.message
    assert f"its certificate covers only {subject}" in f.message


@pytest.mark.parametrize("subjects, said", [
    (["*.example.com"], "covers only *.example.com (*.example.com covers names exactly one "
     "label longer than example.com)."),
    (["*.hv2.corp.example.com"], "(*.hv2.corp.example.com covers names exactly one label "
     "longer than hv2.corp.example.com)."),
    (["hv9.corp.example.com", "*.hoster.example.net"], "covers only hv9.corp.example.com, "
     "*.hoster.example.net."),
])
def test_cert03_says_what_the_certificates_do_cover(subjects, said):
    assert_one(_hv2_certs(cert(*subjects)), "CERT-03", "error", ("hv2",), said)


def test_cert03_lists_the_names_of_every_certificate_and_counts_past_six():
    doc = _hv2_certs(cert("a.corp.example.com", "b.corp.example.com"),
                     cert(*(f"n{i}.corp.example.com" for i in range(6))))
    assert_one(doc, "CERT-03", "error", ("hv2",),
               "its certificates cover only a.corp.example.com, b.corp.example.com, "
               "n0.corp.example.com, n1.corp.example.com, n2.corp.example.com, "
               "n3.corp.example.com and 2 more.")


@pytest.mark.parametrize("subjects", [
    [HV2],
    ["HV2.Corp.Example.COM"],              # case-insensitive
    ["*.corp.example.com"],                # exactly one more label
    ["*.CORP.example.com"],
    ["other.corp.example.com", HV2],       # in the SAN
])
def test_cert03_silent_when_covered(subjects):
    assert_clean(_hv2_certs(cert(*subjects)))


def test_cert03_node_needs_its_broker_name():
    doc = cluster_target()
    find(doc, "c1n2")["certificates"] = [cert(fqdn("c1n2"))]
    assert_one(doc, "CERT-03", "error", ("c1n2", "c1"), "C1N2", BROKER)


@pytest.mark.parametrize("certificates", [
    [cert(fqdn("c1n1"), BROKER)],             # one certificate with both names in SAN
    [cert(fqdn("c1n1")), cert(BROKER)],       # one for each name
    [cert("*.corp.example.com")],             # a wildcard covering both
])
def test_cert03_silent_when_node_and_broker_names_are_covered(certificates):
    doc = cluster_source()
    find(doc, "c1n1")["certificates"] = certificates
    assert_clean(doc)


def test_cert03_node_of_a_cluster_without_broker_needs_its_own_name_only():
    doc = cluster_target()
    find(doc, "c1")["broker"] = None
    find(doc, "c1n1")["certificates"] = [cert(fqdn("c1n1"))]
    findings = check(doc)
    assert of(findings, "CERT-03") == []
    assert [f.rule for f in findings if f.severity != "info"] == ["BRK-01"]


# ---------------------------------------------------------------- CERT-04
def test_cert04_only_self_signed():
    doc = _hv2_certs(cert(HV2, self_signed=True, issuer=""))
    f = assert_one(doc, "CERT-04", "warning", ("hv2",), "HV2", HV2)
    assert "DisableCertRevocationCheck" in f.message


def test_cert04_only_the_usable_certificates_count():
    """A CA certificate that expired doesn't help: the usable ones are all self-signed."""
    doc = _hv2_certs(cert(HV2, self_signed=True), cert(HV2, expires="2025-01-01"))
    assert_one(doc, "CERT-04", "warning", ("hv2",), "HV2")
    assert_silent(doc, "CERT-02", "CERT-03")


def test_cert04_silent_with_a_usable_ca_certificate():
    assert_clean(_hv2_certs(cert(HV2, self_signed=True), cert(HV2)))


def test_cert04_not_when_the_self_signed_certificate_is_unusable():
    doc = _hv2_certs(cert(HV2, self_signed=True, server_auth=False))
    findings = check(doc)
    assert of(findings, "CERT-04") == []
    assert [f.subjects for f in of(findings, "CERT-02")] == [("hv2",)]
