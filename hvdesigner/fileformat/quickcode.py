"""Functions made from lines of Python: how the loader's quick path
(:meth:`hvdesigner.fileformat.kinds.Kind.quick_code`) becomes one function per object and list
kind of the format, with each field's check written out in it instead of called.

Loading a large design is a million small values: a call for each was a quarter of the time to
open one. The lines come from the kinds' own tables (keys, bounds, patterns), so the compiled
function and the kind cannot disagree; the objects the lines use (a pattern, a default, a
model class) reach the function as the parameters of the closure that makes it, by the names
:meth:`Code.name` gave them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Code:
    """The objects lines of code use, each under a name of its own."""

    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}
        self._names: dict[int, str] = {}

    def name(self, obj: Any) -> str:
        """The name the lines use for ``obj`` (the same one each time it is asked for)."""
        name = self._names.get(id(obj))
        if name is None:
            name = self._names[id(obj)] = f"_o{len(self.objects)}"
            self.objects[name] = obj
        return name

    def function(self, lines: list[str], namespace: dict[str, Any],
                 title: str) -> Callable[[Any], Any]:
        """A function of ``value`` that runs ``lines`` and returns ``value``; names the lines
        use and :meth:`name` did not give are looked up in ``namespace`` at each call."""
        source = (f"def make({', '.join(self.objects)}):\n    def quick(value):\n"
                  + "".join(f"        {line}\n" for line in [*lines, "return value"])
                  + "    return quick\n")
        made: dict[str, Any] = {}
        exec(compile(source, f"<{title}>", "exec"), namespace, made)
        function: Callable[[Any], Any] = made["make"](*self.objects.values())
        return function
