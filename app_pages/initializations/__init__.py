"""The Initializations page: several starts side by side in lockstep, and a restarts study.

``page.render`` lays it out; ``runs`` makes the runs from each run's start; ``lockstep`` its
buttons and Player; ``panels`` the small multiples, curves and summary; ``study`` the
restarts study; ``presets`` the presets; ``keys`` its session keys.
"""

from .page import render

__all__ = ["render"]
