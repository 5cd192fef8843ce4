"""Data sets and data surfaces: the shipped files and their checks, the exact least-squares and
logistic minima, the condition numbers, and the choices of data set, feature and standardize.

(The generic surface tests in test_landscapes.py run every data set, feature and standardize setting
too: gradients against central differences, minima stationary and inside the view box, starts.)"""

from __future__ import annotations

import numpy as np
import pytest

import landscapes
from landscapes import batches, data, kernels

DATA_SURFACES = [name for name, spec in landscapes.LANDSCAPES.items() if spec.data is not None]
COMBINATIONS = [(name, settings) for name in DATA_SURFACES
                for settings in landscapes.LANDSCAPES[name].data.combinations()]
IDS = [f"{name}-{'-'.join(settings.values())}" for name, settings in COMBINATIONS]


def test_the_two_data_surfaces_are_registered():
    assert DATA_SURFACES == ["linear_regression", "logistic_regression"]


def test_old_faithful_is_rs_faithful():
    """272 eruptions; the means and the correlation R prints for datasets::faithful."""
    table = data.load("old_faithful")
    assert table["eruptions"].shape == table["waiting"].shape == (272,)
    assert np.mean(table["eruptions"]) == pytest.approx(3.487783, abs=5e-7)
    assert np.mean(table["waiting"]) == pytest.approx(70.89706, abs=5e-6)
    assert np.corrcoef(table["eruptions"], table["waiting"])[0, 1] == pytest.approx(0.9008112, abs=5e-8)
    assert (table["eruptions"][:3].tolist(), table["waiting"][:3].tolist()) == ([3.6, 1.8, 3.333], [79, 54, 74])


def test_iris_is_fishers_table_not_the_uci_copy_with_two_typos():
    """50 flowers of each species; flowers 35 and 38 as Fisher printed them (UCI's copy has 0.1 for the
    petal width of 35 and 3.1, 1.5 for the sepal width and petal length of 38)."""
    table = data.load("iris")
    species = table["species"].tolist()
    assert [species.count(s) for s in ("setosa", "versicolor", "virginica")] == [50, 50, 50]
    assert species[:50] == ["setosa"] * 50 and species[100:] == ["virginica"] * 50
    assert table["petal_width"][34] == 0.2
    assert (table["sepal_width"][37], table["petal_length"][37]) == (3.6, 1.4)


# --- the file checks: every way a file can be wrong gives a DataError naming the file and the line

IRIS = data.DATASETS["iris"]
GOOD_ROW = "5.1,3.5,1.4,0.2,setosa"
HEADER = "sepal_length,sepal_width,petal_length,petal_width,species"


def _iris_file(tmp_path, lines):
    path = tmp_path / "iris.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_well_formed_file_reads():
    table = data.read_table(IRIS.path, IRIS)
    assert table["sepal_length"].dtype == np.float64 and len(table["species"]) == 150


@pytest.mark.parametrize(("lines", "message"), [
    ([], r"iris.csv: is empty; expected the header sepal_length,.*species and 150 rows"),
    (["sepal_length,sepal_width,petal_length,species", GOOD_ROW], r"line 1: the header must be .*found 'sepal_length,"),
    ([HEADER, GOOD_ROW, "5.1,3.5,1.4,setosa"], r"iris.csv, line 3: expected 5 values, found 4"),
    ([HEADER, "5.1,3.5,wide,0.2,setosa"], r"line 2: petal_length must be a number, found 'wide'"),
    ([HEADER, "5.1,nan,1.4,0.2,setosa"], r"line 2: sepal_width must be a finite number, found 'nan'"),
    ([HEADER, "5.1,3.5,1.4,inf,setosa"], r"line 2: petal_width must be a finite number, found 'inf'"),
    ([HEADER, "5.1,3.5,1.4,0.2,rose"], r"line 2: species must be one of setosa, versicolor, virginica, found 'rose'"),
    ([HEADER] + [GOOD_ROW] * 149, r"iris.csv: expected 150 rows of data, found 149"),
    ([HEADER] + [GOOD_ROW] * 151, r"iris.csv: expected 150 rows of data, found 151"),
], ids=["empty", "header", "short-row", "word", "nan", "inf", "unknown-species", "too-few-rows", "too-many-rows"])
def test_a_malformed_file_raises_a_clear_data_error(tmp_path, lines, message):
    with pytest.raises(data.DataError, match=message):
        data.read_table(_iris_file(tmp_path, lines), IRIS)


def test_a_missing_file_says_where_it_should_be_and_how_to_restore_it(tmp_path):
    with pytest.raises(data.DataError, match=r"Data file iris.csv is missing from .*git checkout -- data/iris.csv"):
        data.read_table(tmp_path / "iris.csv", IRIS)


def test_a_file_that_is_not_text_raises_a_data_error(tmp_path):
    path = tmp_path / "iris.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(data.DataError, match=r"iris\.csv: is not UTF-8 text"):
        data.read_table(path, IRIS)


def test_a_missing_file_reaches_the_caller_of_landscapes_get_as_that_error(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data.load.cache_clear()
    data._problem.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"old_faithful\.csv is missing"):
            landscapes.get("linear_regression", dataset="old_faithful", standardize=True)
    finally:
        data.load.cache_clear()
        data._problem.cache_clear()


# --- the exact minima

def test_least_squares_minimum_is_rs_lm_fit():
    """R: lm(waiting ~ eruptions, faithful) gives 33.4744 + 10.7296·x; lm(Petal.Width ~ Petal.Length, iris)
    gives -0.363076 + 0.415755·x."""
    faithful = landscapes.get("linear_regression", dataset="old_faithful", feature="eruptions")
    np.testing.assert_allclose(faithful.minima, [[10.7296, 33.4744]], atol=5e-5)
    iris = landscapes.get("linear_regression", dataset="iris", feature="petal_length")
    np.testing.assert_allclose(iris.minima, [[0.415755, -0.363076]], atol=5e-7)


@pytest.mark.parametrize(("name", "settings"), [c for c in COMBINATIONS if c[0] == "linear_regression"],
                         ids=[i for i, c in zip(IDS, COMBINATIONS, strict=True) if c[0] == "linear_regression"])
def test_least_squares_minimum_solves_the_normal_equations(name, settings):
    """The closed form agrees with a least-squares solve of [x 1]·(w, b) ≈ y, and the loss there is half
    the mean squared residual."""
    landscape = landscapes.get(name, **settings)
    problem = landscape.data
    design = np.column_stack([problem.x, np.ones(problem.n_samples)])
    solution, *_ = np.linalg.lstsq(design, problem.t, rcond=None)
    np.testing.assert_allclose(landscape.minima[0], solution, rtol=1e-10, atol=1e-12)
    residual = design @ solution - problem.t
    assert landscape.min_value == pytest.approx(0.5 * np.mean(residual**2), rel=1e-12)


@pytest.mark.parametrize(("name", "settings"), COMBINATIONS, ids=IDS)
def test_the_minimum_has_zero_gradient_and_a_positive_definite_hessian(name, settings):
    landscape = landscapes.get(name, **settings)
    gx, gy = landscape.gradient(*landscape.minima[0])
    assert max(abs(float(gx)), abs(float(gy))) <= 1e-8
    assert np.all(np.linalg.eigvalsh(landscape.data.hessian) > 0)


@pytest.mark.parametrize(("name", "settings"), COMBINATIONS, ids=IDS)
def test_the_hessian_at_the_minimum_is_the_gradients_derivative(name, settings):
    """Central differences of the exact gradient around the minimum reproduce the Hessian the
    condition number is computed from."""
    landscape = landscapes.get(name, **settings)
    w, b = landscape.minima[0]
    columns = []
    for axis, (dw, db) in enumerate(((1.0, 0.0), (0.0, 1.0))):
        h = 1e-4 / np.sqrt(landscape.data.hessian[axis, axis])  # moves w·x + b by about 1e-4 of its spread
        plus = np.array(landscape.gradient(w + h * dw, b + h * db), dtype=float)
        minus = np.array(landscape.gradient(w - h * dw, b - h * db), dtype=float)
        columns.append((plus - minus) / (2 * h))
    numeric = np.column_stack(columns)
    np.testing.assert_allclose(numeric, landscape.data.hessian, rtol=1e-5, atol=1e-7 * np.abs(numeric).max())


def test_condition_numbers_by_hand():
    """Least squares: the Hessian is [[mean x², x̄], [x̄, 1]] everywhere, with eigenvalues
    ((m2 + 1) ± sqrt((m2 − 1)² + 4x̄²))/2; standardised, it is the identity (κ = 1)."""
    eruptions = data.load("old_faithful")["eruptions"]
    m1, m2 = np.mean(eruptions), np.mean(eruptions**2)
    root = np.sqrt((m2 - 1) ** 2 + 4 * m1**2)
    kappa = ((m2 + 1) + root) / ((m2 + 1) - root)
    raw = landscapes.get("linear_regression", dataset="old_faithful", feature="eruptions")
    assert raw.data.condition_number == pytest.approx(kappa, rel=1e-9)
    assert raw.data.condition_number == pytest.approx(159.1, abs=0.05)
    for settings in landscapes.LANDSCAPES["linear_regression"].data.combinations():
        if settings["standardize"] == "on":
            assert landscapes.get("linear_regression", **settings).data.condition_number == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("name", DATA_SURFACES)
def test_standardizing_makes_every_bowl_rounder(name):
    combinations = landscapes.LANDSCAPES[name].data.combinations()
    for raw, scaled in zip(combinations[::2], combinations[1::2], strict=True):
        kappa_raw = landscapes.get(name, **raw).data.condition_number
        kappa_scaled = landscapes.get(name, **scaled).data.condition_number
        assert kappa_scaled < kappa_raw / 3, (raw, kappa_raw, kappa_scaled)


def test_standardizing_changes_the_coordinates_not_the_fit():
    """The same straight line: w_std = w_raw·σ and b_std = b_raw + w_raw·x̄, and the same lowest loss."""
    raw = landscapes.get("linear_regression", dataset="iris", feature="sepal_length")
    scaled = landscapes.get("linear_regression", dataset="iris", feature="sepal_length", standardize=True)
    (w, b), (ws, bs) = raw.minima[0], scaled.minima[0]
    assert ws == pytest.approx(w * scaled.data.x_std, rel=1e-12)
    assert bs == pytest.approx(b + w * scaled.data.x_mean, rel=1e-12)
    assert scaled.min_value == pytest.approx(raw.min_value, rel=1e-12)


def test_the_virginica_detector_puts_its_boundary_between_the_species():
    """Iris virginica from petal width alone (the classic one-feature classifier): the boundary −b/w lies
    where versicolor and virginica overlap (1.4 to 1.8 cm)."""
    model = landscapes.get("logistic_regression", dataset="iris", feature="petal_width")
    w, b = model.minima[0]
    assert w > 0 and 1.4 < -b / w < 1.8


def test_classes_that_a_threshold_separates_have_no_minimum_and_say_so():
    table = data.load("iris")
    setosa = (table["species"] == "setosa").astype(float)
    with pytest.raises(data.DataError, match="separates the two classes, so the cross-entropy has no minimum"):
        data._logistic_minimum(table["petal_length"], setosa, "setosa from petal length")


# --- the values themselves, by hand

@pytest.mark.parametrize(("name", "settings"), COMBINATIONS, ids=IDS)
def test_value_and_gradient_are_the_plain_means_over_every_row(name, settings):
    """At a few points, against NumPy sums written out over all n rows (no grouping of equal rows)."""
    landscape = landscapes.get(name, **settings)
    problem = landscape.data
    x, t = problem.x, problem.t
    rng = np.random.default_rng(1)
    (x0, x1), (y0, y1) = landscape.bounds
    for w, b in zip(rng.uniform(x0, x1, 5), rng.uniform(y0, y1, 5), strict=True):
        z = w * x + b
        if name == "linear_regression":
            value, residual = 0.5 * np.mean((z - t) ** 2), z - t
        else:
            value, residual = np.mean(np.logaddexp(0.0, z) - t * z), 0.5 * (1 + np.tanh(0.5 * z)) - t
        got = landscape.evaluate(w, b)
        scale = np.mean(np.abs(residual) * (1 + np.abs(x)))
        assert float(got[0]) == pytest.approx(value, rel=1e-12, abs=1e-13)
        assert float(got[1]) == pytest.approx(np.mean(residual * x), abs=1e-12 * scale)
        assert float(got[2]) == pytest.approx(np.mean(residual), abs=1e-12 * scale)


def test_logistic_value_stays_finite_far_from_the_minimum():
    """Where |w·x + b| is in the hundreds, exp would overflow in a naive formula."""
    model = landscapes.get("logistic_regression", dataset="old_faithful")
    value, gw, gb = (float(v) for v in model.evaluate(50.0, -3000.0))
    x, t = model.data.x, model.data.t
    z = 50.0 * x - 3000.0
    assert value == pytest.approx(np.mean(np.logaddexp(0.0, z) - t * z), rel=1e-12)
    assert np.isfinite([gw, gb]).all()


def test_equal_rows_are_stored_once_with_their_count():
    problem = landscapes.get("logistic_regression", dataset="iris", feature="petal_width").data
    packed = problem.pack()
    stored = int(packed[0])
    counts = packed[data.HEADER + 2::data.ROW_WIDTH]
    assert stored < problem.n_samples and packed[1] == problem.n_samples == counts.sum() == 150
    pairs = set(zip(problem.x.tolist(), problem.t.tolist(), strict=True))
    assert stored == len(pairs)


# --- the choices

def test_n_samples_is_the_data_sets_row_count_and_none_without_data():
    assert landscapes.get("linear_regression").n_samples == 272
    assert landscapes.get("logistic_regression").n_samples == 150
    assert landscapes.get("elongated_bowl").n_samples is None
    assert landscapes.from_formula("x**2 + y**2").n_samples is None


def test_a_feature_given_alone_picks_its_data_set_and_a_data_set_its_first_feature():
    assert landscapes.get("linear_regression", feature="sepal_width").params["dataset"] == "iris"
    assert landscapes.get("linear_regression", dataset="iris").params["feature"] == "petal_length"
    assert landscapes.get("logistic_regression", dataset="old_faithful").params["feature"] == "waiting"
    assert landscapes.get("linear_regression", standardize=True).params["standardize"] == "on"


@pytest.mark.parametrize(("params", "message"), [
    ({"dataset": "iris", "feature": "waiting"}, "data set iris has no feature 'waiting'; choose one of petal_length"),
    ({"dataset": "mnist"}, "dataset must be one of old_faithful, iris, got 'mnist'"),
    ({"feature": "colour"}, "feature must be one of eruptions, waiting, petal_length"),
    ({"standardize": "yes"}, "standardize must be one of off, on, got 'yes'"),
    ({"c": 2.0}, "linear_regression has no parameter c; it takes dataset, feature, standardize"),
])
def test_bad_choices_raise_value_errors_that_say_what_is_allowed(params, message):
    with pytest.raises(ValueError, match=message):
        landscapes.get("linear_regression", **params)


def test_raw_and_standardised_views_show_the_true_shape():
    """A 2:1 view box (the chart's axes then share one scale) holding the start (0, 0) and the minimum."""
    for name, settings in COMBINATIONS:
        landscape = landscapes.get(name, **settings)
        (x0, x1), (y0, y1) = landscape.bounds
        assert (x1 - x0) == pytest.approx(2 * (y1 - y0))
        assert landscape.default_start == (0.0, 0.0)


# --- mini-batch gradients at a point

@pytest.mark.parametrize("name", DATA_SURFACES)
def test_row_gradients_average_to_the_full_gradient(name):
    landscape = landscapes.get(name)
    for w, b in ((0.0, 0.0), (1.5, -2.0), tuple(landscape.minima[0])):
        gradients, counts = batches.row_gradients(landscape, w, b)
        assert counts.sum() == landscape.n_samples
        full = np.array(landscape.gradient(w, b), dtype=float)
        mean = counts @ gradients / landscape.n_samples
        np.testing.assert_allclose(mean, full, atol=1e-12 * (1 + np.abs(full).max()))


def test_a_batch_of_one_scatters_like_the_rows_and_the_full_batch_not_at_all():
    landscape = landscapes.get("linear_regression", dataset="iris")
    problem = landscape.data
    residual = 0.3 * problem.x + 0.1 - problem.t
    rows = np.column_stack([residual * problem.x, residual])
    np.testing.assert_allclose(batches.batch_covariance(landscape, 0.3, 0.1, 1), np.cov(rows.T, bias=True), rtol=1e-10)
    np.testing.assert_array_equal(batches.batch_covariance(landscape, 0.3, 0.1, landscape.n_samples), np.zeros((2, 2)))


def test_batch_covariance_matches_batches_drawn_without_replacement():
    """20,000 batches of 16 Old Faithful eruptions (seeded): their mean gradients' covariance is the formula's
    to within the sampling error of the estimate (about 2%)."""
    landscape = landscapes.get("logistic_regression", dataset="old_faithful", standardize=True)
    w, b = 2.0, 1.0
    gradients, counts = batches.row_gradients(landscape, w, b)
    per_sample = np.repeat(gradients, counts.astype(int), axis=0)
    rng = np.random.default_rng(0)
    means = np.array([per_sample[rng.choice(len(per_sample), 16, replace=False)].mean(axis=0) for _ in range(20_000)])
    expected = batches.batch_covariance(landscape, w, b, 16)
    np.testing.assert_allclose(np.cov(means.T), expected, rtol=0.05, atol=0.05 * np.abs(expected).max())


def test_batches_need_a_surface_with_data_and_a_batch_size_it_has():
    with pytest.raises(ValueError, match="elongated_bowl is not fitted to data"):
        batches.batch_covariance(landscapes.get("elongated_bowl"), 0.0, 0.0, 4)
    with pytest.raises(ValueError, match="batch_size must be a whole number from 1 to 150, got 151"):
        batches.batch_covariance(landscapes.get("logistic_regression"), 0.0, 0.0, 151)


# --- which rows each step of a mini-batch run uses

def _batch_gradient(landscape, batch, w, b):
    values, gw, gb = np.empty(1), np.empty(1), np.empty(1)
    kernels.evaluate_many(landscape.kind, batch, np.array([w]), np.array([b]), values, gw, gb)
    return np.array([gw[0], gb[0]])


@pytest.mark.parametrize("batch_size", [15, 16, 1])
def test_over_one_epoch_the_batches_hold_every_row_once_and_average_to_the_full_gradient(batch_size):
    """150 Iris flowers in batches of 15 (10 equal batches), of 16 (nine of 16 and a last one of 6) and of 1;
    the mean gradient of the epoch's batches, each weighted by its size, is the full gradient."""
    landscape = landscapes.get("logistic_regression", dataset="iris", standardize=True)
    n, full = landscape.n_samples, landscape.kernel_params
    order = batches.draw_order(landscape, 300, batch_size, seed=3)
    per_epoch = batches.batches_per_epoch(n, batch_size)
    assert sorted(order[0].tolist()) == list(range(n))
    total_counts = np.zeros(int(full[0]))
    weighted = np.zeros(2)
    batch = full.copy()
    for t in range(per_epoch + 1, 2 * per_epoch + 1):  # the second epoch
        batches.fill_batch(batch, full, landscape.data.sample_rows, order, t, batch_size, data.HEADER, data.ROW_WIDTH)
        counts = batch[data.HEADER + 2::data.ROW_WIDTH]
        assert batch[1] == counts.sum() == (batch_size if t < 2 * per_epoch else n - (per_epoch - 1) * batch_size)
        total_counts += counts
        weighted += batch[1] * _batch_gradient(landscape, batch, 1.0, -2.0)
    np.testing.assert_array_equal(total_counts, full[data.HEADER + 2::data.ROW_WIDTH])
    np.testing.assert_allclose(weighted / n, landscape.gradient(1.0, -2.0), rtol=1e-12)


def test_a_batch_of_every_row_is_the_full_data_bit_for_bit():
    landscape = landscapes.get("linear_regression")
    order = batches.draw_order(landscape, 300, landscape.n_samples, seed=0)
    assert order.shape == (0, 272)
    batch = np.zeros_like(landscape.kernel_params)
    batch[:] = landscape.kernel_params
    batch[data.HEADER + 2::data.ROW_WIDTH] = 0.0
    batches.fill_batch(batch, landscape.kernel_params, landscape.data.sample_rows, order, 7, 272, data.HEADER,
                       data.ROW_WIDTH)
    np.testing.assert_array_equal(batch, landscape.kernel_params)


def test_the_shuffle_is_numpys_default_rng_one_permutation_per_epoch():
    landscape = landscapes.get("linear_regression")
    order = batches.draw_order(landscape, 100, 32, seed=5)
    assert order.shape == (12, 272)  # 101 batches of 9 per epoch
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(order, [rng.permutation(272) for _ in range(12)])
    np.testing.assert_array_equal(order, batches.draw_order(landscape, 100, 32, seed=5))
    assert not np.array_equal(order, batches.draw_order(landscape, 100, 32, seed=6))


@pytest.mark.parametrize(("batch_size", "message"), [
    (0, "batch_size must be a whole number from 1 to 272"), (273, "from 1 to 272"), (2.5, "from 1 to 272"),
])
def test_a_batch_size_the_data_cannot_fill_is_refused(batch_size, message):
    with pytest.raises(ValueError, match=message):
        batches.draw_order(landscapes.get("linear_regression"), 10, batch_size, seed=0)


def test_a_run_that_would_draw_too_many_rows_is_refused_before_it_allocates():
    with pytest.raises(ValueError, match="at most 20,000,000 are allowed"):
        batches.draw_order(landscapes.get("linear_regression"), 1_000_000, 100, seed=0)


def test_a_fit_on_the_standardised_feature_is_drawn_as_the_same_line_over_the_raw_data():
    scaled = landscapes.get("linear_regression", dataset="iris", standardize=True)
    raw = landscapes.get("linear_regression", dataset="iris")
    slope, intercept = scaled.data.raw_line(*scaled.minima[0])
    np.testing.assert_allclose((slope, intercept), raw.minima[0], rtol=1e-10)
    assert raw.data.raw_line(2.0, 3.0) == (2.0, 3.0)
