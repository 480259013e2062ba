"""The Class page's pictures: pure Plotly builders (no Streamlit).

One chart per question (:func:`question_figure`): the data it is asked on, what the question
points at (the start's means, the highlighted point, the runs' starts, the fitted
ellipses), a student's own taps, the class's answers as dots (μ questions) and, after the
reveal, the truth drawn over them. Value and choice questions get the class's answers on a
histogram or bars (:func:`value_figure`, :func:`choice_figure`); :func:`errors_figure` is
the class's error distribution.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lab_maths import lesson as lm
from lab_maths.questions import AnswerKind, Question
from ui.figures import ellipse_set
from ui.formulas import subscript
from ui.palette import NEUTRAL, component_color, rgba

TRUTH = "#000000"
#: Data sets shown in standard units (lab_maths.class_questions.DATASETS)
STANDARDISED = {"faithful"}


def _layout(fig: go.Figure, title: str, height: int, *, x_title="x", y_title="",
            top=64) -> go.Figure:
    fig.update_layout(title=dict(text=title, y=0.98, yanchor="top", x=0, xanchor="left"),
                      height=height, margin=dict(l=48, r=12, t=top, b=44),
                      xaxis_title=x_title, yaxis_title=y_title, dragmode=False,
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0,
                                  xanchor="left"))
    return fig


def is_tap(question: Question) -> bool:
    return question.kind in (AnswerKind.POSITIONS_1D, AnswerKind.POINTS_2D)


def _pairs(question: Question, values) -> list[tuple[float, ...]]:
    """An answer's numbers grouped per component: (x,) in 1-D, (x, y) in 2-D."""
    step = 2 if question.kind is AnswerKind.POINTS_2D else 1
    return [tuple(values[i:i + step]) for i in range(0, len(values), step)]


def question_figure(question: Question, X, *, taps=(), answers=(), names=(), reveal=False,
                    height=420, title="", legend=True) -> go.Figure:
    """The question's chart. ``taps``: this student's numbers so far; ``answers``: the
    class's answers (tuples of numbers, μ questions only) and ``names`` their nicknames
    (already HTML-escaped: Plotly renders some tags in hover text); ``reveal``: draw the
    truth; ``legend``: off on a phone, where it took half the chart (labels on the marks
    say what they are)."""
    X = np.asarray(X, dtype=float)
    fig = go.Figure()
    one_d = X.shape[1] == 1
    ctx = question.context
    if one_d:
        _data_1d(fig, X, ctx)
    else:
        fig.add_trace(go.Scatter(x=X[:, 0], y=X[:, 1], mode="markers", name="data",
                                 marker=dict(size=6, color=rgba(NEUTRAL, 0.45)),
                                 hoverinfo="skip"))
    if "point" in ctx:
        _highlight(fig, X, ctx["point"], one_d)
    if "starts" in ctx:
        _starts(fig, ctx["starts"])
    if "covariances" in ctx:
        _ellipses(fig, ctx["means"], ctx["covariances"])
    if is_tap(question):
        _start_means(fig, ctx, one_d)
        _answers(fig, question, answers, names, one_d)
        _taps(fig, question, taps, one_d)
        if reveal:
            _truth(fig, question, one_d)
    unit = " (standardised)" if ctx.get("data") in STANDARDISED else ""
    _layout(fig, title, height, x_title="x" if one_d else f"x₁{unit}",
            y_title="" if one_d else f"x₂{unit}",
            top=(100 if title else 64) if legend else (36 if title else 12))
    fig.update_layout(showlegend=legend)
    if one_d:
        fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False,
                         range=[-0.25, 1.35])
        fig.update_layout(hovermode="x")
    else:
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
        fig.update_layout(hovermode="closest")
    return fig


def _data_1d(fig, X, ctx):
    x = X[:, 0]
    fig.add_trace(go.Scatter(x=x, y=np.zeros_like(x), mode="markers", name="data x_i",
                             marker=dict(symbol="line-ns-open", size=14, color=NEUTRAL),
                             hoverinfo="skip"))
    grid = np.linspace(min(-6, x.min()), max(6, x.max()), 300)
    start = lm.Mixture1D(tuple(ctx["weights"]), tuple(m[0] for m in ctx["means"]),
                         tuple(ctx["variances"]))
    for z, dens in enumerate(lm.mixture_terms(grid, start)):
        fig.add_trace(go.Scatter(x=grid, y=dens / 0.25, mode="lines", hoverinfo="skip",
                                 name=f"start: π{subscript(z + 1)} N(x | μ{subscript(z + 1)}, σ²)",
                                 line=dict(color=component_color(z), dash="dot", width=2)))


def _highlight(fig, X, i, one_d):
    x, y = float(X[i, 0]), (0.0 if one_d else float(X[i, 1]))
    fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers", name="the highlighted point x_i",
                             marker=dict(size=22, color="rgba(0,0,0,0)",
                                         line=dict(color=TRUTH, width=3)),
                             hoverinfo="skip"))


def _starts(fig, starts):
    symbols = ("circle", "square", "triangle-up", "diamond")
    for j, means in enumerate(starts):
        m = np.asarray(means)
        fig.add_trace(go.Scatter(
            x=m[:, 0], y=m[:, 1], mode="markers+text", name=f"start {'ABCD'[j]}",
            text=["ABCD"[j]] * len(m), textposition="top center",
            textfont=dict(size=16, color=component_color(j)),
            marker=dict(size=14, symbol=symbols[j % 4], color=component_color(j),
                        line=dict(color="white", width=1)), hoverinfo="skip"))


def _ellipses(fig, means, covariances):
    for trace in ellipse_set(np.asarray(means), np.asarray(covariances), (2,), lambda z, _s: dict(
            name=f"component {z + 1}: 2σ", hoverinfo="skip",
            line=dict(color=component_color(z), width=2))):
        fig.add_trace(trace)


def _start_means(fig, ctx, one_d):
    for z, m in enumerate(ctx["means"]):
        if one_d:
            fig.add_vline(x=m[0], line=dict(color=component_color(z), dash="dot", width=1))
        fig.add_trace(go.Scatter(
            x=[m[0]], y=[0.95 if one_d else m[1]], mode="markers+text",
            text=[f"old μ{subscript(z + 1)}"], textposition="top left" if z == 0 else "top right",
            marker=dict(symbol="x-thin", size=14, line=dict(width=3, color=component_color(z)),
                        color=component_color(z)),
            name=f"old μ{subscript(z + 1)}", showlegend=False, hoverinfo="skip"))


def _answers(fig, question, answers, names, one_d):
    if not answers:
        return
    names = list(names) or ["a student"] * len(answers)
    rng = np.random.default_rng(0)  # the same jitter on every refresh: dots do not dance
    groups = list(zip(*[_pairs(question, a) for a in answers]))
    for z, points in enumerate(groups):
        p = np.asarray(points, dtype=float)
        y = (0.45 + 0.25 * z + rng.uniform(-0.08, 0.08, len(p))) if one_d else p[:, 1]
        fig.add_trace(go.Scatter(x=p[:, 0], y=y, mode="markers", text=names,
                                 hovertemplate="%{text}: %{x:.2f}<extra></extra>",
                                 name=f"class's μ{subscript(z + 1)} ({len(p)})",
                                 marker=dict(size=11, color=rgba(component_color(z), 0.6),
                                             line=dict(color="white", width=1))))


def _taps(fig, question, taps, one_d):
    for z, p in enumerate(_pairs(question, taps)):
        if len(p) < (1 if one_d else 2):
            continue
        fig.add_trace(go.Scatter(
            x=[p[0]], y=[0.3 if one_d else p[1]], mode="markers+text",
            text=[f"your μ{subscript(z + 1)}"], textposition="bottom center",
            marker=dict(symbol="diamond", size=18, color=component_color(z),
                        line=dict(color=TRUTH, width=2)),
            name=f"your μ{subscript(z + 1)}", hoverinfo="skip"))


def _truth(fig, question, one_d):
    for z, p in enumerate(_pairs(question, question.truth)):
        if one_d:
            fig.add_vline(x=p[0], line=dict(color=component_color(z), width=3))
        fig.add_trace(go.Scatter(
            x=[p[0]], y=[1.1 if one_d else p[1]], mode="markers+text",
            text=[f"new μ{subscript(z + 1)} = " + ", ".join(f"{v:.2f}" for v in p)],
            textposition="top center", textfont=dict(size=14, color=TRUTH),
            marker=dict(symbol="star", size=24, color=component_color(z),
                        line=dict(color=TRUTH, width=2)),
            name=f"EM's new μ{subscript(z + 1)}", hoverinfo="skip"))


def value_figure(question: Question, values, *, reveal=False, height=300) -> go.Figure:
    """The class's numbers on a histogram over the question's range; the truth on reveal."""
    v = np.asarray([a[0] for a in values], dtype=float)
    fig = go.Figure(go.Histogram(x=v, xbins=dict(start=question.low, end=question.high,
                                                 size=(question.high - question.low) / 20),
                                 marker=dict(color=rgba(component_color(0), 0.7)),
                                 name=f"the class's answers ({len(v)})"))
    if reveal:
        fig.add_vline(x=question.truth[0], line=dict(color=TRUTH, width=4),
                      annotation=dict(text=f"truth {question.truth[0]:.3f}",
                                      font=dict(size=15)))
    fig.update_xaxes(range=[question.low, question.high])
    return _layout(fig, f"The class's answers: {question.labels[0]}", height,
                   x_title=question.labels[0], y_title="students")


def choice_figure(question: Question, values, *, reveal=False, height=300) -> go.Figure:
    counts = np.bincount([int(a[0]) for a in values], minlength=len(question.choices))
    right = int(question.truth[0])
    colours = [(component_color(2) if i == right else rgba(NEUTRAL, 0.6)) if reveal
               else component_color(0) for i in range(len(counts))]
    fig = go.Figure(go.Bar(y=list(question.choices), x=counts, orientation="h",
                           marker=dict(color=colours), text=counts, textposition="auto",
                           name="students"))
    fig.update_yaxes(autorange="reversed")
    title = "The class's answers" + (" (green: the right one)" if reveal else "")
    return _layout(fig, title, max(height, 60 + 34 * len(counts)), x_title="students")


def errors_figure(errors, question: Question, height=260) -> go.Figure:
    """How far the class was from the truth (the largest miss over an answer's numbers)."""
    e = np.asarray(errors, dtype=float)
    if question.kind is AnswerKind.CHOICE:
        fig = go.Figure(go.Bar(x=["right", "wrong"], y=[int((e == 0).sum()),
                                                        int((e > 0).sum())],
                               marker=dict(color=[component_color(2), component_color(3)])))
        return _layout(fig, "The class: right and wrong", height, x_title="",
                       y_title="students")
    fig = go.Figure(go.Histogram(x=e, nbinsx=15, marker=dict(color=rgba(NEUTRAL, 0.8)),
                                 name="students"))
    fig.add_vline(x=question.scale, line=dict(color=component_color(3), dash="dash"),
                  annotation=dict(text="0 points from here", font=dict(size=13)),
                  annotation_position="top left")
    fig.update_xaxes(range=[0, max(question.scale * 1.15, float(e.max(initial=0)) * 1.05)])
    return _layout(fig, "The class's errors: distance from the truth", height,
                   x_title="error (largest miss over the answer's numbers)",
                   y_title="students")
