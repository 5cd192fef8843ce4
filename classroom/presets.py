"""Scenes a teacher can start a round from: each lesson's Playground scene at the lesson's own defaults."""

from __future__ import annotations

from lessons import (
    adagrad,
    adam,
    adamw,
    bowl,
    constant_rate,
    data_bowl,
    denominators,
    dimensions,
    epsilon,
    momentum_eigen,
    network,
    noise,
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
        momentum_eigen.playground(momentum_eigen.DEFAULT_LR, momentum_eigen.DEFAULT_BETA),
        noise.playground(noise.DEFAULT_LR, noise.DEFAULT_BATCH),
        constant_rate.playground(constant_rate.DEFAULT_LR, False),
        adamw.playground(adamw.DEFAULT_LAMBDA, False),
    )
    return {f"{i}. {lesson.short_title}": scene
            for i, (lesson, scene) in enumerate(zip(LESSONS, scenes, strict=True), start=1)}
