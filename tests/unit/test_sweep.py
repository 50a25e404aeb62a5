"""Sweeps: warm re-solves equal cold runs, stable ids, resume, failing points, summary, workers."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from peakplan.config import ConfigError
from peakplan.run import run_scenario
from peakplan.sweep import load_sweep, point_scenario, points, run_sweep

ROOT = Path(__file__).resolve().parents[2]
VALUES = [0.25, 0.29, 0.99, 0.33]  # 0.99 cannot be met: an infeasible point in the middle
NF = "achieved:nonfossil_share:leiyang:2030"


def _sweep_file(tmp: Path, values: list[float] = VALUES, extra: str = "") -> Path:
    p = tmp / "nf.yaml"
    p.write_text(f"""name: nf_test
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang]
time: rep:4
axes:
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030, values: {values}}}
{extra}""", encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("sweep")
    path = _sweep_file(tmp)
    out = tmp / "out"
    res = run_sweep(path, out_dir=out)
    assert res.solved == len(VALUES)
    return path, out


def test_warm_resolves_equal_cold_runs(swept: tuple[Path, Path]) -> None:
    path, out = swept
    sweep = load_sweep(path)
    summary = pd.read_csv(out / "summary.csv").set_index("point_id")
    for p in points(sweep):
        cold = run_scenario(point_scenario(sweep, p))
        warm = summary.loc[p.id]
        if p.as_dict["nf2030"] > 0.9:
            assert cold.status == "infeasible" and warm.status == "infeasible"
            continue
        assert warm.status == "optimal" == cold.status
        assert warm.objective_cny == pytest.approx(cold.objective_cny, rel=1e-6)
        t = cold.tables["targets"]
        for _, r in t[t.target == "nonfossil_share"].iterrows():
            assert warm[f"achieved:nonfossil_share:leiyang:{int(r.year)}"] == pytest.approx(r.achieved, abs=1e-6)
        # the point folder holds the single-run schema, with the swept level as required
        pt = pd.read_csv(out / "points" / p.id / "targets.csv")
        row = pt[(pt.target == "nonfossil_share") & (pt.year == 2030)].iloc[0]
        assert row.required == pytest.approx(p.as_dict["nf2030"])
        assert row.achieved == pytest.approx(p.as_dict["nf2030"], abs=1e-6)
        assert {"capacity.csv", "generation.csv", "costs.csv", "dispatch.parquet", "manifest.yaml"} <= {
            f.name for f in (out / "points" / p.id).iterdir()}


def test_point_ids_stable_and_unique(tmp_path: Path) -> None:
    path = _sweep_file(tmp_path, extra="""  - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},
     column: value, op: scale, values: [1.0, 1.25]}
""")
    a = [p.id for p in points(load_sweep(path))]
    b = [p.id for p in points(load_sweep(path))]
    assert a == b and len(set(a)) == len(a) == 8
    assert a[0] == "nf2030=0.25__gas_price=1" and a[1] == "nf2030=0.25__gas_price=1.25"
    zipped = path.read_text().replace("axes:", "grid: false\naxes:").replace("[1.0, 1.25]", "[1.0, 1.1, 1.2, 1.3]")
    path.write_text(zipped)
    assert [p.id for p in points(load_sweep(path))][-1] == "nf2030=0.33__gas_price=1.3"
    path.write_text(path.read_text().replace("[0.25, 0.29, 0.99, 0.33]", "[0.25, 0.25, 0.3, 0.3]")
                    .replace("[1.0, 1.1, 1.2, 1.3]", "[1.0, 1.0, 1.2, 1.2]"))
    with pytest.raises(ConfigError, match="same id"):
        load_sweep(path)


def test_resume_skips_finished_points(swept: tuple[Path, Path]) -> None:
    path, out = swept
    mtimes = {d.name: (d / "manifest.yaml").stat().st_mtime_ns for d in (out / "points").iterdir()}
    res = run_sweep(path, out_dir=out, resume=True)
    assert (res.solved, res.skipped) == (0, len(VALUES))
    assert {d.name: (d / "manifest.yaml").stat().st_mtime_ns for d in (out / "points").iterdir()} == mtimes
    assert len(res.summary) == len(VALUES)
    # a point killed before its folder was renamed into place is run again; the others are kept
    victim = points(load_sweep(path))[1].id
    import shutil

    shutil.rmtree(out / "points" / victim)
    res = run_sweep(path, out_dir=out, resume=True)
    assert (res.solved, res.skipped) == (1, len(VALUES) - 1)
    assert (out / "points" / victim / "manifest.yaml").is_file()


def test_infeasible_point_recorded_and_sweep_goes_on(swept: tuple[Path, Path]) -> None:
    _, out = swept
    s = pd.read_csv(out / "summary.csv")
    bad = s[s.nf2030 == 0.99].iloc[0]
    assert bad.status == "infeasible" and isinstance(bad.reason, str) and "infeasible" in bad.reason
    assert math.isnan(bad.objective_cny)
    after = s[s.nf2030 == 0.33].iloc[0]  # solved after the infeasible one, on the same live model
    assert after.status == "optimal" and after[NF] == pytest.approx(0.33, abs=1e-6)


def test_summary_has_a_row_per_point_and_axis_columns(swept: tuple[Path, Path]) -> None:
    path, out = swept
    s = pd.read_csv(out / "summary.csv")
    assert list(s.point_id) == [p.id for p in points(load_sweep(path))]
    assert list(s.columns[:5]) == ["point_id", "nf2030", "status", "reason", "objective_cny"]
    assert list(s.nf2030) == VALUES
    for col in (NF, NF.replace("achieved:", "dual:"), "cost:vre_capex", "solve_s", "highs_s", "point_s"):
        assert col in s.columns
    ok = s[s.status == "optimal"]
    assert ok.objective_cny.is_monotonic_increasing  # more ambition never costs less
    assert not list(out.glob(".summary.*"))  # no temporary file left


def test_two_workers_give_the_same_summary(swept: tuple[Path, Path], tmp_path: Path) -> None:
    path, out = swept
    res = run_sweep(path, workers=2, out_dir=tmp_path / "w2")
    one = pd.read_csv(out / "summary.csv")
    two = res.summary
    assert list(two.point_id) == list(one.point_id)
    assert list(two.status) == list(one.status)
    for a, b in zip(one.objective_cny, two.objective_cny):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-6)
    for a, b in zip(one[NF], two[NF]):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-6)
