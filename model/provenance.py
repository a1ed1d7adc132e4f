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


def source_checkout() -> Path | None:
    """The source tree the package runs from (a checkout or editable install), or None."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "model" / "provenance.py").is_file() else None


def git_commit() -> str:
    """The commit the package runs from: asked of git in a checkout, else the one recorded when
    the wheel or ``pip install .`` was built (``_build_info.py``, written by setup.py), else
    "unknown"."""
    root = source_checkout()
    if root is not None:
        try:
            out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                 timeout=5)
            commit = out.stdout.strip()
            if out.returncode == 0 and commit:
                dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                       capture_output=True, text=True, timeout=5).stdout.strip()
                return commit + ("-dirty" if dirty else "")
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        from ._build_info import COMMIT
    except ImportError:
        return "unknown"
    return COMMIT


def install_hint(extra: str) -> str:
    """The command that installs an optional extra here: ``pip install '.[sweeps]'`` in a checkout,
    ``pip install 'trustcascade[sweeps]'`` otherwise."""
    return f"pip install '.[{extra}]'" if source_checkout() else f"pip install 'trustcascade[{extra}]'"


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
