"""Derived facts that the rules, canvas and exports share."""

from __future__ import annotations

import datetime as dt

import pytest

from hvdesigner.model import derived
from tests.designs import load_dict, rich_design


@pytest.mark.parametrize("subject, name, covered", [
    ("hv1.corp.example.com", "HV1.Corp.Example.com", True),
    ("*.corp.example.com", "hv1.corp.example.com", True),
    ("*.corp.example.com", "a.b.corp.example.com", False),
    ("*.corp.example.com", "corp.example.com", False),
    ("*.CORP.example.com", "hv1.corp.EXAMPLE.com", True),
])
def test_certificate_wildcards_cover_one_more_label(subject: str, name: str, covered: bool) -> None:
    assert derived.certificate_covers(subject, name) is covered


@pytest.mark.parametrize("primary, name, admitted", [
    ("*.corp.example.com", "a.b.corp.example.com", True),
    ("*.corp.example.com", "corp.example.com", False),
    ("HV1.corp.example.com", "hv1.CORP.example.com", True),
])
def test_authorization_wildcards_admit_any_depth(primary: str, name: str, admitted: bool) -> None:
    assert derived.authorization_matches(primary, name) is admitted


def test_domains_trust_within_a_forest_or_by_a_trust_either_side() -> None:
    design = load_dict(rich_design())
    assert derived.mutually_trusted(design, "corp", "emea")  # same forest
    assert not derived.mutually_trusted(design, "corp", "hoster")
    assert not derived.mutually_trusted(design, None, None)  # workgroups trust nobody
    design.update("hoster", trusts=("emea",))
    assert derived.mutually_trusted(design, "emea", "hoster")
    assert not derived.mutually_trusted(design, "corp", "hoster")  # trusts are not transitive


def test_vm_links_and_the_machines_that_send_and_receive() -> None:
    design = load_dict(rich_design())
    assert derived.vm_links(design, "sql1") == (("r2",), ("r3",))
    assert derived.vm_links(design, "web1") == (("r2",), ())
    assert derived.machines(design, "clb") == ["nb1", "nb2"]
    assert derived.server_os(design, "cla") == "2019"  # its oldest node
    assert derived.identity(design, "cla") == "cla-rb.corp.example.com"
    assert derived.needed_certificate_names(design, "na1") == [
        "na1.corp.example.com", "cla-rb.corp.example.com"]


def test_a_vm_on_one_link_has_it_as_primary_only_from_where_it_runs() -> None:
    design = load_dict(rich_design())
    assert derived.vm_links(design, "old1") == ((), ())  # on no link
    assert derived.vm_links(design, "app1") == (("r1",), ())
    design.update("app1", placement="hv2")  # r1 now starts where app1 is not
    assert derived.vm_links(design, "app1") == ((), ())
    design.update("app1", placement="na1")  # a node counts as its cluster: cla, r2's source
    design.update("r2", vms=("sql1", "web1", "app1"))
    design.update("r1", vms=())
    assert derived.vm_links(design, "app1") == (("r2",), ())


def test_a_replication_passes_firewalls_that_protect_one_side_only() -> None:
    design = load_dict(rich_design())
    [crossing] = derived.firewalls_passed(design, design.get("r3"))
    assert (crossing.firewall.id, crossing.direction) == ("fw1", "inbound")
    design.update("fw1", protects=("cloud", "clb"))
    assert derived.firewalls_passed(design, design.get("r3")) == []
    design.update("fw1", protects=("cla",))  # nodes are behind their cluster's firewall
    assert derived.firewalls_behind(design, "na1") == {"fw1"}


def test_a_reader_of_one_pass_answers_which_replications_list_a_vm_as_the_design_does() -> None:
    """A reader with a memo keeps the answers of the listing index for its pass: the same as
    the design's for every VM, a VM on no replication and an id that is no VM."""
    design = load_dict(rich_design())
    pass_reader = derived.PlainReader(design, dt.date(2026, 1, 1), {})
    for _ in range(2):  # (asked, then answered from the table)
        for vm_id in [*design.vms, "no-such-vm"]:
            assert pass_reader.replications_listing(vm_id) == design.replications_listing(vm_id)
    assert any(pass_reader.replications_listing(vm_id) for vm_id in design.vms)


def test_a_reader_of_one_pass_gets_every_entity_as_the_design_holds_it() -> None:
    """A reader of a whole pass looks entities up in a copy made for it: the very values the
    design holds, and no other ids."""
    design = load_dict(rich_design())
    pass_reader = derived.PlainReader(design, dt.date(2026, 1, 1), {}, whole_pass=True)
    for id, entity in design.entities_by_id().items():
        assert pass_reader.get(id) is entity
    with pytest.raises(KeyError):
        pass_reader.get("no-such-id")


def test_a_reader_of_one_pass_works_each_derived_fact_out_once_none_included() -> None:
    """A plain reader with a memo keeps a fact's answer for its pass, None as any other (a
    cluster without nodes has no OS); one without a memo, or a new memo, asks again."""
    design = load_dict(rich_design())
    asked: list[str] = []

    @derived.per_pass
    def cluster_os(r: derived.Reader, cluster_id: str) -> str | None:
        asked.append(cluster_id)
        return derived.server_os(r, cluster_id)

    design.update("na1", cluster=None)
    design.update("na2", cluster=None)
    assert not design.nodes_of("cla")
    pass_reader = derived.PlainReader(design, dt.date(2026, 1, 1), {})
    assert [cluster_os(pass_reader, "cla") for _ in range(3)] == [None] * 3
    assert [cluster_os(pass_reader, "hv1") for _ in range(2)] == [design.hosts["hv1"].os] * 2
    assert asked == ["cla", "hv1"]
    design.update("na1", cluster="cla")  # (an edit: the next pass, a new memo, sees it)
    assert cluster_os(derived.PlainReader(design, dt.date(2026, 1, 1), {}), "cla") == \
        design.hosts["na1"].os
    unmemoized = derived.PlainReader(design, dt.date(2026, 1, 1))
    assert [cluster_os(unmemoized, "cla") for _ in range(2)] == [design.hosts["na1"].os] * 2
    assert asked == ["cla", "hv1", "cla", "cla", "cla"]
