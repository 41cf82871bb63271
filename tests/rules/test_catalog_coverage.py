"""Every rule of the catalog has tests in this folder: a new rule without them fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvdesigner.rules.catalog import RULES

_HERE = Path(__file__).parent
_TESTS = "\n".join(p.read_text(encoding="utf-8") for p in sorted(_HERE.glob("test_*.py"))
                   if p.name != Path(__file__).name)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_has_tests(rule):
    assert f'"{rule}"' in _TESTS
    assert f"def test_{rule.replace('-', '').lower()}" in _TESTS
