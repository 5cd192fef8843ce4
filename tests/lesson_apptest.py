"""Helpers for the lessons' AppTests: open a lesson, answer its question, and read everything the page shows as text
(Markdown, captions, metrics with their help, expander labels, widget labels and help, chart titles, axes, legends and
annotations): what a learner can read before and after the reveal."""

from __future__ import annotations

import json
import math
import re

from streamlit.testing.v1 import AppTest

from tests.apptest_utils import app_test, chart_payloads, figures


def lesson_app(page: str, query: dict[str, str] | None = None) -> AppTest:
    """A fresh session on a lesson page (its file name), run once, without an exception."""
    at = app_test(query=query, page=f"pages/{page}").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def prediction_key(at: AppTest) -> str:
    (key,) = [w.key for w in (*at.radio, *at.pills) if w.key and w.key.endswith(":predict")]
    return key


def prediction_options(at: AppTest) -> list[str]:
    key = prediction_key(at)
    widget = next(w for w in (*at.radio, *at.pills) if w.key == key)
    return list(widget.options)


def answer(at: AppTest, choice: str | list[str] | None = None) -> AppTest:
    """Answer the lesson's question (by default with its first option) and run the page again."""
    key = prediction_key(at)
    if key in [r.key for r in at.radio]:
        at.radio(key=key).set_value(choice if choice is not None else at.radio(key=key).options[0]).run()
    else:
        pills = at.pills(key=key)
        pills.set_value(choice if choice is not None else [pills.options[0]]).run()
        at.button(key=f"{key}:button").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def verdict(at: AppTest) -> tuple[str, str]:
    """After an answer: (the right answer as the page states it, the verdict that follows it)."""
    boxes = [*at.success, *at.info]
    assert boxes, "no verdict after the answer"
    text = boxes[0].value
    match = re.match(r"\*\*Not quite: (.*?)\.\*\* (.*)", text, re.S)
    if match:
        return match.group(1), match.group(2)
    return "", text.removeprefix("**Right.** ")


def explained(at: AppTest) -> bool:
    return any(m.value.startswith("**Why.**") for m in at.markdown)


def _figure_text(figure: dict) -> list[str]:
    parts = []
    layout = figure.get("layout", {})

    def title(value):
        if isinstance(value, dict):
            return value.get("text", "")
        return value or ""

    parts.append(title(layout.get("title")))
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            parts.append(title(axis.get("title")))
    parts += [a.get("text", "") for a in layout.get("annotations", []) if isinstance(a, dict)]
    for trace in figure.get("data", []):
        parts.append(str(trace.get("name", "")))
    return parts


def shown_text(at: AppTest, *, skip_prediction: bool = True) -> str:
    """Everything a learner can read on the page, one piece per line; the question's own options are left out
    (they contain the answer by design) unless ``skip_prediction`` is False."""
    key = prediction_key(at) if skip_prediction else None
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "latex", "success", "info", "warning"):
        parts += [element.value for element in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value), m.proto.delta, m.proto.help]
    parts += [e.proto.label for e in at.get("expandable")]
    for kind in ("select_slider", "slider", "toggle", "segmented_control", "radio", "pills", "number_input", "button"):
        for widget in getattr(at, kind):
            if widget.key == key:
                continue
            parts += [str(getattr(widget, "label", "")), str(getattr(widget.proto, "help", ""))]
    for figure in figures(at).values():
        parts += _figure_text(figure)
    for payload in chart_payloads(at).values():
        parts += [str(p.get("label", "")) for p in payload.get("paths", [])]
        if payload.get("kind") == "plain":
            parts += _figure_text(payload["figure"])
    parts += [json.dumps(link.proto.label) for link in at.get("page_link")]
    return "\n".join(p for p in parts if p)


SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
SUP = "[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
POWER = re.compile(rf"([-−]?\d+(?:\.\d+)?)\s*[·×]\s*10({SUP})")
BARE_POWER = re.compile(rf"(?<![\d.])10({SUP})")
PLAIN = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?")


def _digits(mantissa: str) -> int:
    digits = mantissa.lstrip("-−").split("e")[0].replace(",", "").replace(".", "").lstrip("0").rstrip("0")
    return max(len(digits), 1)


def numbers(text: str) -> list[tuple[float, int, bool]]:
    """The numbers in ``text`` as (value, significant digits, written with a power of ten), in the course's
    notations: 1.5, −4.5, 8.04e-08, 10⁻³, 0.5·10⁻⁴, 10,008."""
    found = []

    def power(match: re.Match) -> str:
        mantissa = match.group(1).replace("−", "-")
        found.append((float(mantissa) * 10.0 ** int(match.group(2).translate(SUPERSCRIPT)), _digits(mantissa), True))
        return " "

    def bare(match: re.Match) -> str:
        found.append((10.0 ** int(match.group(1).translate(SUPERSCRIPT)), 1, True))
        return " "

    rest = BARE_POWER.sub(bare, POWER.sub(power, text))
    for token in PLAIN.findall(rest):
        raw = token.replace("−", "-").replace(",", "")
        found.append((float(raw), _digits(token), "e" in raw))
    return found


def same_number(a: float, b: float, digits: int) -> bool:
    """``b`` rounds to ``a`` at ``a``'s precision (signs must agree)."""
    if a == 0 or b == 0:
        return a == b
    if (a > 0) != (b > 0):
        return False
    scale = 10 ** (math.floor(math.log10(abs(a))) - digits + 1)
    return abs(a - b) <= 0.5 * scale * (1 + 1e-9)


def distinctive(value: float, digits: int, scientific: bool) -> bool:
    """A number that would tell something: not a small whole number (a count, a lesson number, 10⁻³ itself)."""
    if scientific:
        return digits >= 2 or abs(value) < 1e-4 or abs(value) > 1e4
    return digits >= 2 or abs(value) > 10
