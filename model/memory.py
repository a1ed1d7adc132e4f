"""Memory estimates made before allocating, so a size the machine cannot hold is refused in one
line (saying how much it would need) instead of dying in numpy or the kernel's OOM killer.

The per-item costs are measured peaks (tracemalloc) of building and stepping a society, rounded
up; ``tests/test_memory_limits.py`` checks that the estimates bound the measured peaks.
"""

from __future__ import annotations

import os

from .schema import ParameterError

# Peak bytes while building a society and running its first steps (measured, rounded up):
PER_CITIZEN = 400  # state arrays, propensities, households, employment, metric buffers
PER_FRIEND_END = 40  # each end of a friendship: generator keys and sort, CSR, tie slots, products
PER_COMPANY = 400
PER_BUSINESS_END = 40
PER_STEP = 6000  # a row of the metrics (a dict kept by the collector, then a DataFrame row)
PER_CITIZEN_STEP = 2  # dossier events (18 bytes each, about one per ten citizen-months)
BASELINE = 32 << 20  # fixed costs of a run beyond the imports
HEADROOM = 0.8  # use at most this share of the memory available


def available_memory() -> int:
    """Bytes that can be allocated now without swapping: ``MemAvailable`` (Linux), else psutil,
    else a cgroup limit, else assume 4 GiB. ``TRUSTCASCADE_MEMORY`` (bytes) overrides, e.g. to
    keep a shared machine's runs small."""
    override = os.environ.get("TRUSTCASCADE_MEMORY", "").strip()
    if override.isdigit():
        return int(override)
    found = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    found = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if found is None:
        try:
            import psutil

            found = int(psutil.virtual_memory().available)
        except Exception:  # noqa: BLE001 (psutil absent or unsupported platform)
            found = 4 << 30
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            limit = f.read().strip()
        if limit.isdigit():
            found = min(found, int(limit))
    except OSError:
        pass
    return int(found * HEADROOM)


def format_bytes(count: float) -> str:
    """``199 MiB``, ``186 GiB``: binary units, at most three significant digits."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.0f} {unit}" if unit == "bytes" or count >= 100 else f"{count:.3g} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def society_bytes(params: dict, friend_ends: float | None = None) -> int:
    """Peak bytes of building and running the society ``params`` describe.

    ``friend_ends`` is twice the number of friendships when known (a graph file); otherwise
    ``n_citizens * mean_degree``.
    """
    n, m = params["n_citizens"], params["n_companies"]
    ends = n * params["mean_degree"] if friend_ends is None else friend_ends
    business = m * min(params["business_degree"], max(m - 1, 0))
    return int(BASELINE + n * PER_CITIZEN + ends * PER_FRIEND_END + m * PER_COMPANY
               + business * PER_BUSINESS_END)


def run_bytes(params: dict, steps: int) -> int:
    """Peak bytes of a run of ``steps`` steps: the society, its metrics table and its dossiers."""
    return society_bytes(params) + steps * (PER_STEP + PER_CITIZEN_STEP * params["n_citizens"])


def check_society(params: dict, friend_ends: float | None = None, available: int | None = None) -> None:
    """Refuse (one line, naming the sizes) a society that would not fit in memory."""
    need = society_bytes(params, friend_ends)
    free = available_memory() if available is None else available
    if need > free:
        degree = "" if friend_ends is not None else f" mean_degree={params['mean_degree']:g}"
        raise ParameterError("n_citizens", f"a society of n_citizens={params['n_citizens']}{degree} "
                             f"n_companies={params['n_companies']} needs about {format_bytes(need)} of "
                             f"memory; {format_bytes(free)} is available")


def check_total(name: str, what: str, need: float, available: int | None = None) -> None:
    """Refuse ``what`` (field ``name``) when ``need`` bytes exceed the memory available."""
    free = available_memory() if available is None else available
    if need > free:
        raise ParameterError(name, f"{what} needs about {format_bytes(need)} of memory; "
                             f"{format_bytes(free)} is available")
