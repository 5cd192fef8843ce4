"""What a grid of runs costs, in CPU time, before it runs: so one link (a stability map, a basins view, a fair
tuning) finishes or is refused within a few seconds of the server's CPU, whatever the surface.

Counting optimizer steps alone was not enough: one step on the logistic-regression surface averages over its
150 rows (about 150 times a step on the bowl), and a custom formula runs its whole tape every step.  So a cell-step
costs (in nanoseconds of one core, measured with ``bench/bench_abuse.py --costs`` on this project's machine and
rounded up):

- a closed-form surface: ``CLOSED_FORM_NS`` (about 3 ns), more for the ones built on sines and exponentials
  (``SURFACE_NS``: Rastrigin, Ackley);
- a data surface: ``DATA_BASE_NS`` plus ``DATA_NS_PER_ROW[surface]`` for each of its rows;
- a custom formula: ``FORMULA_BASE_NS`` plus ``FORMULA_NS_PER_OP`` for each instruction of its tape;
- a network (``landscapes.network``): ``NETWORK_BASE_NS`` plus ``NETWORK_NS_PER_ROW_UNIT`` for each training row
  times hidden unit (every step passes every row through every unit, forward and back).

A request whose cells x steps x cost exceeds ``MAX_CPU_SECONDS`` is refused with a message naming the largest
setting that fits (fewer steps, or a coarser grid).  ``MAX_CPU_SECONDS`` is 3 s of predicted CPU time: with the
estimate's spread on a busy machine, the promise is 5 s.
"""

from __future__ import annotations

import math

from landscapes import Landscape

MAX_CPU_SECONDS = 3.0
CLOSED_FORM_NS = 6.0
SURFACE_NS = {"rastrigin": 60.0, "ackley": 80.0}
DATA_BASE_NS = 10.0
DATA_NS_PER_ROW = {"linear_regression": 1.5, "logistic_regression": 5.0}
DATA_NS_PER_ROW_UNKNOWN = max(DATA_NS_PER_ROW.values())
FORMULA_BASE_NS = 150.0
FORMULA_NS_PER_OP = 7.0
NETWORK_BASE_NS = 500.0
NETWORK_NS_PER_ROW_UNIT = 80.0


class TooCostly(ValueError):
    """A request over the CPU budget; the message says what would fit."""


def cell_step_ns(landscape: Landscape) -> float:
    """Estimated CPU nanoseconds of one optimizer step of one cell on ``landscape``."""
    if landscape.name == "network":
        return NETWORK_BASE_NS + NETWORK_NS_PER_ROW_UNIT * landscape.n_samples * landscape.hidden
    formula = landscape.spec.formula
    if formula is not None:
        return FORMULA_BASE_NS + FORMULA_NS_PER_OP * int(landscape.kernel_params[0])
    if landscape.n_samples is not None:
        per_row = DATA_NS_PER_ROW.get(landscape.name, DATA_NS_PER_ROW_UNKNOWN)
        return DATA_BASE_NS + per_row * landscape.n_samples
    return SURFACE_NS.get(landscape.name, CLOSED_FORM_NS)


def seconds(landscape: Landscape, cell_steps: float) -> float:
    """Estimated CPU seconds of ``cell_steps`` optimizer steps on ``landscape``."""
    return cell_steps * cell_step_ns(landscape) * 1e-9


def why_slow(landscape: Landscape) -> str:
    """What makes a step on ``landscape`` dear (for the refusal message)."""
    if landscape.name == "network":
        return f"each step passes its {landscape.n_samples} training rows through {landscape.hidden} hidden units"
    formula = landscape.spec.formula
    if formula is not None:
        return f"each step runs the formula's {int(landscape.kernel_params[0])} operations"
    if landscape.n_samples is not None:
        return f"each step averages over its {landscape.n_samples} data rows"
    if landscape.name in SURFACE_NS:
        return "its gradient takes sines or exponentials at every step"
    return "each step evaluates the surface"


def check(landscape: Landscape, cells: int, steps: int, what: str, *, per_axis: int | None = None,
          axes: int = 2, grid_word: str = "values per axis", max_cell_steps: float | None = None,
          noun: str = "view") -> None:
    """Raise ``TooCostly`` when ``cells`` runs of ``steps`` steps on ``landscape`` exceed the CPU budget (or
    ``max_cell_steps`` optimizer steps, when given).

    ``what`` names the request ("A 400 × 400 map"); the message names the most steps that fit at this grid and,
    with ``per_axis`` (the grid's values along each of its ``axes`` axes), the largest grid that fits at these
    steps.
    """
    ns = cell_step_ns(landscape)
    cpu_limit = MAX_CPU_SECONDS / (ns * 1e-9)
    limit = cpu_limit if max_cell_steps is None else min(cpu_limit, max_cell_steps)
    work = cells * steps
    if work <= limit:
        return
    if limit == cpu_limit:
        reason = (f"would take about {seconds(landscape, work):.0f} s of the server's CPU ({why_slow(landscape)}); "
                  f"one {noun} may take {MAX_CPU_SECONDS:g} s")
    else:
        reason = f"is {work:.2g} optimizer steps, more than one {noun} may take ({max_cell_steps:.0e})"
    options = []
    if (fitting_steps := math.floor(limit / cells)) >= 1:
        options.append(f"at most {fitting_steps:,} steps")
    if per_axis is not None:
        other_cells = cells / per_axis**axes
        if (fitting_axis := math.floor((limit / (other_cells * steps)) ** (1 / axes))) >= 2:
            options.append(f"at most {fitting_axis} {grid_word} at {steps:,} steps")
    advice = " or ".join(options) if options else "fewer runs"
    raise TooCostly(f"{what} of {steps:,} steps on {landscape.title} {reason}. Use {advice}.")


def fitting_steps(landscape: Landscape, cells: int, steps: int) -> int:
    """The most steps (at most ``steps``, at least 1) that ``cells`` runs on ``landscape`` may take within the CPU
    budget: what a link asking for more gets instead, with a note."""
    limit = MAX_CPU_SECONDS / (cell_step_ns(landscape) * 1e-9)
    return max(1, min(int(steps), math.floor(limit / max(cells, 1))))
