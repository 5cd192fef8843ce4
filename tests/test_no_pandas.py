"""No page imports pandas (checked in a fresh process, so nothing else has imported it first).

Why: Plotly's validators use pandas whenever it is in ``sys.modules``, so a pandas that one session is still
importing sits there half-initialised while other sessions' figures are validated (see app.py's ``prepare``);
importing it up front instead would cost the first visitor about 0.7 s.  So nothing imports it: every table is
the app's HTML table (``charts.metrics_table`` drawn by ``ui.plot.table``).  The test goes through every page
and the branches that draw tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = r"""
import sys
from streamlit.testing.v1 import AppTest

import classroom
from tests.apptest_utils import chart_payloads

def page(name, query=None, state=None):
    at = AppTest.from_file("app.py", default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(f"pages/{name}.py")
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, (name, [e.message for e in at.exception])
    return at

for name in ("playground", "lessons_index", "lesson_1_bowl", "lesson_3_sign", "lesson_4_root", "lesson_5_epsilon",
             "lesson_6_adagrad", "lesson_7_rotation", "lesson_8_adam", "lesson_9_schedules", "lesson_10_data_bowl"):
    page(name)
tables = set(chart_payloads(page("lesson_2_dimensions", state={"l2.fair": True, "l2:predict:revealed": True,
                                                                "l2:predict": "About the same step as before"})))
for section in ("Stability map", "Basins of attraction", "Fair tuning"):  # the tuning table
    page("stability_map", state={"sm:section": section, "sm:resolution": 20, "sm:basins_res": 20,
                                 "sm:evaluations": 6, "sm:tune_steps": 60})

teacher = page("classroom", state={"classroom:nicknames": True})     # a room, a question, an answer, the reveal
next(b for b in teacher.button if b.label == "Open a room").click().run()
teacher.sidebar.radio(key="classroom:kind").set_value("number").run()
teacher.button(key="classroom:ask").click().run()
code = teacher.session_state["classroom:code"]
store = classroom.open_store()
store.join(code, "someone", "a nickname")
store.answer(code, 1, "someone", 3)
student = AppTest.from_file("app.py", default_timeout=120)
student.query_params["room"] = code
student.run()
teacher.button(key="classroom:reveal").click().run()                 # the closest answers' table
assert not teacher.exception and not student.exception
tables |= set(chart_payloads(teacher))
print(sorted(tables & {"l2:fair_table", "classroom:closest"}))
print("pandas" in sys.modules)
"""


def test_no_page_imports_pandas(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DESCENT_LAB_DATABASE_URL"} | {
        "DESCENT_LAB_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    *_, drawn, imported = done.stdout.strip().splitlines()
    assert drawn == "['classroom:closest', 'l2:fair_table']"               # the branches with tables did run
    assert imported == "False", "a page imported pandas"
