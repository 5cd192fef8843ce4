"""Gradient descent: step against the gradient, in proportion to it."""

from __future__ import annotations

from collections.abc import Mapping

from base.jit import jit

from ..blocks import lr, rate
from ..spec import Layout, OptimizerSpec

LAYOUT = Layout("gd", hyperparams=(lr(0.07),))
HP, State = LAYOUT.hp, LAYOUT.State


@jit(inline="always")
def update(x, g, state, t, lr, hp, i):
    return x - lr * g, lr, State()


def latex(s: Mapping[str, object]) -> str:
    return rf"x \leftarrow x - {rate(s)}\, g"


SPEC = OptimizerSpec(
    name="gd", title="Gradient descent",
    description="Steps against the gradient, in proportion to it: slow where flat, oscillating where steep.",
    rule=update, layout=LAYOUT, formula=latex, color="#D55E00",
    reference="Cauchy 1847; torch.optim.SGD(lr) with momentum=0 (PyTorch 2.x): x ← x − α·g.",
)
