"""Briefing rules as plain functions: the cut-off of a day and the change since yesterday."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.analytics import risk

# Sources of the risk ratings (issue #15, item 6).
# Shown on the rules page in the reader's language (the Chinese is in the catalogue).
SOURCES = {
    "R15": _(
        "国务院联防联控机制《关于科学防治精准施策分区分级做好新冠肺炎疫情防控工作的指导意见》"
        "(2020-02-17): 低风险 = 无确诊病例或连续14天无新增确诊病例; 高风险 = 累计确诊病例超过50例，"
        "14天内有聚集性疫情发生; 其余为中风险. Applied exactly (analytics.risk.COUNTY_RISK_2020)."
    ),
    "R16": _(
        "浙江省县域疫情风险五色图 (from 2020-02-09): indicators = cumulative confirmed, share "
        "of local cases, clusters; a county eases one colour after 3 and two after 7 days "
        "without a new case; from 2020-02-12 re-assessed on the confirmed cases of the last "
        "week. Weights, saturation counts, cut-offs and the R15 bands were NOT published: "
        "the defaults (RiskRules, migration briefing 0004) are the platform's assumption, "
        "edited by headquarters as dated rule sets."
    ),
    "R10": _(
        "国家卫健委《新型冠状病毒肺炎防控方案》: 聚集性疫情 = 14天内在小范围发现2例及以上病例; "
        "one definition (clinical.ClinicalRules.r10_cluster_threshold) for clinical and tracing."
    ),
}


def five_colour_params(r: Any) -> risk.FiveColourParams:
    """A stored R16 rule set (briefing.RiskRules) as the analytics parameter set; raises
    AnalyticsInputError for an inconsistent set."""
    return risk.FiveColourParams(
        effective_from=r.effective_from,
        source=r.note or "platform defaults",
        weight_cumulative=float(r.weight_cumulative),
        weight_local_share=float(r.weight_local_share),
        weight_clusters=float(r.weight_clusters),
        cumulative_full=int(r.cumulative_full),
        clusters_full=int(r.clusters_full),
        cutoffs=(float(r.cut_yellow), float(r.cut_orange), float(r.cut_red)),
        easing=((int(r.ease_one_days), 1), (int(r.ease_two_days), 2)),
        count_days=int(r.count_days),
        medium_max=int(r.medium_max),
        high_min=int(r.high_min),
    )


# Figures compared with yesterday's stored briefing: (section, key path).
CHANGE_KEYS: tuple[tuple[str, str], ...] = (
    ("confirmed", "cases.confirmed.cumulative"),
    ("suspected", "cases.suspected.cumulative"),
    ("asymptomatic", "cases.asymptomatic.cumulative"),
    ("deaths", "cases.deaths.cumulative"),
    ("discharged", "cases.discharged.cumulative"),
    ("rt", "epi.rt.latest.mean"),
    ("under_observation", "observation.open"),
    ("screening_open", "screening.open"),
    ("screening_overdue", "screening.overdue"),
    ("persons", "persons.total"),
)


def cutoff_of(day: dt.date, cutoff: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The briefing of `day` shows the figures as of `cutoff` on that day."""
    return dt.datetime.combine(day, cutoff, tzinfo=tz)


def dig(data: dict[str, Any], keys: str) -> Any:
    value: Any = data
    for k in keys.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


def change_since(today: dict[str, Any], yesterday: dict[str, Any] | None) -> dict[str, Any]:
    """Each compared figure today, yesterday and the difference (None when either is missing)."""
    out = {}
    for name, keys in CHANGE_KEYS:
        now = dig(today, keys)
        before = dig(yesterday, keys) if yesterday else None
        if now is None and before is None:
            continue
        delta = (
            now - before
            if isinstance(now, int | float) and isinstance(before, int | float)
            else None
        )
        out[name] = {
            "today": now,
            "yesterday": before,
            "delta": round(delta, 4) if delta is not None else None,
        }
    return out
