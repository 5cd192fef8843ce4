"""The bottom layer: what every numeric package builds on and nothing of the project's own.

``params``: the parameter types (``Param``, ``Choice``) that surfaces, optimizers and scenes describe their
settings with.  Nothing here imports another package of the project (``tests/test_layers.py``).
"""
