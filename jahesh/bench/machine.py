"""How busy the machine was: CPU time used by other processes while the benchmark ran.

The benchmark shares the CPUs with whatever else runs (tests, browsers). Its figures are only
comparable between runs where others used little: this says how much they did.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PROC_STAT = Path("/proc/stat")


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), or None."""
    try:
        fields = _PROC_STAT.read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    if not fields or fields[0] != "cpu":
        return None
    # user nice system idle iowait irq softirq steal (guest time is inside user already)
    values = [int(v) for v in fields[1:9]]
    busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
    return busy / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """This process and its waited-for children (gunicorn and its workers, once stopped)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class CpuMeter:
    started: float = 0.0
    busy_at_start: float | None = None
    own_at_start: float = 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        self.busy_at_start = _busy_cpu_s()
        self.own_at_start = _own_cpu_s()

    def figures(self) -> dict[str, Any]:
        wall = time.monotonic() - self.started
        busy_now = _busy_cpu_s()
        own = _own_cpu_s() - self.own_at_start
        cpus = os.cpu_count() or 1
        figures: dict[str, Any] = {
            "wall_s": round(wall, 1),
            "benchmark_cpu_s": round(own, 1),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
        if busy_now is not None and self.busy_at_start is not None and wall > 0:
            others = max(0.0, busy_now - self.busy_at_start - own)
            figures["other_processes_cpu_s"] = round(others, 1)
            figures["other_processes_share"] = round(others / (wall * cpus), 3)
        return figures
