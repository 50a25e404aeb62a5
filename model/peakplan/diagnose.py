"""Diagnosis of missed targets: which target of which jurisdiction, by how much, in planners' units.

A strict run that is infeasible is re-built in elastic mode (every target gets a penalised
slack) and re-solved; the targets whose slack is positive are the ones that cannot be met
together, and the elastic solution says by how much. Penalties are far above any real cost, so
the elastic optimum misses as little as it can (weighted across targets by their penalties).
"""

from __future__ import annotations

import pandas as pd

SHARE_TARGETS = {"nonfossil_share", "gas_share", "curtailment", "energy_intensity", "co2_intensity"}
UNIT_LABEL = {"mw": "MW", "mwh": "MWh", "tce": "tce", "mwh_per_mw": "MWh per MW"}


def describe_shortfall(row: pd.Series) -> str:
    """One sentence: target, jurisdiction, year, required, achieved and the gap."""
    what = row.target if not row.get("technology") else f"{row.target} ({row.technology})"
    if row.target in SHARE_TARGETS:
        gap = 100.0 * float(row.slack)
        kind = "reduction " if row.target.endswith("intensity") else ""
        if row.target == "curtailment":
            return (f"{row.jurisdiction} {row.year} {what}: at most {100 * row.required:.1f} % allowed, "
                    f"{100 * row.achieved:.1f} % needed (over by {gap:.2f} percentage points)")
        return (f"{row.jurisdiction} {row.year} {what}: required {kind}{100 * row.required:.1f} %, achievable "
                f"{100 * row.achieved:.1f} % (short by {gap:.2f} percentage points)")
    unit = UNIT_LABEL.get(str(row.unit), str(row.unit))
    verb = "over" if row.target == "coal_cap" else "short"
    return (f"{row.jurisdiction} {row.year} {what}: required {row.required:,.6g} {unit}, achievable "
            f"{row.achieved:,.6g} {unit} ({verb} by {row.slack:,.6g} {unit})")


def shortfalls(targets: pd.DataFrame) -> list[str]:
    """Sentences for every target with a positive slack."""
    if targets.empty:
        return []
    missed = targets[targets.slack > 0]
    return [describe_shortfall(r) for _, r in missed.iterrows()]
