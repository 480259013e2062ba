"""The Model selection page: how many components, which covariance type, overfitting."""

from .layout import render

__all__ = ["render"]
