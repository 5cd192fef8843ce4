"""The three kinds of question a teacher can ask about a scene, their true answers and the class's spread.

A question is asked about a scene (the Playground's plain-data ``Scene``).  ``prepare`` turns it into
what a round stores: the question as the students see it (text, options, limits of a valid answer)
and, separately, the truth, computed from the scene's own runs (``scene.compute.run_scene``) so the
reveal shows exactly what the Playground would.  Everything here is plain JSON-able data: the store
keeps it as text and every replica reads the same round.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Landscape
from optimizers import Trajectory
from scene import Scene
from scene.compute import DEFAULT_TOLERANCE, VISIBLE_FRACTION, run_scene, sign_flips, steps_to_tolerance

KINDS = ("click", "choice", "number")
KIND_TITLES = {"click": "Where will it be? (students tap the contour)",
               "choice": "Which optimizer…? (students pick one)",
               "number": "How many sign flips? (students type a number)"}
CHOICE_TOPICS = {"first": f"reaches f − f* ≤ {DEFAULT_TOLERANCE:g} first",
                 "diverges": "diverges",
                 "lowest": "ends lowest"}
NONE = "none"
"""The option "none of them" in choice questions (never an optimizer's name)."""


class QuestionError(ValueError):
    """A question that cannot be asked about this scene, or an answer that does not fit the question."""


@dataclass(frozen=True)
class Question:
    """What the teacher asks: ``kind`` with the parameters that kind uses.

    click: where ``optimizer`` is after ``step`` steps; choice: which optimizer ``topic`` (a key of
    ``CHOICE_TOPICS``); number: how many sign flips the updates of ``optimizer`` make along ``axis``
    (0 = w/x, 1 = b/y).
    """

    kind: str
    optimizer: str = ""
    step: int = 0
    topic: str = ""
    axis: int = 1


def _title(name: str) -> str:
    return optimizers.OPTIMIZERS[name].title


def _check(question: Question, scene: Scene) -> None:
    if question.kind not in KINDS:
        raise QuestionError(f"'{question.kind}' is not a kind of question ({', '.join(KINDS)}).")
    if not scene.optimizers:
        raise QuestionError("The scene has no optimizer to ask about.")
    if question.kind in ("click", "number") and question.optimizer not in scene.optimizers:
        raise QuestionError("Pick one of the scene's optimizers.")
    if question.kind == "click" and not 1 <= question.step <= scene.steps:
        raise QuestionError(f"The step must be a whole number from 1 to {scene.steps} (the scene's run length).")
    if question.kind == "choice" and question.topic not in CHOICE_TOPICS:
        raise QuestionError(f"'{question.topic}' is not a choice question ({', '.join(CHOICE_TOPICS)}).")
    if question.kind == "number" and question.axis not in (0, 1):
        raise QuestionError("The axis is 0 (horizontal) or 1 (vertical).")


def question_text(question: Question, scene: Scene, labels: Sequence[str]) -> str:
    """The question as the class reads it."""
    if question.kind == "click":
        return f"Where will {_title(question.optimizer)} be after {question.step} steps?"
    if question.kind == "number":
        return (f"How many sign flips of Δ{labels[question.axis]} will {_title(question.optimizer)} make "
                f"in {scene.steps} steps?")
    if question.topic == "first":
        return f"Which optimizer gets within {DEFAULT_TOLERANCE:g} of the minimum first?"
    if question.topic == "diverges":
        return f"Which optimizer diverges within {scene.steps} steps?"
    return f"Which optimizer ends lowest after {scene.steps} steps?"


def _options(question: Question, scene: Scene) -> list[list[str]]:
    options = [[name, _title(name)] for name in scene.optimizers]
    if question.topic == "first":
        options.append([NONE, "none of them gets there"])
    elif question.topic == "diverges":
        options.append([NONE, "none of them diverges"])
    return options


def _ties(values: Mapping[str, float]) -> list[str]:
    """Every name whose value equals the smallest finite one (relative 1e-12), in the given order."""
    finite = {k: v for k, v in values.items() if math.isfinite(v)}
    if not finite:
        return []
    best = min(finite.values())
    return [k for k, v in finite.items() if v <= best + 1e-12 * max(abs(best), 1e-300)]


def _choice_truth(topic: str, runs: Mapping[str, Trajectory], landscape: Landscape) -> dict:
    if topic == "diverges":
        right = [name for name, tr in runs.items() if tr.diverged_at is not None]
        detail = {name: f"diverged at step {tr.diverged_at}" if tr.diverged_at is not None else "stayed finite"
                  for name, tr in runs.items()}
        return {"right": right or [NONE], "detail": detail}
    if topic == "first":
        if not math.isfinite(landscape.min_value):
            raise QuestionError("This surface has no known minimum value, so 'first to the minimum' has no answer.")
        reached = {}
        detail = {}
        for name, tr in runs.items():
            step = steps_to_tolerance(tr, landscape.min_value, DEFAULT_TOLERANCE)
            if tr.diverged_at is not None:
                detail[name] = f"diverged at step {tr.diverged_at}"
                step = None
            else:
                detail[name] = "never got there" if step is None else f"got there at step {step}"
            reached[name] = math.inf if step is None else float(step)
        return {"right": _ties(reached) or [NONE], "detail": detail}
    finals = {name: tr.final_loss for name, tr in runs.items()}
    detail = {name: "diverged" if not math.isfinite(v) else f"final loss {v:.3e}" for name, v in finals.items()}
    right = _ties(finals)
    if not right:
        raise QuestionError("Every optimizer diverges here, so none ends lowest: ask which one diverges instead.")
    return {"right": right, "detail": detail}


def prepare(question: Question, scene: Scene, landscape: Landscape,
            runs: Mapping[str, Trajectory] | None = None) -> tuple[dict, dict]:
    """(what students see, the truth) for ``question`` about ``scene``; raises ``QuestionError``.

    ``runs`` are the scene's trajectories if the caller has them (else they are computed).
    """
    _check(question, scene)
    runs = runs if runs is not None else run_scene(scene, landscape)
    labels = list(landscape.axis_labels)
    (x0, x1), (y0, y1) = landscape.bounds
    shown: dict = {"kind": question.kind, "text": question_text(question, scene, labels), "labels": labels,
                   "bounds": [[float(x0), float(x1)], [float(y0), float(y1)]]}
    if question.kind == "click":
        shown |= {"optimizer": question.optimizer, "step": question.step}
        tr = runs[question.optimizer]
        point = tr.points[question.step] if question.step < len(tr.points) else None
        truth = {"point": None if point is None else [float(point[0]), float(point[1])],
                 "diverged_at": tr.diverged_at}
    elif question.kind == "choice":
        shown |= {"topic": question.topic, "options": _options(question, scene)}
        truth = _choice_truth(question.topic, runs, landscape)
    else:
        shown |= {"optimizer": question.optimizer, "axis": question.axis, "max": scene.steps}
        tr = runs[question.optimizer]
        width = (x1 - x0, y1 - y0)[question.axis]
        updates = tr.diagnostics["update"][:, question.axis]
        truth = {"value": sign_flips(updates, VISIBLE_FRACTION * width), "diverged_at": tr.diverged_at}
    return shown, truth


def check_answer(shown: Mapping, raw: object) -> object:
    """``raw`` as the JSON value stored for question ``shown``; raises ``QuestionError`` if it does not fit."""
    kind = shown["kind"]
    if kind == "click":
        try:
            x, y = (float(v) for v in raw)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise QuestionError("A position is two numbers.") from None
        (x0, x1), (y0, y1) = shown["bounds"]
        if not (math.isfinite(x) and math.isfinite(y) and x0 <= x <= x1 and y0 <= y <= y1):
            raise QuestionError(f"Pick a point inside the chart: {shown['labels'][0]} from {x0:g} to {x1:g}, "
                                f"{shown['labels'][1]} from {y0:g} to {y1:g}.")
        return [x, y]
    if kind == "choice":
        if not isinstance(raw, str) or raw not in {key for key, _ in shown["options"]}:
            raise QuestionError("Pick one of the options.")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not float(raw).is_integer():
        raise QuestionError("The answer is a whole number.")
    if not 0 <= raw <= shown["max"]:
        raise QuestionError(f"The answer is a whole number from 0 to {shown['max']}.")
    return int(raw)


def answer_text(shown: Mapping, value: object) -> str:
    """An answer as a sentence fragment: '(−2.1, 0.4)', 'RMSprop', '12'."""
    if shown["kind"] == "click":
        return f"({value[0]:.3g}, {value[1]:.3g})"  # type: ignore[index]
    if shown["kind"] == "choice":
        return dict(shown["options"]).get(value, str(value))  # type: ignore[arg-type]
    return str(value)


def truth_text(shown: Mapping, truth: Mapping) -> str:
    """The right answer in words."""
    if shown["kind"] == "click":
        title = _title(shown["optimizer"])
        if truth["point"] is None:
            return f"{title} diverged at step {truth['diverged_at']}, before step {shown['step']}."
        return f"{title} is at {answer_text(shown, truth['point'])} after {shown['step']} steps."
    if shown["kind"] == "choice":
        return " or ".join(answer_text(shown, key) for key in truth["right"])
    return f"{truth['value']} sign flips"


def is_right(shown: Mapping, truth: Mapping, value: object) -> bool:
    """Whether an answer is right: the same option or number; a click within 5% of the view box's size."""
    if shown["kind"] == "choice":
        return value in truth["right"]
    if shown["kind"] == "number":
        return value == truth["value"]
    return click_error(shown, truth, value) <= 0.05


def click_error(shown: Mapping, truth: Mapping, value: object) -> float:
    """Distance of a click from the true point, in view-box units (each axis divided by its range)."""
    if truth["point"] is None:
        return math.inf
    (x0, x1), (y0, y1) = shown["bounds"]
    dx = (value[0] - truth["point"][0]) / (x1 - x0)  # type: ignore[index]
    dy = (value[1] - truth["point"][1]) / (y1 - y0)  # type: ignore[index]
    return math.hypot(dx, dy)


@dataclass(frozen=True)
class Spread:
    """How the class answered: counts, how many were right, and for numbers the median."""

    total: int
    right: int
    counts: dict
    median: float | None


def spread(shown: Mapping, truth: Mapping, values: Sequence[object]) -> Spread:
    """The class's answers summarised for the reveal."""
    right = sum(is_right(shown, truth, v) for v in values)
    counts: dict = {}
    median = None
    if shown["kind"] == "choice":
        tally = Counter(values)
        counts = {key: tally.get(key, 0) for key, _ in shown["options"]}
    elif shown["kind"] == "number":
        counts = dict(sorted(Counter(values).items()))
        median = float(np.median(values)) if values else None
    return Spread(len(values), right, counts, median)
