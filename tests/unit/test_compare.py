"""peakplan compare: run tables against a baseline, cost-of-ambition curves and tornado charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakplan.cli import main
from peakplan.compare import SweepData, ambition_table, compare, tornado_table
from peakplan.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("cmp")
    base = ROOT / "scenarios" / "base.yaml"
    assert main(["-q", "run", str(base), "--jurisdictions", "leiyang", "--time", "rep:4", "--out",
                 str(tmp / "base")]) == 0
    carbon = tmp / "carbon.yaml"
    text = base.read_text(encoding="utf-8")
    text = text.replace("carbon_price_cny_per_tco2: 0", "carbon_price_cny_per_tco2: 120")
    text = text.replace("inputs: ../inputs", f"inputs: {ROOT / 'inputs'}").replace(
        "solver_config: ../solver_configs", f"solver_config: {ROOT / 'solver_configs'}")
    carbon.write_text(text, encoding="utf-8")
    assert main(["-q", "run", str(carbon), "--jurisdictions", "leiyang", "--time", "rep:4", "--out",
                 str(tmp / "carbon")]) == 0
    sweep = tmp / "amb.yaml"
    sweep.write_text(f"""name: amb
base: {base}
jurisdictions: [leiyang]
time: rep:4
axes:
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030,
     values: [0.25, 0.28, 0.31]}}
  - {{name: gas, kind: override, table: system_year, where: {{parameter: gas_price_cny_per_tce}}, column: value,
     op: scale, values: [0.8, 1.0, 1.2]}}
""")
    assert main(["-q", "sweep", str(sweep), "--out", str(tmp / "amb"), "--no-progress"]) == 0
    return {"base": tmp / "base", "carbon": tmp / "carbon", "sweep": tmp / "amb", "tmp": tmp}


def test_runs_compared_with_the_baseline(results: dict[str, Path]) -> None:
    out = results["tmp"] / "out"
    assert main(["-q", "compare", str(results["carbon"]), str(results["sweep"]), "--baseline",
                 str(results["base"]), "--out", str(out)]) == 0
    obj = pd.read_csv(out / "objective.csv").set_index("run")
    import yaml

    o_base = yaml.safe_load((results["base"] / "manifest.yaml").read_text())["objective_cny"]
    o_carbon = yaml.safe_load((results["carbon"] / "manifest.yaml").read_text())["objective_cny"]
    assert obj.loc["base", "delta_vs_baseline_cny"] == 0
    assert obj.loc["carbon", "delta_vs_baseline_cny"] == pytest.approx(o_carbon - o_base)
    costs = pd.read_csv(out / "costs.csv")
    carbon_cost = costs[(costs.run == "carbon") & (costs.component == "carbon")]
    assert (carbon_cost.cost_cny > 0).all() and (carbon_cost.delta_cost_cny == carbon_cost.cost_cny).all()
    cap = pd.read_csv(out / "capacity.csv")
    raw = pd.read_csv(results["carbon"] / "capacity.csv")
    assert cap[cap.run == "carbon"].capacity_mw.sum() == pytest.approx(raw.capacity_mw.sum())
    tg = pd.read_csv(out / "targets.csv")
    assert set(tg.run) == {"base", "carbon"} and "delta_achieved" in tg.columns
    for f in ("costs.png", "capacity.png", "targets.png", "amb_nf2030_ambition.png", "amb_tornado.png"):
        data = (out / f).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, f
    assert "基准" in (out / "compare.md").read_text(encoding="utf-8")
    assert not list(out.glob(".*"))  # no temporary files left


def test_cost_of_ambition_from_the_summary(results: dict[str, Path]) -> None:
    out = results["tmp"] / "out2"
    compare([results["sweep"]], out_dir=out)
    amb = pd.read_csv(out / "amb_nf2030_ambition.csv")
    s = pd.read_csv(results["sweep"] / "summary.csv")
    for gas, g in amb.groupby("gas"):
        g = g.sort_values("level")
        ref = s[s.gas == gas].sort_values("nf2030")
        assert list(g.objective_cny) == pytest.approx(list(ref.objective_cny))
        fd = np.diff(ref.objective_cny) / (np.diff(ref.nf2030) * 100)  # discounted CNY per percentage point
        assert list(g.marginal_fd_cny.iloc[1:]) == pytest.approx(list(fd))
        assert list(g.dual) == pytest.approx(list(ref["dual:nonfossil_share:leiyang:2030"]))
    # one-at-a-time tornado: each axis from low to high with the other at its middle value
    tor = pd.read_csv(out / "amb_tornado.csv").set_index("axis")
    ref = float(s[(s.nf2030 == 0.28) & (s.gas == 1.0)].objective_cny.iloc[0])
    hi = float(s[(s.nf2030 == 0.31) & (s.gas == 1.0)].objective_cny.iloc[0])
    lo_gas = float(s[(s.nf2030 == 0.28) & (s.gas == 0.8)].objective_cny.iloc[0])
    assert tor.loc["nf2030", "high_cny"] == pytest.approx(hi - ref)
    assert tor.loc["gas", "low_cny"] == pytest.approx(lo_gas - ref)
    assert tor.loc["nf2030", "reference_cny"] == pytest.approx(ref)


def test_tornado_on_draws_recovers_linear_effects() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 1, 40), rng.uniform(10, 20, 40)
    s = pd.DataFrame({"point_id": [f"draw{i:04d}" for i in range(40)], "a": a, "b": b, "status": "optimal",
                      "objective_cny": 3.0 + 2.0 * a - 5.0 * b})
    tor = tornado_table(SweepData("d", Path("."), s, [{"name": "a"}, {"name": "b"}], draws=40)).set_index("axis")
    assert tor.loc["b", "high_cny"] == pytest.approx(-5.0 * (b.max() - b.mean()))
    assert tor.loc["a", "low_cny"] == pytest.approx(2.0 * (a.min() - a.mean()))
    assert list(tor.index) == ["b", "a"]  # largest swing first
    # with the declared ranges (sweep.yaml), the effect spans the whole range the draws came from
    tor2 = tornado_table(SweepData("d", Path("."), s, [{"name": "a", "range": [0, 1]}, {"name": "b", "range": [10, 20]}],
                                   draws=40)).set_index("axis")
    assert tor2.loc["b", "low_value"] == 10 and tor2.loc["b", "low_cny"] == pytest.approx(-5.0 * (10 - b.mean()))


def test_ambition_table_without_duals_uses_differences() -> None:
    s = pd.DataFrame({"point_id": ["p0", "p1", "p2"], "lvl": [100.0, 200.0, 400.0], "status": "optimal",
                      "objective_cny": [10.0, 30.0, 90.0]})
    t = ambition_table(SweepData("x", Path("."), s, [{"name": "lvl", "kind": "target", "target": "gas_min"}]),
                       {"name": "lvl", "kind": "target", "target": "gas_min"})
    assert list(t.marginal_fd_cny.iloc[1:]) == [0.2, 0.3]


def test_not_a_result_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="neither a run folder"):
        compare([tmp_path])
    assert main(["compare", str(tmp_path)]) == 1
