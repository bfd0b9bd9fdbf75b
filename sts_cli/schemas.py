"""The bundled Kubernetes JSON Schemas: which versions exist, and one validator per (version, kind)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent
_VERSION_FILE = re.compile(r"^v(\d+)\.(\d+)\.json$")

ROOTS = {"StatefulSet": "apps/v1/StatefulSet", "Service": "v1/Service"}


class UnsupportedVersion(ValueError):
    pass


def schemas_dir() -> Path:
    """`sts_cli/_schemas` inside an installed wheel; the repository's `schemas/` in a checkout."""
    installed = _PACKAGE_DIR / "_schemas"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "schemas"


@functools.cache
def supported_versions() -> tuple[str, ...]:
    """Bundled Kubernetes minor versions, oldest first (`("1.30", ..., "1.37")`)."""
    found: list[tuple[int, int]] = []
    folder = schemas_dir() / "kubernetes"
    if folder.is_dir():
        for path in folder.iterdir():
            match = _VERSION_FILE.match(path.name)
            if match:
                found.append((int(match.group(1)), int(match.group(2))))
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


def default_version() -> str:
    versions = supported_versions()
    if not versions:
        raise UnsupportedVersion("no bundled Kubernetes schemas found (broken installation)")
    return versions[-1]


def normalize_version(text: str | None) -> str:
    """`1.33`, `v1.33`, `1.33.2` -> `1.33`; UnsupportedVersion lists what is bundled."""
    if text is None or text == "":
        return default_version()
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", text.strip())
    versions = supported_versions()
    if match:
        candidate = f"{int(match.group(1))}.{int(match.group(2))}"
        if candidate in versions:
            return candidate
    raise UnsupportedVersion(f"unsupported Kubernetes version {text!r}; supported: {', '.join(versions)}")


def version_tuple(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


@functools.cache
def load_bundle(version: str) -> dict[str, Any]:
    path = schemas_dir() / "kubernetes" / f"v{version}.json"
    with path.open("rb") as handle:
        bundle: dict[str, Any] = json.load(handle)
    return bundle


def root_schema(version: str, kind: str) -> dict[str, Any]:
    """A schema for one kind: the bundle with a root `$ref` to that kind's definition."""
    bundle = load_bundle(version)
    definition = bundle["x-roots"][ROOTS[kind]]
    return {**bundle, "$ref": f"#/$defs/{definition}"}


def definition(version: str, name: str) -> dict[str, Any]:
    defs: dict[str, dict[str, Any]] = load_bundle(version)["$defs"]
    return defs[name]
