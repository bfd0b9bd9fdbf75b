"""The command line: a thin Typer layer. Exit codes live here and nowhere else.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 the tool could not
do its job (bad usage, missing path, unreadable input, internal error); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from sts_cli import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

HELP = """Validate and render Kubernetes StatefulSets and their headless Services, offline.

Exit codes: 0 no finding at or above --fail-on (default: error); 1 at least one such finding;
2 the tool could not do its job (bad usage, missing path, unreadable input); 130 interrupted.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=True, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sts {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Validate and render Kubernetes StatefulSets and their headless Services, offline."""


def _register() -> None:
    from sts_cli.commands import register_all

    register_all(app)


def _silence_stdout() -> None:
    # The reader went away (`sts render | head -1`): drop further output quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _click_exceptions() -> Any:
    """Typer 0.2x vendors Click as `typer._click`; older releases use the `click` package."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - depends on the installed Typer
        from click import exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]
    return exceptions


def main(argv: list[str] | None = None) -> None:
    errors = _click_exceptions()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("STS_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    code = EXIT_OK
    try:
        _register()
        result = app(args=args, prog_name="sts", standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        code = EXIT_INTERRUPTED
    except SystemExit as exc:  # rich exits this way when the reader of stdout went away
        code = exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except errors.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_OK
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        print(f"sts: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in sts; please report it with the input that caused it"
              + ("" if debug else " (rerun with --debug for details)") + ".", file=sys.stderr)
        code = EXIT_ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        pass
    sys.exit(code)
