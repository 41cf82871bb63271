"""The Design aggregate: the only way to change a design, with integrity and change events."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from hvdesigner.model.design import Change, Design, IntegrityError, ModelError
from hvdesigner.model.entities import VM, Cluster, Disk, Host, Replication, Site, Suppression
from tests.designs import load_dict, rich_design


@pytest.fixture
def design() -> Design:
    return load_dict(rich_design())


@pytest.fixture
def heard(design: Design) -> list[list[Change]]:
    batches: list[list[Change]] = []
    design.subscribe(batches.append)
    return batches


def test_an_update_is_heard_with_its_id_fields_and_values(design: Design, heard: list[Any]) -> None:
    design.update("r1", frequency_s=900, compression=False)
    [[change]] = heard
    assert change.id == "r1" and change.fields == {"frequency_s", "compression"}
    assert change.before.frequency_s == 300 and change.after.frequency_s == 900


def test_a_disk_edit_is_heard_for_the_disk_and_its_vm(design: Design, heard: list[Any]) -> None:
    design.update("sql1-pf", replicate=True)
    [changes] = heard
    assert [(c.id, c.fields) for c in changes] == [("sql1", {"disks"}), ("sql1-pf", {"replicate"})]
    assert design.get("sql1-pf").replicate is True and design.vm_of_disk("sql1-pf") == "sql1"


def test_an_edit_that_changes_nothing_is_not_heard(design: Design, heard: list[Any]) -> None:
    design.update("r1", frequency_s=300)
    assert heard == []


def test_a_transaction_is_heard_once(design: Design, heard: list[Any]) -> None:
    with design.transaction():
        design.add(Site("br", "Branch", "branch"))
        design.add(Host("hb", "HB", "hb.corp.example.com", "br", domain="corp"))
        design.update("hb", os="2025")
    [changes] = heard
    assert [(c.id, c.before) for c in changes] == [("br", None), ("hb", None)]
    assert changes[1].after.os == "2025"


def test_removing_something_still_referred_to_is_refused_and_rolled_back(
        design: Design, heard: list[Any]) -> None:
    with pytest.raises(IntegrityError) as caught:
        design.remove("hv1")
    assert ("r1", "source", "there is no host or cluster with id 'hv1'") in caught.value.problems
    assert design.get("hv1").name == "HV1" and "hv1" in design.graph
    assert heard == []


def test_a_failed_transaction_rolls_every_edit_back(design: Design, heard: list[Any]) -> None:
    with pytest.raises(IntegrityError):
        with design.transaction():
            design.update("r1", frequency_s=30)
            design.update("cla", site="dr")  # its nodes would be elsewhere
    assert design.get("r1").frequency_s == 300 and design.get("cla").site == "hq"
    assert heard == []


def test_moving_a_cluster_with_its_nodes_in_one_transaction_works(design: Design) -> None:
    with design.transaction():
        design.update("cla", site="dr")
        for node in sorted(design.nodes_of("cla")):
            design.update(node, site="dr")
    assert design.servers_in_site("dr") >= {"cla", "na1", "na2"}


@pytest.mark.parametrize("action, message", [
    (lambda d: d.add(Site("hq", "Again")), "id 'hq' is already used"),
    (lambda d: d.add(Site("bad id", "x")), "'bad id' is not a valid id"),
    (lambda d: d.add(Site("app1-os", "x")), "id 'app1-os' is already used"),
    (lambda d: d.update("ghost", name="x"), "there is no entity with id 'ghost'"),
    (lambda d: d.update("web1", disks=(Disk("sql1-os", "x", 1),)), "id 'sql1-os' is already used"),
    (lambda d: d.set("colour", "blue"), "unknown design attribute 'colour'"),
])
def test_invalid_edits_are_refused_with_a_reason(design: Design, action: Any, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        action(design)


def test_a_suppressed_subject_cannot_be_removed_under_the_suppression(design: Design) -> None:
    design.set("suppressions", (Suppression("TOP-08", "r1", "placeholder"),))
    design.update("r1", vms=())
    design.remove("app1")
    with pytest.raises(IntegrityError, match="a suppression refers to it"):
        design.remove("r1")


def test_indexes_follow_edits(design: Design) -> None:
    assert design.replications_listing("sql1") == {"r2", "r3"}
    assert design.replications_at("clb") == {"r2", "r3"}
    assert design.nodes_of("cla") == {"na1", "na2"}
    assert design.vms_on("cla") == {"sql1", "web1"}
    assert design.firewalls_protecting("cloud") == {"fw1"}
    assert design.wan_link_between("dr", "hq") == "wan1"
    assert design.name_users("corp", "cla-rb") == {"cla#broker"}
    design.update("r3", vms=("web1",), source="hv2")
    assert design.replications_listing("sql1") == {"r2"}
    assert design.replications_at("clb") == {"r2"} and design.replications_at("hv2") == {"r1", "r3"}
    design.update("web1", placement="hv1")
    assert design.vms_on("hv1") == {"app1", "web1"}
    design.remove("r3")
    assert ("hv2", "hc1") not in design.graph.edges()


def test_the_graph_has_servers_as_nodes_and_replications_as_keyed_edges(design: Design) -> None:
    graph = design.graph
    assert set(graph.nodes) == set(design.hosts) | set(design.clusters)
    assert set(graph.edges(keys=True)) == {("hv1", "hv2", "r1"), ("cla", "clb", "r2"),
                                           ("clb", "hc1", "r3")}
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        graph.add_node("x")  # a read-only view


def test_the_graph_made_late_is_the_graph_followed_from_the_start() -> None:
    """The graph is made when first read, then kept up to date: either way, the same."""
    early, late = load_dict(rich_design()), load_dict(rich_design())
    view = early.graph
    for d in (early, late):
        d.remove("r3")
        d.update("r1", source="cla")
        with pytest.raises(IntegrityError):
            d.remove("hv1")
    for graph in (view, early.graph):
        assert set(graph.nodes) == set(late.graph.nodes)
        assert set(graph.edges(keys=True)) == set(late.graph.edges(keys=True))


def test_entities_are_values(design: Design) -> None:
    with pytest.raises(AttributeError):
        design.get("r1").port = 8443  # type: ignore[misc]
    assert isinstance(design.get("sql1"), VM) and isinstance(design.get("cla"), Cluster)


def test_derived_defaults_follow_the_field_they_derive_from(design: Design) -> None:
    rep: Replication = design.get("r1")
    assert rep.port is None and rep.effective_port == 443
    design.update("r1", auth="kerberos")
    assert design.get("r1").effective_port == 80
    assert design.get("corp").forest_root == "corp.example.com"
    assert design.get("app1-os").used == 80


def test_the_site_pair_index_follows_replications_and_server_moves(design: Design) -> None:
    def recomputed() -> dict[frozenset[str], set[str]]:
        pairs: dict[frozenset[str], set[str]] = {}
        for rep in design.replications.values():
            a, b = design.get(rep.source).site, design.get(rep.target).site
            if a != b:
                pairs.setdefault(frozenset((a, b)), set()).add(rep.id)
        return pairs

    def indexed() -> dict[frozenset[str], set[str]]:
        return {frozenset((a, b)): set(design.replications_between(a, b))
                for a in design.sites for b in design.sites
                if a < b and design.replications_between(a, b)}

    assert indexed() == recomputed() == {frozenset(("hq", "dr")): {"r1", "r2"},
                                         frozenset(("dr", "cloud")): {"r3"}}
    with design.transaction():
        design.update("clb", site="cloud")
        for node in sorted(design.nodes_of("clb")):
            design.update(node, site="cloud")
    assert indexed() == recomputed()
    design.update("r1", target="hc1")
    design.remove("r3")
    assert indexed() == recomputed()


def test_a_new_vm_whose_disk_has_the_vms_own_id_is_refused(design: Design) -> None:
    """Ids are unique, disks' included, as a file's are (a VM is not in the design yet while
    its disks are claimed)."""
    with pytest.raises(ModelError, match="id 'v9' is already used"):
        design.add(VM("v9", "V9", "hv1", disks=(Disk("v9", "os.vhdx", 60),)))
    assert "v9" not in design
