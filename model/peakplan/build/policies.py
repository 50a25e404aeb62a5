"""Policy targets (formulation §5), one constraint family each, with slack hooks.

Each target row k (from targets.csv, and committed projects from projects.csv) has a mutable
level ``p_target_level[k]`` so sweeps can change it without a rebuild. A row is *soft* when the
scenario treats its firmness as soft, or in elastic mode: it then gets ``v_target_slack[k] ≥ 0``
priced in the objective at the penalty of its unit (far above any real cost), and the result
names every target missed and by how much.

| family | constraint (slack s relaxes it) | slack unit |
|---|---|---|
| nonfossil_share | NF − level·TEC + s ≥ 0 | tce |
| energy_intensity | TEC_assessed − s ≤ (1 − level)·(TEC_base/GDP_base)·GDP | tce |
| co2_intensity | CO2 − s ≤ (1 − level)·(CO2_base/GDP_base)·GDP | tCO2 |
| new_energy_capacity | Σ_VRE K + s ≥ level | MW |
| new_energy_additions | Σ_VRE K − Σ_VRE K_base + s ≥ level | MW |
| curtailment | curtailed + ... − s ≤ level · available VRE energy | MWh |
| gas_share | G − level·TEC + s ≥ 0 | tce |
| gas_min | G + s ≥ level | tce |
| coal_cap | C − s ≤ level | tce |
| storage_pairing | Σ new storage MWh + s ≥ level · Σ new VRE MW | MWh |
| committed (per technology) | cumulative new MW (MWh) + s ≥ committed | MW (MWh) |

TEC_assessed = TEC − x·(NFL − NF_exported − NFL_base) (accounting.py), x = 1 when ``exclude_new_re``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms

log = logging.getLogger(__name__)

SLACK_UNIT = {
    "nonfossil_share": "tce", "energy_intensity": "tce", "co2_intensity": "tco2", "new_energy_capacity": "mw",
    "new_energy_additions": "mw", "curtailment": "mwh", "gas_share": "tce", "gas_min": "tce", "coal_cap": "tce",
    "storage_pairing": "mwh", "committed_capacity": "mw", "committed_energy": "mwh",
}
SENSE = {
    "nonfossil_share": "ge", "energy_intensity": "le", "co2_intensity": "le", "new_energy_capacity": "ge",
    "new_energy_additions": "ge", "curtailment": "le", "gas_share": "ge", "gas_min": "ge", "coal_cap": "le",
    "storage_pairing": "ge", "committed_capacity": "ge", "committed_energy": "ge",
}


@dataclass(frozen=True)
class TargetRow:
    """One policy constraint k."""

    key: str
    target: str  # family name
    jurisdiction: str
    year: int
    level: float
    firmness: str
    soft: bool
    technology: str = ""
    source: str = ""
    # whose figure the level is (targets.csv `basis`, chosen by the scenario's policy.target_basis)
    basis: str = "plan"


def target_rows(ctx: BuildContext) -> list[TargetRow]:
    """The policy constraints of this block, after scenario treatment (off / soft / hard)."""
    pol = ctx.scenario.policy
    rows: list[TargetRow] = []
    t = ctx.data.table("targets")
    for _, r in t.iterrows():
        if r.jurisdiction not in ctx.jurisdictions or int(r.year) not in ctx.years:
            continue
        treatment = pol.firmness.get(r.firmness, "hard")
        if treatment == "off" or r.target in pol.targets_off:
            continue
        rows.append(TargetRow(f"{r.target}|{r.jurisdiction}|{int(r.year)}", r.target, r.jurisdiction, int(r.year),
                              float(r.value), r.firmness, ctx.elastic or treatment == "soft", source=str(r.source),
                              basis=str(r.basis)))
    if pol.committed_projects and "committed_projects" not in pol.targets_off:
        p = ctx.data.table("projects")
        p = p[p.jurisdiction.isin(ctx.jurisdictions)]
        for j in ctx.jurisdictions:
            for g in sorted(set(p[p.jurisdiction == j].technology)):
                pg = p[(p.jurisdiction == j) & (p.technology == g)]
                for y in ctx.years:
                    due = pg[pg.year <= y]
                    if due.empty:
                        continue
                    mw = float(due.capacity_mw.sum())
                    rows.append(TargetRow(f"committed_capacity|{j}|{y}|{g}", "committed_capacity", j, y, mw,
                                          "hard", ctx.elastic, g, "; ".join(due.project_id)))
                    mwh = float(due.energy_mwh.fillna(0).sum())
                    if mwh > 0:
                        rows.append(TargetRow(f"committed_energy|{j}|{y}|{g}", "committed_energy", j, y, mwh,
                                              "hard", ctx.elastic, g, "; ".join(due.project_id)))
    return rows


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> list[TargetRow]:
    """Add every target constraint family; return the rows (for results and diagnosis)."""
    rows = target_rows(ctx)
    by_key = {r.key: r for r in rows}
    J, Y = ctx.jurisdictions, ctx.years
    by = ctx.base_year
    m.TARGET_ROWS = pyo.Set(initialize=[r.key for r in rows], ordered=True, doc="policy target rows k")
    m.SOFT_TARGET_ROWS = pyo.Set(initialize=[r.key for r in rows if r.soft], within=m.TARGET_ROWS, ordered=True,
                                 doc="target rows with a slack (soft or elastic)")
    m.p_target_level = pyo.Param(m.TARGET_ROWS, initialize={r.key: r.level for r in rows}, mutable=True,
                                 doc="target level in the target's unit")
    m.v_target_slack = pyo.Var(m.SOFT_TARGET_ROWS, within=pyo.NonNegativeReals,
                               doc="shortfall of a soft target, in its slack unit")
    m.p_gdp_cny = pyo.Param(m.JURISDICTIONS, m.YEARS, mutable=True, doc="GDP (CNY, 2020 prices)",
                            initialize={(j, y): ctx.data.jy(j, y, "gdp_cny") for j in J for y in Y})

    def base(j: str, p: str) -> float:
        return ctx.data.jy(j, by, p)

    def slack(k: str) -> pyo.Expression:
        return m.v_target_slack[k] if k in m.SOFT_TARGET_ROWS else 0.0

    def family(name: str) -> list[str]:
        return [r.key for r in rows if r.target == name]

    q = terms.quantity

    def _c_nonfossil_share(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Non-fossil share: :math:`NF - s \cdot TEC + \sigma \ge 0`."""
        r = by_key[k]
        return (mm.e_nonfossil_tce[r.jurisdiction, r.year] - mm.p_target_level[k] * mm.e_total_energy_tce[
            r.jurisdiction, r.year] + slack(k) >= 0)

    def _c_energy_intensity(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Energy intensity: :math:`TEC^{assessed} - \sigma \le (1-d)\,\frac{TEC_{base}}{GDP_{base}}\,GDP`."""
        r = by_key[k]
        j, y = r.jurisdiction, r.year
        intensity = base(j, "total_energy_tce") / base(j, "gdp_cny")
        return (mm.e_total_energy_assessed_tce[j, y] - slack(k)
                <= (1 - mm.p_target_level[k]) * intensity * mm.p_gdp_cny[j, y])

    def _c_co2_intensity(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""CO2 intensity: :math:`CO_2 - \sigma \le (1-d)\,\frac{CO_{2,base}}{GDP_{base}}\,GDP`."""
        r = by_key[k]
        intensity = base(r.jurisdiction, "co2_tco2") / base(r.jurisdiction, "gdp_cny")
        return (mm.e_co2_tco2[r.jurisdiction, r.year] - slack(k)
                <= (1 - mm.p_target_level[k]) * intensity * mm.p_gdp_cny[r.jurisdiction, r.year])

    def _c_new_energy_capacity(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""New-energy capacity: :math:`\sum_{VRE} K + \sigma \ge \underline{K}`."""
        r = by_key[k]
        return q("vre_capacity_mw", r.jurisdiction, r.year) + slack(k) >= mm.p_target_level[k]

    def _c_new_energy_additions(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""New-energy additions since the base year: :math:`\sum_{VRE} (K - K_{base}) + \sigma \ge \underline{A}`."""
        r = by_key[k]
        added = q("vre_capacity_mw", r.jurisdiction, r.year) - q("vre_base_capacity_mw", r.jurisdiction, r.year)
        return added + slack(k) >= mm.p_target_level[k]

    def _c_curtailment(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Curtailment: :math:`\sum_t w (cf K - p) - \sigma \le c_{max} \sum_t w\, cf K`."""
        r = by_key[k]
        return (q("vre_curtailed_mwh", r.jurisdiction, r.year) - slack(k)
                <= mm.p_target_level[k] * q("vre_available_mwh", r.jurisdiction, r.year))

    def _c_gas_share(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Gas share: :math:`G - g \cdot TEC + \sigma \ge 0`."""
        r = by_key[k]
        return (mm.e_gas_tce[r.jurisdiction, r.year] - mm.p_target_level[k] * mm.e_total_energy_tce[
            r.jurisdiction, r.year] + slack(k) >= 0)

    def _c_gas_min(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Gas use floor: :math:`G + \sigma \ge \underline{G}`."""
        r = by_key[k]
        return mm.e_gas_tce[r.jurisdiction, r.year] + slack(k) >= mm.p_target_level[k]

    def _c_coal_cap(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Coal cap: :math:`C - \sigma \le \overline{C}`."""
        r = by_key[k]
        return mm.e_coal_tce[r.jurisdiction, r.year] - slack(k) <= mm.p_target_level[k]

    def _c_storage_pairing(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Storage pairing: :math:`\sum_{y'\le y} E^{new} + \sigma \ge \rho \sum_{y' \le y} K^{new}_{VRE}`."""
        r = by_key[k]
        return (q("storage_new_energy_cumulative_mwh", r.jurisdiction, r.year) + slack(k)
                >= mm.p_target_level[k] * q("vre_new_cumulative_mw", r.jurisdiction, r.year))

    def _c_committed_capacity(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Committed projects: :math:`\sum_{y' \le y} x^{new}_{jgy'} + \sigma \ge \text{committed MW}`."""
        r = by_key[k]
        return q(f"new_cumulative_mw:{r.technology}", r.jurisdiction, r.year) + slack(k) >= mm.p_target_level[k]

    def _c_committed_energy(mm: pyo.ConcreteModel, k: str) -> pyo.Expression:
        r"""Committed storage energy: :math:`\sum_{y' \le y} E^{new}_{jsy'} + \sigma \ge \text{committed MWh}`."""
        r = by_key[k]
        return q(f"new_cumulative_mwh:{r.technology}", r.jurisdiction, r.year) + slack(k) >= mm.p_target_level[k]

    rules = {
        "nonfossil_share": (_c_nonfossil_share, "NF − level·TEC + slack ≥ 0"),
        "energy_intensity": (_c_energy_intensity, "TEC_assessed − slack ≤ (1 − d)·I_base·GDP"),
        "co2_intensity": (_c_co2_intensity, "CO2 − slack ≤ (1 − d)·CI_base·GDP"),
        "new_energy_capacity": (_c_new_energy_capacity, "Σ VRE capacity + slack ≥ level"),
        "new_energy_additions": (_c_new_energy_additions, "Σ VRE capacity − base + slack ≥ level"),
        "curtailment": (_c_curtailment, "curtailed − slack ≤ level · available"),
        "gas_share": (_c_gas_share, "G − level·TEC + slack ≥ 0"),
        "gas_min": (_c_gas_min, "G + slack ≥ level"),
        "coal_cap": (_c_coal_cap, "C − slack ≤ level"),
        "storage_pairing": (_c_storage_pairing, "new storage MWh + slack ≥ level · new VRE MW"),
        "committed_capacity": (_c_committed_capacity, "cumulative new MW + slack ≥ committed MW"),
        "committed_energy": (_c_committed_energy, "cumulative new MWh + slack ≥ committed MWh"),
    }
    for name, (rule, doc) in rules.items():
        keys = family(name)
        idx = pyo.Set(initialize=keys, ordered=True, doc=f"rows of target family {name}")
        setattr(m, f"TARGETS_{name.upper()}", idx)
        setattr(m, f"c_{name}", pyo.Constraint(idx, rule=rule, doc=doc))

    pen = ctx.scenario.penalties

    def penalty(j: str, y: int) -> pyo.Expression:
        return sum(getattr(pen, SLACK_UNIT[r.target]) * m.v_target_slack[r.key] for r in rows
                   if r.soft and r.jurisdiction == j and r.year == y)

    terms.add_cost("target_shortfall_penalty", penalty)
    log.debug("%d target rows (%d soft)", len(rows), sum(r.soft for r in rows))
    return rows
