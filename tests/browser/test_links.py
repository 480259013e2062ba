"""Links in headless Chromium: "Copy link" in one browser, the link opened in a fresh one
shows the same run at the same half-step; a tampered link shows its notice; a page's own
choice (the Applications tab) travels."""

from __future__ import annotations

import re

import pytest

from .conftest import _COUNTERS, RunCounter, act, screenshot, wait_for_app_idle
from .test_step_page import metric, open_app, press

STATUS = '.em-copy-link [role="status"]'


@pytest.fixture()
def fresh_context(browser):
    """A second browser context (no cookies, no session): a student's browser."""
    contexts = []

    def make(**kwargs):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, **kwargs)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        _COUNTERS[id(page)] = RunCounter(page)
        return page

    yield make
    for context in contexts:
        context.close()


def copy_link(page) -> str:
    """Press "Copy link" and read the clipboard back."""
    page.get_by_role("button", name="Copy link", exact=True).click()
    page.wait_for_function(f"() => document.querySelector('{STATUS}')?.textContent.length > 0")
    assert page.locator(STATUS).inner_text() == "Link copied."
    return page.evaluate("navigator.clipboard.readText()")


def shown(page) -> dict:
    slider = page.get_by_role("slider", name="History (half-step)")
    return {"iteration": metric(page, "Iteration"), "ll": metric(page, "Log-likelihood"),
            "phase": metric(page, "Phase"), "half-step": slider.get_attribute("aria-valuetext")}


def test_a_copied_link_reopens_the_same_run_at_the_same_half_step(app_server, fresh_context):
    teacher = fresh_context(permissions=["clipboard-read", "clipboard-write"])
    open_app(teacher, app_server)
    for label in ("Full iteration", "Full iteration", "Full iteration", "E-step"):
        press(teacher, label)
    # Back to half-step 4 (the M-step of iteration 2) with the slider's keyboard.
    slider = teacher.get_by_role("slider", name="History (half-step)")
    slider.focus()
    for _ in range(3):
        act(teacher, lambda: teacher.keyboard.press("ArrowLeft"))
    before = shown(teacher)
    assert before["half-step"] == "4" and before["phase"] == "M-step"
    link = copy_link(teacher)
    assert re.search(r"[?&]at=4(&|$)", link) and re.search(r"[?&]ran=7(&|$)", link), link
    screenshot(teacher, "links_teacher")

    student = fresh_context()
    open_app(student, link)
    assert shown(student) == before
    assert not student.locator('[data-testid="stAlert"]').filter(
        has_text="This link").count()
    # The run behind the view was run as far: its slider ends at half-step 7.
    assert student.get_by_role("slider", name="History (half-step)").get_attribute(
        "max") == "7"
    screenshot(student, "links_student")


def test_a_tampered_link_shows_its_notice_and_the_default_run(app_server, fresh_context):
    page = fresh_context()
    open_app(page, app_server + "/?K=0&tol=xyz&at=99999&data=nowhere")
    alerts = page.locator('[data-testid="stAlert"]')
    for words in ("K = '0'", "using K = 3", "tol = 'xyz'", "data = 'nowhere'",
                  "ends at half-step 200"):
        assert alerts.filter(has_text=words).count() == 1, words
    # Safe values: the first screen's run, shown at its last half-step (iteration 100's M-step).
    assert (metric(page, "Iteration"), metric(page, "Phase")) == ("100", "M-step")
    assert "K=3" in page.url and "tol=1e-3" in page.url and "nowhere" not in page.url
    screenshot(page, "links_tampered")


def test_the_applications_tab_travels_in_a_copied_link(app_server, fresh_context):
    teacher = fresh_context(permissions=["clipboard-read", "clipboard-write"])
    teacher.goto(app_server + "/applications")
    wait_for_app_idle(teacher)
    tab = teacher.get_by_role("tab", name="Density estimation")
    act(teacher, tab.click)
    wait_for_app_idle(teacher)
    teacher.wait_for_function("() => location.search.includes('tab=density')")
    link = copy_link(teacher)
    assert "/applications?" in link and "tab=density" in link

    student = fresh_context()
    student.goto(link)
    student.get_by_role("tab", name="Density estimation", selected=True).wait_for()
    # The density tab's own controls are drawn: the server opened that tab, not only the
    # browser's tab bar.
    student.get_by_text("Largest K to try", exact=True).wait_for()
    wait_for_app_idle(student)
    screenshot(student, "links_applications_tab")
