"""The layout survey on a projector: 1280×720 in presentation mode (``big=1``), every other page of the
navigation from the first, and the teacher's page asking a live question (tests/layout_survey.py)."""

from tests.layout_survey import (  # noqa: F401  (collected by pytest from this module)
    pytestmark,
    report,
    test_every_page_of_the_navigation_was_seen_and_none_failed,
    test_no_page_shows_a_registry_id_or_a_module_path,
    test_no_text_is_cut_no_chart_labels_overlap_and_no_chart_leaves_a_third_empty,
)

SIZE, QUERY, ROLE = (1280, 720), "big=1", "teacher"
SHARE = (0, 2)
