"""Build hook: a wheel or ``pip install .`` records the git commit it was built from.

Everything else is declared in pyproject.toml. The commit goes into
``trustcascade/model/_build_info.py`` inside the build (never into the source tree), which
``trustcascade.model.provenance.git_commit`` reads when the package runs outside a checkout.
"""

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def source_commit() -> str:
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        if head.returncode != 0 or not head.stdout.strip():
            return "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class BuildWithCommit(build_py):
    """build_py that also writes ``_build_info.py`` (skipped for editable installs: a checkout
    asks git directly)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "trustcascade" / "model" / "_build_info.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'"""Written by setup.py when this package was built."""\n\nCOMMIT = {source_commit()!r}\n')


setup(cmdclass={"build_py": BuildWithCommit})
