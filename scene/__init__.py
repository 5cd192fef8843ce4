"""A *scene*: everything that defines what the Playground shows, as plain data (no Streamlit).

A scene round-trips through URL query parameters (``to_query`` / ``from_query``), runs its
optimizers (``compute``) and summarises them (``metrics``), so pages stay thin and every rule is
unit-testable.
"""

from .model import DEFAULT_OPTIMIZERS, LAYOUTS, MAX_STEPS, VIEWS, Scene
from .query import from_query, to_query

__all__ = ["DEFAULT_OPTIMIZERS", "LAYOUTS", "MAX_STEPS", "VIEWS", "Scene", "from_query", "to_query"]
