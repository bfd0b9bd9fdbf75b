"""Lines of text with optional styles, written with rich only when colour is wanted.

Plain output (pipes, CI logs, files) is joined directly: rich costs about 15 ms to import and
a few microseconds a line, which is most of a run answered from the cache. Both ways write
the same characters; control characters are escaped in both, so that one finding is one line
and a manifest cannot send terminal escape sequences.
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL: shown as `\x1b`, `\t`, ... instead of acting on the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class StyledLines:
    """Output lines made of (text, style) parts; a style is a rich style string, or ""."""

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: list[list[tuple[str, str]]] = []

    def add(self, *parts: tuple[str, str]) -> None:
        self._lines.append([(printable(text), style) for text, style in parts])

    def blank(self) -> None:
        self._lines.append([])

    def render(self, color: bool) -> str:
        if not color:
            return "".join("".join(text for text, _style in line) + "\n" for line in self._lines)
        import io

        from rich.console import Console
        from rich.text import Text

        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=True, color_system="standard", width=100_000,
                          highlight=False, soft_wrap=True, emoji=False, markup=False)
        for line in self._lines:
            styled = Text()
            for text, style in line:
                styled.append(text, style=style or None)
            console.print(styled)
        return buffer.getvalue()
