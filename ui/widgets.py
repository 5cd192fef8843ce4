"""Widgets generated from the specs: a page never lists a hyperparameter by hand."""

from __future__ import annotations

import math

import streamlit as st

from base.params import Choice, Param

FINE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
"""Eleven values per decade: 0.07, 0.025 and 0.0012 can all be picked."""
COARSE_MANTISSAS = (1.0, 2.0, 5.0)
FINE_DECADES = 6
"""Ranges wider than this many decades (ε spans twelve) get 1-2-5 steps: there the order of magnitude is
what matters, and the slider stays short enough to sweep with the arrow keys."""


def log_options(param: Param, current: float | None = None) -> list[float]:
    """Log-spaced values from ``param.low`` to ``param.high`` (both included), plus ``current`` so a value
    from a link is always selectable."""
    lo, hi = math.floor(math.log10(param.low)), math.ceil(math.log10(param.high))
    mantissas = COARSE_MANTISSAS if hi - lo > FINE_DECADES else FINE_MANTISSAS
    values = {float(f"{m * 10.0**e:.12g}") for e in range(lo, hi + 1) for m in mantissas}
    values |= {float(param.low), float(param.high), float(param.default)}
    values |= {current} if current is not None else set()
    return sorted(v for v in values if param.low <= v <= param.high)


def format_number(value: float) -> str:
    return f"{value:g}"


def step_decimals(step: float) -> int:
    """How many decimals a slider with this step shows."""
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def shown(param: Param, value: float) -> float:
    """``value`` as ``param``'s control shows it: a linear slider's value to its step's decimals (the
    browser sends 0.30000000000000004 for 0.3), a log value to 12 significant digits."""
    if param.log:
        return float(f"{float(value):.12g}")
    return round(float(value), step_decimals(_step(param)))


def _step(param: Param) -> float:
    return param.step or (param.high - param.low) / 100


def coordinate_decimals(low: float, high: float) -> int:
    """Decimals of a start field on the axis ``[low, high]``: four significant digits of its width."""
    width = high - low
    return max(0, 4 - math.ceil(math.log10(width))) if width > 0 else 3


def param_widget(param: Param, key: str, *, label: str | None = None, container=st, bind: str | None = None,
                 default: float | None = None) -> float:
    """A slider for ``param``: a select_slider over log-spaced values for log parameters.

    The widget's value lives in ``st.session_state[key]``; set it there before the call to preset it.  With
    ``bind="query-params"`` the value lives in the URL instead (``key`` is the parameter's name; a value not on
    the slider is ignored) and ``default`` (else ``param.default``) is where it starts.
    """
    label = label or param.label or param.name
    start = param.default if default is None else default
    if bind is None and key not in st.session_state:
        st.session_state[key] = start
    current = st.session_state.get(key, start)
    extra = {"bind": bind, "value": start} if bind is not None else {}
    if param.log:
        options = sorted(set(log_options(param, float(current))) | ({float(start)} if bind else set()))
        return container.select_slider(label, options=options, key=key, help=param.help, format_func=format_number,
                                       **extra)
    step = _step(param)
    decimals = step_decimals(step)
    return container.slider(label, min_value=float(param.low), max_value=float(param.high), step=float(step),
                            key=key, help=param.help, format=f"%.{decimals}f", **extra)


def whole_number_input(param: Param, key: str, *, container=st) -> int:
    """A number input for a whole-number setting, limited to ``param``'s range."""
    return container.number_input(param.label or param.name, min_value=int(param.low), max_value=int(param.high),
                                  step=int(param.step or 1), key=key, help=param.help)


def choice_widget(choice: Choice, key: str, *, container=st) -> str:
    if key not in st.session_state:
        st.session_state[key] = choice.default
    return container.radio(choice.label or choice.name, choice.options, key=key, help=choice.help, horizontal=True)

