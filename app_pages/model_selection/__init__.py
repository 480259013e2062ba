"""The Model selection page: how many components, which covariance type, overfitting."""

from .page import render

__all__ = ["render"]
