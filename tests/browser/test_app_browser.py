"""The real page in Debian's chromium against the real ``trustcascade app`` server.

About a minute in all. Fixtures in conftest.py: the server, the browser, and a loaded page
that fails the test on console errors or requests leaving the machine.
"""

from playwright.sync_api import expect

from trustcascade.visualization.controls import HIDDEN
from trustcascade.visualization.browser import drawn_step, node_colours, set_param, wait_for_nodes
from trustcascade.visualization.palette import GRADE_COLOURS, NODE_COLOURS


def click_step(page, times):
    for k in range(times):
        page.click(".tc-step-button")
        page.wait_for_function(f"() => Number(document.querySelector('.tc-network canvas').dataset.step) === {k + 1}")


def test_page_loads_offline_with_controls_from_the_schema(page):
    from trustcascade.model.params import SCHEMA

    expect(page.locator(".tc-step")).to_have_text("Step 0")
    for group in ("Authority", "Society", "Network", "Behaviour", "Rules"):
        page.click(f".tc-group-{group}")
        for param in (p for p in SCHEMA if p.group == group and p.type is not bool and p.choices is None
                      and p.name not in HIDDEN):
            expect(page.locator(f".tc-param-{param.name} input")).to_be_visible()
    expect(page.locator(".tc-charts canvas")).to_have_count(3)
    assert set(node_colours(page)) == {GRADE_COLOURS[0].lower()}  # everyone starts with a clean record


def test_step_advances_the_counter_and_changes_node_colours(page):
    before = node_colours(page)
    click_step(page, 6)
    expect(page.locator(".tc-step")).to_have_text("Step 6")
    after = node_colours(page)
    assert sum(a != b for a, b in zip(before, after)) > 0
    assert set(after) <= {c.lower() for c in NODE_COLOURS} | {"#d55e00"}  # node colours or a cut tie over one
    state = page.evaluate("Array.from(document.querySelector('.tc-network').tcView.state())")
    assert sum(1 for s in state if s & 3) > 0  # some grades fell below A


def test_tie_cuts_show(page):
    set_param(page, "Behaviour", "avoidance_probability", "1")
    page.click(".tc-play")
    page.wait_for_function("() => Number(document.querySelector('.tc-network canvas').dataset.cutsShown) > 0",
                           timeout=60_000)
    page.click(".tc-play")  # pause
    expect(page.locator(".tc-play")).to_have_text("Play")
    cuts = page.evaluate("document.querySelector('.tc-network').tcView.cuts()")
    assert cuts, "cut ties are drawn over the network"
    expect(page.locator(".tc-summary")).not_to_contain_text("ties cut so far 0")


def test_preset_change_resets_the_model(page):
    click_step(page, 3)
    expect(page.locator(".tc-step")).to_have_text("Step 3")
    page.click(".tc-preset")
    page.click(".v-menu__content .v-list-item:has-text('watts2002')")
    wait_for_nodes(page, 10_000)
    expect(page.locator(".tc-step")).to_have_text("Step 0")
    assert drawn_step(page) == 0
    page.click(".tc-group-Society")
    expect(page.locator(".tc-param-n_citizens input")).to_have_value("10000")


def test_bad_entries_show_their_message_and_leave_the_model_running(page, app_server):
    set_param(page, "Authority", "surveillance_coverage", "1.5")
    expect(page.locator(".tc-param-surveillance_coverage")).to_contain_text(
        "parameter 'surveillance_coverage' must be a number in the range [0, 1]; got 1.5")
    set_param(page, "Authority", "listing_threshold", "1500")
    expect(page.locator(".tc-param-listing_threshold")).to_contain_text("listing_threshold must be <= initial_score")
    set_param(page, "Society", "n_citizens", "many")
    expect(page.locator(".tc-param-n_citizens")).to_contain_text("parameter 'n_citizens' must be an integer")
    set_param(page, "Society", "n_citizens", "300000")
    expect(page.locator(".tc-param-n_citizens")).to_contain_text("the page draws at most 200,000 citizens")
    seed = page.locator(".tc-seed input")
    seed.fill("-3")
    seed.press("Enter")
    expect(page.locator(".tc-seed")).to_contain_text("seed must be a whole number >= 0; got '-3'")
    click_step(page, 1)  # the society was not touched: same size, and it still steps
    assert page.evaluate("document.querySelector('.tc-network').tcView.count()") == 1000
    assert "Traceback" not in app_server.log_text()


def test_clicking_a_citizen_shows_their_standing(page):
    x, y = page.evaluate("document.querySelector('.tc-network').tcView.pixel(123)")
    box = page.locator(".tc-network canvas").bounding_box()
    scale = box["width"] / page.evaluate("document.querySelector('.tc-network').tcView.side")
    page.mouse.click(box["x"] + (x + 0.5) * scale, box["y"] + (y + 0.5) * scale)
    expect(page.locator(".tc-selected")).to_contain_text("citizen 123: score 1000, grade A")
