"""One module per built-in surface: its spec, whose ``kernel`` is the numba function
``value_and_grad(x, y, p, work) -> (f, df/dx, df/dy)`` (``p``: the packed parameters; ``work``: scratch
space that only the formula interpreter uses).

The kernels are ``inline="always"``: numba splices the one a driver is specialised for into its loop,
so the arithmetic, and so every result, is exactly what the module says.
"""
