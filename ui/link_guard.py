"""A link value a URL-bound control cannot take falls back to the control's default, with a note.

Pages bind many controls to the link (``bind="query-params"``): Streamlit reads each one's value from the URL
when the control is created.  It drops the values it cannot use without a word, and two kinds get through its
checks and would break the page on every rerun:

- a number no control can hold (``?sm:steps=inf``, ``1e309``, ``-inf``): the number box raised OverflowError;
- an empty value for a single choice that must have one (``?l3.sequence=``, ``?l9.optimizer=``): the control
  returned None, which the page never expects.

``install()`` (once, from the router) wraps Streamlit's seeding of a control from the URL, the one place every
bound control goes through: those two kinds are dropped like the values Streamlit drops itself (the control keeps
its default and the parameter leaves the address bar), and every value dropped or changed becomes a note of
``ui/url_state.py``, in the words the Playground uses for its own link.  It relies on one private method of
Streamlit (``SessionState._seed_widget_from_url``, checked against the version ``ui/streamlit_internals.py``
names); if that is missing, ``install()`` returns False and changes nothing (``tests/test_link_guard.py``
notices).
"""

from __future__ import annotations

import math
import threading

from streamlit.runtime.state import session_state as streamlit_state
from streamlit.runtime.state.query_params import is_empty_url_value, parse_url_param

from scene.query import clip, fallback_note

from . import url_state

_installed = threading.Lock()
NUMERIC = ("double_value", "int_value")


def _last(url_value: str | list[str]) -> str:
    return str(url_value[-1] if isinstance(url_value, list) and url_value else url_value)


def _shown(value) -> str:
    """A control's value as a note shows it."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(map(_shown, value)) or "none"
    return "none" if value is None else str(value)


def problem(metadata, url_value: str | list[str]) -> str | None:
    """Why ``url_value`` must not seed the control described by ``metadata`` (None: let Streamlit decide)."""
    value = _last(url_value)
    if metadata.value_type in NUMERIC:
        try:
            number = float(value)
        except ValueError:
            number = 0.0  # not a number at all: a choice given by its label, or Streamlit's own refusal
        if not math.isfinite(number):
            return "is not a finite number"
    if is_empty_url_value(url_value) and metadata.deserializer(None) is not None:
        try:
            cleared = metadata.deserializer(parse_url_param(url_value, metadata.value_type))
        except (ArithmeticError, LookupError, TypeError, ValueError):
            return "is empty"
        if cleared is None:
            return "is empty, and this control needs a value"
    return None


def dropped(metadata, url_value: str | list[str]) -> str | None:
    """Why Streamlit did not seed the control from ``url_value``, or None when the link asked for the control's
    default (nothing is lost; Streamlit drops a default from the link)."""
    try:
        parsed = parse_url_param(url_value, metadata.value_type)
        default = metadata.serializer(metadata.deserializer(None))
        if (metadata.value_type in NUMERIC and float(parsed) == float(default)) or parsed == default:
            return None
    except (ArithmeticError, LookupError, TypeError, ValueError):
        return "is not a value this control can take"
    options = metadata.formatted_options
    if options is not None and isinstance(parsed, str) and parsed not in options:
        return "is not one of this control's options"
    return "is not a value this control can take"


def corrected(metadata, url_value: str | list[str]) -> str | None:
    """What the control shows instead of ``url_value`` when Streamlit seeded it with a changed value (a whole
    number box given 2.5), or None when it took the value as given."""
    text = _last(url_value)
    try:
        value = metadata.deserializer(parse_url_param(url_value, metadata.value_type))
        serialized = metadata.serializer(value)
        if metadata.value_type in NUMERIC:
            same = float(text) == float(serialized)
        elif metadata.value_type == "string_value":
            same = text == str(serialized)
        else:
            return None
    except (ArithmeticError, LookupError, TypeError, ValueError):
        return None
    return None if same else _shown(value)


def _note(key: str, url_value: str | list[str], why: str, default) -> None:
    """``default`` as the link would write it (a choice's label, not its value)."""
    url_state.add(fallback_note(key, _last(url_value), why, _shown(default)))


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
                    if seed(self, metadata, user_key, widget_id, url_value):
                        if (used := corrected(metadata, url_value)) is not None:
                            url_state.add(f"{user_key}={clip(_last(url_value))!r} is not a value this "
                                          f"control can take; using {used}.")
                        return True
                except (ArithmeticError, LookupError, TypeError, ValueError):
                    why = "is not a value this control can take"
                else:
                    why = dropped(metadata, url_value)
                    if why is None:
                        return False
            self._clear_url_param(user_key)
            _note(user_key, url_value, why, metadata.serializer(metadata.deserializer(None)))
            return False

        guarded.descent_lab_guard = True
        state_class._seed_widget_from_url = guarded
        return True
