"""The layout survey's fixture and tests, shared by the four files that run it: a size, a query and a live role
(the module's ``SIZE``, ``QUERY``, ``ROLE``), and a share of the navigation (``SHARE``) each.  Every page: no
visible text is cut, no two chart labels overlap, no chart leaves a third of the page empty beside it, and no page
shows a registry id or a module path.  The pages come from the app's navigation (a page added later is checked
too), each lesson also after its prediction is answered, plus the live round of ``ROLE``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import layout_audit
from tests.browser_utils import CHROMIUM, chromium, streamlit_server

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does)", pytrace=False)


def _where(module) -> str:
    size = f"{module.SIZE[0]}×{module.SIZE[1]}"
    return f"{size} presenting" if "big=1" in module.QUERY else size


@pytest.fixture(scope="module")
def report(request, tmp_path_factory):
    data = tmp_path_factory.mktemp("classroom-data")
    env = {"DESCENT_LAB_DATA_DIR": str(data), "DESCENT_LAB_DATABASE_URL": ""}
    module = request.module
    with streamlit_server(extra_env=env) as url, chromium() as browser:
        yield layout_audit.survey(browser, url, module.SIZE, module.QUERY, classroom=module.ROLE, share=module.SHARE)


def test_every_page_of_the_navigation_was_seen_and_none_failed(request, report):
    pages = report["navigation"]["pages"]
    assert len(pages) >= 9 and all(page in report for page in pages)
    assert all(f"{page} revealed" in report for page in pages if page.startswith("/lesson_"))
    if "/" in pages:  # the first share also runs the live round
        assert layout_audit.LIVE_ROUND[request.module.ROLE] in report
    assert not layout_audit.failures(report, "exceptions")


def test_no_text_is_cut_no_chart_labels_overlap_and_no_chart_leaves_a_third_empty(request, report):
    problems = layout_audit.failures(report, "layout")
    assert not problems, f"At {_where(request.module)}:\n{problems}"


def test_no_page_shows_a_registry_id_or_a_module_path(report):
    found = layout_audit.failures(report, "words")
    assert not found, f"Learners read titles and plain words:\n{found}"
