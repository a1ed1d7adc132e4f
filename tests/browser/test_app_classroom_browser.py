"""Classroom features on the real page (Debian chromium, real ``trustcascade app`` server).

The browser's runs are checked against the same runs made in this process: same preset, same
parameters, same seed give the same society month by month (one random stream per rule).
About 40 s in all.
"""

import re

import numpy as np
import pandas as pd
from playwright.sync_api import expect

from trustcascade.model.state import Cause
from trustcascade.visualization.browser import open_page, wait_for_nodes
from trustcascade.visualization.dossier import CAUSE_TEXT
from trustcascade.visualization.live import LiveRun

STATE = "Array.from(document.querySelector('.tc-network-{}').tcView.state())"


def step_of(page, view="a") -> int:
    return int(page.evaluate(f"document.querySelector('.tc-network-{view} canvas').dataset.step || -1"))


def click_steps(page, times, views=("a",)):
    start = step_of(page, views[0])
    for k in range(1, times + 1):
        page.click(".tc-step-button")
        condition = " && ".join(f"Number(document.querySelector('.tc-network-{v} canvas').dataset.step) === "
                                f"{start + k}" for v in views)
        page.wait_for_function(f"() => {condition}")


def open_link(browser, app_server, query, count=1000):
    page, problems = open_page(browser, app_server.url + "?" + query)
    page.problems = problems
    wait_for_nodes(page, count)
    return page


def find(page, citizen):
    field = page.locator(".tc-find input")
    field.fill(str(citizen))
    field.press("Enter")
    expect(page.locator(".tc-dossier-headline")).to_contain_text(f"Citizen {citizen}:")


def test_the_dossier_of_a_person_listed_through_others_names_the_cause(browser, app_server):
    # 30 people listed for good at the start: by month 20 listings have spread to friends and kin
    overrides = {"initial_listed": 30, "listing_duration": 0}
    page = open_link(browser, app_server, "preset=restrictions-everywhere&seed=1&initial_listed=30&listing_duration=0")
    page.click(".tc-play")
    page.wait_for_function("() => Number(document.querySelector('.tc-network-a canvas').dataset.step) >= 20",
                           timeout=60_000)
    page.click(".tc-play")
    expect(page.locator(".tc-play")).to_have_text("Play")
    find(page, 0)  # the headline says the month the society stopped at
    month = int(re.search(r"step (\d+)$", page.locator(".tc-dossier-headline").inner_text()).group(1))
    run = LiveRun("restrictions-everywhere", overrides, seed=1)  # the page's society
    for _ in range(month):
        run.step()
    c = run.model.world.citizens
    who = int(np.flatnonzero(c.listed & (c.cause == Cause.ASSOCIATION))[0])
    find(page, who)
    expect(page.locator(".tc-dossier-cause")).to_contain_text(CAUSE_TEXT[Cause.ASSOCIATION])
    links = page.locator(".tc-dossier-chain.tc-dossier-link")
    expect(links.first).to_be_visible()
    named = int(re.search(r"citizen (\d+)", links.first.inner_text()).group(1))
    assert c.listed[named], "the chain names a listed contact"
    links.first.click()  # each link opens the person it names
    expect(page.locator(".tc-dossier-headline")).to_contain_text(f"Citizen {named}:")
    expect(page.locator(".tc-score-chart polyline")).to_have_count(1)
    assert not page.problems, page.problems
    page.close()


def test_compare_mode_steps_both_societies_from_the_same_seed(page):
    page.click(".tc-compare label")
    expect(page.locator(".tc-network-b")).to_be_visible()
    expect(page).to_have_url(re.compile(r"compare=sanction_scope&a=joint&b=local"))
    expect(page.locator(".tc-network-a .tc-caption")).to_have_text("A: sanction_scope = joint")
    expect(page.locator(".tc-network-b .tc-caption")).to_have_text("B: sanction_scope = local")
    page.wait_for_function("() => document.querySelector('.tc-network-b canvas').dataset.frame !== undefined")
    assert page.evaluate(STATE.format("a")) == page.evaluate(STATE.format("b"))  # same seed, same society
    click_steps(page, 4, views=("a", "b"))
    expect(page.locator(".tc-compare-charts")).to_have_attribute("data-rows", "4")
    expect(page.locator(".tc-summary-a")).to_be_visible()
    expect(page.locator(".tc-summary-b")).to_be_visible()
    for view, scope in (("a", "joint"), ("b", "local")):  # each view shows its own policy's society
        run = LiveRun("restrictions-everywhere", {"sanction_scope": scope}, seed=1)
        for _ in range(4):
            run.step()
        assert page.evaluate(STATE.format(view)) == run.node_states().tolist()


def test_a_scenario_link_restores_its_parameters_and_run(browser, app_server):
    query = "preset=domain-local&seed=7&avoidance_probability=0.5&mean_degree=6&n_citizens=600"
    page = open_link(browser, app_server, query, count=600)
    expect(page.locator(".tc-preset")).to_contain_text("domain-local")
    expect(page.locator(".tc-seed input")).to_have_value("7")
    page.click(".tc-group-Behaviour")
    expect(page.locator(".tc-param-avoidance_probability input")).to_have_value("0.5")
    page.click(".tc-group-Network")
    expect(page.locator(".tc-param-mean_degree input")).to_have_value("6")
    click_steps(page, 3)
    run = LiveRun("domain-local", {"avoidance_probability": 0.5, "mean_degree": 6.0, "n_citizens": 600}, seed=7)
    for _ in range(3):
        run.step()
    assert page.evaluate(STATE.format("a")) == run.node_states().tolist()
    field = page.locator(".tc-param-mean_degree input")  # a change is written back into the address
    field.fill("8")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"mean_degree=8"))
    assert not page.problems, page.problems
    page.close()
    bad = open_link(browser, app_server, "seed=2&surveillance_coverage=3")
    expect(bad.locator(".tc-build-error")).to_contain_text("'surveillance_coverage' must be a number in the range")
    expect(bad.locator(".tc-seed input")).to_have_value("2")
    bad.close()


def test_the_csv_and_png_downloads(page, tmp_path):
    click_steps(page, 3)
    with page.expect_download() as download:
        page.click(".tc-csv")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    table = pd.read_csv(saved)
    run = LiveRun("restrictions-everywhere", {}, seed=1)
    expected = run.model.run(3)
    assert table["step"].tolist() == [1, 2, 3] and set(table["seed"]) == {1}
    assert np.allclose(table["mean_score"], expected["mean_score"])
    assert saved.name == "trustcascade-restrictions-everywhere-seed1.csv"
    with page.expect_download() as download:
        page.click(".tc-network-a .tc-png")
    image = tmp_path / download.value.suggested_filename
    download.value.save_as(image)
    assert image.name.endswith("-step-3.png") and image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_two_sessions_at_once_do_not_see_each_others_changes(browser, app_server):
    first, second = open_link(browser, app_server, ""), open_link(browser, app_server, "")
    click_steps(first, 3)
    first.click(".tc-preset")
    first.click(".v-menu__content .v-list-item:has-text('no-association')")
    expect(first.locator(".tc-preset")).to_contain_text("no-association")
    # the menu shows the choice at once, before the server has built and drawn the new society;
    # counting steps from the old society's last frame (step 3) waited for a step 4 that never came
    first.wait_for_function("() => Number(document.querySelector('.tc-network-a canvas').dataset.step) === 0")
    click_steps(first, 2)
    expect(second.locator(".tc-step")).to_have_text("Step 0")
    expect(second.locator(".tc-preset")).to_contain_text("restrictions-everywhere")
    click_steps(second, 1)
    expect(second.locator(".tc-step")).to_have_text("Step 1")
    expect(first.locator(".tc-step")).to_have_text("Step 2")
    for tab in (first, second):
        assert not tab.problems, tab.problems
        tab.close()


def test_info_panel(page):
    page.click("text=Info")
    expect(page.locator(".tc-info")).to_contain_text("What is it?")
    expect(page.locator(".tc-info")).to_contain_text("Granovetter (1978)")
