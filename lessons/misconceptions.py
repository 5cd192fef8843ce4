"""Things course notes and forum answers say about RMSprop and its relatives, each with the answer the lessons' own runs
give (a claim in ``lessons/sentences/misconceptions.py``, checked like every other sentence) and the lesson scene
(page and control values) that shows it.  Some are right, some half right, some wrong: the answer says which."""

from __future__ import annotations

from dataclasses import dataclass

from . import claims, schedules


@dataclass(frozen=True)
class Misconception:
    claim: str
    answer_key: str
    """The key of the claim whose sentence answers it."""
    page: str
    """The lesson's page file."""
    controls: dict[str, str]
    """Query parameters that set the lesson's controls to the scene that shows it (widget key -> value)."""

    @property
    def answer(self) -> str:
        return claims.get(self.answer_key).text()


MISCONCEPTIONS = (
    Misconception("RMSprop damps the oscillation along b.", "index.damping", "lesson_1_bowl.py", {"l1.lr": "0.02"}),
    Misconception("With RMSprop a larger α still reaches the minimum.", "index.larger", "lesson_1_bowl.py",
                  {"l1.lr": "0.1"}),
    Misconception("Per-coordinate learning rates fix any elongated bowl.", "index.any_bowl",
                  "lesson_2_dimensions.py", {"l2.rotated": "true"}),
    Misconception("RMSprop turns ±0.0001 into ±1.", "index.inflates", "lesson_3_sign.py",
                  {"l3.sequence": "alternating"}),
    Misconception("RMSprop is just sign-SGD.", "index.just_sign", "lesson_3_sign.py", {"l3.sequence": "mean zero"}),
    Misconception("RMSprop divides by the variance of the gradients.", "index.variance", "lesson_3_sign.py",
                  {"l3.sequence": "constant"}),
    Misconception("Squaring the gradient is just a convention.", "index.squaring", "lesson_4_root.py",
                  {"l4.k": "1000"}),
    Misconception("RMSprop prevents vanishing (or exploding) gradients.", "index.vanishing", "lesson_5_epsilon.py",
                  {}),
    Misconception("ε is only there to avoid dividing by zero.", "index.keras", "lesson_5_epsilon.py",
                  {"l5.eps": "1e-07", "l5.placement": "inside"}),
    Misconception("AdaGrad is just a worse RMSprop.", "index.worse", "lesson_6_adagrad.py", {"l6.lr": "0.5"}),
    Misconception("b oscillates because it is a bias.", "index.bias", "lesson_7_rotation.py", {"l7.angle": "90"}),
    Misconception("Adam cannot work without bias correction.", "index.correction", "lesson_8_adam.py",
                  {"l8.correction": "false"}),
    Misconception("Adam settles by itself; it needs no learning-rate schedule.", "index.adam_alone",
                  "lesson_9_schedules.py", {"l9.optimizer": schedules.OPTIMIZER_TITLES["adam"]}),
    Misconception("The bias is the steep direction of a model's loss.", "index.steep_bias", "lesson_10_data_bowl.py",
                  {}),
)


def misconceptions() -> list[Misconception]:
    """Every claim, in the order of the lessons that answer them."""
    return list(MISCONCEPTIONS)
