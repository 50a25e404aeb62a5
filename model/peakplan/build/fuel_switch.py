"""Industrial fuel-switch blocks: coal → gas (煤改气) and coal → electricity (煤改电).

- ``BLOCKS``: block ids b, each of one jurisdiction and one target fuel.
- ``v_switch_tce[b,y]``: coal use switched by y (tce/yr), ≤ max_share · size (``c_switch_max``),
  non-decreasing in y (``c_switch_monotone``).
- Coal use left: size − sw (ledger term ``coal_industry_blocks``).
- A gas block adds sw · η_coal / η_gas tce of gas (``gas_switched_blocks``).
- An electric block adds sw · η_coal / η_el / 0.1229 MWh of electricity per year, spread flat over
  the year (balance withdrawal ``switched_electricity``).
- Costs: annualised conversion capex on the switched amount, coal bought for the unswitched part,
  gas bought for gas blocks (electricity is paid through the balance).
"""

from __future__ import annotations

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms
from peakplan.io.schema import HOURS_PER_YEAR


def _c_switch_max(m: pyo.ConcreteModel, b: str, y: int) -> pyo.Expression:
    r"""Switchable part: :math:`sw_{by} \le \sigma_b S_b`."""
    return m.v_switch_tce[b, y] <= m.p_block_max_share[b] * m.p_block_size_tce[b]


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add fuel-switch blocks and register their terms."""
    blocks = ctx.data.table("fuel_switch_blocks")
    blocks = blocks[blocks.jurisdiction.isin(ctx.jurisdictions)].set_index("block_id", drop=False).sort_index()
    ids = list(blocks.index)
    m.BLOCKS = pyo.Set(initialize=ids, ordered=True, doc="industrial fuel-switch blocks b")
    m.p_block_size_tce = pyo.Param(m.BLOCKS, initialize={b: float(blocks.loc[b, "coal_use_tce"]) for b in ids},
                                   mutable=True, doc="coal use of the block S_b (tce/yr)")
    m.p_block_max_share = pyo.Param(m.BLOCKS, initialize={b: float(blocks.loc[b, "max_share"]) for b in ids},
                                    mutable=True, doc="largest switchable share σ_b (-)")
    m.v_switch_tce = pyo.Var(m.BLOCKS, m.YEARS, within=pyo.NonNegativeReals, doc="coal use switched by y (tce/yr)")
    m.c_switch_max = pyo.Constraint(m.BLOCKS, m.YEARS, rule=_c_switch_max, doc="sw ≤ σ · S")

    def _c_switch_monotone(mm: pyo.ConcreteModel, b: str, y: int) -> pyo.Expression:
        r"""Switching is not undone: :math:`sw_{by} \ge sw_{b,y-1}`."""
        i = ctx.years.index(y)
        return pyo.Constraint.Skip if i == 0 else mm.v_switch_tce[b, y] >= mm.v_switch_tce[b, ctx.years[i - 1]]

    m.c_switch_monotone = pyo.Constraint(m.BLOCKS, m.YEARS, rule=_c_switch_monotone, doc="sw[y] ≥ sw[y-1]")

    by_j: dict[str, list[str]] = {}
    for b in ids:
        by_j.setdefault(str(blocks.loc[b, "jurisdiction"]), []).append(b)
    ratio = {b: float(blocks.loc[b, "efficiency_coal"]) / float(blocks.loc[b, "efficiency_target"]) for b in ids}
    fuel = {b: str(blocks.loc[b, "target_fuel"]) for b in ids}
    cal = ctx.data.const("electricity_calorific_tce_per_mwh")

    terms.add_energy("coal", "coal_industry_blocks",
                     lambda j, y: sum(m.p_block_size_tce[b] - m.v_switch_tce[b, y] for b in by_j.get(j, [])))
    terms.add_energy("gas", "gas_switched_blocks",
                     lambda j, y: sum(ratio[b] * m.v_switch_tce[b, y] for b in by_j.get(j, []) if fuel[b] == "gas"))
    terms.add_withdrawal("switched_electricity",
                         lambda j, y, t: sum(ratio[b] / cal / HOURS_PER_YEAR * m.v_switch_tce[b, y]
                                             for b in by_j.get(j, []) if fuel[b] == "electricity"))

    def capex(j: str, y: int) -> pyo.Expression:
        return sum(ctx.crf(float(blocks.loc[b, "lifetime_yr"])) * float(blocks.loc[b, "capex_cny_per_tce_yr"])
                   * m.v_switch_tce[b, y] for b in by_j.get(j, []))

    def fuel_cost(j: str, y: int) -> pyo.Expression:
        coal = ctx.data.sy(y, "coal_price_cny_per_tce")
        gas = ctx.data.sy(y, "gas_price_cny_per_tce")
        return sum(coal * (m.p_block_size_tce[b] - m.v_switch_tce[b, y])
                   + (gas * ratio[b] * m.v_switch_tce[b, y] if fuel[b] == "gas" else 0.0)
                   for b in by_j.get(j, []))

    terms.add_cost("fuel_switch_capex", capex)
    terms.add_cost("fuel_switch_block_fuel", fuel_cost)
