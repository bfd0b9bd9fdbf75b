"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _shell_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)]


def test_ci_runs_the_readme_test_command() -> None:
    blocks = _shell_blocks()
    test_command = blocks[1]
    assert "pytest" in test_command
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line and not line.startswith(("#", "set ", "cd "))]
    assert ci_lines == [test_command]


def test_first_command_installs_and_validates_an_example() -> None:
    first = _shell_blocks()[0]
    assert "pip install ." in first
    match = re.search(r"sts validate (\S+)", first)
    assert match is not None
    assert (REPO / match.group(1)).is_file()
