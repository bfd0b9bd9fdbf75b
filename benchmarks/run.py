"""Side-by-side benchmark: `sts validate` against kubeconform and kubernetes-validate.

    python benchmarks/run.py [--sizes 2000 20000] [--runs 5] [--work /tmp/sts-bench] [--layouts]

Generates the corpora (benchmarks/corpus.py, deterministic), then runs every tool found on
PATH in turn, alternating (A B C A B C ...) so that a slow moment of the machine hits all
of them alike. Reports medians of wall time, documents per second, ratios to kubeconform, peak
memory (largest single process, from wait4) and scaling between sizes; `--json` saves it all.

The cold `sts` run uses a fresh, empty cache folder each time (so it includes writing the
cache, as a first CI run would); the warm run reuses the folder of a previous run. The
benchmark is not part of the tests: run it by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

# What the issue measured on this kind of machine, used when kubeconform is not on PATH.
QUOTED = {"kubeconform": 1250.0, "kubeconform -n 1": 800.0, "kubeconform one file": 0.07}


@dataclass
class Case:
    name: str
    argv: list[str]
    documents: int
    env: dict[str, str] = field(default_factory=dict)
    fresh_cache: bool = False
    stdin: Path | None = None
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # KiB
    codes: list[int] = field(default_factory=list)


# Linux carries a process's peak memory across exec, and a child starts as a copy of its parent:
# measured from here, every command would show at least this harness's own size (hundreds of MiB
# once the layouts are generated). GNU time, a small program, runs each command and reports its
# peak instead; without it, the peak from wait4 is an upper bound.
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def measure(case: Case) -> None:
    env = {**os.environ, **case.env}
    temp = None
    if case.fresh_cache:
        temp = tempfile.mkdtemp(prefix="sts-bench-cache-")
        env["STS_CACHE_DIR"] = temp
    peak_file = tempfile.NamedTemporaryFile(prefix="sts-bench-peak-", delete=False)  # noqa: SIM115
    peak_file.close()
    argv = [GNU_TIME, "-f", "%M", "-o", peak_file.name, *case.argv] if GNU_TIME else case.argv
    source = open(case.stdin, "rb") if case.stdin else None  # noqa: SIM115 - closed below
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=source or subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if source:
        source.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    case.times.append(elapsed)
    case.peaks.append(_peak_kib(peak_file.name) or int(usage.ru_maxrss))
    case.codes.append(process.returncode)
    os.unlink(peak_file.name)
    if temp:
        shutil.rmtree(temp, ignore_errors=True)


def _peak_kib(path: str) -> int | None:
    """The last line GNU time wrote (lines before it say the command exited non-zero)."""
    try:
        lines = Path(path).read_text().split()
        return int(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(["sts", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version(),
            "platform": platform.platform(), "sts": version}


def _load() -> str:
    """The 1-minute load average: on a shared machine, anything near the core count skews the times."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - platforms without it
        return "n/a"


def files_of(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))


def build_cases(corpus: Path, documents: int, args: argparse.Namespace, warm_dir: str) -> list[Case]:
    version = args.kubernetes_version
    cases = [
        Case("sts", ["sts", "validate", "-k", version, str(corpus)], documents, fresh_cache=True),
        Case("sts -j 1", ["sts", "validate", "-k", version, "-j", "1", str(corpus)], documents, fresh_cache=True),
        Case("sts warm", ["sts", "validate", "-k", version, str(corpus)], documents,
             env={"STS_CACHE_DIR": warm_dir}),
    ]
    if shutil.which("kubeconform"):
        base = ["kubeconform", "-strict", "-summary", "-kubernetes-version", f"{version}.0",
                *[flag for location in args.schema_location for flag in ("-schema-location", location)]]
        cases.append(Case("kubeconform", [*base, str(corpus)], documents))
        cases.append(Case("kubeconform -n 1", [*base, "-n", "1", str(corpus)], documents))
    if shutil.which("kubernetes-validate") and documents <= args.slow_peer_limit:
        cases.append(Case("kubernetes-validate", ["kubernetes-validate", "--strict", "-k", f"{version}.0",
                                                  *files_of(corpus)], documents))
    return cases


def split_documents(corpus: Path) -> list[str]:
    """Every document of the corpus, in order (YAML streams cut at `---` lines, JSON files whole)."""
    documents: list[str] = []
    for name in files_of(corpus):
        text = Path(name).read_text()
        if name.endswith(".json"):
            documents.append(text)
            continue
        current: list[str] = []
        for line in text.splitlines(keepends=True):
            if line.rstrip() == "---":
                documents.append("".join(current))
                current = []
            else:
                current.append(line)
        documents.append("".join(current))
    return [d for d in documents if d.strip() and not all(
        not line.strip() or line.lstrip().startswith("#") for line in d.splitlines())]


def layout_cases(corpus: Path, documents: int, args: argparse.Namespace) -> list[Case]:
    """The same documents laid out differently: one file each, and one stream (a file and stdin)."""
    single = corpus.with_name(corpus.name + "-single")
    bundle = corpus.with_name(corpus.name + "-bundle.yaml")
    if not single.exists() or not bundle.exists():
        parts = split_documents(corpus)
        if len(parts) != documents:
            raise SystemExit(f"{corpus}: found {len(parts)} documents, expected {documents}")
        single.mkdir(parents=True, exist_ok=True)
        for index, text in enumerate(parts):
            (single / f"{index:06d}.yaml").write_text(text)
        bundle.write_text("".join("---\n" + text.rstrip("\n") + "\n" for text in parts))
    version = args.kubernetes_version
    return [
        Case("sts, one document per file", ["sts", "validate", "-k", version, str(single)], documents,
             fresh_cache=True),
        Case("sts, one bundle file", ["sts", "validate", "-k", version, str(bundle)], documents, fresh_cache=True),
        Case("sts, the bundle on stdin", ["sts", "validate", "-k", version, "-"], documents, fresh_cache=True,
             stdin=bundle),
    ]


def small_cases(one_file: Path, args: argparse.Namespace) -> list[Case]:
    cases = [
        Case("sts one file", ["sts", "validate", "-k", args.kubernetes_version, "--no-cache", str(one_file)], 2),
        Case("sts --help", ["sts", "--help"], 0),
        Case("sts --version", ["sts", "--version"], 0),
        Case("python -c pass", [sys.executable, "-c", "pass"], 0),
    ]
    if shutil.which("kubeconform"):
        cases.append(Case("kubeconform one file", ["kubeconform", "-strict", "-kubernetes-version",
                                                   f"{args.kubernetes_version}.0",
                                                   *[f for loc in args.schema_location
                                                     for f in ("-schema-location", loc)], str(one_file)], 2))
    if shutil.which("kubernetes-validate"):
        cases.append(Case("kubernetes-validate one file", ["kubernetes-validate", "--strict", "-k",
                                                           f"{args.kubernetes_version}.0", str(one_file)], 2))
    return cases


def run_alternating(cases: list[Case], runs: int) -> None:
    for case in cases:  # one warm-up each: page cache, .pyc files, the warm cache entry
        measure(case)
        case.times.clear()
        case.peaks.clear()
        case.codes.clear()
    for _ in range(runs):
        for case in cases:
            measure(case)


def summary(case: Case) -> dict[str, Any]:
    median = statistics.median(case.times)
    return {"name": case.name, "documents": case.documents, "median_s": round(median, 4),
            "min_s": round(min(case.times), 4), "docs_per_s": round(case.documents / median, 1) if median else None,
            "peak_mib": round(max(case.peaks) / 1024, 1), "exit_codes": sorted(set(case.codes)),
            "runs": len(case.times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sts-bench")
    parser.add_argument("--kubernetes-version", default="1.33")
    parser.add_argument("--schema-location", action="append", default=[],
                        help="passed to kubeconform (it downloads schemas by default)")
    parser.add_argument("--slow-peer-limit", type=int, default=2000,
                        help="largest corpus given to kubernetes-validate (about 25 documents/s)")
    parser.add_argument("--startup-runs", type=int, default=10, help="runs of each start-up command")
    parser.add_argument("--json", type=Path, help="write all measurements here")
    parser.add_argument("--layouts", action="store_true",
                        help="also run sts over the same documents one per file, as one bundle and on stdin")
    args = parser.parse_args()

    report: dict[str, Any] = {"machine": machine(), "sizes": {}, "small": []}
    print(f"machine: {json.dumps(report['machine'])}")
    side_by_side = shutil.which("kubeconform") is not None
    if not side_by_side:
        print("kubeconform is not on PATH: ratios below are against the issue's quoted numbers "
              f"({QUOTED['kubeconform']:.0f} docs/s with default workers, {QUOTED['kubeconform -n 1']:.0f} with "
              "-n 1), NOT measured side by side.")
    for size in args.sizes:
        corpus = args.work / f"corpus-{size}"
        if not corpus.exists():
            counts = generate(corpus, size)
            print(f"generated {corpus}: {counts}")
        warm_dir = tempfile.mkdtemp(prefix="sts-bench-warm-")
        cases = build_cases(corpus, size, args, warm_dir)
        if args.layouts:
            cases += layout_cases(corpus, size, args)
        load_before = _load()
        run_alternating(cases, args.runs)
        print(f"load average (1 min) before/after the {size}-document runs: {load_before} / {_load()}")
        shutil.rmtree(warm_dir, ignore_errors=True)
        rows = [summary(c) for c in cases]
        report["sizes"][str(size)] = rows
        by_name = {row["name"]: row for row in rows}
        reference = by_name.get("kubeconform", {}).get("docs_per_s") or QUOTED["kubeconform"]
        reference_one = by_name.get("kubeconform -n 1", {}).get("docs_per_s") or QUOTED["kubeconform -n 1"]
        print(f"\n## {size} documents ({'side by side' if side_by_side else 'kubeconform: quoted numbers'})")
        print("| tool | median s | docs/s | vs kubeconform | vs kubeconform -n 1 | peak MiB | exit |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for row in rows:
            rate = row["docs_per_s"] or 0.0
            print(f"| {row['name']} | {row['median_s']:.3f} | {rate:.0f} | {rate / reference:.2f}x | "
                  f"{rate / reference_one:.2f}x | {row['peak_mib']:.0f} | {row['exit_codes']} |")
        cold = by_name["sts"]["median_s"]
        print(f"warm rerun: {cold / by_name['sts warm']['median_s']:.1f}x faster than cold")
    if len(args.sizes) >= 2:
        low, high = str(min(args.sizes)), str(max(args.sizes))
        factor = int(high) / int(low)
        print(f"\n## scaling {low} -> {high} documents ({factor:.0f}x the documents)")
        for row_low in report["sizes"][low]:
            match = [r for r in report["sizes"][high] if r["name"] == row_low["name"]]
            if match:
                print(f"- {row_low['name']}: {match[0]['median_s'] / row_low['median_s']:.2f}x the time, "
                      f"peak {row_low['peak_mib']:.0f} -> {match[0]['peak_mib']:.0f} MiB")
    one_file = Path(__file__).resolve().parent.parent / "examples" / "web.yaml"
    small = small_cases(one_file, args)
    load_before = _load()
    run_alternating(small, args.startup_runs)
    print(f"load average (1 min) before/after the start-up runs: {load_before} / {_load()}")
    report["small"] = [summary(c) for c in small]
    print("\n## start-up and one small file")
    print("| command | median s | peak MiB |")
    print("| --- | ---: | ---: |")
    for row in report["small"]:
        print(f"| {row['name']} | {row['median_s']:.3f} | {row['peak_mib']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
