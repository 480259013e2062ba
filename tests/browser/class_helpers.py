"""What a lecturer and students do on the Class page, as Playwright steps (shared by the
one-server and the two-replica tests). Every wait is on something shown, never a sleep."""

from __future__ import annotations

import re

import numpy as np
from playwright.sync_api import expect

from lab_maths import lesson as lm

from .conftest import next_frames

TAP_CHART = 'iframe[title*="tap_chart"]'

# Streamlit on a busy 2-core machine: an assertion waits up to 60 s for what it expects
# (it returns as soon as it is shown; only a failure takes this long).
expect.set_options(timeout=60_000)

STUDENT_TAPS = ([-2.5, 1.0], [-1.5, 2.5], [-0.8, 1.8])  # three students' μ₁, μ₂


def lesson_truth() -> np.ndarray:
    """The Lesson's first M-step means from lab_maths.lesson (gmm_core.reference), not
    from the engine the Class page uses."""
    x = lm.lesson_data()
    gamma, _ = lm.e_step(x, lm.START)
    return np.asarray(lm.m_step(x, gamma).mixture.means)


def expected_score(answer, truth, scale=2.0) -> int:
    miss = np.max(np.abs(np.asarray(answer) - truth))
    return int(round(100 * max(0.0, 1 - miss / scale)))


def new_context(browser, base_url, *, phone=False, cookie=None):
    size = {"width": 390, "height": 844} if phone else {"width": 1400, "height": 1000}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    if cookie is not None:  # a sticky cookie chosen to land on a given replica
        context.add_cookies([{"name": "em_replica", "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(90_000)
    return context, page


def start_class(page, base_url) -> str:
    """The lecturer starts a class and asks the Lesson's μ question; returns the code."""
    page.goto(base_url + "/class")
    page.get_by_role("button", name="Start a class").click()
    code = page.get_by_test_id("class-join-code")
    expect(code).to_be_visible()
    text = code.inner_text().strip()
    expect(page).to_have_url(re.compile(rf"/class\?class={text}#owner=[\w-]{{20,}}$"))
    ask(page, "Lesson: where each μ_z moves (1-D)")
    return text


def ask(page, title):
    page.get_by_role("combobox", name="Next question to ask").click()
    page.get_by_role("option", name=title, exact=True).click()
    page.get_by_role("button", name="Ask it").click()
    expect(page.get_by_test_id("class-answer-count")).to_contain_text("0 answers · open")


def answer_count(page, n: int):
    expect(page.get_by_test_id("class-answer-count")).to_contain_text(
        f"{n} answer{'' if n == 1 else 's'}", timeout=90_000)


def join(page, base_url, code):
    page.goto(f"{base_url}/class?join={code}")
    expect(page.get_by_text(f"Class {code}")).to_be_visible()


def tap_chart_drawn(page):
    """Every tap chart has drawn its figure and got its height."""
    page.wait_for_function(f"""() => {{
        const frames = [...document.querySelectorAll('{TAP_CHART}')];
        return frames.length > 0 && frames.every(f => f.getBoundingClientRect().height > 0
            && f.contentDocument && f.contentDocument.body
            && f.contentDocument.body.dataset.drawn);
    }}""")


def _chart_xy(page, x, y, nth=0):
    """Page coordinates of data point (x, y) on the nth tap chart (its iframe's Plotly)."""
    tap_chart_drawn(page)
    frame_el = page.locator(TAP_CHART).nth(nth)
    frame_el.scroll_into_view_if_needed()
    handle = frame_el.element_handle()
    frame = handle.content_frame()
    frame.wait_for_function("() => { const el = document.querySelector('#chart');"
                            " return !!el && !!el._fullLayout && !!el._fullLayout.xaxis; }")
    next_frames(page)
    px = frame.evaluate("""([x, y]) => {
        const L = document.querySelector('#chart')._fullLayout;
        return [L.xaxis.l2p(x) + L._size.l, L.yaxis.l2p(y) + L._size.t];
    }""", [x, y])
    box = handle.bounding_box()
    return box["x"] + px[0], box["y"] + px[1]


def tap_means(page, xs, phone=False):
    """Place μ₁ and μ₂ by tapping (phone) or clicking the chart, then send."""
    redo = page.get_by_role("button", name="Start over")
    expect(redo).to_be_visible()
    if redo.is_enabled():  # taps left from before (a reset question): start over
        redo.click()
    for z, x in enumerate(xs):
        expect(page.get_by_text(f"Tap where μ{'₁₂'[z]} goes")).to_be_visible()
        px, py = _chart_xy(page, x, 0.5)
        if phone:
            page.touchscreen.tap(px, py)
        else:
            page.mouse.click(px, py)
    expect(page.get_by_text("Both placed")).to_be_visible()
    page.get_by_role("button", name="Send my answer").click()
    sent = page.get_by_text(re.compile(r"Your answer is in: μ₁ = (-?\d+\.\d+), μ₂ = (-?\d+\.\d+)"))
    expect(sent).to_be_visible()
    found = re.search(r"μ₁ = (-?\d+\.\d+), μ₂ = (-?\d+\.\d+)", sent.inner_text())
    answer = [float(found.group(1)), float(found.group(2))]
    assert np.allclose(answer, xs, atol=0.03), (answer, xs)  # the tap landed where aimed
    return answer


def reveal(page):
    page.get_by_role("button", name="Reveal").click()
    expect(page.get_by_test_id("class-answer-count")).to_contain_text("revealed")


def sees_truth_and_score(page, answer, truth):
    expect(page.get_by_text("The answer is revealed.")).to_be_visible(timeout=90_000)
    value = page.locator('[data-testid="stMetric"]').filter(has_text="Your score").locator(
        '[data-testid="stMetricValue"]')
    expect(value).to_have_text(f"{expected_score(answer, truth)} / 100")
    shown = page.locator('[data-testid="stMetric"]').filter(has_text="The truth (EM)").locator(
        '[data-testid="stMetricValue"]').inner_text()
    assert shown == f"μ₁ = {truth[0]:.2f}, μ₂ = {truth[1]:.2f}", shown


def run_class(browser, base_url, cookies=(None, None, None, None)):
    """A lecturer and three students (the third on a 390 × 844 touch phone): join by link,
    answer the μ question, the lecturer sees 3 answers, reveal, each student sees the truth
    and their own score. Returns the pages (closed by the caller's contexts)."""
    contexts = []
    try:
        lect_ctx, lecturer = new_context(browser, base_url, cookie=cookies[0])
        contexts.append(lect_ctx)
        code = start_class(lecturer, base_url)
        students = []
        for i in range(3):
            ctx, page = new_context(browser, base_url, phone=i == 2, cookie=cookies[i + 1])
            contexts.append(ctx)
            join(page, base_url, code)
            students.append(page)
        answers = [tap_means(page, STUDENT_TAPS[i], phone=i == 2)
                   for i, page in enumerate(students)]
        answer_count(lecturer, 3)
        reveal(lecturer)
        truth = lesson_truth()
        for page, answer in zip(students, answers):
            sees_truth_and_score(page, answer, truth)
        return code, lecturer, students, contexts
    except BaseException:
        for ctx in contexts:
            ctx.close()
        raise
