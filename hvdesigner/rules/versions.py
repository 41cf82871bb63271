"""Windows Server version rules (VER-*): which way replication may cross versions."""

from __future__ import annotations

from collections.abc import Iterator

from hvdesigner.model.derived import replication_label, server_os
from hvdesigner.model.entities import OS_LABELS, Replication, os_rank
from hvdesigner.rules.check import Finding, RuleReader, cap, check, finding


def _all_config_5(r: RuleReader, rep: Replication) -> bool:
    """The link lists VMs and every one keeps configuration version 5.0 (2012 R2 format)."""
    return bool(rep.vms) and all(r.get(vm).config_version == "5.0" for vm in rep.vms)


@check("replication")
def version_direction(r: RuleReader, rep_id: str) -> Iterator[Finding]:
    rep: Replication = r.get(rep_id)
    source_os, target_os = server_os(r, rep.source), server_os(r, rep.target)
    if source_os is None or target_os is None or source_os == target_os:
        return
    label = cap(replication_label(r, rep))
    versions = f"Windows Server {OS_LABELS[source_os]} → {OS_LABELS[target_os]}"
    subjects = (rep_id, rep.source, rep.target)
    if os_rank(target_os) < os_rank(source_os):
        if (source_os, target_os) == ("2016", "2012r2") and _all_config_5(r, rep):
            yield finding("VER-01", f"{label} goes to an older version ({versions}); it works only "
                          "while every VM stays at configuration version 5.0.", *subjects,
                          severity="warning")
        else:
            yield finding("VER-01", f"{label} goes to an older version ({versions}).", *subjects)
    elif source_os == "2012" and os_rank(target_os) >= os_rank("2016"):
        yield finding("VER-03", f"{label} goes from 2012 to {OS_LABELS[target_os]}: 2012 VMs "
                      "(configuration version 4.0) don't run on 2016 or later.", *subjects)
    elif not ((source_os, target_os) == ("2012r2", "2016") and _all_config_5(r, rep)):
        yield finding("VER-02", f"{label} goes to a newer version ({versions}): reverse "
                      "replication after a failover is not supported.", *subjects)
