"""BuildContext: what every build module reads (data, scenario switches, time steps, finance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peakplan.config import Scenario
from peakplan.finance import crf, discount_factor, years_represented
from peakplan.io.load import Dataset
from peakplan.time import TimeIndex


@dataclass(frozen=True)
class BuildContext:
    """Read-only view of one block's data: jurisdictions, years, steps, and derived finance terms."""

    data: Dataset
    scenario: Scenario
    time: TimeIndex
    jurisdictions: tuple[str, ...]
    years: tuple[int, ...]
    elastic: bool
    discount_rate: float = field(init=False)
    base_year: int = field(init=False)
    n_years: dict[int, int] = field(init=False)
    df: dict[int, float] = field(init=False)
    steps: range = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "discount_rate", self.data.const("discount_rate"))
        object.__setattr__(self, "base_year", self.data.base_year)
        object.__setattr__(self, "n_years", years_represented(self.years))
        object.__setattr__(self, "df", {y: discount_factor(self.discount_rate, y, self.base_year)
                                        for y in self.years})
        object.__setattr__(self, "steps", range(self.time.n_steps))

    def crf(self, lifetime_yr: float) -> float:
        return crf(self.discount_rate, lifetime_yr)

    def profile(self, j: str, series: str) -> np.ndarray:
        return self.time.profiles[j][series].to_numpy()

    def f_pe(self, y: int) -> float:
        return self.data.sy(y, "f_pe_tce_per_mwh")

    def online(self, y_built: int, y: int, lifetime_yr: float) -> bool:
        """Capacity built in y_built is online in milestone y (formulation §3, capacity carry-over)."""
        return y_built <= y and y - y_built < lifetime_yr

    def weight(self, t: int) -> float:
        return float(self.time.weight[t])

    def annual(self, var: Any, *key: Any) -> Any:
        """Σ_t w_t · var[key, t]: an hourly variable summed over the year (MW → MWh/yr)."""
        return sum(self.weight(t) * var[(*key, t)] for t in self.steps)
