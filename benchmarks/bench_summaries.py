"""Evaluation summaries at scale: ``python benchmarks/bench_summaries.py [PROPOSALS]``.

The synthetic call of ``benchmarks/synthetic.py`` (600 proposals over 5 slots, 25 members, six
members per proposal, names in six scripts; a selection per slot) stored once in a temporary
SQLite file, then every applicant's summary built as the report page's zip and ``python -m
selection summaries`` build them. Prints the wall and CPU time (CPU per summary) and the zip's size;
this is not a test: it exits 0 either way.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_report import store_call  # noqa: E402


def main() -> None:
    proposals = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    from reports import summaries
    from selection import store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store_call(path, proposals, 25, 5, 6)
        db = store.connect(path)
        t, c = time.perf_counter(), time.process_time()
        data = summaries.build_all(db)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(f"{proposals:,} evaluation summaries: {wall:.1f} s wall, {cpu:.1f} s CPU ({1000 * cpu / proposals:.0f} ms "
          f"CPU each), zip {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
