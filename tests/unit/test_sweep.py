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


def test_sweep_spec_written_for_compare(swept: tuple[Path, Path]) -> None:
    import yaml

    _, out = swept
    spec = yaml.safe_load((out / "sweep.yaml").read_text())
    assert spec["name"] == "nf_test" and spec["axes"][0]["kind"] == "target"
    assert spec["axes"][0]["values"] == VALUES and spec["axes"][0]["jurisdiction"] == "leiyang"


def test_progress_reported_after_every_point(tmp_path: Path) -> None:
    from peakplan.sweep import Progress

    seen: list[Progress] = []
    res = run_sweep(_sweep_file(tmp_path, [0.25, 0.27]), out_dir=tmp_path / "o", progress=seen.append)
    assert [p.done for p in seen] == [1, 2] and all(p.total == 2 for p in seen)
    assert seen[-1].eta_s == 0 and seen[0].seconds_per_point > 0
    assert res.solved == 2


def test_random_draws_are_seeded_and_extend(tmp_path: Path) -> None:
    def draws(n: int, seed: int) -> list:  # type: ignore[type-arg]
        p = tmp_path / f"d{n}_{seed}.yaml"
        p.write_text(f"""name: draws
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang]
draws: {{n: {n}, seed: {seed}}}
axes:
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030, range: [0.25, 0.30]}}
  - {{name: pv_capex, kind: override, table: technologies, where: {{technology: solar_utility}}, column: capex_cny_per_kw,
     op: scale, range: [0.8, 1.2]}}
""")
        return points(load_sweep(p))

    a, b, c = draws(5, 7), draws(8, 7), draws(5, 8)
    assert [p.id for p in a] == ["draw0000", "draw0001", "draw0002", "draw0003", "draw0004"]
    assert [p.values for p in a] == [p.values for p in b[:5]]  # a longer run extends a shorter one
    assert [p.values for p in a] != [p.values for p in c]
    for p in b:
        assert 0.25 <= p.as_dict["nf2030"] <= 0.30 and 0.8 <= p.as_dict["pv_capex"] <= 1.2
    bad = tmp_path / "bad.yaml"
    bad.write_text((tmp_path / "d5_7.yaml").read_text().replace("range: [0.8, 1.2]", "values: [1.0]"))
    with pytest.raises(ConfigError, match="range"):
        load_sweep(bad)


def test_run_order_keeps_data_points_together_and_neighbours_close(tmp_path: Path) -> None:
    from peakplan.sweep import run_order

    path = _sweep_file(tmp_path, [0.25, 0.27, 0.29], extra="""  - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},
     column: value, op: scale, values: [1.0, 1.25]}
""")
    sw = load_sweep(path)
    order = run_order(sw, points(sw))
    gas = [p.as_dict["gas_price"] for p in order]
    assert gas == sorted(gas) or gas == sorted(gas, reverse=True)  # one rebuild only
    assert sorted(p.index for p in order) == list(range(6))
    nf = [p.as_dict["nf2030"] for p in order]
    assert all(abs(a - b) <= 0.02 + 1e-12 for a, b in zip(nf, nf[1:]))  # a snake, not a jump back


def test_scenario_and_gdp_axes_warm_equal_cold(tmp_path: Path) -> None:
    path = tmp_path / "sc.yaml"
    path.write_text(f"""name: sc
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang]
time: rep:4
axes:
  - {{name: carbon, kind: scenario, key: carbon_price_cny_per_tco2, values: [0, 150]}}
  - {{name: gdp, kind: gdp_growth, jurisdiction: leiyang, values: [0.03, 0.06]}}
""")
    sweep = load_sweep(path)
    res = run_sweep(sweep, out_dir=tmp_path / "o")
    assert res.failed == 0 and res.solved == 4
    s = res.summary.set_index("point_id")
    for p in points(sweep):
        scen = point_scenario(sweep, p)
        assert scen.policy.carbon_price_cny_per_tco2 == p.as_dict["carbon"]
        gdp = [o for o in scen.overrides if o.table == "jurisdiction_year"]
        assert {o.where["year"] for o in gdp} == {2025, 2030}
        cold = run_scenario(scen)
        assert s.loc[p.id, "objective_cny"] == pytest.approx(cold.objective_cny, rel=1e-7)
        assert s.loc[p.id, "cost:carbon"] == pytest.approx(
            float(cold.tables["costs"].query("component == 'carbon'").cost_cny.sum()), rel=1e-6, abs=1.0)
    base_gdp = load_sweep(path).axes[1].gdp_base[0][1]
    o = [o for o in point_scenario(sweep, points(sweep)[0]).overrides if o.where.get("year") == 2030][0]
    assert o.set == pytest.approx(base_gdp * 1.03 ** 10)


def test_time_limit_point_recorded(tmp_path: Path) -> None:
    from dataclasses import replace

    sweep = load_sweep(_sweep_file(tmp_path, [0.25]))
    solver = replace(sweep.base.solver, options={**sweep.base.solver.options, "time_limit": 1e-6})
    sweep = replace(sweep, base=replace(sweep.base, solver=solver))
    res = run_sweep(sweep, out_dir=tmp_path / "o")
    row = res.summary.iloc[0]
    assert row.status == "time_limit" and "time_limit" in row.reason and res.failed == 1


def test_sweep_on_a_dask_cluster(swept: tuple[Path, Path], tmp_path: Path) -> None:
    """`peakplan sweep --scheduler ADDRESS` against a real dask.distributed LocalCluster on loopback."""
    distributed = pytest.importorskip("distributed")
    from peakplan.cli import main

    path, out = swept
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        rc = main(["-q", "sweep", str(path), "--scheduler", cluster.scheduler_address, "--out",
                   str(tmp_path / "dask"), "--no-progress"])
    assert rc == 2  # the infeasible point is a failed point
    one = pd.read_csv(out / "summary.csv")
    two = pd.read_csv(tmp_path / "dask" / "summary.csv")
    assert list(two.point_id) == list(one.point_id)
    assert list(two.status) == list(one.status)
    for a, b in zip(one.objective_cny, two.objective_cny):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-6)
    assert all((tmp_path / "dask" / "points" / p / "manifest.yaml").is_file() for p in one.point_id)


def test_point_summary_written_later_by_report(swept: tuple[Path, Path], tmp_path: Path) -> None:
    """Sweep points skip summary.md by default; `peakplan report` renders the one a single run writes."""
    import shutil

    from peakplan.cli import main

    path, out = swept
    sweep = load_sweep(path)
    p = points(sweep)[0]
    folder = out / "points" / p.id
    assert not (folder / "summary.md").exists()
    copy = tmp_path / "pt"
    shutil.copytree(folder, copy)
    assert main(["-q", "report", str(copy)]) == 0
    text = (copy / "summary.md").read_text(encoding="utf-8")
    assert "耒阳市 leiyang" in text and "非化石能源" in text
    cold = run_scenario(point_scenario(sweep, p))
    cold.write(tmp_path / "cold")
    assert (tmp_path / "cold" / "summary.md").read_text(encoding="utf-8").split("\n")[3:] == text.split("\n")[3:]
    assert main(["report", str(tmp_path)]) == 1  # not a run folder


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios" / "sweeps").glob("*.yaml")))
def test_shipped_sweeps_load(name: str) -> None:
    sweep = load_sweep(ROOT / "scenarios" / "sweeps" / name)
    assert len(points(sweep)) >= 2


def test_override_matching_no_row_is_reported_at_load(tmp_path: Path) -> None:
    from peakplan.io.load import InputError

    path = _sweep_file(tmp_path, extra="""  - {name: capex, kind: override, table: technologies, where: {technology: fusion},
     column: capex_cny_per_kw, op: scale, values: [1.0, 1.1]}
""")
    with pytest.raises(InputError, match="matches no row of technologies"):
        load_sweep(path)


def test_killed_sweep_loses_no_finished_point(tmp_path: Path) -> None:
    """SIGKILL a running `peakplan sweep`, then --resume: finished points are kept, the rest run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    path = _sweep_file(tmp_path, [round(0.25 + 0.005 * i, 3) for i in range(12)])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "peakplan.cli", "-q", "sweep", str(path), "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(out.glob("points/*/manifest.yaml"))) >= 3:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {d.parent.name: d.stat().st_mtime_ns for d in (out / "points").glob("*/manifest.yaml")}
    assert 3 <= len(finished) < 12, "the sweep was not killed mid-way"
    assert not [d for d in (out / "points").iterdir() if not (d / "manifest.yaml").is_file()
                and not d.name.startswith(".")], "a point folder without its manifest"
    res = run_sweep(path, out_dir=out, resume=True)
    assert res.skipped == len(finished) and res.solved == 12 - len(finished) and res.failed == 0
    assert {k: (out / "points" / k / "manifest.yaml").stat().st_mtime_ns for k in finished} == finished
    s = pd.read_csv(out / "summary.csv")
    assert len(s) == 12 and (s.status == "optimal").all()


def test_rep_days_axis_changes_structure_and_reloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import peakplan.sweep.worker as worker

    extract_tables = worker.extract_tables

    def slow_extract(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(1.0)  # the writer lags: the next point's rebuild happens while a point is written
        return extract_tables(*args, **kwargs)

    monkeypatch.setattr(worker, "extract_tables", slow_extract)
    path = tmp_path / "days.yaml"
    path.write_text(f"""name: days
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang]
axes:
  - {{name: days, kind: rep_days, values: [4, 6]}}
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030, values: [0.25, 0.27]}}
""")
    sweep = load_sweep(path)
    res = run_sweep(sweep, out_dir=tmp_path / "o")
    s = res.summary.set_index("point_id")
    assert res.failed == 0
    for p in points(sweep):
        cold = run_scenario(point_scenario(sweep, p))
        assert cold.manifest["blocks"][0]["time"]["steps"] == 24 * p.as_dict["days"]
        import yaml

        mf = yaml.safe_load((tmp_path / "o" / "points" / p.id / "manifest.yaml").read_text())
        assert mf["blocks"][0]["time"]["steps"] == 24 * p.as_dict["days"]  # the point's own resolution
        assert s.loc[p.id, "objective_cny"] == pytest.approx(cold.objective_cny, rel=1e-7)
    # one load per number of days: the first point of each is cold, the other re-solves warm
    assert sorted(s.build_s > 0) == [False, False, True, True]
    bad = tmp_path / "bad.yaml"
    bad.write_text(path.read_text().replace("[4, 6]", "[4, 6.5]"))
    with pytest.raises(ConfigError, match="whole numbers"):
        load_sweep(bad)


def test_cli_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from peakplan.cli import main

    rc = main(["sweep", str(_sweep_file(tmp_path, [0.25, 0.27, 0.99])), "--out", str(tmp_path / "o"), "--progress"])
    err = capsys.readouterr().err
    assert rc == 2  # one point infeasible
    assert "nf_test: 100%" in err and "3/3" in err and "failed=1" in err and "s_per_pt=" in err


def test_shared_import_cap_axis_couples_the_blocks(tmp_path: Path) -> None:
    """A shared import cap axis makes the two jurisdictions one LP; results equal cold runs."""
    path = tmp_path / "cap.yaml"
    path.write_text(f"""name: cap
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang, lixian]
time: rep:4
grid: false
axes:
  - {{name: cap, kind: scenario, key: shared_import_cap_mw, values: [100000, 100000.5]}}
""")
    sweep = load_sweep(path)
    res = run_sweep(sweep, out_dir=tmp_path / "o")
    assert res.failed == 0
    for p in points(sweep):
        cold = run_scenario(point_scenario(sweep, p))
        assert len(cold.blocks) == 1
        assert res.summary.set_index("point_id").loc[p.id, "objective_cny"] == pytest.approx(cold.objective_cny,
                                                                                               rel=1e-7)


def test_chunks_keep_neighbours_together_and_balance() -> None:
    from peakplan.sweep.spec import Point
    from peakplan.sweep.worker import chunks_of

    pts = [Point(i, f"p{i}", (("x", float(i)),)) for i in range(50)]
    chunks = chunks_of(pts, workers=2)
    assert [p for c in chunks for p in c] == pts  # consecutive runs, nothing lost or repeated
    assert max(len(c) for c in chunks) <= 8 and len(chunks) >= 8  # ≥ 4 tasks per worker, ≤ 8 points each
    assert chunks_of(pts[:3], workers=4) == [[pts[0]], [pts[1]], [pts[2]]]
    assert chunks_of([], workers=2) == []


def test_resume_refuses_points_of_another_sweep(tmp_path: Path) -> None:
    path = _sweep_file(tmp_path, [0.25, 0.27])
    out = tmp_path / "o"
    run_sweep(path, out_dir=out)
    assert run_sweep(path, out_dir=out, resume=True).skipped == 2  # same sweep: resumes
    path.write_text(path.read_text().replace("time: rep:4", "time: rep:5"))
    with pytest.raises(ConfigError, match="another sweep definition, base scenario or inputs"):
        run_sweep(path, out_dir=out, resume=True)
    res = run_sweep(path, out_dir=out)  # without --resume: every point is redone
    assert res.solved == 2 and res.skipped == 0


def test_resume_may_extend_the_draws(tmp_path: Path) -> None:
    def write(n: int) -> Path:
        p = tmp_path / "d.yaml"
        p.write_text(f"""name: d
base: {ROOT / 'scenarios' / 'base.yaml'}
jurisdictions: [leiyang]
time: rep:4
draws: {{n: {n}, seed: 11}}
axes:
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030, range: [0.25, 0.30]}}
""")
        return p

    out = tmp_path / "o"
    run_sweep(write(2), out_dir=out)
    res = run_sweep(write(3), out_dir=out, resume=True)
    assert (res.skipped, res.solved) == (2, 1) and list(res.summary.point_id) == ["draw0000", "draw0001", "draw0002"]


def test_joint_aggregation_sweep_equals_cold_runs(tmp_path: Path) -> None:
    """With joint representative days every block shares one time index, aggregated once per worker."""
    from dataclasses import replace

    path = _sweep_file(tmp_path, [0.25, 0.27], extra="""  - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},
     column: value, op: scale, values: [1.0, 1.3]}
""")
    sweep = load_sweep(path)
    base = sweep.base.with_cli(jurisdictions=("leiyang", "lixian"))
    sweep = replace(sweep, base=replace(base, time=replace(base.time, aggregation="joint")))
    res = run_sweep(sweep, out_dir=tmp_path / "o")
    s = res.summary.set_index("point_id")
    assert res.failed == 0
    for p in points(sweep):
        assert s.loc[p.id, "objective_cny"] == pytest.approx(run_scenario(point_scenario(sweep, p)).objective_cny,
                                                             rel=1e-7)
