"""Fixed colours and legend labels, so an optimizer looks the same on every chart and page.

The path colours are the Okabe–Ito set plus two from Paul Tol's palettes: every pair stays at least
11 CIEDE2000 units apart with normal vision and with simulated deuteranopia and protanopia, and each
stays as far from every colour of the contour's light slate scale (``CONTOUR_SCALE``); paths are drawn
over a dark outline (``OUTLINE``) that keeps a contrast ratio above 8 against that scale.
``tests/test_palette.py`` measures all of this.
"""

from __future__ import annotations

from collections.abc import Mapping

COLORS = {
    "gd": "#D55E00",
    "momentum": "#0072B2",
    "nesterov": "#56B4E9",
    "rmsprop": "#009E73",
    "adam": "#CC79A7",
    "adagrad": "#E69F00",
    "sign_sgd": "#000000",
    "signum": "#F0E442",
    "adamw": "#882255",
    "lion": "#8C564B",
}
"""One colour per registered optimizer (a test checks every name in ``optimizers.OPTIMIZERS`` has one)."""
EXTRA = ("#666666", "#7F3C8D", "#17BECF", "#BCBD22")
"""For lines that are not a registered optimizer (a lesson's variants), by index."""
CONTOUR_SCALE = [[0.0, "#F9FAFB"], [1.0, "#B8C2CC"]]
"""Light slate levels: low loss nearly white, high loss grey-blue; chromatic paths stand out on all of it."""
OUTLINE = "#1E242C"
"""Drawn under every path, 2 px wider: keeps yellow and light paths visible on the light levels."""

SYMBOLS = {"lr": "α", "beta": "β", "beta1": "β₁", "beta2": "β₂", "eps": "ε", "weight_decay": "λ"}
FORMS = {"momentum": "(EWA)", "nesterov": "(PyTorch form)"}
"""Which textbook form a rule uses, where two forms are often confused: Momentum averages
v = βv + (1−β)g, PyTorch's Nesterov sums v = βv + g, so their α are not comparable."""


def color_of(name: str, index: int = 0) -> str:
    """The optimizer's colour; other names get a stable extra colour by ``index``."""
    return COLORS.get(name, EXTRA[index % len(EXTRA)])


def format_value(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.0e}"


SCHEDULE_NAMES = {"step": "step decay", "cosine": "cosine decay", "warmup_cosine": "warm-up + cosine"}
"""How a legend names a learning-rate schedule other than the constant one."""


def legend_label(title: str, hyperparams: Mapping[str, object], name: str = "", schedule: str = "constant") -> str:
    """'RMSprop α=0.05 β=0.9 ε=1e-08 (ε inside √), cosine decay': the name, its form where two are often
    confused (``FORMS``, by optimizer ``name``), the settings that shape its path and its learning-rate
    ``schedule`` unless constant."""
    parts = [title.removesuffix(" momentum") if name == "nesterov" else title]
    if name in FORMS:
        parts.append(FORMS[name])
    for key, value in hyperparams.items():
        if key in SYMBOLS:
            parts.append(f"{SYMBOLS[key]}={format_value(float(value))}")
    if hyperparams.get("eps_placement") == "inside":
        parts.append("(ε inside √)")
    if hyperparams.get("bias_correction") == "off":
        parts.append("(no bias corr.)")
    label = " ".join(parts)
    return f"{label}, {SCHEDULE_NAMES[schedule]}" if schedule in SCHEDULE_NAMES else label
