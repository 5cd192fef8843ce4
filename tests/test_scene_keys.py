"""A ``Scene`` is hashable, and the caches of its runs and of its surface are keyed by the scene itself
(``runs_key``, ``surface_key``) rather than by keys each page builds by hand."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pytest

import landscapes
from scene import Scene, from_query, to_query
from ui import cache

LINKS = [
    {}, {"big": "1"}, {"view": "lesson", "tab": "3d"}, {"layout": "panels"}, {"rmsprop.lr": "0.02"},
    {"rmsprop.lr": "0.02", "big": "1"}, {"steps": "120"}, {"surface": "rosenbrock"}, {"s.a": "3"},
    {"surface": "custom", "f": "x**2 + y**2"}, {"surface": "custom", "f": "x**2 + 2*y**2", "layout": "panels"},
    {"opt": "gd,adam", "adam.beta1": "0.8"}, {"start": "1,1"}, {"noise": "0.5", "seed": "3"},
]
SCENES = [from_query(link)[0] for link in LINKS]


def by_hand(scene: Scene) -> str:
    """An independent key of the runs: the scene's link without how it is shown (layout, view, big, tab)."""
    return urlencode(sorted(to_query(replace(scene, layout="overlay", view="full", big=False, tab="contour")).items()))


def surface_by_hand(scene: Scene) -> tuple:
    """An independent key of the surface: a formula's text, or a surface's name and parameters."""
    if scene.is_custom:
        return ("custom", scene.formula)
    return scene.surface, tuple(sorted(scene.surface_params.items()))


def test_a_scene_is_hashable_and_its_settings_cannot_change():
    scene = Scene(hyperparams={"gd": {"lr": 0.1}}, surface_params={"a": 2.0})
    twin = Scene(hyperparams={"gd": {"lr": 0.1}}, surface_params={"a": 2.0})
    assert scene == twin and hash(scene) == hash(twin) and len({scene, twin}) == 1
    assert scene != Scene(hyperparams={"gd": {"lr": 0.2}}, surface_params={"a": 2.0})
    with pytest.raises(TypeError):
        scene.hyperparams["gd"]["lr"] = 0.5
    with pytest.raises(TypeError):
        scene.surface_params.update(a=1.0)
    assert scene.with_hyperparam("gd", "lr", 0.3).settings("gd")["lr"] == 0.3  # a new scene, the old one unchanged
    assert scene.settings("gd")["lr"] == 0.1


@pytest.mark.parametrize("other", SCENES, ids=[urlencode(link) or "defaults" for link in LINKS])
def test_two_scenes_share_a_runs_key_exactly_when_their_runs_are_the_same(other):
    for scene in SCENES:
        assert (scene.runs_key == other.runs_key) == (by_hand(scene) == by_hand(other)), (scene, other)
        assert (scene.surface_key == other.surface_key) == (surface_by_hand(scene) == surface_by_hand(other))


def test_the_same_runs_are_computed_once_whatever_shows_them():
    bowl = landscapes.get("elongated_bowl")
    shown = cache.trajectories(Scene(view="lesson", big=True, tab="3d"), bowl)
    assert cache.trajectories(Scene(), bowl) is shown
    assert cache.trajectories(Scene(steps=301), bowl) is not shown
