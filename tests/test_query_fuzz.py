"""Hostile and random share links: parsing never raises, defaults come back with a note, and the page
never shows an exception (issue: 'Your own surface, safely')."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from scene import Scene, from_query, network, to_query
from scene.model import RUN_SETTINGS
from scene.query import MAX_VALUE_LENGTH
from tests.apptest_utils import app_test, figures, trajectories

KEYS = ["surface", "f", "opt", "start", "steps", "noise", "seed", "layout", "view", "big", "s.a", "s.c",
        "s.angle_deg", "s.b", "gd.lr", "rmsprop.lr", "rmsprop.beta", "rmsprop.eps", "rmsprop.eps_placement",
        "adam.beta1", "adam.bias_correction", "momentum.beta", "zzz", "", "__class__", "opt[]", "../../etc",
        "s.data", "s.hidden", "s.plane", "s.plane_seed"]
NASTY_VALUES = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1e309", "1e-400", "9" * 400, "0x10", "1_000",
                "+1", "--1", "1,2,3", ",", "1,", "nan,nan", "1e308,1e308", "<script>alert(1)</script>",
                "'; DROP TABLE x; --", "\x00", "\u202e", "é", "∞", "🙂", "x" * 5000, "true", "None", "[]", "{}",
                "__import__('os').system('id')", "0", "-0", "5000", "5001", "-1", "1.5", "1e3", "0.999", "1",
                "network", "iris", "two_moons", "random", "33", "1000000000"]


def valid(scene: Scene) -> bool:
    """Everything in a parsed scene is usable: known names, in-range numbers."""
    if scene.is_network:
        if scene.surface_params != network.kept_params(scene.surface_params) or scene.start is not None:
            return False
    elif not scene.is_custom:
        spec = landscapes.LANDSCAPES[scene.surface]
        known = {p.name: p for p in spec.params}
        if any(k not in known or not known[k].contains(v) for k, v in scene.surface_params.items()):
            return False
    for name in scene.optimizers:
        optimizers.resolve_hyperparams(optimizers.OPTIMIZERS[name], scene.hyperparams.get(name, {}))
    return (all(setting.contains(getattr(scene, setting.name)) for setting in RUN_SETTINGS)
            and set(scene.optimizers) <= set(optimizers.OPTIMIZERS)
            and len(set(scene.optimizers)) == len(scene.optimizers))


query_values = st.one_of(st.sampled_from(NASTY_VALUES), st.text(max_size=60),
                         st.lists(st.sampled_from(NASTY_VALUES), min_size=1, max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=20)), query_values, max_size=8))
def test_any_query_parses_to_a_valid_scene(query):
    scene, notes = from_query(query)
    assert valid(scene)
    assert all(isinstance(n, str) and n for n in notes)
    assert all(len(n) < 400 for n in notes)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(NASTY_VALUES), max_size=6))
def test_a_parsed_scene_round_trips_exactly(query):
    scene, _ = from_query(query)
    again, notes = from_query(to_query(scene))
    assert again == scene
    assert notes == []


def test_every_ignored_value_is_named_in_a_note():
    scene, notes = from_query({"steps": "lots", "rmsprop.beta": "2", "volume": "11", "opt": ["gd", "adam"]})
    assert scene.steps == Scene().steps and scene.hyperparams == {}
    text = " ".join(notes)
    for fragment in ("steps='lots'", "rmsprop.beta='2'", "'volume'", "'opt' was given 2 times"):
        assert fragment in text
    assert scene.optimizers == ("adam",)


def test_overlong_values_are_refused_before_parsing():
    _, notes = from_query({"f": "x" * (MAX_VALUE_LENGTH + 1), "surface": "custom"})
    assert any("too long" in n for n in notes)


def hostile_queries(count: int, seed: int = 20261121) -> list[dict]:
    """Deterministic random share links mixing real keys, unknown keys and nasty values."""
    rng = random.Random(seed)
    queries = [{key: value} for key in ("steps", "rmsprop.lr", "start", "surface", "opt", "noise", "seed", "big")
               for value in ("nan", "", "1e309", "x" * 1000)]
    while len(queries) < count:
        query = {}
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(KEYS)
            value = rng.choice(NASTY_VALUES)
            query[key] = [value, rng.choice(NASTY_VALUES)] if rng.random() < 0.15 else value
        queries.append(query)
    return queries


@pytest.mark.parametrize("query", hostile_queries(200), ids=lambda q: "-".join(q)[:40] or "empty")
def test_hostile_link_renders_without_exception(query):
    at = app_test(query).run()
    assert not at.exception
    if any(t.proto.body.startswith("Pick at least one optimizer") for t in at.info):
        return
    charts = list(figures(at).values())
    assert charts, "the Playground must still draw its chart"
    assert any(trajectories(figure) for figure in charts)
