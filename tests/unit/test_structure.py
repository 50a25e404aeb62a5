"""Structural tests: one per constraint family, on a fully-featured toy, without solving.

Each test picks one row of a ``c_*`` family and checks its linear form — every variable and
coefficient (``pyomo.repn.generate_standard_repn``) and the bounds — against the equation of
docs/formulation.md, written out here independently of the model code. A row is compared in
canonical form ``lower ≤ Σ a_i x_i ≤ upper`` (constants moved to the bounds), up to a sign flip of the
whole row (Pyomo may store ``a ≥ b`` as ``b − a ≤ 0``).

Meta-tests: every component has its role prefix (c_, v_, e_, p_, obj_, UPPER-case sets) and a doc;
every ``c_*`` family in the model and in model/peakplan/build/*.py has a structural test here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
import pytest
from pyomo.repn import generate_standard_repn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.build import BuiltModel, build_model  # noqa: E402
from peakplan.io.load import load_dataset  # noqa: E402
from peakplan.time import make_time_index  # noqa: E402

BUILD_DIR = Path(__file__).resolve().parents[2] / "model" / "peakplan" / "build"
S = toy.SRC
J, J2 = "linxiang", "xiangtan"
Y1, Y2 = 2025, 2030
YEARS = (Y1, Y2)
T = 5            # a step of the single representative day (every step has weight 365 h)
W = 365.0        # hours each step stands for
H = 8760.0

# -- the fully-featured toy ------------------------------------------------------------------------
F_PE, S_GRID, EF_GRID = 0.3, 0.4, 0.6
EF_COAL, EF_GAS, EF_OIL = 2.66, 1.63, 2.02
COAL_OTHER, GAS_FINAL, OIL, ONF = 100.0, 50.0, 20.0, 10.0
IMPORT_CAP, EXPORT_CAP, SHARED_CAP = 12.0, 7.0, 15.0
BASE_TEC, BASE_CO2, BASE_NFL = 30_000.0, 60_000.0, 500.0
SOLAR_CF, WIND_CF, HYDRO_CF = 0.5, 0.3, 0.4
EXIST_SOLAR, EXIST_BAT_MW, EXIST_BAT_MWH = 3.0, 1.0, 2.0
POT_SOLAR, POT_BATTERY, POT_PEAKER = 100.0, 50.0, 30.0
BAT = dict(efficiency_charge=0.9, efficiency_discharge=0.8, loss_per_h=0.01, duration_min_h=2.0, duration_max_h=6.0)
PEAKER_HR = 0.3
# coal unit: availability 0.9, heat rate 0.35, retrofit 0.28, repower (gas) 0.2, co-firing φ = 0.1
COAL = dict(cap=10.0, a=0.9, hr=0.35, hr_rfit=0.28, hr_rep=0.2, phi=0.1)
CHP = dict(cap=10.0, hr=0.3, floor=0.5)
HYDRO = dict(cap=10.0, a=0.9)
NEW_COAL_HR = 0.32  # u_new: commissioned 2028, so offline in 2025
BLOCK_GAS = dict(size=1000.0, share=0.5, eff_coal=0.6, eff_target=0.9)
BLOCK_EL = dict(size=1229.0, share=1.0, eff_coal=0.5, eff_target=1.0)
CAL = 0.1229
LEVELS = dict(nonfossil_share=0.2, energy_intensity=0.1, co2_intensity=0.1, new_energy_capacity=30.0,
              new_energy_additions=10.0, curtailment=0.05, gas_share=0.1, gas_min=100.0, coal_cap=1e5,
              storage_pairing=2.0)
UNITS_OF = {"nonfossil_share": "fraction", "energy_intensity": "fraction_reduction_vs_base",
            "co2_intensity": "fraction_reduction_vs_base", "new_energy_capacity": "mw",
            "new_energy_additions": "mw", "curtailment": "fraction", "gas_share": "fraction", "gas_min": "tce",
            "coal_cap": "tce", "storage_pairing": "mwh_per_mw"}
COMMITTED_SOLAR_MW, COMMITTED_BAT_MW, COMMITTED_BAT_MWH = 5.0, 2.0, 4.0


def _write_full_toy(path: Path) -> Path:
    units = [
        toy.unit_row(J, "u_coal", capacity_mw=COAL["cap"], hr=COAL["hr"], availability=COAL["a"],
                     retrofit_heat_rate_tce_per_mwh=COAL["hr_rfit"], retrofit_capex_cny_per_kw=1000.0,
                     repower_heat_rate_tce_per_mwh=COAL["hr_rep"], repower_capex_cny_per_kw=2000.0,
                     cofire_share=COAL["phi"]),
        toy.unit_row(J, "u_chp", technology="coal_chp", capacity_mw=CHP["cap"], hr=CHP["hr"],
                     min_output_share=CHP["floor"], heating_months="11;12;1;2;3"),
        toy.unit_row(J, "u_chp_summer", technology="coal_chp", capacity_mw=5.0, hr=0.3, min_output_share=0.5,
                     heating_months="6;7;8"),
        toy.unit_row(J, "u_hydro", technology="hydro", capacity_mw=HYDRO["cap"], hr=None, availability=HYDRO["a"]),
        toy.unit_row(J, "u_new", capacity_mw=10.0, hr=NEW_COAL_HR, commissioning_year=2028),
    ]
    pot = [dict(jurisdiction=J, technology=g, potential_mw=v, source=S) for g, v in
           [("solar_utility", POT_SOLAR), ("wind_onshore", None), ("battery", POT_BATTERY), ("pumped_hydro", None),
            ("gas_peaker", POT_PEAKER)]]
    pot.append(dict(jurisdiction=J2, technology="solar_utility", potential_mw=None, source=S))
    targets = [dict(jurisdiction=J, year=Y1, target=k, value=v, unit=UNITS_OF[k], firmness="hard", source=S)
               for k, v in LEVELS.items()]
    blocks = [
        dict(jurisdiction=J, block_id="b_gas", sector="x", target_fuel="gas", coal_use_tce=BLOCK_GAS["size"],
             max_share=BLOCK_GAS["share"], efficiency_coal=BLOCK_GAS["eff_coal"],
             efficiency_target=BLOCK_GAS["eff_target"], capex_cny_per_tce_yr=100.0, lifetime_yr=10, source=S),
        dict(jurisdiction=J, block_id="b_el", sector="x", target_fuel="electricity", coal_use_tce=BLOCK_EL["size"],
             max_share=BLOCK_EL["share"], efficiency_coal=BLOCK_EL["eff_coal"],
             efficiency_target=BLOCK_EL["eff_target"], capex_cny_per_tce_yr=100.0, lifetime_yr=10, source=S),
    ]
    rules = [dict(jurisdiction=J, unit_id="u_coal", rule="heat_rate_threshold", year=Y2, threshold_tce_per_mwh=0.3,
                  firmness="hard", source=S),
             dict(jurisdiction=J, unit_id="u_chp", rule="retire_by", year=Y2, threshold_tce_per_mwh=None,
                  firmness="hard", source=S)]
    projects = [dict(jurisdiction=J, project_id="p_pv", name="pv", technology="solar_utility",
                     capacity_mw=COMMITTED_SOLAR_MW, energy_mwh=None, year=Y1, source=S),
                dict(jurisdiction=J, project_id="p_bat", name="bat", technology="battery",
                     capacity_mw=COMMITTED_BAT_MW, energy_mwh=COMMITTED_BAT_MWH, year=Y1, source=S)]
    existing = [dict(jurisdiction=J, technology="solar_utility", year=2020, capacity_mw=EXIST_SOLAR, energy_mwh=None,
                     source=S),
                dict(jurisdiction=J, technology="battery", year=2020, capacity_mw=EXIST_BAT_MW,
                     energy_mwh=EXIST_BAT_MWH, source=S)]
    jy = [r for j in (J, J2) for r in toy.jy_rows(j, list(YEARS), coal=COAL_OTHER, gas=GAS_FINAL, oil=OIL, onf=ONF,
                                                   import_cap=IMPORT_CAP, export_cap=EXPORT_CAP, base_tec=BASE_TEC,
                                                   base_co2=BASE_CO2, base_nfl=BASE_NFL)]
    system = toy.system_rows(list(YEARS), grid_nonfossil_share=S_GRID, grid_ef_tco2_per_mwh=EF_GRID)
    tech = toy.tech_rows(list(YEARS), battery=BAT)
    return toy.write_toy(path, (J, J2), YEARS, tables=dict(
        units=units, potentials=pot, targets=targets, fuel_switch_blocks=blocks, unit_rules=rules, projects=projects,
        existing_capacity=existing, jurisdiction_year=jy, system_year=system, technologies=tech))


def _build(inputs: Path, **policy: Any) -> BuiltModel:
    sc = toy.scenario(inputs, (J, J2), YEARS, **policy)
    data = load_dataset(sc)
    ti = make_time_index(data.timeseries, sc.time)
    return build_model(data, sc, ti)


@pytest.fixture(scope="module")
def full_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_full_toy(tmp_path_factory.mktemp("full_toy"))


@pytest.fixture(scope="module")
def built(full_inputs: Path) -> BuiltModel:
    return _build(full_inputs, shared_import_cap_mw=SHARED_CAP)


@pytest.fixture(scope="module")
def m(built: BuiltModel) -> pyo.ConcreteModel:
    return built.model


# -- canonical linear form ---------------------------------------------------------------------------
def canon(con: Any) -> tuple[dict[str, float], float | None, float | None]:
    """(coefficients by variable name, lower, upper) of ``lower ≤ Σ a x ≤ upper``."""
    repn = generate_standard_repn(con.body, compute_values=True)
    assert repn.is_linear(), f"{con.name} is not linear"
    coefs: dict[str, float] = {}
    for v, c in zip(repn.linear_vars, repn.linear_coefs):
        coefs[v.name] = coefs.get(v.name, 0.0) + float(c)
    coefs = {k: c for k, c in coefs.items() if abs(c) > 1e-12}
    const = float(pyo.value(repn.constant))
    lo = None if con.lower is None else float(pyo.value(con.lower)) - const
    hi = None if con.upper is None else float(pyo.value(con.upper)) - const
    return coefs, lo, hi


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same(got: tuple[dict[str, float], float | None, float | None],
          exp: tuple[dict[str, float], float | None, float | None]) -> bool:
    gc, gl, gh = got
    ec, el, eh = exp
    return (set(gc) == set(ec) and all(_close(gc[k], ec[k]) for k in ec) and _close(gl, el) and _close(gh, eh))


def assert_row(con: Any, expected: dict[Any, float], lower: float | None = None, upper: float | None = None) -> None:
    """Check a constraint row equals ``lower ≤ Σ expected[v] v ≤ upper`` (or its negation)."""
    exp_coefs: dict[str, float] = {}
    for v, c in expected.items():
        name = v if isinstance(v, str) else v.name
        exp_coefs[name] = exp_coefs.get(name, 0.0) + c
    exp_coefs = {k: c for k, c in exp_coefs.items() if abs(c) > 1e-12}
    got = canon(con)
    exp = (exp_coefs, lower, upper)
    neg = ({k: -c for k, c in got[0].items()}, None if got[2] is None else -got[2], None if got[1] is None else -got[1])
    if _same(got, exp) or _same(neg, exp):
        return
    gc, ec = got[0], exp_coefs
    diff = {k: (gc.get(k), ec.get(k)) for k in sorted(set(gc) | set(ec)) if not _close(gc.get(k, 0.0), ec.get(k, 0.0))}
    raise AssertionError(f"{con.name}: bounds got ({got[1]}, {got[2]}) expected ({lower}, {upper}); "
                         f"coefficient differences (got, expected): {diff}")


def add(d: dict[Any, float], other: dict[Any, float], scale: float = 1.0) -> dict[Any, float]:
    out = dict(d)
    for k, v in other.items():
        name = k if isinstance(k, str) else k.name
        out[name] = out.get(name, 0.0) + scale * v
    return out


# -- renewables --------------------------------------------------------------------------------------
def test_c_vre_available(m: pyo.ConcreteModel) -> None:
    """p[j,g,y,t] ≤ cf_t (existing + Σ online vintages): in 2030 both vintages count."""
    assert_row(m.c_vre_available[J, "solar_utility", Y2, T],
               {m.v_vre_gen_mw[J, "solar_utility", Y2, T].name: 1.0,
                m.v_vre_new_mw[J, "solar_utility", Y1].name: -SOLAR_CF, m.v_vre_new_mw[J, "solar_utility", Y2].name: -SOLAR_CF},
               upper=SOLAR_CF * EXIST_SOLAR)
    assert_row(m.c_vre_available[J, "wind_onshore", Y1, T],
               {m.v_vre_gen_mw[J, "wind_onshore", Y1, T].name: 1.0, m.v_vre_new_mw[J, "wind_onshore", Y1].name: -WIND_CF},
               upper=0.0)


def test_c_vre_potential(m: pyo.ConcreteModel) -> None:
    """existing + Σ vintages ≤ potential; only technologies with a potential have a row."""
    assert_row(m.c_vre_potential[J, "solar_utility", Y2],
               {m.v_vre_new_mw[J, "solar_utility", Y1].name: 1.0, m.v_vre_new_mw[J, "solar_utility", Y2].name: 1.0},
               upper=POT_SOLAR - EXIST_SOLAR)
    assert (J, "wind_onshore", Y1) not in m.c_vre_potential


# -- storage -----------------------------------------------------------------------------------------
def test_c_storage_soc(m: pyo.ConcreteModel) -> None:
    """soc_t = (1 − loss) soc_prev + η_c ch_t − dis_t / η_d, cyclic: step 0 follows step 23."""
    b = (J, "battery", Y1)
    assert_row(m.c_storage_soc[(*b, 0)],
               {m.v_soc_mwh[(*b, 0)].name: 1.0, m.v_soc_mwh[(*b, 23)].name: -(1 - BAT["loss_per_h"]),
                m.v_charge_mw[(*b, 0)].name: -BAT["efficiency_charge"],
                m.v_discharge_mw[(*b, 0)].name: 1.0 / BAT["efficiency_discharge"]}, lower=0.0, upper=0.0)
    assert_row(m.c_storage_soc[(*b, T)],
               {m.v_soc_mwh[(*b, T)].name: 1.0, m.v_soc_mwh[(*b, T - 1)].name: -(1 - BAT["loss_per_h"]),
                m.v_charge_mw[(*b, T)].name: -BAT["efficiency_charge"],
                m.v_discharge_mw[(*b, T)].name: 1.0 / BAT["efficiency_discharge"]}, lower=0.0, upper=0.0)


def test_c_storage_charge_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_charge_max[J, "battery", Y2, T],
               {m.v_charge_mw[J, "battery", Y2, T].name: 1.0, m.v_storage_new_mw[J, "battery", Y1].name: -1.0,
                m.v_storage_new_mw[J, "battery", Y2].name: -1.0}, upper=EXIST_BAT_MW)


def test_c_storage_discharge_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_discharge_max[J, "battery", Y2, T],
               {m.v_discharge_mw[J, "battery", Y2, T].name: 1.0, m.v_storage_new_mw[J, "battery", Y1].name: -1.0,
                m.v_storage_new_mw[J, "battery", Y2].name: -1.0}, upper=EXIST_BAT_MW)


def test_c_storage_soc_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_soc_max[J, "battery", Y2, T],
               {m.v_soc_mwh[J, "battery", Y2, T].name: 1.0, m.v_storage_new_mwh[J, "battery", Y1].name: -1.0,
                m.v_storage_new_mwh[J, "battery", Y2].name: -1.0}, upper=EXIST_BAT_MWH)


def test_c_storage_duration_min(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_duration_min[J, "battery", Y1],
               {m.v_storage_new_mwh[J, "battery", Y1].name: 1.0,
                m.v_storage_new_mw[J, "battery", Y1].name: -BAT["duration_min_h"]}, lower=0.0)


def test_c_storage_duration_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_duration_max[J, "battery", Y1],
               {m.v_storage_new_mwh[J, "battery", Y1].name: 1.0,
                m.v_storage_new_mw[J, "battery", Y1].name: -BAT["duration_max_h"]}, upper=0.0)


def test_c_storage_potential(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_storage_potential[J, "battery", Y1], {m.v_storage_new_mw[J, "battery", Y1].name: 1.0},
               upper=POT_BATTERY - EXIST_BAT_MW)
    assert (J, "pumped_hydro", Y1) not in m.c_storage_potential


# -- units -------------------------------------------------------------------------------------------
def test_c_unit_state(m: pyo.ConcreteModel) -> None:
    """ret + rfit + rep ≤ 1 (only the modes a unit has)."""
    assert_row(m.c_unit_state["u_coal", Y2], {m.v_unit_retired["u_coal", Y2].name: 1.0,
                                              m.v_unit_retrofit["u_coal", Y2].name: 1.0,
                                              m.v_unit_repower["u_coal", Y2].name: 1.0}, upper=1.0)
    assert_row(m.c_unit_state["u_chp", Y1], {m.v_unit_retired["u_chp", Y1].name: 1.0}, upper=1.0)


def test_c_unit_retired_monotone(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_unit_retired_monotone["u_coal", Y2],
               {m.v_unit_retired["u_coal", Y2].name: 1.0, m.v_unit_retired["u_coal", Y1].name: -1.0}, lower=0.0)
    assert ("u_coal", Y1) not in m.c_unit_retired_monotone
    assert len(m.c_unit_retired_monotone) == len(m.UNITS) * (len(YEARS) - 1)


def test_c_unit_retired_whole(full_inputs: Path) -> None:
    """MILP option: ret · n_units = N (integer, 0 ≤ N ≤ n_units); absent by default."""
    mi = _build(full_inputs, integer_retirement=True).model
    n = int(mi.v_unit_retired_count["u_coal", Y1].ub)
    assert n >= 1 and mi.v_unit_retired_count["u_coal", Y1].is_integer()
    assert_row(mi.c_unit_retired_whole["u_coal", Y1], {mi.v_unit_retired["u_coal", Y1].name: float(n),
                                                       mi.v_unit_retired_count["u_coal", Y1].name: -1.0},
               lower=0.0, upper=0.0)
    assert not hasattr(_build(full_inputs).model, "c_unit_retired_whole")


def test_c_unit_retrofit_monotone(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_unit_retrofit_monotone["u_coal", Y2],
               {m.v_unit_retrofit["u_coal", Y2].name: 1.0, m.v_unit_retrofit["u_coal", Y1].name: -1.0}, lower=0.0)
    assert len(m.c_unit_retrofit_monotone) == 1


def test_c_unit_repower_monotone(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_unit_repower_monotone["u_coal", Y2],
               {m.v_unit_repower["u_coal", Y2].name: 1.0, m.v_unit_repower["u_coal", Y1].name: -1.0}, lower=0.0)
    assert len(m.c_unit_repower_monotone) == 1


def test_c_unit_gen_max(m: pyo.ConcreteModel) -> None:
    """p_old ≤ a K α_t online (1 − ret − rfit − rep): coal (a = 0.9), hydro (α = cf 0.4), not yet online."""
    k = COAL["a"] * COAL["cap"]
    assert_row(m.c_unit_gen_max["u_coal", Y1, T],
               {m.v_unit_gen_mw["u_coal", Y1, T].name: 1.0, m.v_unit_retired["u_coal", Y1].name: k,
                m.v_unit_retrofit["u_coal", Y1].name: k, m.v_unit_repower["u_coal", Y1].name: k}, upper=k)
    kh = HYDRO["a"] * HYDRO["cap"] * HYDRO_CF
    assert_row(m.c_unit_gen_max["u_hydro", Y1, T],
               {m.v_unit_gen_mw["u_hydro", Y1, T].name: 1.0, m.v_unit_retired["u_hydro", Y1].name: kh}, upper=kh)
    assert_row(m.c_unit_gen_max["u_new", Y1, T], {m.v_unit_gen_mw["u_new", Y1, T].name: 1.0}, upper=0.0)
    assert_row(m.c_unit_gen_max["u_new", Y2, T],
               {m.v_unit_gen_mw["u_new", Y2, T].name: 1.0, m.v_unit_retired["u_new", Y2].name: 10.0}, upper=10.0)


def test_c_unit_gen_retrofit_max(m: pyo.ConcreteModel) -> None:
    k = COAL["a"] * COAL["cap"]
    assert_row(m.c_unit_gen_retrofit_max["u_coal", Y1, T],
               {m.v_unit_gen_retrofit_mw["u_coal", Y1, T].name: 1.0, m.v_unit_retrofit["u_coal", Y1].name: -k}, upper=0.0)


def test_c_unit_gen_repower_max(m: pyo.ConcreteModel) -> None:
    k = COAL["a"] * COAL["cap"]
    assert_row(m.c_unit_gen_repower_max["u_coal", Y1, T],
               {m.v_unit_gen_repower_mw["u_coal", Y1, T].name: 1.0, m.v_unit_repower["u_coal", Y1].name: -k}, upper=0.0)


def test_c_unit_must_run(m: pyo.ConcreteModel) -> None:
    """Heating-month floor: p ≥ floor · a K (1 − ret). The representative day is 1 January (month 1):
    the winter CHP unit has a row in every step, the summer one (months 6–8) none."""
    f = CHP["floor"] * CHP["cap"]
    assert_row(m.c_unit_must_run["u_chp", Y1, T],
               {m.v_unit_gen_mw["u_chp", Y1, T].name: 1.0, m.v_unit_retired["u_chp", Y1].name: f}, lower=f)
    rows = list(m.c_unit_must_run)
    assert all(u == "u_chp" for u, _, _ in rows)
    assert len(rows) == len(YEARS) * len(m.STEPS)


def test_c_unit_rule(m: pyo.ConcreteModel) -> None:
    """heat_rate_threshold (0.35 ≥ 0.30, retrofit 0.28 < 0.30 counts): ret + rfit ≥ 1 from 2030 only;
    retire_by: ret ≥ 1."""
    assert sorted(m.UNIT_RULES) == [("0:u_coal", Y2), ("1:u_chp", Y2)]
    assert_row(m.c_unit_rule["0:u_coal", Y2],
               {m.v_unit_retired["u_coal", Y2].name: 1.0, m.v_unit_retrofit["u_coal", Y2].name: 1.0}, lower=1.0)
    assert_row(m.c_unit_rule["1:u_chp", Y2], {m.v_unit_retired["u_chp", Y2].name: 1.0}, lower=1.0)


# -- new thermal ------------------------------------------------------------------------------------
def test_c_thermal_gen_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_thermal_gen_max[J, "gas_peaker", Y2, T],
               {m.v_thermal_gen_mw[J, "gas_peaker", Y2, T].name: 1.0, m.v_thermal_new_mw[J, "gas_peaker", Y1].name: -1.0,
                m.v_thermal_new_mw[J, "gas_peaker", Y2].name: -1.0}, upper=0.0)


def test_c_thermal_potential(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_thermal_potential[J, "gas_peaker", Y2],
               {m.v_thermal_new_mw[J, "gas_peaker", Y1].name: 1.0, m.v_thermal_new_mw[J, "gas_peaker", Y2].name: 1.0},
               upper=POT_PEAKER)


# -- fuel switching ---------------------------------------------------------------------------------
def test_c_switch_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_switch_max["b_gas", Y1], {m.v_switch_tce["b_gas", Y1].name: 1.0},
               upper=BLOCK_GAS["share"] * BLOCK_GAS["size"])


def test_c_switch_monotone(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_switch_monotone["b_el", Y2], {m.v_switch_tce["b_el", Y2].name: 1.0, m.v_switch_tce["b_el", Y1].name: -1.0},
               lower=0.0)
    assert ("b_el", Y1) not in m.c_switch_monotone


# -- grid -------------------------------------------------------------------------------------------
def test_c_import_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_import_max[J, Y1, T], {m.v_import_mw[J, Y1, T].name: 1.0}, upper=IMPORT_CAP)


def test_c_export_max(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_export_max[J, Y1, T], {m.v_export_fossil_mw[J, Y1, T].name: 1.0,
                                          m.v_export_nonfossil_mw[J, Y1, T].name: 1.0}, upper=EXPORT_CAP)


def test_c_export_fossil_first(m: pyo.ConcreteModel, full_inputs: Path) -> None:
    """exp_f ≤ local fossil generation: (1 − φ)(p_old + p_rfit) of coal units, repowered output, CHP,
    units not yet online (bounded elsewhere) and new gas plants; never hydro. Absent under grid_average."""
    y, t = Y1, T
    phi = COAL["phi"]
    assert_row(m.c_export_fossil_first[J, y, t],
               {m.v_export_fossil_mw[J, y, t].name: 1.0,
                m.v_unit_gen_mw["u_coal", y, t].name: -(1 - phi), m.v_unit_gen_retrofit_mw["u_coal", y, t].name: -(1 - phi),
                m.v_unit_gen_repower_mw["u_coal", y, t].name: -1.0, m.v_unit_gen_mw["u_chp", y, t].name: -1.0,
                m.v_unit_gen_mw["u_chp_summer", y, t].name: -1.0, m.v_unit_gen_mw["u_new", y, t].name: -1.0,
                m.v_thermal_gen_mw[J, "gas_peaker", y, t].name: -1.0}, upper=0.0)
    assert_row(m.c_export_fossil_first[J2, y, t], {m.v_export_fossil_mw[J2, y, t].name: 1.0}, upper=0.0)
    other = _build(full_inputs, export_attribution="grid_average").model
    assert not hasattr(other, "c_export_fossil_first")


def test_c_shared_import(m: pyo.ConcreteModel, full_inputs: Path) -> None:
    assert_row(m.c_shared_import[Y1, T], {m.v_import_mw[J, Y1, T].name: 1.0, m.v_import_mw[J2, Y1, T].name: 1.0},
               upper=SHARED_CAP)
    assert not hasattr(_build(full_inputs).model, "c_shared_import")


# -- balance ----------------------------------------------------------------------------------------
def test_c_energy_balance(m: pyo.ConcreteModel) -> None:
    """Σ VRE + Σ unit modes + gas plants + discharge − charge + imp − exp + shed − switched electricity = D."""
    y, t = Y1, T
    el = BLOCK_EL["eff_coal"] / BLOCK_EL["eff_target"] / CAL / H
    exp = {m.v_vre_gen_mw[J, "solar_utility", y, t].name: 1.0, m.v_vre_gen_mw[J, "wind_onshore", y, t].name: 1.0,
           m.v_unit_gen_mw["u_coal", y, t].name: 1.0, m.v_unit_gen_retrofit_mw["u_coal", y, t].name: 1.0,
           m.v_unit_gen_repower_mw["u_coal", y, t].name: 1.0, m.v_unit_gen_mw["u_chp", y, t].name: 1.0,
           m.v_unit_gen_mw["u_chp_summer", y, t].name: 1.0, m.v_unit_gen_mw["u_hydro", y, t].name: 1.0,
           m.v_unit_gen_mw["u_new", y, t].name: 1.0, m.v_thermal_gen_mw[J, "gas_peaker", y, t].name: 1.0,
           m.v_discharge_mw[J, "battery", y, t].name: 1.0, m.v_charge_mw[J, "battery", y, t].name: -1.0,
           m.v_discharge_mw[J, "pumped_hydro", y, t].name: 1.0, m.v_charge_mw[J, "pumped_hydro", y, t].name: -1.0,
           m.v_import_mw[J, y, t].name: 1.0, m.v_export_fossil_mw[J, y, t].name: -1.0, m.v_export_nonfossil_mw[J, y, t].name: -1.0,
           m.v_shed_mw[J, y, t].name: 1.0, m.v_switch_tce["b_el", y].name: -el}
    demand = 87_600.0 / H
    assert_row(m.c_energy_balance[J, y, t], exp, lower=demand, upper=demand)
    assert_row(m.c_energy_balance[J2, y, t],
               {m.v_vre_gen_mw[J2, "solar_utility", y, t].name: 1.0, m.v_import_mw[J2, y, t].name: 1.0,
                m.v_export_fossil_mw[J2, y, t].name: -1.0, m.v_export_nonfossil_mw[J2, y, t].name: -1.0,
                m.v_shed_mw[J2, y, t].name: 1.0}, lower=demand, upper=demand)


# -- the energy ledger of linxiang 2025, written out from formulation §4 --------------------------------
def ledger(m: pyo.ConcreteModel, y: int = Y1) -> dict[str, tuple[dict[str, float], float]]:
    """(coefficients, constant) of C, G, O, NFL, M, MNF, ONF, TEC, NF, CO2 for linxiang."""
    steps = list(m.STEPS)
    ratio_gas = BLOCK_GAS["eff_coal"] / BLOCK_GAS["eff_target"]
    phi = COAL["phi"]

    def per_step(var: Any, idx: tuple, coef: float) -> dict[str, float]:
        """coef · w_t for var[idx] at every step (None in idx marks the step position)."""
        return {var[tuple(t if i is None else i for i in idx)].name: coef * W for t in steps}

    coal_fuel = add(per_step(m.v_unit_gen_mw, ("u_coal", y, None), COAL["hr"]),
                    per_step(m.v_unit_gen_retrofit_mw, ("u_coal", y, None), COAL["hr_rfit"]))
    c = add({m.v_switch_tce["b_gas", y].name: -1.0, m.v_switch_tce["b_el", y].name: -1.0}, coal_fuel, 1 - phi)
    c = add(c, per_step(m.v_unit_gen_mw, ("u_chp", y, None), CHP["hr"]))
    c = add(c, per_step(m.v_unit_gen_mw, ("u_chp_summer", y, None), 0.3))
    c = add(c, per_step(m.v_unit_gen_mw, ("u_new", y, None), NEW_COAL_HR))
    c_const = BLOCK_GAS["size"] + BLOCK_EL["size"] + COAL_OTHER
    g = add({m.v_switch_tce["b_gas", y].name: ratio_gas},
            per_step(m.v_unit_gen_repower_mw, ("u_coal", y, None), COAL["hr_rep"]))
    g = add(g, per_step(m.v_thermal_gen_mw, (J, "gas_peaker", y, None), PEAKER_HR))
    nfl = add(per_step(m.v_vre_gen_mw, (J, "solar_utility", y, None), F_PE),
              per_step(m.v_vre_gen_mw, (J, "wind_onshore", y, None), F_PE))
    nfl = add(nfl, per_step(m.v_unit_gen_mw, ("u_hydro", y, None), F_PE))
    nfl = add(nfl, coal_fuel, phi)
    net = add(add(per_step(m.v_import_mw, (J, y, None), 1.0), per_step(m.v_export_fossil_mw, (J, y, None), -1.0)),
              per_step(m.v_export_nonfossil_mw, (J, y, None), -1.0))
    # unserved energy is accounted as if imported (balance.py): in M, MNF and the indirect CO2
    net = add(net, per_step(m.v_shed_mw, (J, y, None), 1.0))
    mm = add({}, net, F_PE)
    mnf = add(per_step(m.v_import_mw, (J, y, None), S_GRID * F_PE),
              per_step(m.v_export_nonfossil_mw, (J, y, None), -F_PE))
    mnf = add(mnf, per_step(m.v_shed_mw, (J, y, None), S_GRID * F_PE))
    tec = add(add(add(c, g), nfl), mm)
    tec_const = c_const + GAS_FINAL + OIL + ONF
    nf = add(nfl, mnf)
    co2 = add(add(add({}, c, EF_COAL), g, EF_GAS), net, EF_GRID)
    co2_const = EF_COAL * c_const + EF_GAS * GAS_FINAL + EF_OIL * OIL
    return {"C": (c, c_const), "G": (g, GAS_FINAL), "NFL": (nfl, 0.0), "M": (mm, 0.0), "MNF": (mnf, 0.0),
            "TEC": (tec, tec_const), "NF": (nf, ONF), "CO2": (co2, co2_const)}


def _key(m: pyo.ConcreteModel, family: str, tech: str = "") -> str:
    keys = [k for k in getattr(m, f"TARGETS_{family.upper()}") if k.split("|")[1] == J and k.split("|")[2] == str(Y1)
            and (not tech or k.endswith(f"|{tech}"))]
    assert len(keys) == 1, keys
    return keys[0]


def test_ledger_expressions(m: pyo.ConcreteModel) -> None:
    """The accounting expressions themselves match formulation §4 (C, G, NFL, M, MNF, TEC, NF, CO2)."""
    led = ledger(m)
    for name, comp in [("C", m.e_coal_tce), ("G", m.e_gas_tce), ("NFL", m.e_nonfossil_local_tce),
                       ("M", m.e_net_import_tce), ("MNF", m.e_import_nonfossil_tce), ("TEC", m.e_total_energy_tce),
                       ("NF", m.e_nonfossil_tce), ("CO2", m.e_co2_tco2)]:
        coefs, const = led[name]
        repn = generate_standard_repn(comp[J, Y1].expr, compute_values=True)
        got = {v.name: float(c) for v, c in zip(repn.linear_vars, repn.linear_coefs) if abs(c) > 1e-12}
        exp = {k: v for k, v in coefs.items() if abs(v) > 1e-12}
        assert set(got) == set(exp), (name, set(got) ^ set(exp))
        for k in exp:
            assert got[k] == pytest.approx(exp[k], rel=1e-9), (name, k)
        assert float(pyo.value(repn.constant)) == pytest.approx(const, rel=1e-9, abs=1e-9), name


# -- policies ---------------------------------------------------------------------------------------
def test_c_nonfossil_share(m: pyo.ConcreteModel) -> None:
    """NF − s · TEC ≥ 0."""
    led, s = ledger(m), LEVELS["nonfossil_share"]
    coefs = add(led["NF"][0], led["TEC"][0], -s)
    const = led["NF"][1] - s * led["TEC"][1]
    assert_row(m.c_nonfossil_share[_key(m, "nonfossil_share")], coefs, lower=-const)


def test_c_energy_intensity(m: pyo.ConcreteModel, full_inputs: Path) -> None:
    """TEC − x (NFL − NF_exported − NFL_base) ≤ (1 − d) TEC_base / GDP_base · GDP (GDP unchanged here),
    x = exclude_new_re; NF_exported = f_pe Σ_t w exp_nf under fossil-first attribution (accounting.py:
    exported non-fossil electricity already left TEC through M, so it is not deducted twice)."""
    led, d = ledger(m), LEVELS["energy_intensity"]
    rhs = (1 - d) * BASE_TEC
    coefs = add(led["TEC"][0], led["NFL"][0], -1.0)
    coefs = add(coefs, {m.v_export_nonfossil_mw[J, Y1, t].name: F_PE * W for t in m.STEPS})
    assert_row(m.c_energy_intensity[_key(m, "energy_intensity")], coefs, upper=rhs - led["TEC"][1] - BASE_NFL)
    # grid_average attribution: the exported non-fossil part is s_grid × all exports
    m_ga = _build(full_inputs, export_attribution="grid_average").model
    led_ga = ledger(m_ga)
    coefs_ga = add(led_ga["TEC"][0], led_ga["NFL"][0], -1.0)
    for var in (m_ga.v_export_fossil_mw, m_ga.v_export_nonfossil_mw):
        coefs_ga = add(coefs_ga, {var[J, Y1, t].name: S_GRID * F_PE * W for t in m_ga.STEPS})
    assert_row(m_ga.c_energy_intensity[_key(m_ga, "energy_intensity")], coefs_ga,
               upper=rhs - led_ga["TEC"][1] - BASE_NFL)
    m_off = _build(full_inputs, exclude_new_re=False).model
    led_off = ledger(m_off)
    assert_row(m_off.c_energy_intensity[_key(m_off, "energy_intensity")], led_off["TEC"][0],
               upper=rhs - led_off["TEC"][1])


def test_c_co2_intensity(m: pyo.ConcreteModel) -> None:
    """CO2 ≤ (1 − d) CO2_base / GDP_base · GDP."""
    led, d = ledger(m), LEVELS["co2_intensity"]
    assert_row(m.c_co2_intensity[_key(m, "co2_intensity")], led["CO2"][0],
               upper=(1 - d) * BASE_CO2 - led["CO2"][1])


def test_c_new_energy_capacity(m: pyo.ConcreteModel) -> None:
    """Σ_VRE (existing + new) ≥ level."""
    assert_row(m.c_new_energy_capacity[_key(m, "new_energy_capacity")],
               {m.v_vre_new_mw[J, "solar_utility", Y1].name: 1.0, m.v_vre_new_mw[J, "wind_onshore", Y1].name: 1.0},
               lower=LEVELS["new_energy_capacity"] - EXIST_SOLAR)


def test_c_new_energy_additions(m: pyo.ConcreteModel) -> None:
    """Σ_VRE K − Σ_VRE K_base ≥ level (existing 2020 capacity cancels)."""
    assert_row(m.c_new_energy_additions[_key(m, "new_energy_additions")],
               {m.v_vre_new_mw[J, "solar_utility", Y1].name: 1.0, m.v_vre_new_mw[J, "wind_onshore", Y1].name: 1.0},
               lower=LEVELS["new_energy_additions"])


def test_c_curtailment(m: pyo.ConcreteModel) -> None:
    """Σ_t w (cf K − p) ≤ c · Σ_t w cf K, i.e. (1 − c) Σ w cf K − Σ w p ≤ 0."""
    c = LEVELS["curtailment"]
    coefs: dict[Any, float] = {m.v_vre_new_mw[J, "solar_utility", Y1].name: (1 - c) * H * SOLAR_CF,
                               m.v_vre_new_mw[J, "wind_onshore", Y1].name: (1 - c) * H * WIND_CF}
    for t in m.STEPS:
        coefs[m.v_vre_gen_mw[J, "solar_utility", Y1, t].name] = -W
        coefs[m.v_vre_gen_mw[J, "wind_onshore", Y1, t].name] = -W
    assert_row(m.c_curtailment[_key(m, "curtailment")], coefs, upper=-(1 - c) * H * SOLAR_CF * EXIST_SOLAR)


def test_c_gas_share(m: pyo.ConcreteModel) -> None:
    """G − g · TEC ≥ 0."""
    led, s = ledger(m), LEVELS["gas_share"]
    assert_row(m.c_gas_share[_key(m, "gas_share")], add(led["G"][0], led["TEC"][0], -s),
               lower=-(led["G"][1] - s * led["TEC"][1]))


def test_c_gas_min(m: pyo.ConcreteModel) -> None:
    led = ledger(m)
    assert_row(m.c_gas_min[_key(m, "gas_min")], led["G"][0], lower=LEVELS["gas_min"] - led["G"][1])


def test_c_coal_cap(m: pyo.ConcreteModel) -> None:
    led = ledger(m)
    assert_row(m.c_coal_cap[_key(m, "coal_cap")], led["C"][0], upper=LEVELS["coal_cap"] - led["C"][1])


def test_c_storage_pairing(m: pyo.ConcreteModel) -> None:
    """Σ_{y' ≤ y} new storage MWh ≥ ρ Σ_{y' ≤ y} new VRE MW (existing capacity excluded)."""
    r = LEVELS["storage_pairing"]
    assert_row(m.c_storage_pairing[_key(m, "storage_pairing")],
               {m.v_storage_new_mwh[J, "battery", Y1].name: 1.0, m.v_storage_new_mwh[J, "pumped_hydro", Y1].name: 1.0,
                m.v_vre_new_mw[J, "solar_utility", Y1].name: -r, m.v_vre_new_mw[J, "wind_onshore", Y1].name: -r}, lower=0.0)


def test_c_committed_capacity(m: pyo.ConcreteModel) -> None:
    """Cumulative new MW of the technology ≥ committed MW, in every year from the project's year."""
    assert_row(m.c_committed_capacity[_key(m, "committed_capacity", "solar_utility")],
               {m.v_vre_new_mw[J, "solar_utility", Y1].name: 1.0}, lower=COMMITTED_SOLAR_MW)
    k2 = f"committed_capacity|{J}|{Y2}|solar_utility"
    assert_row(m.c_committed_capacity[k2], {m.v_vre_new_mw[J, "solar_utility", Y1].name: 1.0,
                                            m.v_vre_new_mw[J, "solar_utility", Y2].name: 1.0}, lower=COMMITTED_SOLAR_MW)
    assert_row(m.c_committed_capacity[_key(m, "committed_capacity", "battery")],
               {m.v_storage_new_mw[J, "battery", Y1].name: 1.0}, lower=COMMITTED_BAT_MW)


def test_c_committed_energy(m: pyo.ConcreteModel) -> None:
    assert_row(m.c_committed_energy[_key(m, "committed_energy", "battery")],
               {m.v_storage_new_mwh[J, "battery", Y1].name: 1.0}, lower=COMMITTED_BAT_MWH)


def test_soft_targets_get_a_slack(full_inputs: Path) -> None:
    """Elastic mode: each target row gets v_target_slack with the sign that relaxes it."""
    me = _build(full_inputs, elastic=True).model
    k = _key(me, "nonfossil_share")
    coefs, lo, hi = canon(me.c_nonfossil_share[k])
    slack = me.v_target_slack[k].name
    assert lo is not None and hi is None and coefs[slack] == pytest.approx(1.0)
    k = _key(me, "coal_cap")
    coefs, lo, hi = canon(me.c_coal_cap[k])
    assert hi is not None and lo is None and coefs[me.v_target_slack[k].name] == pytest.approx(-1.0)


# -- meta-tests -------------------------------------------------------------------------------------
TESTED = (
    "c_vre_available", "c_vre_potential",
    "c_storage_soc", "c_storage_charge_max", "c_storage_discharge_max", "c_storage_soc_max",
    "c_storage_duration_min", "c_storage_duration_max", "c_storage_potential",
    "c_unit_state", "c_unit_retired_monotone", "c_unit_retrofit_monotone", "c_unit_repower_monotone",
    "c_unit_gen_max", "c_unit_gen_retrofit_max", "c_unit_gen_repower_max", "c_unit_must_run", "c_unit_rule",
    "c_unit_retired_whole",
    "c_thermal_gen_max", "c_thermal_potential",
    "c_switch_max", "c_switch_monotone",
    "c_import_max", "c_export_max", "c_export_fossil_first", "c_shared_import",
    "c_energy_balance",
    "c_nonfossil_share", "c_energy_intensity", "c_co2_intensity", "c_new_energy_capacity",
    "c_new_energy_additions", "c_curtailment", "c_gas_share", "c_gas_min", "c_coal_cap", "c_storage_pairing",
    "c_committed_capacity", "c_committed_energy",
)

# families built only under a scenario option (tested on their own model in their test function)
OPTION_ONLY = {"c_unit_retired_whole"}

PREFIX = {pyo.Constraint: "c_", pyo.Var: "v_", pyo.Expression: "e_", pyo.Param: "p_", pyo.Objective: "obj_"}


def test_every_component_has_its_role_prefix_and_a_doc(m: pyo.ConcreteModel) -> None:
    bad: list[str] = []
    seen = 0
    for comp in m.component_objects(descend_into=True):
        seen += 1
        name = comp.local_name
        if not (comp.doc or "").strip():
            bad.append(f"{name}: empty doc")
        if isinstance(comp, pyo.Set):
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
                bad.append(f"{name}: a Set must be named in UPPER case")
            continue
        for kind, prefix in PREFIX.items():
            if comp.ctype is kind:
                if not name.startswith(prefix):
                    bad.append(f"{name}: a {kind.__name__} must start with {prefix!r}")
                break
        else:
            bad.append(f"{name}: unexpected component type {comp.ctype.__name__}")
    assert seen > 100
    assert not bad, "\n".join(bad)


def _constraint_names_in_source() -> set[str]:
    names: set[str] = set()
    for path in BUILD_DIR.glob("*.py"):
        names |= set(re.findall(r"\bm\.(c_\w+)\s*=\s*pyo\.Constraint\(", path.read_text(encoding="utf-8")))
    return names


def test_every_constraint_family_has_a_structural_test(m: pyo.ConcreteModel) -> None:
    in_model = {c.local_name for c in m.component_objects(pyo.Constraint)}
    in_source = _constraint_names_in_source()
    assert len(in_source) > 20, "source scan found too few constraints; has the build layout changed?"
    untested = sorted((in_model | in_source) - set(TESTED))
    assert not untested, f"constraint families without a structural test: {untested}"
    missing_fn = [n for n in TESTED if f"test_{n}" not in globals()]
    assert not missing_fn, f"TESTED names without a test function: {missing_fn}"
    stale = sorted(set(TESTED) - in_model - OPTION_ONLY)
    assert not stale, f"tested families no longer in the fully-featured model: {stale}"
