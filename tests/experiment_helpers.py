"""Tiny experiment files for the sweep tests (300-500 citizens, 12-20 steps: milliseconds a run)."""

from __future__ import annotations

from pathlib import Path

TINY = """
[experiment]
name = "tiny"
steps = 12
replicates = 2
seed = 5
design = "grid"

[fixed]
n_citizens = 300
n_companies = 5

[factors]
sanction_scope = ["joint", "local"]
association_weight = { min = 100.0, max = 300.0, points = 2 }

[schedule]
"8" = { listing_duration = 1 }

[output]
metrics = ["listed_share", "collateral_share", "new_listings"]
every = 5
"""

SMALL_CALIBRATION = """
[calibration]
name = "small"
steps = 10
seed = 4

[fixed]
n_citizens = 300
n_companies = 5
base_rate_traffic = 0.2
forgiveness_rate = 0.02

[priors]
surveillance_coverage = { min = 0.1, max = 0.9 }
listing_duration = { min = 6, max = 30 }

[targets]
mean_score = { steps = [5, 10], values = [998.5, 996.0] }

[method]
populations = 2
particles = 10
replicates = 2
"""


def write_experiment(folder: Path, subs: dict | None = None, text: str = TINY, name: str = "tiny.toml") -> Path:
    """Write ``text`` into ``folder/name``, each ``old`` of ``subs`` replaced by its ``new``."""
    for old, new in (subs or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def in_process():
    """An Executor running tasks in this process (one thread): the runner takes any Executor."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=1)


def write_calibration(folder, subs=None, text=None, name="small.toml"):
    """Write a calibration file (SMALL_CALIBRATION unless ``text``) into ``folder``."""
    return write_experiment(folder, subs, text=text or SMALL_CALIBRATION, name=name)
