"""Browser fixtures: the real ``trustcascade app`` server and Debian's chromium (Playwright).

Module-scoped, so chromium and the server end with the browser tests. Skipped, with the
command that fixes it, when chromium or the offline assets are missing (``./dev test``
installs both; in CI they fail instead).
"""

import pytest
from prerequisites import missing_prerequisite

from trustcascade.visualization import assets
from trustcascade.visualization.browser import Server, launch_chromium, open_page, wait_for_nodes


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    absent = assets.missing(assets.default_folder())
    if absent:
        missing_prerequisite(f"browser assets missing ({', '.join(absent)}): run ./dev setup")
    server = Server.app(tmp_path_factory.mktemp("app") / "server.log")
    try:
        yield server.wait()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        if chromium is None:
            missing_prerequisite("chromium not installed: ./dev test installs it (apt-get install chromium)")
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, app_server, browser, tmp_path_factory):
    """The page, loaded and drawn (1,000 citizens); a screenshot is kept if the test fails;
    console errors and requests off the machine fail the test."""
    tab, problems = open_page(browser, app_server.url)
    tab.problems = problems
    try:
        wait_for_nodes(tab, 1000)
        yield tab
        assert not problems, problems
    finally:
        failed = getattr(request.node, "report_call", None)
        if failed is None or failed.failed:
            shot = tmp_path_factory.mktemp("screenshots") / f"{request.node.name}.png"
            tab.screenshot(path=str(shot))
            print(f"\nscreenshot of the failed page: {shot}")
        tab.close()
