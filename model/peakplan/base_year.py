"""The base year evaluated by the model's own accounting (formulation §4, ``build/accounting.py``).

:func:`model_base_year_accounting` builds the model for the base year alone — no investment,
no targets, no unit rules, recorded retirements not honoured (units retired after the base
year still ran in it) — and sets every decision variable to its base-year quantity instead of
solving: new capacity, storage, retirement, retrofit, repowering, fuel switching and unserved
demand 0; each named unit and each existing wind/PV capacity at its base-year generation; the
net import at demand − local generation, with exports attributed fossil first. Flows are spread
evenly over the hours (the ledger only needs annual sums, and an even spread makes the hourly
export attribution equal the annual one of the inputs).

The ledger expressions of the built model (``e_total_energy_tce``, ``e_co2_tco2``,
``e_nonfossil_local_tce``, ``e_nonfossil_tce`` and every ``e_energy_term_tce``) are then
evaluated with these values, so the base year is computed by exactly the code that accounts the
milestone years. Base-year generation is not an input column: it comes from the same full-load
hours :mod:`peakplan.inputs_report` uses (``estimates.units()`` hours and ``estimates.FLH``).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd
import pyomo.environ as pyo

from peakplan import estimates
from peakplan.build import build_model
from peakplan.build.units import FOSSIL_TECHS
from peakplan.config import Scenario, TimeConfig
from peakplan.io.load import Dataset
from peakplan.io.schema import HOURS_PER_YEAR, TARGETS
from peakplan.time import make_time_index

log = logging.getLogger(__name__)

#: Columns of :func:`model_base_year_accounting`.
COLUMNS: tuple[str, ...] = ("jurisdiction", "term", "value", "unit")


def _base_year_scenario(scenario: Scenario, y0: int) -> Scenario:
    """The scenario's accounting switches on the base year alone, with nothing to decide."""
    pol = replace(scenario.policy, honour_recorded_retirements=False, unit_rules=False, committed_projects=False,
                  targets_off=(*TARGETS, "committed_projects"), integer_retirement=False)
    return replace(scenario, years=(y0,), policy=pol, elastic=False, time=TimeConfig(mode="rep", days=1))


def _unit_generation(data: Dataset, j: str) -> dict[str, float]:
    """Base-year generation (MWh) of every named unit of ``j`` (0 if commissioned later)."""
    hours = {str(u.row["unit_id"]): float(u.hours_2020) for u in estimates.units()}
    units = data.table("units")
    out: dict[str, float] = {}
    for _, r in units[units.jurisdiction == j].iterrows():
        h = hours.get(str(r.unit_id))
        if h is None:
            log.warning("unit %s of %s has no base-year hours in peakplan.estimates; counted as 0 MWh", r.unit_id, j)
        out[str(r.unit_id)] = float(r.capacity_mw) * (h or 0.0) if int(r.commissioning_year) <= data.base_year else 0.0
    return out


def _vre_generation(data: Dataset, j: str) -> dict[str, float]:
    """Base-year generation (MWh) of the existing wind and PV of ``j`` by technology."""
    ex = data.table("existing_capacity")
    ex = ex[(ex.jurisdiction == j) & (ex.year == data.base_year)]
    out: dict[str, float] = {}
    for g, mw in zip(ex.technology, ex.capacity_mw):
        if g in estimates.FLH:
            out[str(g)] = out.get(str(g), 0.0) + float(mw) * estimates.FLH[g]
    return out


def model_base_year_accounting(data: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Every ledger term of every jurisdiction of ``data`` in the base year, by the model's accounting.

    One row per (jurisdiction, term): the registered terms of ``e_energy_term_tce`` (tce) and the
    totals ``TEC``, ``NFL``, ``NF`` (tce), ``CO2`` (tCO2) and ``NF_share`` (fraction).
    """
    y0 = data.base_year
    data0 = replace(data, years=(y0,), _cache={})
    scen0 = _base_year_scenario(scenario, y0)
    rows: list[dict[str, object]] = []
    for j in data.jurisdictions:
        ti = make_time_index({j: data.timeseries[j]}, scen0.time)
        built = build_model(data0, scen0, ti, jurisdictions=(j,), elastic=False)
        m = built.model
        for v in m.component_data_objects(pyo.Var):
            v.set_value(0.0, skip_validation=True)
        per_h = 1.0 / HOURS_PER_YEAR
        unit_gen = _unit_generation(data, j)
        units = data.table("units").set_index("unit_id")
        fossil_mw = 0.0
        for u in m.UNITS:
            mw = unit_gen.get(u, 0.0) * per_h
            for t in m.STEPS:
                m.v_unit_gen_mw[u, y0, t].set_value(mw, skip_validation=True)
            if units.loc[u, "technology"] in FOSSIL_TECHS:
                share = units.loc[u, "cofire_share"]
                start = units.loc[u, "cofire_from_year"]
                phi = 0.0 if pd.isna(share) or (not pd.isna(start) and y0 < int(start)) else float(share)
                fossil_mw += (1 - phi) * mw
        vre = _vre_generation(data, j)
        for jj, g in m.VRE:
            for t in m.STEPS:
                m.v_vre_gen_mw[jj, g, y0, t].set_value(vre.get(g, 0.0) * per_h, skip_validation=True)
        local_mw = (sum(unit_gen.values()) + sum(vre.values())) * per_h
        net_mw = data.jy(j, y0, "electricity_demand_mwh") * per_h - local_mw
        imp, exp = max(net_mw, 0.0), max(-net_mw, 0.0)
        exp_f = min(exp, fossil_mw) if scenario.policy.export_attribution == "fossil_first" else exp
        for t in m.STEPS:
            m.v_import_mw[j, y0, t].set_value(imp, skip_validation=True)
            m.v_export_fossil_mw[j, y0, t].set_value(exp_f, skip_validation=True)
            m.v_export_nonfossil_mw[j, y0, t].set_value(exp - exp_f, skip_validation=True)
        for term in m.ENERGY_TERMS:
            rows.append({"jurisdiction": j, "term": term, "value": pyo.value(m.e_energy_term_tce[j, y0, term]),
                         "unit": "tce"})
        tec = pyo.value(m.e_total_energy_tce[j, y0])
        nf = pyo.value(m.e_nonfossil_tce[j, y0])
        for term, value, unit in (("TEC", tec, "tce"), ("NFL", pyo.value(m.e_nonfossil_local_tce[j, y0]), "tce"),
                                  ("NF", nf, "tce"), ("CO2", pyo.value(m.e_co2_tco2[j, y0]), "tCO2"),
                                  ("NF_share", nf / tec if tec else float("nan"), "fraction")):
            rows.append({"jurisdiction": j, "term": term, "value": value, "unit": unit})
        log.debug("%s %s by the model's accounting: TEC %.0f tce, NF share %.4f", j, y0, tec, nf / tec)
    return pd.DataFrame(rows, columns=list(COLUMNS))


__all__ = ["COLUMNS", "model_base_year_accounting"]
