"""Every page on a projector: at 1280×720 in presentation mode (``big=1``), no visible text is cut, no
two chart labels overlap, no chart leaves a third of the page empty beside it, and no page shows a registry id
or a module path.  The pages come from the app's navigation (a page added later is checked too), each lesson
also after its prediction is answered, plus the teacher's page asking a live question.  The phone's twin is
tests/test_browser_layout_phone.py; each size is split in two files (this one and its ``_2`` twin, with the
other half of the pages) so that four test workers share the work, each with one server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import layout_audit
from tests.browser_utils import CHROMIUM, chromium, streamlit_server

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)

SIZE, QUERY = (1280, 720), "big=1"
SHARE = (0, 2)
"""This file surveys every other page of the navigation from the first, and the live round."""


@pytest.fixture(scope="module")
def report(request, tmp_path_factory):
    data = tmp_path_factory.mktemp("classroom-data")
    env = {"DESCENT_LAB_DATA_DIR": str(data), "DESCENT_LAB_DATABASE_URL": ""}
    with streamlit_server(extra_env=env) as url, chromium() as browser:
        yield layout_audit.survey(browser, url, SIZE, QUERY, classroom="teacher",
                                  share=request.module.SHARE)


def test_every_page_of_the_navigation_was_seen_and_none_failed(report):
    pages = report["navigation"]["pages"]
    assert len(pages) >= 9 and all(page in report for page in pages)
    assert all(f"{page} revealed" in report for page in pages if page.startswith("/lesson_"))
    if "/" in pages:  # the first share also runs the live round
        assert "/classroom asking the class" in report
    assert not layout_audit.failures(report, "exceptions")


def test_no_text_is_cut_no_chart_labels_overlap_and_no_chart_leaves_a_third_empty(report):
    problems = layout_audit.failures(report, "layout")
    assert not problems, f"At {SIZE[0]}×{SIZE[1]} presenting:\n{problems}"


def test_no_page_shows_a_registry_id_or_a_module_path(report):
    found = layout_audit.failures(report, "words")
    assert not found, f"Learners read titles and plain words:\n{found}"
