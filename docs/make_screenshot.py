"""Take the README's screenshot of the app: the real ``trustcascade app`` in Debian's chromium.

Starts the app server on a free port of 127.0.0.1, opens a scenario link (by default the
company shock, seed 1: the largest company is listed by decree in month 60) in a headless
chromium page, presses Step until just after the decree, opens the dossier of the first citizen
drawn as listed through others, and saves the page scaled to 1280x800 as a palette PNG (256 colours by
octree, which keeps the palette's node colours apart; median cut merged orange, vermillion and
reddish purple), about a quarter of the size of a full-colour PNG.

    .venv/bin/python docs/make_screenshot.py [--out docs/figures/app.png] [--query ?preset=...] [--steps 62]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from trustcascade.visualization.browser import CANVAS, Server, drawn_step, launch_chromium, node_colours, open_page
from trustcascade.visualization.palette import LISTED_THROUGH_OTHERS

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1600, "height": 1000}
"""Drawn this large so the network, the dossier and the charts sit side by side, then scaled to SAVED."""
SAVED = (1280, 800)


def step(page, times: int) -> None:
    """Press Step ``times`` times, each time waiting for the network view to draw the new month."""
    for _ in range(times):
        before = drawn_step(page)
        page.click(".tc-step-button")
        page.wait_for_function(f"() => Number(document.querySelector('{CANVAS}').dataset.step) > {before}",
                               timeout=30_000)


def shoot(url: str, query: str, steps: int) -> bytes:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        if browser is None:
            raise SystemExit("make_screenshot: Debian's chromium is not installed (apt-get install chromium)")
        page, problems = open_page(browser, url + query, **VIEWPORT)
        page.wait_for_selector(f"{CANVAS}[data-first-draw]", timeout=60_000)
        step(page, steps)
        colours = node_colours(page)
        chosen = next((i for i, colour in enumerate(colours) if colour.lower() == LISTED_THROUGH_OTHERS.lower()), None)
        if chosen is not None:
            page.fill(".tc-find input", str(chosen))
            page.wait_for_timeout(1500)  # the dossier renders on the next refresh
        picture = page.screenshot()
        browser.close()
    if problems:
        raise SystemExit(f"make_screenshot: the page reported problems: {problems}")
    return picture


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "figures" / "app.png")
    parser.add_argument("--query", default="?preset=company-shock&seed=1")
    parser.add_argument("--steps", type=int, default=62)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        server = Server.app(Path(folder) / "server.log").wait()
        try:
            picture = shoot(server.url, args.query, args.steps)
        finally:
            server.stop()
    image = Image.open(io.BytesIO(picture)).convert("RGB").resize(SAVED, Image.Resampling.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(args.out, optimize=True)
    print(f"{args.out}: {image.width}x{image.height}, {args.out.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
