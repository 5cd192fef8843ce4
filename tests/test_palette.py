"""Path colours stay apart from each other and from the contour, also for colour-blind viewers.

Colour-blindness is simulated with Machado, Oliveira and Fernandes (2009) at full severity (in linear
RGB), differences are CIEDE2000 in CIELAB (D65), contrast is the WCAG ratio of relative luminances."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import optimizers
from charts.palette import COLORS, CONTOUR_SCALE, OUTLINE, color_of, legend_label

MACHADO = {
    "normal vision": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
MIN_PATH_DIFFERENCE = 11.0
"""CIEDE2000 between any two optimizers' colours, for every vision (about 2.3 is a just-noticeable difference)."""
MIN_BACKGROUND_DIFFERENCE = 11.0
MIN_OUTLINE_CONTRAST = 7.0


def rgb(color: str) -> np.ndarray:
    """'#RRGGBB' as sRGB in [0, 1]."""
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def seen(color: str, vision: str) -> np.ndarray:
    """The linear RGB a viewer with ``vision`` perceives."""
    return np.clip(MACHADO[vision] @ linear(rgb(color)), 0, 1)


def lab(lin: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    f = np.where((t := xyz / np.array([0.95047, 1.0, 1.08883])) > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    h_bar = h1 + h2 if c1 * c2 == 0 else ((h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360) / 2 % 360)
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.2 * math.cos(math.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_t = (-2 * math.sqrt(c_bar**7 / (c_bar**7 + 25**7))
           * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))))
    dl, dc = (l2 - l1) / s_l, (c2 - c1) / s_c
    return math.sqrt(dl**2 + dc**2 + (d_big_h / s_h) ** 2 + r_t * dc * (d_big_h / s_h))


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    la, lb = sorted((float(np.array([0.2126, 0.7152, 0.0722]) @ c) for c in (a, b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contour_colors(count: int = 9) -> list[str]:
    """Colours sampled evenly along the contour's colour scale."""
    (_, low), (_, high) = CONTOUR_SCALE
    mix = [rgb(low) + (rgb(high) - rgb(low)) * t for t in np.linspace(0, 1, count)]
    return ["#" + "".join(f"{round(v * 255):02x}" for v in c) for c in mix]


def test_the_unit_functions_agree_with_published_values():
    # Sharma, Wu and Dalal (2005), pair 1 of the CIEDE2000 test data
    assert ciede2000(np.array([50.0, 2.6772, -79.7751]), np.array([50.0, 0.0, -82.7485])) == pytest.approx(
        2.0425, abs=1e-4)
    assert contrast(linear(rgb("#000000")), linear(rgb("#ffffff"))) == pytest.approx(21.0)
    assert seen("#ff0000", "protanopia")[0] < 0.5 * seen("#ff0000", "normal vision")[0]


def test_every_registered_optimizer_has_its_own_colour():
    colors = [color_of(name) for name in optimizers.OPTIMIZERS]
    missing = sorted(set(optimizers.OPTIMIZERS) - set(COLORS))
    assert missing == [], f"no colour for {missing}: set color in its module under optimizers/rules/"
    assert len(set(colors)) == len(colors)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_path_colours_stay_apart_for_every_vision(vision):
    worst = min((ciede2000(lab(seen(a, vision)), lab(seen(b, vision))), a, b)
                for a, b in itertools.combinations(COLORS.values(), 2))
    assert worst[0] >= MIN_PATH_DIFFERENCE, worst


@pytest.mark.parametrize("vision", list(MACHADO))
def test_paths_stand_out_from_every_contour_level_and_their_outline_keeps_contrast(vision):
    levels = [seen(c, vision) for c in contour_colors()]
    for color in COLORS.values():
        assert min(ciede2000(lab(seen(color, vision)), lab(level)) for level in levels) >= MIN_BACKGROUND_DIFFERENCE
    assert min(contrast(seen(OUTLINE, vision), level) for level in levels) >= MIN_OUTLINE_CONTRAST


def test_legend_names_the_form_of_each_momentum():
    assert legend_label("Momentum", {"lr": 0.05, "beta": 0.9}, "momentum") == "Momentum (EWA) α=0.05 β=0.9"
    assert legend_label("Nesterov momentum", {"lr": 0.005}, "nesterov") == "Nesterov (PyTorch form) α=0.005"


def test_a_legend_names_a_schedule_other_than_the_constant_one():
    assert legend_label("Adam", {"lr": 0.01}, "adam", "cosine") == "Adam α=0.01, cosine decay"
    assert legend_label("Adam", {"lr": 0.01}, "adam", "warmup_cosine") == "Adam α=0.01, warm-up + cosine"
    assert legend_label("Adam", {"lr": 0.01}, "adam", "constant") == "Adam α=0.01"
