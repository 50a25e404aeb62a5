"""Tests of peakplan.profiles: reproducibility of inputs/timeseries and calibration checks.

Run with ``PYTHONPATH=model python -m pytest tests/unit/test_profiles.py``.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakplan.profiles import COLUMNS, HOURS_PER_YEAR, JURISDICTIONS, SERIES, generate_profiles, load_params, main

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMESERIES_DIR = REPO_ROOT / "inputs" / "timeseries"
PARAMS_PATH = TIMESERIES_DIR / "profile_params.yaml"
OUTPUT_FILES = [f"{j}.csv" for j in JURISDICTIONS] + ["sources.csv"]
CF_TARGETS = {
    "solar_utility_cf": "solar_utility_flh",
    "solar_rooftop_cf": "solar_rooftop_flh",
    "wind_onshore_cf": "wind_onshore_flh",
}
FLH_RTOL = 0.005


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pd.DataFrame]]:
    """Profiles regenerated from the committed parameter file into a temporary directory."""
    out = tmp_path_factory.mktemp("timeseries")
    frames = generate_profiles(PARAMS_PATH, out)
    return out, frames


@pytest.fixture(scope="module")
def params() -> dict:
    return load_params(PARAMS_PATH)


@pytest.mark.parametrize("name", OUTPUT_FILES)
def test_committed_files_are_reproduced_byte_for_byte(
    regenerated: tuple[Path, dict[str, pd.DataFrame]], name: str
) -> None:
    out, _ = regenerated
    committed = TIMESERIES_DIR / name
    assert committed.is_file(), f"{committed} is missing; run python -m peakplan.profiles"
    assert _sha256(out / name) == _sha256(committed), f"{name} differs from the regenerated file"


def test_second_run_is_identical(regenerated: tuple[Path, dict[str, pd.DataFrame]], tmp_path: Path) -> None:
    out, _ = regenerated
    assert main(["--params", str(PARAMS_PATH), "--out", str(tmp_path), "--log-level", "WARNING"]) == 0
    for name in OUTPUT_FILES:
        assert _sha256(tmp_path / name) == _sha256(out / name)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_profile_file_structure_and_ranges(jurisdiction: str) -> None:
    path = TIMESERIES_DIR / f"{jurisdiction}.csv"
    raw = path.read_bytes()
    assert b"\r" not in raw
    assert path.stat().st_size < 1_000_000
    df = pd.read_csv(path)
    assert tuple(df.columns) == COLUMNS
    assert len(df) == HOURS_PER_YEAR
    assert df["hour"].tolist() == list(range(HOURS_PER_YEAR))
    assert not df.isna().any().any()
    for series in ("solar_utility_cf", "solar_rooftop_cf", "wind_onshore_cf", "hydro_cf"):
        assert df[series].between(0.0, 1.0).all(), series
    assert df["demand_pu"].gt(0.0).all()
    assert df["demand_pu"].mean() == pytest.approx(1.0, abs=1e-9)
    assert df["import_price_pu"].gt(0.0).all()
    assert df["import_price_pu"].mean() == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_calibration_matches_params(jurisdiction: str, params: dict) -> None:
    df = pd.read_csv(TIMESERIES_DIR / f"{jurisdiction}.csv")
    site = params["jurisdictions"][jurisdiction]
    for series, key in CF_TARGETS.items():
        target = float(site[key]["value"])
        assert df[series].sum() == pytest.approx(target, rel=FLH_RTOL), series
    assert df["hydro_cf"].mean() == pytest.approx(float(site["hydro_cf"]["value"]), rel=FLH_RTOL)
    # Solar is zero at night (local midnight) and produces around noon.
    hours = np.arange(HOURS_PER_YEAR) % 24
    assert df.loc[hours == 0, "solar_utility_cf"].max() == 0.0
    assert df.loc[hours == 12, "solar_utility_cf"].mean() > 0.2


def test_returned_frames_equal_written_files(regenerated: tuple[Path, dict[str, pd.DataFrame]]) -> None:
    out, frames = regenerated
    assert set(frames) == set(JURISDICTIONS)
    for jurisdiction, frame in frames.items():
        written = pd.read_csv(out / f"{jurisdiction}.csv")
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), written, check_dtype=False, atol=1e-12)


def test_sources_csv_covers_every_series() -> None:
    with (TIMESERIES_DIR / "sources.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["jurisdiction"], r["series"]) for r in rows] == [(j, s) for j in JURISDICTIONS for s in SERIES]
    assert all(r["source"].startswith("estimate:") for r in rows)


def test_every_parameter_has_a_source(params: dict) -> None:
    def walk(node: object) -> int:
        if isinstance(node, dict):
            if "value" in node:
                assert isinstance(node.get("source"), str) and node["source"].strip()
                return 1
            return sum(walk(v) for v in node.values())
        return 0

    assert walk(params) > 50
