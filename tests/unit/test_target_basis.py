"""Target basis (issue 3): which level's figure a target uses, chosen per scenario.

targets.csv may give one target several times, once per basis (the plan's own figure, the
parent city's, Hunan's, China's, or an assumption). ``policy.target_basis`` is a preference
list; for each jurisdiction, year and target the first listed basis present wins, and a
target none of whose bases is listed does not apply.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toy  # noqa: E402

from peakplan.config import PolicyConfig, load_scenario  # noqa: E402
from peakplan.io.load import load_dataset, select_target_basis  # noqa: E402
from peakplan.run import run_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EI = "energy_intensity"


def _frame(rows: list[tuple[str, int, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame([dict(jurisdiction=j, year=float(y), target=t, value=v, basis=b) for j, y, t, v, b in rows])


TABLE = _frame([
    ("a", 2025, EI, 0.16, "plan"), ("a", 2025, EI, 0.14, "province"), ("a", 2025, EI, 0.135, "national"),
    ("b", 2025, EI, 0.14, "province"), ("b", 2025, EI, 0.135, "national"), ("b", 2025, EI, 0.15, "parent_city"),
    ("b", 2025, "co2_intensity", 0.18, "national"),
    ("b", 2035, "nonfossil_share", 0.28, "assumption"),
])


def _chosen(pref: tuple[str, ...]) -> dict[tuple[str, int, str], tuple[float, str]]:
    out = select_target_basis(TABLE, pref)
    keys = list(zip(out.jurisdiction, out.year.astype(int), out.target))
    assert len(keys) == len(set(keys)), "one row per jurisdiction, year and target"
    return {k: (v, b) for k, v, b in zip(keys, out.value, out.basis)}


def test_default_prefers_the_most_local_figure() -> None:
    c = _chosen(PolicyConfig().target_basis)
    assert c[("a", 2025, EI)] == (0.16, "plan")
    assert c[("b", 2025, EI)] == (0.15, "parent_city")
    assert c[("b", 2025, "co2_intensity")] == (0.18, "national")
    assert c[("b", 2035, "nonfossil_share")] == (0.28, "assumption")


def test_order_decides_and_unlisted_bases_drop_their_targets() -> None:
    c = _chosen(("national", "province"))
    assert c == {("a", 2025, EI): (0.135, "national"), ("b", 2025, EI): (0.135, "national"),
                 ("b", 2025, "co2_intensity"): (0.18, "national")}
    c = _chosen(("province", "plan"))
    assert c == {("a", 2025, EI): (0.14, "province"), ("b", 2025, EI): (0.14, "province")}
    assert _chosen(("plan",)) == {("a", 2025, EI): (0.16, "plan")}


def test_unknown_basis_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown target basis"):
        select_target_basis(TABLE, ("plan", "county"))


def _shipped(**policy: object) -> pd.DataFrame:
    s = load_scenario(ROOT / "scenarios" / "base.yaml")
    s = replace(s, years=(2025, 2030, 2035), policy=replace(s.policy, **policy))
    t = load_dataset(s).table("targets")
    return t.set_index(["jurisdiction", "year", "target"])


def test_shipped_inputs_default_basis() -> None:
    t = _shipped()
    assert not t.index.duplicated().any()
    assert t.loc[("xiangtan", 2025, EI)].basis == "plan" and t.loc[("xiangtan", 2025, EI)].value == 0.16
    for j in ("linxiang", "lixian", "leiyang", "yueyang_etdz"):
        assert t.loc[(j, 2025, EI)].basis == "province" and t.loc[(j, 2025, EI)].value == 0.14
        assert t.loc[(j, 2025, "co2_intensity")].basis == "national"
        assert t.loc[(j, 2030, EI)].value == pytest.approx(1 - 0.86 * 0.865, abs=1e-4)


def test_shipped_inputs_national_basis() -> None:
    t = _shipped(target_basis=("plan", "national", "assumption"))
    assert t.loc[("leiyang", 2025, EI)].value == 0.135
    assert t.loc[("xiangtan", 2025, EI)].value == 0.16  # the plan's own figure still comes first
    t = _shipped(target_basis=("national",))
    assert t.loc[("xiangtan", 2025, EI)].value == 0.135
    assert set(t.reset_index().target) == {EI, "co2_intensity"}


def test_plan_only_drops_deferred_targets() -> None:
    t = _shipped(target_basis=("plan",)).reset_index()
    assert set(t.basis) == {"plan"}
    assert set(t[t.target == EI].jurisdiction) == {"xiangtan"}
    assert "co2_intensity" not in set(t.target)
    assert not ((t.target == "nonfossil_share") & (t.year == 2035)).any()


def test_run_uses_and_reports_the_chosen_basis(tmp_path: Path) -> None:
    """Toy: all electricity counts at f_pe whatever its source, so TEC = 87,600 MWh × 0.3 = 26,280 tce against a
    base of 30,000 tce at unchanged GDP: the reachable reduction is 1 − 26,280/30,000 = 12.4 %. The province row
    (−20 %) is then missed by 7.6 points (elastic slack), the national row (−10 %) is met."""
    rows = [dict(jurisdiction="linxiang", year=2025, target=EI, value=v, unit="fraction_reduction_vs_base",
                 firmness="assumed", basis=b, source=toy.SRC) for v, b in ((0.20, "province"), (0.10, "national"))]
    toy.write_toy(tmp_path / "inputs", tables={"targets": rows})
    for pref, required, slack in ((("province", "national"), 0.20, 0.20 - 0.124), (("national", "province"), 0.10, 0.0)):
        r = run_scenario(toy.scenario(tmp_path / "inputs", elastic=True, exclude_new_re=False, target_basis=pref))
        t = r.tables["targets"]
        assert list(t.basis) == [pref[0]]
        assert t.required.iloc[0] == pytest.approx(required)
        assert t.achieved.iloc[0] == pytest.approx(0.124, abs=1e-6)
        assert t.slack.iloc[0] == pytest.approx(slack, abs=1e-6)
