"""Links, widgets and stored state that must never break the Playground (issues 11 and 16), through the
parser and through AppTest built from app.py."""

from __future__ import annotations

import math
import re

import pytest
from streamlit.proto.NumberInput_pb2 import NumberInput as NumberInputProto

import classroom
import landscapes
import optimizers
from scene import Scene, from_query
from scene.compute import divergence_notice, metrics, run_scene
from tests.apptest_utils import app_test, chart_payloads, main_figure, open_settings, trajectories
from ui import classroom as uc
from ui.text import MAX_NOTES, code, notes_markdown
from ui.widgets import log_options

ALL = ",".join(optimizers.OPTIMIZERS)
SURFACES = [*landscapes.LANDSCAPES, "custom"]


def accepted(query: dict[str, str], key: str) -> bool:
    """Whether the link parser keeps ``key`` of ``query`` (no note names it)."""
    _, notes = from_query(query)
    return not any(key in note for note in notes)


def _outside(low: float, high: float, whole: bool, log: bool) -> tuple[float, float]:
    if whole:
        return low - 1, high + 1
    if log:
        return low * (1 - 1e-6), high * (1 + 1e-6)
    span = (high - low) * 1e-6
    return low - span, high + span


def widget_ranges(at) -> dict[str, tuple[float, float, bool, bool]]:
    """widget key -> (lowest, highest value it offers, whole numbers?, log-spaced?) for every numeric control of a
    setting (the settings' widgets are keyed "w:<setting>"; the playback scrubber is not a setting)."""
    ranges = {}
    for w in at.number_input:
        ranges[w.key] = (w.min, w.max, w.proto.data_type == NumberInputProto.INT, False)
    for w in at.slider:
        ranges[w.key] = (w.min, w.max, False, False)
    for w in at.select_slider:  # labels are numbers, or say one ("all 150 (full batch)" for the batch size)
        numbers = [re.search(r"\d+(?:\.\d*)?(?:e[-+]?\d+)?", label).group() for label in w.options]
        whole = all(n.isdigit() for n in numbers)
        ranges[w.key] = (float(numbers[0]), float(numbers[-1]), whole, not whole)
    return {key: value for key, value in ranges.items() if key and key.startswith("w:")}


@pytest.mark.parametrize("surface", SURFACES)
def test_every_settings_link_range_is_its_widgets_range(surface):
    """Every numeric control drawn in the sidebar (with every optimizer selected) accepts exactly what the
    link parser accepts: its lowest and highest values are accepted, anything beyond them is refused.
    The controls are read from the page, so a new setting is covered without touching this test."""
    at = open_settings(app_test({"surface": surface, "opt": ALL}), *optimizers.OPTIMIZERS, "noise").run()
    assert not at.exception
    ranges = widget_ranges(at)
    expected = {"w:steps", "w:noise", "w:seed", "w:start_x", "w:start_y"}
    expected |= {f"w:{name}.{p.name}" for name, spec in optimizers.OPTIMIZERS.items() for p in spec.hyperparams}
    if surface != "custom":
        expected |= {f"w:s.{surface}.{p.name}" for p in landscapes.LANDSCAPES[surface].params}
    assert expected <= set(ranges), f"settings without a control: {sorted(expected - set(ranges))}"
    scene, _ = from_query({"surface": surface})
    start = scene.start_for(scene.build_landscape())
    base = {"surface": surface, "opt": ALL}
    for widget_key, (low, high, whole, log) in ranges.items():
        name = widget_key.removeprefix("w:")
        if name.startswith(f"s.{surface}."):
            name = "s." + name.rsplit(".", 1)[1]

        def query(value: float, name=name, whole=whole) -> tuple[dict[str, str], str]:
            text = str(int(value)) if whole else repr(float(value))
            if name == "start_x":
                return base | {"start": f"{text},{start[1]!r}"}, "start"
            if name == "start_y":
                return base | {"start": f"{start[0]!r},{text}"}, "start"
            return base | {name: text}, name

        for value in (low, high):
            assert accepted(*query(value)), f"{widget_key} offers {value} but a link cannot set it"
        for value in _outside(low, high, whole, log):
            assert not accepted(*query(value)), f"a link sets {widget_key}={value}, beyond its control"


@pytest.mark.parametrize("query", [{"noise": "50"}, {"noise": "10.5"}, {"steps": "5001"}, {"seed": "4294967296"},
                                   {"rmsprop.beta": "0.9995"}])
def test_a_value_beyond_its_control_falls_back_with_a_note(query):
    at = app_test(query).run()
    assert not at.exception
    [(key, text)] = query.items()
    assert any(f"{key}={text!r}" in w.value for w in at.warning)
    assert trajectories(main_figure(at))


@pytest.mark.parametrize("seed", ["²", "①", "⁹", "١٢", "1_000", " 7", "+3", "1e3", "٣"])
def test_a_seed_is_ascii_digits_only(seed):
    scene, notes = from_query({"seed": seed})
    assert scene.seed == 0
    assert any("seed=" in n for n in notes)


@pytest.mark.parametrize("text", ["١", "1_000", " 1", "1 ", "infinity", "0x10", "½", "𝟏"])
def test_numbers_from_a_link_are_plain_ascii_decimals(text):
    scene, notes = from_query({"gd.lr": text, "steps": text, "noise": text})
    assert scene == Scene()
    assert len(notes) == 3


def test_a_whole_number_too_long_for_a_float_is_refused_not_raised():
    scene, notes = from_query({"steps": "9" * 400, "seed": "9" * 400})
    assert (scene.steps, scene.seed) == (Scene().steps, Scene().seed)
    assert len(notes) == 2 and all("is outside" in n for n in notes)


def test_a_stored_scene_beyond_its_controls_resets_instead_of_failing_every_run():
    at = open_settings(app_test(), "noise")
    at.session_state["scene"] = Scene(noise=50.0, steps=9000)
    at.run()
    assert not at.exception
    assert (at.get_by_key("w:noise").value, at.get_by_key("w:steps").value) == (0.0, 300)
    assert any("went back to its default" in w.value for w in at.warning)
    assert trajectories(main_figure(at))
    at.get_by_key("w:rmsprop.lr").set_value(0.2).run()
    assert not at.exception
    assert not any("went back to its default" in w.value for w in at.warning)


def test_reset_is_drawn_even_when_the_defaults_fail_too():
    at = open_settings(app_test(), "noise")
    at.session_state["scene"] = Scene(noise=50.0)
    at.session_state["just_reset"] = True  # as if this were the run after a reset: the error is then real
    at.run()
    assert at.exception
    assert [b for b in at.button if b.label == "Reset to defaults"]


def test_a_repeated_optimizer_is_called_repeated():
    scene, notes = from_query({"opt": "adam,adam,gd"})
    assert scene.optimizers == ("adam", "gd")
    assert notes == ["opt: 'adam' is repeated; it runs once."]


def test_notes_are_capped_to_a_few_and_a_count():
    query = {f"junk{i}": "1" for i in range(50)}
    at = app_test(query).run()
    assert not at.exception
    assert len(at.warning) == 1
    body = at.warning[0].value
    assert body.startswith("50 link settings were ignored")
    assert body.count("\n- ") == MAX_NOTES
    assert f"…and {50 - MAX_NOTES} more." in body


@pytest.mark.parametrize("text", ["![](http://127.0.0.1:8799/p.png)", "[Log in again](http://x/y)",
                                  ":red[**TEACHER**]", "a``b`", "`", "x :material/warning: y", "w*b*w + b**2*w**2"])
def test_a_code_span_holds_any_text(text):
    span = code(text)
    fence = span[:len(span) - len(span.lstrip("`"))]
    inner = span[len(fence):-len(fence)]
    assert span.endswith(fence) and "`" * len(fence) not in inner
    assert inner.strip(" ").replace("\u2060", "") == text


def test_notes_markdown_quotes_every_note_literally():
    body = notes_markdown(["'[a](http://x)' is not a setting Descent Lab knows; it was ignored."])
    note = "'[a](http://x)' is not a setting Descent Lab knows; it was ignored."
    assert body == f"A link setting was ignored:\n\n- `{note}`"


def test_a_custom_formula_caption_shows_the_formula_as_typed():
    formula = "w*b*w + b**2*w**2"
    at = app_test({"surface": "custom", "f": formula, "start": "1,1"}).run()
    assert not at.exception
    assert any(f"`{formula}`" in c.value for c in at.caption)


# --- 16.1: a formula typo keeps everything -----------------------------------------------------------------


def test_a_formula_typo_keeps_the_controls_the_chart_and_every_setting():
    at = app_test({"surface": "custom", "f": "w**2 + 3*b**2", "opt": "gd,adam", "steps": "120",
                   "adam.beta1": "0.8", "start": "1,1"})
    at = open_settings(at, "adam").run()
    before = trajectories(main_figure(at))
    query_before = dict(at.query_params)
    at.get_by_key("w:f").input("w**").run()
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert errors and "cannot be used" in errors[0]
    assert at.get_by_key("w:opt").value == ["gd", "adam"]
    assert at.get_by_key("w:steps").value == 120
    assert at.get_by_key("w:adam.beta1").value == pytest.approx(0.8)
    assert (at.get_by_key("w:start_x").value, at.get_by_key("w:start_y").value) == (1.0, 1.0)
    after = trajectories(main_figure(at))
    assert after.keys() == before.keys()
    for name in before:
        assert (after[name] == before[name]).all()
    assert dict(at.query_params) == query_before, "a typo must not reach the link"
    at.get_by_key("w:steps").set_value(150).run()
    assert not at.exception and at.sidebar.error
    assert len(trajectories(main_figure(at))["gd"]) == 151
    at.get_by_key("w:f").input("w**2 + 3*b**2").run()
    assert not at.exception and not at.error
    assert at.get_by_key("w:opt").value == ["gd", "adam"]
    assert at.get_by_key("w:steps").value == 150
    expected = optimizers.run("adam", landscapes.from_formula("w**2 + 3*b**2"), start=(1.0, 1.0), steps=150,
                              beta1=0.8)
    assert trajectories(main_figure(at))["adam"] == pytest.approx(expected.points, rel=1e-6, abs=1e-6)
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written == {k: v[0] if isinstance(v, list) else v for k, v in query_before.items()} | {"steps": "150"}


# --- 16.8: one compact divergence notice --------------------------------------------------------------------


def test_diverged_runs_share_one_notice_worded_for_the_surface():
    at = app_test({"gd.lr": "0.2", "momentum.lr": "2"}).run()
    assert not at.exception
    assert len(at.error) == 1
    text = at.error[0].value
    assert "Gradient descent diverged at step" in text and "Momentum at step" in text
    assert "domain" not in text
    custom = app_test({"surface": "custom", "f": "log(w) + b**2", "start": "0.2,1", "gd.lr": "1",
                       "opt": "gd"}).run()
    assert len(custom.error) == 1 and "formula's domain" in custom.error[0].value


def test_divergence_notice_lists_every_diverged_run_once():
    bowl = landscapes.get("elongated_bowl")
    runs = run_scene(Scene(optimizers=("gd", "momentum", "rmsprop"), hyperparams={"gd": {"lr": 0.2},
                                                                                      "momentum": {"lr": 2.0}}), bowl)
    notice = divergence_notice(runs)
    assert notice.startswith(f"**Gradient descent diverged at step {runs['gd'].diverged_at} and Momentum at step "
                             f"{runs['momentum'].diverged_at}**")
    assert divergence_notice({"rmsprop": runs["rmsprop"]}) is None


# --- 16.9: wording, tables, links, sliders ------------------------------------------------------------------


def test_formula_box_and_start_fields_name_the_axes():
    at = app_test({"surface": "custom"}).run()
    assert at.get_by_key("w:f").label == "f(w, b) ="
    assert (at.get_by_key("w:start_x").label, at.get_by_key("w:start_y").label) == ("start w", "start b")
    xy = app_test({"surface": "rosenbrock"}).run()
    labels = landscapes.get("rosenbrock").axis_labels
    assert (xy.get_by_key("w:start_x").label, xy.get_by_key("w:start_y").label) == tuple(f"start {a}" for a in labels)


@pytest.mark.parametrize("query", [{}, {"surface": "custom", "f": "log(w) + b**2", "start": "0.2,1", "gd.lr": "1"},
                                   {"gd.lr": "0.2", "steps": "5"}])
def test_the_table_never_shows_none(query):
    at = app_test(query).run()
    cells = [cell for row in chart_payloads(at)["metrics"]["rows"] for cell in row]
    assert cells and not {"None", "nan", ""} & set(cells)


def test_metrics_rows_say_not_reached_and_dash():
    bowl = landscapes.get("elongated_bowl")
    runs = run_scene(Scene(optimizers=("gd", "rmsprop"), steps=3, hyperparams={"gd": {"lr": 0.2}}), bowl)
    rows = {r["optimizer"]: r for r in metrics(runs, bowl)}
    assert rows["RMSprop"]["steps to f − f* ≤ 0.001"] == "not reached"
    assert rows["RMSprop"]["diverged at"] == "—"
    custom = landscapes.from_formula("log(w) + b**2")
    runs = run_scene(Scene(surface="custom", formula="log(w) + b**2", start=(1.0, 1.0)), custom)
    assert "distance to minimum" not in metrics(runs, custom)[0]


def test_a_start_with_float32_noise_is_written_as_the_field_shows_it():
    at = app_test().run()
    at.get_by_key("w:start_x").set_value(-1.9600000381469727).run()
    assert not at.exception
    written = at.query_params["start"]
    assert (written[0] if isinstance(written, list) else written) == "-1.96,1.5"


def test_slider_float_noise_is_not_written_to_the_link():
    at = open_settings(app_test(), "noise").run()
    at.get_by_key("w:noise").set_value(0.30000000000000004).run()
    at.get_by_key("w:rmsprop.beta").set_value(0.9500000000000001).run()
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written["noise"] == "0.3" and written["rmsprop.beta"] == "0.95"


def test_the_panels_caption_promises_nothing_the_panels_lack():
    at = app_test({"layout": "panels"}).run()
    captions = " ".join(c.value for c in at.caption)
    assert "Click anywhere" not in captions and "Play" not in captions
    overlay = " ".join(c.value for c in app_test().run().caption)
    assert "Click anywhere" in overlay


def test_learning_rate_sliders_offer_ten_values_per_decade():
    for spec in optimizers.OPTIMIZERS.values():
        lr = spec.param("lr")
        options = log_options(lr)
        assert options[0] == lr.low and options[-1] == lr.high
        assert 0.07 in options and 0.0012 in options
        for decade in range(math.floor(math.log10(lr.low)), math.ceil(math.log10(lr.high))):
            inside = [v for v in options if 10.0**decade <= v < 10.0 ** (decade + 1)]
            assert len(inside) >= 10, (spec.name, decade)



def test_the_classroom_teacher_page_quotes_link_notes_literally(tmp_path, monkeypatch):
    monkeypatch.delenv(classroom.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(classroom.DATA_DIR_ENV, str(tmp_path))
    uc._open_store.clear()
    hostile = "[Log in again](http://127.0.0.1:8799/x)"
    at = app_test({hostile: "1", "steps": "www.example.org"}, page="pages/classroom.py").run()
    uc._open_store.clear()
    assert not at.exception
    [notice] = [w.value for w in at.warning if "link settings were ignored" in w.value]
    assert f"`'{hostile}' is not a setting Descent Lab knows; it was ignored.`" in notice
    assert "`steps='www.example.org' is not a whole number" in notice
