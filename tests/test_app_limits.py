"""The app's limits: a memory budget per session, seeds of any length, culling, diagnostics on loopback only."""

import asyncio
import json
import os
import sys
import time
import tracemalloc
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trustcascade.cli.app import CULL_TIMEOUT, lan_addresses, serving_environment
from trustcascade.model.schema import ParameterError
from trustcascade.visualization.browser import Server, free_port
from trustcascade.visualization.budget import SESSION_BUDGET_MB, check_budget, estimate_bytes
from trustcascade.visualization.live import LiveRun, effective_params
from trustcascade.visualization.scenario import Policies, Scenario, from_query
from trustcascade.visualization.session import Session

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))


def test_the_three_gigabyte_link_is_refused_in_one_line():
    scenario, problems = from_query("n_citizens=200000&mean_degree=300")
    assert "mean_degree" not in scenario.overrides
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith("a society of 200,000 citizens with mean_degree 300 would take about 2,9")
    assert f"a page may use {SESSION_BUDGET_MB:,} MB" in problems[0]


def test_compare_mode_counts_both_societies():
    params = effective_params(None, {"n_citizens": 200_000, "mean_degree": 50})  # one fits...
    assert SESSION_BUDGET_MB * 1e6 / 2 < estimate_bytes(params) < SESSION_BUDGET_MB * 1e6
    with pytest.raises(ParameterError, match="2 societies of 200,000 citizens"):
        check_budget(params, params)  # ...two do not
    session = Session()
    refusal = session.rebuild(Scenario(None, {"n_citizens": 200_000, "mean_degree": 50.0}, 1,
                                       Policies("sanction_scope", "joint", "local")))
    assert refusal.startswith("2 societies of 200,000 citizens") and session.runs == []


def test_the_estimate_covers_what_a_society_really_takes():
    import trustcascade.model.model  # noqa: F401  (imports are not the society's)

    params = {"n_citizens": 20_000, "mean_degree": 60.0}
    tracemalloc.start()
    try:
        run = LiveRun(None, params, seed=1)
        run.step()
        run.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    estimate = estimate_bytes(effective_params(None, params))
    assert peak <= estimate <= 1.5 * peak, (peak, estimate)


def test_a_five_thousand_digit_seed_is_one_line():
    scenario, problems = from_query("seed=" + "9" * 5000)
    assert scenario.seed == 1 and len(problems) == 1
    assert problems[0] == "seed must be below 2**63 (at most 19 digits); got '99999999999999999999... (5000 characters)'"
    assert from_query(f"seed={2**63 - 1}")[0].seed == 2**63 - 1


def test_the_app_culls_sessions_within_minutes_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("SOLARA_KERNEL_CULL_TIMEOUT", raising=False)
    serving_environment()
    assert os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] == CULL_TIMEOUT == "2m"
    monkeypatch.setenv("SOLARA_KERNEL_CULL_TIMEOUT", "30s")
    serving_environment()
    assert os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] == "30s"


def kernels(url: str) -> dict:
    with urllib.request.urlopen(url + "resourcez", timeout=10) as answer:
        return json.loads(answer.read())["kernels"]


def test_a_closed_tab_is_culled_and_diagnostics_stay_on_this_machine(tmp_path):
    from solara_client import PageSession

    port = free_port()
    server = Server([sys.executable, "-m", "trustcascade.cli.main", "app", "--host", "0.0.0.0", "--port", str(port)],
                    port, tmp_path / "app.log", env={"SOLARA_KERNEL_CULL_TIMEOUT": "2s"})
    try:
        server.wait()
        tab = PageSession(server.url)

        async def visit():
            await tab.open(90)
            await tab.wait_for(lambda: tab.find("tc-step"), 60)
            assert kernels(server.url)["total"] >= 1
            await tab.close()

        asyncio.run(visit())
        deadline = time.monotonic() + 30
        while kernels(server.url)["total"] > 0:
            assert time.monotonic() < deadline, "the closed tab's session was not culled"
            time.sleep(0.5)
        for address in lan_addresses()[:1]:  # the same server, asked from the LAN side
            for path in ("resourcez", "readyz"):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(f"http://{address}:{port}/{path}", timeout=10)
                assert refused.value.code == 404
            with urllib.request.urlopen(f"http://{address}:{port}/", timeout=30) as page:
                assert page.status == 200  # the page itself is served to the LAN
        assert "Traceback" not in server.log_text()
    finally:
        server.stop()
