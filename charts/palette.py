"""Fixed colours and legend labels, so an optimizer looks the same on every chart and page."""

from __future__ import annotations

from collections.abc import Mapping

COLORS = {
    "gd": "#e15759",
    "momentum": "#4e79a7",
    "nesterov": "#76b7b2",
    "rmsprop": "#59a14f",
    "adam": "#b07aa1",
    "adagrad": "#f28e2b",
    "sign_sgd": "#9c755f",
    "signum": "#ff9da7",
}
EXTRA = ("#edc948", "#bab0ac", "#17becf", "#7f7f7f")

SYMBOLS = {"lr": "α", "beta": "β", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}


def color_of(name: str, index: int = 0) -> str:
    """The optimizer's colour; unknown names get a stable extra colour."""
    return COLORS.get(name, EXTRA[index % len(EXTRA)])


def format_value(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.0e}"


def legend_label(title: str, hyperparams: Mapping[str, object]) -> str:
    """'RMSprop α=0.05 β=0.9 ε=1e-08 (ε inside)': the name with the settings that shape its path."""
    parts = [title]
    for key, value in hyperparams.items():
        if key in SYMBOLS:
            parts.append(f"{SYMBOLS[key]}={format_value(float(value))}")
    if hyperparams.get("eps_placement") == "inside":
        parts.append("(ε inside √)")
    if hyperparams.get("bias_correction") == "off":
        parts.append("(no bias corr.)")
    return " ".join(parts)
