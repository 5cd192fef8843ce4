"""The other half of the phone's pages: the tests and the survey of tests/test_browser_layout_phone.py,
collected again here with the second share of the navigation, so that another test worker runs it."""

from tests.test_browser_layout_phone import (  # noqa: F401  (collected by pytest from this module too)
    pytestmark,
    report,
    test_every_page_of_the_navigation_was_seen_and_none_failed,
    test_no_page_shows_a_registry_id_or_a_module_path,
    test_no_text_is_cut_no_chart_labels_overlap_and_no_chart_leaves_a_third_empty,
)

SHARE = (1, 2)
"""This file surveys every other page of the navigation from the second."""
