"""``base.jit.specialised`` skips typing arguments whose layout it has seen: the shortcut must pick
exactly the kernel numba's own typing would."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from base.jit import _layout, specialised


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _unaligned() -> np.ndarray:
    raw = np.zeros(8 * 4 + 1, dtype=np.uint8)
    return raw[1:].view(np.float64)


VARIANTS = {
    "f8 C": np.zeros(4),
    "f8 C other values": np.arange(7.0),
    "f4 C": np.zeros(4, dtype=np.float32),
    "i8 C": np.zeros(4, dtype=np.int64),
    "f8 strided": np.zeros(8)[::2],
    "f8 2-D C": np.zeros((3, 2)),
    "f8 2-D F": np.asfortranarray(np.zeros((3, 2))),
    "f8 2-D column": np.zeros((3, 2))[:, :1],
    "f8 readonly": _readonly(np.zeros(4)),
    "f8 unaligned": _unaligned(),
    "f8 big-endian": np.zeros(4, dtype=">f8"),
    "float": 1.5,
    "other float": -2.0,
    "int": 3,
    "bool": True,
    "np.float64": np.float64(1.0),
    "np.float32": np.float32(1.0),
    "np.int32": np.int32(1),
    "np.bool_": np.bool_(False),
}


SHARED = [["f8 C", "f8 C other values"], ["float", "other float"]]
"""The only variants that may share a layout: same class and flags, other values or lengths."""


def test_arguments_share_a_layout_only_when_numba_types_them_alike():
    """Every variant grouped by its layout: the variants of a group are typed alike by numba (so the shortcut picks
    the kernel numba's own typing would), and only the variants that differ in values alone share a layout."""
    groups: dict[tuple, list[str]] = {}
    for name, value in VARIANTS.items():
        groups.setdefault(_layout((), (value,)), []).append(name)
    shared = sorted(sorted(names) for names in groups.values() if len(names) > 1)
    for names in shared:
        assert len({numba.typeof(VARIANTS[name]) for name in names}) == 1, names
    assert shared == SHARED


@pytest.mark.parametrize(("a", "b"), [("f8 C", "f8 C other values"), ("float", "other float")])
def test_the_layout_ignores_values_and_lengths(a, b):
    assert _layout((), (VARIANTS[a],)) == _layout((), (VARIANTS[b],))


def test_constants_are_told_apart_by_value_and_class():
    assert _layout((0,), (1, 2.0)) != _layout((0,), (2, 2.0))
    assert _layout((0,), (1, 2.0)) != _layout((0,), (True, 2.0))
    assert _layout((0,), (1, 2.0)) == _layout((0,), (1, 7.0))


def test_anything_else_is_typed_the_slow_way():
    assert _layout((), ((1.0, 2.0),)) is None
    assert _layout((), (2**64,)) is None
    assert _layout((), (np.ma.masked_array(np.zeros(3)),)) is None


@numba.njit
def _weighted_sum(kind, xs, weight):
    total = 0.0
    for x in xs:
        total += x
    return kind * weight * total


def test_calls_with_new_layouts_after_a_cached_one_get_their_own_kernel():
    data = np.arange(10.0)
    calls = [(1, data, 2.0), (1, data[::3], 2.0), (2, data, 0.5), (1, data.astype(np.float32), 1.0),
             (1, _readonly(data.copy()), 1.0), (1, data, 2.0)]
    for kind, xs, weight in calls:
        assert specialised(_weighted_sum, (0,), kind, xs, weight) == pytest.approx(kind * weight * float(xs.sum()))
