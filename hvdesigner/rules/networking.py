"""Failover networking rules (NET-*): the address a VM takes on the replica side
(``Set-VMNetworkAdapterFailoverConfiguration``) and the switch a test failover connects it to.

"The replica side" is the target of the VM's primary link, the first by id when TOP-02 finds
several; a VM without a primary link (TOP-03) has none, and the rules about it are skipped.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterator

from hvdesigner.model.derived import server_label, virtual_switches, vm_links
from hvdesigner.model.entities import VM, Cluster, Replication, Site
from hvdesigner.rules.check import Finding, RuleReader, check, finding


@check("vm")
def failover_address(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """NET-01 (no integration services to apply it), NET-02 (outside the recovery site's
    subnets) and NET-03 (gateway outside its own network)."""
    vm: VM = r.get(vm_id)
    ip = vm.failover_ip
    if ip is None:
        return
    if not vm.integration_services:
        yield finding("NET-01", f"VM {vm.name} has a failover IP address ({ip.address}) but no "
                      "integration services to apply it: it fails over with the primary's "
                      "address.", vm_id)
    address = ipaddress.IPv4Address(ip.address)
    target = _replica_side(r, vm_id)
    if target is not None:
        site: Site = r.get(r.get(target).site)
        networks = _networks(site.subnets)
        if networks and not any(address in n for n in networks):
            yield finding("NET-02", f"VM {vm.name} fails over to {server_label(r, target)} with "
                          f"address {ip.address}, which lies in none of the subnets of site "
                          f"{site.name} ({', '.join(site.subnets)}).", vm_id, site.id)
    network = ipaddress.IPv4Network(f"{ip.address}/{ip.prefix_length}", strict=False)
    if ip.gateway is not None and ipaddress.IPv4Address(ip.gateway) not in network:
        yield finding("NET-03", f"VM {vm.name}'s failover gateway {ip.gateway} lies outside its "
                      f"failover network {network}.", vm_id)


@functools.lru_cache(maxsize=1024)
def _networks(subnets: tuple[str, ...]) -> tuple[ipaddress.IPv4Network, ...]:
    """A site's subnets, parsed: once for the site's hundreds of VMs rather than once each
    (what the text says, so no read of the design to record)."""
    return tuple(ipaddress.IPv4Network(s, strict=False) for s in subnets)


@check("vm")
def switch_for_test_failover(r: RuleReader, vm_id: str) -> Iterator[Finding]:
    """NET-04 (test switch the replica server lacks) and NET-05 (no test switch)."""
    vm: VM = r.get(vm_id)
    if not r.replications_listing(vm_id):
        return  # not replicated: no test failover
    if vm.test_switch is None:
        yield finding("NET-05", f"VM {vm.name} has no test switch: a test failover starts its "
                      "replica unconnected.", vm_id)
        return
    target = _replica_side(r, vm_id)
    if target is None:
        return
    switches = virtual_switches(r, target)
    if switches is not None and vm.test_switch.casefold() not in switches:
        where = "every node of " if isinstance(r.get(target), Cluster) else ""
        yield finding("NET-04", f"VM {vm.name}'s test switch {vm.test_switch} is not a virtual "
                      f"switch of {where}{server_label(r, target)}, its replica server.",
                      vm_id, target)


def _replica_side(r: RuleReader, vm_id: str) -> str | None:
    """The target of the VM's primary link (the first by id), None without one."""
    primary = vm_links(r, vm_id).primary
    if not primary:
        return None
    rep: Replication = r.get(primary[0])
    return rep.target
