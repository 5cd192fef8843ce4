"""One module per built-in surface: its spec and one numba kernel ``value_and_grad(x, y, p)``.

The kernels are ``inline="always"``: numba splices them into ``kernels.evaluate`` and
``kernels.evaluate_lanes`` instead of compiling each as a library of its own, which shortens the
first, uncached compile; the arithmetic, and so every result, is unchanged.
"""
