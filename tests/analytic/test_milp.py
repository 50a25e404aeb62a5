"""MILP option: existing units retire in whole units (formulation §6, integer option)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.io.load import load_dataset  # noqa: E402
from peakplan.run import run_scenario  # noqa: E402

H = 8760


def _run(tmp_path: Path, integer: bool):  # noqa: ANN202
    """Demand 10 MW flat; imports capped at 5 MW (400 CNY/MWh); no solar; a 2 × 10 MW coal unit with fuel
    300 CNY/MWh and fixed O&M 1,000 CNY/kW-yr = 1e6 CNY/MW-yr. Keeping a MW costs 1e6 and saves only
    8760 × (400 − 300) = 876,000 CNY: keep as little as possible, at least the 5 MW imports cannot supply."""
    jy = toy.jy_rows("linxiang", [2025], import_cap=5.0)
    unit = toy.unit_row("linxiang", "c", capacity_mw=20.0, n_units=2, fom_cny_per_kw_yr=1000.0)
    p = toy.write_toy(tmp_path, tables={"jurisdiction_year": jy, "potentials": [], "units": [unit]})
    s = toy.scenario(p, integer_retirement=integer)
    return run_scenario(s, load_dataset(s))


def test_continuous_retirement_keeps_exactly_what_is_needed(tmp_path: Path) -> None:
    r = _run(tmp_path, integer=False)
    cap = r.tables["capacity"].set_index("unit_id")
    assert cap.loc["c", "retired_mw"] == pytest.approx(15.0, abs=1e-6)
    annual = 5 * 1e6 + 5 * H * 300 + 5 * H * 400
    assert r.objective_cny == pytest.approx(5 * annual, rel=1e-6)


def test_integer_retirement_keeps_a_whole_unit(tmp_path: Path) -> None:
    r = _run(tmp_path, integer=True)
    cap = r.tables["capacity"].set_index("unit_id")
    assert cap.loc["c", "retired_mw"] == pytest.approx(10.0, abs=1e-6)
    # one 10 MW unit kept: it runs flat out (coal 300 < import 400), no imports
    annual = 10 * 1e6 + 10 * H * 300
    assert r.objective_cny == pytest.approx(5 * annual, rel=1e-6)
    assert r.tables["targets"].empty or r.tables["targets"].dual.isna().all()
