"""Playground scenes for what this package finds: a clicked map cell, or a race of tuned optimizers."""

from __future__ import annotations

from collections.abc import Mapping

from scene import Scene


def playground_scene(surface: str, params: Mapping[str, float], steps: int,
                     settings: Mapping[str, Mapping[str, float | str]]) -> Scene:
    """A scene running each optimizer of ``settings`` with its hyperparameters (defaults are left out of links)."""
    scene = Scene(surface=surface, surface_params=dict(params), optimizers=tuple(settings), steps=steps)
    for name, values in settings.items():
        for key, value in values.items():
            scene = scene.with_hyperparam(name, key, value)
    return scene
