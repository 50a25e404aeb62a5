"""Synthetic hourly input profiles for the five Hunan jurisdictions.

This module writes ``inputs/timeseries/<jurisdiction>.csv`` (8,760 hourly rows of one
weather year, local standard time Asia/Shanghai) and ``inputs/timeseries/sources.csv``.
Every number used here is read from ``inputs/timeseries/profile_params.yaml``, where each
parameter carries a ``source`` string (a public statistic with its reference, or
``estimate: <method>``). The module itself contains no data, only methods; ``sources.csv``
is generated from the same parameter file so that documentation cannot drift.

Columns of each jurisdiction file (in this order):

``hour``
    Hour index 0..8759 (hour-beginning, hour-of-day ``h`` covers ``[h:00, h+1:00)``).
``demand_pu``
    Electricity demand shape, annual mean exactly 1.0.
``solar_utility_cf``, ``solar_rooftop_cf``, ``wind_onshore_cf``, ``hydro_cf``
    Capacity factors in [0, 1] (per unit of installed capacity; PV per unit of DC nameplate).
``import_price_pu``
    Time-of-use multiplier of the grid purchase price, annual mean 1.0.

Methods
-------
Solar PV
    pvlib Ineichen clear-sky irradiance (monthly Linke turbidity shipped with pvlib, no
    network) at the middle of each hour; the clear-sky GHI is multiplied by a daily
    clearness ratio (seeded AR(1) day-to-day process, shifted within each month so that the
    monthly means equal their parameters, lower in the Hunan spring rain season), split into DNI/DHI with the Erbs model, transposed to a
    fixed south-facing plane (utility: tilt = latitude + offset, rooftop: fixed tilt),
    converted with the SAPM cell temperature model and PVWatts DC/AC models, and finally
    scaled (capped at 1.0) by bisection so that the annual full-load hours equal the target.
Onshore wind
    A unit-variance AR(1) Gaussian process (hourly persistence) is mapped through the normal
    CDF to Weibull(k) wind speeds, modulated by monthly (winter/spring stronger) and diurnal
    (night stronger) factors, and passed through a generic low-wind turbine power curve
    (cut-in / rated / cut-out). The Weibull scale is found by bisection so that the annual
    full-load hours equal the target.
Stochastic weather
    Cloudiness and wind anomalies mix a regional component (common seed) and a local one
    (jurisdiction seed) so that the five nearby sites are correlated but not identical.
Demand
    Hunan 2018 monthly mean load times a diurnal shape interpolated between the tabulated
    Jan/Apr/Jul/Oct profiles; weekend and holiday factors (optionally rescaled back to the
    monthly means), flattening towards a constant industrial load
    ``(1 - w) * shape + w``, small seeded multiplicative noise, normalisation to mean 1.
Hydro (run-of-river)
    Monthly capacity-factor shape, flat within each month, scaled to the annual CF.
Import price
    Time-of-use multipliers (peak/flat/valley hours, optional critical peak) normalised to
    an hour-weighted annual mean of 1.

Random numbers come from :class:`numpy.random.Generator` (PCG64) streams spawned from the
seeds in the parameter file, values are rounded to 5 decimals and written with a fixed
format and ``\\n`` line endings, so the output is byte-for-byte reproducible.

Run as ``python -m peakplan.profiles [--params P] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib
import yaml
from scipy.special import log_ndtr

from peakplan.io.schema import HOURS_PER_YEAR, JURISDICTION_IDS, TIMESERIES_COLUMNS

__all__ = [
    "COLUMNS",
    "HOURS_PER_YEAR",
    "JURISDICTIONS",
    "SERIES",
    "full_load_hours",
    "generate_profiles",
    "load_params",
    "main",
]

LOGGER = logging.getLogger(__name__)

#: Jurisdiction ids, series and columns come from the input schema (one definition).
JURISDICTIONS: tuple[str, ...] = JURISDICTION_IDS
#: Data series (all columns except ``hour``).
SERIES: tuple[str, ...] = TIMESERIES_COLUMNS[1:]
#: Output columns, in file order.
COLUMNS: tuple[str, ...] = TIMESERIES_COLUMNS
#: Decimals written to the CSV files.
DECIMALS = 5

DEFAULT_PARAMS = Path("inputs/timeseries/profile_params.yaml")
DEFAULT_OUT = Path("inputs/timeseries")

_BISECTION_MAX_ITER = 200
_BISECTION_RTOL = 1e-12


# --------------------------------------------------------------------------------------
# Parameter handling
# --------------------------------------------------------------------------------------
def _check_sources(node: Any, path: str = "") -> None:
    """Raise ``ValueError`` if any ``{value: ...}`` parameter lacks a non-empty ``source``."""
    if isinstance(node, Mapping):
        if "value" in node:
            src = node.get("source")
            if not isinstance(src, str) or not src.strip():
                raise ValueError(f"parameter '{path}' has no 'source' string")
            return
        for key, child in node.items():
            _check_sources(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _check_sources(child, f"{path}[{i}]")


def load_params(params_path: Path) -> dict[str, Any]:
    """Load and validate the profile parameter file.

    Args:
        params_path: Path of ``profile_params.yaml``.

    Returns:
        The parsed YAML mapping.

    Raises:
        ValueError: If a parameter has no source, the jurisdiction ids differ from
            :data:`JURISDICTIONS`, or the weather year is a leap year.
    """
    with Path(params_path).open("r", encoding="utf-8") as fh:
        params: dict[str, Any] = yaml.safe_load(fh)
    _check_sources(params)
    ids = tuple(params["jurisdictions"].keys())
    if set(ids) != set(JURISDICTIONS):
        raise ValueError(f"jurisdiction ids {ids} differ from the expected {JURISDICTIONS}")
    year = int(_v(params["weather_year"]))
    if pd.Timestamp(year=year, month=12, day=31).dayofyear != 365:
        raise ValueError(f"weather_year {year} is a leap year; 8,760 h are required")
    return params


def _v(node: Mapping[str, Any]) -> Any:
    """Return the ``value`` of a ``{value, source}`` parameter."""
    return node["value"]


def _s(node: Mapping[str, Any]) -> str:
    """Return the ``source`` of a ``{value, source}`` parameter."""
    return str(node["source"])


def _monthly(values: Sequence[float], name: str) -> np.ndarray:
    """Validate a 12-element monthly parameter and return it as an array."""
    arr = np.asarray(values, dtype=float)
    if arr.shape != (12,):
        raise ValueError(f"{name} must have 12 monthly values, got {arr.shape}")
    return arr


# --------------------------------------------------------------------------------------
# Generic helpers
# --------------------------------------------------------------------------------------
def full_load_hours(cf: np.ndarray | pd.Series) -> float:
    """Annual full-load hours of an hourly capacity-factor series (sum of hourly CFs)."""
    return float(np.asarray(cf, dtype=float).sum())


def _hourly_index(year: int, tz: str) -> pd.DatetimeIndex:
    """Hour-beginning timestamps of ``year`` in local time ``tz`` (8,760 values)."""
    idx = pd.date_range(start=pd.Timestamp(year=year, month=1, day=1), periods=HOURS_PER_YEAR, freq="h", tz=tz)
    if idx[-1].year != year:
        raise ValueError(f"year {year} does not have {HOURS_PER_YEAR} hours")
    return idx


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary unit-variance AR(1) series ``x_t = phi x_{t-1} + sqrt(1-phi^2) e_t``."""
    if not 0.0 <= phi < 1.0:
        raise ValueError(f"AR(1) coefficient must be in [0, 1), got {phi}")
    eps = rng.standard_normal(n)
    out = np.empty(n)
    innov = math.sqrt(1.0 - phi * phi)
    out[0] = eps[0]
    for t in range(1, n):
        out[t] = phi * out[t - 1] + innov * eps[t]
    return out


def _mix(regional: np.ndarray, local: np.ndarray, regional_share: float) -> np.ndarray:
    """Combine two independent unit-variance series; correlation between sites = share."""
    if not 0.0 <= regional_share <= 1.0:
        raise ValueError(f"regional share must be in [0, 1], got {regional_share}")
    return math.sqrt(regional_share) * regional + math.sqrt(1.0 - regional_share) * local


def _bisect(func: Callable[[float], float], target: float, lo: float, hi: float, what: str) -> float:
    """Find ``x`` in ``[lo, hi]`` with ``func(x) == target`` for increasing ``func``."""
    f_lo, f_hi = func(lo), func(hi)
    if not f_lo <= target <= f_hi:
        raise ValueError(f"{what}: target {target} not bracketed by [{f_lo}, {f_hi}] on [{lo}, {hi}]")
    for _ in range(_BISECTION_MAX_ITER):
        mid = 0.5 * (lo + hi)
        f_mid = func(mid)
        if abs(f_mid - target) <= _BISECTION_RTOL * target:
            return mid
        if f_mid < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _scale_to_flh(raw: np.ndarray, target_flh: float, what: str) -> tuple[np.ndarray, float]:
    """Scale a non-negative profile and cap it at 1 so that its sum equals ``target_flh``.

    The capped sum ``sum(min(1, s * raw))`` is increasing in ``s``; ``s`` is found by
    bisection, so the target is met exactly also when capping binds.
    """
    raw = np.clip(np.nan_to_num(raw, nan=0.0), 0.0, None)
    positive_hours = int(np.count_nonzero(raw > 0.0))
    if target_flh >= positive_hours:
        raise ValueError(f"{what}: target {target_flh} h is not reachable with {positive_hours} productive hours")

    def capped_sum(s: float) -> float:
        """Full-load hours of the profile scaled by ``s`` and capped at 1."""
        return float(np.minimum(1.0, s * raw).sum())

    hi = target_flh / raw.sum()
    while capped_sum(hi) < target_flh:
        hi *= 2.0
    scale = _bisect(capped_sum, target_flh, 0.0, hi, what)
    return np.minimum(1.0, scale * raw), scale


def _round(values: np.ndarray) -> np.ndarray:
    """Round to :data:`DECIMALS` and turn ``-0.0`` into ``0.0``."""
    return np.round(values, DECIMALS) + 0.0


def _round_preserving_mean(values: np.ndarray, mean: float = 1.0) -> np.ndarray:
    """Round to :data:`DECIMALS` so that the decimal sum equals ``mean * len(values)``.

    Largest-remainder rounding on integer units of ``10**-DECIMALS``; ties are broken by
    position (stable sort), so the result is deterministic.
    """
    factor = 10**DECIMALS
    scaled = values * factor
    floors = np.floor(scaled)
    remainders = scaled - floors
    deficit = int(round(mean * len(values) * factor)) - int(floors.sum())
    if not 0 <= deficit <= len(values):
        raise ValueError("rounding deficit out of range; values are not normalised to the mean")
    order = np.argsort(-remainders, kind="stable")
    units = floors.astype(np.int64)
    units[order[:deficit]] += 1
    return units / factor


# --------------------------------------------------------------------------------------
# Solar
# --------------------------------------------------------------------------------------
def _daily_clearness(
    solar: Mapping[str, Any], days: pd.DatetimeIndex, z: np.ndarray
) -> np.ndarray:
    """Daily clearness ratio (daily GHI / clear-sky GHI) from a unit-variance anomaly ``z``."""
    means = _monthly(_v(solar["clearness_monthly_mean"]), "clearness_monthly_mean")
    sd = float(_v(solar["clearness_daily_sd"]))
    lo, hi = float(_v(solar["clearness_min"])), float(_v(solar["clearness_max"]))
    clearness = np.clip(means[days.month - 1] + sd * z, lo, hi)
    if not bool(_v(solar["clearness_match_monthly_means"])):
        return clearness
    # Shift each month's anomaly so that the clipped monthly mean equals its parameter.
    for m in range(12):
        mask = days.month.to_numpy() == m + 1
        base = means[m] + sd * z[mask]

        def month_mean(shift: float, base: np.ndarray = base) -> float:
            """Monthly mean clearness after an additive shift and clipping."""
            return float(np.clip(base + shift, lo, hi).mean())

        clearness[mask] = np.clip(
            base + _bisect(month_mean, float(means[m]), lo - base.max(), hi - base.min(), f"clearness month {m + 1}"),
            lo,
            hi,
        )
    return clearness


def _site_weather(
    params: Mapping[str, Any],
    site: Mapping[str, Any],
    times: pd.DatetimeIndex,
    clearness_hourly: np.ndarray,
) -> dict[str, pd.Series]:
    """Cloudy-sky irradiance components, solar position and air temperature of one site."""
    solar = params["solar"]
    mid = times + pd.Timedelta(minutes=int(_v(solar["timestamp_offset_minutes"])))
    loc = pvlib.location.Location(
        latitude=float(_v(site["lat"])),
        longitude=float(_v(site["lon"])),
        tz=str(_v(params["timezone"])),
        altitude=float(_v(site["altitude_m"])),
    )
    solpos = loc.get_solarposition(mid)
    clearsky = loc.get_clearsky(mid, model=str(_v(solar["clearsky_model"])), solar_position=solpos)
    ghi = clearsky["ghi"] * clearness_hourly
    decomposition = str(_v(solar["decomposition_model"]))
    if decomposition != "erbs":
        raise ValueError(f"unsupported decomposition model {decomposition!r}")
    split = pvlib.irradiance.erbs(ghi, solpos["zenith"], mid)
    temps = _monthly(_v(solar["air_temperature_monthly_c"]), "air_temperature_monthly_c")
    amp = float(_v(solar["air_temperature_diurnal_amplitude_c"]))
    peak_hour = float(_v(solar["air_temperature_peak_hour"]))
    hour_mid = times.hour.to_numpy() + 0.5
    temp_air = temps[times.month - 1] + amp * np.cos(2.0 * np.pi * (hour_mid - peak_hour) / 24.0)
    return {
        "zenith": solpos["apparent_zenith"],
        "azimuth": solpos["azimuth"],
        "ghi": ghi,
        "dni": split["dni"].fillna(0.0),
        "dhi": split["dhi"].fillna(0.0),
        "dni_extra": pd.Series(pvlib.irradiance.get_extra_radiation(mid), index=mid),
        "temp_air": pd.Series(temp_air, index=mid),
    }


def _pv_raw_output(
    solar: Mapping[str, Any], weather: Mapping[str, pd.Series], tilt: float, temperature_model: str
) -> np.ndarray:
    """Unscaled AC output per unit of DC nameplate of a fixed south-facing array."""
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt,
        surface_azimuth=float(_v(solar["azimuth_deg"])),
        solar_zenith=weather["zenith"],
        solar_azimuth=weather["azimuth"],
        dni=weather["dni"],
        ghi=weather["ghi"],
        dhi=weather["dhi"],
        dni_extra=weather["dni_extra"],
        albedo=float(_v(solar["albedo"])),
        model=str(_v(solar["transposition_model"])),
    )
    poa_global = poa["poa_global"].fillna(0.0).clip(lower=0.0)
    tparams = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][temperature_model]
    temp_cell = pvlib.temperature.sapm_cell(
        poa_global, weather["temp_air"], float(_v(solar["wind_speed_for_cell_temperature_ms"])), **tparams
    )
    pdc = pvlib.pvsystem.pvwatts_dc(poa_global, temp_cell, pdc0=1.0, gamma_pdc=float(_v(solar["gamma_pdc"])))
    pdc = pdc * (1.0 - float(_v(solar["dc_losses"])))
    eta = float(_v(solar["inverter_efficiency"]))
    pac0 = 1.0 / float(_v(solar["dc_ac_ratio"]))
    pac = pvlib.inverter.pvwatts(pdc, pdc0=pac0 / eta, eta_inv_nom=eta)
    return np.clip(np.nan_to_num(np.asarray(pac, dtype=float), nan=0.0), 0.0, None)


def _solar_profiles(
    params: Mapping[str, Any],
    site: Mapping[str, Any],
    times: pd.DatetimeIndex,
    cloud_z: np.ndarray,
    jurisdiction: str,
) -> dict[str, np.ndarray]:
    """Utility and rooftop PV capacity factors of one site, calibrated to their FLH."""
    solar = params["solar"]
    days = pd.date_range(times[0].normalize(), periods=len(cloud_z), freq="D")
    clearness = _daily_clearness(solar, days, cloud_z)
    clearness_hourly = clearness[times.dayofyear - 1]
    weather = _site_weather(params, site, times, clearness_hourly)
    lat = float(_v(site["lat"]))
    configs = {
        "solar_utility_cf": (
            lat + float(_v(solar["utility_tilt_offset_deg"])),
            str(_v(solar["utility_temperature_model"])),
            float(_v(site["solar_utility_flh"])),
        ),
        "solar_rooftop_cf": (
            float(_v(solar["rooftop_tilt_deg"])),
            str(_v(solar["rooftop_temperature_model"])),
            float(_v(site["solar_rooftop_flh"])),
        ),
    }
    out: dict[str, np.ndarray] = {}
    for series, (tilt, tmodel, target) in configs.items():
        raw = _pv_raw_output(solar, weather, tilt, tmodel)
        cf, scale = _scale_to_flh(raw, target, f"{jurisdiction}/{series}")
        LOGGER.info(
            "%s %s: tilt %.1f deg, unscaled FLH %.1f h, scale %.4f, capped hours %d, FLH %.2f h",
            jurisdiction, series, tilt, raw.sum(), scale, int(np.count_nonzero(cf >= 1.0)), cf.sum(),
        )
        out[series] = cf
    return out


# --------------------------------------------------------------------------------------
# Wind
# --------------------------------------------------------------------------------------
def _power_curve(speed: np.ndarray, wind: Mapping[str, Any]) -> np.ndarray:
    """Generic turbine power curve, per unit of rated power."""
    v_in, v_r, v_out = (float(_v(wind[k])) for k in ("cut_in_ms", "rated_ms", "cut_out_ms"))
    expo = float(_v(wind["power_curve_exponent"]))
    partial = (speed**expo - v_in**expo) / (v_r**expo - v_in**expo)
    power = np.where(speed < v_in, 0.0, np.where(speed < v_r, partial, 1.0))
    return np.where(speed >= v_out, 0.0, power)


def _wind_profile(
    params: Mapping[str, Any],
    site: Mapping[str, Any],
    times: pd.DatetimeIndex,
    wind_z: np.ndarray,
    jurisdiction: str,
) -> np.ndarray:
    """Onshore wind capacity factors of one site, Weibull scale calibrated to the FLH."""
    wind = params["wind"]
    k = float(_v(wind["weibull_k"]))
    # Weibull(k, scale 1) variate from the Gaussian anomaly: -ln(1 - Phi(z)) ~ Exp(1).
    unit_weibull = (-log_ndtr(-wind_z)) ** (1.0 / k)
    seasonal = _monthly(_v(wind["seasonal_scale_monthly"]), "seasonal_scale_monthly")[times.month - 1]
    seasonal = seasonal / seasonal.mean()
    amp = float(_v(wind["diurnal_amplitude"]))
    peak = float(_v(wind["diurnal_peak_hour"]))
    diurnal = 1.0 + amp * np.cos(2.0 * np.pi * (times.hour.to_numpy() + 0.5 - peak) / 24.0)
    shape = unit_weibull * seasonal * diurnal

    def flh(scale: float) -> float:
        """Full-load hours for Weibull scale ``scale`` (m/s)."""
        return float(_power_curve(scale * shape, wind).sum())

    target = float(_v(site["wind_onshore_flh"]))
    lo, hi = (float(x) for x in _v(wind["scale_search_bounds_ms"]))
    scale = _bisect(flh, target, lo, hi, f"{jurisdiction}/wind_onshore_cf")
    speed = scale * shape
    cf = _power_curve(speed, wind)
    LOGGER.info(
        "%s wind_onshore_cf: Weibull scale %.3f m/s, mean speed %.2f m/s, FLH %.2f h",
        jurisdiction, scale, speed.mean(), cf.sum(),
    )
    return cf


# --------------------------------------------------------------------------------------
# Demand, hydro, price
# --------------------------------------------------------------------------------------
def _monthly_diurnal_shapes(demand: Mapping[str, Any]) -> np.ndarray:
    """12 x 24 diurnal shapes (each normalised to a daily mean of 1) by anchor interpolation."""
    profiles = {name: np.asarray(p, dtype=float) for name, p in _v(demand["diurnal_profiles"]).items()}
    anchors = sorted((int(m), str(name)) for m, name in _v(demand["diurnal_anchor_months"]).items())
    if not anchors:
        raise ValueError("diurnal_anchor_months is empty")
    # Cyclic extension: the first anchor is repeated 12 months later.
    ext = [*anchors, (anchors[0][0] + 12, anchors[0][1])]
    shapes = np.empty((12, 24))
    for month in range(1, 13):
        m = month if month >= anchors[0][0] else month + 12
        for (m0, n0), (m1, n1) in zip(ext[:-1], ext[1:]):
            if m0 <= m <= m1:
                w = 0.0 if m1 == m0 else (m - m0) / (m1 - m0)
                shape = (1.0 - w) * profiles[n0] + w * profiles[n1]
                break
        else:  # pragma: no cover - the cyclic extension covers all months
            raise ValueError(f"month {month} not covered by diurnal anchors")
        if shape.shape != (24,):
            raise ValueError("diurnal profiles must have 24 values")
        shapes[month - 1] = shape / shape.mean()
    return shapes


def _calendar_factors(demand: Mapping[str, Any], times: pd.DatetimeIndex) -> np.ndarray:
    """Weekend and holiday load multipliers (holiday replaces weekend)."""
    factors = np.where(times.dayofweek >= 5, float(_v(demand["weekend_factor"])), 1.0)
    dates = times.tz_localize(None).normalize()
    for holiday in _v(demand["holidays"]):
        start, end = pd.Timestamp(holiday["start"]), pd.Timestamp(holiday["end"])
        mask = (dates >= start) & (dates <= end)
        factors = np.where(mask, float(holiday["factor"]), factors)
    return factors


def _demand_profile(
    params: Mapping[str, Any],
    site: Mapping[str, Any],
    times: pd.DatetimeIndex,
    rng: np.random.Generator,
) -> np.ndarray:
    """Normalised hourly demand (mean 1) of one jurisdiction."""
    demand = params["demand"]
    month_idx = times.month.to_numpy() - 1
    monthly_mean = _monthly(_v(demand["monthly_mean_mw"]), "monthly_mean_mw")
    shapes = _monthly_diurnal_shapes(demand)
    load = monthly_mean[month_idx] * shapes[month_idx, times.hour.to_numpy()]
    load = load * _calendar_factors(demand, times)
    if bool(_v(demand["preserve_monthly_means"])):
        for m in range(12):
            mask = month_idx == m
            load[mask] *= monthly_mean[m] / load[mask].mean()
    load = load / load.mean()
    w = float(_v(site["industrial_weight"]))
    if not 0.0 <= w <= 1.0:
        raise ValueError(f"industrial_weight must be in [0, 1], got {w}")
    load = (1.0 - w) * load + w
    clip = float(_v(demand["noise_clip"]))
    noise = np.clip(float(_v(demand["noise_sd"])) * rng.standard_normal(len(load)), -clip, clip)
    load = load * (1.0 + noise)
    return load / load.mean()


def _hydro_profile(params: Mapping[str, Any], site: Mapping[str, Any], times: pd.DatetimeIndex) -> np.ndarray:
    """Run-of-river hydro capacity factor, flat within months, annual mean = ``hydro_cf``."""
    shape = _monthly(_v(params["hydro"]["monthly_shape"]), "hydro.monthly_shape")[times.month - 1]
    cf = shape / shape.mean() * float(_v(site["hydro_cf"]))
    if cf.max() > 1.0:
        raise ValueError("hydro capacity factor exceeds 1; lower hydro_cf or flatten the shape")
    return cf


def _import_price_profile(params: Mapping[str, Any], times: pd.DatetimeIndex) -> np.ndarray:
    """Time-of-use purchase-price multipliers, normalised to an annual mean of 1."""
    price = params["import_price"]
    windows = _v(price["hour_windows"])
    mult = _v(price["multipliers"])
    by_hour = np.full(24, np.nan)
    for period, hours in windows.items():
        for h in hours:
            if not np.isnan(by_hour[int(h)]):
                raise ValueError(f"hour {h} assigned to more than one TOU period")
            by_hour[int(h)] = float(mult[period])
    if np.isnan(by_hour).any():
        raise ValueError(f"TOU hours without a period: {np.flatnonzero(np.isnan(by_hour)).tolist()}")
    hours = times.hour.to_numpy()
    values = by_hour[hours]
    critical = _v(price["critical_peak"])
    if bool(critical["enabled"]):
        mask = np.isin(times.month.to_numpy(), critical["months"]) & np.isin(hours, critical["hours"])
        values = np.where(mask, float(critical["multiplier"]), values)
    return values / values.mean() * float(_v(price["normalise_to_annual_mean"]))


# --------------------------------------------------------------------------------------
# Documentation (sources.csv)
# --------------------------------------------------------------------------------------
def _series_sources(params: Mapping[str, Any], jurisdiction: str) -> dict[str, str]:
    """One source/method string per series, built from the parameter ``source`` strings."""
    site = params["jurisdictions"][jurisdiction]
    solar, wind, demand = params["solar"], params["wind"], params["demand"]
    hydro, price, regional = params["hydro"], params["import_price"], params["regional_weather"]
    year = _v(params["weather_year"])
    lat, lon = float(_v(site["lat"])), float(_v(site["lon"]))
    coords = f"site {lat:.4f} N {lon:.4f} E ({_s(site['lat'])})"
    weather = (
        f"seeded AR(1) daily clearness ratio around monthly means {_v(solar['clearness_monthly_mean'])} "
        f"({_s(solar['clearness_monthly_mean'])}), sd {_v(solar['clearness_daily_sd'])}, "
        f"phi {_v(solar['clearness_ar1_phi'])}, regional share {_v(regional['cloud_regional_share'])}, "
        f"monthly means matched: {_v(solar['clearness_match_monthly_means'])}"
    )
    pv_common = (
        f"pvlib {_v(solar['clearsky_model'])} clear-sky with shipped Linke turbidity at {coords}, weather year {year}; "
        f"{weather}; {_v(solar['decomposition_model'])} decomposition, {_v(solar['transposition_model'])} "
        f"transposition, SAPM cell temperature, PVWatts DC (losses {_v(solar['dc_losses'])}) and inverter "
        f"(DC/AC {_v(solar['dc_ac_ratio'])}); capacity factor per unit DC"
    )
    utility_tilt = lat + float(_v(solar["utility_tilt_offset_deg"]))
    holidays = "; ".join(
        f"{h['name']} {h['start']}..{h['end']} x{h['factor']}" for h in _v(demand["holidays"])
    )
    crit = _v(price["critical_peak"])
    crit_txt = (
        f"critical peak x{crit['multiplier']} in months {crit['months']} hours {crit['hours']} ({_s(price['critical_peak'])})"
        if crit["enabled"]
        else "no critical peak"
    )
    return {
        "demand_pu": (
            f"estimate: Hunan hourly load shape, monthly means ({_s(demand['monthly_mean_mw'])}) x diurnal profiles "
            f"({_s(demand['diurnal_profiles'])}) interpolated ({_s(demand['diurnal_anchor_months'])}); "
            f"weekend x{_v(demand['weekend_factor'])}, holidays {holidays} ({_s(demand['holidays'])}); "
            f"monthly means preserved: {_v(demand['preserve_monthly_means'])}; industrial flattening weight "
            f"{_v(site['industrial_weight'])} ({_s(site['industrial_weight'])}); seeded noise sd "
            f"{_v(demand['noise_sd'])} clipped +/-{_v(demand['noise_clip'])}; normalised to annual mean 1.0"
        ),
        "solar_utility_cf": (
            f"estimate: {pv_common}; fixed tilt {utility_tilt:.1f} deg azimuth {_v(solar['azimuth_deg'])}, "
            f"{_v(solar['utility_temperature_model'])}; scaled (capped at 1) to {_v(site['solar_utility_flh'])} "
            f"full-load h/yr ({_s(site['solar_utility_flh'])})"
        ),
        "solar_rooftop_cf": (
            f"estimate: {pv_common}; fixed tilt {_v(solar['rooftop_tilt_deg'])} deg azimuth {_v(solar['azimuth_deg'])}, "
            f"{_v(solar['rooftop_temperature_model'])}; scaled (capped at 1) to {_v(site['solar_rooftop_flh'])} "
            f"full-load h/yr ({_s(site['solar_rooftop_flh'])})"
        ),
        "wind_onshore_cf": (
            f"estimate: synthetic seeded AR(1) (phi {_v(wind['ar1_phi_hourly'])}, regional share "
            f"{_v(regional['wind_regional_share'])}) Gaussian process mapped to Weibull k={_v(wind['weibull_k'])} wind "
            f"speeds with monthly scale factors {_v(wind['seasonal_scale_monthly'])} ({_s(wind['seasonal_scale_monthly'])}) "
            f"and diurnal amplitude {_v(wind['diurnal_amplitude'])}, generic power curve cut-in {_v(wind['cut_in_ms'])} / "
            f"rated {_v(wind['rated_ms'])} / cut-out {_v(wind['cut_out_ms'])} m/s; Weibull scale calibrated by bisection to "
            f"{_v(site['wind_onshore_flh'])} full-load h/yr ({_s(site['wind_onshore_flh'])})"
        ),
        "hydro_cf": (
            f"estimate: monthly run-of-river shape {_v(hydro['monthly_shape'])} ({_s(hydro['monthly_shape'])}), "
            f"flat within months, annual capacity factor {_v(site['hydro_cf'])} ({_s(site['hydro_cf'])})"
        ),
        "import_price_pu": (
            f"estimate: time-of-use multipliers {_v(price['multipliers'])} ({_s(price['multipliers'])}) on hour windows "
            f"{_v(price['hour_windows'])} ({_s(price['hour_windows'])}); {crit_txt}; normalised to annual mean "
            f"{_v(price['normalise_to_annual_mean'])}"
        ),
    }


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------
def _write_profile_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a profile table with a fixed float format and ``\\n`` line endings."""
    fmt = ",".join(["{:d}"] + ["{:." + str(DECIMALS) + "f}"] * len(SERIES))
    lines = [",".join(COLUMNS)]
    hours = df["hour"].to_numpy()
    values = df[list(SERIES)].to_numpy()
    lines.extend(fmt.format(int(h), *row) for h, row in zip(hours, values))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")


def _write_sources_csv(params: Mapping[str, Any], path: Path) -> None:
    """Write ``sources.csv`` (jurisdiction, series, source) generated from the parameters."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["jurisdiction", "series", "source"])
        for jurisdiction in JURISDICTIONS:
            sources = _series_sources(params, jurisdiction)
            for series in SERIES:
                writer.writerow([jurisdiction, series, sources[series]])


def generate_profiles(params_path: Path, out_dir: Path) -> dict[str, pd.DataFrame]:
    """Generate and write the hourly profiles of all jurisdictions.

    Writes ``out_dir/<jurisdiction>.csv`` (columns :data:`COLUMNS`, 8,760 rows, floats with
    5 decimals) for every jurisdiction and ``out_dir/sources.csv``.

    Args:
        params_path: Path of ``profile_params.yaml``.
        out_dir: Output directory (created if missing).

    Returns:
        Mapping jurisdiction id -> DataFrame with the values exactly as written.
    """
    params = load_params(Path(params_path))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    times = _hourly_index(int(_v(params["weather_year"])), str(_v(params["timezone"])))
    n_days = HOURS_PER_YEAR // 24

    regional = params["regional_weather"]
    reg_cloud_ss, reg_wind_ss = np.random.SeedSequence(int(_v(regional["regional_seed"]))).spawn(2)
    cloud_phi = float(_v(params["solar"]["clearness_ar1_phi"]))
    wind_phi = float(_v(params["wind"]["ar1_phi_hourly"]))
    reg_cloud = _ar1(np.random.default_rng(reg_cloud_ss), n_days, cloud_phi)
    reg_wind = _ar1(np.random.default_rng(reg_wind_ss), HOURS_PER_YEAR, wind_phi)
    price = _round(_import_price_profile(params, times))
    hour = np.arange(HOURS_PER_YEAR, dtype=np.int64)

    results: dict[str, pd.DataFrame] = {}
    for jurisdiction in JURISDICTIONS:
        site = params["jurisdictions"][jurisdiction]
        cloud_ss, wind_ss, demand_ss = np.random.SeedSequence(int(_v(site["seed"]))).spawn(3)
        cloud_z = _mix(
            reg_cloud,
            _ar1(np.random.default_rng(cloud_ss), n_days, cloud_phi),
            float(_v(regional["cloud_regional_share"])),
        )
        wind_z = _mix(
            reg_wind,
            _ar1(np.random.default_rng(wind_ss), HOURS_PER_YEAR, wind_phi),
            float(_v(regional["wind_regional_share"])),
        )
        solar = _solar_profiles(params, site, times, cloud_z, jurisdiction)
        columns: dict[str, np.ndarray] = {
            "hour": hour,
            "demand_pu": _round_preserving_mean(
                _demand_profile(params, site, times, np.random.default_rng(demand_ss))
            ),
            "solar_utility_cf": _round(solar["solar_utility_cf"]),
            "solar_rooftop_cf": _round(solar["solar_rooftop_cf"]),
            "wind_onshore_cf": _round(_wind_profile(params, site, times, wind_z, jurisdiction)),
            "hydro_cf": _round(_hydro_profile(params, site, times)),
            "import_price_pu": price.copy(),
        }
        df = pd.DataFrame(columns, columns=list(COLUMNS))
        if df[list(SERIES)].isna().any().any():
            raise ValueError(f"{jurisdiction}: NaN in generated profiles")
        path = out_dir / f"{jurisdiction}.csv"
        _write_profile_csv(df, path)
        LOGGER.info(
            "wrote %s (demand mean %.6f, FLH utility %.1f rooftop %.1f wind %.1f hydro %.1f)",
            path, df["demand_pu"].mean(), df["solar_utility_cf"].sum(), df["solar_rooftop_cf"].sum(),
            df["wind_onshore_cf"].sum(), df["hydro_cf"].sum(),
        )
        results[jurisdiction] = df
    sources_path = out_dir / "sources.csv"
    _write_sources_csv(params, sources_path)
    LOGGER.info("wrote %s", sources_path)
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m peakplan.profiles [--params P] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m peakplan.profiles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", type=Path, default=DEFAULT_PARAMS, help=f"parameter file (default: {DEFAULT_PARAMS})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})")
    parser.add_argument("--log-level", default="INFO", help="logging level (default: INFO)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    generate_profiles(args.params, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
