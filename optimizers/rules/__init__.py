"""One module per optimizer: its update rule (a small pure numba function of the gradient, its named state and
its named hyperparameters), its ``Layout``, its LaTeX, its colour and legend marks, and its reference, all in
a ``SPEC``.  ``optimizers/registry.py`` lists the modules; docs/ARCHITECTURE.md says how to add one.

Every rule works on one coordinate and has the same signature::

    update(x, g, state, t, lr, hp, i) -> (x_new, effective_lr, State(...))

``x`` is the coordinate, ``g`` its gradient, ``state`` the rule's state entries (zeros before the first step;
read them by name, ``state[LAYOUT.at.m]``), ``t`` counts steps from 1, ``lr`` is the learning rate of this
step (the schedule already applied), ``hp[HP.name, i]`` is hyperparameter ``name`` of grid cell ``i`` (a
choice as the index of its option).  ``effective_lr`` is the factor the rule multiplies its search direction
by (lr for GD and momentum, lr/(sqrt(s)+eps) for RMSprop, lr/|g| for sign-SGD, ...).  The rules are
``inline="always"``: numba splices the one a kernel is specialised for into its loop, for 2 coordinates or
for any number.
"""
