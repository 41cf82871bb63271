"""A real PowerShell grammar for the tests: tree-sitter-powershell, built once from its npm
package and loaded with py-tree-sitter.

The package (pinned, integrity-checked) comes from the npm registry, with `npm pack` or a plain
download of the same tarball; its C parser is compiled with the machine's C compiler into the
pytest cache, so later runs reuse it. CI machines have `cc`; without one the tests that need
the grammar are skipped, saying so.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import io
import shutil
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import tree_sitter

VERSION = "0.26.4"
TARBALL = f"https://registry.npmjs.org/tree-sitter-powershell/-/tree-sitter-powershell-{VERSION}.tgz"
INTEGRITY = "sha512-5RwNW/qN/cKArZY0znvTOG+OWSau7Agel5K0A8KQ5Nubw/4SyZ5KC02RKCaYcA2ur5UQ8esyxe9+6yXup2MXkw=="


def compiler() -> str | None:
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def _tarball(folder: Path) -> bytes:
    if shutil.which("npm"):
        subprocess.run(["npm", "pack", f"tree-sitter-powershell@{VERSION}", "--silent"],
                       cwd=folder, check=True, capture_output=True, timeout=300)
        data = (folder / f"tree-sitter-powershell-{VERSION}.tgz").read_bytes()
    else:
        with urllib.request.urlopen(TARBALL, timeout=300) as response:
            data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert digest == INTEGRITY, "the tree-sitter-powershell tarball is not the one pinned"
    return data


def build(cache: Path) -> Path:
    """The compiled grammar under ``cache``, built on first use."""
    library = cache / f"tree-sitter-powershell-{VERSION}.so"
    if library.exists():
        return library
    cc = compiler()
    assert cc is not None
    with tarfile.open(fileobj=io.BytesIO(_tarball(cache))) as archive:
        archive.extractall(cache, filter="data")
    src = cache / "package" / "src"
    partial = library.with_suffix(".partial")
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-I", str(src), "-o", str(partial),
                    str(src / "parser.c"), str(src / "scanner.c")], check=True, timeout=600)
    partial.replace(library)  # complete or absent, if two runs race
    return library


def parser(library: Path) -> tree_sitter.Parser:
    lib = ctypes.cdll.LoadLibrary(str(library))
    lib.tree_sitter_powershell.restype = ctypes.c_void_p
    capsule_new = ctypes.pythonapi.PyCapsule_New
    capsule_new.restype = ctypes.py_object
    capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    language = tree_sitter.Language(capsule_new(lib.tree_sitter_powershell(), b"tree_sitter.Language", None))
    return tree_sitter.Parser(language)
