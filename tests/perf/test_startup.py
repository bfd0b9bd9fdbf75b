"""Start-up: `sts validate FILE` builds only its own command and never imports pydantic, and the
shortcut past Typer's value adapters gives the values and errors the adapters give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from sts_cli import cli
from tests.conftest import REPO


def test_validating_one_file_imports_neither_pydantic_nor_the_other_commands() -> None:
    code = ("import sys\nfrom sts_cli.cli import main\ntry:\n    main(['validate', '-k', '1.33', '--no-cache', "
            "'-j', '1', '-f', 'json', '--enable', 'pdb-missing', 'examples/web.yaml'])\nexcept SystemExit as e:\n"
            "    print(e.code, sorted(m for m in sys.modules if m.startswith(('pydantic', 'sts_cli.commands.'))),"
            " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "0 ['sts_cli.commands.common', 'sts_cli.commands.validate']"
    assert '"findings"' in done.stdout


@pytest.fixture
def fresh_app(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    commands: list[Any] = []
    monkeypatch.setattr(cli, "_registered", set())
    monkeypatch.setattr(cli.app, "registered_commands", commands)
    return commands


def test_a_subcommand_registers_alone_and_root_help_gets_all_in_order(fresh_app: list[Any]) -> None:
    cli._register(["validate", "x.yaml"])
    assert [c.name for c in fresh_app] == ["validate"]
    cli._register(["validate", "y.yaml"])
    assert [c.name for c in fresh_app] == ["validate"]
    cli._register(["--help"])
    everything = [c.name for c in fresh_app]
    assert {"validate", "render", "diff", "rules", "explain"} <= set(everything)
    assert len(everything) == len(set(everything))
    cli._register(["render"])
    assert [c.name for c in fresh_app] == everything


@pytest.mark.parametrize("args", [["explain", "x"], ["common"], ["no-such"], ["../x"], []])
def test_anything_but_a_command_module_registers_everything(fresh_app: list[Any], args: list[str]) -> None:
    cli._register(args)
    assert {"validate", "render", "explain"} <= {c.name for c in fresh_app}


def _params() -> list[Any]:
    app = typer.Typer()

    @app.command()
    def command(text: str = typer.Option("a", "--text"), number: int = typer.Option(0, "--number"),
                many: list[str] = typer.Option([], "--many"), path: Path | None = typer.Option(None, "--path"),
                flag: bool = typer.Option(False, "--flag"),
                args: list[str] = typer.Argument(None)) -> None:
        """A command with one option of each kind the subcommands use."""

    group = typer.main.get_command(app)
    return list(group.params)


VALUES: list[Any] = [None, "", "x", " 7", "7", "-3", "+3", "1.5", "0007", "12345678901234567890", "٣", 5, True,
                     ("a", "b"), ["c"], (), ("a", 3)]


def test_the_light_coercion_agrees_with_the_adapters() -> None:
    from typer import _coercion

    cli._light_coercion()
    checked = 0
    for param in _params():
        for value in VALUES:
            fast = slow = None
            try:
                fast = ("ok", param.get_runtime_param().coerce(value, param=param, ctx=None))
            except Exception as exc:  # the same error, with the same message
                fast = ("error", type(exc).__name__, str(exc))
            try:
                slow = ("ok", _coercion.build_runtime_param(param.type_descriptor).coerce(value, param=param,
                                                                                          ctx=None))
            except Exception as exc:
                slow = ("error", type(exc).__name__, str(exc))
            assert fast == slow, (param.name, value)
            assert type(fast[1]) is type(slow[1])
            checked += 1
    assert checked >= 6 * len(VALUES)


def test_in_process_runs_leave_the_garbage_collector_as_they_found_it(run_cli: Any) -> None:
    import gc

    from sts_cli.engine import ValidateOptions, validate

    assert gc.isenabled()
    assert run_cli("validate", "-k", "1.33", "examples/web.yaml").code == 0
    assert gc.isenabled()
    validate([str(REPO / "examples")], ValidateOptions(kubernetes_version="1.33"))
    assert gc.isenabled()
    gc.disable()
    try:
        validate([str(REPO / "examples")], ValidateOptions(kubernetes_version="1.33"))
        assert not gc.isenabled()
    finally:
        gc.enable()
