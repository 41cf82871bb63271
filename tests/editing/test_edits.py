"""The intents of editing/edits.py, headless: what each one does to a design, what it refuses,
and that applying then undoing any of them leaves the design as it was, to the byte."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from hvdesigner.editing import defaults, edits, shared
from hvdesigner.editing.edits import Refused
from hvdesigner.editing.layout import Layout
from hvdesigner.editing.ops import apply_ops, inverse
from hvdesigner.fileformat.writer import dumps
from hvdesigner.model.design import Design, ModelError
from hvdesigner.model.entities import Authorization, Host
from tests.designs import load_dict, rich_design


@pytest.fixture
def design() -> Design:
    """The rich design, laid out as the canvas would save it."""
    design = load_dict(rich_design())
    design.set("layout", Layout.of(design).to_json())
    return design


def apply(design: Design, intent: Any, *args: Any, **kwargs: Any) -> edits.Edit:
    edit = intent(design, *args, **kwargs)
    assert edit is not None
    apply_ops(design, edit.ops)
    return edit


def test_a_host_dropped_in_a_frame_is_centred_on_the_drop_and_inside_the_frame(design: Design) -> None:
    frame = Layout.of(design).sites["hq"]
    at = (frame.x + frame.w / 2, frame.y + frame.h / 2)
    edit = apply(design, edits.add_server, "host", at)
    (new,) = edit.select
    host = design.hosts[new]
    assert host.site == "hq" and host.domain == "corp" and host.fqdn.endswith(".corp.example.com")
    card = Layout.of(design).card(design, new)
    assert abs(card.center[0] - at[0]) <= 10 and abs(card.center[1] - at[1]) <= 10
    near_edge = (frame.right - 5, frame.bottom - 5)
    (other,) = apply(design, edits.add_server, "host", near_edge).select
    card = Layout.of(design).card(design, other)
    assert frame.x < card.x and card.right <= frame.right and card.bottom <= frame.bottom


def test_a_server_dropped_outside_every_frame_is_refused(design: Design) -> None:
    with pytest.raises(Refused, match="inside a site frame"):
        edits.add_server(design, "cluster", (-50_000, -50_000))


def test_a_new_cluster_gets_node_ids_nobody_uses(design: Design) -> None:
    cluster_id = design.new_id("cl")
    design.add(Host(f"{cluster_id}-n1", "SQUATTER", "squatter.corp.example.com", "dr"))
    edit = apply(design, edits.add_server, "cluster", Layout.of(design).sites["dr"].center)
    assert edit.select == (cluster_id,)
    nodes = design.nodes_of(cluster_id)
    assert len(nodes) == 2 and f"{cluster_id}-n1" not in nodes
    assert design.hosts[f"{cluster_id}-n1"].name == "SQUATTER"


def test_a_card_dropped_in_another_frame_moves_the_server_and_its_nodes_there(design: Design) -> None:
    layout = Layout.of(design)
    dr = layout.sites["dr"]
    apply(design, edits.move, {"cla": (dr.x + 40, dr.y + 60)})
    assert design.clusters["cla"].site == "dr"
    assert {design.hosts[n].site for n in design.nodes_of("cla")} == {"dr"}


def test_a_moved_frame_carries_its_cards(design: Design) -> None:
    before = Layout.of(design)
    frame = before.sites["hq"]
    apply(design, edits.move, sites={"hq": (frame.x + 100, frame.y + 50)})
    after = Layout.of(design)
    for server in design.servers_in_site("hq"):
        if server in before.servers:
            assert after.servers[server] == (before.servers[server][0] + 100,
                                             before.servers[server][1] + 50)


def test_a_card_never_lands_above_or_left_of_its_frame(design: Design) -> None:
    frame = Layout.of(design).sites["hq"]
    apply(design, edits.move, {"hv1": (frame.x - 500, frame.y - 500)})
    card = Layout.of(design).card(design, "hv1")
    assert design.hosts["hv1"].site == "hq" and card.x > frame.x and card.y > frame.y + 28


def test_nudging_moves_cards_by_the_step(design: Design) -> None:
    x, y = Layout.of(design).servers["hv1"]
    apply(design, edits.nudge, ["hv1"], 10, 0)
    assert Layout.of(design).servers["hv1"] == (x + 10, y)


def test_align_and_distribute_keep_each_card_in_its_frame(design: Design) -> None:
    servers = ["hv1", "hv2", "cla", "clb", "hc1"]
    for how in ("left", "top", "horizontal", "vertical"):
        edit = edits.align(design, servers, how)
        if edit is not None:
            apply_ops(design, edit.ops)
        layout = Layout.of(design)
        for s in servers:
            frame, card = layout.sites[design.get(s).site], layout.card(design, s)
            assert frame.x <= card.x and frame.y <= card.y and card.right <= frame.right
    with pytest.raises(Refused, match="at least two"):
        edits.align(design, ["hv1"], "left")


def test_the_port_follows_the_authentication_unless_it_was_custom(design: Design) -> None:
    apply(design, edits.set_fields, "r1", auth="kerberos")
    assert design.replications["r1"].effective_port == 80
    apply(design, edits.set_fields, "r1", port=8080)
    apply(design, edits.set_fields, "r1", auth="certificate")
    assert design.replications["r1"].effective_port == 8080


def test_a_new_certificate_on_a_node_names_the_node_and_its_broker(design: Design) -> None:
    cert = defaults.new_certificate(design, "na1")
    assert cert.subjects == ("na1.corp.example.com", "cla-rb.corp.example.com")
    assert defaults.new_certificate(design, "hv1").subjects == ("hv1.corp.example.com",)


def test_a_value_the_file_could_not_hold_is_refused_with_the_loaders_reason(design: Design) -> None:
    with pytest.raises(Refused, match="empty"):
        edits.rename(design, "hv1", "  ")
    with pytest.raises(Refused):
        edits.set_fields(design, "wan1", bandwidth_mbps=0)


def test_history_labels_use_the_words_the_user_reads(design: Design) -> None:
    edit = edits.set_fields(design, "r1", frequency_s=900)
    assert edit is not None and edit.label == "Change Replication frequency of r1"
    edit = edits.set_fields(design, "app1-pf", replicate=True)
    assert edit is not None and edit.label == "Change Replicate of disk pagefile.vhdx (APP1)"


def test_an_edit_that_changes_nothing_is_none(design: Design) -> None:
    assert edits.set_fields(design, "hv1", name="HV1") is None
    assert edits.tag_domain(design, "hv1", "corp") is None
    assert edits.move(design, {"hv1": Layout.of(design).servers["hv1"]}) is None


def test_several_of_a_kind_get_the_shared_field_in_one_edit(design: Design) -> None:
    edit = apply(design, shared.set_shared_fields, ["r1", "r2", "r3"], compression=False)
    assert "3 replications" in edit.label
    assert not any(r.compression for r in design.replications.values())


def test_a_setting_changed_for_several_changes_that_setting_alone_on_each(design: Design) -> None:
    """(The settings a multi-selection shows are the first's: changing its port gave every
    selected host the first's whole Replica setup, the primaries it authorizes too.)"""
    apply(design, edits.set_fields, "hv2", replica_server=None)
    hv1, hc1 = design.hosts["hv1"], design.hosts["hc1"]
    assert hv1.replica_server != hc1.replica_server  # (each authorizes its own primaries)
    shown = dataclasses.replace(hv1, replica_server=dataclasses.replace(
        hv1.replica_server, certificate_port=8443))
    edit = apply(design, shared.set_shared_changes, ["hv1", "hc1", "hv2"], hv1, shown)
    assert "2 hosts" in edit.label
    assert design.hosts["hv1"].replica_server == shown.replica_server
    assert design.hosts["hc1"].replica_server == dataclasses.replace(
        hc1.replica_server, certificate_port=8443)
    assert design.hosts["hv2"].replica_server is None  # (no Replica settings to change)
    # a list: what was added to the first's, added to each; what was taken, taken from each
    hv1, hc1 = design.hosts["hv1"], design.hosts["hc1"]
    entry = Authorization("sea-hv03.corp.example.com", "D:\\Replica")
    apply(design, shared.set_shared_changes, ["hv1", "hc1"], hv1, dataclasses.replace(
        hv1, replica_server=dataclasses.replace(
            hv1.replica_server, authorizations=(*hv1.replica_server.authorizations, entry),
            auth=("certificate", "kerberos"))))
    assert design.hosts["hc1"].replica_server == dataclasses.replace(
        hc1.replica_server, authorizations=(entry,), auth=("certificate", "kerberos"))
    assert design.hosts["hv1"].replica_server.authorizations == (
        *hv1.replica_server.authorizations, entry)
    apply(design, shared.set_shared_changes, ["hq", "dr"], design.sites["hq"],
          dataclasses.replace(design.sites["hq"], subnets=("10.0.0.0/16", "10.9.0.0/16")))
    assert design.sites["hq"].subnets == ("10.0.0.0/16", "10.9.0.0/16")
    assert design.sites["dr"].subnets == ("10.9.0.0/16",)  # (not the first's whole list)
    # a group switched on: each without it gets its own, one with it keeps its own
    hc1 = design.hosts["hc1"]
    made = defaults.new_replica_server(design, "hv2")
    apply(design, shared.set_shared_changes, ["hv2", "hc1"], design.hosts["hv2"],
          dataclasses.replace(design.hosts["hv2"], replica_server=made))
    assert design.hosts["hv2"].replica_server == made and design.hosts["hc1"] == hc1
    apply(design, edits.set_fields, "hv2", replica_server=None)
    apply(design, shared.set_shared_changes, ["hc1", "hv2"], design.hosts["hc1"],
          dataclasses.replace(design.hosts["hc1"], replica_server=None))
    shown = dataclasses.replace(defaults.new_replica_server(design, "hc1"), kerberos_port=81)
    apply(design, shared.set_shared_changes, ["hc1", "hv2"], design.hosts["hc1"],
          dataclasses.replace(design.hosts["hc1"], replica_server=shown))
    assert design.hosts["hv2"].replica_server == made  # (made for it, not hc1's)
    assert design.hosts["hc1"].replica_server == shown  # (the first: as its form made it)
    # a field changed as a whole, the same on each
    hv1 = design.hosts["hv1"]
    apply(design, shared.set_shared_changes, ["hv1", "hc1", "hv2"], hv1,
          dataclasses.replace(hv1, os="2019", replica_server=None))
    assert {(design.hosts[h].os, design.hosts[h].replica_server) for h in ("hv1", "hc1", "hv2")} \
        == {("2019", None)}


def test_suppressing_needs_a_reason_and_unsuppressing_takes_it_back(design: Design) -> None:
    with pytest.raises(Refused, match="reason"):
        edits.suppress(design, "FW-01", "hv1", " ")
    apply(design, edits.suppress, "FW-01", "hv1", "Opened by GPO")
    assert [(s.rule, s.subject, s.reason) for s in design.suppressions][-1] == ("FW-01", "hv1", "Opened by GPO")
    apply(design, edits.unsuppress, "FW-01", "hv1")
    assert all(s.rule != "FW-01" for s in design.suppressions)


def test_unsuppressing_a_finding_takes_back_every_suppression_that_hides_it(design: Design) -> None:
    apply(design, edits.suppress, "VER-02", "r2", "failback planned")
    apply(design, edits.suppress, "VER-02", "cla", "upgrade planned")
    apply(design, edits.suppress, "VER-02", "r3", "kept")
    edit = apply(design, edits.unsuppress_finding, "VER-02", ("r2", "cla", "clb"))
    assert edit.label == "Un-suppress VER-02 on Tier 1"
    assert [(s.rule, s.subject) for s in design.suppressions] == [("VER-02", "r3")]
    assert edits.unsuppress_finding(design, "VER-02", ("r2", "cla", "clb")) is None


def test_deleting_a_site_takes_its_servers_and_their_places_on_the_canvas(design: Design) -> None:
    apply(design, edits.delete, ["hq"])
    assert "hv1" not in design and "cla" not in design and "na1" not in design
    assert "hv1" not in design.layout["servers"] and "hq" not in design.layout["sites"]


def test_a_node_moved_to_a_cluster_in_another_site_is_refused_by_the_model(design: Design) -> None:
    edit = edits.set_fields(design, "na1", cluster="clb")
    assert edit is not None
    before = dumps(design)
    with pytest.raises(ModelError) as refused:
        apply_ops(design, edit.ops)
    assert dumps(design) == before
    assert "Not changed: NA1" in edits.refusal(design, refused.value)


INTENTS: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = [
    (edits.add_site, ((5000, 5000),), {}),
    (edits.add_server, ("cluster", (0, 0), "hq"), {}),
    (edits.add_node, ("cla",), {}),
    (edits.add_vm, ("hv2",), {}),
    (edits.add_firewall, ("hv1",), {}),
    (edits.add_domain, ("cla",), {}),
    (edits.add_wan_link, ("hq", "cloud"), {}),
    (edits.draw_replication, ("hv2", "hc1"), {}),
    (edits.tag_domain, ("hc1", "corp"), {}),
    (edits.tag_firewall, ("hv2", "fw1"), {}),
    (edits.move_vm, ("old1", "hv1"), {}),
    (edits.set_fields, ("r2",), {"recovery_points": 24}),
    (edits.set_attribute, ("title", "Renamed"), {}),
    (edits.align, (["hv1", "hc1"], "left"), {}),
    (edits.delete, (["dr"],), {}),
    (edits.suppress, ("CERT-01", "hc1", "lab"), {}),
]


@pytest.mark.parametrize(("intent", "args", "kwargs"), INTENTS, ids=[i[0].__name__ for i in INTENTS])
def test_every_intent_applies_and_undoes_to_the_same_bytes(design: Design, intent: Any,
                                                         args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    before = dumps(design)
    edit = apply(design, intent, *args, **kwargs)
    assert dumps(design) != before and edit.label
    apply_ops(design, inverse(edit.ops))
    assert dumps(design) == before


def test_a_servers_fqdn_follows_its_name_unless_typed_apart(design: Design) -> None:
    edit = apply(design, edits.rename, "hv1", "SEA HV01")
    assert edit.label == "Rename HV1 to SEA HV01"
    assert design.hosts["hv1"].fqdn == "sea-hv01.corp.example.com"
    apply(design, edits.set_fields, "hv2", fqdn="replica.corp.example.com")
    apply(design, edits.rename, "hv2", "HV9")
    assert design.hosts["hv2"].fqdn == "replica.corp.example.com"
    # a DNS name of letters, digits and hyphens, whatever the name holds (any script's
    # letters); none left: kept, and followed again once there are
    apply(design, edits.rename, "hv1", "<b>SEA</b> & R&D_01")
    assert design.hosts["hv1"].fqdn == "b-sea-b-r-d-01.corp.example.com"
    apply(design, edits.rename, "hv1", "Zürich 東京01")
    assert design.hosts["hv1"].fqdn == "zürich-東京01.corp.example.com"
    for typed in ("(", "(D", "(DR) HV9"):  # (retyped in the inspector: a rename a key)
        apply(design, edits.rename, "hv1", typed)
    assert design.hosts["hv1"].fqdn == "dr-hv9.corp.example.com"
    # an FQDN made as names made them before (the rest kept, "hv_01") follows still
    apply(design, edits.set_fields, "hv1", name="HV_01", fqdn="hv_01.corp.example.com")
    apply(design, edits.rename, "hv1", "HV_02")
    assert design.hosts["hv1"].fqdn == "hv-02.corp.example.com"


def test_a_domains_new_dns_name_reaches_its_servers_and_brokers(design: Design) -> None:
    apply(design, edits.set_fields, "corp", fqdn="corp.contoso.com")
    assert design.hosts["hv1"].fqdn == "hv1.corp.contoso.com"
    assert design.clusters["cla"].broker.fqdn == "cla-rb.corp.contoso.com"
    assert design.hosts["hc1"].fqdn == "hc1.hoster.example.net"  # another domain


def test_a_host_pasted_where_its_site_does_not_exist_is_refused_or_joins_the_frame(design: Design) -> None:
    from hvdesigner.editing import clipboard
    fragment = clipboard.copy(design, ["hv1"])
    other = load_dict({"format": "hvdesigner", "version": 1,
                       "sites": [{"id": "lab", "name": "Lab"}]})
    other.set("layout", Layout.of(other).to_json())
    before = dumps(other)
    with pytest.raises(Refused, match="inside a site frame"):
        clipboard.paste(other, fragment)
    assert dumps(other) == before
    edit = apply(other, clipboard.paste, fragment, Layout.of(other).sites["lab"].center)
    (host,) = [i for i in edit.select if i in other.hosts]
    assert other.hosts[host].site == "lab" and other.hosts[host].name == "HV1"  # no clash here


@pytest.mark.parametrize("intent, args, kwargs", [
    (edits.set_fields, ("hv1",), {"name": "HV1\ud800"}),
    (edits.rename, ("hv1", "HV1\udfff"), {}),
    (edits.set_fields, ("sql1-os",), {"size_gb": float("inf")}),
    (edits.set_fields, ("r1",), {"frequency_s": 2**53}),
    (edits.set_attribute, ("title", "Design \ud800"), {}),
    (edits.set_attribute, ("notes", "\udc00"), {}),
    (edits.suppress, ("FW-01", "hv1", "Opened by GPO \ud800"), {}),
], ids=["name", "rename", "size", "frequency", "title", "notes", "reason"])
def test_what_a_save_could_not_write_is_refused_and_changes_nothing(
        design: Design, intent: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The loader refuses these in a file (fileformat/limits.py); an edit must not let them in
    either, or the next Save would fail."""
    before = dumps(design)
    with pytest.raises(Refused, match="lone surrogate|beyond what a double holds|too large"):
        intent(design, *args, **kwargs)
    assert dumps(design) == before
