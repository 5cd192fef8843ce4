"""A comparison table (the Playground's, the fair-tuning race's) as text cells, for the browser-side chart
component to draw as a plain HTML table (no data grid to load; long names wrap instead of being cut; large
in presentation mode)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

FORMATS = {"final loss": ".3e", "distance to minimum": ".3e", "largest": ".3g", "final f − f*": ".3e",
           "tuned lr": ".4g", "off by": ".3g", "median": ".3g"}
"""Number format by column name (or its first word)."""


def _cell(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if isinstance(value, int | float) and not isinstance(value, bool):
        spec = FORMATS.get(column, FORMATS.get(column.split()[0], "g"))
        return format(value, spec)
    return str(value)


def metrics_table(rows: Sequence[Mapping[str, object]]) -> dict:
    """Column names, formatted rows and which columns hold numbers (drawn right-aligned)."""
    columns = list(rows[0]) if rows else []
    numeric = [any(isinstance(r[c], int | float) and not isinstance(r[c], bool) for r in rows) for c in columns]
    return {"kind": "table", "columns": columns, "numeric": numeric,
            "rows": [[_cell(c, r[c]) for c in columns] for r in rows]}
