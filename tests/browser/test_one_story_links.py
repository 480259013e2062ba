"""Issue 24, item 9: a link from the Initializations page, opened in a fresh browser
context (no session), shows every run at the half-step the lecturer's run reached, and the
restarts study with its settings and result."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from .conftest import _COUNTERS, RunCounter, act, screenshot, wait_for_app_idle
from .test_initializations_page import STATUS, TITLE

FITS = re.compile(r"^\d+ fits in ")


def fresh(browser):
    """A new browser context and page: a student's browser."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    _COUNTERS[id(page)] = RunCounter(page)
    return context, page


def open_initializations(page, url):
    page.goto(url)
    page.wait_for_selector('[data-testid="stTable"]', timeout=180_000)
    wait_for_app_idle(page)


def press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).click, timeout=180_000)


def seen(page) -> dict:
    """What the side-by-side runs and the study show, minus timings."""
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
    captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    tables = page.locator('[data-testid="stTable"]').all_inner_texts()
    return {
        "panels": [t for t in titles if TITLE.search(t)],
        "statuses": [c for c in captions if STATUS.search(c)],
        "study fits": [c.split(" in ")[0] for c in captions if FITS.search(c)],
        # the study's n_init table (the summary table has timings)
        "study": [t for t in tables if "n_init for 95 %" in t],
    }


def test_a_link_from_a_converged_initializations_run_reproduces_it(server, browser):
    teacher_context, teacher = fresh(browser)
    student_context = None
    try:
        open_initializations(teacher, server + "/initializations?seeds=20&methods=kmeans,random")
        press(teacher, "Run to convergence")
        teacher.wait_for_function("() => /[?&]steps=/.test(location.search)")
        press(teacher, "Run restarts study")
        teacher.wait_for_function("() => /[?&]study=1/.test(location.search)")
        before = seen(teacher)
        assert len(before["panels"]) == 3 and len(before["statuses"]) == 3, before
        assert all("stopped: |Δ mean log-likelihood| < tol" in s for s in before["statuses"])
        iterations = [int(TITLE.search(t)[1]) for t in before["panels"]]
        assert all(i > 1 for i in iterations), iterations
        assert before["study fits"] == ["40 fits"] and len(before["study"]) == 1, before
        link = teacher.url
        [steps] = parse_qs(urlparse(link).query)["steps"]
        assert [int(s) for s in steps.split(",")] == [2 * i for i in iterations], link
        screenshot(teacher, "one_story_link_teacher")

        student_context, student = fresh(browser)
        open_initializations(student, link)
        student.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stTable\"]')]"
            ".some(t => t.innerText.includes('n_init for 95 %'))")
        wait_for_app_idle(student)
        assert seen(student) == before
        assert not student.locator('[data-testid="stAlert"]').filter(
            has_text="This link").count()
        screenshot(student, "one_story_link_student")
    finally:
        teacher_context.close()
        if student_context is not None:
            student_context.close()
