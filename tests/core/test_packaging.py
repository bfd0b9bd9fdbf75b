"""The wheel carries the schemas, and the installed package finds them from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_ships_schemas_and_finds_them_from_anywhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True)
    (wheel,) = wheels.glob("sts_cli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for version in range(30, 38):
        assert f"sts_cli/_schemas/kubernetes/v1.{version}.json" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import sts_cli.schemas as s; "
            "print(s.schemas_dir()); print(','.join(s.supported_versions()))")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(target)], cwd=elsewhere, check=True,
                         capture_output=True, text=True, env={"PYTHONPATH": ""}).stdout.splitlines()
    assert out[0] == str(target / "sts_cli" / "_schemas")
    assert out[1] == ",".join(f"1.{v}" for v in range(30, 38))
