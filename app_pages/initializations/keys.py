"""Session keys of the Initializations page, all prefixed "cmp_" (shared ones: ui.session)."""

RUNS = "cmp_runs"  # the side-by-side runs: list of runs.Run
RUNS_KEY = "cmp_key"  # what they were started from
PLAYING = "cmp_playing"
PLAY_TICK = "cmp_play_tick"
PRESET = "cmp_preset"  # the last preset applied (its note is shown)
PRESET_CHOICE = "cmp_preset_choice"  # the preset chosen in the select box
PRESET_APPLY = "cmp_preset_apply"
STUDIES = "cmp_studies"  # restarts studies of this session: key → (results, seconds)
STUDY_KEY = "cmp_study_key"  # the study shown
RESTART_SELECTED = "cmp_restart_selected"  # the restart clicked in the study's chart
HALF_STEPS = "cmp_half_steps"  # each run's half-steps done (tuple), for the page's link
STUDY_SHOWN = "cmp_study_shown"  # True while the study shown is the one of the settings

# Widget keys (kept across page switches)
N_RUNS = "cmp_n_runs"
SPEED = "cmp_speed"
METHODS = "cmp_methods"
N_SEEDS = "cmp_n_seeds"


def run_init(i: int) -> str:
    """The start (initialisation) of run ``i``."""
    return f"cmp_init_{i}"


def run_seed(i: int) -> str:
    return f"cmp_seed_{i}"


# Buttons and charts
E_STEP, M_STEP, FULL, RUN, RESET, PLAY = (
    "cmp_e", "cmp_m", "cmp_full", "cmp_run", "cmp_reset", "cmp_play")
STUDY_GO = "cmp_study_go"
RESTARTS_CHART = "cmp_restarts_chart"
CURVES_CHART = "cmp_curves"


def panel_chart(i: int) -> str:
    return f"cmp_panel_{i}"


def solution_chart(name: str) -> str:
    return f"cmp_solution_{name}"


MAX_RUNS = 4


def link_fields():
    """This page's choices that a link carries (``ui.links``): the runs side by side (each
    one's start and seed) and the restarts study's methods and seeds per method."""
    from ui.links import INITS, Field, bool_field, choice_field, int_field
    from ui.start import SEEDED

    def runs_at_least(i):
        return lambda values: values.get(N_RUNS, 3) > i

    labels = {token: label for token, label in INITS.items()}
    seeded = [s.token for s in SEEDED]
    rule = f"methods must be some of {', '.join(seeded)}, separated by commas"

    def read_methods(text):
        tokens = [t.strip().lower() for t in text.split(",")]
        if not tokens or any(t not in seeded for t in tokens) or len(set(tokens)) < len(tokens):
            raise ValueError(rule)
        return [labels[t] for t in tokens]

    by_label = {label: token for token, label in INITS.items()}
    fields = [int_field("runs", N_RUNS, 2, MAX_RUNS)]
    for i in range(MAX_RUNS):
        fields += [choice_field(f"start{i + 1}", run_init(i), labels, applies=runs_at_least(i)),
                   int_field(f"seed{i + 1}", run_seed(i), 0, 1_000_000,
                             applies=runs_at_least(i))]
    fields += [Field("methods", METHODS, read_methods,
                     lambda v: ",".join(by_label[m] for m in v)),
               int_field("seeds", N_SEEDS, 20, 200, step=10),
               # What the runs and the study show (issue 24): each run's half-steps, the
               # study run (it is fitted again: the same seeds give the same dots) and the
               # dot clicked. They need the runs, so they wait for the page.
               Field("steps", HALF_STEPS, read_half_steps, write_half_steps, later=True),
               bool_field("study", STUDY_SHOWN, later=True),
               int_field("pick", RESTART_SELECTED, 0, 4_000, later=True)]
    return tuple(fields)


STEPS_RULE = (f"steps must be up to {MAX_RUNS} whole numbers of half-steps from 0 to 2,000, "
              "one per run, separated by commas")


def read_half_steps(text: str) -> tuple[int, ...]:
    try:
        steps = tuple(int(t) for t in text.split(","))
    except ValueError:
        raise ValueError(STEPS_RULE) from None
    if not 1 <= len(steps) <= MAX_RUNS or any(not 0 <= s <= 2000 for s in steps):
        raise ValueError(STEPS_RULE)
    return steps


def write_half_steps(steps) -> str:
    return ",".join(str(int(s)) for s in steps)
