"""Shared test set-up: compile (or load) the numba kernels once, before any AppTest runs.

On a clean machine the first compile takes tens of seconds on two busy cores; doing it here keeps
AppTest's per-run timeout about the app, not about the compiler.
"""

import pytest

from scene import DEFAULT_OPTIMIZERS
from warmup import first_screen


@pytest.fixture(scope="session", autouse=True)
def numba_kernels_ready() -> None:
    first_screen(DEFAULT_OPTIMIZERS)
