"""Finance helpers: capital recovery factor, discount factors, years represented by milestones."""

from __future__ import annotations


def crf(rate: float, lifetime_yr: float) -> float:
    """Capital recovery factor: the annuity per unit of overnight capex.

    >>> round(crf(0.08, 25), 6)
    0.093679
    >>> crf(0.0, 20)
    0.05
    """
    if lifetime_yr <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / lifetime_yr
    return rate / (1.0 - (1.0 + rate) ** (-lifetime_yr))


def discount_factor(rate: float, year: int, base_year: int) -> float:
    """DF_y = (1 + r)^-(y - base_year).

    >>> round(discount_factor(0.08, 2030, 2020), 6)
    0.463193
    """
    return (1.0 + rate) ** (-(year - base_year))


def years_represented(years: tuple[int, ...], last: int = 5) -> dict[int, int]:
    """n_y: calendar years each milestone stands for, up to the next milestone (the last: ``last``).

    >>> years_represented((2025, 2030))
    {2025: 5, 2030: 5}
    >>> years_represented((2025, 2030, 2035))
    {2025: 5, 2030: 5, 2035: 5}
    >>> years_represented((2025, 2027))
    {2025: 2, 2027: 5}
    """
    ys = sorted(years)
    return {y: (ys[i + 1] - y if i + 1 < len(ys) else last) for i, y in enumerate(ys)}
