"""China's energy accounting (formulation §4), per jurisdiction and year — the one place it is written.

From the registered ledger terms (tce per year):

- ``e_energy_term_tce[j,y,term]``: every registered term, by name (reported in energy_balance.csv);
- ``e_coal_tce`` C, ``e_gas_tce`` G, ``e_oil_tce`` O, ``e_nonfossil_local_tce`` NFL,
  ``e_net_import_tce`` M, ``e_import_nonfossil_tce`` MNF, ``e_other_nonfossil_tce`` ONF;
- ``e_total_energy_tce`` TEC = C + G + O + NFL + M + ONF;
- ``e_nonfossil_tce`` NF = NFL + MNF + ONF;
- ``e_co2_tco2`` = C·ef_coal + G·ef_gas + O·ef_oil + indirect grid emissions (if included);
- ``e_total_energy_assessed_tce`` = TEC − x·(NFL − NF_exported − NFL_base): energy consumption as
  assessed under the national rule that new renewable energy *consumed* is not counted against
  energy-consumption control (x = 1 with ``exclude_new_re``); exported non-fossil electricity is
  already out of TEC through M, so it is not deducted twice.

Exogenous final uses (coal outside blocks and units, gas, oil, other non-fossil) enter here from
jurisdiction_year.csv. Biomass counting: biomass, waste and hydro units count their electricity
by the coal-consumption factor f_pe; biomass co-fired in coal units counts as fuel (never both).
A carbon price, if set, adds cost component ``carbon`` = price × CO2.
"""

from __future__ import annotations

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import ENERGY_CATEGORIES, SystemTerms

EXOGENOUS = {
    "coal": ("coal_final_other", "coal_other_tce"),
    "gas": ("gas_final", "gas_final_tce"),
    "oil": ("oil_final", "oil_final_tce"),
    "other_nonfossil": ("other_nonfossil", "other_nonfossil_tce"),
}


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add the accounting expressions of every (j, y) and the carbon-price cost."""
    J, Y = ctx.jurisdictions, ctx.years
    m.p_exogenous_tce = pyo.Param(m.JURISDICTIONS, m.YEARS, list(EXOGENOUS), mutable=True,
                                  doc="exogenous final energy use by category (tce)",
                                  initialize={(j, y, c): ctx.data.jy(j, y, EXOGENOUS[c][1])
                                              for j in J for y in Y for c in EXOGENOUS})
    for cat, (term, _) in EXOGENOUS.items():
        terms.add_energy(cat, term, lambda j, y, cat=cat: m.p_exogenous_tce[j, y, cat])

    index = [(cat, term) for cat in ENERGY_CATEGORIES for term in terms.energy.get(cat, {})]
    m.ENERGY_TERMS = pyo.Set(initialize=[t for _, t in index], ordered=True, doc="energy ledger terms")
    cat_of = {t: c for c, t in index}

    def term_rule(mm: pyo.ConcreteModel, j: str, y: int, term: str) -> pyo.Expression:
        return terms.energy[cat_of[term]][term](j, y)

    m.e_energy_term_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, m.ENERGY_TERMS, rule=term_rule,
                                         doc="each registered ledger term (tce)")

    def category(cat: str):  # noqa: ANN202 - a Pyomo rule factory
        def rule(mm: pyo.ConcreteModel, j: str, y: int) -> pyo.Expression:
            return sum(mm.e_energy_term_tce[j, y, t] for c, t in index if c == cat)
        return rule

    m.e_coal_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("coal"), doc="C: coal (tce)")
    m.e_gas_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("gas"), doc="G: natural gas (tce)")
    m.e_oil_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("oil"), doc="O: oil (tce)")
    m.e_nonfossil_local_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("nonfossil_local"),
                                             doc="NFL: local non-fossil electricity and co-fired biomass (tce)")
    m.e_net_import_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("net_import"),
                                        doc="M: net electricity import × f_pe (tce)")
    m.e_import_nonfossil_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("import_nonfossil"),
                                              doc="MNF: non-fossil part of net import (tce)")
    m.e_other_nonfossil_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=category("other_nonfossil"),
                                             doc="ONF: other non-fossil primary energy (tce)")

    def _tec(mm: pyo.ConcreteModel, j: str, y: int) -> pyo.Expression:
        """TEC = C + G + O + NFL + M + ONF."""
        return (mm.e_coal_tce[j, y] + mm.e_gas_tce[j, y] + mm.e_oil_tce[j, y] + mm.e_nonfossil_local_tce[j, y]
                + mm.e_net_import_tce[j, y] + mm.e_other_nonfossil_tce[j, y])

    def _nf(mm: pyo.ConcreteModel, j: str, y: int) -> pyo.Expression:
        """NF = NFL + MNF + ONF."""
        return mm.e_nonfossil_local_tce[j, y] + mm.e_import_nonfossil_tce[j, y] + mm.e_other_nonfossil_tce[j, y]

    m.e_total_energy_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=_tec, doc="TEC = C+G+O+NFL+M+ONF (tce)")
    m.e_nonfossil_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=_nf, doc="NF = NFL+MNF+ONF (tce)")

    excl = 1.0 if ctx.scenario.policy.exclude_new_re else 0.0

    def _assessed(mm: pyo.ConcreteModel, j: str, y: int) -> pyo.Expression:
        """TEC − x·(NFL − NF_exported − NFL_base)."""
        consumed = mm.e_nonfossil_local_tce[j, y] - terms.quantity("nonfossil_exported_tce", j, y)
        return mm.e_total_energy_tce[j, y] - excl * (consumed - ctx.data.jy(j, ctx.base_year, "nonfossil_electricity_tce"))

    m.e_total_energy_assessed_tce = pyo.Expression(m.JURISDICTIONS, m.YEARS, rule=_assessed,
                                                   doc="TEC − x (NFL − NF_exported − NFL_base) (tce)")

    ef = {(y, f): ctx.data.sy(y, f"ef_{f}_tco2_per_tce") for y in Y for f in ("coal", "gas", "oil")}
    m.EMISSION_SOURCES = pyo.Set(initialize=["coal", "gas", "oil", *terms.emissions], ordered=True,
                                 doc="CO2 sources")

    def _co2_source(mm: pyo.ConcreteModel, j: str, y: int, src: str) -> pyo.Expression:
        if src == "coal":
            return ef[y, "coal"] * mm.e_coal_tce[j, y]
        if src == "gas":
            return ef[y, "gas"] * mm.e_gas_tce[j, y]
        if src == "oil":
            return ef[y, "oil"] * mm.e_oil_tce[j, y]
        return terms.emissions[src](j, y)

    m.e_co2_source_tco2 = pyo.Expression(m.JURISDICTIONS, m.YEARS, m.EMISSION_SOURCES, rule=_co2_source,
                                         doc="CO2 by source (tCO2)")
    m.e_co2_tco2 = pyo.Expression(m.JURISDICTIONS, m.YEARS,
                                  rule=lambda mm, j, y: sum(mm.e_co2_source_tco2[j, y, s] for s in mm.EMISSION_SOURCES),
                                  doc="CO2 = C ef_coal + G ef_gas + O ef_oil + indirect (tCO2)")
    m.p_carbon_price_cny_per_tco2 = pyo.Param(initialize=float(ctx.scenario.policy.carbon_price_cny_per_tco2),
                                              mutable=True, doc="carbon price (CNY/tCO2)")
    terms.add_cost("carbon", lambda j, y: m.p_carbon_price_cny_per_tco2 * m.e_co2_tco2[j, y])
