"""PowerShell text: the one function that turns a design string into PowerShell source.

A design is someone else's text, and a deployment script runs with domain-admin rights. So a
string from the design (a name, an FQDN, a path, a note, the title) reaches a script only
through :func:`ps_literal`: a single-quoted literal, in which PowerShell expands nothing (no
``$(...)``, no backtick escapes), with every quote character doubled. PowerShell ends a
single-quoted string at any of ' ‘ ’ ‚ ‛, so all five are doubled, not only the ASCII one.

Control characters other than tab and line breaks go outside the quotes as ``[char]`` codes:
a line break inside single quotes is plain text, but a NUL is best not left in a script at all.

The script is written as UTF-8 *with* a byte-order mark (:func:`script_bytes`): Windows
PowerShell 5.1 reads a file without one as the ANSI code page, where the bytes of, say, "ő"
(C5 91) read as "Å‘", and that ‘ would end the string early.
"""

from __future__ import annotations

import re

#: The characters PowerShell accepts as a single quote (its tokenizer's IsSingleQuote).
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
_QUOTE = re.compile(f"[{SINGLE_QUOTES}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def ps_literal(text: str) -> str:
    """``text`` as a PowerShell expression that evaluates to exactly ``text`` and runs
    nothing: ``'it''s'``; with control characters, ``('a' + [char]0x0 + 'b')``."""
    parts: list[str] = []
    start = 0
    for match in _CONTROL.finditer(text):
        parts += [_quoted(text[start:match.start()]), f"[char]0x{ord(match.group()):x}"]
        start = match.end()
    if not parts:
        return _quoted(text)
    parts.append(_quoted(text[start:]))
    return "(" + " + ".join(parts) + ")"


def _quoted(text: str) -> str:
    return "'" + _QUOTE.sub(lambda m: m.group() * 2, text) + "'"


def ps_array(texts: list[str]) -> str:
    """An array of literals, ``@('a', 'b')``; ``@()`` when empty."""
    return "@(" + ", ".join(ps_literal(t) for t in texts) + ")"


def script_bytes(lines: list[str]) -> bytes:
    """The script file: UTF-8 with a byte-order mark, Windows line ends."""
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def invoke_step(on: str, action: str, arguments: str, block: str) -> str:
    """One ``Invoke-Step`` line of the deployment script; every argument is a variable, a
    number or fixed text (design strings arrive in variables, never here)."""
    return f"Invoke-Step -On {on} -Action {action} -With {arguments} -Do {block}"
