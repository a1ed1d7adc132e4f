"""The repository stands alone and its front page points to pages that exist.

A clone holds nothing but the repository: a file that cites a design note kept elsewhere sends the
reader to a page they do not have, so every fact a file relies on is stated in the file (with its
published source). The README is the reader's way in: short enough to be read, and every page it
points to is there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_NOTES = re.compile(rb"\b(RECIPES|DESIGN|ANCHORS|STYLE)\.md\b")
"""Design notes that were kept outside the repository while it was written."""
LOCAL_LINK = re.compile(r"\]\(((?!https?:|mailto:|#)[^)\s#]+)(?:#[^)]*)?\)")
"""The target of a Markdown link to a file of the repository (``[text](docs/x.md#part)``)."""


def tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]


def test_no_tracked_file_cites_a_note_outside_the_repository():
    files = tracked_files()
    assert len(files) > 50
    citing = [f"{path.relative_to(ROOT)}: {match.group().decode()}" for path in files
              for match in [OUTSIDE_NOTES.search(path.read_bytes())] if match]
    assert not citing, f"state the fact where it is used instead of citing an outside note: {citing}"


def test_readme_is_short_and_every_docs_page_it_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    words = len(re.findall(r"[\w'`.-]+", text))
    assert 900 <= words <= 1500, f"README.md has {words} words; keep it about 1,200 (900-1500)"
    named = set(re.findall(r"\bdocs/[\w./-]*\w", text))
    assert {"docs/teachers.md", "docs/researchers.md", "docs/ODD.md", "docs/sweeps.md",
            "docs/contributing.md"} <= named, sorted(named)
    missing = sorted(name for name in named if not (ROOT / name).exists())
    assert not missing, f"README.md names pages that do not exist: {missing}"


def test_the_readme_python_example_runs_and_shows_the_decree():
    """The README's example, in a fresh interpreter: the company listed by decree in month 60 takes
    7 people with it in month 61 (the number the README quotes)."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1 and len(blocks[0].strip().splitlines()) == 3
    done = subprocess.run([sys.executable, "-c", blocks[0]], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    month_61 = next(line.split() for line in done.stdout.splitlines() if line.split()[1:2] == ["61"])
    assert month_61[-1] == "7", done.stdout


@pytest.mark.parametrize("page", ["README.md", "CHANGELOG.md", *sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))])
def test_local_links_of_the_documentation_resolve(page):
    path = ROOT / page
    broken = [target for target in LOCAL_LINK.findall(path.read_text(encoding="utf-8"))
              if not (path.parent / target).exists()]
    assert not broken, f"{page} links to missing files: {broken}"
