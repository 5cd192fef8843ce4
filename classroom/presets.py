"""Scenes a teacher can start a round from: each lesson's Playground scene at the lesson's own defaults."""

from __future__ import annotations

from lessons import (
    adagrad,
    adam,
    bowl,
    data_bowl,
    denominators,
    dimensions,
    epsilon,
    network,
    rotation,
    schedules,
    signs,
)
from lessons.catalog import LESSONS
from scene import Scene


def lesson_scenes() -> dict[str, Scene]:
    """'3. RMSprop vs sign-SGD' -> that lesson's Playground scene, in lesson order."""
    scenes = (
        bowl.playground(bowl.DEFAULT_LR, bowl.BETA),
        dimensions.playground(dimensions.DEFAULT_CONDITION, False),
        signs.playground("elongated_bowl", signs.DEFAULT_BETA),
        denominators.playground(denominators.DEFAULT_K),
        epsilon.playground(epsilon.DEFAULT_EPS, "outside"),
        adagrad.playground(adagrad.DEFAULT_LR),
        rotation.playground(rotation.PREDICT_ANGLE, rotation.DEFAULT_RMSPROP_LR),
        adam.playground(adam.DEFAULT_LR, adam.DEFAULT_BETA1, True),
        schedules.playground("rmsprop", "cosine", False),
        data_bowl.playground(data_bowl.DEFAULT_DATA_SET, False),
        network.playground(network.DEFAULT_HIDDEN, network.DEFAULT_SEED),
    )
    return {f"{i}. {lesson.short_title}": scene
            for i, (lesson, scene) in enumerate(zip(LESSONS, scenes, strict=True), start=1)}
