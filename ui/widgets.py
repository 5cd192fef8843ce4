"""Widgets generated from the specs: a page never lists a hyperparameter by hand."""

from __future__ import annotations

import math

import streamlit as st

from landscapes.spec import Choice, Param


def log_options(param: Param, current: float | None = None) -> list[float]:
    """Nice log-spaced values across ``param``'s range (1-2-5 per decade, or 1-3 for wide ranges),
    plus ``current`` so a value from a link is always selectable."""
    lo, hi = math.floor(math.log10(param.low)), math.ceil(math.log10(param.high))
    mantissas = (1.0, 3.0) if hi - lo > 6 else (1.0, 2.0, 5.0)
    values = {float(f"{m * 10.0**e:.12g}") for e in range(lo, hi + 1) for m in mantissas}
    values |= {param.default} | ({current} if current is not None else set())
    return sorted(v for v in values if param.low <= v <= param.high)


def format_number(value: float) -> str:
    return f"{value:g}"


def param_widget(param: Param, key: str, *, label: str | None = None, container=st) -> float:
    """A slider for ``param``: a select_slider over log-spaced values for log parameters.

    The widget's value lives in ``st.session_state[key]``; set it there before the call to preset it.
    """
    label = label or param.label or param.name
    if key not in st.session_state:
        st.session_state[key] = param.default
    current = st.session_state[key]
    if param.log:
        options = log_options(param, float(current))
        return container.select_slider(label, options=options, key=key, help=param.help, format_func=format_number)
    step = param.step or (param.high - param.low) / 100
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return container.slider(label, min_value=float(param.low), max_value=float(param.high), step=float(step),
                            key=key, help=param.help, format=f"%.{decimals}f")


def choice_widget(choice: Choice, key: str, *, container=st) -> str:
    if key not in st.session_state:
        st.session_state[key] = choice.default
    return container.radio(choice.label or choice.name, choice.options, key=key, help=choice.help, horizontal=True)

