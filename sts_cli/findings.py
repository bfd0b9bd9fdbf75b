"""The one value every stage produces: a finding with its rule, severity and exact position."""

from __future__ import annotations

import enum
import re
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

    def __post_init__(self) -> None:
        if len(self.message) > _SHORT:
            object.__setattr__(self, "message", bound_text(self.message))


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

    def __post_init__(self) -> None:
        # Every text a finding carries is bounded here, whatever built it (rules, schema errors,
        # parser messages): see `bound_text`. Short texts, nearly all of them, pass untouched.
        for name in ("message", "hint", "object"):
            text: str = getattr(self, name)
            if len(text) > _SHORT:
                object.__setattr__(self, name, bound_text(text))
        if len(self.path) > PATH_CAP:
            object.__setattr__(self, "path", _cap(self.path, PATH_CAP))
        if self.template is not None and len(self.template.file) > _SHORT:
            object.__setattr__(self, "template", replace(self.template, file=bound_text(self.template.file)))
        if any(len(value) > _SHORT for value in self.extra.values()):
            object.__setattr__(self, "extra", {key: bound_list(value) for key, value in self.extra.items()})

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[int, int, int, str, str, str]:
        loc = self.location
        return (loc.document if loc.document is not None else -1, loc.line, loc.column, self.rule,
                self.path, self.message)


def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """`("spec", "containers", 0, "ports")` -> `spec.containers[0].ports`.

    A key longer than `TOKEN_MAX` characters is shown as its first `KEEP` characters and `…`;
    checks that compare paths build them here too, so they still agree.
    """
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            text = str(part)
            quoted = (out and ("." in text or not text)) or ("." in text and not out)
            if len(text) > TOKEN_MAX:
                text = text[:KEEP] + ELLIPSIS
            if quoted:
                out.append(f"[{text!r}]")
            else:
                out.append(("." if out else "") + text)
    return "".join(out)


# --- bounded texts -------------------------------------------------------------------------------
# A finding quotes input values; a hostile or mistaken input (a 100,000-character name) must not
# turn each finding into a 100,000-character line. The policy, applied when a Finding or Related
# is built:
#   - a quoted run ('...' or "...") longer than QUOTE_MAX characters keeps its first KEEP characters,
#     then `…` and the length: `'xxxx…' (100,000 characters)`;
#   - an unquoted run without whitespace or '/' (a name in `Service ns/name`, a label in
#     `{app: web}`) longer than TOKEN_MAX keeps its first KEEP characters, then `…`;
#   - whatever remains is cut at TEXT_CAP characters (PATH_CAP for field paths).
# Texts that need none of it are returned unchanged (the same object), and the result is itself
# unchanged by a second pass, so `replace()` on a finding changes nothing.
QUOTE_MAX = 120
TOKEN_MAX = 160
KEEP = 100
TEXT_CAP = 1000
PATH_CAP = 500
ELLIPSIS = "\u2026"
# No text this short can hold a run to shorten.
_SHORT = QUOTE_MAX + 2

# A quote opens after a non-word character (or at the start) and closes at the next same quote
# followed by a non-word character (or the end): `label value 'x' of 'app'`, not the apostrophe
# of "pod's". One left-to-right pass, linear in the text.
_OPENER = {"'\"": re.compile("(?<!\\w)['\"]"), "'": re.compile("(?<!\\w)'"), '"': re.compile('(?<!\\w)"')}
_CLOSER = {"'": re.compile("'(?!\\w)"), '"': re.compile('"(?!\\w)')}
_TOKEN = re.compile(rf"(?<![^\s/])[^\s/]{{{TOKEN_MAX + 1},}}")  # starts only where a run starts
_TRAILING = ",;:.)]}`"


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _shorten_quoted(text: str) -> str:
    parts: list[str] = []
    kept = 0  # text[:kept] is already in parts
    pos = 0
    quotes = "'\""
    while quotes:
        opener = _OPENER[quotes].search(text, pos)
        if opener is None:
            break
        start = opener.start()
        quote = text[start]
        closer = _CLOSER[quote].search(text, start + 1)
        if closer is None:  # no later run of this quote can close either
            quotes = quotes.replace(quote, "")
            pos = start + 1
            continue
        end = closer.start()
        if end - start - 1 > QUOTE_MAX:
            inner = text[start + 1: start + 1 + KEEP]
            if inner.endswith("\\") and not inner.endswith("\\\\"):
                inner = inner[:-1]  # do not end inside an escape such as \n
            parts.append(text[kept:start])
            parts.append(f"{quote}{inner}{ELLIPSIS}{quote} ({end - start - 1:,} characters)")
            kept = end + 1
        pos = end + 1
    if not parts:
        return text
    parts.append(text[kept:])
    return "".join(parts)


def _shorten_token(match: re.Match[str]) -> str:
    token = match.group()
    tail = token[len(token.rstrip(_TRAILING)):][-3:]  # `{app: web}`, `web:`: the closing marks stay
    return token[:KEEP] + ELLIPSIS + tail


def bound_text(text: str) -> str:
    """`text` with long quoted and unquoted runs shortened and the whole cut at `TEXT_CAP` characters."""
    if len(text) <= _SHORT:
        return text
    out = text
    # A cut can pair quotes anew (it removes a quote, or puts `…` before one); a second pass
    # settles that, so that bounding a bounded text changes nothing. Each pass only shortens.
    for _ in range(3):
        before = out
        out = _shorten_quoted(out)
        if len(out) > TOKEN_MAX:
            out = _TOKEN.sub(_shorten_token, out)
        if out is before or out == before:
            break
    return _cap(out, TEXT_CAP)


def bound_list(text: str) -> str:
    """A comma-separated list of names (a finding's extra data): each long item shortened."""
    if len(text) <= TOKEN_MAX or not any(len(item) > TOKEN_MAX for item in text.split(",")):
        return text
    return ",".join(item if len(item) <= TOKEN_MAX else item[:KEEP] + ELLIPSIS for item in text.split(","))
