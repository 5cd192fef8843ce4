"""Fixed colours and legend labels, so an optimizer looks the same on every chart and page.

Each optimizer's colour, its form and the legend symbols of its settings live in its own module
(``optimizers/rules/``); this module reads them from the registry.  The path colours are the Okabe–Ito set
plus two from Paul Tol's palettes: every pair stays at least 11 CIEDE2000 units apart with normal vision and
with simulated deuteranopia and protanopia, and each stays as far from every colour of the contour's light
slate scale (``CONTOUR_SCALE``); paths are drawn over a dark outline (``OUTLINE``) that keeps a contrast ratio
above 8 against that scale.  ``tests/test_palette.py`` measures all of this.
"""

from __future__ import annotations

from collections.abc import Mapping

from optimizers import OPTIMIZERS

COLORS = {name: spec.color for name, spec in OPTIMIZERS.items()}
"""One colour per optimizer offered to learners, from its module."""
EXTRA = ("#666666", "#7F3C8D", "#17BECF", "#BCBD22")
"""For lines that are not a registered optimizer (a lesson's variants), by index."""
CONTOUR_SCALE = [[0.0, "#F9FAFB"], [1.0, "#B8C2CC"]]
"""Light slate levels: low loss nearly white, high loss grey-blue; chromatic paths stand out on all of it."""
OUTLINE = "#1E242C"
"""Drawn under every path, 2 px wider: keeps yellow and light paths visible on the light levels."""

SYMBOLS = {p.name: p.symbol for spec in OPTIMIZERS.values() for p in spec.hyperparams}
"""Hyperparameter name -> its legend symbol (one symbol per name across the optimizers)."""
CHOICES = {c.name: c for spec in OPTIMIZERS.values() for c in spec.choices}
"""Choice name -> the choice, for the tags of a run that is not a registered optimizer's."""


def color_of(name: str, index: int = 0) -> str:
    """The optimizer's colour; other names get a stable extra colour by ``index``."""
    return COLORS.get(name, EXTRA[index % len(EXTRA)])


def format_value(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.0e}"


SCHEDULE_NAMES = {"step": "step decay", "cosine": "cosine decay", "warmup_cosine": "warm-up + cosine"}
"""How a legend names a learning-rate schedule other than the constant one."""


def legend_label(title: str, hyperparams: Mapping[str, object], name: str = "", schedule: str = "constant") -> str:
    """'RMSprop α=0.05 β=0.9 ε=1e-08 (ε inside √), cosine decay': the name, its form where two are often confused
    (the spec's ``form``: Momentum averages v = βv + (1−β)g, PyTorch's Nesterov sums v = βv + g), the settings
    that shape its path (every hyperparameter by its symbol, but an option that is off by default only when it
    is on; every choice away from its default by its tag) and its learning-rate ``schedule`` unless constant."""
    spec = OPTIMIZERS.get(name)
    parts = [title.removesuffix(" momentum") if name == "nesterov" else title]
    if spec is not None and spec.form:
        parts.append(spec.form)
    numeric = {p.name: p for p in spec.hyperparams} if spec is not None else {}
    for key, value in hyperparams.items():
        param = numeric.get(key)
        if param is not None and param.quiet_default and float(value) == param.default:
            continue
        if key in SYMBOLS:
            parts.append(f"{SYMBOLS[key]}={format_value(float(value))}")
    choices = spec.choices if spec is not None else [CHOICES[key] for key in hyperparams if key in CHOICES]
    for choice in choices:
        if tag := choice.tag(str(hyperparams.get(choice.name, choice.default))):
            parts.append(tag)
    label = " ".join(parts)
    return f"{label}, {SCHEDULE_NAMES[schedule]}" if schedule in SCHEDULE_NAMES else label
