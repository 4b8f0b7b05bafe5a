"""Fictional demo call, to show and test the tool without touching real institutions' data."""

from .build import demo_bundle

__all__ = ["demo_bundle"]
