"""Failover networking rules (NET-*): the address a VM takes on the replica side
(``Set-VMNetworkAdapterFailoverConfiguration``) and the switch a test failover connects it to.

"The replica side" is the target of the VM's primary link, the first by id when TOP-02 finds
several; a VM without a primary link (TOP-03) has none, and the rules about it are skipped.
"""

from __future__ import annotations

import functools
import ipaddress
import re
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
    address = _ipv4(ip.address)
    target = _replica_side(r, vm_id)
    if target is not None:
        site: Site = r.get(r.get(target).site)
        networks = _networks(site.subnets)
        if networks and not any(address & mask == base for base, mask in networks):
            yield finding("NET-02", f"VM {vm.name} fails over to {server_label(r, target)} with "
                          f"address {ip.address}, which lies in none of the subnets of site "
                          f"{site.name} ({', '.join(site.subnets)}).", vm_id, site.id)
    mask = _MASKS[ip.prefix_length]
    if ip.gateway is not None and _ipv4(ip.gateway) & mask != address & mask:
        network = ipaddress.IPv4Network(f"{ip.address}/{ip.prefix_length}", strict=False)
        yield finding("NET-03", f"VM {vm.name}'s failover gateway {ip.gateway} lies outside its "
                      f"failover network {network}.", vm_id)


# Addresses as numbers, a network as (its first address, its mask): a VM's failover address is
# compared with its network and its site's subnets in a few operations, where ipaddress's
# objects took a tenth of a full check's VM units at 5,000 hosts (3,400 addresses).
_MASKS = tuple((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF for n in range(33))
_DOTTED = re.compile(r"\.".join(["(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"] * 4))


def _ipv4(text: str) -> int:
    """An IPv4 address as a number; what ipaddress does not take raises as it did."""
    quad = _DOTTED.fullmatch(text)
    if quad is None:
        return int(ipaddress.IPv4Address(text))
    a, b, c, d = quad.groups()
    return int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)


@functools.lru_cache(maxsize=1024)
def _networks(subnets: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """A site's subnets as (first address, mask), parsed: once for the site's hundreds of VMs
    rather than once each (what the text says, so no read of the design to record)."""
    networks = (ipaddress.IPv4Network(s, strict=False) for s in subnets)
    return tuple((int(n.network_address), int(n.netmask)) for n in networks)


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
