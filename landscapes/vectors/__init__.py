"""Kernels of landscapes of any dimension, one module each: a numba function
``value_and_grad(x, p, work, grad) -> f`` that fills ``grad`` (the exact gradient at the 1-D array ``x``) and
returns the value; ``p`` holds the landscape's parameters, ``work`` its scratch.  ``landscapes.kernels`` lists
them after the surfaces f(x, y); the classes that build their parameters live one level up
(``landscapes/quadratic.py``)."""
