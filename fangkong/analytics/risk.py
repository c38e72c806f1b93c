"""County risk ratings: the risk level of R15 (分区分级) and the five-colour map of R16 (五色图).

Pure functions over plain values; every threshold sits in a frozen parameter set with the
date it takes effect and its source, so the briefing applies the set in force on the
day it rates and can show why a county has its level or colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fangkong.analytics.inputs import AnalyticsInputError


class RiskLevel(StrEnum):
    """County risk level (低/中/高风险)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Measure(StrEnum):
    """Strategy elements attached to a risk level."""

    PREVENT_IMPORT = "prevent_import"  # 外防输入
    PREVENT_SPREAD = "prevent_spread"  # 内防扩散
    PREVENT_EXPORT = "prevent_export"  # 外防输出
    STRICT_CONTROL = "strict_control"  # 严格管控


STRATEGY: dict[RiskLevel, tuple[Measure, ...]] = {
    RiskLevel.LOW: (Measure.PREVENT_IMPORT,),
    RiskLevel.MEDIUM: (Measure.PREVENT_IMPORT, Measure.PREVENT_SPREAD),
    RiskLevel.HIGH: (Measure.PREVENT_SPREAD, Measure.PREVENT_EXPORT, Measure.STRICT_CONTROL),
}


@dataclass(frozen=True)
class CountyRiskParams:
    """Thresholds of R15, dated."""

    effective_from: date
    source: str
    quiet_days_for_low: int = 14  # no new case for this many days -> low
    cumulative_above: int = 50  # high needs cumulative confirmed above this ...
    cluster_window_days: int = 14  # ... and a cluster within this many days


COUNTY_RISK_2020 = CountyRiskParams(
    effective_from=date(2020, 2, 17),
    source="State Council joint prevention and control mechanism, guidance on "
    "zoned and graded prevention and control, 2020-02-17",
)


@dataclass(frozen=True)
class CountyRisk:
    level: RiskLevel
    strategy: tuple[Measure, ...]
    reason: str


def _check_counts(**values: int | None) -> None:
    for name, value in values.items():
        if value is not None and value < 0:
            raise AnalyticsInputError(f"{name} must be >= 0 (got {value})")


def county_risk_level(
    *,
    days_since_last_case: int | None,
    cumulative_confirmed: int,
    clusters_in_window: int,
    params: CountyRiskParams = COUNTY_RISK_2020,
) -> CountyRisk:
    """R15: low = no new case for 14 days (or none ever); high = cumulative > 50 and a
    cluster within 14 days; otherwise medium.

    `days_since_last_case` is today minus the report date of the latest confirmed case
    (None when the county never had one); `clusters_in_window` counts clusters that had
    a case in the last `cluster_window_days` days.
    """
    _check_counts(
        days_since_last_case=days_since_last_case,
        cumulative_confirmed=cumulative_confirmed,
        clusters_in_window=clusters_in_window,
    )
    if days_since_last_case is None or days_since_last_case >= params.quiet_days_for_low:
        level = RiskLevel.LOW
        reason = f"no new confirmed case for {params.quiet_days_for_low} days"
    elif cumulative_confirmed > params.cumulative_above and clusters_in_window > 0:
        level = RiskLevel.HIGH
        reason = (
            f"{cumulative_confirmed} cumulative confirmed (> {params.cumulative_above}) and "
            f"{clusters_in_window} cluster(s) within {params.cluster_window_days} days"
        )
    else:
        level = RiskLevel.MEDIUM
        reason = f"new confirmed case within {params.quiet_days_for_low} days"
    return CountyRisk(level=level, strategy=STRATEGY[level], reason=reason)


class Colour(StrEnum):
    """Five-colour map, from lowest to highest risk."""

    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


COLOURS_ASCENDING: tuple[Colour, ...] = (
    Colour.GREEN,
    Colour.BLUE,
    Colour.YELLOW,
    Colour.ORANGE,
    Colour.RED,
)


@dataclass(frozen=True)
class FiveColourParams:
    """Weights, cut-offs and easing of R16, dated.

    Score = weighted mean of three components in [0, 1]: cumulative confirmed (saturating
    at `cumulative_full`), the share of local cases among them, and clusters (saturating
    at `clusters_full`). A county with no confirmed case is green, one with any is at
    least blue; `cutoffs` are the lowest scores of yellow, orange and red. `easing` lists (days without a new case, levels
    down): the colour drops by the largest step whose days have passed.
    """

    effective_from: date
    source: str
    weight_cumulative: float = 0.4
    weight_local_share: float = 0.3
    weight_clusters: float = 0.3
    cumulative_full: int = 50
    clusters_full: int = 3
    cutoffs: tuple[float, float, float] = (0.25, 0.5, 0.75)
    easing: tuple[tuple[int, int], ...] = ((3, 1), (7, 2))
    # 0: cumulative confirmed; N > 0: new confirmed of the last N days (the re-assessment
    # on the last week's cases, from 2020-02-12).
    count_days: int = 0
    # R15's ordering kept by bands: a medium-risk county is at most `medium_max`, a
    # high-risk one at least `high_min` (indexes into COLOURS_ASCENDING).
    medium_max: int = 3
    high_min: int = 3

    def __post_init__(self) -> None:
        weights = (self.weight_cumulative, self.weight_local_share, self.weight_clusters)
        if min(weights) < 0 or sum(weights) <= 0:
            raise AnalyticsInputError("weights must be >= 0 and not all 0")
        if self.cumulative_full <= 0 or self.clusters_full <= 0:
            raise AnalyticsInputError("saturation counts must be > 0")
        if len(self.cutoffs) != 3 or list(self.cutoffs) != sorted(self.cutoffs):
            raise AnalyticsInputError("three ascending cut-offs are needed (yellow, orange, red)")
        if any(days < 0 or steps < 0 for days, steps in self.easing):
            raise AnalyticsInputError("easing days and steps must be >= 0")
        if not (0 <= self.medium_max <= 4 and 0 <= self.high_min <= 4):
            raise AnalyticsInputError("colour bands are indexes 0 (green) to 4 (red)")


# Zhejiang published the indicators (cumulative confirmed, share of local cases,
# clusters) and the easing after 3 and 7 days without a new case, not numeric weights:
# these defaults are the platform's, for headquarters to replace with a dated set.
FIVE_COLOUR_2020 = FiveColourParams(
    effective_from=date(2020, 2, 9),
    source="Zhejiang county epidemic risk five-colour map, from 2020-02-09 "
    "(weights and cut-offs: platform defaults)",
)


@dataclass(frozen=True)
class ColourRating:
    colour: Colour
    base_colour: Colour  # before easing
    score: float
    components: dict[str, float]
    eased_by: int  # levels dropped for days without a new case
    reason: str


def five_colour_rating(
    *,
    cumulative_confirmed: int,
    local_cases: int,
    clusters: int,
    days_since_last_case: int | None,
    params: FiveColourParams = FIVE_COLOUR_2020,
    level: RiskLevel | None = None,
) -> ColourRating:
    """R16: the colour of one county (or town) from its figures, eased by quiet days, and
    kept in the band of its R15 `level` when given (a high-risk county is never rated
    below a medium-risk one)."""
    _check_counts(
        cumulative_confirmed=cumulative_confirmed,
        local_cases=local_cases,
        clusters=clusters,
        days_since_last_case=days_since_last_case,
    )
    if local_cases > cumulative_confirmed:
        raise AnalyticsInputError("local cases cannot exceed cumulative confirmed cases")
    components = {
        "cumulative": min(cumulative_confirmed / params.cumulative_full, 1.0),
        "local_share": local_cases / cumulative_confirmed if cumulative_confirmed else 0.0,
        "clusters": min(clusters / params.clusters_full, 1.0),
    }
    weights = {
        "cumulative": params.weight_cumulative,
        "local_share": params.weight_local_share,
        "clusters": params.weight_clusters,
    }
    score = sum(weights[k] * components[k] for k in components) / sum(weights.values())
    base = 0 if cumulative_confirmed == 0 else 1 + sum(score >= c for c in params.cutoffs)
    eased = _easing_steps(days_since_last_case, params.easing) if cumulative_confirmed else 0
    final = max(base - eased, 0)
    if level == RiskLevel.MEDIUM:
        final = min(final, params.medium_max)
    elif level == RiskLevel.HIGH:
        final = max(final, params.high_min)
    colour = COLOURS_ASCENDING[final]
    reason = f"score {score:.2f} gives {COLOURS_ASCENDING[base].value}"
    if eased and final != base:
        reason += f", eased after {days_since_last_case} days without a new case"
    if level is not None and final != max(base - eased, 0):
        reason += f", kept in the band of {level.value} risk (R15)"
    return ColourRating(
        colour=colour,
        base_colour=COLOURS_ASCENDING[base],
        score=score,
        components=components,
        eased_by=max(base - final, 0),
        reason=reason,
    )


def _easing_steps(days_since_last_case: int | None, easing: Sequence[tuple[int, int]]) -> int:
    if days_since_last_case is None:
        return 0
    passed = [steps for days, steps in easing if days_since_last_case >= days]
    return max(passed, default=0)


def ordering_violations(
    params: FiveColourParams,
    county: CountyRiskParams = COUNTY_RISK_2020,
    max_cases: int = 120,
) -> list[tuple[dict[str, int], dict[str, int]]]:
    """R16 must keep R15's ordering: over a grid of county figures, every pair (medium
    input, high input) where the high-risk county gets a LOWER colour. Empty when the
    parameter set is consistent (the check the default set passes, and every set
    headquarters saves)."""
    grid = []
    for cumulative in sorted({0, 1, 2, 5, 10, 30, 50, 51, 80, max_cases}):
        for local in sorted({0, cumulative // 2, cumulative}):
            for clusters in (0, 1, 3, 6):
                for quiet in (None, 0, 3, 7, 13, 14, 30):
                    grid.append((cumulative, local, clusters, quiet))
    lowest_high: tuple[int, dict[str, int]] | None = None
    highest_medium: tuple[int, dict[str, int]] | None = None
    for cumulative, local, clusters, quiet in grid:
        lv = county_risk_level(
            days_since_last_case=quiet,
            cumulative_confirmed=cumulative,
            clusters_in_window=clusters,
            params=county,
        ).level
        if lv == RiskLevel.LOW:
            continue
        rating = five_colour_rating(
            cumulative_confirmed=cumulative,
            local_cases=local,
            clusters=clusters,
            days_since_last_case=quiet,
            params=params,
            level=lv,
        )
        rank = COLOURS_ASCENDING.index(rating.colour)
        figures = {"cumulative": cumulative, "local": local, "clusters": clusters}
        figures["quiet_days"] = -1 if quiet is None else quiet
        if lv == RiskLevel.HIGH and (lowest_high is None or rank < lowest_high[0]):
            lowest_high = (rank, figures)
        if lv == RiskLevel.MEDIUM and (highest_medium is None or rank > highest_medium[0]):
            highest_medium = (rank, figures)
    if lowest_high and highest_medium and lowest_high[0] < highest_medium[0]:
        return [(highest_medium[1], lowest_high[1])]
    return []
