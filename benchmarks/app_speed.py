"""Speed of the browser app, measured on the real page in Debian's chromium, in one run.

Prints: first paint (navigation to the network drawn, server already up), Play steps per
second at 1,000, 10,000 and 50,000 citizens (the full model step included: each step is
modelled, sent and drawn before the next), and Mesa's default SolaraViz network view of the
same society at 1,000 citizens (``benchmarks/app_mesa_page.py``), with the ratio.
Targets (issue 4): first paint <= 3 s; >= 20 steps/s at 10,000; >= 5 at 50,000; >= 10x Mesa.

Usage: ``.venv/bin/python benchmarks/app_speed.py [--seconds 8]`` (about two minutes).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from trustcascade.visualization import assets
from trustcascade.visualization.browser import (CANVAS, Server, drawn_step, free_port, launch_chromium,
                                                open_page, set_param, wait_for_nodes)

MESA_PACKAGES = ("@widgetti/vue-grid-layout@2.3.13-alpha.2",)
"""Mesa's SolaraViz lays its cards out with vue-grid-layout (the app itself does not)."""
HERE = Path(__file__).parent


def first_paint(browser, url: str, visits: int) -> list[float]:
    """Seconds from navigation to the first drawn network, one per fresh tab."""
    times = []
    for _ in range(visits):
        page, problems = open_page(browser, url)
        page.wait_for_selector(f"{CANVAS}[data-first-draw]", timeout=60_000)
        times.append(float(page.evaluate(f"document.querySelector('{CANVAS}').dataset.firstDraw")) / 1000)
        if problems:
            raise RuntimeError(f"the page had problems: {problems}")
        page.close()
    return times


def rate(read_step, seconds: float, warm_up: float = 2.0) -> float:
    """Steps per second over ``seconds`` after ``warm_up``, read with ``read_step()``."""
    time.sleep(warm_up)
    start, began = read_step(), time.perf_counter()
    time.sleep(seconds)
    return (read_step() - start) / (time.perf_counter() - began)


def play_rates(browser, url: str, sizes: list[int], seconds: float) -> dict[int, float]:
    page, problems = open_page(browser, url)
    wait_for_nodes(page, 1000)
    rates = {}
    for n in sizes:
        if n != 1000:
            set_param(page, "Society", "n_citizens", str(n))
            wait_for_nodes(page, n, timeout=120_000)
        page.click(".tc-play")
        rates[n] = rate(lambda: drawn_step(page), seconds)
        page.click(".tc-play")
        page.wait_for_timeout(500)
    if problems:
        raise RuntimeError(f"the page had problems: {problems}")
    page.close()
    return rates


def mesa_rate(browser, folder: Path, log: Path, seconds: float) -> float:
    port = free_port()
    server = Server([sys.executable, "-m", "solara", "run", str(HERE / "app_mesa_page.py"), "--host", "127.0.0.1",
                     "--port", str(port), "--production", "--no-open", "--no-check-version"], port, log,
                    env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(folder), "TRUSTCASCADE_BENCH_N": "1000",
                         "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"})
    try:
        server.wait(timeout=180)
        page, _ = open_page(browser, server.url)
        counter = page.locator("text=/Time: [0-9.]+/")
        counter.wait_for(timeout=120_000)
        page.wait_for_timeout(2000)
        read = lambda: float(re.search(r"[0-9.]+", counter.inner_text()).group())  # noqa: E731
        for _ in range(3):  # a click while the page still settles can be lost: retry until it plays
            page.click("button:has-text('▶')")
            deadline = time.monotonic() + 20
            while read() == 0 and time.monotonic() < deadline:
                time.sleep(0.2)
            if read() > 0:
                break
        else:
            raise RuntimeError(f"Mesa's view did not start playing; see {log}")
        result = rate(read, seconds, warm_up=4.0)
        page.close()
        return result
    finally:
        server.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring window per size (default 8)")
    args = parser.parse_args(argv)
    folder = assets.default_folder()
    assets.fill(folder, assets.PACKAGES + MESA_PACKAGES)
    work = Path(tempfile.mkdtemp(prefix="app-speed-"))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        if browser is None:
            print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
            return 1
        server = Server.app(work / "app.log").wait()
        time.sleep(1.0)  # let `trustcascade app` finish warming up, as before a class arrives
        try:
            paints = first_paint(browser, server.url, visits=4)
            rates = play_rates(browser, server.url, [1000, 10_000, 50_000], args.seconds)
        finally:
            server.stop()
        mesa = mesa_rate(browser, folder, work / "mesa.log", max(args.seconds, 15.0))
        version = browser.version
        browser.close()
    warm = statistics.median(paints[1:])
    ratio = rates[1000] / mesa if mesa > 0 else float("inf")
    rows = [
        ("first paint, first visit (s)", paints[0], "<= 3", paints[0] <= 3),
        ("first paint, later visits, median (s)", warm, "<= 3", warm <= 3),
        ("Play, 1,000 citizens (steps/s)", rates[1000], "", None),
        ("Play, 10,000 citizens (steps/s)", rates[10_000], ">= 20", rates[10_000] >= 20),
        ("Play, 50,000 citizens (steps/s)", rates[50_000], ">= 5", rates[50_000] >= 5),
        ("Mesa default SolaraViz view, 1,000 (steps/s)", mesa, "", None),
        ("ratio app / Mesa at 1,000", ratio, ">= 10", ratio >= 10),
    ]
    print(f"trustcascade app speed (chromium {version}; logs in {work})")
    for name, value, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"  {name:<46} {value:8.2f}  {target:>6}  {verdict}")
    return 0 if all(met is not False for *_, met in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
