"""The command line: a thin Typer layer. Exit codes live here and nowhere else.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 the tool could not
do its job (bad usage, missing path, unreadable input, internal error); 130 interrupted.
A closed stdout (`sts render ... | head -1`) is not an error: the rest of the output is dropped
quietly and the exit code is the one the command would have had anyway.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import Any

try:
    import typer
except KeyboardInterrupt:  # pragma: no cover - Ctrl-C while starting up
    sys.exit(130)

from sts_cli import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

HELP = """Validate and render Kubernetes StatefulSets and their headless Services, offline.

Exit codes: 0 no finding at or above --fail-on (default: error); 1 at least one such finding;
2 the tool could not do its job (bad usage, missing path, unreadable input); 130 interrupted.
"""

# Help is laid out as plain text (click's formatter): Typer's boxed help imports rich's Markdown
# and traceback modules for every help page, which doubles the time of `sts --help`.
app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})


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


# Command modules added to `app` so far; "*" once all of them are.
_registered: set[str] = set()


def _register(args: list[str]) -> None:
    """Add the subcommands, once per process (main() may run many times: tests, embedding).

    `sts validate ...` adds only `commands/validate.py`: every option of every command costs
    start-up time. Root help, completion and anything unusual get all of them.
    """
    if "*" in _registered:
        return
    name = args[0] if args and not args[0].startswith("-") else ""
    if name in _registered or (name.isidentifier() and _register_one(name)):
        return
    from sts_cli.commands import register_all

    app.registered_commands.clear()  # all of them, in their usual order
    register_all(app)
    _registered.add("*")


def _register_one(name: str) -> bool:
    """Add the command `name` from its own module; False when no module registers exactly it."""
    import importlib

    module_name = f"sts_cli.commands.{name}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return False
        raise
    register = getattr(module, "register", None)
    if register is None or name == "common":
        return False
    before = len(app.registered_commands)
    register(app)
    if any(info.name == name for info in app.registered_commands[before:]):
        _registered.add(name)
        return True
    del app.registered_commands[before:]
    return False


def _light_coercion() -> None:
    """Skip Typer's value adapters for values that need no conversion.

    Typer 0.2x converts every option value through a pydantic TypeAdapter, and importing pydantic
    alone takes about 50 ms, a third of a one-file run. A string for a `str` option, ASCII digits for
    an `int` option and strings for a `list[str]` option are taken as they are (what the adapter
    returns for them); anything else (paths, other types, bad values and their error messages) goes
    Typer's own way. Does nothing on Typer versions without this layer.
    """
    try:
        from typer import _coercion, core
    except ImportError:  # pragma: no cover - depends on the installed Typer
        return
    parameter = getattr(core, "_TyperParameter", None)
    build: Any = getattr(_coercion, "build_runtime_param", None)
    if parameter is None or build is None or getattr(parameter, "_sts_light", False) \
            or not hasattr(parameter, "get_runtime_param"):
        return
    from typing import get_args, get_origin

    slow = object()

    def quick(descriptor: Any, value: Any, multiple: bool) -> Any:
        if value is None:  # as every Typer runtime parameter answers, whatever its type
            return () if multiple else None
        info = descriptor.parameter_info
        if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None \
                or descriptor.is_file or descriptor.is_path or descriptor.is_choice or descriptor.is_ranged:
            return slow
        annotation = descriptor.annotation
        if annotation is str and type(value) is str and not multiple:
            return value
        if annotation is int and not multiple:
            if type(value) is int:
                return value
            if type(value) is str and value.isascii() and value.removeprefix("-").isdigit():
                return int(value)
        if multiple and get_origin(annotation) is list and get_args(annotation) == (str,) \
                and isinstance(value, (list, tuple)) and all(type(item) is str for item in value):
            return list(value)
        return slow

    class Light:
        def __init__(self, descriptor: Any) -> None:
            self.descriptor = descriptor
            self.full: Any = None

        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            fast = quick(self.descriptor, value, bool(param.multiple or param.nargs == -1))
            if fast is not slow:
                return fast
            if self.full is None:
                self.full = build(self.descriptor)
            return self.full.coerce(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            self._runtime_param = Light(self.type_descriptor)
        return self._runtime_param

    parameter.get_runtime_param = get_runtime_param
    parameter._sts_light = True


def _silence_stdout() -> None:
    # The reader went away (`sts render | head -1`): drop further output quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


class _QuietPipe(io.FileIO):
    """stdout whose reader may go away: from then on, output is dropped instead of failing."""

    broken = False

    def write(self, data: Any) -> int:
        size = memoryview(data).nbytes
        if self.broken:
            return size
        try:
            return super().write(data) or 0
        except BrokenPipeError:
            self.broken = True
            _devnull_onto(self.fileno())
            return size


def _devnull_onto(fd: int) -> None:
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
    except OSError:
        pass


def _standard_streams() -> Any:
    """Make stdin/stdout/stderr safe to use; return the stdout to restore afterwards.

    A closed standard descriptor (`sts validate x >&-`) gets /dev/null, so that no file opened
    later takes its number and receives output. The process's own stdout is wrapped so that a
    closed pipe never raises (rich would otherwise exit 1, and Python print a traceback).
    Replaced streams (tests capturing output) are left alone.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            _devnull_onto(fd)
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "rb", closefd=False), encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "wb", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
    original = sys.stdout
    if original is not None and original is not sys.__stdout__:
        return original
    try:
        fd = original.fileno() if original is not None else 1
        if original is not None:
            original.flush()
        encoding = getattr(original, "encoding", None) or "utf-8"
        line_buffering = bool(getattr(original, "line_buffering", False))
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_QuietPipe(fd, "wb", closefd=False)),
                                      encoding=encoding, errors="backslashreplace",
                                      line_buffering=line_buffering)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
    return original


_AT_FORK: list[bool] = []


def _quiet_workers() -> None:
    """Ctrl-C reaches every process of the terminal's group: forked workers ignore it, and the
    main process, which stops them, alone reports the interruption (no worker tracebacks)."""
    if not _AT_FORK and hasattr(os, "register_at_fork"):
        import signal

        os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        _AT_FORK.append(True)


def _restore_stdout(original: Any) -> None:
    current = sys.stdout
    try:
        if current is not None:
            current.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError):
        pass
    if current is not original and original is not None:
        sys.stdout = original


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
    original_stdout = _standard_streams()
    _quiet_workers()
    # Parsing is iterative, but repr() and JSON Schema walk nested values recursively: leave
    # room for the deepest nesting the YAML parser accepts (1000 levels).
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))
    if argv is None:
        # A process of its own, which ends with this command: skip the cyclic garbage collector's
        # rescans of everything kept (reports of large inputs, the final collection at exit).
        # What is freed is freed by reference counting; the rare cycle waits for the exit.
        import gc

        gc.disable()
    try:
        _light_coercion()
        _register(args)
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
        _internal_error(exc, debug)
        code = EXIT_ERROR
    try:
        _restore_stdout(original_stdout)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    sys.exit(code)


def _internal_error(exc: BaseException, debug: bool) -> None:
    """One line that asks for a bug report; the traceback only with --debug (or STS_DEBUG=1)."""
    text = str(exc).replace("\n", " ")
    if len(text) > 200:
        text = text[:199] + "…"
    with contextlib.suppress(OSError, ValueError):
        print(f"sts: internal error: {type(exc).__name__}: {text}\n"
              "This is a bug in sts; please report it with the input that caused it"
              + ("" if debug else " (rerun with --debug for details)") + ".", file=sys.stderr)
