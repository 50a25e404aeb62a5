"""The shipped base scenario, run through the command line, checked independently of the model code.

- the electricity balance holds at every step (dispatch.parquet) and per year (generation.csv);
- China's energy accounting recomputed from generation, dispatch and the inputs equals
  energy_balance.csv, and shares / intensities recomputed from it equal targets.csv;
- no target is violated in strict mode;
- one jurisdiction alone gives the same plan as inside the five-jurisdiction run;
- the reference values (objective, model size, key capacities) are pinned in
  base_reference.yaml, with a history line for every change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from peakplan.cli import main as cli_main
from peakplan.config import load_scenario
from peakplan.io.load import load_dataset
from peakplan.run import run_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("base_reference.yaml")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base") / "base"
    cwd = Path.cwd()
    try:
        import os

        os.chdir(ROOT)  # `peakplan run` with no scenario argument: scenarios/base.yaml
        assert cli_main(["-q", "run", "--out", str(out)]) == 0
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="module")
def tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    t = {n: pd.read_csv(run_dir / f"{n}.csv") for n in
         ("capacity", "generation", "energy_balance", "targets", "costs", "emissions")}
    t["dispatch"] = pd.read_parquet(run_dir / "dispatch.parquet")
    return t


@pytest.fixture(scope="module")
def data():  # noqa: ANN201
    return load_dataset(load_scenario(ROOT / "scenarios" / "base.yaml"))


def test_outputs_complete(run_dir: Path) -> None:
    for f in ("capacity.csv", "generation.csv", "energy_balance.csv", "targets.csv", "costs.csv", "emissions.csv",
              "dispatch.parquet", "manifest.yaml", "summary.md"):
        assert (run_dir / f).is_file(), f
    m = yaml.safe_load((run_dir / "manifest.yaml").read_text())
    assert m["status"] == "optimal"
    assert m["model_size"]["variables"] > 0
    for k in ("load", "aggregate", "build", "handover", "solve", "write"):
        assert k in m["timings_s"]
    assert m["solver_options"]["solver"] == "simplex"
    assert set(m["input_hashes_sha256_16"]) >= {"targets.csv", "timeseries/leiyang.csv"}
    assert not list(run_dir.parent.glob(".base.tmp-*")), "temporary folder left behind"
    summary = (run_dir / "summary.md").read_text(encoding="utf-8")
    for text in ("临湘市", "耒阳市", "岳阳经开区", "非化石能源消费比重 non-fossil share", "能源消费总量"):
        assert text in summary


def test_balance_every_step(tables: dict[str, pd.DataFrame]) -> None:
    d = tables["dispatch"]
    net = (d.value * d.balance_sign).groupby([d.jurisdiction, d.year, d.step]).sum()
    scale = d[d.series == "demand"].value.max()
    assert np.abs(net).max() < 1e-6 * scale


def test_generation_table_balances(tables: dict[str, pd.DataFrame]) -> None:
    g = tables["generation"]
    total = g.groupby(["jurisdiction", "year"]).generation_mwh.sum()
    demand = -g[g.technology == "demand"].groupby(["jurisdiction", "year"]).generation_mwh.sum()
    assert (total.abs() / demand).max() < 1e-8


def test_no_target_violated(tables: dict[str, pd.DataFrame]) -> None:
    t = tables["targets"]
    assert len(t) > 40
    assert (t.slack == 0).all()
    ge = ~t.target.isin(["curtailment", "coal_cap"])
    assert (t[ge].achieved >= t[ge].required - 1e-6).all()
    le = t.target.isin(["curtailment", "coal_cap"])
    assert (t[le].achieved <= t[le].required + 1e-6).all()
    # every plan's non-fossil share target is present for both years
    nf = t[t.target == "nonfossil_share"]
    assert len(nf) == 10


def _eb(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["energy_balance"].pivot_table(index=["jurisdiction", "year"], columns="term", values="energy_tce")


def test_accounting_recomputed_from_flows(tables: dict[str, pd.DataFrame], data) -> None:  # noqa: ANN001
    """NFL, M, coal of power units and TEC recomputed from generation/dispatch and the input tables."""
    eb = _eb(tables)
    g = tables["generation"]
    d = tables["dispatch"]
    units = data.table("units").set_index("unit_id")
    for (j, y), row in eb.iterrows():
        f_pe = data.sy(y, "f_pe_tce_per_mwh")
        gy = g[(g.jurisdiction == j) & (g.year == y)]
        vre = gy[gy.technology.isin(["solar_utility", "solar_rooftop", "wind_onshore"])].generation_mwh.sum()
        nfu = gy[gy.technology.isin(["hydro", "biomass", "waste"])].generation_mwh.sum()
        dy = d[(d.jurisdiction == j) & (d.year == y)]
        coal_units = cofire = 0.0
        for series, rate_col in (("unit:", "heat_rate_tce_per_mwh"), ("unit_retrofit:", "retrofit_heat_rate_tce_per_mwh")):
            part = dy[dy.series.str.startswith(series)]
            for s, grp in part.groupby("series"):
                u = units.loc[s.split(":", 1)[1]]
                if u.technology not in ("coal", "coal_chp"):
                    continue
                fuel = float((grp.value * grp.weight_h).sum()) * float(u[rate_col])
                phi = 0.0 if pd.isna(u.cofire_share) else float(u.cofire_share)
                coal_units += (1 - phi) * fuel
                cofire += phi * fuel
        assert row["nonfossil_local"] == pytest.approx(f_pe * (vre + nfu) + cofire, rel=1e-6, abs=1e-3)
        imp = gy[gy.technology == "grid_import"].generation_mwh.sum()
        exp = -gy[gy.technology == "grid_export"].generation_mwh.sum()
        assert row["net_import"] == pytest.approx(f_pe * (imp - exp), rel=1e-6, abs=1e-3)
        assert row["coal:coal_power_units"] == pytest.approx(coal_units, rel=1e-6, abs=1e-3)
        assert row["coal:coal_final_other"] == pytest.approx(data.jy(j, y, "coal_other_tce"))
        tec = row[["coal", "gas", "oil", "nonfossil_local", "net_import", "other_nonfossil"]].sum()
        assert row["total_energy_consumption"] == pytest.approx(tec, rel=1e-9)
        nf = row[["nonfossil_local", "import_nonfossil", "other_nonfossil"]].sum()
        assert row["nonfossil"] == pytest.approx(nf, rel=1e-9)


def test_shares_and_intensities_match_targets(tables: dict[str, pd.DataFrame], data) -> None:  # noqa: ANN001
    eb = _eb(tables)
    em = tables["emissions"].pivot_table(index=["jurisdiction", "year"], columns="source", values="co2_t")
    by = data.base_year
    for _, r in tables["targets"].iterrows():
        j, y = r.jurisdiction, r.year
        e = eb.loc[(j, y)]
        if r.target == "nonfossil_share":
            assert r.achieved == pytest.approx(e["nonfossil"] / e["total_energy_consumption"], rel=1e-6)
        elif r.target == "gas_share":
            assert r.achieved == pytest.approx(e["gas"] / e["total_energy_consumption"], rel=1e-6)
        elif r.target == "energy_intensity":
            base = data.jy(j, by, "total_energy_tce") / data.jy(j, by, "gdp_cny")
            now = e["total_energy_assessed"] / data.jy(j, y, "gdp_cny")
            assert r.achieved == pytest.approx(1 - now / base, rel=1e-6)
        elif r.target == "co2_intensity":
            co2 = (e["coal"] * data.sy(y, "ef_coal_tco2_per_tce") + e["gas"] * data.sy(y, "ef_gas_tco2_per_tce")
                   + e["oil"] * data.sy(y, "ef_oil_tco2_per_tce")
                   + e["net_import"] / data.sy(y, "f_pe_tce_per_mwh") * data.sy(y, "grid_ef_tco2_per_mwh"))
            assert em.loc[(j, y), "total"] == pytest.approx(co2, rel=1e-6)
            base = data.jy(j, by, "co2_tco2") / data.jy(j, by, "gdp_cny")
            assert r.achieved == pytest.approx(1 - co2 / data.jy(j, y, "gdp_cny") / base, rel=1e-6)


def test_costs_add_up(tables: dict[str, pd.DataFrame], run_dir: Path) -> None:
    c = tables["costs"]
    m = yaml.safe_load((run_dir / "manifest.yaml").read_text())
    assert c[c.component == "discounted_total"].cost_cny.sum() == pytest.approx(m["objective_cny"], rel=1e-6)
    obj_row = c[c.component == "objective_discounted_total"]
    assert len(obj_row) == 1 and obj_row.cost_cny.iloc[0] == pytest.approx(m["objective_cny"], rel=1e-9)
    comp = c[~c.component.isin(["total_annual", "discounted_total", "objective_discounted_total"])]
    total = c[c.component == "total_annual"].set_index(["jurisdiction", "year"]).cost_cny.sort_index()
    summed = comp.groupby(["jurisdiction", "year"]).cost_cny.sum().sort_index()
    assert summed.to_numpy() == pytest.approx(total.to_numpy(), rel=1e-9)


def test_one_jurisdiction_alone_equals_inside(tables: dict[str, pd.DataFrame], run_dir: Path) -> None:
    s = load_scenario(ROOT / "scenarios" / "base.yaml").with_cli(jurisdictions=("leiyang",))
    alone = run_scenario(s)
    m = yaml.safe_load((run_dir / "manifest.yaml").read_text())
    inside = next(b for b in m["blocks"] if b["jurisdictions"] == ["leiyang"])
    assert alone.objective_cny == pytest.approx(inside["objective_cny"], rel=1e-7)
    a = alone.tables["capacity"].set_index(["year", "technology", "unit_id"]).capacity_mw.fillna(0)
    b = tables["capacity"]
    b = b[b.jurisdiction == "leiyang"].fillna({"unit_id": ""}).set_index(["year", "technology", "unit_id"]).capacity_mw
    a = a.rename(index={np.nan: ""}).sort_index()
    assert a.to_numpy() == pytest.approx(b.sort_index().to_numpy(), abs=1e-3)


def test_reference_values_pinned(tables: dict[str, pd.DataFrame], run_dir: Path) -> None:
    ref = yaml.safe_load(REFERENCE.read_text())
    m = yaml.safe_load((run_dir / "manifest.yaml").read_text())
    assert m["objective_cny"] == pytest.approx(ref["objective_cny"], rel=1e-5), \
        "objective changed: if intended, update base_reference.yaml and add a history line"
    assert m["model_size"] == ref["model_size"]
    cap = tables["capacity"]
    cap = cap[cap.unit_id.isna()].groupby(["jurisdiction", "year", "technology"]).capacity_mw.sum()
    for key, mw in ref["capacities_mw"].items():
        j, y, g = key.split("|")
        assert cap.loc[(j, int(y), g)] == pytest.approx(mw, abs=0.5), key
    assert ref["history"], "every pinned value needs its history"
