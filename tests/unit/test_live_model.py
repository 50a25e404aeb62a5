"""The live HiGHS model of the solve loop: pushed rows and diffs equal a fresh compile; warm equals cold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from peakplan.build import build_model
from peakplan.config import Override, load_scenario
from peakplan.io.load import load_dataset
from peakplan.solve import DirectSolver, _matrix, compile_standard_form
from peakplan.time import make_time_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    scen = load_scenario(ROOT / "scenarios" / "base.yaml").with_cli(jurisdictions=("leiyang",), time="rep:4")
    data = load_dataset(scen)
    ti = make_time_index({"leiyang": data.timeseries["leiyang"]}, scen.time)
    return scen, data, ti


def _same_lp(h, built) -> None:  # type: ignore[no-untyped-def]
    """HiGHS's current LP equals the standard form compiled afresh from the Pyomo model."""
    sf = compile_standard_form(built)
    cur = h.getLp()
    np.testing.assert_allclose(np.asarray(cur.col_cost_), np.asarray(sf.lp.col_cost_), rtol=1e-12, atol=0)
    np.testing.assert_allclose(np.asarray(cur.row_lower_), np.asarray(sf.lp.row_lower_), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(cur.row_upper_), np.asarray(sf.lp.row_upper_), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(cur.col_lower_), np.asarray(sf.lp.col_lower_))
    np.testing.assert_allclose(np.asarray(cur.col_upper_), np.asarray(sf.lp.col_upper_))
    diff = _matrix(cur, sf.a.shape) - sf.a
    assert abs(diff).max() < 1e-12


def test_update_rows_equals_fresh_compile_and_warm_equals_cold(setup) -> None:  # type: ignore[no-untyped-def]
    scen, data, ti = setup
    built = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load(built)
    first = s.solve(built)
    m = built.model
    changes = []
    for key, level in (("nonfossil_share|leiyang|2030", 0.31), ("energy_intensity|leiyang|2030", 0.30)):
        family = key.split("|")[0]
        m.p_target_level[key] = level
        changes.append((getattr(m, f"c_{family}")[key], m.p_target_level[key]))
    assert s.update_rows(changes) == 2
    _same_lp(s.highs, built)
    warm = s.solve(built)
    cold_solver = DirectSolver(scen.solver)
    cold_solver.load(built)
    cold = cold_solver.solve(built)
    assert warm.optimal and cold.optimal
    assert warm.objective_cny == pytest.approx(cold.objective_cny, rel=1e-9)
    assert warm.objective_cny > first.objective_cny  # tighter targets cost more
    assert warm.iterations < cold.iterations  # started from the previous basis
    # a second change of the same rows goes through the learned affine form
    m.p_target_level["nonfossil_share|leiyang|2030"] = 0.27
    s.update_rows(changes[:1])
    _same_lp(s.highs, built)


def test_update_rows_rejects_a_constraint_not_in_the_model(setup) -> None:  # type: ignore[no-untyped-def]
    scen, data, ti = setup
    built = build_model(data, scen, ti, ("leiyang",))
    other = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load(built)
    key = "nonfossil_share|leiyang|2030"
    with pytest.raises(KeyError, match="not a row"):
        s.update_rows([(other.model.c_nonfossil_share[key], other.model.p_target_level[key])])


def test_update_model_pushes_data_changes_warm(setup) -> None:  # type: ignore[no-untyped-def]
    scen, data, ti = setup
    built = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load(built)
    s.solve(built)
    scen2 = replace(scen, overrides=(Override("system_year", "value", {"parameter": "gas_price_cny_per_tce"},
                                              scale=1.3),
                                     # f_pe is a matrix coefficient of the accounting rows
                                     Override("system_year", "value", {"parameter": "f_pe_tce_per_mwh"}, scale=1.02)),
                    policy=replace(scen.policy, carbon_price_cny_per_tco2=80.0))
    built2 = build_model(load_dataset(scen2), scen2, ti, ("leiyang",))
    a_before = _matrix(s.highs.getLp(), compile_standard_form(built).a.shape)
    n = s.update_model(built2)
    assert n > 0
    assert abs(_matrix(s.highs.getLp(), a_before.shape) - a_before).max() > 0  # coefficients were pushed
    _same_lp(s.highs, built2)
    warm = s.solve(built2)
    cold = DirectSolver(scen.solver)
    cold.load(built2)
    c = cold.solve(built2)
    assert warm.objective_cny == pytest.approx(c.objective_cny, rel=1e-9)
    # the same data again: nothing to push
    assert s.update_model(build_model(load_dataset(scen2), scen2, ti, ("leiyang",))) == 0


def test_update_model_reloads_when_the_structure_changes(setup) -> None:  # type: ignore[no-untyped-def]
    scen, data, ti = setup
    built = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load(built)
    s.solve(built)
    scen3 = scen.with_cli(years=(2025, 2030, 2035))
    built3 = build_model(load_dataset(scen3), scen3, ti, ("leiyang",))
    assert s.update_model(built3) == -1
    out = s.solve(built3)
    cold = DirectSolver(scen.solver)
    cold.load(built3)
    assert out.objective_cny == pytest.approx(cold.solve(built3).objective_cny, rel=1e-9)


def test_resolve_options_apply_to_re_solves_only(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from peakplan.config import ConfigError, load_solver_config

    cfg = tmp_path / "ipm_sweep.yaml"
    cfg.write_text("solver: ipm\nrun_crossover: 'on'\nresolve:\n  solver: simplex\n")
    solver_cfg = load_solver_config(cfg)
    assert solver_cfg.options == {"solver": "ipm", "run_crossover": "on"}
    assert solver_cfg.resolve_options == {"solver": "simplex"}
    scen, data, ti = setup
    scen = replace(scen, solver=solver_cfg)
    built = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load(built)
    s.solve(built)
    assert s.highs.getOptionValue("solver")[1] == "ipm"
    m = built.model
    key = "nonfossil_share|leiyang|2030"
    m.p_target_level[key] = 0.3
    s.update_rows([(m.c_nonfossil_share[key], m.p_target_level[key])])
    warm = s.solve(built)
    assert s.highs.getOptionValue("solver")[1] == "simplex"
    cold = DirectSolver(scen.solver)
    cold.load(built)
    assert warm.objective_cny == pytest.approx(cold.solve(built).objective_cny, rel=1e-7)
    cfg.write_text("solver: ipm\nresolve:\n  solver: quantum\n")
    with pytest.raises(ConfigError, match="HiGHS rejected"):
        load_solver_config(cfg)


def test_evaluator_tables_equal_expression_walks_after_warm_updates(setup) -> None:  # type: ignore[no-untyped-def]
    """Results read through cached linear forms equal pyomo.value on the same solution, after the
    forms were compiled at one point and reused at another (the sweep path)."""
    import pandas as pd

    from peakplan.results import Evaluator, extract

    scen, data, ti = setup
    built = build_model(data, scen, ti, ("leiyang",))
    s = DirectSolver(scen.solver)
    s.load_values = False
    s.load(built)
    s.solve(built)
    sol = s.snapshot()
    extract(built, {}, Evaluator(built, sol.x, sol.col_of))  # compiles and caches the forms
    assert built.linear_forms
    m = built.model
    key = "nonfossil_share|leiyang|2030"
    m.p_target_level[key] = 0.33
    s.update_rows([(m.c_nonfossil_share[key], m.p_target_level[key])])
    s.solve(built)
    sol = s.snapshot()
    cons = [getattr(m, f"c_{r.target}")[r.key] for r in built.targets]
    fast = extract(built, sol.duals(cons), Evaluator(built, sol.x, sol.col_of))
    for v, x in zip(s._columns, sol.x):  # the slow path reads Pyomo's variables
        v.set_value(float(x), skip_validation=True)
    slow = extract(built, sol.duals(cons))
    for name in fast:
        a, b = fast[name], slow[name]
        assert list(a.columns) == list(b.columns) and len(a) == len(b), name
        for col in a.columns:
            if pd.api.types.is_numeric_dtype(a[col]) and pd.api.types.is_numeric_dtype(b[col]):
                np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-9, atol=1e-6,
                                           err_msg=f"{name}.{col}")
            else:
                assert list(a[col].astype(str)) == list(b[col].astype(str)), f"{name}.{col}"
    t = fast["targets"].set_index("target")
    assert float(t.loc["nonfossil_share"].query("year == 2030").achieved.iloc[0]) == pytest.approx(0.33, abs=1e-7)
