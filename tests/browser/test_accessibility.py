"""Accessibility in headless Chromium: axe-core (axe-playwright-python, pinned in
requirements-dev.txt) on all five pages at 1400 × 1000 and 390 × 844, after a step and with a
run finished; a keyboard-only walk that steps EM three times; the live charts' text
alternative kept in step with the chart.

The audit checks exactly ``RULES``: axe's WCAG 2.0 and 2.1 level A and AA rules (the tags
wcag2a, wcag2aa, wcag21a, wcag21aa of axe-core 4.12) and two best-practice rules the issue
named (heading-order, empty-table-header). A violation fails the test when it is critical or
serious, or when it is one of those two; ``ALLOWED`` lists the violations that are
Streamlit's own and cannot be fixed from the app, each with its reason (empty today).
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python.sync_playwright as axe_sync
import pytest
from playwright.sync_api import expect

from .conftest import (
    LIVE_CHART,
    act,
    close_device_page,
    device_page,
    open_laid_out,
    wait_for_charts,
)

AXE_JS = (Path(axe_sync.__file__).parent / "axe.min.js").read_text()

RULES = (
    "area-alt", "aria-allowed-attr", "aria-braille-equivalent", "aria-command-name",
    "aria-conditional-attr", "aria-deprecated-role", "aria-hidden-body", "aria-hidden-focus",
    "aria-input-field-name", "aria-meter-name", "aria-progressbar-name", "aria-prohibited-attr",
    "aria-required-attr", "aria-required-children", "aria-required-parent",
    "aria-roledescription", "aria-roles", "aria-tab-name", "aria-toggle-field-name",
    "aria-tooltip-name", "aria-valid-attr-value", "aria-valid-attr", "audio-caption",
    "autocomplete-valid", "avoid-inline-spacing", "blink", "button-name", "bypass",
    "color-contrast", "css-orientation-lock", "definition-list", "dlitem", "document-title",
    "duplicate-id-aria", "form-field-multiple-labels", "frame-focusable-content",
    "frame-title-unique", "frame-title", "html-has-lang", "html-lang-valid",
    "html-xml-lang-mismatch", "image-alt", "input-button-name", "input-image-alt",
    "label-content-name-mismatch", "label", "link-in-text-block", "link-name", "list",
    "listitem", "marquee", "meta-refresh", "meta-viewport", "nested-interactive",
    "no-autoplay-audio", "object-alt", "p-as-heading", "role-img-alt",
    "scrollable-region-focusable", "select-name", "server-side-image-map", "summary-name",
    "svg-img-alt", "table-fake-caption", "td-has-header", "td-headers-attr",
    "th-has-data-cells", "valid-lang", "video-caption",
    # best practice, named by the issue
    "heading-order", "empty-table-header",
)
ALWAYS_FAIL = {"heading-order", "empty-table-header"}
#: (rule, a fragment of the node's selector) -> why it is Streamlit's own and stays.
ALLOWED: dict[tuple[str, str], str] = {}

PAGES = ("", "initializations", "model-selection", "applications", "lesson")
SIZES = {"desktop": {"viewport": {"width": 1400, "height": 1000}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True}}


def audit(page) -> list:
    """axe-core's violations of ``RULES`` on the page and in its frames (live charts)."""
    for frame in page.frames:
        if not frame.is_detached():
            frame.evaluate(AXE_JS)
    result = page.evaluate(
        "(rules) => axe.run(document, {runOnly: {type: 'rule', values: rules},"
        " resultTypes: ['violations']})", list(RULES))
    failing = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"]
                 if not any(rule == v["id"] and part in " ".join(map(str, n["target"]))
                            for rule, part in ALLOWED)]
        if nodes and (v["impact"] in ("critical", "serious") or v["id"] in ALWAYS_FAIL):
            failing.append((v["id"], v["impact"], [n["target"] for n in nodes[:3]],
                            nodes[0].get("failureSummary", "")[:300]))
    return failing


def new_page(browser, size):
    return device_page(browser, **SIZES[size])


open_page = open_laid_out


def press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).first.click)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", PAGES)
def test_axe_no_serious_violations(server, browser, path, size):
    context, page = new_page(browser, size)
    try:
        open_page(page, server, path, "phone" if size == "phone" else "wide")
        assert audit(page) == [], (path, size, "as opened")
        if path == "model-selection":  # its other sections: each tab is drawn when opened
            for tab in ("Held-out curve", "Covariance types", "Dirichlet process",
                        "Degeneracy lab", "Computational cost"):
                act(page, page.get_by_role("tab", name=tab, exact=True).click,
                    timeout=120_000)
                assert audit(page) == [], (path, size, tab)
        if path in ("", "initializations"):
            press(page, "Full iteration")
            wait_for_charts(page)
            assert audit(page) == [], (path, size, "after a step")
            if size == "phone":  # "Run to convergence" is in the "More" popover
                page.get_by_role("button", name="More").click()
            press(page, "Run to convergence")
            expect(page.get_by_text("stopped", exact=False).first).to_be_visible()
            assert audit(page) == [], (path, size, "with a run finished")
    finally:
        close_device_page(context, page)


FOCUSED = """() => { const e = document.activeElement;
    return e ? [e.tagName, (e.innerText || e.getAttribute('aria-label') || '').trim(),
                getComputedStyle(e).outlineStyle, getComputedStyle(e).boxShadow] : null; }"""


def tab_to(page, name, limit=80):
    """Press Tab until the focused element is the button ``name``; the names passed."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        passed.append(focused[1] if focused else None)
        if focused and focused[0] == "BUTTON" and focused[1] == name:
            return passed, focused
    raise AssertionError(f"{name!r} not reached by Tab: {passed}")


def iteration(page):
    return page.locator('[data-testid="stMetric"]').filter(has_text="Iteration").locator(
        '[data-testid="stMetricValue"]').inner_text().strip()


def test_keyboard_only_steps_em_three_times(server, browser):
    context, page = new_page(browser, "desktop")
    try:
        open_page(page, server, "", "wide")
        page.locator("body").focus()
        passed, focused = tab_to(page, "E-step")
        # the stepping buttons in reading order, M-step skipped while disabled
        order = [tab_to(page, label)[1][1] for label in
                 ("Full iteration", "Run to convergence", "Reset", "Play")]
        assert order == ["Full iteration", "Run to convergence", "Reset", "Play"]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate(FOCUSED)
        assert focused[1] == "Full iteration", focused
        # focus is visible: a ring (outline or box shadow) on the focused button
        assert focused[2] != "none" or focused[3] != "none", focused
        for i, key in enumerate(("Enter", "Space", "Enter"), start=1):
            act(page, lambda key=key: page.keyboard.press(key))
            expect(page.locator('[data-testid="stMetric"]').filter(
                has_text="Iteration").locator('[data-testid="stMetricValue"]')).to_have_text(
                str(i))
            focused = page.evaluate(FOCUSED)
            if not focused or focused[1] != "Full iteration":  # the rerun moved focus
                tab_to(page, "Full iteration")
        assert iteration(page) == "3"
    finally:
        close_device_page(context, page)


ALT = "f => f.contentDocument.getElementById('alt').textContent"


def test_live_charts_say_what_they_show(server, browser):
    context, page = new_page(browser, "desktop")
    try:
        open_page(page, server, "", "wide")
        charts = page.locator(LIVE_CHART)
        start = charts.nth(0).evaluate(ALT)
        assert start.startswith("Iteration 0, start: 3 components; component 1 mean ("), start
        assert start.count("weight") == 3
        press(page, "Full iteration")
        page.wait_for_function(
            f"() => document.querySelectorAll('{LIVE_CHART}')[0].contentDocument"
            ".getElementById('alt').textContent.startsWith('Iteration 1, M-step')")
        after = charts.nth(0).evaluate(ALT)
        assert after != start and after.count("component") == 3 + 1  # "3 components" too
        role = charts.nth(0).evaluate(
            "f => f.contentDocument.getElementById('alt').getAttribute('aria-live')")
        assert role == "polite"
        ll = charts.nth(1).evaluate(ALT)
        assert ll.startswith("Log-likelihood at every half-step: 3 half-steps so far; "
                             "shown: iteration 1, M-step"), ll
    finally:
        close_device_page(context, page)
