"""The page's browser assets, kept in a local folder so the app works without internet.

Solara fetches its JS/CSS through a CDN proxy at run time, so without internet the page stays
blank (404s in the server log); pointing
``SOLARA_ASSETS_PROXY_CACHE_DIR`` at a folder that already holds them makes the page
independent of the network. The folder is filled once from the npm registry
(``npm pack NAME@VERSION``, unpacked as the CDN lays it out). The list below is what the
page of solara 1.64.1 asks for (read from the server log with an empty folder).

Usage: ``python -m trustcascade.visualization.assets [--check] [FOLDER]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
)
"""npm packages the page loads through Solara's CDN proxy (solara 1.64.1)."""
MAIN_FILES = {"requirejs@2.3.6": "require.js"}
"""A bare ``NAME@VERSION`` URL serves the package's main file; Solara caches it as ``__main.js``."""
COMPLETE = ".complete"
DEAD_CDN = "http://127.0.0.1:9/"
"""Where Solara's proxy looks for anything not in the folder once it is complete: nowhere
(a closed loopback port), so a running page never reaches for the internet."""


def default_folder() -> Path:
    """``TRUSTCASCADE_ASSETS``, else ``.assets/`` in a source checkout, else the user's cache."""
    if os.environ.get("TRUSTCASCADE_ASSETS"):
        return Path(os.environ["TRUSTCASCADE_ASSETS"]).expanduser()
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").exists():
        return checkout / ".assets"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "trustcascade" / "assets"


def missing(folder: Path, packages=PACKAGES) -> list[str]:
    """The packages not (completely) unpacked in ``folder``."""
    return [name for name in packages if not (folder / name / COMPLETE).exists()]


def fill(folder: Path, packages=PACKAGES, log=print) -> None:
    """Unpack every missing package into ``folder/NAME@VERSION`` (each one atomically)."""
    folder.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    todo = missing(folder, packages)
    if todo and npm is None:
        raise RuntimeError(f"npm is needed once to fetch the page's browser packages ({', '.join(todo)})")
    for name in todo:
        log(f"assets: fetching {name}")
        with tempfile.TemporaryDirectory(dir=folder) as work:
            done = subprocess.run([npm, "pack", name, "--silent", "--pack-destination", work], cwd=work,
                                  capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise RuntimeError(f"npm pack {name} failed: {done.stderr.strip()[-500:]}")
            tarball = Path(work) / done.stdout.strip().splitlines()[-1]
            unpacked = Path(work) / "unpacked"
            unpacked.mkdir()
            with tarfile.open(tarball) as archive:
                for member in archive.getmembers():  # npm tarballs hold everything under package/
                    member.name = member.name.split("/", 1)[1] if "/" in member.name else ""
                    if member.name and (member.isfile() or member.isdir()):
                        archive.extract(member, unpacked, filter="data")
            if name in MAIN_FILES:
                shutil.copyfile(unpacked / MAIN_FILES[name], unpacked / "__main.js")
            (unpacked / COMPLETE).touch()
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            unpacked.rename(target)


def prepare_environment(folder: Path | None = None) -> Path:
    """Point Solara at the asset folder (before solara is imported); offline once it is complete."""
    folder = folder or default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(folder)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    if not missing(folder):
        os.environ.setdefault("SOLARA_ASSETS_CDN", DEAD_CDN)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trustcascade.visualization.assets",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None, help="default: " + str(default_folder()))
    parser.add_argument("--check", action="store_true", help="only report what is missing (exit 1 if any)")
    args = parser.parse_args(argv)
    folder = args.folder or default_folder()
    if args.check:
        absent = missing(folder)
        print(f"assets: {folder}: " + ("complete" if not absent else "missing " + ", ".join(absent)))
        return 1 if absent else 0
    try:
        fill(folder)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as problem:
        print(f"assets: error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
