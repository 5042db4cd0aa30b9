"""Run the benchmarks, print one table of figures and write them to bench/results.json.

Each `bench/*_bench.py` module names its parts in a PARTS dict; `--only etl,scaling` picks
parts by name. A part returns rows of figures (medians, ratios, counts) and its raw samples.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # `python bench/run.py` puts only bench/ on the path

from bench.common import ROOT, Row, machine  # noqa: E402


def available_parts() -> dict:
    """Every part of every module; a module that cannot be imported is named, not fatal."""
    parts = {}
    for module_file in sorted(BENCH.glob("*_bench.py")):
        try:
            module = importlib.import_module(f"bench.{module_file.stem}")
        except ImportError as error:
            print(f"skipping {module_file.name}: {error}", file=sys.stderr)
            continue
        parts.update(getattr(module, "PARTS", {}))
    return parts


def main(argv: list[str] | None = None) -> int:
    parts = available_parts()
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    parser.add_argument(
        "--only", help=f"comma-separated parts to run (default: all of {', '.join(parts)})"
    )
    parser.add_argument(
        "--out", type=Path, default=BENCH / "results.json", help="results file (%(default)s)"
    )
    args = parser.parse_args(argv)

    chosen = args.only.split(",") if args.only else list(parts)
    unknown = [name for name in chosen if name not in parts]
    if unknown:
        parser.error(f"no such part: {', '.join(unknown)} (there are: {', '.join(parts)})")

    results = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": current_commit(),
        "machine": machine(),
        "parts": {},
    }
    rows: list[Row] = []
    for name in chosen:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        outcome = parts[name]()
        rows += outcome.rows
        results["parts"][name] = {
            "seconds": time.perf_counter() - started,
            "rows": [asdict(row) for row in outcome.rows],
            "details": outcome.details,
        }

    print(table(rows))
    missed = [row for row in rows if row.met is False]
    targets = sum(row.met is not None for row in rows)
    print(f"\n{targets - len(missed)} of {targets} targets met; machine: {results['machine']}")
    results["machine"]["load_average_at_end"] = os.getloadavg()
    busiest = max(results["machine"]["load_average_at_start"][0], os.getloadavg()[0])
    if busiest > (os.cpu_count() or 1) / 2:
        print(
            f"warning: the machine was busy (load average up to {busiest:.1f} on "
            f"{os.cpu_count()} CPUs); wall times swing with it, CPU-time ratios less so"
        )
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def table(rows: list[Row]) -> str:
    header = ("part", "measure", "value", "unit", "target", "met")
    cells = [header] + [
        (
            row.part,
            row.measure,
            str(row.value),
            row.unit,
            row.target,
            "" if row.met is None else ("yes" if row.met else "NO"),
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def current_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
