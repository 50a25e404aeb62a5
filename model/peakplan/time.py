"""Time steps of one modelled year: the full chronological year or representative days.

Representative days are chosen by the tsam package (hierarchical clustering, medoid
representation: every representative is a real day of the year) on the demand, utility-solar
and wind profiles of the jurisdictions given. Hierarchical clustering has no random start,
so the choice is deterministic; ``seed`` is kept for methods that need one. After the choice,
each series is rescaled so that its weighted annual mean equals the original's (capacity
factors are then capped at 1), so annual demand and resource are preserved.

Weights: ``weight[t]`` = calendar hours step t stands for; Σ_t weight[t] = 8760.
Storage is cyclic within each period: a representative day, or the whole year.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peakplan.config import TimeConfig
from peakplan.io.schema import HOURS_PER_YEAR, TIMESERIES_COLUMNS

log = logging.getLogger(__name__)

SERIES = tuple(c for c in TIMESERIES_COLUMNS if c != "hour")
_CLUSTER_ON = ("demand_pu", "solar_utility_cf", "wind_onshore_cf")
_MONTH_OF_HOUR = pd.date_range("2019-01-01", periods=HOURS_PER_YEAR, freq="h").month.to_numpy()


@dataclass(frozen=True)
class TimeIndex:
    """Steps of a modelled year with their weights and profile values."""

    mode: str
    weight: np.ndarray  # hours represented by each step
    prev: np.ndarray  # index of the previous step in the same period (cyclic)
    month: np.ndarray  # calendar month of each step, 1..12
    hour_of_year: np.ndarray  # original hour each step was taken from
    period: np.ndarray  # period (representative day, or 0 for the full year) of each step
    profiles: dict[str, pd.DataFrame]  # jurisdiction -> series values per step
    days: tuple[int, ...] = ()  # original day of each representative period

    @property
    def n_steps(self) -> int:
        return int(self.weight.size)

    def restrict(self, jurisdictions: tuple[str, ...]) -> TimeIndex:
        return TimeIndex(self.mode, self.weight, self.prev, self.month, self.hour_of_year, self.period,
                         {j: self.profiles[j] for j in jurisdictions}, self.days)


def full_year(timeseries: dict[str, pd.DataFrame]) -> TimeIndex:
    """The chronological year: 8760 steps of weight 1, storage cyclic over the year."""
    n = HOURS_PER_YEAR
    steps = np.arange(n)
    prev = np.roll(steps, 1)
    profiles = {j: ts.loc[:, list(SERIES)].reset_index(drop=True).astype(float) for j, ts in timeseries.items()}
    return TimeIndex("full", np.ones(n), prev, _MONTH_OF_HOUR.copy(), steps, np.zeros(n, dtype=int), profiles)


def representative_days(timeseries: dict[str, pd.DataFrame], days: int, seed: int = 0) -> TimeIndex:
    """``days`` representative days chosen jointly from the given jurisdictions' profiles (tsam)."""
    import tsam

    if days >= 365:
        chosen = list(range(365))
        counts = [1.0] * 365
    else:
        idx = pd.date_range("2019-01-01", periods=HOURS_PER_YEAR, freq="h")
        data = pd.DataFrame(
            {f"{j}|{c}": ts[c].to_numpy(dtype=float) for j, ts in sorted(timeseries.items()) for c in _CLUSTER_ON},
            index=idx,
        )
        # constant columns carry no information and upset the normalisation
        data = data.loc[:, data.std() > 0]
        if data.shape[1] == 0 or days >= 365:
            return representative_days_fixed(timeseries, [0], [365.0])
        np.random.seed(seed)
        res = tsam.aggregate(
            data,
            days,
            period_duration=24,
            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
            preserve_column_means=False,
        )
        assign = np.asarray(res.cluster_assignments)
        reps = res.cluster_representatives
        day_values = data.to_numpy().reshape(365, 24, -1)
        chosen, counts = [], []
        for c in sorted(res.cluster_counts):
            members = np.flatnonzero(assign == c)
            rep = reps.loc[c].to_numpy()
            dist = np.abs(day_values[members] - rep[None, :, :]).sum(axis=(1, 2))
            chosen.append(int(members[int(np.argmin(dist))]))
            counts.append(float(res.cluster_counts[c]))
    return representative_days_fixed(timeseries, chosen, counts)


def representative_days_fixed(timeseries: dict[str, pd.DataFrame], chosen: list[int],
                              counts: list[float]) -> TimeIndex:
    """A TimeIndex of the given days with the given weights (days each stands for)."""
    hours = np.concatenate([np.arange(d * 24, d * 24 + 24) for d in chosen])
    weight = np.repeat(np.asarray(counts), 24)
    n = hours.size
    period = np.repeat(np.arange(len(chosen)), 24)
    prev = np.arange(n) - 1
    prev[::24] = np.arange(len(chosen)) * 24 + 23
    profiles: dict[str, pd.DataFrame] = {}
    for j, ts in timeseries.items():
        cols = {}
        for c in SERIES:
            full = ts[c].to_numpy(dtype=float)
            v = full[hours].copy()
            target = full.mean()
            v = _rescale(v, weight, target, cap=1.0 if c.endswith("_cf") else None)
            cols[c] = v
        profiles[j] = pd.DataFrame(cols)
    log.info("representative days: %d days %s, weights %s", len(chosen), chosen, [int(c) for c in counts])
    return TimeIndex("rep", weight, prev, _MONTH_OF_HOUR[hours], hours, period, profiles, tuple(chosen))


def _rescale(v: np.ndarray, w: np.ndarray, target_mean: float, cap: float | None) -> np.ndarray:
    """Scale v so its w-weighted mean is target_mean, respecting an upper cap (iterated)."""
    if target_mean <= 0 or v.max() <= 0:
        return v
    out = v.copy()
    for _ in range(50):
        mean = float(np.dot(out, w) / w.sum())
        if abs(mean - target_mean) < 1e-10 * max(1.0, target_mean):
            break
        free = out < cap if cap is not None else np.ones_like(out, dtype=bool)
        fixed_sum = float(np.dot(out[~free], w[~free]))
        free_sum = float(np.dot(out[free], w[free]))
        if free_sum <= 0:
            break
        factor = (target_mean * w.sum() - fixed_sum) / free_sum
        out[free] *= factor
        if cap is not None:
            out = np.minimum(out, cap)
    return out


def make_time_index(timeseries: dict[str, pd.DataFrame], config: TimeConfig) -> TimeIndex:
    """The time steps for the given jurisdictions' profiles."""
    if config.mode == "full":
        return full_year(timeseries)
    return representative_days(timeseries, config.days, config.seed)
