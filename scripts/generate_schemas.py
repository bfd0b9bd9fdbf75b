#!/usr/bin/env python3
"""Generate the bundled Kubernetes JSON Schemas in ``schemas/kubernetes/``.

Source: the ``kubernetes-validate`` wheel from PyPI (Apache-2.0).  It ships JSON Schemas (draft 2020-12)
converted from the upstream Kubernetes OpenAPI documents, one folder per Kubernetes minor version
(``kubernetes_validate/kubernetes-json-schema/vX.Y.0-local-strict/``).  The wheel is only *read* with
:mod:`zipfile`; it is never installed and is not a runtime dependency of ``sts``.

For every Kubernetes minor version in :data:`MINORS` this writes one self-contained schema
``schemas/kubernetes/v1.XX.json`` holding only the definitions reachable from the StatefulSet
(apps/v1) and Service (v1) roots, with every ``$ref`` rewritten to ``#/$defs/<name>``, descriptions
removed, and explicit integer bounds derived from the OpenAPI ``format``.  It also writes
``schemas/kubernetes/PROVENANCE.md``.  Output is byte-for-byte deterministic.

Usage::

    python scripts/generate_schemas.py                      # download the pinned wheel with pip
    python scripts/generate_schemas.py --wheel path/to.whl  # use a local copy (sha256 is checked)
    python scripts/generate_schemas.py --check              # exit 1 if the files on disk are stale

Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
WHEEL_NAME = f"kubernetes_validate-{PACKAGE_VERSION}-py3-none-any.whl"
# sha256 of kubernetes_validate-1.37.0-py3-none-any.whl as published on PyPI.
WHEEL_SHA256 = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
SCHEMA_DIR_IN_WHEEL = "kubernetes_validate/kubernetes-json-schema"

MINORS = range(30, 38)  # Kubernetes 1.30 .. 1.37 inclusive

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
ID_TEMPLATE = "https://sts.invalid/schemas/kubernetes/v{version}.json"

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT_DIR = REPO_ROOT / "schemas" / "kubernetes"
REGENERATE_COMMAND = "python scripts/generate_schemas.py"


@dataclass(frozen=True)
class Root:
    """One top-level kind: the x-roots key, its definition name and its per-kind file in the wheel."""

    key: str
    definition: str
    kind_file: str


ROOTS: tuple[Root, ...] = (
    Root("apps/v1/StatefulSet", "io.k8s.api.apps.v1.StatefulSet", "statefulset-apps-v1.json"),
    Root("v1/Service", "io.k8s.api.core.v1.Service", "service-v1.json"),
)

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# Integer range implied by the OpenAPI format.  intstr.IntOrString stores its integer in an int32
# (IntVal), and JSON decoding into it fails on overflow, so "int-or-string" gets the int32 range too.
INT_BOUNDS_BY_FORMAT: Mapping[str, tuple[int, int]] = {
    "int32": INT32,
    "int64": INT64,
    "int-or-string": INT32,
}

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
# Properties added to definitions after conversion.  The source renders IntOrString as a oneOf without
# the OpenAPI format; we put the upstream Kubernetes format back (an annotation for tools and readers).
DEFINITION_PATCHES: Mapping[str, Mapping[str, Any]] = {
    INT_OR_STRING: {"format": "int-or-string"},
}

# Objects the API server genuinely accepts with arbitrary keys (FieldsV1 is a structured-merge-diff
# trie inside metadata.managedFields).  Any other object without additionalProperties and without
# properties is a hard error, so upstream changes get noticed.
FREEFORM_OBJECTS = frozenset({"io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"})

# Sanity checks: fields every bundled version must have (StatefulSet ordinals is GA since 1.31, beta and
# present in the OpenAPI since 1.27).
EXPECTED_PROPERTIES: Mapping[str, tuple[str, ...]] = {
    "io.k8s.api.apps.v1.StatefulSetSpec": ("ordinals", "replicas", "serviceName", "volumeClaimTemplates"),
    "io.k8s.api.core.v1.ServiceSpec": ("clusterIP", "ports", "selector"),
}

# Keywords that hold one subschema / a name->subschema map / a list of subschemas.
SCHEMA_KEYWORDS = frozenset({"items", "additionalProperties", "not", "contains", "propertyNames"})
SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties"})
SCHEMA_LIST_KEYWORDS = frozenset({"oneOf", "anyOf", "allOf", "prefixItems"})
# Keywords copied verbatim.  Anything else that is not an "x-" annotation aborts the run.
PLAIN_KEYWORDS = frozenset(
    {
        "type",
        "format",
        "enum",
        "const",
        "required",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
DROPPED_KEYWORDS = frozenset({"description", "$schema", "$id"})

REF_RE = re.compile(r"^(?:[^#]*/_definitions\.json)?#/\$defs/(?P<name>[A-Za-z0-9_.\-]+)$")

JsonObject = dict[str, Any]


class GenerationError(Exception):
    """The source does not look the way this generator expects."""


# --------------------------------------------------------------------------------------------------
# Wheel access


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_wheel(dest: Path) -> Path:
    """Download the pinned wheel with pip (no dependencies, binary only) into ``dest``."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--dest",
        str(dest),
        f"{PACKAGE}=={PACKAGE_VERSION}",
    ]
    print("+ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheel = dest / WHEEL_NAME
    if not wheel.is_file():
        raise GenerationError(f"pip did not produce {WHEEL_NAME} in {dest}")
    return wheel


class WheelSource:
    """Read-only view on the schema folders inside the wheel."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self._zf = zf

    def load(self, folder: str, name: str) -> JsonObject:
        member = f"{SCHEMA_DIR_IN_WHEEL}/{folder}/{name}"
        try:
            raw = self._zf.read(member)
        except KeyError as exc:
            raise GenerationError(f"{member} is missing from the wheel") from exc
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise GenerationError(f"{member}: expected a JSON object")
        return data


# --------------------------------------------------------------------------------------------------
# Schema conversion


def _types(schema: Mapping[str, Any]) -> list[str]:
    t = schema.get("type")
    if t is None:
        return []
    if isinstance(t, str):
        return [t]
    return [str(x) for x in t]


def rewrite_ref(ref: str, known: Mapping[str, Any], where: str) -> str:
    match = REF_RE.match(ref)
    if match is None:
        raise GenerationError(f"{where}: unsupported $ref {ref!r}")
    name = match.group("name")
    if name not in known:
        raise GenerationError(f"{where}: $ref to unknown definition {name!r}")
    return f"#/$defs/{name}"


def merge_type_only_one_of(schema: JsonObject) -> JsonObject:
    """Turn ``{"oneOf": [{"type": A}, {"type": B}]}`` into ``{"type": [A, B]}``.

    The source writes IntOrString and Quantity as oneOf branches that each allow null; a null value
    then matches every branch and oneOf *rejects* it, unlike every other nullable field.  The branches
    are otherwise disjoint (string vs integer, string vs number), so a type union is equivalent for
    non-null values and treats null like the rest of the schema (the API server treats null as absent).
    """
    branches = schema.get("oneOf")
    if not isinstance(branches, list) or set(schema) != {"oneOf"}:
        return schema
    if not all(isinstance(b, dict) and set(b) == {"type"} for b in branches):
        return schema
    branch_types = [_types(b) for b in branches]
    non_null = [[t for t in ts if t != "null"] for ts in branch_types]
    flat = [t for ts in non_null for t in ts]
    if len(set(flat)) != len(flat) or ("integer" in flat and "number" in flat):
        return schema  # overlapping branches: merging would change the meaning
    union = list(dict.fromkeys(flat))
    if any("null" in ts for ts in branch_types):
        union.append("null")
    return {"type": union}


def add_integer_bounds(schema: JsonObject) -> None:
    if "integer" not in _types(schema):
        return
    bounds = INT_BOUNDS_BY_FORMAT.get(str(schema.get("format")))
    if bounds is None:
        return
    lo, hi = bounds
    minimum = schema.get("minimum")
    maximum = schema.get("maximum")
    schema["minimum"] = lo if minimum is None else max(minimum, lo)
    schema["maximum"] = hi if maximum is None else min(maximum, hi)


@dataclass
class Converter:
    """Converts source schema nodes, recording the notable changes it makes."""

    known: Mapping[str, Any]
    strictness_added: list[str] = field(default_factory=list)

    def convert(self, node: Any, where: str, definition: str | None = None) -> JsonObject:
        if not isinstance(node, dict):
            raise GenerationError(f"{where}: expected a schema object, got {type(node).__name__}")
        out: JsonObject = {}
        for key, value in node.items():
            if key in DROPPED_KEYWORDS:
                continue
            if key == "$ref":
                out[key] = rewrite_ref(value, self.known, where)
            elif key in SCHEMA_MAP_KEYWORDS:
                out[key] = {k: self.convert(v, f"{where}/{key}/{k}") for k, v in value.items()}
            elif key in SCHEMA_KEYWORDS:
                out[key] = self.convert(value, f"{where}/{key}") if isinstance(value, dict) else value
            elif key in SCHEMA_LIST_KEYWORDS:
                out[key] = [self.convert(v, f"{where}/{key}/{i}") for i, v in enumerate(value)]
            elif key in PLAIN_KEYWORDS or key.startswith("x-"):
                out[key] = json.loads(json.dumps(value))  # deep copy
            else:
                raise GenerationError(f"{where}: unexpected keyword {key!r}")
        out = merge_type_only_one_of(out)
        if definition is not None:
            out.update(DEFINITION_PATCHES.get(definition, {}))
        add_integer_bounds(out)
        self._enforce_strict(out, where, definition)
        return out

    def _enforce_strict(self, schema: JsonObject, where: str, definition: str | None) -> None:
        if "object" not in _types(schema) or "additionalProperties" in schema:
            return
        if "properties" in schema:
            # A struct: the API server (strict field validation) rejects unknown fields.
            schema["additionalProperties"] = False
            self.strictness_added.append(where)
        elif definition not in FREEFORM_OBJECTS:
            raise GenerationError(f"{where}: object without properties or additionalProperties")


def iter_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from iter_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_refs(item)


@dataclass
class VersionResult:
    minor: int
    folder: str
    document: JsonObject
    strictness_added: list[str]

    @property
    def version(self) -> str:
        return f"1.{self.minor}"

    @property
    def defs(self) -> JsonObject:
        defs: JsonObject = self.document["$defs"]
        return defs


def build_version(source: WheelSource, minor: int, wheel_sha256: str) -> VersionResult:
    folder = f"v1.{minor}.0-local-strict"
    all_defs = source.load(folder, "_definitions.json").get("$defs")
    if not isinstance(all_defs, dict):
        raise GenerationError(f"{folder}/_definitions.json has no $defs object")
    converter = Converter(known=all_defs)

    # Roots come from the per-kind files: identical to the _definitions.json entries except that the
    # top-level type is "object" rather than ["object", "null"] (a whole manifest cannot be null).
    converted: JsonObject = {}
    for root in ROOTS:
        if root.definition not in all_defs:
            raise GenerationError(f"{folder}: {root.definition} not in _definitions.json")
        kind = converter.convert(source.load(folder, root.kind_file), f"{folder}/{root.kind_file}")
        entry = converter.convert(all_defs[root.definition], f"{folder}#{root.definition}", root.definition)
        if {k: v for k, v in kind.items() if k != "type"} != {k: v for k, v in entry.items() if k != "type"}:
            raise GenerationError(f"{folder}: {root.kind_file} differs from {root.definition} beyond 'type'")
        if _types(kind) != ["object"]:
            raise GenerationError(f"{folder}: {root.kind_file} is not type object")
        converted[root.definition] = kind

    pending = [name for r in ROOTS for name in iter_refs(converted[r.definition])]
    while pending:
        name = pending.pop().removeprefix("#/$defs/")
        if name in converted:
            continue
        converted[name] = converter.convert(all_defs[name], f"{folder}#{name}", name)
        pending.extend(iter_refs(converted[name]))

    for definition, props in EXPECTED_PROPERTIES.items():
        missing = [p for p in props if p not in converted.get(definition, {}).get("properties", {})]
        if missing:
            raise GenerationError(f"{folder}: {definition} lacks expected field(s) {missing}")

    version = f"1.{minor}"
    document: JsonObject = {
        "$schema": DRAFT_2020_12,
        "$id": ID_TEMPLATE.format(version=version),
        "title": f"Kubernetes {version} StatefulSet (apps/v1) and Service (v1), strict",
        "x-kubernetes-version": version,
        "x-source": {
            "package": PACKAGE,
            "version": PACKAGE_VERSION,
            "folder": folder,
            "sha256": wheel_sha256,
        },
        "x-roots": {r.key: r.definition for r in ROOTS},
        "$defs": dict(sorted(converted.items())),
    }
    return VersionResult(minor, folder, document, converter.strictness_added)


def dump(document: Any) -> bytes:
    text = json.dumps(document, sort_keys=True, indent=None, separators=(",", ":"))
    return (text + "\n").encode("ascii")


# --------------------------------------------------------------------------------------------------
# PROVENANCE.md


def _property_names(schema: Mapping[str, Any]) -> set[str]:
    return set(schema.get("properties", {}))


def _fmt_names(names: set[str]) -> str:
    return ", ".join(f"`{n}`" for n in sorted(names))


def version_changes(old: VersionResult, new: VersionResult) -> list[str]:
    lines: list[str] = []
    added = set(new.defs) - set(old.defs)
    removed = set(old.defs) - set(new.defs)
    for name in sorted(set(old.defs) & set(new.defs)):
        short = name.removeprefix("io.k8s.api.").removeprefix("io.k8s.apimachinery.pkg.apis.")
        a, b = old.defs[name], new.defs[name]
        plus, minus = _property_names(b) - _property_names(a), _property_names(a) - _property_names(b)
        if plus:
            lines.append(f"- `{short}`: new field(s) {_fmt_names(plus)}")
        if minus:
            lines.append(f"- `{short}`: removed field(s) {_fmt_names(minus)}")
        req_a, req_b = set(a.get("required", [])), set(b.get("required", []))
        if req_b - req_a:
            lines.append(f"- `{short}`: now required {_fmt_names(req_b - req_a)}")
        if req_a - req_b:
            lines.append(f"- `{short}`: no longer required {_fmt_names(req_a - req_b)}")
        changed = {
            p
            for p in _property_names(a) & _property_names(b)
            if a["properties"][p] != b["properties"][p] and p not in (plus | minus)
        }
        if changed:
            lines.append(f"- `{short}`: schema of {_fmt_names(changed)} changed")
    if added:
        lines.append(f"- new definitions: {_fmt_names(added)}")
    if removed:
        lines.append(f"- dropped definitions: {_fmt_names(removed)}")
    return lines or ["- no differences in the reachable definitions"]


KEY_TYPES = (
    "io.k8s.api.apps.v1.StatefulSetSpec",
    "io.k8s.api.core.v1.ServiceSpec",
    "io.k8s.api.core.v1.PodSpec",
    "io.k8s.api.core.v1.Container",
)


def key_type_summary(results: list[VersionResult]) -> list[str]:
    """Per key type: fields (and requiredness) that are not the same in every bundled version."""
    lines = ["Summary for the main types (fields not present, or not required, in every version):", ""]
    for name in KEY_TYPES:
        short = name.rsplit(".", 1)[-1]
        present = {r.version: _property_names(r.defs.get(name, {})) for r in results}
        required = {r.version: set(r.defs.get(name, {}).get("required", [])) for r in results}
        notes: list[str] = []
        for prop in _not_everywhere(present):
            versions = [v for v, props in present.items() if prop in props]
            notes.append(f"`{prop}` in {_fmt_versions(versions)}")
        for prop in _not_everywhere(required):
            versions = [v for v, req in required.items() if prop in req]
            notes.append(f"`{prop}` required in {_fmt_versions(versions)} only")
        lines.append(
            f"- `{short}`: " + ("; ".join(notes) if notes else "identical field set in all versions")
        )
    lines.append("")
    return lines


def _not_everywhere(by_version: Mapping[str, set[str]]) -> list[str]:
    sets = list(by_version.values())
    return sorted(set[str]().union(*sets) - set[str](sets[0]).intersection(*sets[1:]))


def _fmt_versions(versions: list[str]) -> str:
    """``["1.30", "1.31", "1.32", "1.35"]`` -> ``"1.30..1.32, 1.35"`` (contiguous minor runs)."""
    runs: list[list[str]] = []
    for v in versions:
        if runs and int(v.split(".")[1]) == int(runs[-1][-1].split(".")[1]) + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}" for run in runs)


def render_provenance(results: list[VersionResult], sizes: Mapping[str, int], wheel_sha256: str) -> str:
    total = sum(sizes.values())
    first, last = results[0].version, results[-1].version
    out: list[str] = [
        "# Provenance of the bundled Kubernetes schemas",
        "",
        "<!-- Generated by scripts/generate_schemas.py; do not edit by hand. -->",
        "",
        f"Files `v{first}.json` .. `v{last}.json` in this directory are generated from the",
        f"`{PACKAGE}` wheel published on PyPI:",
        "",
        f"- package: `{PACKAGE}` {PACKAGE_VERSION} (`{WHEEL_NAME}`)",
        f"- sha256: `{wheel_sha256}`",
        f"- folders used: `{SCHEMA_DIR_IN_WHEEL}/v1.XX.0-local-strict/`",
        "  (`_definitions.json` plus the per-kind files "
        + ", ".join(f"`{r.kind_file}`" for r in ROOTS)
        + ")",
        "- license: Apache-2.0 (kubernetes-validate, Copyright Will Thames and contributors). The schemas",
        "  are derived from the OpenAPI documents published by the Kubernetes project",
        "  (kubernetes/kubernetes `api/openapi-spec`, Apache-2.0, Copyright The Kubernetes Authors),",
        "  converted to JSON Schema by kubernetes-validate's fork of openapi2jsonschema.",
        "",
        "The wheel is only read with `zipfile`; it is never installed and is not a runtime dependency.",
        "",
        "## Regenerating",
        "",
        "```sh",
        f"{REGENERATE_COMMAND}                 # downloads the pinned wheel via `pip download --no-deps`",
        f"{REGENERATE_COMMAND} --wheel PATH    # or use a local copy (its sha256 must match the pin)",
        f"{REGENERATE_COMMAND} --check         # exit 1 if the committed files are stale",
        "```",
        "",
        "The output is deterministic (`json.dumps(..., sort_keys=True, separators=(',', ':'))` plus a",
        "trailing newline, no timestamps, no local paths), so running the generator twice gives identical",
        "bytes; this was checked by hand by generating twice and comparing the files with `cmp`, and",
        "`--check` performs the same comparison against the committed files.",
        "",
        "## What the generator does",
        "",
        "- Keeps only the definitions transitively reachable from the roots in `x-roots`",
        "  (`io.k8s.api.apps.v1.StatefulSet`, `io.k8s.api.core.v1.Service`) and rewrites every `$ref`",
        "  to `#/$defs/<name>`. Validate a document with",
        '  `Draft202012Validator({**schema, "$ref": "#/$defs/" + schema["x-roots"][key]})`.',
        '- The root definitions are taken from the per-kind files, whose top-level `type` is `"object"`;',
        "  they are otherwise identical to the `_definitions.json` entries (the generator checks this).",
        '- Removes `description` (size). Keeps `type` (including `"null"`: the API server treats null as',
        "  absent), `format`, `enum` (the `apiVersion`/`kind` enums of the roots and of the",
        "  PersistentVolumeClaim in `volumeClaimTemplates`), `required`, and the `x-kubernetes-*`",
        "  annotations.",
        "- Adds integer bounds implied by the OpenAPI `format`: `int32` -> [-2147483648, 2147483647],",
        "  `int64` -> [-9223372036854775808, 9223372036854775807] (tighter existing bounds would be kept).",
        "- Strictness: the `-strict` source already sets `additionalProperties: false` on every struct",
        "  (containers, probes, metadata/ObjectMeta, ...). The generator adds it to any object with",
        "  `properties` that lacks it (none in this source) and fails on objects with neither. The only",
        "  open object is `io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1` (managedFields payload, which",
        "  the API server accepts with arbitrary keys). Maps (labels, annotations, selectors,",
        "  resources) keep `additionalProperties: {<value schema>}`.",
        "- `IntOrString` and `Quantity` are written upstream as",
        "  `oneOf: [{type: [string, null]}, {type: [integer|number, null]}]`. Since both branches accept",
        "  null, `oneOf` would reject null there (unlike every other nullable field), so the generator",
        '  merges such type-only `oneOf`s into a type union (`["string", "integer", "null"]`,',
        '  `["string", "number", "null"]`), which is equivalent for non-null values. `IntOrString`',
        "  additionally gets the upstream Kubernetes `format: int-or-string` and the int32 bounds (its",
        "  integer is decoded into an int32).",
        "",
        "Observations about the source (kubernetes-validate's conversion of the Kubernetes OpenAPI):",
        "",
        '- Fields listed in `required` are non-nullable (`"type": "string"`), optional fields allow null',
        '  (`["string", "null"]`); when a field\'s requiredness changes between versions, its `type`',
        "  changes too.",
        "- `metadata` (ObjectMeta) is strict (`additionalProperties: false`); `labels`/`annotations` are",
        "  string maps whose values may be null.",
        "- Kubernetes enum types (e.g. `imagePullPolicy`, `ServiceSpec.type`) carry no `enum` in the source.",
        "- `Time` is `{type: [string, null], format: date-time}`; formats are not asserted by default.",
        "",
        "## Versions",
        "",
        "| Kubernetes | file | source folder | definitions | bytes |",
        "|---|---|---|---:|---:|",
    ]
    for r in results:
        name = f"v{r.version}.json"
        out.append(f"| {r.version} | `{name}` | `{r.folder}` | {len(r.defs)} | {sizes[name]:,} |")
    out += [
        f"| **total** | | | | **{total:,}** ({total / 1024:.0f} KiB) |",
        "",
        "## Differences between versions (reachable definitions only)",
        "",
        f"Baseline {first}: `StatefulSetSpec.ordinals` is present (it exists in every bundled version).",
        "",
    ]
    out += key_type_summary(results)
    for old, new in itertools.pairwise(results):
        out.append(f"### {old.version} -> {new.version}")
        out.append("")
        out.extend(version_changes(old, new))
        out.append("")
    strictness = sorted({w for r in results for w in r.strictness_added})
    if strictness:
        out += ["## `additionalProperties: false` added by the generator", ""]
        out += [f"- `{w}`" for w in strictness]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------------
# Main


def generate(wheel: Path) -> dict[str, bytes]:
    """Return the output files (name -> bytes) generated from ``wheel``."""
    wheel_sha256 = sha256_of(wheel)
    if wheel_sha256 != WHEEL_SHA256:
        raise GenerationError(
            f"{wheel}: sha256 {wheel_sha256} does not match the pinned {WHEEL_SHA256} "
            f"for {WHEEL_NAME}; if upgrading, update PACKAGE_VERSION and WHEEL_SHA256"
        )
    with zipfile.ZipFile(wheel) as zf:
        source = WheelSource(zf)
        results = [build_version(source, minor, wheel_sha256) for minor in MINORS]
    files = {f"v{r.version}.json": dump(r.document) for r in results}
    sizes = {name: len(data) for name, data in files.items()}
    files["PROVENANCE.md"] = render_provenance(results, sizes, wheel_sha256).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--wheel", type=Path, help=f"local {WHEEL_NAME} (default: pip download it)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR, help="default: %(default)s")
    parser.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    args = parser.parse_args(argv)
    output_dir: Path = args.output_dir

    try:
        if args.wheel is not None:
            files = generate(args.wheel)
        else:
            with tempfile.TemporaryDirectory(prefix="sts-schemas-") as tmp:
                files = generate(download_wheel(Path(tmp)))
    except (GenerationError, subprocess.CalledProcessError, OSError, zipfile.BadZipFile) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.check:
        stale = [
            name
            for name, data in sorted(files.items())
            if not (output_dir / name).is_file() or (output_dir / name).read_bytes() != data
        ]
        for name in stale:
            print(f"stale: {output_dir / name}", file=sys.stderr)
        return 1 if stale else 0

    output_dir.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        (output_dir / name).write_bytes(data)
        print(f"wrote {output_dir / name} ({len(data):,} bytes)", file=sys.stderr)
    expected = set(files)
    for extra in sorted(output_dir.glob("v*.json")):
        if extra.name not in expected:
            print(f"warning: {extra} is not produced by this generator", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
