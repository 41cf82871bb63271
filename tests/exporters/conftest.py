"""Fixtures of the exporter tests: the PowerShell grammar, built once per machine."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ps_parser(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.exporters import psgrammar

    if psgrammar.compiler() is None:
        pytest.skip("no C compiler (cc) to build the tree-sitter PowerShell grammar with; "
                    "CI machines have one")
    cache = (request.config.cache.mkdir("tree-sitter-powershell") if request.config.cache
             else tmp_path_factory.mktemp("tree-sitter-powershell"))
    return psgrammar.parser(psgrammar.build(cache))
