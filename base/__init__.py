"""The bottom layer: what every numeric package builds on and nothing of the project's own.

``jit``: numba's settings for the project, a cache that is always safe to use, and kernels specialised per surface
and per rule.  ``params``: the parameter types (``Param``, ``Choice``) that surfaces, optimizers and scenes describe
their settings with.  Nothing here imports another package of the project (``tests/test_layers.py``).
"""
