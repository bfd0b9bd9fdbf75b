"""Time and peak memory of `sts render` on large StatefulSets, per output format.

    python benchmarks/render_bench.py [--replicas 10000 100000]
                                      [--formats table table-color yaml json dns mermaid]
                                      [--runs 3] [--sts PATH-TO-sts]

Writes `examples/web.yaml` (one claim template, a headless Service with a named port) scaled to
each replica count into a temporary folder, runs `sts render -f FORMAT` `--runs` times per format,
each in a fresh process with output to /dev/null (`table-color` is the table with
`--color always`, what a terminal gets), and prints the median wall time and the
largest peak RSS. Not run by the tests. Measure on a quiet machine (check `uptime`) with a
non-editable install.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Case, measure  # noqa: E402 - a sibling script, not a package

FORMATS = ["table", "table-color", "yaml", "json", "dns", "mermaid"]


def _sts_command(given: str | None) -> list[str]:
    if given:
        return [given]
    found = shutil.which("sts")
    return [found] if found else [sys.executable, "-m", "sts_cli"]


def _measure(command: list[str], runs: int) -> tuple[float, int]:
    """Median seconds and largest peak KiB of `runs` runs, measured as `run.py` measures."""
    case = Case("render", command, 0)
    for _ in range(runs):
        measure(case)
    if any(case.codes):
        raise SystemExit(f"{' '.join(command)} exited with {sorted(set(case.codes))}")
    return statistics.median(case.times), max(case.peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sts", help="the sts executable (default: sts on PATH, else python -m sts_cli)")
    args = parser.parse_args()
    sts = _sts_command(args.sts)
    source = (REPO / "examples" / "web.yaml").read_text(encoding="utf-8")
    print(f"load average: {os.getloadavg()[0]:.2f}; {args.runs} run(s) each, median time, largest peak RSS")
    print(f"{'replicas':>9} {'format':11} {'seconds':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for replicas in args.replicas:
            path = Path(folder, f"web{replicas}.yaml")
            path.write_text(re.sub(r"replicas: 3\b", f"replicas: {replicas}", source), encoding="utf-8")
            for fmt in args.formats:
                options = ["-f", "table", "--color", "always"] if fmt == "table-color" else ["-f", fmt]
                command = [*sts, "render", str(path), *options, "--no-config", "--max-replicas", str(replicas)]
                seconds, peak = _measure(command, args.runs)
                print(f"{replicas:>9} {fmt:11} {seconds:>8.2f} {peak / 1024:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
