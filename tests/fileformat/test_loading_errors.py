"""Bad design files: each gives DesignFileError naming where and what, never anything else."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hvdesigner.fileformat import DesignFileError, load, loads
from tests.designs import SPEC_EXAMPLE, rich_design


def problems_of(data: bytes | str | dict[str, Any]) -> list[str]:
    raw = json.dumps(data) if isinstance(data, dict) else data
    with pytest.raises(DesignFileError) as caught:
        loads(raw, "broken.hvd")
    return [str(p) for p in caught.value.problems]


def edited(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(rich_design())
    change(doc)
    return doc


@pytest.mark.parametrize("data, expected", [
    (b"", "the file is empty"),
    (b"  \n\t", "the file is empty"),
    (b"{\"format\": \"hvdesigner\",", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 25"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not UTF-8 text (byte 0x89 at offset 0)"),
    (b"[1, 2, 3]", "expected a JSON object (a design), got a list"),
    (b"\"hello\"", "expected a JSON object (a design), got a string"),
    (b"{\"version\": 1}", "/format: not an hvdesigner design"),
    (b"{\"format\": \"drawio\", \"version\": 1}", "/format: not an hvdesigner design"),
    (b"{\"format\": \"hvdesigner\"}", "missing required key 'version'"),
    (b"{\"format\": \"hvdesigner\", \"version\": \"1\"}", "/version: expected a whole number, got a string"),
    (b"{\"format\": \"hvdesigner\", \"version\": 3}", "/version: this design is format version 3, saved by a newer hvdesigner; this one reads version 2"),
    (b"{\"format\": \"hvdesigner\", \"version\": 0}", "/version: 0 is not a format version"),
    (b"{\"format\": \"hvdesigner\", \"version\": 1, \"title\": NaN}", "not valid JSON: NaN is not allowed in JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_unreadable_files_say_what_they_are_not(data: bytes, expected: str) -> None:
    (problem,) = problems_of(data)
    assert expected in problem


def test_fifty_megabytes_of_something_else_is_refused_quickly() -> None:
    junk = json.dumps({"format": "hvdesigner-not", "data": ["x" * 1000] * 50_000}).encode()
    assert len(junk) > 50_000_000
    assert "/format: not an hvdesigner design" in problems_of(junk)[0]
    text = b"lorem ipsum " * 4_500_000
    assert "not valid JSON" in problems_of(text)[0]


def test_every_problem_is_listed_with_its_path() -> None:
    def breaks(doc: dict[str, Any]) -> None:
        doc["hosts"][0]["fdqn"] = doc["hosts"][0].pop("fqdn")
        doc["hosts"][1]["site"] = "nowhere"
        doc["hosts"][2]["os"] = "2021"
        doc["vms"][0]["disks"][0]["size_gb"] = "80"
        doc["replications"][0]["vms"] = ["app1", "ghost"]
        doc["colour"] = "blue"
        doc["wan_links"][0]["bandwidth_mbps"] = 0

    problems = problems_of(edited(breaks))
    assert problems == [
        "/colour: unknown key 'colour'",
        "/wan_links/0/bandwidth_mbps: 0 is out of range: must be more than 0",
        "/hosts/0/fdqn: unknown key 'fdqn' (did you mean 'fqdn'?)",
        "/hosts/0: missing required key 'fqdn'",
        "/hosts/2/os: expected one of '2012', '2012r2', '2016', '2019', '2022', '2025', got a string ('2021')",
        "/vms/0/disks/0/size_gb: expected a number, got a string ('80')",
        "/hosts/1/site: there is no site with id 'nowhere'",
        "/replications/0/vms/1: there is no VM with id 'ghost'",
    ]


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["hosts"].append(copy.deepcopy(d["hosts"][0])),
     "/hosts/7/id: id 'hv1' is already used by /hosts/0"),
    (lambda d: d["vms"][1]["disks"][0].update(id="app1-os"),
     "/vms/1/disks/0/id: id 'app1-os' is already used by /vms/0/disks/0"),
    (lambda d: d["vms"][0].update(placement="corp"),
     "/vms/0/placement: 'corp' is a domain, not a host or cluster"),
    (lambda d: d["hosts"][2].update(site="dr"),
     "/hosts/2/site: a node must be in its cluster's site 'hq'"),
    (lambda d: d["hosts"][2].update(domain="emea"),
     "/hosts/2/domain: a node must be in its cluster's domain (corp)"),
    (lambda d: d["hosts"][2].update(replica_server={}),
     "/hosts/2/replica_server: a node takes its Replica settings from its cluster: set null"),
    (lambda d: d["wan_links"].append({"id": "wan3", "name": "Backup", "sites": ["dr", "hq"],
                                      "bandwidth_mbps": 10}),
     "/wan_links/2/sites: WAN link 'wan1' already joins these sites"),
    (lambda d: d["wan_links"][0].update(sites=["hq", "hq"]),
     "/wan_links/0/sites: a WAN link joins two different sites"),
    (lambda d: d["wan_links"][0].update(sites=["hq"]),
     "/wan_links/0/sites: must have exactly 2 items, has 1"),
    (lambda d: d["domains"][0].update(trusts=["corp"]),
     "/domains/0/trusts: a domain cannot list a trust to itself"),
    (lambda d: d.update(suppressions=[{"rule": "TOP-1", "subject": "r1", "reason": "x"}]),
     "/suppressions/0/rule: unknown rule id 'TOP-1' (did you mean 'TOP-01'?)"),
    (lambda d: d.update(suppressions=[{"rule": "TOP-01", "subject": "r9", "reason": "x"}]),
     "/suppressions/0/subject: there is nothing with id 'r9'"),
    (lambda d: d.update(suppressions=[{"rule": "TOP-01", "subject": "r1"}]),
     "/suppressions/0: missing required key 'reason'"),
    (lambda d: d["replications"][0].update(port=70000),
     "/replications/0/port: 70000 is out of range: must be at most 65535"),
    (lambda d: d["replications"][0].update(frequency_s=True),
     "/replications/0/frequency_s: expected a whole number, got true or false"),
    (lambda d: d["replications"][0].update(vms=["app1", "app1"]),
     "/replications/0/vms/1: a string ('app1') is listed twice (also at /replications/0/vms/0)"),
    (lambda d: d["hosts"][0]["certificates"][0].update(expires="2099-02-30"),
     "/hosts/0/certificates/0/expires: '2099-02-30' is not a real date"),
    (lambda d: d["clusters"][0]["broker"].update(ip="10.0.0.256"),
     "/clusters/0/broker/ip: '10.0.0.256' is not an IPv4 address such as 10.0.0.15"),
    (lambda d: d["sites"][0].update(id="h q"),
     "/sites/0/id: 'h q' is not a valid id: use 1-64 letters, digits, '_', '.' or '-'"),
    (lambda d: d.update(layout=[]), "/layout: expected an object, got a list"),
    (lambda d: d.update(hosts={}), "/hosts: expected a list, got an object"),
])
def test_each_kind_of_mistake_is_named_where_it_is(change: Any, expected: str) -> None:
    assert expected in problems_of(edited(change))


def test_a_key_given_twice_is_a_problem() -> None:
    raw = json.dumps(SPEC_EXAMPLE).replace('"title": "Two sites, one VM"',
                                           '"title": "A", "title": "B"')
    assert problems_of(raw) == ["/title: the key 'title' appears more than once"]


def test_an_entity_that_failed_to_read_is_not_blamed_again() -> None:
    def breaks(doc: dict[str, Any]) -> None:
        doc["sites"][0]["kind"] = "moon"  # site hq unreadable; hosts in it must not cry "no site"

    assert problems_of(edited(breaks)) == [
        "/sites/0/kind: expected one of 'datacenter', 'branch', 'cloud', got a string ('moon')"]


def test_a_missing_or_unreadable_path_is_a_design_file_error(tmp_path: Any) -> None:
    with pytest.raises(DesignFileError, match="cannot read the file"):
        load(tmp_path / "absent.hvd")
    with pytest.raises(DesignFileError, match="cannot read the file"):
        load(tmp_path)


def test_the_report_lists_fifty_problems_then_counts_the_rest() -> None:
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["sites"] += [{"id": f"s{i}", "name": "x", "kind": "moon"} for i in range(120)]
    with pytest.raises(DesignFileError) as caught:
        loads(json.dumps(doc), "many.hvd")
    report = caught.value.report().splitlines()
    assert report[0] == "many.hvd: cannot open this design (120 problems)"
    assert len(report) == 52 and report[-1] == "  … and 70 more"


def test_a_utf8_bom_is_tolerated() -> None:
    design = loads(b"\xef\xbb\xbf" + json.dumps(SPEC_EXAMPLE).encode())
    assert design.title == "Two sites, one VM"
