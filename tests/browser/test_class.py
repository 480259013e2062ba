"""The Class page on one server: a lecturer and three students (one on a touch phone) run a
question end to end; forged lecturer actions change nothing; another class sees nothing."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from classroom import open_store
from deploy.serve import free_port, start_replica, stop_process, wait_healthy

from . import class_helpers as ch
from .conftest import SCREENSHOTS, screenshot, wait_for_charts


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('class') / 'classes.sqlite3'}"


@pytest.fixture(scope="module")
def class_server(store_url):
    port = free_port()
    proc = start_replica(port, store=store_url)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, "server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)


def test_a_class_answers_a_mu_question_and_sees_the_truth(browser, class_server, store_url):
    code, lecturer, students, contexts = ch.run_class(browser, class_server)
    try:
        store = open_store(store_url)
        assert store.count(code, 0) == 3  # the store agrees with the page
        screenshot(lecturer, "class_lecturer_revealed")
        screenshot(students[2], "class_student_phone_revealed")
    finally:
        for ctx in contexts:
            ctx.close()


def _frames_sent(page):
    frames = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    return frames


def _replay(base_url, messages):
    """Send BackMsgs on a fresh session of our own (a student's websocket), each after the
    previous run has finished (its script_finished)."""
    url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(url, subprotocols=["streamlit"], origin=base_url, max_size=None) as ws:
        for raw in messages:
            ws.send(raw)
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(ws.recv(timeout=90))
                if (msg.WhichOneof("type") == "script_finished"
                        and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                    break


def _untriggered(raw: bytes) -> bytes:
    """The message without its button presses: a plain rerun with the same values."""
    msg = BackMsg()
    msg.ParseFromString(raw)
    widgets = msg.rerun_script.widget_states.widgets
    kept = [w for w in widgets if not w.HasField("trigger_value")]
    del widgets[:]
    widgets.extend(kept)
    msg.rerun_script.fragment_id = ""
    return msg.SerializeToString()


def _whole_page(raw: bytes) -> bytes:
    msg = BackMsg()
    msg.ParseFromString(raw)
    msg.rerun_script.fragment_id = ""
    return msg.SerializeToString()


def _token(page) -> str:
    return page.url.split("#owner=", 1)[1]


def _without_secret(raw: bytes, forged_hash: str | None) -> bytes:
    """The lecturer's message with the url_hash component's value (the owner token)
    removed, or replaced by a forged fragment; sent as a whole-page run (the lecturer's
    buttons live in a fragment the new session does not have)."""
    msg = BackMsg()
    msg.ParseFromString(raw)
    msg.rerun_script.fragment_id = ""
    widgets = msg.rerun_script.widget_states.widgets
    kept = [w for w in widgets if "url_hash" not in w.id]
    del widgets[:]
    widgets.extend(kept)
    if forged_hash is not None:
        fake = widgets.add()
        fake.id = next(w.id for w in BackMsg.FromString(raw).rerun_script.widget_states.widgets
                       if "url_hash" in w.id)
        fake.json_value = json.dumps({"hash": forged_hash})
    return msg.SerializeToString()


def test_forged_lecturer_actions_change_nothing(browser, class_server, store_url):
    store = open_store(store_url)
    ctx, lecturer = ch.new_context(browser, class_server)
    sctx, student = ch.new_context(browser, class_server, phone=True)
    try:
        sent = _frames_sent(lecturer)
        code = ch.start_class(lecturer, class_server)
        ch.join(student, class_server, code)
        ch.tap_means(student, [-1.0, 1.0], phone=True)
        ch.answer_count(lecturer, 1)
        # 1. An edited query: the lecturer's link without (or with a guessed) owner token
        for link in (f"/class?class={code}", f"/class?class={code}#owner={'x' * 32}"):
            student.goto(class_server + link)
            expect(student.get_by_text("holds no valid owner token")).to_be_visible()
            expect(student.get_by_role("button", name="Reveal")).to_have_count(0)
        # 2. Replayed websocket messages: the lecturer's own Close, Reopen, Reveal and Reset
        #    presses, captured, then sent from another session without the token or with
        #    a forged one
        before = len(sent)
        counter = lecturer.get_by_test_id("class-answer-count")
        for button, state in (("Close", "closed"), ("Reopen", "open"),
                              ("Reveal", "revealed"), ("Reset", "0 answers · open")):
            lecturer.get_by_role("button", name=button).click()
            expect(counter).to_contain_text(state)
        presses = [f for f in sent[before:] if isinstance(f, bytes)
                   and BackMsg.FromString(f).WhichOneof("type") == "rerun_script"
                   and any(w.trigger_value for w in
                           BackMsg.FromString(f).rerun_script.widget_states.widgets)]
        assert len(presses) == 4
        ch.join(student, class_server, code)  # the student, back on the class, answers again
        ch.tap_means(student, [-1.0, 1.0], phone=True)
        ch.answer_count(lecturer, 1)
        # each replay first renders the page in the new session (widgets known, so a press
        # reaches its callback), then sends the press
        for press in presses:
            for fake in (None, "#owner=" + "A" * 32, "#owner="):
                forged = _without_secret(press, fake)
                _replay(class_server, [_untriggered(forged), forged])
        assert store.question(code, 0)[1] == "open"
        assert store.count(code, 0) == 1
        # the control: the Reveal replay WITH the lecturer's token does reveal (so the
        # replays above reached the page; the missing token is what stopped them)
        _replay(class_server, [_untriggered(presses[2]), _whole_page(presses[2])])
        assert store.question(code, 0)[1] == "revealed"
        store.set_state(code, _token(lecturer), 0, "open")
        # 3. A guessed token, straight to the store
        for guess in ("", "A" * 32, code):
            with pytest.raises(PermissionError):
                store.set_state(code, guess, 0, "revealed")
        assert store.question(code, 0)[1] == "open"
        expect(counter).to_contain_text("1 answer · open")
    finally:
        ctx.close()
        sctx.close()


def test_another_class_sees_nothing_and_a_wrong_code_says_so(browser, class_server):
    ctx_a, lecturer_a = ch.new_context(browser, class_server)
    ctx_b, lecturer_b = ch.new_context(browser, class_server)
    sctx, student = ch.new_context(browser, class_server, phone=True)
    try:
        code_a = ch.start_class(lecturer_a, class_server)
        lecturer_b.goto(class_server + "/class")
        lecturer_b.get_by_role("button", name="Start a class").click()
        code_b = lecturer_b.get_by_test_id("class-join-code").inner_text().strip()
        ch.join(student, class_server, code_b)
        expect(student.get_by_text("Waiting for the lecturer's first question")).to_be_visible()
        asked = "Where does each μ_z move after the M-step?"  # class A's question
        expect(lecturer_a.get_by_text(asked)).to_be_visible()
        expect(student.get_by_text(asked)).to_have_count(0)
        ch.reveal(lecturer_a)
        expect(student.get_by_text("The answer is revealed")).to_have_count(0)
        expect(student.get_by_text(f"Class {code_b}")).to_be_visible()
        assert code_a != code_b
        # a wrong code, typed
        student.goto(class_server + "/class")
        student.get_by_label("Class code").fill("ACDEF0")
        student.get_by_role("button", name="Join").click()
        expect(student.get_by_text("is not a class code")).to_be_visible()
        student.goto(class_server + "/class?join=ACDEFG")
        expect(student.get_by_text("There is no class with the code ACDEFG")).to_be_visible()
    finally:
        for c in (ctx_a, ctx_b, sctx):
            c.close()


def test_screenshots_and_the_lecturer_link_reopens_the_class(browser, class_server):
    """Screenshots (looked at by hand) of the lecturer at 1400 × 1000 and on a 1024 × 576
    projector, and the phone; the lecturer's link (#owner= in the fragment) opened in a new
    browser is the lecturer again."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx, lecturer = ch.new_context(browser, class_server)
    sctx, student = ch.new_context(browser, class_server, phone=True)
    try:
        code = ch.start_class(lecturer, class_server)
        ch.join(student, class_server, code)
        expect(student.get_by_text("Tap where μ₁ goes")).to_be_visible()
        ch.tap_chart_drawn(student)
        screenshot(student, "class_student_phone")
        ch.tap_means(student, [-1.2, 2.0], phone=True)
        ch.answer_count(lecturer, 1)
        screenshot(lecturer, "class_lecturer_1400")
        projector = browser.new_context(viewport={"width": 1024, "height": 576})
        try:
            page = projector.new_page()
            page.goto(lecturer.url)  # /class?class=CODE#owner=…
            ch.answer_count(page, 1)
            expect(page.get_by_role("button", name="Reveal")).to_be_visible()
            wait_for_charts(page)
            page.screenshot(path=str(SCREENSHOTS / "class_lecturer_1024x576.png"))
            # presenter mode, as on a projector: the sidebar closed, the chart in view
            page.goto(lecturer.url.replace("#", "&present=1#"))
            ch.answer_count(page, 1)
            expect(page).to_have_url(re.compile(r"present=1.*#owner="))
            wait_for_charts(page)
            page.screenshot(path=str(SCREENSHOTS / "class_lecturer_1024x576_presenter.png"))
            # the lecturer ends the class: the projector says so, the phone follows
            page.get_by_role("button", name="End class").click()
            page.get_by_role("button", name="End the class for everyone").click()
            expect(page.get_by_text(f"Class {code} has ended")).to_be_visible()
            expect(student.get_by_text(f"The class {code} has ended")).to_be_visible()
            screenshot(student, "class_ended_student_phone")
        finally:
            projector.close()
    finally:
        ctx.close()
        sctx.close()
