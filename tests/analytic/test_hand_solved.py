"""Toy systems whose optimum is derived by hand; the arithmetic is written out as the expectation.

Common toy facts (tests/toy.py defaults), used throughout:

- one jurisdiction ``linxiang``, one milestone year 2025 standing for n_y = 5 years, discount rate 0
  (DF = 1, CRF = 1 / lifetime), one representative day of weight 365 (flat profiles);
- flat demand 87,600 MWh/yr = 10 MW; f_pe = 0.3 tce/MWh; grid non-fossil share 0; grid EF 0;
- solar_utility cf 0.5 flat, capex 4,380 CNY/kW, life 20 → 219,000 CNY/MW-yr, 4,380 MWh/MW-yr,
  LCOE 50 CNY/MWh; import 400 CNY/MWh; export price 0; coal 1,000 CNY/tce; gas 3,000 CNY/tce;
  biomass 800 CNY/tce; ef_coal 2.66, ef_gas 1.63 tCO2/tce;
- battery 1,000 CNY/kW + 1,000 CNY/kWh, life 10 → 100,000 CNY/MW-yr + 100,000 CNY/MWh-yr,
  efficiencies 1, duration 1–8 h.

Objective = Σ_y DF_y n_y Σ annual costs = 5 × annual cost here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.run import RunResult, run_scenario  # noqa: E402

J = "linxiang"
Y = 2025
N_Y = 5                      # years represented by the single milestone
H = 8760.0                   # hours per year
DEMAND = 87_600.0            # MWh/yr (10 MW flat)
F_PE = 0.3                   # tce/MWh
SOLAR_MWH_PER_MW = 0.5 * H   # 4,380 MWh per MW and year
SOLAR_ANNUITY = 4_380 * 1000 / 20  # 219,000 CNY per MW-yr
IMPORT = 400.0               # CNY/MWh
DEAR_SOLAR_CAPEX = 43_800.0  # CNY/kW → 2,190,000 CNY/MW-yr → 500 CNY/MWh
DEAR_SOLAR_ANNUITY = DEAR_SOLAR_CAPEX * 1000 / 20
REL = 1e-6
S = toy.SRC


# -- helpers ---------------------------------------------------------------------------------
def solve(tmp_path: Path, *, tables: dict[str, list[dict[str, Any]]] | None = None,
          profiles: dict[str, pd.DataFrame] | None = None, system: dict[str, float] | None = None,
          tech: dict[str, dict[str, float]] | None = None, jy: dict[str, float] | None = None,
          targets: list[tuple[str, float]] | None = None, name: str = "toy", **policy: Any) -> RunResult:
    """Write a toy (with optional overrides of system_year, technologies, jurisdiction_year, targets) and run it."""
    t = dict(tables or {})
    if system:
        t["system_year"] = toy.system_rows([Y], **system)
    if tech:
        t["technologies"] = toy.tech_rows([Y], **tech)
    if jy:
        t["jurisdiction_year"] = toy.jy_rows(J, [Y], **jy)
    if targets:
        t["targets"] = [target_row(k, v) for k, v in targets]
    inputs = toy.write_toy(tmp_path / name, tables=t, profiles=profiles)
    return run_scenario(toy.scenario(inputs, **policy))


UNIT_OF = {"nonfossil_share": "fraction", "energy_intensity": "fraction_reduction_vs_base",
           "co2_intensity": "fraction_reduction_vs_base", "new_energy_capacity": "mw", "new_energy_additions": "mw",
           "curtailment": "fraction", "gas_share": "fraction", "gas_min": "tce", "coal_cap": "tce",
           "storage_pairing": "mwh_per_mw"}


def target_row(target: str, value: float, year: int = Y) -> dict[str, Any]:
    return dict(jurisdiction=J, year=year, target=target, value=value, unit=UNIT_OF[target], firmness="hard",
                source=S)


def pot(*rows: tuple[str, float | None]) -> list[dict[str, Any]]:
    return [dict(jurisdiction=J, technology=g, potential_mw=v, source=S) for g, v in rows]


def block(bid: str, fuel: str, size: float, share: float, eff_coal: float, eff_target: float, capex: float,
          life: int = 10) -> dict[str, Any]:
    return dict(jurisdiction=J, block_id=bid, sector="toy", target_fuel=fuel, coal_use_tce=size, max_share=share,
                efficiency_coal=eff_coal, efficiency_target=eff_target, capex_cny_per_tce_yr=capex, lifetime_yr=life,
                source=S)


def tou_profile() -> pd.DataFrame:
    """Import price 0.5 pu in hours 0–11 and 1.5 pu in hours 12–23 of every day (mean 1)."""
    prof = toy.flat_profile()
    prof["import_price_pu"] = np.where(np.arange(8760) % 24 < 12, 0.5, 1.5)
    return prof


def row(res: RunResult, table: str, **where: Any) -> pd.Series:
    df = res.tables[table]
    mask = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        mask &= (df[k] == v).to_numpy()
    sel = df[mask]
    assert len(sel) == 1, f"{table} {where}: {len(sel)} rows"
    return sel.iloc[0]


def cap(res: RunResult, tech: str, col: str = "capacity_mw") -> float:
    return float(row(res, "capacity", technology=tech, year=Y, jurisdiction=J)[col])


def unit_cap(res: RunResult, uid: str, col: str) -> float:
    return float(row(res, "capacity", unit_id=uid, year=Y)[col])


def gen(res: RunResult, tech: str, unit_id: str = "") -> float:
    df = res.tables["generation"]
    sel = df[(df.technology == tech) & (df.year == Y) & (df.jurisdiction == J)]
    if unit_id:
        sel = sel[sel.unit_id == unit_id]
    return float(sel.generation_mwh.sum())


def energy(res: RunResult, term: str) -> float:
    return float(row(res, "energy_balance", term=term, year=Y, jurisdiction=J).energy_tce)


def cost(res: RunResult, component: str) -> float:
    return float(row(res, "costs", component=component, year=Y, jurisdiction=J).cost_cny)


def target(res: RunResult, name: str, technology: str = "") -> pd.Series:
    df = res.tables["targets"]
    sel = df[(df.target == name) & (df.year == Y)]
    if technology:
        sel = sel[sel.technology == technology]
    assert len(sel) == 1
    return sel.iloc[0]


def assert_optimal(res: RunResult, expected_objective: float) -> None:
    assert res.status == "optimal", res.diagnosis
    assert res.objective_cny == pytest.approx(expected_objective, rel=REL)
    # the objective is the discounted sum of the annual cost components
    assert cost(res, "discounted_total") == pytest.approx(expected_objective, rel=REL)


def coal_unit(uid: str = "u1", **over: Any) -> dict[str, Any]:
    return toy.unit_row(J, uid, **over)


# -- (a) non-fossil share met by the cheaper of solar and imports ---------------------------------
def test_a1_nonfossil_share_solar_cheaper_built_to_economic_optimum(tmp_path: Path) -> None:
    """Solar (50 CNY/MWh) beats imports (400): it is built to its potential (10 MW) whatever the 20 % target.

    NF share = 10 × 4,380 / 87,600 = 0.5 ≥ 0.2, so the target is slack; imports supply the rest."""
    res = solve(tmp_path, tables={"potentials": pot(("solar_utility", 10.0))}, targets=[("nonfossil_share", 0.2)])
    expected = N_Y * (10 * SOLAR_ANNUITY + (DEMAND - 10 * SOLAR_MWH_PER_MW) * IMPORT)
    assert expected == pytest.approx(5 * (2_190_000 + 43_800 * 400))
    assert_optimal(res, expected)
    assert cap(res, "solar_utility") == pytest.approx(10.0, rel=REL)
    t = target(res, "nonfossil_share")
    assert t.achieved == pytest.approx(0.5, rel=REL)
    assert not t.binding
    assert abs(t.dual) < 1e-6


def test_a2_nonfossil_share_solar_dearer_exactly_the_target(tmp_path: Path) -> None:
    """Solar at 500 CNY/MWh > imports 400: exactly the solar for NF = 0.2 TEC.

    TEC = 0.3 × 87,600 = 26,280 tce whatever the mix; NF = 0.3 × solar MWh ≥ 0.2 × 26,280 = 5,256 tce
    → solar 17,520 MWh = 4 MW. Annual = 4 × 2,190,000 + (87,600 − 17,520) × 400 = 36,792,000.

    Dual: one more pp needs 0.01 × 87,600 = 876 MWh more solar, each 500 − 400 = 100 CNY dearer
    → 87,600 CNY/pp per year (results.py: |dual| per tce / (DF n) × 0.01 TEC)."""
    res = solve(tmp_path, tech={"solar_utility": dict(capex_cny_per_kw=DEAR_SOLAR_CAPEX)},
                targets=[("nonfossil_share", 0.2)])
    mw = 0.2 * DEMAND / SOLAR_MWH_PER_MW
    assert mw == pytest.approx(4.0)
    expected = N_Y * (mw * DEAR_SOLAR_ANNUITY + (DEMAND - mw * SOLAR_MWH_PER_MW) * IMPORT)
    assert expected == pytest.approx(183_960_000)
    assert_optimal(res, expected)
    assert cap(res, "solar_utility") == pytest.approx(4.0, rel=REL)
    assert energy(res, "total_energy_consumption") == pytest.approx(DEMAND * F_PE, rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(0.2 * DEMAND * F_PE, rel=REL)
    t = target(res, "nonfossil_share")
    assert t.binding
    assert t.achieved == pytest.approx(0.2, rel=REL)
    assert t.dual_unit == "CNY/pp"
    assert t.dual == pytest.approx(0.01 * DEMAND * (DEAR_SOLAR_ANNUITY / SOLAR_MWH_PER_MW - IMPORT), rel=REL)
    assert t.dual == pytest.approx(87_600, rel=REL)


# -- (b) an existing coal unit retires when its fixed cost exceeds its value ----------------------
@pytest.mark.parametrize("fom, retired", [(1000.0, 1.0), (500.0, 0.0)])
def test_b_coal_unit_retires_when_fixed_cost_exceeds_value(tmp_path: Path, fom: float, retired: float) -> None:
    """Value of 1 MW of the unit = (400 − 0.3 × 1,000) × 8,760 = 876,000 CNY/yr = 876 CNY/kW-yr.

    FOM 1,000 > 876 → retire, import everything: annual 87,600 × 400 = 35.04 M.
    FOM 500 < 876 → keep and run flat out: annual 87,600 × 300 + 500 × 1000 × 10 = 31.28 M."""
    res = solve(tmp_path, tables={"potentials": [], "units": [coal_unit(fom_cny_per_kw_yr=fom)]})
    assert (IMPORT - 0.3 * 1000) * H / 1000 == pytest.approx(876)
    if retired:
        expected = N_Y * DEMAND * IMPORT
    else:
        expected = N_Y * (DEMAND * 0.3 * 1000 + fom * 1000 * 10)
    assert_optimal(res, expected)
    assert unit_cap(res, "u1", "retired_mw") == pytest.approx(10 * retired, abs=1e-6)
    assert gen(res, "coal", "u1") == pytest.approx(DEMAND * (1 - retired), abs=1e-3)


# -- (c) coal → gas block chosen only above a carbon price --------------------------------------
GAS_BLOCK = block("b_gas", "gas", size=10_000, share=0.5, eff_coal=0.6, eff_target=0.9, capex=2000, life=10)


def _gas_block_breakeven() -> float:
    """Per tce of coal switched: capex 2,000 / 10 = 200 CNY/yr; gas 0.6/0.9 = 2/3 tce × 3,000 = 2,000 CNY
    instead of 1,000 CNY of coal → +1,000; CO2 saved 2.66 − 2/3 × 1.63 = 1.57333 t → p* = 1,200 / 1.57333."""
    return (2000 / 10 + (2 / 3) * 3000 - 1000) / (2.66 - (2 / 3) * 1.63)


@pytest.mark.parametrize("price", [700.0, 800.0])
def test_c_gas_switch_above_breakeven_carbon_price(tmp_path: Path, price: float) -> None:
    p_star = _gas_block_breakeven()
    assert p_star == pytest.approx(762.7118644)
    assert 700 < p_star < 800
    res = solve(tmp_path, tables={"fuel_switch_blocks": [GAS_BLOCK]}, carbon_price_cny_per_tco2=price)
    sw = 0.5 * 10_000 if price > p_star else 0.0
    coal, gas = 10_000 - sw, (2 / 3) * sw
    annual = (20 * SOLAR_ANNUITY                 # solar for the electricity, as in the default toy
              + 200 * sw                          # conversion capex annuity
              + 1000 * coal + 3000 * gas          # block fuel
              + price * (2.66 * coal + 1.63 * gas))  # carbon
    assert_optimal(res, N_Y * annual)
    assert energy(res, "coal:coal_industry_blocks") == pytest.approx(coal, rel=REL)
    assert energy(res, "gas:gas_switched_blocks") == pytest.approx(gas, rel=REL, abs=1e-6)
    co2 = float(row(res, "emissions", source="total", year=Y).co2_t)
    assert co2 == pytest.approx(2.66 * coal + 1.63 * gas, rel=REL)


# -- (d) coal → electricity block ----------------------------------------------------------------
def test_d_coal_to_electricity_block(tmp_path: Path) -> None:
    """Block 1,229 tce, η_coal 0.5, η_el 1.0, capex 1,000 CNY/(tce/yr), life 10 → 100 CNY/tce-yr.

    Switching 1 tce: 0.5 / 1.0 / 0.1229 = 4.068 MWh of solar at 50 = 203.4 CNY + 100 capex < 1,000 coal,
    so all of it switches: 1,229 × 0.5 / 0.1229 = 5,000 MWh of extra demand.
    Annual = (87,600 + 5,000) × 50 (solar) + 1,229 × 100 = 4,752,900."""
    res = solve(tmp_path, tables={"fuel_switch_blocks": [block("b_el", "electricity", 1229, 1.0, 0.5, 1.0, 1000)]})
    added = 1229 * 0.5 / 1.0 / 0.1229
    assert added == pytest.approx(5000)
    expected = N_Y * ((DEMAND + added) * SOLAR_ANNUITY / SOLAR_MWH_PER_MW + 1229 * 1000 / 10)
    assert expected == pytest.approx(23_764_500)
    assert_optimal(res, expected)
    assert gen(res, "demand") == pytest.approx(-DEMAND, rel=REL)
    assert gen(res, "demand_fuel_switch") == pytest.approx(-added, rel=REL)
    assert cap(res, "solar_utility") == pytest.approx((DEMAND + added) / SOLAR_MWH_PER_MW, rel=REL)
    assert energy(res, "coal:coal_industry_blocks") == pytest.approx(0.0, abs=1e-6)
    # the balance of generation.csv closes
    g = res.tables["generation"]
    assert g[g.year == Y].generation_mwh.sum() == pytest.approx(0.0, abs=1e-3)


# -- (e) committed projects force a build ---------------------------------------------------------
PROJECT = dict(jurisdiction=J, project_id="pv1", name="PV 1", technology="solar_utility", capacity_mw=5.0,
               energy_mwh=None, year=Y, source=S)


@pytest.mark.parametrize("committed", [True, False])
def test_e_committed_project_forces_a_build(tmp_path: Path, committed: bool) -> None:
    """Dear solar (500 CNY/MWh) is not economic; a committed 5 MW project is built anyway.

    Annual = 5 × 2,190,000 + (87,600 − 5 × 4,380) × 400 = 10.95 M + 26.28 M = 37.23 M
    (= all-import 35.04 M + 5 MW × (2,190,000 − 4,380 × 400 saved) = 35.04 M + 5 × 438,000).
    Dual of the commitment: 438,000 CNY per MW and year."""
    res = solve(tmp_path, tables={"projects": [PROJECT]},
                tech={"solar_utility": dict(capex_cny_per_kw=DEAR_SOLAR_CAPEX)}, committed_projects=committed)
    saving_per_mw = DEAR_SOLAR_ANNUITY - SOLAR_MWH_PER_MW * IMPORT
    assert saving_per_mw == pytest.approx(438_000)
    if committed:
        expected = N_Y * (DEMAND * IMPORT + 5 * saving_per_mw)
        assert expected == pytest.approx(N_Y * (5 * DEAR_SOLAR_ANNUITY + (DEMAND - 5 * SOLAR_MWH_PER_MW) * IMPORT))
        assert_optimal(res, expected)
        assert cap(res, "solar_utility") == pytest.approx(5.0, rel=REL)
        t = target(res, "committed_capacity", "solar_utility")
        assert t.dual == pytest.approx(saving_per_mw, rel=REL)
    else:
        assert_optimal(res, N_Y * DEMAND * IMPORT)
        assert cap(res, "solar_utility") == pytest.approx(0.0, abs=1e-6)
        assert res.tables["targets"].empty


def test_e2_committed_storage_energy(tmp_path: Path) -> None:
    """A committed 2 MW / 8 MWh battery on a flat price has no value: it costs 2 × 100,000 + 8 × 100,000."""
    proj = dict(PROJECT, project_id="bat1", technology="battery", capacity_mw=2.0, energy_mwh=8.0)
    res = solve(tmp_path, tables={"projects": [proj], "potentials": pot(("solar_utility", None), ("battery", None))})
    assert_optimal(res, N_Y * (20 * SOLAR_ANNUITY + 2 * 100_000 + 8 * 100_000))
    assert cap(res, "battery") == pytest.approx(2.0, rel=REL)
    assert cap(res, "battery", "energy_mwh") == pytest.approx(8.0, rel=REL)
    assert target(res, "committed_energy", "battery").dual == pytest.approx(100_000, rel=REL)


# -- (f) storage arbitrage on a time-of-use import price -----------------------------------------
@pytest.mark.parametrize("energy_capex, built", [(1000.0, True), (1500.0, False)])
def test_f_battery_arbitrage(tmp_path: Path, energy_capex: float, built: bool) -> None:
    """Import 200 CNY/MWh in hours 0–11, 600 in hours 12–23; no solar; battery η = 1, duration 1–8 h.

    Shifting S MWh per day saves 400 × 365 = 146,000 CNY/yr per MWh of S. It needs E ≥ S and P ≥ E/8
    (d_max = 8 h), and S ≤ 12 h × 10 MW = 120 MWh (demand in dear hours). Cheapest: E = S, P = S/8.
    Energy capex 1,000 CNY/kWh: cost 100,000 + 100,000/8 = 112,500 < 146,000 → S = 120, E = 120, P = 15;
      annual = 15 × 100,000 + 120 × 100,000 + 365 × (12 × 10 + 120) × 200 = 13.5 M + 17.52 M = 31.02 M.
    Energy capex 1,500 CNY/kWh: cost 150,000 + 12,500 = 162,500 > 146,000 → no battery;
      annual = 365 × 12 × 10 × (200 + 600) = 35.04 M."""
    res = solve(tmp_path, tables={"potentials": pot(("battery", None))}, profiles={J: tou_profile()},
                tech={"battery": dict(capex_energy_cny_per_kwh=energy_capex)})
    e_annuity = energy_capex * 1000 / 10
    per_mwh_shifted = e_annuity + 100_000 / 8
    saving = (600 - 200) * 365
    assert (per_mwh_shifted < saving) == built
    if built:
        expected = N_Y * (15 * 100_000 + 120 * e_annuity + 365 * (12 * 10 + 120) * 200)
        assert expected == pytest.approx(155_100_000)
    else:
        expected = N_Y * 365 * 12 * 10 * (200 + 600)
    assert_optimal(res, expected)
    assert cap(res, "battery") == pytest.approx(15.0 if built else 0.0, rel=REL, abs=1e-6)
    assert cap(res, "battery", "energy_mwh") == pytest.approx(120.0 if built else 0.0, rel=REL, abs=1e-6)
    assert gen(res, "battery_discharge") == pytest.approx(120 * 365 if built else 0.0, rel=REL, abs=1e-3)


# -- (g) an infeasible strict target is diagnosed ------------------------------------------------
def test_g_infeasible_nonfossil_share_diagnosed(tmp_path: Path) -> None:
    """Solar capped at 10 MW → NF ≤ 10 × 4,380 × 0.3 = 13,140 tce; exogenous coal 6,570 tce →
    TEC = 26,280 + 6,570 = 32,850 tce: achievable share 13,140 / 32,850 = 40 %, so 90 % is 50 pp short.
    (Even shedding every imported MWh leaves 13,140 / 19,710 = 67 % < 90 %: truly infeasible.)"""
    res = solve(tmp_path, tables={"potentials": pot(("solar_utility", 10.0))}, jy=dict(coal=6_570.0),
                targets=[("nonfossil_share", 0.9)])
    assert res.status == "infeasible"
    assert res.objective_cny is None
    achievable = 10 * SOLAR_MWH_PER_MW * F_PE / (DEMAND * F_PE + 6_570)
    assert achievable == pytest.approx(0.4)
    assert 10 * SOLAR_MWH_PER_MW * F_PE / (10 * SOLAR_MWH_PER_MW * F_PE + 6_570) < 0.9
    short_pp = 100 * (0.9 - achievable)
    text = " ".join(res.diagnosis)
    assert "linxiang 2025 nonfossil_share" in text
    assert f"short by {short_pp:.2f} percentage points" in text
    t = target(res, "nonfossil_share")
    assert t.achieved == pytest.approx(achievable, rel=REL)
    assert t.slack == pytest.approx(0.9 - achievable, rel=REL)


def test_g2_unattainable_share_is_not_met_by_shedding_load(tmp_path: Path) -> None:
    """Solar capped at 10 MW (50 % share), no other energy: a 90 % target cannot be met by supplying demand.
    The model must report it (infeasible + diagnosis, 40 pp short), not drop 38,933 MWh of load
    (43,800 / (87,600 − 38,933.3) = 0.9 if unserved energy left TEC). balance.py accounts unserved energy
    as if imported, so rationing never helps a share target."""
    res = solve(tmp_path, tables={"potentials": pot(("solar_utility", 10.0))}, targets=[("nonfossil_share", 0.9)])
    assert gen(res, "unserved") == pytest.approx(0.0, abs=1e-3)
    assert res.status == "infeasible"
    assert "short by 40.00 percentage points" in " ".join(res.diagnosis)


# -- (h) export attribution ------------------------------------------------------------------------
EXPORTER = {"potentials": [], "units": [coal_unit(capacity_mw=30.0)]}
EXPORT_SYSTEM = dict(export_price_cny_per_mwh=350.0, grid_nonfossil_share=0.5)


def test_h1_coal_exporter_fossil_first_keeps_nonfossil_credit(tmp_path: Path) -> None:
    """30 MW coal at 300 CNY/MWh exports 20 MW at 350. A non-fossil target NF ≥ 0 × TEC pins exp_nf = 0
    (MNF = f_pe Σ w (s imp − exp_nf) with imp = 0): fossil-first attribution lets all 20 MW be coal's.

    C = 30 × 8,760 × 0.3 = 78,840; M = −20 × 8,760 × 0.3 = −52,560; MNF = 0; TEC = 26,280; NF = 0.
    Annual = 262,800 × 300 − 175,200 × 350 = 17.52 M."""
    res = solve(tmp_path, tables=EXPORTER, system=EXPORT_SYSTEM, targets=[("nonfossil_share", 0.0)])
    exported = 20 * H
    assert_optimal(res, N_Y * (30 * H * 300 - exported * 350))
    assert gen(res, "grid_export") == pytest.approx(-exported, rel=REL)
    assert energy(res, "coal") == pytest.approx(30 * H * 0.3, rel=REL)
    assert energy(res, "net_import") == pytest.approx(-exported * F_PE, rel=REL)
    assert energy(res, "import_nonfossil") == pytest.approx(0.0, abs=1e-6)
    assert energy(res, "total_energy_consumption") == pytest.approx(DEMAND * F_PE, rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(0.0, abs=1e-6)


def test_h2_coal_exporter_grid_average_loses_credit(tmp_path: Path) -> None:
    """grid_average: MNF = s_grid × f_pe × net import = 0.5 × 0.3 × (−175,200) = −26,280 tce."""
    res = solve(tmp_path, tables=EXPORTER, system=EXPORT_SYSTEM, export_attribution="grid_average")
    exported = 20 * H
    assert_optimal(res, N_Y * (30 * H * 300 - exported * 350))
    assert energy(res, "net_import") == pytest.approx(-exported * F_PE, rel=REL)
    assert energy(res, "import_nonfossil") == pytest.approx(0.5 * F_PE * -exported, rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(-26_280, rel=REL)
    assert energy(res, "total_energy_consumption") == pytest.approx(DEMAND * F_PE, rel=REL)


def test_h3_grid_average_nonfossil_target_stops_coal_exports(tmp_path: Path) -> None:
    """grid_average with NF ≥ 0: NF = 0.15 × net MWh ≥ 0, so no net export: the unit runs 10 MW only.
    Annual = 87,600 × 300 = 26.28 M (the target costs the 50 CNY/MWh export margin on 175,200 MWh)."""
    res = solve(tmp_path, tables=EXPORTER, system=EXPORT_SYSTEM, export_attribution="grid_average",
                targets=[("nonfossil_share", 0.0)])
    assert_optimal(res, N_Y * DEMAND * 300)
    assert gen(res, "grid_export") == pytest.approx(0.0, abs=1e-3)
    assert gen(res, "coal", "u1") == pytest.approx(DEMAND, rel=REL)


def test_h4_solar_exporter_fossil_first_loses_exactly_its_export(tmp_path: Path) -> None:
    """Solar (capped 40 MW) exporting at 80 CNY/MWh: each MW costs 219,000 and earns 4,380 × 80 = 350,400
    → built to the cap; 20 MW output, 10 MW exported, all non-fossil (no local fossil generation).

    NFL = 175,200 × 0.3 = 52,560; MNF = −87,600 × 0.3 = −26,280; NF = 26,280 = TEC → share 1.
    Annual = 40 × 219,000 − 87,600 × 80 = 1.752 M."""
    res = solve(tmp_path, tables={"potentials": pot(("solar_utility", 40.0))},
                system=dict(export_price_cny_per_mwh=80.0, grid_nonfossil_share=0.5))
    assert_optimal(res, N_Y * (40 * SOLAR_ANNUITY - 10 * H * 80))
    assert energy(res, "nonfossil_local") == pytest.approx(40 * SOLAR_MWH_PER_MW * F_PE, rel=REL)
    assert energy(res, "import_nonfossil") == pytest.approx(-10 * H * F_PE, rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(DEMAND * F_PE, rel=REL)
    assert energy(res, "total_energy_consumption") == pytest.approx(DEMAND * F_PE, rel=REL)


# -- (i) units: CHP floor, retrofit, repower, heat-rate rule, co-firing, hydro ----------------------
@pytest.mark.parametrize("months, floor", [("11;12;1;2;3", True), ("6;7;8", False), (None, False)])
def test_i1_chp_must_run_floor(tmp_path: Path, months: str | None, floor: bool) -> None:
    """CHP 10 MW at 300 CNY/MWh, floor 0.6 in heating months; import 200 (hours 0–11) / 600 (12–23).

    The representative day is 1 January (month 1). With the floor in force the unit runs 6 MW in the
    cheap hours (above its economic 0) and 10 MW in the dear hours; it does not retire (retiring loses
    (600 − 300) × 120 MWh/day but saves only (300 − 200) × 72 MWh/day of forced output).
    Per day: (120 + 72) × 300 + 4 × 12 × 200 = 67,200 CNY; without the floor 120 × 300 + 120 × 200 = 60,000."""
    chp = toy.unit_row(J, "chp", technology="coal_chp", min_output_share=0.6 if months else None,
                       heating_months=months)
    res = solve(tmp_path, tables={"potentials": [], "units": [chp]}, profiles={J: tou_profile()})
    if floor:
        per_day = (10 * 12 + 6 * 12) * 300 + (10 - 6) * 12 * 200
        assert per_day == 67_200
    else:
        per_day = 10 * 12 * 300 + 10 * 12 * 200
    assert_optimal(res, N_Y * 365 * per_day)
    assert gen(res, "coal_chp", "chp") == pytest.approx(365 * (192 if floor else 120), rel=REL)
    assert unit_cap(res, "chp", "retired_mw") == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("capex, retrofit", [(5000.0, 1.0), (10_000.0, 0.0)])
def test_i2_retrofit_lowers_heat_rate(tmp_path: Path, capex: float, retrofit: float) -> None:
    """Coal 10 MW, 0.35 → 0.30 tce/MWh by retrofit: saves 0.05 × 1,000 × 87,600 = 4.38 M/yr.
    Annuity = capex × 1000 × 10 / 20: 5,000 → 2.5 M (retrofit), 10,000 → 5 M (no retrofit)."""
    u = coal_unit(hr=0.35, retrofit_heat_rate_tce_per_mwh=0.30, retrofit_capex_cny_per_kw=capex)
    res = solve(tmp_path, tables={"potentials": [], "units": [u]})
    annuity = capex * 1000 * 10 / 20
    if retrofit:
        expected = N_Y * (DEMAND * 300 + annuity)
        assert expected == pytest.approx(143_900_000)
    else:
        expected = N_Y * DEMAND * 350
    assert_optimal(res, expected)
    assert unit_cap(res, "u1", "retrofitted_mw") == pytest.approx(10 * retrofit, abs=1e-6)
    assert energy(res, "coal:coal_power_units") == pytest.approx(DEMAND * (0.30 if retrofit else 0.35), rel=REL)
    assert cost(res, "unit_retrofit_repower_capex") == pytest.approx(annuity * retrofit, abs=1e-3)


def test_i3_repower_to_gas(tmp_path: Path) -> None:
    """Coal 10 MW at 0.35 × 1,000 = 350 CNY/MWh; repowered: 0.2 tce/MWh of gas at 1,500 = 300 CNY/MWh,
    capex 5,000 CNY/kW over 20 yr = 2.5 M/yr < 50 × 87,600 = 4.38 M saved → repower fully.
    Gas ledger: 87,600 × 0.2 = 17,520 tce; coal 0."""
    u = coal_unit(hr=0.35, repower_heat_rate_tce_per_mwh=0.2, repower_capex_cny_per_kw=5000.0)
    res = solve(tmp_path, tables={"potentials": [], "units": [u]}, system=dict(gas_price_cny_per_tce=1500.0))
    assert_optimal(res, N_Y * (DEMAND * 0.2 * 1500 + 5000 * 1000 * 10 / 20))
    assert unit_cap(res, "u1", "repowered_mw") == pytest.approx(10.0, rel=REL)
    assert energy(res, "gas:gas_power_units") == pytest.approx(DEMAND * 0.2, rel=REL)
    assert energy(res, "coal") == pytest.approx(0.0, abs=1e-6)
    co2 = float(row(res, "emissions", source="gas", year=Y).co2_t)
    assert co2 == pytest.approx(DEMAND * 0.2 * 1.63, rel=REL)


THRESHOLD_RULE = dict(jurisdiction=J, unit_id="u1", rule="heat_rate_threshold", year=Y, threshold_tce_per_mwh=0.30,
                      firmness="hard", source=S)


@pytest.mark.parametrize("rf_hr, capex, rules, expect", [
    (0.28, 15_000.0, True, "retrofit"),   # retrofit below the threshold counts: 32.028 M < retire 35.04 M
    (0.28, 15_000.0, False, "keep"),      # without the rule, as built (30.66 M) beats retrofit (32.028 M)
    (0.32, 0.0, True, "retire"),          # retrofit stays above 0.30: it does not count → retire (35.04 M)
])
def test_i4_heat_rate_threshold_rule(tmp_path: Path, rf_hr: float, capex: float, rules: bool, expect: str) -> None:
    """Coal unit at 0.35 tce/MWh above a 0.30 threshold from 2025: retire or retrofit below the threshold."""
    u = coal_unit(hr=0.35, retrofit_heat_rate_tce_per_mwh=rf_hr, retrofit_capex_cny_per_kw=capex)
    res = solve(tmp_path, tables={"potentials": [], "units": [u], "unit_rules": [THRESHOLD_RULE]}, unit_rules=rules)
    annual = {"retrofit": DEMAND * 280 + capex * 1000 * 10 / 20,   # 24.528 M + 7.5 M
              "keep": DEMAND * 350,
              "retire": DEMAND * IMPORT}[expect]
    assert_optimal(res, N_Y * annual)
    assert unit_cap(res, "u1", "retired_mw") == pytest.approx(10.0 if expect == "retire" else 0.0, abs=1e-6)
    assert unit_cap(res, "u1", "retrofitted_mw") == pytest.approx(10.0 if expect == "retrofit" else 0.0, abs=1e-6)


def test_i5_biomass_cofiring(tmp_path: Path) -> None:
    """Coal unit 0.3 tce/MWh co-firing φ = 0.2 biomass: fuel 87,600 × 0.3 = 26,280 tce, of which
    21,024 coal and 5,256 biomass (non-fossil, counted as fuel). Fuel price 0.8 × 1,000 + 0.2 × 800 = 960
    CNY/tce → 288 CNY/MWh < 400: runs flat out. NF share = 5,256 / 26,280 = 0.2."""
    res = solve(tmp_path, tables={"potentials": [], "units": [coal_unit(cofire_share=0.2)]})
    assert_optimal(res, N_Y * DEMAND * 0.3 * (0.8 * 1000 + 0.2 * 800))
    assert energy(res, "coal:coal_power_units") == pytest.approx(21_024, rel=REL)
    assert energy(res, "nonfossil_local:cofired_biomass_fuel") == pytest.approx(5_256, rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(5_256, rel=REL)
    assert energy(res, "total_energy_consumption") == pytest.approx(26_280, rel=REL)
    assert float(row(res, "emissions", source="coal", year=Y).co2_t) == pytest.approx(21_024 * 2.66, rel=REL)


@pytest.mark.parametrize("start,phi", [(2025, 0.2), (2030, 0.0), (None, 0.2)])
def test_i5b_cofiring_from_its_start_year(tmp_path: Path, start: int | None, phi: float) -> None:
    """The same unit with cofire_from_year: φ = 0.2 applies in 2025 when co-firing starts in 2025 or has no
    start year, and not at all when it starts in 2030 (all 26,280 tce coal, fuel 1,000 CNY/tce → 300 CNY/MWh,
    still below imports at 400: flat out either way)."""
    res = solve(tmp_path, tables={"potentials": [], "units": [coal_unit(cofire_share=0.2, cofire_from_year=start)]})
    assert_optimal(res, N_Y * DEMAND * 0.3 * ((1 - phi) * 1000 + phi * 800))
    assert energy(res, "coal:coal_power_units") == pytest.approx(26_280 * (1 - phi), rel=REL)
    assert energy(res, "nonfossil") == pytest.approx(26_280 * phi, rel=REL, abs=1e-6)


def test_i6_hydro_unit_counts_electricity_by_f_pe(tmp_path: Path) -> None:
    """Hydro 10 MW, cf 0.4 → 35,040 MWh × 0.3 = 10,512 tce non-fossil; imports the remaining 52,560 MWh."""
    res = solve(tmp_path, tables={"potentials": [], "units": [toy.unit_row(J, "h1", technology="hydro", hr=None)]})
    assert_optimal(res, N_Y * (DEMAND - 0.4 * 10 * H) * IMPORT)
    assert gen(res, "hydro", "h1") == pytest.approx(35_040, rel=REL)
    assert energy(res, "nonfossil_local:hydro_biomass_waste_electricity") == pytest.approx(10_512, rel=REL)


# -- (j) other policy targets ----------------------------------------------------------------------
EI_BLOCK = block("b_gas", "gas", 3_000, 1.0, 0.6, 0.9, 0.0)  # coal → gas, 2/3 tce gas per tce coal, no capex


@pytest.mark.parametrize("exclude", [True, False])
def test_j1_energy_intensity_exclude_new_re(tmp_path: Path, exclude: bool) -> None:
    """Base intensity 30,000 tce per GDP, GDP unchanged, d = 0.0459 → assessed TEC ≤ 0.9541 × 30,000 = 28,623.
    TEC = 26,280 (electricity, whatever the mix) + 3,000 (block coal) = 29,280 → 657 tce must go.

    Two levers: dear solar (500 vs 400 CNY/MWh) lowers the *assessed* TEC only when new renewables are
    excluded (TEC − NFL): 1 tce = 1/0.3 MWh × 100 = 333.33 CNY; switching the block to gas lowers TEC by
    1 − 2/3 = 1/3 tce per tce at +1,000 CNY → 3,000 CNY per tce.
    exclude_new_re on:  NFL = 657 → 2,190 MWh of solar = 0.5 MW; dual 333.33 CNY/tce.
    exclude_new_re off: sw = 3 × 657 = 1,971 tce; dual 3,000 CNY/tce."""
    res = solve(tmp_path, tables={"fuel_switch_blocks": [EI_BLOCK]},
                tech={"solar_utility": dict(capex_cny_per_kw=DEAR_SOLAR_CAPEX)},
                targets=[("energy_intensity", 0.0459)], exclude_new_re=exclude)
    excess = DEMAND * F_PE + 3_000 - (1 - 0.0459) * 30_000
    assert excess == pytest.approx(657)
    all_import = DEMAND * IMPORT + 3_000 * 1000
    if exclude:
        mw = excess / F_PE / SOLAR_MWH_PER_MW
        assert mw == pytest.approx(0.5)
        expected = N_Y * (all_import + mw * (DEAR_SOLAR_ANNUITY - SOLAR_MWH_PER_MW * IMPORT))
        dual, sw = 100 / F_PE, 0.0
    else:
        mw, sw = 0.0, 3 * excess
        expected = N_Y * (all_import + sw * ((2 / 3) * 3000 - 1000))
        dual = 3000.0
    assert_optimal(res, expected)
    assert cap(res, "solar_utility") == pytest.approx(mw, rel=REL, abs=1e-6)
    assert energy(res, "gas:gas_switched_blocks") == pytest.approx(2 / 3 * sw, rel=REL, abs=1e-6)
    t = target(res, "energy_intensity")
    assert t.achieved == pytest.approx(0.0459, rel=REL)
    assert t.dual == pytest.approx(dual, rel=REL)


def test_j3_co2_intensity(tmp_path: Path) -> None:
    """Grid EF 0.5 tCO2/MWh on imports; base CO2 60,000 t; d = 0.4525 → CO2 ≤ 32,850 t → imports ≤ 65,700 MWh
    → dear solar 21,900 MWh = 5 MW. Dual: 1 t less = 2 MWh of solar at +100 → 200 CNY/tCO2."""
    res = solve(tmp_path, system=dict(grid_ef_tco2_per_mwh=0.5),
                tech={"solar_utility": dict(capex_cny_per_kw=DEAR_SOLAR_CAPEX)}, targets=[("co2_intensity", 0.4525)])
    imports = (1 - 0.4525) * 60_000 / 0.5
    assert imports == pytest.approx(65_700)
    assert_optimal(res, N_Y * (5 * DEAR_SOLAR_ANNUITY + imports * IMPORT))
    assert cap(res, "solar_utility") == pytest.approx(5.0, rel=REL)
    assert float(row(res, "emissions", source="total", year=Y).co2_t) == pytest.approx(32_850, rel=REL)
    assert target(res, "co2_intensity").dual == pytest.approx(100 / 0.5, rel=REL)


def test_j4_new_energy_capacity_forces_mw(tmp_path: Path) -> None:
    """≥ 30 MW of VRE: 10 MW more than the economic 20 MW, each worth nothing (curtailed): dual 219,000 CNY/MW."""
    res = solve(tmp_path, targets=[("new_energy_capacity", 30.0)])
    assert_optimal(res, N_Y * 30 * SOLAR_ANNUITY)
    assert cap(res, "solar_utility") == pytest.approx(30.0, rel=REL)
    assert target(res, "new_energy_capacity").dual == pytest.approx(SOLAR_ANNUITY, rel=REL)


def test_j5_new_energy_additions_over_existing(tmp_path: Path) -> None:
    """Existing 10 MW solar (2020); additions ≥ 15 MW → 15 MW new (economic would be 10)."""
    existing = [dict(jurisdiction=J, technology="solar_utility", year=2020, capacity_mw=10.0, energy_mwh=None,
                     source=S)]
    res = solve(tmp_path, tables={"existing_capacity": existing}, targets=[("new_energy_additions", 15.0)])
    assert_optimal(res, N_Y * 15 * SOLAR_ANNUITY)
    assert cap(res, "solar_utility", "new_mw") == pytest.approx(15.0, rel=REL)
    assert cap(res, "solar_utility") == pytest.approx(25.0, rel=REL)


CURTAIL_BLOCK = block("b_el", "electricity", 10_000, 1.0, 0.5, 1.0, capex=20_000, life=10)


@pytest.mark.parametrize("cap_share", [None, 0.2])
def test_j6_curtailment_cap_absorbed_by_electrification(tmp_path: Path, cap_share: float | None) -> None:
    """30 MW solar forced, no exports: available 131,400 MWh, demand 87,600 → 43,800 curtailed (33 %).
    Cap 20 % → curtailed ≤ 26,280 → 17,520 MWh more demand from the electric block (otherwise unattractive:
    2,000 CNY/tce-yr capex vs 1,000 coal saved): sw = 17,520 × 0.1229 / 0.5 = 4,306.416 tce at a net
    1,000 CNY/tce (the solar is free at the margin)."""
    targets = [("new_energy_capacity", 30.0)] + ([("curtailment", cap_share)] if cap_share else [])
    res = solve(tmp_path, tables={"fuel_switch_blocks": [CURTAIL_BLOCK]}, jy=dict(export_cap=0.0), targets=targets)
    base = 30 * SOLAR_ANNUITY + 10_000 * 1000
    sw = (30 * SOLAR_MWH_PER_MW * (1 - 0.2) - DEMAND) * 0.1229 / 0.5 if cap_share else 0.0
    assert_optimal(res, N_Y * (base + sw * (2000 - 1000)))
    assert gen(res, "demand_fuel_switch") == pytest.approx(-17_520 if cap_share else 0.0, rel=REL, abs=1e-3)
    curtailed = float(row(res, "generation", technology="solar_utility", year=Y).curtailed_mwh)
    assert curtailed == pytest.approx(26_280 if cap_share else 43_800, rel=REL)
    if cap_share:
        t = target(res, "curtailment")
        assert t.achieved == pytest.approx(0.2, rel=REL)
        # 1 MWh less curtailed = 0.1229/0.5 tce switched at 1,000 CNY; 1 pp = 0.01 × 131,400 MWh
        assert t.dual == pytest.approx(0.1229 / 0.5 * 1000 * 0.01 * 131_400, rel=REL)


def test_j7_gas_min(tmp_path: Path) -> None:
    """Gas ≥ 1,000 tce from a coal→gas block (ratio 0.6/0.9 = 2/3, no capex, +1,000 CNY/tce net):
    sw = 1,500 tce. Annual = 4.38 M solar + 8,500 × 1,000 coal + 1,000 × 3,000 gas. Dual 1,500 CNY/tce."""
    res = solve(tmp_path, tables={"fuel_switch_blocks": [block("b_gas", "gas", 10_000, 1.0, 0.6, 0.9, 0.0)]},
                targets=[("gas_min", 1000.0)])
    assert_optimal(res, N_Y * (20 * SOLAR_ANNUITY + 8_500 * 1000 + 1_000 * 3000))
    assert energy(res, "gas") == pytest.approx(1000, rel=REL)
    assert target(res, "gas_min").dual == pytest.approx(1500, rel=REL)


def test_j8_gas_share(tmp_path: Path) -> None:
    """G ≥ 0.1 TEC with TEC = 26,280 + (10,000 − sw) + 2/3 sw: 2/3 sw ≥ 3,628 − sw/30 → sw = 3,628 / 0.7."""
    res = solve(tmp_path, tables={"fuel_switch_blocks": [block("b_gas", "gas", 10_000, 1.0, 0.6, 0.9, 0.0)]},
                targets=[("gas_share", 0.1)])
    sw = 3_628 / 0.7
    assert_optimal(res, N_Y * (20 * SOLAR_ANNUITY + 10_000 * 1000 + sw * 1000))
    assert energy(res, "gas") == pytest.approx(2 / 3 * sw, rel=REL)
    assert target(res, "gas_share").achieved == pytest.approx(0.1, rel=REL)


def test_j9_coal_cap(tmp_path: Path) -> None:
    """Coal unit (300 CNY/MWh) capped at 13,140 tce → 43,800 MWh; imports the rest. Dual 100/0.3 CNY/tce."""
    res = solve(tmp_path, tables={"potentials": [], "units": [coal_unit()]}, targets=[("coal_cap", 13_140.0)])
    assert_optimal(res, N_Y * (43_800 * 300 + 43_800 * IMPORT))
    assert gen(res, "coal", "u1") == pytest.approx(43_800, rel=REL)
    assert target(res, "coal_cap").dual == pytest.approx(100 / 0.3, rel=REL)


def test_j10_storage_pairing(tmp_path: Path) -> None:
    """2 MWh of new storage per new MW of VRE: 20 MW solar → E = 40 MWh, P = E / 8 = 5 MW.
    Solar stays economic (219,000 + 2 × 112,500 = 444,000 CNY/MW-yr = 101 CNY/MWh < 400)."""
    res = solve(tmp_path, tables={"potentials": pot(("solar_utility", None), ("battery", None))},
                targets=[("storage_pairing", 2.0)])
    assert_optimal(res, N_Y * (20 * SOLAR_ANNUITY + 5 * 100_000 + 40 * 100_000))
    assert cap(res, "battery", "energy_mwh") == pytest.approx(40.0, rel=REL)
    assert cap(res, "battery") == pytest.approx(5.0, rel=REL)
    assert target(res, "storage_pairing").achieved == pytest.approx(2.0, rel=REL)


# -- two milestone years ---------------------------------------------------------------------------
def test_two_years_discounting_and_vintages(tmp_path: Path) -> None:
    """Years 2025 and 2030 (n = 5 each), discount 5 %: DF = 1.05^-5, 1.05^-10; demand doubles in 2030.
    Solar built in 2025 stays online (life 20); 2030 adds the same again. CRF(5 %, 20) annuity per vintage.
    Objective = Σ_y DF_y × 5 × annuity × MW online."""
    from peakplan.finance import crf

    years = (2025, 2030)
    jy = [r for r in toy.jy_rows(J, list(years))]
    for r in jy:
        if r["parameter"] == "electricity_demand_mwh" and r["year"] == 2030:
            r["value"] = 2 * DEMAND
    inputs = toy.write_toy(tmp_path / "two", years=years, discount_rate=0.05,
                           tables={"jurisdiction_year": jy})
    res = run_scenario(toy.scenario(inputs, years=years))
    a = crf(0.05, 20) * 4_380_000
    expected = 1.05 ** -5 * 5 * 20 * a + 1.05 ** -10 * 5 * 40 * a
    assert res.status == "optimal"
    assert res.objective_cny == pytest.approx(expected, rel=REL)
    c = res.tables["capacity"]
    assert float(c[c.year == 2030].capacity_mw.iloc[0]) == pytest.approx(40.0, rel=REL)


# -- new gas plants and the shared import limit ------------------------------------------------------
def test_new_gas_peaker_built_for_an_import_limit(tmp_path: Path) -> None:
    """Import limited to 5 MW, no solar: the other 5 MW come from a new gas peaker (capex 2,000 CNY/kW over
    25 yr = 80,000 CNY/MW-yr; 0.3 tce/MWh × 3,000 = 900 CNY/MWh), far below VoLL 30,000.
    Annual = 5 × 80,000 + 43,800 × 900 + 43,800 × 400 = 57.34 M; gas ledger 43,800 × 0.3 = 13,140 tce."""
    res = solve(tmp_path, tables={"potentials": pot(("gas_peaker", None))}, jy=dict(import_cap=5.0))
    assert_optimal(res, N_Y * (5 * 2000 * 1000 / 25 + 5 * H * 0.3 * 3000 + 5 * H * IMPORT))
    assert cap(res, "gas_peaker") == pytest.approx(5.0, rel=REL)
    assert energy(res, "gas:gas_new_plants") == pytest.approx(5 * H * 0.3, rel=REL)
    assert gen(res, "unserved") == pytest.approx(0.0, abs=1e-3)


def test_shared_import_limit_couples_jurisdictions(tmp_path: Path) -> None:
    """Two jurisdictions of 10 MW each share a 15 MW import limit; only linxiang has a coal unit
    (0.45 tce/MWh → 450 CNY/MWh > 400). Xiangtan imports its 10 MW, linxiang 5 MW + 5 MW of coal.
    Annual = 15 × 8,760 × 400 + 5 × 8,760 × 450 = 72.27 M."""
    j2 = "xiangtan"
    inputs = toy.write_toy(tmp_path / "shared", (J, j2), tables={"potentials": [], "units": [coal_unit(hr=0.45)]})
    res = run_scenario(toy.scenario(inputs, (J, j2), shared_import_cap_mw=15.0))
    assert res.status == "optimal"
    assert len(res.blocks) == 1
    assert res.objective_cny == pytest.approx(N_Y * (15 * H * IMPORT + 5 * H * 450), rel=REL)
    g = res.tables["generation"]
    imp = g[g.technology == "grid_import"].set_index("jurisdiction").generation_mwh
    assert imp[j2] == pytest.approx(10 * H, rel=REL)
    assert imp[J] == pytest.approx(5 * H, rel=REL)


# -- regressions of bugs found while writing these tests --------------------------------------------------
# (fixed: gas units counted their co-fired biomass twice; existing capacity of a technology that cannot be
#  built paid no fixed O&M)
def test_gas_unit_cofiring_counted_once(tmp_path: Path) -> None:
    """Gas unit 0.3 tce/MWh with φ = 0.2 biomass, gas at 1,000 CNY/tce (288 CNY/MWh blended < 400):
    fuel 26,280 tce = 21,024 gas + 5,256 biomass; TEC must be 26,280 (each tce counted once)."""
    u = toy.unit_row(J, "g1", technology="gas", cofire_share=0.2)
    res = solve(tmp_path, tables={"potentials": [], "units": [u]}, system=dict(gas_price_cny_per_tce=1000.0))
    assert_optimal(res, N_Y * DEMAND * 0.3 * (0.8 * 1000 + 0.2 * 800))
    assert energy(res, "nonfossil_local:cofired_biomass_fuel") == pytest.approx(5_256, rel=REL)
    assert energy(res, "gas:gas_power_units") == pytest.approx(21_024, rel=REL)
    assert energy(res, "total_energy_consumption") == pytest.approx(26_280, rel=REL)


@pytest.mark.parametrize("buildable", [True, False])
def test_existing_solar_pays_fixed_om(tmp_path: Path, buildable: bool) -> None:
    """Existing 10 MW solar with FOM 100 CNY/kW-yr → 1,000,000 CNY/yr whether or not more can be built.
    Buildable case: solar (new) is not built beyond economic 20 MW in total → 10 MW new at 219,000.
    Not buildable: the existing 10 MW give 43,800 MWh, the rest is imported."""
    existing = [dict(jurisdiction=J, technology="solar_utility", year=2020, capacity_mw=10.0, energy_mwh=None,
                     source=S)]
    res = solve(tmp_path, tables={"existing_capacity": existing,
                                  "potentials": pot(("solar_utility", None)) if buildable else []},
                tech={"solar_utility": dict(fom_cny_per_kw_yr=100.0)})
    fom = 100 * 1000 * 10
    assert cost(res, "vre_fixed_om") == pytest.approx(fom if not buildable else fom + 10 * 100_000, rel=REL)
    if buildable:
        # new solar costs 219,000 + 100,000 FOM = 319,000 per MW-yr = 72.8 CNY/MWh < 400 → 20 MW in total
        assert_optimal(res, N_Y * (10 * SOLAR_ANNUITY + 20 * 100_000))
    else:
        assert_optimal(res, N_Y * (43_800 * IMPORT + fom))


def test_existing_battery_pays_fixed_om(tmp_path: Path) -> None:
    """Existing 10 MW / 20 MWh battery, FOM 100 CNY/kW-yr, no battery potential → 1,000,000 CNY/yr."""
    existing = [dict(jurisdiction=J, technology="battery", year=2020, capacity_mw=10.0, energy_mwh=20.0, source=S)]
    res = solve(tmp_path, tables={"existing_capacity": existing}, tech={"battery": dict(fom_cny_per_kw_yr=100.0)})
    assert cost(res, "storage_fixed_om") == pytest.approx(1_000_000, rel=REL)
    assert_optimal(res, N_Y * (20 * SOLAR_ANNUITY + 1_000_000))
