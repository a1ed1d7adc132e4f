"""What every result records: seed, parameters, package version, git commit, platform."""

from __future__ import annotations

import datetime as _dt
import json
import platform
import subprocess
from pathlib import Path


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("trustcascade")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


def git_commit() -> str:
    """The commit of the source tree the package runs from, or "unknown"."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                             timeout=5)
        commit = out.stdout.strip()
        if out.returncode == 0 and commit:
            dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                                   capture_output=True, text=True, timeout=5).stdout.strip()
            return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


def run_metadata(seed: int, params: dict, preset: str | None = None, schedule: dict | None = None,
                 steps: int | None = None) -> dict:
    """A JSON-able record of how a run was made, enough to repeat it."""
    import mesa
    import numpy

    return {
        "seed": seed, "preset": preset, "steps": steps, "params": params,
        "schedule": {str(k): v for k, v in (schedule or {}).items()},
        "trustcascade_version": package_version(), "git_commit": git_commit(),
        "python": platform.python_version(), "mesa": mesa.__version__, "numpy": numpy.__version__,
        "host": platform.node(), "created": _dt.datetime.now(_dt.timezone.utc).isoformat(),
    }


def to_json(metadata: dict) -> str:
    return json.dumps(metadata, indent=2, sort_keys=True, default=str)
