"""Fixtures of the exporter tests: the PowerShell grammar, built once per machine."""

from __future__ import annotations

import subprocess

import pytest


@pytest.fixture(scope="session")
def ps_parser(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.exporters import psgrammar

    if psgrammar.compiler() is None:
        pytest.skip("no C compiler (cc) to build the tree-sitter PowerShell grammar with; "
                    "CI machines have one")
    store = getattr(request.config, "cache", None)  # (None with -p no:cacheprovider)
    cache = (store.mkdir("tree-sitter-powershell") if store is not None
             else tmp_path_factory.mktemp("tree-sitter-powershell"))
    try:
        library = psgrammar.build(cache)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        # (no registry to fetch the grammar from: say so loudly rather than fail the build)
        pytest.skip(f"could not fetch or build tree-sitter-powershell: {e}")
    return psgrammar.parser(library)
