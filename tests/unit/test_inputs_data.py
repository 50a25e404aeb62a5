"""The shipped input tables (``inputs/*.csv``) and the script that writes them.

Checks that ``python -m peakplan.estimates`` reproduces the committed files byte for byte,
that every row says where its number comes from, that the tables follow
``peakplan.io.schema`` and that the plans' headline figures are carried with their lines.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from peakplan import estimates
from peakplan.io.schema import JURISDICTION_IDS, PARAMETERS, TABLES, TABLES_BY_NAME, TARGETS, TableSpec

INPUTS = Path(__file__).resolve().parents[2] / "inputs"
SPECS: dict[str, TableSpec] = {t.file: t for t in TABLES if t.file in estimates.TABLE_FILES}
BASE_YEAR = 2020
MILESTONES = (2025, 2030, 2035)


def _rows(file: str) -> list[dict[str, str]]:
    with open(INPUTS / file, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return math.nan if text == "" else float(text)


def test_every_table_is_written() -> None:
    assert set(estimates.TABLE_FILES) == {t.file for t in TABLES}


def test_regenerated_tables_equal_committed_files(tmp_path: Path) -> None:
    estimates.write_inputs(tmp_path)
    for file in estimates.TABLE_FILES:
        new = (tmp_path / file).read_bytes()
        assert new == (INPUTS / file).read_bytes(), f"{file} differs: rerun python -m peakplan.estimates"
        assert b"\r" not in new and not new.startswith(b"\xef\xbb\xbf")


def test_main_entry_point(tmp_path: Path) -> None:
    assert estimates.main(["--out", str(tmp_path / "x")]) == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(estimates.TABLE_FILES)


@pytest.mark.parametrize("file", estimates.TABLE_FILES)
def test_every_row_has_a_source(file: str) -> None:
    rows = _rows(file)
    assert rows, f"{file} is empty"
    for i, r in enumerate(rows, start=2):
        src = r["source"].strip()
        assert src, f"{file} line {i}: empty source"
        assert src.startswith(("seeds/", "statistic:", "estimate:")), f"{file} line {i}: source {src[:40]!r}"


@pytest.mark.parametrize("file", estimates.TABLE_FILES)
def test_table_follows_schema(file: str) -> None:
    spec = SPECS[file]
    with open(INPUTS / file, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == [c.name for c in spec.columns]
    rows = _rows(file)
    keys = set()
    for i, r in enumerate(rows, start=2):
        for c in spec.columns:
            text = r[c.name]
            if text == "":
                assert c.nullable, f"{file} line {i}: {c.name} is blank"
                continue
            if c.allowed is not None:
                assert text in c.allowed, f"{file} line {i}: {c.name}={text!r}"
            if c.dtype != "str":
                v = float(text)
                if c.dtype == "int":
                    assert v.is_integer(), f"{file} line {i}: {c.name}={text!r} is not whole"
                assert c.min is None or v >= c.min, f"{file} line {i}: {c.name}={v} < {c.min}"
                assert c.max is None or v <= c.max, f"{file} line {i}: {c.name}={v} > {c.max}"
        key = tuple(r[k] for k in spec.key)
        assert key not in keys, f"{file} line {i}: duplicate key {key}"
        keys.add(key)
        if spec.parameters:
            p = {q.name: q for q in PARAMETERS[spec.parameters]}[r["parameter"]]
            v = float(r["value"])
            assert (p.min is None or v >= p.min) and (p.max is None or v <= p.max), f"{file} line {i}: {p.name}={v}"
        if file == "targets.csv":
            assert r["unit"] == TARGETS[r["target"]]


def test_required_parameters_present() -> None:
    jy = {(r["jurisdiction"], int(r["year"]), r["parameter"]) for r in _rows("jurisdiction_year.csv")}
    for p in PARAMETERS["jurisdiction_year"]:
        years = (BASE_YEAR, *MILESTONES) if p.required else (BASE_YEAR,)
        for j in JURISDICTION_IDS:
            for y in years:
                assert (j, y, p.name) in jy, f"missing {j} {y} {p.name}"
    sy = {(int(r["year"]), r["parameter"]) for r in _rows("system_year.csv")}
    for p in PARAMETERS["system_year"]:
        for y in (BASE_YEAR, *MILESTONES):
            assert (y, p.name) in sy, f"missing system_year {y} {p.name}"
    const = {r["parameter"] for r in _rows("constants.csv")}
    assert const == {p.name for p in PARAMETERS["constants"]}
    techs = {(r["technology"], int(r["year"])) for r in _rows("technologies.csv")}
    for g in {r["technology"] for r in _rows("potentials.csv")}:
        for y in MILESTONES:
            assert (g, y) in techs, f"no technologies.csv row for {g} {y}"


HEADLINE_NONFOSSIL: dict[str, tuple[tuple[int, float, str], ...]] = {
    "linxiang": ((2025, 0.20, "seeds/000_b907454a9fdde84e.txt L43"), (2030, 0.25, "seeds/000_b907454a9fdde84e.txt L47")),
    "xiangtan": ((2025, 0.22, "seeds/001_7576eaf11317b0b8.txt L33"), (2030, 0.25, "seeds/001_7576eaf11317b0b8.txt L35")),
    "lixian": ((2025, 0.23, "seeds/002_b06a110cd22ea929.txt L25"), (2030, 0.25, "seeds/002_b06a110cd22ea929.txt L27")),
    "leiyang": ((2025, 0.24, "seeds/003_d3fcac7dfd99de99.txt L59"), (2030, 0.25, "seeds/003_d3fcac7dfd99de99.txt L69")),
    "yueyang_etdz": ((2025, 0.20, "seeds/004_99d5dc9b8036bcce.txt L11"),
                     (2030, 0.25, "seeds/004_99d5dc9b8036bcce.txt L12")),
}


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_headline_nonfossil_targets(j: str) -> None:
    rows = {(int(r["year"]), r["target"]): r for r in _rows("targets.csv") if r["jurisdiction"] == j}
    for year, value, src in HEADLINE_NONFOSSIL[j]:
        r = rows[(year, "nonfossil_share")]
        assert float(r["value"]) == pytest.approx(value)
        assert r["unit"] == "fraction"
        assert r["source"].startswith(src + ":"), r["source"]
        assert r["firmness"] != "assumed"
    r35 = rows[(2035, "nonfossil_share")]
    assert r35["firmness"] == "assumed" and r35["source"].startswith("estimate:")


def test_other_plan_figures() -> None:
    t = {(r["jurisdiction"], int(r["year"]), r["target"]): r for r in _rows("targets.csv") if r["basis"] == "plan"}
    expect = {
        ("linxiang", 2025, "new_energy_capacity"): (500, "L45"),
        ("linxiang", 2030, "new_energy_capacity"): (800, "L47"),
        ("linxiang", 2025, "gas_share"): (0.10, "L99"),
        ("linxiang", 2030, "curtailment"): (0.05, "L109"),
        ("xiangtan", 2025, "energy_intensity"): (0.16, "L33"),
        ("xiangtan", 2025, "gas_min"): (450e6 * 1.2143 / 1000, "L47"),
        ("lixian", 2025, "new_energy_capacity"): (250, "L25"),
        ("lixian", 2030, "new_energy_capacity"): (894, "L27"),
        ("leiyang", 2025, "new_energy_additions"): (1400, "L109"),
    }
    for key, (value, line) in expect.items():
        assert float(t[key]["value"]) == pytest.approx(value, abs=1), key
        assert f" {line}:" in t[key]["source"], key
    # the only intensity figure of a plan's own is Xiangtan's 2025 energy intensity; its later years extrapolate it
    intensity = {k: r for k, r in t.items() if k[2] in ("energy_intensity", "co2_intensity")}
    assert sorted(intensity) == [("xiangtan", y, "energy_intensity") for y in (2025, 2030, 2035)]
    for (_j, y, _name), r in intensity.items():
        assert (r["firmness"] == "assumed") == (y != 2025)
        assert r["source"].startswith("estimate:" if y != 2025 else "seeds/")


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_intensity_targets_of_other_levels(j: str) -> None:
    """Every jurisdiction has Hunan's and China's energy-intensity and China's CO2-intensity rows:
    2025 a cited statistic, later years labelled estimates, all of firmness `assumed`."""
    rows = {(r["target"], r["basis"], int(r["year"])): r for r in _rows("targets.csv")
            if r["jurisdiction"] == j and r["basis"] != "plan" and r["target"].endswith("_intensity")}
    expect_2025 = {("energy_intensity", "province"): 0.14, ("energy_intensity", "national"): 0.135,
                   ("co2_intensity", "national"): 0.18}
    assert sorted(rows) == sorted((t, b, y) for t, b in expect_2025 for y in MILESTONES)
    for (target, basis, y), r in rows.items():
        assert r["firmness"] == "assumed"
        v25 = expect_2025[(target, basis)]
        if y == 2025:
            assert float(r["value"]) == pytest.approx(v25)
            assert r["source"].startswith("statistic:") and "http" in r["source"]
        else:
            rate = 0.18 if target == "co2_intensity" else 0.135
            assert float(r["value"]) == pytest.approx(1 - (1 - v25) * (1 - rate) ** ((y - 2025) // 5), abs=1e-4)
            assert r["source"].startswith("estimate:")
        # the plan clause that defers the target is quoted
        assert f"seeds/{estimates.SEED_FILES[j]}" in r["source"]


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_base_year_totals_follow_the_energy_accounting(j: str) -> None:
    jy = {r["parameter"]: float(r["value"]) for r in _rows("jurisdiction_year.csv")
          if r["jurisdiction"] == j and int(r["year"]) == BASE_YEAR}
    t = estimates.base_year_terms(j)
    blocks = sum(float(r["coal_use_tce"]) for r in _rows("fuel_switch_blocks.csv") if r["jurisdiction"] == j)
    coal_units = t["C"] - jy["coal_other_tce"] - blocks
    assert coal_units >= 0
    assert t["G"] == jy["gas_final_tce"] and t["O"] == jy["oil_final_tce"] and t["ONF"] == jy["other_nonfossil_tce"]
    assert t["C"] + t["G"] + t["O"] + t["NFL"] + t["M"] + t["ONF"] == pytest.approx(t["TEC"])
    assert jy["total_energy_tce"] == pytest.approx(t["TEC"], abs=1.0)
    assert jy["co2_tco2"] == pytest.approx(t["CO2"], abs=1.0)
    assert jy["nonfossil_electricity_tce"] == pytest.approx(t["NFL"], abs=1.0)
    f_pe = next(float(r["value"]) for r in _rows("system_year.csv")
                if int(r["year"]) == BASE_YEAR and r["parameter"] == "f_pe_tce_per_mwh")
    assert t["M"] == pytest.approx((jy["electricity_demand_mwh"] - t["local_gen_mwh"]) * f_pe)
    assert 0.0 < t["NF"] / t["TEC"] < 0.3


def test_projects_fit_potentials_and_existing_capacity() -> None:
    pot = {(r["jurisdiction"], r["technology"]): _num(r["potential_mw"]) for r in _rows("potentials.csv")}
    ex: dict[tuple[str, str], float] = {}
    for r in _rows("existing_capacity.csv"):
        k = (r["jurisdiction"], r["technology"])
        ex[k] = max(ex.get(k, 0.0), float(r["capacity_mw"]))
    proj: dict[tuple[str, str], float] = {}
    for r in _rows("projects.csv"):
        k = (r["jurisdiction"], r["technology"])
        assert k in pot, f"project {r['project_id']} has no potential row"
        proj[k] = proj.get(k, 0.0) + float(r["capacity_mw"])
    for k, mw in proj.items():
        if not math.isnan(pot[k]):
            assert mw + ex.get(k, 0.0) <= pot[k], k
    for j in JURISDICTION_IDS:
        for g in ("solar_utility", "solar_rooftop", "wind_onshore", "battery"):
            assert (j, g) in pot


def test_units_and_rules_are_consistent() -> None:
    units = {r["unit_id"]: r for r in _rows("units.csv")}
    rules = _rows("unit_rules.csv")
    for r in rules:
        assert r["unit_id"] == "" or r["unit_id"] in units
    assert units["leiyang_datang_210"]["status"] == "retired"
    assert any(r["rule"] == "retire_by" and r["unit_id"] == "leiyang_datang_210" for r in rules)
    thr = [r for r in rules if r["rule"] == "heat_rate_threshold"]
    assert thr and float(thr[0]["threshold_tce_per_mwh"]) == pytest.approx(0.300)
    assert "huaneng" not in " ".join(units).lower()


def test_block_coal_is_not_in_coal_other() -> None:
    # the 2020 direct coal named in the block sources equals coal_other + the blocks
    for j in JURISDICTION_IDS:
        by = estimates.base_year_inputs(estimates.jurisdiction_basics(),
                                        estimates.existing_vre_2020(estimates.jurisdiction_basics()))[j]
        assert by.coal_other + sum(r["coal_use_tce"] for r in by.blocks) == pytest.approx(by.coal_direct, abs=1.0)


def test_schema_tables_known() -> None:
    assert set(SPECS) == {t.file for t in TABLES_BY_NAME.values()}


def test_hydro_profile_matches_base_year_hours() -> None:
    """A hydro unit's largest yearly output in the model (capacity × availability × Σ hydro_cf) equals the
    2020 generation the base-year balance gives it (capacity × its 2020 hours), so milestone years do not
    credit existing hydro with more than the base year did."""
    hydro = [u for u in estimates.units() if u.row["technology"] == "hydro"]
    assert hydro
    for u in hydro:
        j = u.row["jurisdiction"]
        with open(INPUTS / "timeseries" / f"{j}.csv", encoding="utf-8", newline="") as fh:
            cf = [float(r["hydro_cf"]) for r in csv.DictReader(fh)]
        model_hours = u.row["availability"] * sum(cf)
        assert model_hours == pytest.approx(u.hours_2020, rel=1e-3), (u.row["unit_id"], model_hours, u.hours_2020)


def test_cofiring_starts_after_the_base_year() -> None:
    """The base-year balance (estimates.base_year_terms) has no co-firing, so every unit with a co-firing
    share must start it after the base year — the model then applies the same φ = 0 in 2020."""
    cofiring = [r for r in _rows("units.csv") if r["cofire_share"]]
    assert cofiring
    for r in cofiring:
        assert r["cofire_from_year"] and int(r["cofire_from_year"]) > BASE_YEAR, r["unit_id"]
