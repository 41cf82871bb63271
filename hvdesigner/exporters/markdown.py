"""Design strings as Markdown that shows them exactly (the report and the runbook): every
character Markdown could read as markup, a link, an autolink or raw HTML is backslash-escaped
(CommonMark allows it before any ASCII punctuation), line breaks fold into spaces, and other
control characters show as U+FFFD (something was there)."""

from __future__ import annotations

import re

_BREAKS = re.compile(r"\r\n|[\r\n\t\v\f\u2028\u2029\x85]")
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
# Markup, links and autolinks (``[``, ``<``, ``http:``, ``www.``, ``a@b``), raw HTML and
# entities (``<``, ``&``), table borders (``|``), maths (``$``), a heading or list at the start
# of a line; a dot before a digit (``0.3``) can start nothing and stays plain.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]<>()#+!|~&@:$]|\.(?!\d)|^[-=]")


def md(value: str) -> str:
    """A design string (or a sentence holding some) as Markdown text that shows as it is."""
    value = _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", value))
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), value)


def md_code(text: str) -> str:
    """Text as an inline code span, delimited by more backticks than it holds in a row."""
    text = _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", text))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
