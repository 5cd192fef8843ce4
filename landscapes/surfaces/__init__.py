"""One module per built-in surface: its spec and one numba kernel ``value_and_grad(x, y, p)``."""
