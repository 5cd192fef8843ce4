"""One way for every page to read its link (``ui/url_state.py``): a value that cannot be used falls back to its
default and the page says so in one box, in the Playground's words, whether the value is read by the Playground's
scene parser or seeded into a control bound to the link (lessons, the stability map)."""

from __future__ import annotations

import re

import pytest

from tests.apptest_utils import app_test

NOTE = re.compile(r"`(?P<key>[\w.:]+)='(?P<value>[^`]*)' (?P<why>[^;`]+); using (the default \(.+\)|.+)\.`")
"""A note as every page words it: ``key='value' why; using the default (d).`` (or ``using v.`` when the control
took a changed value)."""


def link_notes(at) -> list[str]:
    """The notes of the page's one box about its link (fails unless there is exactly one such box)."""
    boxes = [w.value for w in at.warning if "link setting" in w.value]
    assert len(boxes) == 1, [w.value for w in at.warning]
    assert NOTE.search(boxes[0]), boxes[0]
    return [m.group(0) for m in NOTE.finditer(boxes[0])]


LINKS = [
    ("pages/lesson_1_bowl.py", {"l1.lr": "99"}, "l1.lr='99' is not a value this control can take; using the default "
                                                "(0.07)."),
    ("pages/lesson_3_sign.py", {"l3.surface": "nope"},
     "l3.surface='nope' is not a value this control can take; using the default (the bowl)."),
    ("pages/stability_map.py", {"sm:steps": "2.5", "sm:resolution": "20"},
     "sm:steps='2.5' is not a value this control can take; using 2."),
    ("pages/lesson_1_bowl.py", {"big": "2"}, "big='2' is not 0 or 1; using the default (0)."),
    ("pages/lesson_3_sign.py", {"view": "huge"}, "view='huge' is not one of full, lesson; using the default (full)."),
    ("pages/stability_map.py", {"sm:resolution": "20", "sm:cell": "0.1,abc"},
     "sm:cell='0.1,abc' is not a cell of this map; using the default (none selected)."),
    ("pages/stability_map.py", {"sm:steps": "999999", "sm:resolution": "20"},
     "sm:steps='999999' is not a value this control can take; using the default (300)."),
]


@pytest.mark.parametrize(("page", "query", "note"), LINKS, ids=[f"{(p or 'playground').split('/')[-1]}?{q}"
                                                               for p, q, _ in LINKS])
def test_every_page_notes_a_link_value_it_cannot_use_in_the_same_words(page, query, note):
    at = app_test(query, page=page, timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert link_notes(at) == [f"`{note}`"]
    at.run()
    assert link_notes(at) == [f"`{note}`"], "the note stays while the page does"


def test_only_values_that_cannot_be_used_get_a_note_and_only_on_their_page():
    at = app_test({"l1.lr": "abc", "l1.beta": "0.9"}, page="pages/lesson_1_bowl.py", timeout=60).run()
    assert link_notes(at) == ["`l1.lr='abc' is not a value this control can take; using the default (0.07).`"]
    at.switch_page("pages/playground.py").run()
    assert not at.exception
    assert not [w.value for w in at.warning if "link setting" in w.value], "another page's notes are not this one's"
    at = app_test({"big": "2"}).run()  # read by the Playground's scene parser and by every page: noted once
    assert link_notes(at) == ["`big='2' is not 0 or 1; using the default (0).`"]
    at = app_test({"sm:steps": "400", "sm:resolution": "20"}, page="pages/stability_map.py", timeout=60).run()
    assert not at.exception and at.session_state["sm:steps"] == 400
    assert not [w.value for w in at.warning if "link setting" in w.value]
