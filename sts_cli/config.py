"""Project settings: `.sts.yaml` (or `.sts.yml`), or `[tool.sts]` in `pyproject.toml`.

Discovered from the working directory upward; in each folder `.sts.yaml`, then `.sts.yml`, then
a `pyproject.toml` that has a `[tool.sts]` table; the first file found wins. Command-line options
override file settings (`--enable X` re-enables a rule the file disables, `--disable X` wins over
the file's `enable`, `--severity X=LEVEL` over its `severity`). Keys (all optional; `_` may be
written for `-`, as TOML users tend to):

    kubernetes-version: "1.33"
    namespace: default
    cluster-domain: cluster.local
    fail-on: error            # error | warning | info
    disable: [rule-id, ...]
    enable: [optional-rule-id, ...]
    severity: {rule-id: warning, ...}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sts_cli.findings import Severity

CONFIG_NAMES = (".sts.yaml", ".sts.yml")
_KEYS = {"kubernetes-version", "namespace", "fail-on", "disable", "enable", "severity", "cluster-domain"}


class ConfigError(Exception):
    """A settings file that cannot be used: exit code 2."""


@dataclass(slots=True)
class Config:
    path: Path | None = None
    kubernetes_version: str | None = None
    namespace: str | None = None
    cluster_domain: str | None = None
    fail_on: Severity | None = None
    disable: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    current = start.resolve()
    for folder in (current, *current.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    import tomllib  # only where a pyproject.toml is found (start-up of every other run)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    section = data.get("tool", {}).get("sts")
    return section if isinstance(section, dict) else None


def _read(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        section = data.get("tool", {}).get("sts", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.sts] must be a table")
        return section
    from sts_cli.sources import DecodeError, decode
    from sts_cli.yamlparse import parse_stream

    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except DecodeError as exc:
        raise ConfigError(f"{path}:{exc.line}:{exc.column}: {exc}") from None
    documents, issues = parse_stream(text)
    if issues:
        first = issues[0]
        raise ConfigError(f"{path}:{first.pos[0] + 1}:{first.pos[1] + 1}: {first.message}")
    if not documents or documents[0].data is None:
        return {}
    data = documents[0].data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a mapping")
    return data


def _string_list(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{path}: '{key}' must be a list of rule ids")


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Config()
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"config file not found: {explicit}")
    data = {str(key).replace("_", "-"): value for key, value in _read(path).items()}
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    config = Config(path=path)
    for key, attr in (("kubernetes-version", "kubernetes_version"), ("namespace", "namespace"),
                      ("cluster-domain", "cluster_domain")):
        if key in data:
            value = data[key]
            if isinstance(value, float):  # unquoted `1.30` is read as the number 1.3
                value = f"{value:.2f}"
            if not isinstance(value, (str, int, float)):
                raise ConfigError(f"{path}: '{key}' must be a string")
            setattr(config, attr, str(value))
    try:
        if "fail-on" in data:
            config.fail_on = Severity.parse(str(data["fail-on"]))
        severity = data.get("severity", {})
        if not isinstance(severity, dict):
            raise ConfigError(f"{path}: 'severity' must map rule ids to error, warning or info")
        config.severity = {str(k): Severity.parse(str(v)) for k, v in severity.items()}
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    config.disable = _string_list(path, "disable", data.get("disable", []))
    config.enable = _string_list(path, "enable", data.get("enable", []))
    return config


def parse_severity_options(values: list[str]) -> dict[str, Severity]:
    """`--severity RULE=LEVEL` options -> {rule: severity}; ValueError names the bad option."""
    out: dict[str, Severity] = {}
    for value in values:
        rule_id, sep, level = value.partition("=")
        if not sep or not rule_id.strip():
            raise ValueError(f"--severity takes RULE=LEVEL (e.g. claim-not-mounted=error), not {value!r}")
        out[rule_id.strip()] = Severity.parse(level)
    return out
