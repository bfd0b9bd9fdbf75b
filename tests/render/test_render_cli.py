"""`sts render` on the command line: options, exit codes, messages, examples kept in sync."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.render.test_plan import BROKEN, WEB

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
FORMATS = {"table": "txt", "yaml": "yaml", "json": "json", "dns": "dns", "mermaid": "mmd"}


@pytest.mark.parametrize("example", ["web", "database"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_examples_render_outputs_are_in_sync(run_cli: Any, example: str, fmt: str) -> None:
    """examples/<name>.render.<ext> is what `sts render examples/<name>.yaml -f <format>` prints.

    Regenerate after a deliberate change with:
    for f in table:txt yaml:yaml json:json dns:dns mermaid:mmd; do
      sts render examples/web.yaml -f ${f%%:*} > examples/web.render.${f##*:}; done
    """
    result = run_cli("render", f"examples/{example}.yaml", "--format", fmt, "--no-config")
    assert result.code == 0, result.err
    expected = (EXAMPLES / f"{example}.render.{FORMATS[fmt]}").read_text(encoding="utf-8")
    assert result.out == expected


def test_default_format_is_table(run_cli: Any) -> None:
    result = run_cli("render", "examples/web.yaml", "--no-config")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("StatefulSet default/web  (examples/web.yaml:17)\n")


def test_stdin_namespace_domain_version(run_cli: Any) -> None:
    result = run_cli("render", "-", "-f", "json", "-n", "prod", "--cluster-domain", "Corp.Example.",
                     "-k", "1.35.2", "--no-config", stdin=WEB)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["kubernetesVersion"] == "1.35.2"
    assert document["clusterDomain"] == "corp.example"
    sts = document["statefulSets"][0]
    assert sts["file"] == "<stdin>"
    assert sts["pods"][0]["fqdn"] == "web-0.nginx.prod.svc.corp.example"


def test_replicas_preview(run_cli: Any) -> None:
    result = run_cli("render", "examples/web.yaml", "--replicas", "1", "-f", "json", "--no-config")
    assert result.code == 0
    scale = json.loads(result.out)["statefulSets"][0]["scale"]
    assert scale["podsRemoved"] == ["web-2", "web-1"]
    assert scale["removeWaves"] == [["web-2"], ["web-1"]]
    assert scale["claimsRetained"] == ["www-web-1", "www-web-2"]


def test_select(run_cli: Any) -> None:
    result = run_cli("render", "examples/", "--select", "data/db", "-f", "json", "--no-config")
    assert result.code == 0, result.err
    assert [s["name"] for s in json.loads(result.out)["statefulSets"]] == ["db"]
    missing = run_cli("render", "examples/web.yaml", "--select", "nope", "--no-config")
    assert missing.code == 2
    assert "no StatefulSet named 'nope' in the input (found: default/web)" in missing.err


def test_broken_objects_exit_1_and_the_rest_is_rendered(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN.lstrip("\n"), encoding="utf-8")
    result = run_cli("render", str(path), "-f", "dns", "--no-config")
    assert result.code == 1
    err = result.err.splitlines()
    assert err[0] == (f"{path}:3:1: error render-no-name StatefulSet has no metadata.name: pod and PVC names "
                      "cannot be derived (StatefulSet default/<unnamed>, metadata)")
    assert f"{path}:17:3: error render-selector-mismatch" in result.err
    assert "sts: rendered 1 StatefulSet(s); 3 problem(s) above" in result.err
    assert "; StatefulSet default/good: no serviceName" in result.out


def test_yaml_syntax_error_is_a_problem(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: [\n", encoding="utf-8")
    result = run_cli("render", str(path), str(EXAMPLES / "web.yaml"), "-f", "json", "--no-config")
    assert result.code == 1
    assert f"{path}:" in result.err
    assert [s["name"] for s in json.loads(result.out)["statefulSets"]] == ["web"]


def test_no_statefulset(run_cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: None\n")
    result = run_cli("render", str(path), "--no-config")
    assert result.code == 1
    assert "no StatefulSet found in the input" in result.err


@pytest.mark.parametrize(("args", "message"), [
    (["examples/web.yaml", "-f", "xml"], "unknown format 'xml'"),
    (["examples/web.yaml", "--cluster-domain", "bad_domain"], "is not a DNS domain"),
    (["examples/web.yaml", "-k", "1.12"], "unsupported Kubernetes version"),
    (["does/not/exist.yaml"], "no such file or folder: does/not/exist.yaml"),
])
def test_usage_errors_exit_2(run_cli: Any, args: list[str], message: str) -> None:
    result = run_cli("render", *args, "--no-config")
    assert result.code == 2
    assert message in result.err


def test_negative_replicas_option_is_a_usage_error(run_cli: Any) -> None:
    result = run_cli("render", "examples/web.yaml", "--replicas", "-1", "--no-config")
    assert result.code == 2


@pytest.mark.parametrize("fmt", ["yaml", "table"])
def test_closed_stdout_ends_quietly(fmt: str) -> None:
    # 100 replicas: more output (> 100 kB) than a pipe buffer holds, so a write really fails.
    command = (f"{sys.executable} -m sts_cli render examples/database.yaml --no-config --replicas 100 -f {fmt}"
               " | head -1; exit ${PIPESTATUS[0]}")
    done = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout == ("---\n" if fmt == "yaml" else "StatefulSet data/db  (examples/database.yaml:23)\n")
    assert done.stderr == ""
    assert done.returncode == 0


def test_max_replicas_bounds_what_is_drawn(run_cli: Any) -> None:
    refused = run_cli("render", "-", "-f", "dns", "--replicas", "12001", "--no-config", stdin=WEB)
    assert refused.code == 1
    assert "render-too-large spec.replicas is 12001: sts renders at most 10000 pods and 100000 PVCs" in refused.err
    assert "`--max-replicas N` draws up to N pods" in refused.err
    drawn = run_cli("render", "-", "-f", "dns", "--replicas", "12001", "--max-replicas", "12001", "--no-config",
                    stdin=WEB)
    assert drawn.code == 0, drawn.err
    assert "<ipv4-reversed:web-12000>.in-addr.arpa." in drawn.out
    lower = run_cli("render", "-", "-f", "dns", "--max-replicas", "2", "--no-config", stdin=WEB)
    assert lower.code == 1 and "sts renders at most 2 pods" in lower.err
    assert run_cli("render", "-", "--max-replicas", "0", "--no-config", stdin=WEB).code == 2


def test_render_limits_grow_with_max_replicas() -> None:
    from sts_cli.render.plan import render_limits

    assert render_limits() == (10_000, 100_000, 500_000)
    assert render_limits(50) == (50, 100_000, 500_000)
    assert render_limits(100_000) == (100_000, 1_000_000, 30_000_000)


def test_color_always_keeps_its_colours_on_a_pipe(run_cli: Any) -> None:
    coloured = run_cli("render", "--color", "always", "examples/web.yaml")
    plain = run_cli("render", "--color", "never", "examples/web.yaml")
    assert coloured.code == plain.code == 0
    assert "\x1b[" in coloured.out and "\x1b[" not in plain.out
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", coloured.out)
    # rich pads a styled title to the table's width: the same text, but for trailing spaces
    assert [line.rstrip() for line in stripped.splitlines()] == [line.rstrip() for line in plain.out.splitlines()]
