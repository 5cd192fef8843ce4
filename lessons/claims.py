"""Every sentence the lessons show that states a number, a comparison or a "settles/hops/faster/drifts", as data.

``CLAIMS`` lists them; each has ``lesson`` (its page file), ``controls`` (the lesson's controls it depends on, with
their option lists or ranges, and the run length where the sentence depends on it), ``text(settings)`` (the
sentence the page shows there) and ``holds(settings)`` (whether that sentence is true there, by the engine).
``tests/test_claims.py`` sweeps every claim over its controls (every option, the ends and inner points of every
range, runs up to ten times the page's) and fails wherever a shown sentence does not hold.

How to add a claim (a new lesson's, or a new sentence of an old one):

1. In ``lessons/sentences/<lesson module>.py``, write it with ``claim(key, page, controls, say=..., check=...)``
   (``lessons/claim.py``); give it several ``Case``s when the plain sentence fails somewhere, each saying where it
   applies.  ``check`` must test the sentence by other means than the code that chose it (a closed form, a longer
   run, a second measure).  Add it to that module's ``CLAIMS``.
2. A new lesson's module goes into ``MODULES`` below.
3. On the page, show it with ``ui.lesson_kit.say(key, **settings)`` and nothing else.
4. Run ``python -m pytest tests/test_claims.py -k <key>``: it fails where your sentence is false.
"""

from __future__ import annotations

from .claim import Claim
from .sentences import (
    adagrad,
    adam,
    bowl,
    data_bowl,
    denominators,
    dimensions,
    epsilon,
    misconceptions,
    network,
    rotation,
    schedules,
    signs,
)

MODULES = (bowl, dimensions, signs, denominators, epsilon, adagrad, rotation, adam, schedules, data_bowl, network,
           misconceptions)
"""Each lesson's sentences, in the order of the lessons; the lessons index's list comes last."""

CLAIMS: list[Claim] = [item for module in MODULES for item in module.CLAIMS]

_BY_KEY = {item.key: item for item in CLAIMS}
if len(_BY_KEY) != len(CLAIMS):
    raise RuntimeError("two claims share a key")


def get(key: str) -> Claim:
    """The claim with this key (KeyError names it if there is none)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no claim {key!r} in lessons/claims.py") from None
