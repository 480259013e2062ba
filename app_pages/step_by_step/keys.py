"""Session keys of the Step by step page (the shared ones are in ``ui.session``)."""

RUN = "run"  # [Lane] (ui.playback): the user's one EMEngine and its last step error
RUN_KEY = "run_key"  # what the run was started from (data, settings, placed means)
PLAYING = "playing"
PLAY_TICK = "play_tick"

# Widget keys (kept across page switches where it matters)
SPEED = "speed"
VIEW_INDEX = "view_index"  # the history slider: which half-step is shown
OPT_HARD = "opt_hard"
OPT_UNCERTAINTY = "opt_uncertainty"
OPT_3SIGMA = "opt_3sigma"
OPT_DENSITY = "opt_density"
M_COMPONENT = "m_component"
PINNED = "pinned_means"  # components whose mean EM keeps (frozen={"means": [...]})

# Charts (a live chart's key also holds its last click)
MAIN_CHART = "main_chart"
PLACING_CHART = "main_chart_placing"
LL_CHART = "ll_chart"
RESP_BAR = "resp_bar"
STOP_CHECKS = "step_stop_checks"  # {(run key, record index): StopCheck}, bounded (stop.py)
EXPORT_JSON, EXPORT_CSV, EXPORT_HTML = "export_json", "export_csv", "export_html"  # exports.py
