"""The command line at scale: ``python benchmarks/bench_cli.py [--only 600|6000] [--report-limit S] [--before DIR]``.

Two synthetic calls (benchmarks/synthetic.py): the largest real call, 600 proposals, 25 members and
5 slots (``synthetic_bundle(600, 25, 5, per_proposal=20)``, about 48,000 scores), and ten times it,
6,000 proposals and 100 members (``per_proposal=83``, about 2 million scores). For each, every command
runs as a fresh ``python -m selection`` process, as a secretariat runs it, so the times include
start-up: ``load`` into an empty database, then ``rank --json``, ``analyse --json`` and ``report``.
Peak memory is the child's high-water mark of resident memory (VmHWM, read from /proc just before it
exits). The report has no target here (the documents issue sets it); it is stopped after
``--report-limit`` seconds so that the benchmark ends.

Targets (issue 14), wall time on this 2-core machine:

- 600: ``rank --json`` under 0.8 s, ``load`` under 1.5 s, ``analyse`` under 1 s;
- 6,000: ``load`` under 15 s and 800 MB, ``rank`` under 3 s, ``analyse`` under 5 s.

``--keep DIR`` writes each size's bundle into DIR once and reads it from there on later runs (the 6,000
bundle takes a while to generate and is 375 MB); the databases are made afresh by each run's ``load``.

``--before DIR`` runs every command of a second source tree too (for instance
``git archive main | tar -x -C DIR``), each tree on its own database loaded by its own ``load`` from the
same bundle, and prints both beside each other.

This is not a test: it prints a table and exits 0 either way. The machine's load average and each
command's CPU time are printed beside the wall times: other work on the machine slows every command
down, and CPU time says what the command itself cost.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_bundle  # noqa: E402

SIZES = {600: (25, 20), 6000: (100, 83)}  # proposals: (members, members per proposal)
TARGETS = {  # (proposals, command): (seconds, megabytes or None)
    (600, "load"): (1.5, None), (600, "rank"): (0.8, None), (600, "analyse"): (1.0, None),
    (6000, "load"): (15.0, 800.0), (6000, "rank"): (3.0, None), (6000, "analyse"): (5.0, None),
}
COMMANDS = ["load", "rank", "analyse", "report"]
COMMAND_LIMIT = 1800.0  # seconds: no command is waited for longer
REPORT_LIMIT = 300.0

# Runs the command line in this process and reports its own peak memory as it exits: VmHWM starts
# afresh at exec, so the figure is the command's own, imports included.
CHILD = r"""
import atexit, sys

def peak():
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    sys.stderr.write(f"\nBENCH-PEAK-KB {kb}\n")

atexit.register(peak)
sys.argv = ["python -m selection", *sys.argv[1:]]
import runpy
runpy.run_module("selection", run_name="__main__", alter_sys=True)
"""


def run(tree: Path, args: list[str], limit: float) -> dict:
    """One command of ``tree`` as a fresh process: wall and CPU seconds, peak MB, exit status (None when stopped)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=tree, env=env, capture_output=True,
                              text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"wall": time.perf_counter() - start, "cpu": None, "mb": None, "status": None}
    wall = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    peak = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("BENCH-PEAK-KB")]
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-2000:])
    return {"wall": wall, "cpu": cpu, "mb": int(peak[-1]) / 1024 if peak else None, "status": proc.returncode}


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def bundle_file(proposals: int, where: Path) -> Path:
    """The synthetic call of ``proposals`` as a bundle file in ``where``, written unless it is there already."""
    members, per = SIZES[proposals]
    source = where / f"bundle-{proposals}.json"
    if not source.exists():
        data = synthetic_bundle(proposals, members, 5, per_proposal=per)
        partial = source.with_suffix(".partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(source)  # a run stopped while writing leaves no bundle to reuse
    return source


def measure(proposals: int, report_limit: float, work: Path, bundles: Path,
            trees: list[tuple[str, Path]]) -> list[tuple]:
    """Every command of every tree on the call of ``proposals``: rows of (proposals, command, tree, result, load)."""
    members, _ = SIZES[proposals]
    source = bundle_file(proposals, bundles)
    print(f"{proposals:,} proposals, {members} members, 5 slots: "
          f"{source.stat().st_size / 1e6:.0f} MB of JSON", flush=True)
    rows = []
    for label, tree in trees:
        db = work / f"call-{proposals}-{label}.db"
        for name, args, limit in (
            ("load", ["load", str(source), "--db", str(db)], COMMAND_LIMIT),
            ("rank", ["rank", "--json", "--db", str(db)], COMMAND_LIMIT),
            ("analyse", ["analyse", "--json", "--db", str(db)], COMMAND_LIMIT),
            ("report", ["report", "--db", str(db), "--out", str(work / f"report-{proposals}.pdf")], report_limit),
        ):
            before = load_average()
            result = run(tree, args, limit)
            rows.append((proposals, name, label, result, before))
            print(f"  {label:<6} {name:<8} {_figures(proposals, name, result)}  (load average {before})", flush=True)
    return rows


def _figures(proposals: int, name: str, r: dict) -> str:
    seconds, megabytes = TARGETS.get((proposals, name), (None, None))
    mb = f"{r['mb']:,.0f} MB" if r["mb"] is not None else "-"
    if r["status"] is None:
        return f"{r['wall']:7.2f} s  stopped at the limit"
    verdict = []
    if r["status"] != 0:
        verdict.append(f"FAILED (exit {r['status']})")
    if seconds is not None:
        verdict.append(f"{'OK' if r['wall'] < seconds else 'OVER'} < {seconds:g} s "
                       f"(CPU {'OK' if r['cpu'] < seconds else 'OVER'})")  # a loaded machine slows the wall time
    if megabytes is not None and r["mb"] is not None:
        verdict.append(f"{'OK' if r['mb'] < megabytes else 'OVER'} < {megabytes:g} MB")
    return f"{r['wall']:7.2f} s  {r['cpu']:7.2f} s CPU  {mb:>9}  " + ("; ".join(verdict) or "no target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, choices=sorted(SIZES), help="Measure one size only.")
    parser.add_argument("--report-limit", type=float, default=REPORT_LIMIT, help="Seconds before the report is stopped.")
    parser.add_argument("--before", type=Path, help="Another source tree whose commands run too, first.")
    parser.add_argument("--keep", type=Path, help="Folder where the bundles are written once and reused.")
    options = parser.parse_args()
    trees = ([("before", options.before.resolve())] if options.before else []) + [("now", ROOT)]
    print(f"Machine: {os.cpu_count()} cores, load average {load_average()} at the start", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for proposals in [options.only] if options.only else sorted(SIZES):
            bundles = options.keep or Path(tmp)
            bundles.mkdir(parents=True, exist_ok=True)
            rows += measure(proposals, options.report_limit, Path(tmp), bundles, trees)
    print("\nproposals  tree    command   wall       CPU (user+system)  peak   against the target (wall, and CPU)")
    for proposals, name, label, result, before in sorted(rows, key=lambda r: (r[0], COMMANDS.index(r[1]))):
        print(f"{proposals:>9,}  {label:<6}  {name:<8} {_figures(proposals, name, result)}  (load average {before})")


if __name__ == "__main__":
    main()
