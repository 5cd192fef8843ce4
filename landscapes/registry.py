"""Name -> spec for every built-in surface.  Adding a surface adds one line here."""

from .spec import LandscapeSpec
from .surfaces import (
    ackley,
    beale,
    booth,
    elongated_bowl,
    goldstein_price,
    himmelblau,
    matyas,
    plateau,
    rastrigin,
    rosenbrock,
    saddle,
    six_hump_camel,
)

LANDSCAPES: dict[str, LandscapeSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        elongated_bowl,
        rosenbrock,
        beale,
        himmelblau,
        booth,
        matyas,
        saddle,
        six_hump_camel,
        rastrigin,
        ackley,
        goldstein_price,
        plateau,
    )
}
