"""The one value every stage produces: a finding with its rule, severity and exact position."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` means "fails the run"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Location:
    """1-based line and column, counted from the start of the file (not of the document)."""

    file: str
    line: int = 1
    column: int = 1
    document: int | None = None


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a cross-object finding refers to (the Service of a StatefulSet...)."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location
    path: str = ""
    object: str = ""
    hint: str = ""
    related: tuple[Related, ...] = ()
    # Where the document came from when it was rendered by `helm template` (# Source: comment).
    template: Location | None = None
    # Identifies the object the finding is about (file, document, List item), for suppressions.
    object_key: str = field(default="", compare=False)
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[int, int, int, str, str, str]:
        loc = self.location
        return (loc.document if loc.document is not None else -1, loc.line, loc.column, self.rule,
                self.path, self.message)


def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """`("spec", "containers", 0, "ports")` -> `spec.containers[0].ports`."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            text = str(part)
            if (out and ("." in text or not text)) or ("." in text and not out):
                out.append(f"[{text!r}]")
            else:
                out.append(("." if out else "") + text)
    return "".join(out)
