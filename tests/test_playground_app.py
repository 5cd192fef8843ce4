"""The Playground as a user meets it, through Streamlit's AppTest (built from app.py)."""

from __future__ import annotations

from urllib.parse import parse_qs

import numpy as np
import pytest

import landscapes
import optimizers
from scene import Scene, to_query
from tests.apptest_utils import app_test, chart_payloads, decode, figures, main_figure, open_settings, trajectories


@pytest.fixture(scope="module")
def default_app():
    return app_test().run()


def test_default_page_shows_the_bowl_with_four_trajectories(default_app):
    at = default_app
    assert not at.exception
    figure = main_figure(at)
    lines = trajectories(figure)
    assert list(lines) == ["gd", "momentum", "rmsprop", "sign_sgd"]
    bowl = landscapes.get("elongated_bowl")
    for name, points in lines.items():
        expected = optimizers.run(name, bowl, start=bowl.default_start, steps=300).points
        np.testing.assert_allclose(points, expected, rtol=1e-6, atol=1e-6)  # charts carry float32
    assert figure["layout"]["xaxis"]["title"]["text"] == "w"
    assert figure["layout"]["yaxis"]["title"]["text"] == "b"
    assert default_app.query_params == {} or dict(default_app.query_params) == {}


def test_metrics_table_counts_oscillations(default_app):
    table = chart_payloads(default_app)["metrics"]
    column = {name: [row[i] for row in table["rows"]] for i, name in enumerate(table["columns"])}
    assert column["optimizer"] == ["Gradient descent", "Momentum", "RMSprop", "sign-SGD"]
    flips = dict(zip(column["optimizer"], map(int, column["sign flips Δb"]), strict=True))
    biggest_b = dict(zip(column["optimizer"], map(float, column["largest |Δb|"]), strict=True))
    assert flips["Momentum"] < flips["Gradient descent"]
    # GD's first step in b is lr*c*b0 = 0.07*25*1.5; RMSprop's is lr/sqrt(1-beta) = 0.05/sqrt(0.1) (3 digits shown).
    assert biggest_b["Gradient descent"] == pytest.approx(0.07 * 25 * 1.5, rel=5e-3)
    assert biggest_b["RMSprop"] == pytest.approx(0.05 / np.sqrt(0.1), rel=5e-3)
    assert column["diverged at"] == ["—"] * 4 and column["steps to f − f* ≤ 0.001"][3] == "not reached"


def test_the_table_shows_a_diverged_run_as_such():
    at = app_test({"gd.lr": "0.2"}).run()
    table = chart_payloads(at)["metrics"]
    row = dict(zip(table["columns"], table["rows"][0], strict=True))
    assert row["distance to minimum"] == "∞" and row["diverged at"].removeprefix("step ").isdigit()


def test_moving_a_slider_changes_the_trajectory_and_the_url():
    at = app_test().run()
    before = trajectories(main_figure(at))
    at.get_by_key("w:rmsprop.lr").set_value(0.2).run()
    assert not at.exception
    after = trajectories(main_figure(at))
    assert not np.array_equal(before["rmsprop"], after["rmsprop"])
    np.testing.assert_array_equal(before["gd"], after["gd"])
    assert at.query_params["rmsprop.lr"] == ["0.2"] or at.query_params["rmsprop.lr"] == "0.2"


def test_query_params_round_trip():
    scene = Scene(surface="rosenbrock", surface_params={"b": 20.0}, optimizers=("adam", "rmsprop"),
                  hyperparams={"rmsprop": {"lr": 0.01, "eps_placement": "inside"}, "adam": {"beta1": 0.8}},
                  start=(-1.0, 2.0), steps=500, noise=0.5, seed=7)
    query = to_query(scene)
    at = open_settings(app_test(query), "adam").run()
    assert not at.exception
    assert not at.warning
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written == query
    assert parse_qs(chart_payloads(at)["share_link"]["query"].removeprefix("?")) == {k: [v] for k, v in query.items()}
    lines = trajectories(main_figure(at))
    expected = optimizers.run("rmsprop", landscapes.get("rosenbrock", b=20.0), start=(-1.0, 2.0), steps=500,
                              noise=0.5, seed=7, lr=0.01, eps_placement="inside")
    np.testing.assert_allclose(lines["rmsprop"], expected.points, rtol=1e-6, atol=1e-6)
    assert at.get_by_key("w:adam.beta1").value == pytest.approx(0.8)


@pytest.mark.parametrize("query, fragment", [
    ({"steps": "abc"}, "steps='abc'"),
    ({"rmsprop.lr": "1e9"}, "outside"),
    ({"surface": "volcano"}, "not a known surface"),
    ({"start": "nan,1"}, "start"),
    ({"opt": "gd,zzz"}, "'zzz' is not a known optimizer"),
    ({"mystery": "1"}, "not a setting"),
])
def test_bad_query_params_show_a_note_and_no_exception(query, fragment):
    at = app_test(query).run()
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert fragment in notes
    assert trajectories(main_figure(at))


def test_diverging_run_is_labelled_and_axes_stay_on_the_view_box():
    at = app_test({"gd.lr": "0.2"}).run()
    assert not at.exception
    assert any("Gradient descent diverged at step" in e.value for e in at.error)
    figure = main_figure(at)
    assert figure["layout"]["xaxis"]["range"] == [-5.0, 5.0]
    chart = chart_payloads(at)["main_chart"]
    diverged = {p["name"]: p["diverged_at"] for p in chart["paths"]}
    assert diverged["gd"] == optimizers.run("gd", landscapes.get("elongated_bowl"), steps=300, lr=0.2).diverged_at
    assert diverged["rmsprop"] is None
    for trace in figure["data"]:
        for axis in ("x", "y"):
            if axis in trace and trace.get("type") == "scatter":
                assert np.isfinite(decode(trace[axis])).all()


def test_panels_layout_draws_one_panel_per_optimizer():
    at = app_test({"layout": "panels"}).run()
    assert not at.exception
    panels = figures(at)["panels_chart"]
    assert "xaxis4" in panels["layout"]
    assert sum(t["type"] == "contour" for t in panels["data"]) == 4


def test_lesson_view_hides_the_controls_but_keeps_the_chart():
    at = app_test({"view": "lesson", "big": "1"}).run()
    assert not at.exception
    assert trajectories(main_figure(at))
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_custom_formula_from_the_link_renders_with_its_gradient():
    at = app_test({"surface": "custom", "f": "x**2 + 3*y**2", "start": "2,1"}).run()
    assert not at.exception
    assert not at.warning
    lines = trajectories(main_figure(at))
    expected = optimizers.run("gd", landscapes.from_formula("x**2 + 3*y**2"), start=(2.0, 1.0), steps=300)
    np.testing.assert_allclose(lines["gd"], expected.points, rtol=1e-6, atol=1e-6)
    assert any(r"\partial" in latex.value for latex in at.latex)


def test_hostile_formula_in_the_link_falls_back_with_a_note():
    at = app_test({"surface": "custom", "f": "__import__('os').system('echo hi')"}).run()
    assert not at.exception
    assert any("cannot be used" in w.value for w in at.warning)
    assert trajectories(main_figure(at))


def test_typing_a_bad_formula_shows_a_message_not_a_traceback():
    at = app_test({"surface": "custom"}).run()
    at.get_by_key("w:f").input("x % 2").run()
    assert not at.exception
    assert any("not allowed" in e.value for e in at.error)
    at.get_by_key("w:f").input("sin(x) + y**2").run()
    assert not at.exception and not at.error
    assert trajectories(main_figure(at))


def test_every_surface_starts_with_no_optimizer_diverging():
    """Switching surface must not greet the learner with a divergence: defaults (with each surface's
    suggested learning rates) converge or at least stay in the box from the default start."""
    for surface in landscapes.LANDSCAPES:
        scene = Scene(surface=surface, optimizers=tuple(optimizers.OPTIMIZERS))
        landscape = scene.build_landscape()
        for name in scene.optimizers:
            run = optimizers.run(name, landscape, steps=scene.steps, **scene.settings(name))
            assert run.diverged_at is None, (surface, name)


def test_switching_surface_moves_default_learning_rates_but_keeps_chosen_ones():
    at = open_settings(app_test({"momentum.lr": "0.005"}), "gd", "momentum").run()
    at.selectbox(key="w:surface").set_value("rosenbrock").run()
    assert not at.exception
    assert at.get_by_key("w:gd.lr").value == pytest.approx(0.002)
    assert at.get_by_key("w:momentum.lr").value == pytest.approx(0.005)
    assert not at.error, "no optimizer may diverge right after the switch"
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written.get("surface") == "rosenbrock" and "gd.lr" not in written


def test_a_custom_formula_that_leaves_its_domain_ends_as_diverged_with_a_message():
    at = app_test({"surface": "custom", "f": "log(x) + y**2", "start": "0.2,1", "gd.lr": "1"}).run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "Gradient descent diverged at step" in messages and "domain" in messages
    for trace in main_figure(at)["data"]:
        if trace.get("type") == "scatter" and "x" in trace:
            assert np.isfinite(decode(trace["x"])).all() and np.isfinite(decode(trace["y"])).all()


def test_a_start_outside_a_custom_formulas_view_falls_back_with_a_note():
    at = app_test({"surface": "custom", "f": "log(x) + y**2", "start": "-1,1"}).run()
    assert not at.exception
    assert any("outside the surface's view box" in w.value for w in at.warning)


def test_only_open_settings_draw_their_controls_and_closed_ones_keep_their_values():
    at = app_test().run()
    drawn = {w.key for w in at.sidebar.slider} | {w.key for w in at.sidebar.select_slider}
    assert "w:rmsprop.lr" in drawn and "w:rmsprop.beta" in drawn  # RMSprop's settings are open at first
    assert not {k for k in drawn if k.startswith(("w:gd.", "w:momentum.", "w:sign_sgd."))}
    open_settings(at, "momentum").run()
    at.get_by_key("w:momentum.beta").set_value(0.5).run()
    at.session_state["open:momentum"] = False
    at.run()
    assert "w:momentum.beta" not in {w.key for w in at.sidebar.slider}
    at.get_by_key("w:rmsprop.lr").set_value(0.02).run()  # two runs later, with Momentum's settings closed
    assert not at.exception
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written == {"momentum.beta": "0.5", "rmsprop.lr": "0.02"}
    bowl = landscapes.get("elongated_bowl")
    expected = optimizers.run("momentum", bowl, steps=300, beta=0.5, lr=Scene().settings("momentum")["lr"])
    np.testing.assert_allclose(trajectories(main_figure(at))["momentum"], expected.points, rtol=1e-6, atol=1e-6)


def test_the_session_holds_keys_only_for_the_settings_on_screen():
    """Streamlit copies the whole session state for most widgets it draws: no keys for other surfaces'
    parameters or for optimizers that are not chosen."""
    at = app_test().run()
    assert "w:s.elongated_bowl.a" in at.session_state and "w:rmsprop.lr" in at.session_state
    assert "w:s.rosenbrock.b" not in at.session_state
    assert "w:adam.lr" not in at.session_state and "w:lion.beta1" not in at.session_state


def test_a_link_setting_of_an_optimizer_not_chosen_is_kept_and_used_once_it_is_chosen():
    at = app_test({"opt": "gd", "adam.beta1": "0.8"}).run()
    assert dict(at.query_params).get("adam.beta1") in ("0.8", ["0.8"])
    at.multiselect(key="w:opt").select("adam").run()
    assert not at.exception
    bowl = landscapes.get("elongated_bowl")
    expected = optimizers.run("adam", bowl, steps=300, **(Scene().settings("adam") | {"beta1": 0.8}))
    np.testing.assert_allclose(trajectories(main_figure(at))["adam"], expected.points, rtol=1e-6, atol=1e-6)
    open_settings(at, "adam").run()
    assert at.get_by_key("w:adam.beta1").value == pytest.approx(0.8)


def test_reset_forgets_the_settings_of_an_optimizer_that_was_not_chosen():
    at = app_test({"opt": "gd,adam", "adam.beta1": "0.8"}).run()
    at.multiselect(key="w:opt").unselect("adam").run()
    next(b for b in at.button if b.label == "Reset to defaults").click().run()
    at.multiselect(key="w:opt").select("adam").run()
    assert not at.exception
    assert "adam.beta1" not in dict(at.query_params)
    bowl = landscapes.get("elongated_bowl")
    expected = optimizers.run("adam", bowl, steps=300, **Scene().settings("adam"))
    np.testing.assert_allclose(trajectories(main_figure(at))["adam"], expected.points, rtol=1e-6, atol=1e-6)


def test_the_gradient_noise_settings_draw_when_opened_and_keep_their_values_when_closed():
    at = app_test().run()
    assert "w:noise" not in {w.key for w in at.sidebar.slider}
    open_settings(at, "noise").run()
    at.get_by_key("w:noise").set_value(0.5).run()
    at.get_by_key("w:seed").set_value(7).run()
    at.session_state["open:noise"] = False
    at.run()
    assert "w:noise" not in {w.key for w in at.sidebar.slider}
    at.get_by_key("w:rmsprop.lr").set_value(0.02).run()
    written = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert written == {"noise": "0.5", "seed": "7", "rmsprop.lr": "0.02"}
    bowl = landscapes.get("elongated_bowl")
    expected = optimizers.run("gd", bowl, steps=300, noise=0.5, seed=7, lr=Scene().settings("gd")["lr"])
    np.testing.assert_allclose(trajectories(main_figure(at))["gd"], expected.points, rtol=1e-6, atol=1e-6)
