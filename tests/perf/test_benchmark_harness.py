"""The benchmark harness runs kubeconform side by side when it is on PATH (a stand-in here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Prints what kubeconform -summary prints and fails as kubeconform does on a broken corpus;
# records its arguments so that the test can check what the harness asked of it.
FAKE_KUBECONFORM = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/calls.txt"
echo "Summary: 30 resources found - Valid: 28, Invalid: 2, Errors: 0, Skipped: 0"
exit 1
"""


@pytest.mark.slow
def test_side_by_side_with_kubeconform_on_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "kubeconform"
    fake.write_text(FAKE_KUBECONFORM)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}", "STS_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "30", "--runs", "1",
                          "--startup-runs", "1", "--work", str(tmp_path / "work"), "--json", str(out),
                          "--schema-location", "/schemas/{{ .ResourceKind }}.json"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "(side by side)" in run.stdout and "NOT measured side by side" not in run.stdout
    report = json.loads(out.read_text())
    rows = {row["name"]: row for row in report["sizes"]["30"]}
    assert {"sts", "sts -j 1", "sts warm", "kubeconform", "kubeconform -n 1"} <= set(rows)
    assert rows["sts"]["exit_codes"] == [1] and rows["kubeconform"]["exit_codes"] == [1]  # 5% broken
    assert all(row["runs"] == 1 and row["peak_mib"] > 0 for row in rows.values())
    assert "kubeconform one file" in {row["name"] for row in report["small"]}
    calls = (bin_dir / "calls.txt").read_text().splitlines()
    assert any("-strict" in call and "-n 1" in call for call in calls)
    assert all("-schema-location /schemas/{{ .ResourceKind }}.json" in call for call in calls)
    assert all("-kubernetes-version 1.33.0" in call for call in calls)
