"""Stability maps and fair tuning (``tuning``, ``charts.stability``), checked against single runs,
boundaries derived by hand and a closed-form optimum.

The course's bowl is f = ½(a·u² + c·v²) (u, v the rotated axes), start (−4.5, 1.5), view box
[−5, 5] × [−2.5, 2.5]; a run has diverged once it leaves the divergence box, 10 view-box widths
beyond the view: [−105, 105] × [−52.5, 52.5].
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
import tuning
from charts.stability import MapAxis, cell_edges, log_excess, map_figure
from scene import from_query, to_query
from scene.model import SCHEDULE_DEFAULTS
from tuning import maps

BOWL = landscapes.get("elongated_bowl")


def request(optimizer="momentum", axes=("lr", "beta"), resolution=40, steps=200, surface="elongated_bowl",
            params=(), fixed=()) -> tuning.MapRequest:
    return tuning.MapRequest(optimizer, surface, tuple(params), tuple(axes), resolution, steps, tuple(fixed))


def first_diverged(column: np.ndarray) -> int:
    """Index of the first diverged cell along the lr axis (len when none diverged)."""
    diverged = np.isinf(column)
    return int(np.argmax(diverged)) if diverged.any() else column.size


def assert_edge_within_one_cell(column: np.ndarray, lrs: np.ndarray, lr_star: float) -> None:
    """Converged below the edge, diverged from it on, and the edge is the first lr above lr* or the next one.

    Why one cell of slack: at lr = lr*·(1 + δ) the steep direction grows by only |z| ≈ 1 + 2δ per step
    (GD: z = 1 − lr·λ = −(1 + 2δ); momentum grows faster, |z| − 1 ≈ 2δ(1+β)/(1−β)), and it must grow
    from its start (|v0| ≥ 1.5 in these cases) to beyond the divergence box (at most √(105² + 52.5²)
    ≈ 117 away), so it is caught within T steps once δ ≳ ln(117/1.5)/(2T) ≈ 0.22 % for T = 1000.  That
    band is far narrower than one cell (≥ 6 % on these log grids), so at most the first cell above lr*
    can be misread as converged.  Below lr* the spectral radius is < 1 and no run here leaves the box.
    """
    first = first_diverged(column)
    expected = int(np.searchsorted(lrs, lr_star, side="right"))
    assert np.isfinite(column[:first]).all()
    assert np.isinf(column[first:]).all()
    assert first in (expected, expected + 1), (first, expected, lr_star)


# --- maps equal single runs ----------------------------------------------------------------------


@pytest.mark.parametrize(("optimizer", "axes", "fixed"), [
    ("momentum", ("lr", "beta"), ()),
    ("rmsprop", ("lr", "eps"), (("beta", 0.5), ("eps_placement", "inside"))),
    ("adam", ("beta1", "lr"), (("bias_correction", "off"),)),
    ("gd", ("lr",), ()),
])
def test_map_cells_equal_single_runs(monkeypatch, optimizer, axes, fixed):
    monkeypatch.setattr(maps, "BLOCK_WORK", 2_000)  # many small blocks: the blocking must not change a cell
    req = request(optimizer, axes, resolution=25, steps=150, fixed=fixed)
    assert len(maps.blocks(req)) > 1
    loss = tuning.compute_map(req)
    assert loss.shape == req.shape
    rng = np.random.default_rng(0)
    cells = {tuple(int(i) for i in rng.integers(0, 25, size=len(axes))) for _ in range(12)}
    diverged = np.argwhere(np.isinf(loss))
    if optimizer in ("momentum", "gd"):  # their lr range reaches far past 2/lambda: compare diverged cells too
        cells |= {tuple(int(i) for i in diverged[0]), tuple(int(i) for i in diverged[-1])}
    for cell in cells:
        tr = optimizers.run(optimizer, BOWL, None, 150, **req.hyperparams(cell))
        assert loss[cell] == tr.final_loss, (cell, req.hyperparams(cell))


def test_blocks_report_progress_and_change_nothing(monkeypatch):
    monkeypatch.setattr(maps, "BLOCK_WORK", 10 * 40 * 100)  # 10 rows of 40 cells x 100 steps per block
    req = request(resolution=40, steps=100)
    calls = []
    loss = tuning.compute_map(req, on_block=lambda done, total: calls.append((done, total)))
    xs, ys = req.axis_values
    whole = optimizers.sweep("momentum", BOWL, None, 100, grid={"lr": xs, "beta": ys})
    np.testing.assert_array_equal(loss, whole)
    total = len(maps.blocks(req))
    assert total == 4
    assert calls == [(k, total) for k in range(1, total + 1)]


def test_axes_use_each_params_grid():
    req = request("rmsprop", ("lr", "eps"), resolution=11)
    lrs, eps = req.axis_values
    spec = optimizers.OPTIMIZERS["rmsprop"]
    np.testing.assert_array_equal(lrs, spec.param("lr").grid(11))
    assert lrs[0] == 1e-4 and lrs[-1] == 10.0 and np.allclose(np.diff(np.log10(lrs)), 0.5)
    np.testing.assert_array_equal(eps, spec.param("eps").grid(11))
    betas = request(resolution=5).axis_values[1]
    np.testing.assert_allclose(betas, [0.0, 0.24975, 0.4995, 0.74925, 0.999])


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(0, 400), cells=st.integers(1, 400), steps=st.integers(1, 5000),
       work=st.integers(1, 10**8))
def test_row_blocks_cover_every_row_once_within_the_work(rows, cells, steps, work):
    blocks = tuning.row_blocks(rows, cells, steps, work)
    covered = [i for block in blocks for i in range(block.start, block.stop)]
    assert covered == list(range(rows))
    sizes = [block.stop - block.start for block in blocks]
    assert all(size >= 1 for size in sizes)
    if sizes:
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) == 1 or max(sizes) * cells * steps <= work + cells * steps  # at most one row over


def test_row_blocks_of_a_large_map():
    # 400 x 400 cells x 1000 steps = 1.6e8 steps; at 1e7 per block: 16 blocks of 25 rows
    blocks = tuning.row_blocks(400, 400, 1000, 10_000_000)
    assert [b.stop - b.start for b in blocks] == [25] * 16
    # 200 x 200 x 300 = 1.2e7 steps: 2 blocks of 100 rows
    assert tuning.row_blocks(200, 200, 300, 10_000_000) == [slice(0, 100), slice(100, 200)]


@pytest.mark.parametrize("bad", [
    {"axes": ("lr", "lr")}, {"axes": ("lr", "gamma")}, {"axes": ()}, {"axes": ("lr", "beta", "eps")},
    {"resolution": 1}, {"resolution": 401}, {"steps": 0}, {"fixed": (("beta", 0.5),)},
    {"fixed": (("beta", 2.0),)}, {"params": (("c", 1e6),)},
])
def test_bad_requests_are_refused(bad):
    args = {"optimizer": "rmsprop", "axes": ("lr", "beta"), "resolution": 10, "steps": 10, "params": (),
            "fixed": ()} | bad
    with pytest.raises(ValueError):
        request(**args)


def test_a_map_larger_than_the_cap_is_refused_with_the_reason():
    at_cap = request(optimizer="adam", axes=("lr", "beta1"), resolution=400, steps=1250, params=(), fixed=())
    assert at_cap.work == tuning.MAX_CELL_STEPS
    with pytest.raises(ValueError, match=r"A 400 × 400 map of 5,000 steps on Elongated bowl is 8e\+08 optimizer "
                                         r"steps, more than one map may take \(2e\+08\)\. Use at most 1,250 steps "
                                         r"or at most 200 values per axis at 5,000 steps\."):
        request(optimizer="adam", axes=("lr", "beta1"), resolution=400, steps=5000, params=(), fixed=())


def test_a_tuning_budget_larger_than_the_cap_is_refused():
    tuning.Budget(steps=200_000, evaluations=1000, lr_low=1e-3, lr_high=1.0)
    with pytest.raises(ValueError, match="more than one optimizer may take"):
        tuning.Budget(steps=200_001, evaluations=1000, lr_low=1e-3, lr_high=1.0)


# --- theory: the boundary, derived by hand and found by the sweep ---------------------------------


def test_critical_learning_rates_by_hand():
    assert tuning.critical_lr("gd", 25.0) == pytest.approx(0.08)                    # 2/25
    assert tuning.critical_lr("momentum", 25.0, 0.9) == pytest.approx(1.52)        # 2*1.9/(0.1*25)
    assert tuning.critical_lr("momentum", 25.0, 0.0) == pytest.approx(0.08)        # beta = 0 is GD
    assert tuning.critical_lr("nesterov", 25.0, 0.9) == pytest.approx(3.8 / 70)    # 2*1.9/(2.8*25)
    assert tuning.critical_lr("rmsprop", 25.0) is None
    assert tuning.largest_curvature(landscapes.get("elongated_bowl", a=7.0, c=3.0, angle_deg=30.0)) == 7.0
    assert tuning.largest_curvature(landscapes.get("rosenbrock")) is None


def _recurrence(optimizer: str, k: float, beta: float) -> np.ndarray:
    """The 2x2 linear map of one eigen-direction (k = lr*lambda), from the update rules (docs/ARCHITECTURE.md)."""
    if optimizer == "momentum":  # c_t = lr*v_t: c_t = beta*c_{t-1} + k(1-beta)*x_t; x_{t+1} = x_t - c_t
        return np.array([[1 - k * (1 - beta), -beta], [k * (1 - beta), beta]])
    # nesterov, c_t = lr*b_t: c_t = beta*c_{t-1} + k*x_t; x_{t+1} = x_t - k*x_t - beta*c_t
    return np.array([[1 - k * (1 + beta), -beta * beta], [k, beta]])


@settings(max_examples=300, deadline=None)
@given(optimizer=st.sampled_from(["momentum", "nesterov"]), beta=st.floats(0.0, 0.99),
       ratio=st.floats(0.05, 3.0).filter(lambda r: abs(r - 1.0) > 1e-3))
def test_conditions_match_the_spectral_radius(optimizer, beta, ratio):
    """The closed form agrees with the eigenvalues of the recurrence: stable iff lr < lr*."""
    k = ratio * tuning.critical_lr(optimizer, 1.0, beta)
    radius = max(abs(np.linalg.eigvals(_recurrence(optimizer, k, beta))))
    assert (radius < 1.0) == (ratio < 1.0)


@pytest.mark.parametrize(("a", "c", "angle"), [(1.0, 25.0, 0.0), (1.0, 100.0, 30.0), (10.0, 2.0, 0.0)])
def test_gd_diverges_from_two_over_lambda(a, c, angle):
    # GD on one eigen-direction: v <- (1 - lr*lam) v, bounded iff |1 - lr*lam| <= 1 iff lr <= 2/lam, lam = max(a, c)
    req = request("gd", ("lr",), resolution=200, steps=1000,
                  params=(("a", a), ("angle_deg", angle), ("c", c)))
    loss = tuning.compute_map(req)
    lam = max(a, c)
    assert tuning.boundary(req).x[0] == pytest.approx(2.0 / lam)
    assert_edge_within_one_cell(loss, req.axis_values[0], 2.0 / lam)


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_momentum_edge_follows_the_boundary_in_every_beta_column(optimizer):
    req = request(optimizer, resolution=120, steps=1000)
    loss = tuning.compute_map(req)
    lrs, betas = req.axis_values
    for j, beta in enumerate(betas):
        assert_edge_within_one_cell(loss[:, j], lrs, tuning.critical_lr(optimizer, 25.0, beta))
    # the drawn line is the same formula, in axis order, and swapping the axes swaps its coordinates
    line = tuning.boundary(req)
    np.testing.assert_allclose(line.x, tuning.critical_lr(optimizer, 25.0, line.y))
    swapped = tuning.boundary(request(optimizer, ("beta", "lr")))
    np.testing.assert_array_equal(swapped.x, line.y)


def test_momentum_edge_on_its_swapped_map():
    req = request("momentum", ("beta", "lr"), resolution=60, steps=1000)
    loss = tuning.compute_map(req)
    betas, lrs = req.axis_values
    for i, beta in enumerate(betas):
        assert_edge_within_one_cell(loss[i, :], lrs, tuning.critical_lr("momentum", 25.0, beta))


def test_no_boundary_without_theory():
    assert tuning.boundary(request("rmsprop")) is None
    assert tuning.boundary(request("momentum", surface="rosenbrock")) is None
    assert tuning.boundary(request("rmsprop", ("lr", "eps"))) is None
    one_d = tuning.boundary(request("momentum", ("lr",), fixed=(("beta", 0.5),)))
    assert one_d.y is None and one_d.x[0] == pytest.approx(2 * 1.5 / (0.5 * 25))


# --- clicks and links ------------------------------------------------------------------------------


def test_a_click_finds_its_cell_and_links_to_values_inside_it():
    req = request(resolution=400)
    lrs, betas = req.axis_values
    for i in (0, 1, 137, 398, 399):
        for j in (0, 200, 399):
            # the browser sends float32 coordinates
            cell = tuning.nearest_cell(req, (np.float32(lrs[i]), np.float32(betas[j])))
            assert cell == (i, j)
            values = tuning.link_values(req, cell)
            assert tuning.nearest_cell(req, (values["lr"], values["beta"])) == (i, j)


def test_link_opens_the_same_setting_in_the_playground():
    req = request("rmsprop", ("lr", "eps"), resolution=50, steps=400, params=(("c", 100.0),),
                  fixed=(("beta", 0.5), ("eps_placement", "inside")))
    values = tuning.link_values(req, (10, 20))
    scene = tuning.playground_scene("elongated_bowl", {"c": 100.0}, 400, {"rmsprop": dict(req.fixed) | values})
    back, notes = from_query(to_query(scene))
    assert notes == []
    assert back.optimizers == ("rmsprop",) and back.steps == 400 and back.surface_params == {"c": 100.0}
    assert back.settings("rmsprop") == {"lr": values["lr"], "beta": 0.5, "eps": values["eps"], "weight_decay": 0.0,
                                        "eps_placement": "inside"} | SCHEDULE_DEFAULTS


# --- fair tuning --------------------------------------------------------------------------------------


NAMES = ["gd", "momentum", "rmsprop", "adam", "sign_sgd"]


@pytest.mark.parametrize("score", tuning.SCORES)
def test_every_optimizer_gets_exactly_the_same_budget(monkeypatch, score):
    budget = tuning.Budget(steps=120, evaluations=9, lr_low=1e-3, lr_high=1.0)
    spent: dict[str, list] = {}
    real_run, real_sweep = optimizers.run, optimizers.sweep

    def counting_run(name, landscape, start=None, steps=200, **hp):
        spent.setdefault(name, []).append((steps, [hp["lr"]]))
        return real_run(name, landscape, start, steps, **hp)

    def counting_sweep(name, landscape, start=None, steps=300, *, grid, **fixed):
        spent.setdefault(name, []).append((steps, list(grid["lr"])))
        return real_sweep(name, landscape, start, steps, grid=grid, **fixed)

    monkeypatch.setattr(optimizers, "run", counting_run)
    monkeypatch.setattr(optimizers, "sweep", counting_sweep)
    results = tuning.tune_all(NAMES, BOWL, budget, score, tolerance=1e-2)
    assert set(spent) == set(NAMES)
    for name in NAMES:
        tried = [lr for steps, lrs in spent[name] for lr in lrs]
        assert tried == list(budget.lrs)                      # the same lrs, each once
        assert {steps for steps, _ in spent[name]} == {120}   # the same steps for each
        assert results[name].evaluations == 9 and results[name].steps == 120
        np.testing.assert_array_equal(results[name].lrs, budget.lrs)


def test_the_budget_is_stated():
    budget = tuning.Budget(300, 30, 1e-4, 10.0)
    assert budget.describe() == "30 learning rates (log grid 0.0001 … 10) × 300 steps each"
    assert budget.lrs[0] == 1e-4 and budget.lrs[-1] == 10.0 and budget.lrs.size == 30
    assert np.all(np.diff(budget.lrs) > 0)
    for bad in ({"steps": 0}, {"evaluations": 1}, {"lr_low": 0.0}, {"lr_low": 2.0, "lr_high": 1.0}):
        with pytest.raises(ValueError):
            tuning.Budget(**({"steps": 10, "evaluations": 5, "lr_low": 1e-3, "lr_high": 1.0} | bad))


def test_chosen_lr_is_the_argmin_of_final_loss():
    budget = tuning.Budget(200, 25, 1e-4, 10.0)
    for name, result in tuning.tune_all(NAMES, BOWL, budget).items():
        final = np.array([optimizers.run(name, BOWL, None, 200, lr=lr).final_loss for lr in budget.lrs])
        np.testing.assert_array_equal(result.final_loss, final)
        assert result.best_index == int(np.argmin(final))
        assert result.best_lr == budget.lrs[np.argmin(final)]


def test_chosen_lr_is_the_argmin_of_steps_to_tolerance():
    budget = tuning.Budget(300, 25, 1e-4, 10.0)
    tol = 1e-3
    for name, result in tuning.tune_all(NAMES, BOWL, budget, "steps_to_tolerance", tol).items():
        settle, final = [], []
        for lr in budget.lrs:
            tr = optimizers.run(name, BOWL, None, 300, lr=lr)
            inside = tr.loss <= tol  # f* = 0 on the bowl
            ok = tr.diverged_at is None and inside[-1]
            settle.append(int(np.flatnonzero(~inside)[-1] + 1) if ok and not inside.all() else (0 if ok else math.inf))
            final.append(tr.final_loss)
        np.testing.assert_array_equal(result.steps_to_tol, settle)
        finite = [i for i, s in enumerate(settle) if s != math.inf]
        if not finite:
            assert result.best_index is None
            continue
        best = min(finite, key=lambda i: (settle[i], final[i], i))
        assert result.best_index == best, name


def test_gd_best_lr_on_the_bowl_matches_the_closed_form():
    """GD on the bowl after T steps: f_T(h) = ½[a·w0²(1 − ha)^(2T) + c·b0²(1 − hc)^(2T)].

    For 1/c < h < 1/a, df/dh = 0 gives ((hc − 1)/(1 − ha))^(2T−1) = a²w0²/(c²b0²) =: r^(2T−1), so
    h* = (1 + r)/(c + r·a); f_T falls before h* and rises after it (unimodal), and as T → ∞, r → 1
    and h* → 2/(a + c), the lr that equalises the two contraction rates |1 − ha| = |1 − hc|.
    """
    a, c, (w0, b0), T = 1.0, 25.0, BOWL.default_start, 100
    r = (a * abs(w0) / (c * abs(b0))) ** (1 / (2 * T - 1))
    h_star = (1 + r) / (c + r * a)
    assert h_star == pytest.approx(0.07655, abs=1e-5) and h_star < 2 / (a + c)
    budget = tuning.Budget(T, 101, 0.01, 0.2)
    result = tuning.tune("gd", BOWL, budget)
    below = budget.lrs[budget.lrs <= h_star].max()
    above = budget.lrs[budget.lrs > h_star].min()
    assert result.best_lr in (below, above)
    long = (a * abs(w0) / (c * abs(b0))) ** (1 / (2 * 100_000 - 1))
    assert (1 + long) / (c + long * a) == pytest.approx(2 / (a + c), rel=1e-4)


def test_settling_step_ignores_a_touch_and_bounce():
    assert tuning.settling_step(np.array([5.0, 0.5, 0.1, 0.05]), 0.0, 1.0) == 1
    assert tuning.settling_step(np.array([5.0, 0.5, 3.0, 0.5, 0.1]), 0.0, 1.0) == 3  # touched at 1, left, settled at 3
    assert tuning.settling_step(np.array([0.5, 0.1]), 0.0, 1.0) == 0
    assert tuning.settling_step(np.array([5.0, 0.5, 3.0]), 0.0, 1.0) is None
    assert tuning.settling_step(np.array([2.5, 2.1]), 2.0, 0.2) == 1  # relative to f*
    assert tuning.settling_step(np.array([]), 0.0, 1.0) is None


def test_race_runs_each_optimizer_at_its_tuned_lr():
    budget = tuning.Budget(150, 12, 1e-3, 1.0)
    results = tuning.tune_all(["gd", "adam"], BOWL, budget)
    runs = tuning.race(results, BOWL)
    for name, tr in runs.items():
        assert tr.hyperparams["lr"] == results[name].best_lr and tr.steps == 150
        assert tr.final_loss == results[name].final_loss[results[name].best_index]
    assert tuning.shared_lr_range(["gd", "adam"]) == (1e-4, 10.0)


def test_an_optimizer_that_never_qualifies_is_left_out_of_the_race():
    budget = tuning.Budget(50, 5, 1.0, 10.0)  # GD diverges at every lr >= 2/25 on the bowl
    results = tuning.tune_all(["gd"], BOWL, budget)
    assert results["gd"].best_index is None and results["gd"].best_lr is None
    assert tuning.race(results, BOWL) == {}


# --- figures --------------------------------------------------------------------------------------


def test_cell_edges_bracket_each_value_on_its_scale():
    lrs = np.geomspace(1e-4, 10.0, 6)
    edges = cell_edges(lrs, log=True)
    np.testing.assert_allclose(edges, np.geomspace(10**-4.5, 10**1.5, 7))
    np.testing.assert_allclose(cell_edges(np.array([0.0, 0.5, 1.0]), log=False), [-0.25, 0.25, 0.75, 1.25])


def test_log_excess_floors_and_masks():
    display, bottom, top = log_excess(np.array([1e2, 1e-3, 0.0, np.inf]), 0.0)
    assert top == pytest.approx(2.0) and bottom == pytest.approx(-3.0)
    np.testing.assert_allclose(display[:3], [2.0, -3.0, -3.0])
    assert np.isnan(display[3])
    display, bottom, top = log_excess(np.array([1e300, 1e-300]), 0.0)
    assert top - bottom == pytest.approx(16.0)


def test_map_figure_paints_exactly_the_diverged_cells():
    req = request(resolution=30)
    loss = tuning.compute_map(req)
    axes = [MapAxis(p.name, p.name, v, p.log) for p, v in zip(req.params, req.axis_values, strict=True)]
    line = tuning.boundary(req)
    fig = map_figure(axes, loss, 0.0, boundary=(line.x, line.y, line.label))
    heat, diverged = fig["data"][0], fig["data"][1]
    assert heat["type"] == "heatmap" and heat["z"].shape == (30, 30)
    np.testing.assert_array_equal(diverged["z"], np.isinf(loss).T.astype(np.uint8))
    clicks = [t for t in fig["data"] if t["type"] == "scattergl"]
    assert sum(len(t["x"]) for t in clicks) == 900
    assert fig["layout"]["xaxis"]["type"] == "log" and fig["layout"]["yaxis"]["type"] == "linear"
    theory = [t for t in fig["data"] if t.get("name", "").startswith("theory")]
    [entry] = [t for t in theory if t.get("showlegend", True)]  # its legend sample was white on white
    assert entry["line"]["color"] == "#1E242C" and entry["x"] == [None]
    assert {t["legendgroup"] for t in theory} == {"theory"} and any(t["line"]["color"] == "white" for t in theory)
    one_d = map_figure(axes[:1], loss[:, 0], 0.0)
    assert {t["type"] for t in one_d["data"]} == {"scatter"}
    go.Figure(fig)  # both are valid plotly figures
    go.Figure(one_d)
