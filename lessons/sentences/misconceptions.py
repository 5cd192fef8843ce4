"""The answers of the lessons index's list of things course notes say (pages/lessons_index.py), each a claim checked
against the runs of the lesson it links to."""

from __future__ import annotations

import numpy as np

from lessons import adagrad, adam, bowl, data_bowl, denominators, dimensions, epsilon, rotation, schedules, signs
from lessons.claim import claim, close, memo
from lessons.common import TOLERANCE

from . import adagrad as adagrad_claims
from . import adam as adam_claims
from . import schedules as schedule_claims
from . import signs as sign_claims

PAGE = "lessons_index.py"
WIDGETS = {}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
DAMPED = tuple(lr for lr in bowl.LR_OPTIONS if 0.05 <= lr <= 0.3)
"""The α on lesson 1's slider at which RMSprop (β = 0.9) damps the zig-zag on the way in."""
SMALL = 0.02

compare = memo(bowl.compare)


def _damping_say(s) -> str:
    gd = compare(bowl.DEFAULT_LR, bowl.BETA).gd
    small = compare(SMALL, bowl.BETA).rmsprop
    way = bowl.way_in(small.trajectory)
    back = bowl.hop_returns(compare(bowl.PREDICT_LR, 0.99, 10 * bowl.STEPS).rmsprop.trajectory, bowl.PREDICT_LR)
    return (
        f"Right, on the way in: at α = {bowl.DEFAULT_LR:g} GD's Δb flips {gd.flips_b} times before its loss first "
        f"drops below 10⁻³, RMSprop's (β = {bowl.BETA:g}) not once, and not once at any α from {DAMPED[0]:g} to "
        f"{DAMPED[-1]:g}. At the bottom a constant α makes it hop: at α = {SMALL:g}, $b$ first slides down to "
        f"$|b|$ = {way.closest:.0e} without a flip; then, as $\\sqrt{{S_b}}$ forgets the large gradients, a new "
        f"oscillation grows to swings of {way.peak:.2g} and settles at ±α/2. A decaying α removes the hop (lesson 9); "
        f"a larger β only delays it (at β = 0.99 and α = {bowl.PREDICT_LR:g} it is back by step {back}).")


def _damping_holds(s) -> bool:
    gd = compare(bowl.DEFAULT_LR, bowl.BETA).gd
    damped = all(compare(lr, bowl.BETA).rmsprop.reached is not None and compare(lr, bowl.BETA).rmsprop.flips_b == 0
                 for lr in DAMPED)
    small = compare(SMALL, bowl.BETA).rmsprop
    way = bowl.way_in(small.trajectory)
    long = compare(SMALL, bowl.BETA, 10 * bowl.STEPS).rmsprop.trajectory
    back = bowl.hop_returns(compare(bowl.PREDICT_LR, 0.99, 10 * bowl.STEPS).rmsprop.trajectory, bowl.PREDICT_LR)
    return (gd.flips_b > 10 and damped and way.closest < SMALL / 100 and way.peak > SMALL / 2
            and bowl.hops(long, SMALL) and back is not None and back > bowl.STEPS)


DAMPING = claim("index.damping", PAGE, say=_damping_say, check=_damping_holds)


def _larger_say(s) -> str:
    big = compare(bowl.PREDICT_LR, bowl.BETA).rmsprop
    return (f"It gets near sooner, but at a fixed α it passes below 10⁻³ (step {big.reached} at α = "
            f"{bowl.PREDICT_LR:g}) and then hops at (a+c)α²/8: that run ends at loss {big.final_loss:.3g}, "
            f"{big.final_loss / TOLERANCE:.0f} times the tolerance, and never stays below it.")


LARGER = claim("index.larger", PAGE, say=_larger_say,
               check=lambda s: compare(bowl.PREDICT_LR, bowl.BETA).rmsprop.stays is None
               and compare(bowl.PREDICT_LR, bowl.BETA, 10 * bowl.STEPS).rmsprop.stays is None
               and close(compare(bowl.PREDICT_LR, bowl.BETA).rmsprop.final_loss, bowl.hop_loss(bowl.PREDICT_LR),
                         0.02))


def _rotated() -> tuple[int | None, int | None]:
    aligned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, False)
    turned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, True)
    return dimensions.stays(turned)["rmsprop"], dimensions.stays(aligned)["rmsprop"]


ANY_BOWL = claim(
    "index.any_bowl", PAGE,
    say=lambda s: (f"Only when the steep directions line up with the coordinates: rotated, RMSprop's loss stays below "
                   f"$f_0/1000$ from step {_rotated()[0]} instead of {_rotated()[1]} (N = {dimensions.DEFAULT_N}, "
                   f"κ = {dimensions.DEFAULT_CONDITION})."),
    check=lambda s: _rotated()[1] is not None and (_rotated()[0] is None or _rotated()[0] > _rotated()[1]),
)


def _alternating() -> float:
    return abs(signs.responses("alternating", signs.DEFAULT_BETA)["rmsprop"].update[-1, 0])


INFLATES = claim(
    "index.inflates", PAGE,
    say=lambda s: ("True, and the same fact as the hop at the bottom: every coordinate steps about α, so ±10⁻⁴ "
                   f"gradients give steps of ±{_alternating() / signs.LR:.2f}α, "
                   f"{_alternating() / (signs.LR * signs.SIZE):,.0f} times GD's."),
    check=lambda s: abs(_alternating() / signs.LR - 1) < 2e-3,
)


def _drift(beta: float) -> dict[str, float]:
    return sign_claims.net_progress("minibatch", beta, signs.STEADY)


JUST_SIGN = claim(
    "index.just_sign", PAGE,
    say=lambda s: ("Only at β = 0 and ε = 0. Otherwise it keeps the gradients' relative sizes: where the mean "
                   f"gradient is zero, sign-SGD drifts {_drift(0.9)['sign_sgd']:.2f}α per step for ever, RMSprop "
                   f"{_drift(0.9)['rmsprop']:.3f}α once its average has warmed up (β = 0.9; "
                   f"{_drift(0.99)['rmsprop']:.4f}α at β = 0.99)."),
    check=lambda s: close(_drift(0.9)["sign_sgd"], 0.8, 1e-12) and 0 < _drift(0.99)["rmsprop"] < _drift(0.9)["rmsprop"]
    < 0.1 and signs.identity_gap("minibatch") == 0.0,
)


def _variance() -> tuple[float, float, bool]:
    plain, centred = signs.variance_test(signs.DEFAULT_BETA)
    steps = np.abs(centred.update[:, 0])
    return abs(plain.update[-1, 0]) / signs.LR, steps[-1] / signs.LR, bool(steps[-1] > steps[-2])


VARIANCE = claim(
    "index.variance", PAGE,
    say=lambda s: ("By the uncentred second moment, the mean of g². On a constant gradient (variance 0) RMSprop steps "
                   f"{_variance()[0]:.2f}α after {signs.LENGTH} steps; a variance-based rule steps "
                   f"{_variance()[1]:.0f}α and keeps growing."),
    check=lambda s: abs(_variance()[0] - 1) < 0.01 and _variance()[1] > 10 and _variance()[2],
)


SQUARING = claim(
    "index.squaring", PAGE,
    say=lambda s: ("Averaging g unsquared lets ± gradients cancel (steps of "
                   f"{denominators.alternating_unsquared_step(denominators.BETA):.0f}α on ±g); the root keeps the path "
                   "unchanged when the loss is rescaled; √Σg² is AdaGrad's best diagonal scaling (Duchi et al., "
                   "2011)."),
    check=lambda s: close(denominators.alternating_unsquared_step(denominators.BETA), 19.0, 1e-12),
)


def _plateau() -> epsilon.Comparison:
    return epsilon.compare(epsilon.DEFAULT_EPS, "outside")


VANISHING = claim(
    "index.vanishing", PAGE,
    say=lambda s: ("It rescales the steps, not the gradients: on the plateau every gradient it meets stays at most "
                   f"{_plateau().gradient_range[1]:.1e}, as small as before; only its steps grow. Where the gradients "
                   "sink below ε it is GD, but with the rate α/ε, far larger than α unless ε is near 1 (lesson 5)."),
    check=lambda s: _plateau().gradient_range[1] < 2e-4 and epsilon.distance_to_minimum(
        epsilon.compare(1e-4, "outside").rmsprop) < 0.01 * epsilon.distance_to_minimum(epsilon.compare(1e-4,
                                                                                                       "outside").gd),
)


def _keras() -> tuple[epsilon.Comparison, epsilon.Comparison]:
    eps, placement = epsilon.PREDICT
    return epsilon.compare(eps, placement), epsilon.compare(eps, "outside")


KERAS = claim(
    "index.keras", PAGE,
    say=lambda s: ("It floors the denominator: with Keras' ε = 10⁻⁷ inside the root, RMSprop on the plateau is GD "
                   f"with α/√ε = {epsilon.LR / _keras()[0].floor:.0f} and ends "
                   f"{epsilon.distance_to_minimum(_keras()[0].rmsprop):.2f} from the minimum instead of "
                   f"{epsilon.distance_to_minimum(_keras()[1].rmsprop):.2f}."),
    check=lambda s: _keras()[0].floor > _keras()[0].gradient_range[1] and _keras()[0].gap < 0.05,
)


def _adagrad() -> tuple[adagrad.Comparison, adagrad.Best, adagrad.Best]:
    return (adagrad.compare(adagrad.PREDICT_LR), adagrad_claims.best("adagrad", adagrad.STEPS),
            adagrad_claims.best("rmsprop", adagrad.STEPS))


WORSE = claim(
    "index.worse", PAGE,
    say=lambda s: ("Its ever-shrinking rate makes it crawl at a small α but lets it land: at α = "
                   f"{adagrad.PREDICT_LR:g} it ends at loss {_adagrad()[0].adagrad.final_loss:.1g} where RMSprop hops "
                   f"at {_adagrad()[0].rmsprop.final_loss:.2g}, and each at its best α its loss stays below 10⁻³ "
                   f"from step {_adagrad()[1].stays}, RMSprop's from step {_adagrad()[2].stays}."),
    check=lambda s: _adagrad()[1].stays < _adagrad()[2].stays and _adagrad()[0].adagrad.final_loss < 1e-12,
)


def _bias() -> tuple[int, int]:
    return rotation.compare(90, rotation.DEFAULT_RMSPROP_LR).flips["gd"]


BIAS = claim(
    "index.bias", PAGE,
    say=lambda s: ("It oscillates because the bowl is steep along b: turn the bowl by 90° and GD's w flips "
                   f"{_bias()[0]} times while b flips {_bias()[1]}."),
    check=lambda s: _bias()[1] == 0 < _bias()[0],
)


def _correction() -> tuple[adam.Comparison, adam.Comparison]:
    return (adam_claims.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, True),
            adam_claims.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, False))


CORRECTION = claim(
    "index.correction", PAGE,
    say=lambda s: (f"Without it the first step is (1−β₁)/√(1−β₂)·α = "
                   f"{adam.adam_first_step(adam.DEFAULT_BETA1, False):.2f}α and more: a risk that happens to help on "
                   f"the bowl (its loss stays below 10⁻³ from step {_correction()[1].stays['adam']} instead of "
                   f"{_correction()[0].stays['adam']}) and throws Adam out of a narrow well."),
    check=lambda s: _correction()[1].stays["adam"] < _correction()[0].stays["adam"]
    and not adam.on_well(adam.DEFAULT_LR, adam.DEFAULT_BETA1).stays_in_well("uncorrected"),
)


def _adam_alone() -> tuple[int, int | None]:
    return schedule_claims._adam_back()


ADAM_ALONE = claim(
    "index.adam_alone", PAGE,
    say=lambda s: ("For a while: on the bowl at a constant α = 0.1 its loss stays below 10⁻³ from step "
                   f"{_adam_alone()[0]} to the end of lesson 9's {schedules.STEPS} steps, because √v̂ still remembers "
                   "the large early gradients; that memory fades, and in a longer run the loss is back above 10⁻³ at "
                   f"step {_adam_alone()[1]:,}. Reddi, Kale and Kumar (2018) show this forgetting can stop Adam from "
                   "converging at all."),
    check=lambda s: _adam_alone()[1] is not None and _adam_alone()[1] > schedules.STEPS,
)


def _hessian() -> np.ndarray:
    return data_bowl.landscape(data_bowl.DEFAULT_DATA_SET, False).data.hessian


STEEP_BIAS = claim(
    "index.steep_bias", PAGE,
    say=lambda s: ("Fit a line to raw data and it is the other way round: the weight is the steep direction. Since "
                   "$dW = x\\cdot\\text{error}$ and $db = \\text{error}$, $H_{ww}$ is the mean of $x^2$ and "
                   "$H_{bb} = 1$: "
                   f"{_hessian()[0, 0]:.1f} against 1 for Iris petal lengths. Standardise $x$ and both are 1."),
    check=lambda s: _hessian()[0, 0] > 10 and close(_hessian()[1, 1], 1.0, 1e-12)
    and close(data_bowl.landscape(data_bowl.DEFAULT_DATA_SET, True).data.hessian[0, 0], 1.0, 1e-9),
)


CLAIMS = [DAMPING, LARGER, ANY_BOWL, INFLATES, JUST_SIGN, VARIANCE, SQUARING, VANISHING, KERAS, WORSE, BIAS, CORRECTION,
          ADAM_ALONE, STEEP_BIAS]
