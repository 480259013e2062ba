"""The Step by step page: one EM run, stepped half-step by half-step.

``page.render`` lays it out; ``run`` holds its run, its Player and its chart callbacks;
``controls`` the buttons, toggles and charts; ``panels`` the metrics, E-step and M-step
details; ``keys`` its session keys.
"""

from .page import render

__all__ = ["render"]
