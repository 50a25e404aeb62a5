"""Run folders are written atomically; the CLI's validate / run / exit codes; milestone 2035."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.cli import main as cli_main  # noqa: E402
from peakplan.results import write_run  # noqa: E402
from peakplan.run import run_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _tables() -> dict[str, pd.DataFrame]:
    return {"capacity": pd.DataFrame({"a": [1.0]}), "dispatch": pd.DataFrame({"b": [2.0]})}


def test_write_is_atomic_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run"
    write_run(out, _tables(), {"status": "optimal"})
    before = (out / "capacity.csv").read_text()

    def boom(*a: object, **k: object) -> None:
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(KeyboardInterrupt):
        write_run(out, {"capacity": pd.DataFrame({"a": [99.0]}), "dispatch": pd.DataFrame({"b": [0.0]})},
                  {"status": "optimal"})
    # the previous complete result is untouched and no temporary folder is left
    assert (out / "capacity.csv").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_write_replaces_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_run(out, _tables(), {"status": "optimal"})
    write_run(out, {"capacity": pd.DataFrame({"a": [5.0]}), "dispatch": pd.DataFrame({"b": [1.0]})},
              {"status": "elastic"}, {"diagnosis.txt": "x\n"})
    assert pd.read_csv(out / "capacity.csv").a.tolist() == [5.0]
    assert yaml.safe_load((out / "manifest.yaml").read_text())["status"] == "elastic"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def _toy_scenario_file(tmp_path: Path, target: float) -> Path:
    pots = [dict(jurisdiction="linxiang", technology="solar_utility", potential_mw=10.0, source=toy.SRC)]
    targets = [dict(jurisdiction="linxiang", year=2025, target="nonfossil_share", value=target, unit="fraction",
                    firmness="about", source=toy.SRC)]
    toy.write_toy(tmp_path / "inputs", tables={"potentials": pots, "targets": targets})
    (tmp_path / "highs.yaml").write_text("solver: simplex\nthreads: 1\n")
    p = tmp_path / "toy.yaml"
    p.write_text("name: toy\ninputs: inputs\nyears: [2025]\njurisdictions: [linxiang]\ntime: {days: 1}\n"
                 "solver_config: highs.yaml\n")
    return p


def test_cli_validate_prints_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _toy_scenario_file(tmp_path, 0.2)
    assert cli_main(["-q", "validate", str(p)]) == 0
    out = capsys.readouterr().out
    assert "inputs OK" in out and "variables" in out and "nonzeros" in out and "build" in out


def test_cli_bad_input_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _toy_scenario_file(tmp_path, 0.2)
    (tmp_path / "inputs" / "units.csv").unlink()
    assert cli_main(["-q", "run", str(p), "--out", str(tmp_path / "r")]) == 1
    assert "units.csv: file missing" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_cli_infeasible_target_is_diagnosed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 10 MW of solar at cf 0.5 gives 43,800 MWh of 87,600: at most a 50 % non-fossil share
    p = _toy_scenario_file(tmp_path, 0.8)
    assert cli_main(["-q", "run", str(p), "--out", str(tmp_path / "r")]) == 2
    out = capsys.readouterr().out
    assert "linxiang 2025 nonfossil_share: required 80.0 %, achievable 50.0 % (short by 30.00 percentage points)" in out
    m = yaml.safe_load((tmp_path / "r" / "manifest.yaml").read_text())
    assert m["status"] == "infeasible" and m["diagnosis"]
    assert (tmp_path / "r" / "diagnosis.txt").is_file()
    assert "short by 30.00 percentage points" in (tmp_path / "r" / "summary.md").read_text(encoding="utf-8")


def test_cli_elastic_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _toy_scenario_file(tmp_path, 0.8)
    assert cli_main(["-q", "run", str(p), "--elastic", "--out", str(tmp_path / "r")]) == 0
    t = pd.read_csv(tmp_path / "r" / "targets.csv")
    assert t.slack.iloc[0] == pytest.approx(0.3, abs=1e-6)
    assert "short by 30.00 percentage points" in capsys.readouterr().out


def test_year_2035_runs(tmp_path: Path) -> None:
    from peakplan.config import load_scenario

    s = load_scenario(ROOT / "scenarios" / "base.yaml").with_cli(jurisdictions=("lixian",), years=(2025, 2030, 2035))
    r = run_scenario(s)
    assert r.status == "optimal"
    assert set(r.tables["capacity"].year) == {2025, 2030, 2035}
    nf = r.tables["targets"]
    nf = nf[(nf.target == "nonfossil_share") & (nf.year == 2035)]
    assert len(nf) == 1 and nf.achieved.iloc[0] >= nf.required.iloc[0] - 1e-6
    # capacity built earlier stays online later (no VRE retires within its lifetime)
    cap = r.tables["capacity"]
    sol = cap[cap.technology == "solar_utility"].set_index("year").capacity_mw
    assert sol[2025] <= sol[2030] + 1e-6 <= sol[2035] + 2e-6
