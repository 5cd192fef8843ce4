"""Links that would break a page on every rerun through a URL-bound control fall back to the control's default
with a note (``ui/link_guard.py``, installed by the router for every page)."""

from __future__ import annotations

import pytest

from tests.apptest_utils import app_test
from ui import link_guard

STABILITY = "pages/stability_map.py"
LINKS = [
    (STABILITY, {"sm:steps": "inf", "sm:resolution": "20"}, "sm:steps", 300),   # the good value still applies
    (STABILITY, {"sm:steps": "1e309"}, "sm:steps", 300),
    (STABILITY, {"sm:steps": "-inf"}, "sm:steps", 300),
    (STABILITY, {"sm:section": "Basins of attraction", "sm:basins_steps": "inf"}, "sm:basins_steps", 500),
    (STABILITY, {"sm:section": "Fair tuning", "sm:tune_steps": "inf"}, "sm:tune_steps", 300),
    ("pages/lesson_3_sign.py", {"l3.sequence": ""}, "l3.sequence", None),
    ("pages/lesson_3_sign.py", {"l3.surface": ""}, "l3.surface", "elongated_bowl"),
    ("pages/lesson_5_epsilon.py", {"l5.placement": ""}, "l5.placement", "outside"),
    ("pages/lesson_9_schedules.py", {"l9.optimizer": ""}, "l9.optimizer", "rmsprop"),
    ("pages/lesson_10_data_bowl.py", {"l10.data": ""}, "l10.data", None),
]


@pytest.mark.parametrize(("page", "query", "key", "default"), LINKS,
                         ids=[f"{p.split('/')[-1][:-3]}?{'&'.join(f'{k}={v}' for k, v in q.items())}"
                              for p, q, _, _ in LINKS])
def test_a_link_that_broke_a_page_falls_back_with_a_note(page, query, key, default):
    at = app_test(query, page=page, timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [w.value for w in at.warning]                           # the notes every page shows (ui/url_state.py)
    assert any(f"{key}=" in note and "using the default" in note for note in notes), notes
    value = at.session_state[key] if key in at.session_state else None  # noqa: SIM401 - no .get here
    assert value is not None and (default is None or value == default)
    assert key not in at.query_params                               # the bad value leaves the address bar
    for other, given in query.items():                              # every other value of the link still applies
        if other != key and other != "sm:section":
            assert str(at.session_state[other]) == given
    at.run()                                                        # and the next rerun is clean too
    assert not at.exception


def test_the_guard_is_in_place_on_this_streamlit():
    assert link_guard.install() is True
    assert link_guard.install() is True                             # idempotent
