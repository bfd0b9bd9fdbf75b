#!/usr/bin/env python3
"""Fuzz `sts validate` and `sts render` in-process for a chosen number of minutes.

    python scripts/fuzz.py --minutes 5                 # and record the run in benchmarks/FUZZ.md
    python scripts/fuzz.py --minutes 1 --no-record     # just look

Targets, taken in turn until the time is up:
  text        hypothesis: valid pairs with their raw text damaged (bytes flipped, cut, inserted)
  structure   hypothesis: valid pairs with fields deleted, retyped, nested 120 deep, documents repeated
  corpus      the hostile corpus (tests/hostile/corpus.py) mutated at random: splices, flips, repeats
  valid       hypothesis: valid pairs pass validate; `render --format yaml` of them passes validate
  order       hypothesis: findings do not depend on the order of documents (no object defined twice:
              then which definition the cross-object rules see depends on the order, by design)

A failure is a traceback, an internal error, an exit code outside {0, 1, 2}, a broken property,
or one input taking longer than --slow seconds. Failing inputs are written to --out (default: a
temporary folder). Memory is capped (--memory GiB) so that a blow-up fails instead of swapping.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("STS_NO_CACHE", "1")
os.environ["NO_COLOR"] = "1"
os.environ.pop("GITHUB_ACTIONS", None)
sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.hostile.corpus import hostile_files  # noqa: E402
from tests.hostile.helpers import ALLOWED_CODES, CRASH_MARKERS, Run, run_main  # noqa: E402
from tests.hostile.strategies import emit, mutated_documents, mutated_text, pairs  # noqa: E402

START_MARK = "<!-- fuzz:start -->"
END_MARK = "<!-- fuzz:end -->"


@dataclass
class Stats:
    inputs: int = 0
    runs: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: str = ""
    seconds: float = 0.0
    codes: dict[int, int] = field(default_factory=dict)


class Fuzzer:
    def __init__(self, out: Path, slow: float, rng: random.Random) -> None:
        self.out = out
        self.slow = slow
        self.rng = rng
        self.stats: dict[str, Stats] = {}
        self.current = ""
        self.folder = Path(tempfile.mkdtemp(prefix="sts-fuzz-"))
        self.last_input = b""  # what a property body checked last, saved when it fails

    def stat(self) -> Stats:
        return self.stats.setdefault(self.current, Stats())

    def save(self, data: bytes, why: str) -> None:
        name = f"{self.current}-{len(self.stat().failures):03d}"
        (self.out / f"{name}.yaml").write_bytes(data)
        (self.out / f"{name}.txt").write_text(why)
        self.stat().failures.append(f"{name}: {why.splitlines()[0][:200]}")

    def run(self, data: bytes, *args: str) -> Run:
        """`sts ARGS file` on `data`; a crash, a bad exit code or slowness is recorded."""
        path = self.folder / "input.yaml"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            result = run_main(*args, str(path))
        except BaseException as exc:  # a crash outside the CLI's own boundary
            result = Run(99, "", "".join(traceback.format_exception(exc)))
        elapsed = time.perf_counter() - started
        stats = self.stat()
        stats.runs += 1
        stats.codes[result.code] = stats.codes.get(result.code, 0) + 1
        if elapsed > stats.slowest:
            stats.slowest, stats.slowest_input = elapsed, f"{len(data)} bytes, sts {' '.join(args)}"
        problem = ""
        if result.code not in ALLOWED_CODES:
            problem = f"exit code {result.code}"
        elif any(marker in result.err for marker in CRASH_MARKERS):
            problem = "crash: " + result.err[-300:]
        elif elapsed > self.slow:
            problem = f"slow: {elapsed:.1f} s"
        if problem:
            self.save(data, f"{problem}\nsts {' '.join(args)}\n{result.err[-4000:]}")
        return result

    def check(self, data: bytes) -> None:
        self.stat().inputs += 1
        self.run(data, "validate", "--format", "json")
        self.run(data, "render", "--format", self.rng.choice(["table", "yaml", "json", "dns", "mermaid"]))


def hypothesis_target(fuzzer: Fuzzer, strategy: st.SearchStrategy[Any], body: Callable[[Any], None],
                      examples: int, run_seed: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @seed(run_seed)
    @given(strategy)
    def target(value: Any) -> None:
        body(value)

    fuzzer.last_input = b""
    try:
        target()
    except Exception as exc:  # a property failed; hypothesis ran the shrunk example last
        fuzzer.save(fuzzer.last_input, f"property: {type(exc).__name__}: {str(exc)[:300]}")


def text_body(fuzzer: Fuzzer) -> Callable[[bytes], None]:
    return fuzzer.check


def structure_body(fuzzer: Fuzzer) -> Callable[[list[Any]], None]:
    def body(documents: list[Any]) -> None:
        fuzzer.check(emit(documents, fuzzer.rng.choice(["yaml", "json"])).encode("utf-8", "surrogateescape"))
    return body


def valid_body(fuzzer: Fuzzer) -> Callable[[tuple[dict[str, Any], dict[str, Any]]], None]:
    def body(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
        fuzzer.stat().inputs += 1
        data = emit(list(pair)).encode()
        fuzzer.last_input = data
        run = fuzzer.run(data, "validate", "--format", "json")
        errors = [f for f in json.loads(run.out or '{"findings": []}')["findings"] if f["severity"] == "error"]
        assert run.code == 0 and not errors, (run.code, errors[:3])
        render = fuzzer.run(data, "render", "--format", "yaml")
        assert render.code == 0, render.err[-500:]
        again = fuzzer.run(render.out.encode(), "validate", "--allow-empty", "--format", "json")
        assert again.code == 0, again.out[-500:]
    return body


def order_body(fuzzer: Fuzzer) -> Callable[[tuple[list[Any], random.Random]], None]:
    def keys(run: Run) -> list[tuple[str, ...]]:
        document = json.loads(run.out)
        return sorted((f["rule"], f["object"], f["path"]) for f in document["findings"])

    def body(drawn: tuple[list[Any], random.Random]) -> None:
        documents, rng = drawn
        fuzzer.stat().inputs += 1
        shuffled = documents[:]
        rng.shuffle(shuffled)
        data, other = emit(documents).encode(), emit(shuffled).encode()
        fuzzer.last_input = data + b"\n# --- the same documents, reordered:\n" + other
        first = fuzzer.run(data, "validate", "--format", "json")
        second = fuzzer.run(other, "validate", "--format", "json")
        only_first = sorted(set(keys(first)) - set(keys(second)))
        only_second = sorted(set(keys(second)) - set(keys(first)))
        assert first.code == second.code and keys(first) == keys(second), \
            f"findings depend on document order: {only_first[:3]} / {only_second[:3]}"
    return body


SNIPPETS = [b"{", b"[", b"&a ", b"*a", b"!!python/object/apply:os.system ['id'] ", b"\t", b"\x00", b"\xff",
            b"<<: ", b"---\n", b"...\n", b"'", b'"', b"%TAG ! tag:x\n", b"\xef\xbb\xbf", b"\r", b"? ", b": ",
            b"- ", b"~", b"0x", b"1e400", b"\\ud800", b"\xe2\x80\xa8"]


def corpus_round(fuzzer: Fuzzer, corpus: list[bytes], count: int) -> None:
    rng = fuzzer.rng
    for _ in range(count):
        data = bytearray(rng.choice(corpus))
        for _ in range(rng.randint(1, 8)):
            action = rng.randrange(6)
            position = rng.randrange(len(data) + 1)
            if action == 0 and data:
                data[min(position, len(data) - 1)] = rng.randrange(256)
            elif action == 1:
                data[position:position] = rng.choice(SNIPPETS)
            elif action == 2:
                del data[position:position + rng.randint(1, 64)]
            elif action == 3:  # splice another file in
                other = rng.choice(corpus)
                start = rng.randrange(len(other) + 1)
                data[position:position] = other[start:start + rng.randint(1, 2000)]
            elif action == 4 and data:
                end = min(len(data), position + rng.randint(1, 200))
                data[position:position] = bytes(data[position:end]) * rng.randint(1, 20)
            else:
                del data[position:]
        fuzzer.check(bytes(data[: 4 * 1024 * 1024]))


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=False).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def report(fuzzer: Fuzzer, minutes: float, elapsed: float, run_seed: int, memory: float, commit: str) -> str:
    total_inputs = sum(s.inputs for s in fuzzer.stats.values())
    total_runs = sum(s.runs for s in fuzzer.stats.values())
    failures = [f for s in fuzzer.stats.values() for f in s.failures]
    lines = [
        "## Fuzz run",
        "",
        f"`python scripts/fuzz.py --minutes {minutes:g} --seed {run_seed}` at commit {commit}: "
        f"{elapsed / 60:.1f} minutes, {total_inputs} inputs, {total_runs} in-process runs of `sts validate` / "
        f"`sts render`, **{len(failures)} failures**.",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}; memory capped at {memory:g} GiB.",
        "",
        "| target | inputs | runs | exit codes | slowest run | failures |",
        "| --- | ---: | ---: | --- | --- | ---: |",
    ]
    for name, stats in fuzzer.stats.items():
        codes = ", ".join(f"{code}: {count}" for code, count in sorted(stats.codes.items()))
        lines.append(f"| {name} | {stats.inputs} | {stats.runs} | {codes} | {stats.slowest:.2f} s "
                     f"({stats.slowest_input}) | {len(stats.failures)} |")
    lines.append("")
    if failures:
        lines.append("Failures (inputs kept in the --out folder):")
        lines.extend(f"- {f}" for f in failures[:50])
    else:
        lines.append("No traceback, no internal error, no exit code outside {0, 1, 2}, no broken property, "
                     "and no input slower than the limit.")
    return "\n".join(lines) + "\n"


def record(text: str, path: Path) -> None:
    section = f"{START_MARK}\n{text}{END_MARK}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Fuzzing\n\n"
    pattern = re.compile(re.escape(START_MARK) + ".*?" + re.escape(END_MARK) + "\n?", re.DOTALL)
    new = pattern.sub(lambda _m: section, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + section
    path.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--slow", type=float, default=10.0, help="seconds one run may take (default: 10)")
    parser.add_argument("--memory", type=float, default=6.0, help="GiB of address space (default: 6)")
    parser.add_argument("--out", type=Path, default=None, help="folder for failing inputs")
    parser.add_argument("--record", type=Path, default=REPO / "benchmarks" / "FUZZ.md")
    parser.add_argument("--no-record", action="store_true")
    options = parser.parse_args()

    limit = int(options.memory * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    run_seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1 << 32)
    out = options.out or Path(tempfile.mkdtemp(prefix="sts-fuzz-failures-"))
    out.mkdir(parents=True, exist_ok=True)
    fuzzer = Fuzzer(out, options.slow, random.Random(run_seed))
    corpus = list(hostile_files(seed=run_seed).values())
    commit = git_commit()  # the code under test is the code loaded now
    deadline = time.monotonic() + options.minutes * 60
    started = time.monotonic()
    round_index = 0
    targets: list[tuple[str, Callable[[int], None]]] = [
        ("text", lambda s: hypothesis_target(fuzzer, mutated_text(), text_body(fuzzer), 40, s)),
        ("structure", lambda s: hypothesis_target(fuzzer, mutated_documents(), structure_body(fuzzer), 40, s)),
        ("corpus", lambda _s: corpus_round(fuzzer, corpus, 40)),
        ("valid", lambda s: hypothesis_target(fuzzer, pairs(), valid_body(fuzzer), 20, s)),
        ("order", lambda s: hypothesis_target(
            fuzzer, st.tuples(mutated_documents(duplicates=False), st.randoms(use_true_random=False)),
            order_body(fuzzer), 20, s)),
    ]
    while time.monotonic() < deadline:
        name, step = targets[round_index % len(targets)]
        fuzzer.current = name
        begun = time.monotonic()
        step(run_seed + round_index)
        fuzzer.stat().seconds += time.monotonic() - begun
        round_index += 1
        done = sum(s.inputs for s in fuzzer.stats.values())
        failures = sum(len(s.failures) for s in fuzzer.stats.values())
        print(f"\r{(time.monotonic() - started) / 60:5.1f} min  {done} inputs  {failures} failures",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    text = report(fuzzer, options.minutes, time.monotonic() - started, run_seed, options.memory, commit)
    print(text)
    if not options.no_record:
        record(text, options.record)
        print(f"recorded in {options.record}", file=sys.stderr)
    print(f"failing inputs (if any): {out}", file=sys.stderr)
    return 1 if any(s.failures for s in fuzzer.stats.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
