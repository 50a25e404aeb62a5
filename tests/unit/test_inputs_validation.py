"""One test per input error message: file, line, column and what was expected — all at once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.config import Override  # noqa: E402
from peakplan.io.load import InputError, load_dataset  # noqa: E402


def _edit(path: Path, file: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    df = pd.read_csv(path / file, dtype=str, keep_default_na=False)
    fn(df).to_csv(path / file, index=False)


def _set(file: str, row: int, col: str, value: str) -> Callable[[Path], None]:
    def f(p: Path) -> None:
        def g(df: pd.DataFrame) -> pd.DataFrame:
            df.loc[row, col] = value
            return df
        _edit(p, file, g)
    return f


def _problems(path: Path, **scen) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_dataset(toy.scenario(path, **scen))
    return [str(p) for p in exc.value.problems]


def _units_toy(p: Path, **over) -> Path:
    return toy.write_toy(p, tables={"units": [toy.unit_row("linxiang", "u1", **over)]})


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("missing file", lambda p: (p / "units.csv").unlink(), "units.csv: file missing"),
    ("missing column", lambda p: _edit(p, "targets.csv", lambda d: d.drop(columns=["firmness"])),
     "targets.csv, line 1, column firmness: missing column"),
    ("unknown column", lambda p: _edit(p, "potentials.csv", lambda d: d.assign(extra="1")),
     "potentials.csv, line 1, column extra: unknown column"),
    ("not a number", _set("jurisdiction_year.csv", 1, "value", "ten"),
     "jurisdiction_year.csv, line 3, column value: expected a number"),
    ("not whole", _set("technologies.csv", 0, "lifetime_yr", "20.5"),
     "technologies.csv, line 2, column lifetime_yr: expected a whole number"),
    ("blank", _set("technologies.csv", 0, "source", ""), "technologies.csv, line 2, column source: blank"),
    ("not allowed", _set("potentials.csv", 0, "technology", "nuclear"),
     "potentials.csv, line 2, column technology: expected one of"),
    ("unknown jurisdiction", _set("potentials.csv", 0, "jurisdiction", "changsha"),
     "potentials.csv, line 2, column jurisdiction: unknown jurisdiction 'changsha'; expected an id of jurisdictions.csv"),
    ("bad jurisdiction id", _set("jurisdictions.csv", 0, "jurisdiction", "Chang Sha"),
     "jurisdictions.csv, line 2, column jurisdiction: expected a text matching [a-z][a-z0-9_]*, got 'Chang Sha'"),
    ("negative", _set("technologies.csv", 0, "capex_cny_per_kw", "-5"),
     "technologies.csv, line 2, column capex_cny_per_kw: expected a number CNY/kW >= 0, got -5"),
    ("duplicate key", lambda p: _edit(p, "potentials.csv", lambda d: pd.concat([d, d])),
     "potentials.csv, line 3, column jurisdiction, technology: duplicate key"),
    ("parameter range", _set("system_year.csv", 0, "value", "5"),
     "system_year.csv, line 2, column value: f_pe_tce_per_mwh: expected a value in tce/MWh between"),
    ("NaN value", _set("jurisdiction_year.csv", 0, "value", "nan"),
     "jurisdiction_year.csv, line 2, column value: blank"),
]


@pytest.mark.parametrize("name,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_table_errors(tmp_path: Path, name: str, mutate: Callable[[Path], None], expected: str) -> None:
    p = toy.write_toy(tmp_path / "in")
    mutate(p)
    problems = _problems(p)
    assert any(expected in s for s in problems), problems


def _target(value: float, unit: str = "fraction", target: str = "nonfossil_share") -> dict:
    return dict(jurisdiction="linxiang", year=2025, target=target, value=value, unit=unit, firmness="about",
                source=toy.SRC)


def test_target_unit_mismatch(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path, tables={"targets": [_target(0.2, unit="mw")]})
    assert any("column unit: target 'nonfossil_share' takes unit 'fraction'" in s for s in _problems(p))


def test_target_percent_instead_of_fraction(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path, tables={"targets": [_target(25.0)]})
    assert any("is a fraction (0.25, not 25)" in s for s in _problems(p))


@pytest.mark.parametrize("basis,source,expected", [
    ("plan", "statistic: Hunan −14% (somewhere)", "column basis: a plan row cites the plan"),
    ("province", "seeds/000_b907454a9fdde84e.txt L45: 下降", "column basis: the source is a plan clause, so the basis is plan"),
    ("city", "estimate: x", "column basis: expected one of ['plan', 'parent_city', 'province', 'national', 'assumption']"),
])
def test_target_basis_errors(tmp_path: Path, basis: str, source: str, expected: str) -> None:
    row = dict(_target(0.14, unit="fraction_reduction_vs_base", target="energy_intensity"), basis=basis, source=source)
    p = toy.write_toy(tmp_path, tables={"targets": [row]})
    assert any(f"targets.csv, line 2, {expected}" in s for s in _problems(p)), _problems(p)


def test_same_target_of_two_bases_is_no_duplicate(tmp_path: Path) -> None:
    rows = [dict(_target(v, unit="fraction_reduction_vs_base", target="energy_intensity"), basis=b)
            for v, b in ((0.14, "province"), (0.135, "national"))]
    rows.append(dict(rows[1]))
    p = toy.write_toy(tmp_path, tables={"targets": rows})
    problems = _problems(p)
    assert problems == ["targets.csv, line 4, column jurisdiction, year, target, basis: duplicate key"
                        " ('linxiang', 2025, 'energy_intensity', 'national'); each key must appear once"]


def test_cannot_read_csv(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    (p / "targets.csv").write_bytes(b"\xff\xfe\x00bad")
    assert any("targets.csv: cannot be read as CSV" in s for s in _problems(p))


@pytest.mark.parametrize("mutate,expected", [
    (lambda df: df.iloc[:100], "expected 8760 hourly rows, got 100"),
    (lambda df: df.drop(columns=["wind_onshore_cf"]), "column wind_onshore_cf: missing column"),
    (lambda df: df.assign(solar_utility_cf=df.solar_utility_cf.where(df.index != 5, float("nan"))),
     "line 7, column solar_utility_cf: expected a number"),
    (lambda df: df.assign(wind_onshore_cf=1.5), "column wind_onshore_cf: expected a capacity factor <= 1"),
    (lambda df: df.assign(hydro_cf=-0.1), "column hydro_cf: expected >= 0"),
    (lambda df: df.assign(demand_pu=2.0), "column demand_pu: expected a mean of 1.0"),
], ids=["length", "column", "nan", "cf>1", "negative", "demand mean"])
def test_timeseries_errors(tmp_path: Path, mutate: Callable[[pd.DataFrame], pd.DataFrame], expected: str) -> None:
    p = toy.write_toy(tmp_path)
    f = p / "timeseries" / "linxiang.csv"
    mutate(pd.read_csv(f)).to_csv(f, index=False)
    problems = _problems(p)
    assert any("timeseries/linxiang.csv" in s and expected in s for s in problems), problems


def test_timeseries_missing(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    (p / "timeseries" / "linxiang.csv").unlink()
    assert any("timeseries/linxiang.csv: file missing" in s for s in _problems(p))


def test_missing_parameter_rows(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    _edit(p, "jurisdiction_year.csv", lambda d: d[~((d.parameter == "gdp_cny") & (d.year == "2025"))])
    _edit(p, "system_year.csv", lambda d: d[~((d.parameter == "coal_price_cny_per_tce") & (d.year == "2025"))])
    problems = _problems(p)
    assert any("missing row: jurisdiction linxiang, year 2025, parameter gdp_cny" in s for s in problems)
    assert any("missing row: year 2025, parameter coal_price_cny_per_tce" in s for s in problems)


def test_year_2035_needs_rows(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    problems = _problems(p, years=(2025, 2035))
    assert any("year 2035, parameter gdp_cny" in s for s in problems)


def test_missing_constant(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    _edit(p, "constants.csv", lambda d: d[d.parameter != "voll_cny_per_mwh"])
    assert any("constants.csv, column parameter: missing row: voll_cny_per_mwh" in s for s in _problems(p))


def test_no_cost_row_for_candidate(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path, tables={"potentials": [dict(jurisdiction="linxiang", technology="gas_ccgt",
                                                            potential_mw=100, source=toy.SRC)]})
    assert any("no cost row for gas_ccgt" in s for s in _problems(p))


def test_storage_needs_its_columns(tmp_path: Path) -> None:
    techs = toy.tech_rows([2025], battery={"efficiency_charge": None})
    p = toy.write_toy(tmp_path, tables={"technologies": techs, "potentials": [
        dict(jurisdiction="linxiang", technology="battery", potential_mw=None, source=toy.SRC)]})
    assert any("column efficiency_charge: blank; storage technology battery needs it" in s for s in _problems(p))


def test_duration_order(tmp_path: Path) -> None:
    techs = toy.tech_rows([2025], battery={"duration_min_h": 4.0, "duration_max_h": 2.0})
    p = toy.write_toy(tmp_path, tables={"technologies": techs, "potentials": [
        dict(jurisdiction="linxiang", technology="battery", potential_mw=None, source=toy.SRC)]})
    assert any("expected duration_max_h >= duration_min_h" in s for s in _problems(p))


def test_gas_needs_heat_rate(tmp_path: Path) -> None:
    techs = toy.tech_rows([2025], gas_peaker={"heat_rate_tce_per_mwh": None})
    p = toy.write_toy(tmp_path, tables={"technologies": techs, "potentials": [
        dict(jurisdiction="linxiang", technology="gas_peaker", potential_mw=None, source=toy.SRC)]})
    assert any("gas technology gas_peaker needs it" in s for s in _problems(p))


@pytest.mark.parametrize("over,expected", [
    (dict(hr=None), "column heat_rate_tce_per_mwh: blank; a coal unit needs its fuel rate"),
    (dict(retrofit_heat_rate_tce_per_mwh=0.28), "retrofit_capex_cny_per_kw: blank while retrofit_heat_rate"),
    (dict(repower_heat_rate_tce_per_mwh=0.2), "repower_capex_cny_per_kw: blank while repower_heat_rate"),
    (dict(min_output_share=0.3), "heating_months: blank while min_output_share is given"),
    (dict(min_output_share=0.3, heating_months="13;1"), "heating_months: expected months 1-12"),
    (dict(cofire_from_year=2025), "units.csv, line 2, column cofire_from_year: given while cofire_share is blank"),
], ids=["heat rate", "retrofit capex", "repower capex", "heating months", "bad months", "co-firing start"])
def test_unit_errors(tmp_path: Path, over: dict, expected: str) -> None:
    p = _units_toy(tmp_path, **over)
    problems = _problems(p)
    assert any(f"units.csv, line 2, column {expected}" in s or expected in s for s in problems), problems


def test_unit_rule_errors(tmp_path: Path) -> None:
    rules = [dict(jurisdiction="linxiang", unit_id="nope", rule="retire_by", year=2025, threshold_tce_per_mwh=None,
                  firmness="hard", source=toy.SRC),
             dict(jurisdiction="linxiang", unit_id="u1", rule="heat_rate_threshold", year=2030,
                  threshold_tce_per_mwh=None, firmness="hard", source=toy.SRC)]
    p = toy.write_toy(tmp_path, tables={"units": [toy.unit_row("linxiang", "u1")], "unit_rules": rules})
    problems = _problems(p)
    assert any("unit_rules.csv, line 2, column unit_id: unknown unit 'nope'" in s for s in problems)
    assert any("unit_rules.csv, line 3, column threshold_tce_per_mwh: blank" in s for s in problems)


def test_project_without_potential_and_over_potential(tmp_path: Path) -> None:
    projects = [dict(jurisdiction="linxiang", project_id="p1", name="wind", technology="wind_onshore",
                     capacity_mw=50, energy_mwh=None, year=2025, source=toy.SRC),
                dict(jurisdiction="linxiang", project_id="p2", name="pv", technology="solar_utility",
                     capacity_mw=50, energy_mwh=None, year=2025, source=toy.SRC)]
    pots = [dict(jurisdiction="linxiang", technology="solar_utility", potential_mw=20, source=toy.SRC)]
    p = toy.write_toy(tmp_path, tables={"projects": projects, "potentials": pots})
    problems = _problems(p)
    assert any("projects.csv, line 2, column technology: wind_onshore has no row for linxiang" in s for s in problems)
    assert any("potential 20 MW is below committed projects 50 MW" in s for s in problems)


def test_overrides_errors(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    s = replace(toy.scenario(p), overrides=(
        Override(table="nosuch", column="value", set=1.0),
        Override(table="targets", column="source", set=1.0),
        Override(table="constants", column="value", where={"parameter": "nope"}, set=1.0),
        Override(table="constants", column="value", where={"zzz": 1}, set=1.0),
    ))
    with pytest.raises(InputError) as exc:
        load_dataset(s)
    msgs = [str(x) for x in exc.value.problems]
    assert any("unknown table 'nosuch'" in m for m in msgs)
    assert any("'source' is not a numeric column of targets" in m for m in msgs)
    assert any("matches no row of constants" in m for m in msgs)
    assert any("'zzz' is not a column of constants" in m for m in msgs)


def test_override_applies(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    s = replace(toy.scenario(p), overrides=(Override(table="constants", column="value",
                                                     where={"parameter": "voll_cny_per_mwh"}, scale=2.0),))
    assert load_dataset(s).const("voll_cny_per_mwh") == 60000.0


def test_all_problems_at_once(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    _set("technologies.csv", 0, "capex_cny_per_kw", "-1")(p)
    _set("potentials.csv", 0, "technology", "fusion")(p)
    _set("constants.csv", 0, "source", "")(p)
    problems = _problems(p)
    files = {s.split(",")[0] for s in problems}
    assert {"technologies.csv", "potentials.csv", "constants.csv"} <= files
    with pytest.raises(InputError, match=r"3 problem\(s\) in the inputs"):
        load_dataset(toy.scenario(p))


def test_inputs_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="inputs folder not found"):
        load_dataset(toy.scenario(tmp_path / "nope"))


def test_years_after_base_year(tmp_path: Path) -> None:
    p = toy.write_toy(tmp_path)
    with pytest.raises(InputError, match="must come after the base year 2020"):
        load_dataset(replace(toy.scenario(p), years=(2020, 2025)))


def test_existing_capacity_needs_technology_row(tmp_path: Path) -> None:
    techs = [r for r in toy.tech_rows([2025]) if r["technology"] != "wind_onshore"]
    existing = [dict(jurisdiction="linxiang", technology="wind_onshore", year=2020, capacity_mw=5.0,
                     energy_mwh=None, source=toy.SRC)]
    p = toy.write_toy(tmp_path, tables={"technologies": techs, "existing_capacity": existing})
    assert any("no row for wind_onshore, which has existing capacity" in s for s in _problems(p))
