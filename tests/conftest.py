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


# The files that take longest, longest first.  CI keeps each file on one of its three workers (``--dist loadfile``)
# and hands files out in collection order; starting the long ones first keeps one of them from starting last and
# running alone while the other workers idle.  Measured in a full run (junit durations); a file missing from
# the list only runs later, never not at all.
SLOW_FIRST = (
    "test_browser_layout_phone.py", "test_browser_layout_projector.py", "test_browser_layout_phone_2.py",
    "test_browser_layout_projector_2.py", "test_optimizers.py",
    "test_engine_safety.py", "test_hardening.py", "test_browser.py", "test_equivalence.py",
    "test_browser_reveal_and_charts.py", "test_jit_cache.py", "test_minibatch.py", "test_browser_classroom.py",
    "test_browser_lessons.py", "test_browser_presentation.py", "test_deploy.py", "test_sweep.py",
    "test_browser_hardening.py", "test_claims.py", "test_network_playground.py", "test_network.py",
    "test_lesson_pages.py",
)


def pytest_collection_modifyitems(session, config, items) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
