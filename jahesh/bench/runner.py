"""`python -m jahesh.bench`: runs the sections, prints their tables, merges var/bench.json."""

import argparse
import http.client
import os
import signal
import sys
import time
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from jahesh.bench.context import JSON_PATH, BenchContext, BenchError, shown
from jahesh.bench.load import LoadError
from jahesh.bench.machine import CpuMeter
from jahesh.bench.results import SectionResult, format_section, write_sections
from jahesh.bench.sections import SECTIONS
from jahesh.bench.server import ServerError


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # a SIGTERM stops the server too, like Ctrl+C


def main(argv: list[str] | None = None) -> int:
    names = [section.name for section in SECTIONS]
    parser = argparse.ArgumentParser(
        prog="python -m jahesh.bench",
        description="Benchmark Jahesh's pages against a bare view; writes var/bench.json.",
    )
    parser.add_argument("--section", action="append", choices=names, dest="sections",
                        help="run only this section (may be repeated); default: all")
    parser.add_argument("--fresh", action="store_true",
                        help="delete var/bench/bench.sqlite3 first, so it is rebuilt from the "
                             "current migrations and demo data")
    args = parser.parse_args(argv)
    selected = [s for s in SECTIONS if not args.sections or s.name in args.sections]
    signal.signal(signal.SIGTERM, _terminate)

    started = time.monotonic()
    meter = CpuMeter()
    meter.start()
    ctx = BenchContext()
    results: dict[str, SectionResult] = {}
    error: str | None = None
    try:
        if args.fresh:
            ctx.delete_database()
        ctx.prepare()
        for section in selected:
            print(f"Section {section.name}:", flush=True)
            results[section.name] = section.run(ctx)
    except KeyboardInterrupt:
        print("\nInterrupted: the server is stopped and var/bench.json is left as it was.",
              file=sys.stderr)
        return 130
    except (BenchError, LoadError, ServerError, OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        ctx.close()

    ran_at = datetime.now(UTC).isoformat(timespec="seconds")
    busy = meter.figures()  # after ctx.close(), so the stopped server's CPU time is counted
    figures: dict[str, Any] = {}
    for name, result in results.items():
        print()
        print(format_section(name, result))
        figures[name] = {**result.figures, "ran_at": ran_at, "failures": result.failures,
                         "ok": result.failures == 0, "machine_busy": busy}
    if results and "other_processes_cpu_s" in busy:
        share = busy["other_processes_share"]
        print(f"\nOther processes used {busy['other_processes_cpu_s']:.0f} CPU-seconds of the "
              f"{busy['wall_s'] * (os.cpu_count() or 1):.0f} available during the run "
              f"({share:.0%})" + (": the machine was busy, so these figures are not comparable "
                                  "with a quiet run." if share > 0.1 else "."))
    if figures:
        for warning in write_sections(JSON_PATH, figures):
            print(f"warning: {warning}", file=sys.stderr)
        print(f"\nWrote {', '.join(figures)} to {shown(JSON_PATH)} "
              f"({time.monotonic() - started:.0f} s in all).")

    failures = sum(result.failures for result in results.values())
    if error:
        print(f"\nFAILED: {error}", file=sys.stderr)
        return 1
    if failures:
        print(f"\nFAILED: {failures} requests did not answer 200 (see the notes above); their "
              "figures are in the JSON with \"ok\": false.", file=sys.stderr)
        return 1
    return 0
