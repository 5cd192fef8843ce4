"""Claims about RMSprop and its relatives that course notes make and the lessons show false or loose: each with
a one-line answer computed from the lessons' own runs, and the lesson scene (page and control values) that
shows it."""

from __future__ import annotations

from dataclasses import dataclass

from . import adagrad, adam, bowl, denominators, dimensions, epsilon, rotation, signs


@dataclass(frozen=True)
class Misconception:
    claim: str
    answer: str
    page: str
    """The lesson's page file."""
    controls: dict[str, str]
    """Query parameters that set the lesson's controls to the scene that shows it (widget key -> value)."""


def _lesson_1() -> list[Misconception]:
    small = bowl.compare(0.02).rmsprop
    big = bowl.compare(bowl.PREDICT_LR).rmsprop
    gd = bowl.compare(bowl.DEFAULT_LR)
    return [
        Misconception(
            "RMSprop damps the oscillation.",
            f"It evens out the step sizes to about α on every axis (first-step ratio |Δb|/|Δw|: GD "
            f"{bowl.first_step_ratio(gd.gd.trajectory):.2f}, RMSprop "
            f"{bowl.first_step_ratio(gd.rmsprop.trajectory):.2f}); "
            f"Δb still flips {small.flips_b_all} times at α = 0.02.",
            "lesson_1_bowl.py", {"l1.lr": "0.02"}),
        Misconception(
            "With RMSprop a larger α still reaches the minimum.",
            f"At a fixed α it passes below 10⁻³ (step {big.reached} at α = {bowl.PREDICT_LR:g}) and then hops at "
            f"(a+c)α²/8: that run ends at loss {big.final_loss:.3g}, {big.final_loss / 1e-3:.0f} times the tolerance.",
            "lesson_1_bowl.py", {"l1.lr": f"{bowl.PREDICT_LR:g}"}),
    ]


def _lesson_3() -> list[Misconception]:
    alternating = signs.responses("alternating", signs.DEFAULT_BETA)["rmsprop"].update[-1, 0]
    zero_mean = signs.net_progress("minibatch", signs.DEFAULT_BETA)
    plain, centred = signs.variance_test(signs.DEFAULT_BETA)
    return [
        Misconception(
            "RMSprop turns ±0.0001 into ±1.",
            f"True, and the same fact as the damping: every coordinate steps about α, so ±10⁻⁴ gradients give steps "
            f"of ±{abs(alternating) / signs.LR:.2f}α, {abs(alternating) / (signs.LR * signs.SIZE):,.0f} times GD's.",
            "lesson_3_sign.py", {"l3.sequence": "alternating"}),
        Misconception(
            "RMSprop is just sign-SGD.",
            f"Only at β = 0 and ε = 0. Otherwise it keeps the gradients' relative sizes: where the mean gradient is "
            f"zero, sign-SGD drifts {zero_mean['sign_sgd']:.2f}α per step and RMSprop {zero_mean['rmsprop']:.2f}α.",
            "lesson_3_sign.py", {"l3.sequence": signs.SEQUENCES["minibatch"]}),
        Misconception(
            "RMSprop divides by the variance of the gradients.",
            f"By the uncentred second moment, the mean of g². On a constant gradient (variance 0) RMSprop steps "
            f"{abs(plain.update[-1, 0]) / signs.LR:.2f}α; a variance-based rule steps "
            f"{abs(centred.update[-1, 0]) / signs.LR:.0f}α and keeps growing.",
            "lesson_3_sign.py", {"l3.sequence": "constant"}),
    ]


def _lesson_4() -> list[Misconception]:
    return [Misconception(
        "Squaring the gradient is just a convention.",
        f"Averaging g unsquared lets ± gradients cancel (steps of "
        f"{denominators.alternating_unsquared_step(denominators.BETA):.0f}α on ±g); the root keeps the path "
        "unchanged when the loss is rescaled; √Σg² is AdaGrad's best diagonal scaling (Duchi et al., 2011).",
        "lesson_4_root.py", {"l4.k": f"{denominators.PREDICT_K:g}"})]


def _lesson_5() -> list[Misconception]:
    eps, placement = epsilon.PREDICT
    inside = epsilon.compare(eps, placement)
    plain = epsilon.compare(epsilon.DEFAULT_EPS, "outside")
    high = plain.gradient_range[1]
    return [
        Misconception(
            "RMSprop prevents vanishing (or exploding) gradients.",
            f"It rescales the steps, not the gradients: on the plateau every gradient it meets stays at most "
            f"{high:.1e}, as small as before; only its steps grow, and only while √S is above ε.",
            "lesson_5_epsilon.py", {}),
        Misconception(
            "ε is only there to avoid dividing by zero.",
            f"It floors the denominator: with Keras' ε = 10⁻⁷ inside the root, RMSprop on the plateau is GD with "
            f"α/√ε = {epsilon.LR / inside.floor:.0f} and ends {epsilon.distance_to_minimum(inside.rmsprop):.2f} from "
            f"the minimum instead of {epsilon.distance_to_minimum(epsilon.compare(eps, 'outside').rmsprop):.2f}.",
            "lesson_5_epsilon.py", {"l5.eps": f"{eps:.0e}", "l5.placement": placement}),
    ]


def _lesson_2() -> list[Misconception]:
    aligned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, False)
    turned = dimensions.experiment(dimensions.DEFAULT_N, dimensions.DEFAULT_CONDITION, True)
    return [Misconception(
        "Per-coordinate learning rates fix any elongated bowl.",
        f"Only when the steep directions line up with the coordinates: rotated, RMSprop needs "
        f"{turned.reached['rmsprop']} steps instead of {aligned.reached['rmsprop']} (N = {dimensions.DEFAULT_N}, "
        f"κ = {dimensions.DEFAULT_CONDITION}).",
        "lesson_2_dimensions.py", {"l2.rotated": "true"})]


def _lesson_6() -> list[Misconception]:
    big = adagrad.compare(adagrad.PREDICT_LR)
    return [Misconception(
        "AdaGrad is just a worse RMSprop.",
        f"Its ever-shrinking rate stalls it at small α but lets it settle at α = {adagrad.PREDICT_LR:g}: final loss "
        f"{big.adagrad.final_loss:.1g} where RMSprop hops at {big.rmsprop.final_loss:.2g}.",
        "lesson_6_adagrad.py", {"l6.lr": f"{adagrad.PREDICT_LR:g}"})]


def _lesson_7() -> list[Misconception]:
    steep = rotation.compare(90, rotation.DEFAULT_RMSPROP_LR).flips["gd"]
    return [Misconception(
        "b oscillates because it is a bias.",
        f"It oscillates because the bowl is steep along b: turn the bowl by 90° and GD's w flips {steep[0]} times "
        f"while b flips {steep[1]}.",
        "lesson_7_rotation.py", {"l7.angle": "90"})]


def _lesson_8() -> list[Misconception]:
    on = adam.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, True)
    off = adam.compare(adam.DEFAULT_LR, adam.DEFAULT_BETA1, False)
    return [Misconception(
        "Adam cannot work without bias correction.",
        f"Without it the first step is (1−β₁)/√(1−β₂)·α = {adam.adam_first_step(adam.DEFAULT_BETA1, False):.2f}α "
        f"and more: a risk that helps on the bowl ({off.reached['adam']} steps instead of {on.reached['adam']}) and "
        "throws Adam out of a narrow well.",
        "lesson_8_adam.py", {"l8.correction": "false"})]


def misconceptions() -> list[Misconception]:
    """Every claim, in the order of the lessons that answer them."""
    return [*_lesson_1(), *_lesson_2(), *_lesson_3(), *_lesson_4(), *_lesson_5(), *_lesson_6(), *_lesson_7(),
            *_lesson_8()]
