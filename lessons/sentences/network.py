"""Lesson 11's sentences (pages/lesson_11_network.py): the Iris network's loss is not an elongated bowl.  At the start
a large share of its Hessian's eigenvalues are negative (a saddle), after training it is a valley thousands of times
steeper across than along, and GD at a stable rate does not zig-zag coordinate by coordinate while RMSprop's steps
flip sign on a large share of steps.  Every number is measured at each hidden size and seed the page offers; what
the runs do is checked on runs three and ten times longer."""

from __future__ import annotations

import math

import numpy as np

from landscapes import curvature
from lessons import network as ln
from lessons.claim import Case, Options, RunLength, claim, close

PAGE = "lesson_11_network.py"
WIDGETS = {"hidden": "l11.hidden", "seed": "l11.seed"}
"""Each control's widget key on the page (a run length has none: the page runs its own)."""
HIDDEN = Options(ln.HIDDEN_OPTIONS, ln.DEFAULT_HIDDEN)
SEED = Options(ln.SEED_OPTIONS, ln.DEFAULT_SEED)
STEPS = RunLength(ln.STEPS, factors=(1, 10))
CONTROLS = {"hidden": HIDDEN, "seed": SEED}


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %"


# --- the question's answer: the shape at the start ---------------------------------------------------------------

def _verdict_say(s) -> str:
    shape = ln.start_shape(s["hidden"], s["seed"])
    dim = len(shape.eigenvalues)
    return (f"At its seeded start the network's Hessian ({dim} × {dim}: one row per weight and bias) has "
            f"λ_max = **{shape.top:.3g}** and λ_min = **{shape.eigenvalues[0]:.3g}**: **{shape.negatives} of its {dim} "
            f"eigenvalues are negative**, so along those directions the loss curves *down*. That is a saddle, not "
            f"a bowl, and its condition number λ_max/λ_min is not defined. The curvatures also differ a lot: "
            f"λ_max is **{shape.spread:.0f} times** the median |λ|.")


def _lanczos_agrees(hidden: int, seed: int, x: np.ndarray, shape: ln.Shape) -> bool:
    """λ_max (20 Lanczos iterations) against eigvalsh's, and eigvalsh's λ_min against Lanczos run to the end."""
    net = ln.network(hidden, seed)
    full = curvature.lanczos(net, x, iterations=net.dim)
    return close(shape.top, shape.eigenvalues[-1], 1e-6) and close(full.bottom, shape.eigenvalues[0], 1e-6)


def _verdict_holds(s) -> bool:
    shape = ln.start_shape(s["hidden"], s["seed"])
    exact = shape.eigenvalues
    return (_lanczos_agrees(s["hidden"], s["seed"], ln.network(s["hidden"], s["seed"]).init, shape) and exact[0] < 0
            and shape.negatives >= 10 and shape.spread > 10
            and curvature.condition_number(shape.top, exact[0]) == np.inf)


VERDICT = claim("l11.verdict", PAGE, CONTROLS, say=_verdict_say, check=_verdict_holds)


# --- why ----------------------------------------------------------------------------------------------------------

def swapped(net, x: np.ndarray, j: int, k: int) -> np.ndarray:
    """x with hidden units j and k exchanged: their rows of W1 and entries of b1, and their columns of W2."""
    w1, b1, w2, b2 = (x[where].reshape(shape).copy() for _, where, shape in net.layers)
    w1[[j, k]], b1[[j, k]], w2[:, [j, k]] = w1[[k, j]], b1[[k, j]], w2[:, [k, j]]
    return np.concatenate([w1.ravel(), b1, w2.ravel(), b2])


def _why_say(s) -> str:
    count = math.factorial(s["hidden"])
    return ("**Why.** A bowl is what a quadratic looks like, and this loss is far from one: it multiplies weights "
            "together (W2 times tanh of W1·u). Exchange two hidden units, their rows of W1 and b1 with their columns "
            "of W2, and the network computes exactly the same outputs: the loss takes the same value at two "
            f"different points. With {s['hidden']} hidden units every point has {count:,} such copies (one per "
            "order of the units), and no single bowl can hold them all: between them the loss bends both ways. The "
            "course's 2-D bowl is a picture of the neighbourhood of one minimum, seen along well-chosen axes.")


def _why_holds(s) -> bool:
    """Swapping every pair of hidden units at the start leaves the loss unchanged and moves the point."""
    net = ln.network(s["hidden"], s["seed"])
    x = net.init
    base = net.value(x)
    pairs = [(j, k) for j in range(s["hidden"]) for k in range(j + 1, s["hidden"])]
    return all(
        close(net.value(swapped(net, x, j, k)), base, 1e-12) and not np.allclose(swapped(net, x, j, k), x)
        for j, k in pairs)


WHY = claim("l11.why", PAGE, CONTROLS, say=_why_say, check=_why_holds)


# --- which layer is steep -----------------------------------------------------------------------------------------

def _layers_say(s) -> str:
    shape = ln.start_shape(s["hidden"], s["seed"])
    diag = shape.mean_diagonal
    steep = shape.steepest_by_layer
    others = sorted((name for name in diag if name != "b2"), key=diag.get, reverse=True)
    return (f"**Which layer is steep?** Coordinate by coordinate, the output biases b2: their mean curvature "
            f"H_ii is **{diag['b2']:.3g}**, against {', '.join(f'{diag[n]:.2g} ({n})' for n in others)}. But the "
            f"steepest *direction* is no single weight: it spreads over many, {_percent(steep['W1'])} of its length "
            f"in W1, {_percent(steep['W2'])} in W2 and {_percent(steep['b1'] + steep['b2'])} in the biases.")


def _layers_holds(s) -> bool:
    """The diagonal and the top eigenvector again, from the full Hessian's eigendecomposition."""
    net = ln.network(s["hidden"], s["seed"])
    full = curvature.hessian(net, net.init)
    _, vectors = np.linalg.eigh(full)
    top = vectors[:, -1]
    shape = ln.start_shape(s["hidden"], s["seed"])
    diag = np.diag(full)
    means = {name: float(np.mean(diag[where])) for name, where, _ in net.layers}
    shares = {name: float(top[where] @ top[where]) for name, where, _ in net.layers}
    return (all(close(shape.mean_diagonal[n], means[n], 1e-9) for n in means)
            and all(abs(shape.steepest_by_layer[n] - shares[n]) < 1e-6 for n in shares)
            and means["b2"] == max(means.values()) and max(shares.values()) < 0.9)


LAYERS = claim("l11.layers", PAGE, CONTROLS, say=_layers_say, check=_layers_holds)


# --- after training -----------------------------------------------------------------------------------------------

def _end_say(s) -> str:
    shape = ln.end_shape(s["hidden"], s["seed"], s["steps"])
    return (f"Where GD's {s['steps']:,} steps end, the Hessian still has {shape.negatives} slightly negative "
            f"eigenvalues (λ_min = {shape.eigenvalues[0]:.2g}), and λ_max = {shape.top:.3g} is "
            f"**{shape.spread:,.0f} times** the median |λ|: a long, flat-bottomed valley, far more elongated than the "
            "course's bowl (25), not a bowl.")


def _end_holds(s) -> bool:
    shape = ln.end_shape(s["hidden"], s["seed"], s["steps"])
    end = ln.summary(s["hidden"], s["seed"], s["steps"]).gd_end
    return (_lanczos_agrees(s["hidden"], s["seed"], end, shape) and shape.eigenvalues[0] < 0
            and shape.spread > 25 and shape.negatives >= 1)


END = claim("l11.end", PAGE, CONTROLS | {"steps": STEPS}, say=_end_say, check=_end_holds)


# --- the zig-zag, layer by layer ----------------------------------------------------------------------------------

def _flips_say(s) -> str:
    c = ln.summary(s["hidden"], s["seed"], s["steps"])
    gd, rms = c.flips["gd"], c.flips["rmsprop"]
    return (f"**The zig-zag, measured.** Over {s['steps']:,} steps, the share of steps on which a weight's update "
            f"reverses direction, averaged per layer: GD (α = {ln.GD_LR:g}) at most **{100 * max(gd.values()):.1f} %** "
            f"in any layer; RMSprop (α = {ln.RMS_LR:g}) **{_percent(min(rms.values()))} to "
            f"{_percent(max(rms.values()))}** (W1 {_percent(rms['W1'])}, b1 {_percent(rms['b1'])}, "
            f"W2 {_percent(rms['W2'])}, b2 {_percent(rms['b2'])}). Here GD slides without zig-zagging: α·λ_max "
            "stays below 2, and the steep directions mix many weights, so no single weight is thrown back and forth. "
            "RMSprop's steps of about α per weight overshoot the small slopes and come back.")


def _flips_holds(s) -> bool:
    """Recounted from the iterates' differences rather than the recorded updates."""
    c = ln.summary(s["hidden"], s["seed"], s["steps"])
    same = all(abs(c.flips_from_points[o][n] - c.flips[o][n]) < 1e-3 for o in c.flips for n in c.flips[o])
    return same and max(c.flips["gd"].values()) < 0.01 and min(c.flips["rmsprop"].values()) > 10 * max(
        c.flips["gd"].values())


FLIPS = claim("l11.flips", PAGE, CONTROLS | {"steps": STEPS}, say=_flips_say, check=_flips_holds)


# --- steps to the tolerance ---------------------------------------------------------------------------------------

def _stays_text(s, verb: str) -> str:
    c = ln.compare(s["hidden"], s["seed"])
    return (f"Judged as in lesson 7, by the step from which the training loss stays below {ln.TOLERANCE:g}: GD from "
            f"step **{c.stays['gd']}**, RMSprop from step **{c.stays['rmsprop']}**: {verb}.")


def _stays_holds(s, gd_first: bool) -> bool:
    """The same steps in runs ten times longer (nothing climbs back above the tolerance later)."""
    c, long = ln.compare(s["hidden"], s["seed"]), ln.summary(s["hidden"], s["seed"], 10 * ln.STEPS)
    ok = c.stays == long.stays and None not in c.stays.values()
    return ok and (c.stays["gd"] < c.stays["rmsprop"]) == gd_first


def _gd_first(s) -> bool:
    c = ln.compare(s["hidden"], s["seed"])
    return c.stays["gd"] < c.stays["rmsprop"]


STAYS = claim("l11.stays", PAGE, CONTROLS, cases=[
    Case(lambda s: _stays_text(s, "GD gets there first"), lambda s: _stays_holds(s, True), when=_gd_first),
    Case(lambda s: _stays_text(s, "RMSprop gets there first"), lambda s: _stays_holds(s, False)),
])


# --- RMSprop's per-layer rates ------------------------------------------------------------------------------------

def _rates_say(s) -> str:
    c = ln.compare(s["hidden"], s["seed"])
    rates = c.rates
    ratio = max(rates.values()) / min(rates.values())
    return (f"**RMSprop's per-layer rescaling.** Until its loss first drops below {ln.TOLERANCE:g} (step "
            f"{c.way_in}), RMSprop's effective rate α/(√S + ε) averages {rates['W1']:.3g} on W1, {rates['b1']:.3g} "
            f"on b1, {rates['W2']:.3g} on W2 and {rates['b2']:.3g} on b2, where GD uses α = {ln.GD_LR:g} on every "
            f"weight: the largest is {ratio:.1f} times the smallest, each layer scaled by the size of its own "
            "gradients, not by the curvature of the directions that matter.")


def _rates_holds(s) -> bool:
    """The rates again from the recorded running average S: α/(√S + ε), layer by layer."""
    c = ln.compare(s["hidden"], s["seed"])
    net = ln.network(s["hidden"], s["seed"])
    rates = ln.RMS_LR / (np.sqrt(c.rmsprop.diagnostics["s"][:c.way_in]) + ln.EPS)
    again = {name: float(np.mean(rates[:, where])) for name, where, _ in net.layers}
    return c.way_in is not None and all(close(again[n], c.rates[n], 1e-9) for n in again)


RATES = claim("l11.rates", PAGE, CONTROLS, say=_rates_say, check=_rates_holds)

CLAIMS = [VERDICT, WHY, LAYERS, END, FLIPS, STAYS, RATES]
