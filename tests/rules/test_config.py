"""Settings files: discovery from the working directory upward, parsing, and the command line on top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sts_cli.config import ConfigError, find_config, load_config, parse_severity_options
from sts_cli.findings import Severity
from tests.rules.util import BASE, edit

NO_GRACE = ("      terminationGracePeriodSeconds: 30", "      terminationGracePeriodSeconds: 0")


def test_discovery_walks_upward_and_prefers_sts_yaml(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(deep) is None, "a pyproject.toml without [tool.sts] is not a settings file"
    (tmp_path / "pyproject.toml").write_text("[tool.sts]\nfail-on = 'warning'\n")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / ".sts.yml").write_text("fail-on: info\n")
    assert find_config(deep) == tmp_path / "a" / ".sts.yml"
    (tmp_path / "a" / ".sts.yaml").write_text("fail-on: error\n")
    assert find_config(deep) == tmp_path / "a" / ".sts.yaml"


def test_yaml_settings(tmp_path: Path) -> None:
    path = tmp_path / ".sts.yaml"
    path.write_text("kubernetes-version: 1.30\nnamespace: data\nfail-on: warning\ndisable: claim-not-mounted\n"
                    "enable: [pdb-missing]\nseverity:\n  service-port-unnamed: error\n")
    config = load_config(start=tmp_path)
    assert config.path == path
    assert config.kubernetes_version == "1.30", "an unquoted 1.30 is read as a number and kept as 1.30"
    assert (config.namespace, config.fail_on) == ("data", Severity.WARNING)
    assert (config.disable, config.enable) == (["claim-not-mounted"], ["pdb-missing"])
    assert config.severity == {"service-port-unnamed": Severity.ERROR}


def test_pyproject_settings_accept_underscores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.sts]\nkubernetes_version = "1.34"\nfail_on = "info"\n'
                                             'disable = ["readiness-probe-missing"]\n')
    config = load_config(start=tmp_path)
    assert (config.kubernetes_version, config.fail_on, config.disable) == ("1.34", Severity.INFO,
                                                                           ["readiness-probe-missing"])


@pytest.mark.parametrize(("text", "message"), [
    ("color: red\n", "unknown setting(s) color"),
    ("fail-on: fatal\n", "unknown severity 'fatal'"),
    ("severity: [a]\n", "'severity' must map rule ids"),
    ("disable: {a: b}\n", "'disable' must be a list of rule ids"),
    ("- just\n- a list\n", "settings must be a mapping"),
    ("fail-on: [\n", ".sts.yaml:"),
])
def test_bad_settings_are_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".sts.yaml").write_text(text)
    with pytest.raises(ConfigError, match=None) as raised:
        load_config(start=tmp_path)
    assert message in str(raised.value)


def test_explicit_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_severity_options() -> None:
    assert parse_severity_options(["a=warning", " b = INFO"]) == {"a": Severity.WARNING, "b": Severity.INFO}
    with pytest.raises(ValueError, match="RULE=LEVEL"):
        parse_severity_options(["a"])
    with pytest.raises(ValueError, match="unknown severity"):
        parse_severity_options(["a=loud"])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Any) -> Any:
    """A project folder with one manifest that only has a warning (termination-grace-zero)."""
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(edit(BASE, [NO_GRACE]))
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Any:
        return run_cli("validate", "--jobs", "1", *args, "k8s/web.yaml")

    return run


def test_cli_uses_the_discovered_settings(project: Any, tmp_path: Path) -> None:
    assert project().code == 0
    (tmp_path / ".sts.yaml").write_text("fail-on: warning\n")
    assert project().code == 1
    assert project("--no-config").code == 0
    assert project("--fail-on", "error").code == 0


def test_cli_severity_override_and_disable(project: Any, tmp_path: Path) -> None:
    (tmp_path / ".sts.yaml").write_text("severity:\n  termination-grace-zero: error\n")
    result = project()
    assert result.code == 1 and "error termination-grace-zero" in result.out
    assert project("--severity", "termination-grace-zero=info").code == 0
    assert project("--disable", "termination-grace-zero").code == 0


def test_cli_enable_overrides_a_disable_in_the_settings(project: Any, tmp_path: Path) -> None:
    (tmp_path / ".sts.yaml").write_text("disable: [pdb-missing]\nfail-on: warning\n")
    assert "pdb-missing" not in project("--disable", "termination-grace-zero").out
    result = project("--enable", "pdb-missing", "--disable", "termination-grace-zero")
    assert result.code == 1 and "warning pdb-missing" in result.out


def test_cli_rejects_unknown_rules_and_bad_settings(project: Any, tmp_path: Path) -> None:
    assert project("--disable", "no-such-rule").code == 2
    assert project("--severity", "termination-grace-zero").code == 2
    (tmp_path / ".sts.yaml").write_text("disable: [no-such-rule]\n")
    result = project()
    assert result.code == 2 and "unknown rule 'no-such-rule'" in result.err


def test_cli_kubernetes_version_from_settings(project: Any, tmp_path: Path) -> None:
    (tmp_path / "k8s" / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: 1-db\n"
                                               "spec:\n  clusterIP: None\n")
    (tmp_path / ".sts.yaml").write_text("kubernetes-version: '1.35'\n")
    assert "service-name-invalid" in project("k8s/svc.yaml").out
    assert "service-name-invalid" not in project("--kubernetes-version", "1.36", "k8s/svc.yaml").out
