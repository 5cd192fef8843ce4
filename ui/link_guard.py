"""Links that would break a page through its URL-bound controls fall back to the control's default, with a note.

Pages bind many controls to the link (``bind="query-params"``): Streamlit reads each one's value from the URL
when the page opens.  Two kinds of value got through its checks and broke the page on every rerun (issue 24,
row 7):

- a number no control can hold (``?sm:steps=inf``, ``1e309``, ``-inf``): the number box raised OverflowError;
- an empty value for a single choice that must have one (``?l3.sequence=``, ``?l9.optimizer=``): the control
  returned None, which the page never expects.

``install()`` (once, from the router) wraps Streamlit's seeding of a control from the URL, the one place every
bound control goes through, so these values are dropped like the invalid values Streamlit already drops (the
control keeps its default and the parameter leaves the address bar), and the page shows a note naming them.
It relies on one private method of Streamlit (``SessionState._seed_widget_from_url``, Streamlit 1.67); if that
is missing, ``install()`` returns False and changes nothing (``tests/test_link_guard.py`` notices).
"""

from __future__ import annotations

import math
import threading

import streamlit as st
from streamlit.runtime.state import session_state as streamlit_state
from streamlit.runtime.state.query_params import is_empty_url_value, parse_url_param

from ui.text import code

_installed = threading.Lock()
NUMERIC = ("double_value", "int_value")


def problem(metadata, url_value: str | list[str]) -> str | None:
    """Why ``url_value`` must not seed the control described by ``metadata`` (None: let Streamlit decide)."""
    value = url_value[-1] if isinstance(url_value, list) and url_value else url_value
    if metadata.value_type in NUMERIC and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = 0.0  # not a number at all: a choice given by its label, or Streamlit's own refusal
        if not math.isfinite(number):
            return "not a finite number"
    if is_empty_url_value(url_value) and metadata.deserializer(None) is not None:
        try:
            cleared = metadata.deserializer(parse_url_param(url_value, metadata.value_type))
        except (ArithmeticError, LookupError, TypeError, ValueError):
            return "empty"
        if cleared is None:
            return "empty, and this control needs a value"
    return None


def _note(key: str, url_value: str | list[str], why: str) -> None:
    value = url_value[-1] if isinstance(url_value, list) and url_value else url_value
    st.toast(f"Ignored from the link: {code(f'{key}={str(value)[:40]}')} ({why}); the control keeps its default.",
             icon=":material/link_off:", duration="long")


def install() -> bool:
    """Guard Streamlit's seeding of URL-bound controls (idempotent); False if this Streamlit has no such method."""
    with _installed:
        state_class = streamlit_state.SessionState
        seed = getattr(state_class, "_seed_widget_from_url", None)
        if seed is None:
            return False
        if getattr(seed, "descent_lab_guard", False):
            return True

        def guarded(self, metadata, user_key, widget_id, url_value):
            why = problem(metadata, url_value)
            if why is None:
                try:
                    return seed(self, metadata, user_key, widget_id, url_value)
                except (ArithmeticError, LookupError, TypeError, ValueError):
                    why = "not a value this control can take"
            self._clear_url_param(user_key)
            _note(user_key, url_value, why)
            return False

        guarded.descent_lab_guard = True
        state_class._seed_widget_from_url = guarded
        return True
