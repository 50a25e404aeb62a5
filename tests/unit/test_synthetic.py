"""Jurisdictions are whatever jurisdictions.csv lists: synthetic copies of the five solve like the originals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from peakplan.config import ConfigError, load_scenario
from peakplan.run import run_scenario
from peakplan.synthetic import make_synthetic_inputs

ROOT = Path(__file__).resolve().parents[2]


def test_a_synthetic_copy_solves_like_its_original(tmp_path: Path) -> None:
    ids = make_synthetic_inputs(ROOT / "inputs", tmp_path / "syn", 6)
    assert ids == ["syn01", "syn02", "syn03", "syn04", "syn05", "syn06"]
    units = pd.read_csv(tmp_path / "syn" / "units.csv")
    assert units.unit_id.is_unique and units.source.str.startswith("synthetic copy of").all()
    base = load_scenario(ROOT / "scenarios" / "base.yaml").with_cli(time="rep:4")
    orig = run_scenario(base.with_cli(jurisdictions=("linxiang",)))
    syn = replace(base, inputs=tmp_path / "syn").with_cli(jurisdictions=("syn01", "syn06"))
    res = run_scenario(syn)
    assert res.status == "optimal"
    by_block = {b.jurisdictions[0]: b.objective_cny for b in res.blocks}
    assert by_block["syn01"] == pytest.approx(orig.objective_cny, rel=1e-9)  # same data, other name
    assert by_block["syn06"] == pytest.approx(orig.objective_cny, rel=0.05)  # profiles rolled by a day
    with pytest.raises(ConfigError, match="unknown jurisdiction"):
        base.with_cli(jurisdictions=("syn01",))  # not in the shipped inputs
