"""Tiny hand-solvable input sets for tests: every table written from small dicts.

``write_toy(path, ...)`` writes a complete inputs/ folder for one or two jurisdictions with flat
profiles (so any number of representative days gives the same answer), zero discount rate
(so CRF = 1/life and DF = 1) and one milestone year by default. Tests pass overrides as lists
of row dicts to add units, blocks, targets and so on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peakplan.config import Scenario, SolverConfig, TimeConfig
from peakplan.io.schema import TABLES_BY_NAME

SRC = "estimate: toy value for a test"


def jy_rows(j: str, years: list[int], demand_mwh: float = 87600.0, gdp: float = 1e10, coal: float = 0.0,
            gas: float = 0.0, oil: float = 0.0, onf: float = 0.0, import_cap: float = 1000.0,
            export_cap: float = 1000.0, base_tec: float = 30000.0, base_co2: float = 60000.0,
            base_nfl: float = 0.0) -> list[dict[str, Any]]:
    rows = []
    for y in [2020, *years]:
        for p, v in [("gdp_cny", gdp), ("electricity_demand_mwh", demand_mwh), ("coal_other_tce", coal),
                     ("gas_final_tce", gas), ("oil_final_tce", oil), ("other_nonfossil_tce", onf),
                     ("import_cap_mw", import_cap), ("export_cap_mw", export_cap)]:
            rows.append(dict(jurisdiction=j, year=y, parameter=p, value=v, source=SRC))
    for p, v in [("total_energy_tce", base_tec), ("co2_tco2", base_co2), ("nonfossil_electricity_tce", base_nfl)]:
        rows.append(dict(jurisdiction=j, year=2020, parameter=p, value=v, source=SRC))
    return rows


def system_rows(years: list[int], **over: float) -> list[dict[str, Any]]:
    vals = dict(f_pe_tce_per_mwh=0.3, grid_nonfossil_share=0.0, grid_ef_tco2_per_mwh=0.0,
                import_price_cny_per_mwh=400.0, export_price_cny_per_mwh=0.0, coal_price_cny_per_tce=1000.0,
                gas_price_cny_per_tce=3000.0, biomass_price_cny_per_tce=800.0, ef_coal_tco2_per_tce=2.66,
                ef_gas_tco2_per_tce=1.63, ef_oil_tco2_per_tce=2.02)
    vals.update(over)
    return [dict(year=y, parameter=p, value=v, source=SRC) for y in [2020, *years] for p, v in vals.items()]


def tech_rows(years: list[int], **over: dict[str, float]) -> list[dict[str, Any]]:
    base = {
        "solar_utility": dict(capex_cny_per_kw=4380.0, fom_cny_per_kw_yr=0.0, vom_cny_per_mwh=0.0, lifetime_yr=20),
        "solar_rooftop": dict(capex_cny_per_kw=9000.0, fom_cny_per_kw_yr=0.0, vom_cny_per_mwh=0.0, lifetime_yr=20),
        "wind_onshore": dict(capex_cny_per_kw=9000.0, fom_cny_per_kw_yr=0.0, vom_cny_per_mwh=0.0, lifetime_yr=20),
        "battery": dict(capex_cny_per_kw=1000.0, capex_energy_cny_per_kwh=1000.0, fom_cny_per_kw_yr=0.0,
                        vom_cny_per_mwh=0.0, lifetime_yr=10, efficiency_charge=1.0, efficiency_discharge=1.0,
                        loss_per_h=0.0, duration_min_h=1.0, duration_max_h=8.0),
        "pumped_hydro": dict(capex_cny_per_kw=6000.0, capex_energy_cny_per_kwh=0.0, fom_cny_per_kw_yr=0.0,
                             vom_cny_per_mwh=0.0, lifetime_yr=50, efficiency_charge=0.9, efficiency_discharge=0.9,
                             loss_per_h=0.0, duration_min_h=6.0, duration_max_h=6.0),
        "gas_peaker": dict(capex_cny_per_kw=2000.0, fom_cny_per_kw_yr=0.0, vom_cny_per_mwh=0.0, lifetime_yr=25,
                           heat_rate_tce_per_mwh=0.3),
    }
    rows = []
    for g, vals in base.items():
        vals = dict(vals, **over.get(g, {}))
        for y in years:
            rows.append(dict(technology=g, year=y, **vals, source=SRC))
    return rows


def flat_profile(demand: float = 1.0, solar: float = 0.5, wind: float = 0.3, hydro: float = 0.4,
                 price: float = 1.0) -> pd.DataFrame:
    n = 8760
    return pd.DataFrame({"hour": np.arange(n), "demand_pu": demand, "solar_utility_cf": solar,
                         "solar_rooftop_cf": solar, "wind_onshore_cf": wind, "hydro_cf": hydro,
                         "import_price_pu": price})


def write_toy(path: Path, jurisdictions: tuple[str, ...] = ("linxiang",), years: tuple[int, ...] = (2025,),
              tables: dict[str, list[dict[str, Any]]] | None = None,
              profiles: dict[str, pd.DataFrame] | None = None, discount_rate: float = 0.0) -> Path:
    """Write a complete toy inputs/ folder; ``tables`` replaces whole tables by name."""
    path.mkdir(parents=True, exist_ok=True)
    ys = list(years)
    t: dict[str, list[dict[str, Any]]] = {
        "jurisdictions": [dict(jurisdiction=j, name_zh=j, name_en=j, plan_file="toy", parent="toy", source=SRC)
                          for j in jurisdictions],
        "jurisdiction_year": [r for j in jurisdictions for r in jy_rows(j, ys)],
        "system_year": system_rows(ys),
        "constants": [dict(parameter="discount_rate", value=discount_rate, source=SRC),
                      dict(parameter="base_year", value=2020, source=SRC),
                      dict(parameter="voll_cny_per_mwh", value=30000.0, source=SRC),
                      dict(parameter="electricity_calorific_tce_per_mwh", value=0.1229, source=SRC)],
        "technologies": tech_rows(ys),
        "potentials": [dict(jurisdiction=j, technology="solar_utility", potential_mw=None, source=SRC)
                       for j in jurisdictions],
        "existing_capacity": [],
        "units": [],
        "unit_rules": [],
        "fuel_switch_blocks": [],
        "targets": [],
        "projects": [],
    }
    t.update(tables or {})
    t["targets"] = [dict(r) if "basis" in r else dict(r, basis="plan") for r in t["targets"]]
    for name, rows in t.items():
        spec = TABLES_BY_NAME[name]
        cols = [c.name for c in spec.columns]
        df = pd.DataFrame(rows, columns=cols)
        df.to_csv(path / spec.file, index=False)
    (path / "timeseries").mkdir(exist_ok=True)
    for j in jurisdictions:
        prof = (profiles or {}).get(j, flat_profile())
        prof.to_csv(path / "timeseries" / f"{j}.csv", index=False)
    return path


def unit_row(j: str, uid: str, technology: str = "coal", capacity_mw: float = 10.0, hr: float | None = 0.3,
             **over: Any) -> dict[str, Any]:
    row = dict(jurisdiction=j, unit_id=uid, name=uid, technology=technology, capacity_mw=capacity_mw, n_units=1,
               heat_rate_tce_per_mwh=hr, commissioning_year=2000, status="operating", availability=1.0,
               min_output_share=None, heating_months=None, cofire_share=None, cofire_from_year=None,
               retrofit_heat_rate_tce_per_mwh=None,
               retrofit_capex_cny_per_kw=None, repower_heat_rate_tce_per_mwh=None, repower_capex_cny_per_kw=None,
               fom_cny_per_kw_yr=0.0, vom_cny_per_mwh=0.0, lifetime_yr=20, source=SRC)
    row.update(over)
    return row


def scenario(inputs: Path, jurisdictions: tuple[str, ...] = ("linxiang",), years: tuple[int, ...] = (2025,),
             days: int = 1, mode: str = "rep", elastic: bool = False, **policy: Any) -> Scenario:
    """A scenario over toy inputs (dual simplex, quiet)."""
    from dataclasses import replace

    from peakplan.config import PolicyConfig

    pol = replace(PolicyConfig(), **policy) if policy else PolicyConfig()
    return Scenario(name="toy", inputs=inputs, years=years, jurisdictions=jurisdictions,
                    time=TimeConfig(mode=mode, days=days), policy=pol, elastic=elastic,
                    solver=SolverConfig(None, {"solver": "simplex", "threads": 1}))
