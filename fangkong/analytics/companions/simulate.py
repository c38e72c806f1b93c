"""A synthetic city with ground truth (合成城市): households in Shaoxing's real villages,
workplaces, school classes and venues placed in 800 m cells, everyone's day as stays,
venue scans, and an outbreak spreading through co-presence that records who infected
whom, where and when. Deterministic by seed; sized by parameters.

The data it writes is what an operator and the venue-code system would deliver: telecom
cell stays (setting 0) and venue scan stays (setting = venue type, key = venue key). The
truth (who infected whom) is written beside it for tests, never read by the job.
"""

import csv
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from fangkong.analytics.companions import VENUE_KEY_BASE, store

DIVISIONS = Path(__file__).resolve().parents[2] / "geo" / "data" / "divisions-shaoxing.csv"
CELL_KM = 0.8
# Rough positions (km, west→east, south→north) of the six county seats of Shaoxing.
COUNTY_CENTRES = {
    "330602": (62.0, 82.0),
    "330603": (45.0, 80.0),
    "330604": (88.0, 84.0),
    "330624": (102.0, 28.0),
    "330681": (28.0, 44.0),
    "330683": (86.0, 46.0),
}
HOME, WORK, SCHOOL, VENUE = 0, 1, 2, 3
KIND_NAMES = {HOME: "household", WORK: "workplace", SCHOOL: "school", VENUE: "venue"}
PLACE_BASE = 1_000_000_000  # internal place key = kind * PLACE_BASE + id
H = 3600


@dataclass
class CityParams:
    persons: int = 10_000
    days: int = 14
    seed: int = 1
    start: dt.date = dt.date(2020, 1, 20)
    index_cases: int = 0  # 0: one per 1,000 persons, at least 3
    household_mean: float = 2.7
    workplace_size: int = 20
    classes_per_school: int = 12
    persons_per_venue: int = 150
    visit_weekday: float = 0.25
    visit_weekend: float = 0.5
    scan_rate: float = 0.9  # share of venue visits that leave a scan
    # Transmission hazard per hour of co-presence, by kind of place.
    beta: dict[int, float] = field(
        default_factory=lambda: {HOME: 0.006, WORK: 0.002, SCHOOL: 0.002, VENUE: 0.02}
    )
    max_infections: int = 50_000  # the outbreak stops spreading here (keeps big runs fast)


@dataclass
class City:
    """Everyone's fixed attributes; arrays indexed by person id."""

    village: np.ndarray  # index into villages
    county: np.ndarray
    town: np.ndarray
    household: np.ndarray
    home_cell: np.ndarray
    role: np.ndarray  # 0 child, 1 worker, 2 at home
    workplace: np.ndarray
    work_cell: np.ndarray
    school_class: np.ndarray
    school_cell: np.ndarray
    venue_town_start: np.ndarray
    venue_town_count: np.ndarray
    venue_cell: np.ndarray
    venue_type: np.ndarray
    villages: list[str]


def read_villages() -> list[tuple[str, str, str]]:
    """(village, town, county) codes of Shaoxing's real villages and communities."""
    with DIVISIONS.open(encoding="utf-8") as fh:
        return [
            (r["code"], r["code"][:9], r["code"][:6])
            for r in csv.DictReader(fh)
            if r["level"] == "village"
        ]


def _cell(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ix = np.clip((x / CELL_KM).astype(np.int64), 0, 999)
    iy = np.clip((y / CELL_KM).astype(np.int64), 0, 999)
    return iy * 1000 + ix


def build_city(p: CityParams) -> City:
    rng = np.random.default_rng([p.seed, 0])
    rows = read_villages()
    counties = sorted({c for _, _, c in rows})
    towns = sorted({t for _, t, _ in rows})
    town_county = np.array([counties.index(t[:6]) for t in towns])
    cx = np.array([COUNTY_CENTRES.get(c, (65.0, 60.0))[0] for c in counties])
    cy = np.array([COUNTY_CENTRES.get(c, (65.0, 60.0))[1] for c in counties])
    tx = cx[town_county] + rng.normal(0, 9, len(towns))
    ty = cy[town_county] + rng.normal(0, 9, len(towns))
    v_town = np.array([towns.index(t) for _, t, _ in rows])
    vx = tx[v_town] + rng.normal(0, 2.5, len(rows))
    vy = ty[v_town] + rng.normal(0, 2.5, len(rows))

    n = p.persons
    # Households: consecutive runs of persons, each household in one village.
    sizes = 1 + rng.poisson(p.household_mean - 1, n)
    household = np.repeat(np.arange(n), sizes)[:n]
    n_house = int(household[-1]) + 1
    house_village = rng.integers(0, len(rows), n_house)
    village = house_village[household]
    hx = vx[house_village] + rng.normal(0, 0.6, n_house)
    hy = vy[house_village] + rng.normal(0, 0.6, n_house)
    home_cell = _cell(hx, hy)[household]
    town = v_town[village]
    county = town_county[town]

    u = rng.random(n)
    role = np.where(u < 0.15, 0, np.where(u < 0.75, 1, 2)).astype(np.int8)

    # Workplaces near town centres; a worker works in a workplace of the home county.
    n_work = max(len(counties), int((role == 1).sum()) // p.workplace_size + 1)
    w_town = rng.integers(0, len(towns), n_work)
    w_cell = _cell(tx[w_town] + rng.normal(0, 1.5, n_work), ty[w_town] + rng.normal(0, 1.5, n_work))
    w_county = town_county[w_town]
    order = np.argsort(w_county, kind="stable")
    w_start = np.searchsorted(w_county[order], np.arange(len(counties)))
    w_count = np.bincount(w_county, minlength=len(counties))
    has = w_count[county] > 0
    pick = w_start[county] + (rng.random(n) * np.maximum(w_count[county], 1)).astype(np.int64)
    workplace = np.where((role == 1) & has, order[np.minimum(pick, n_work - 1)], -1)
    work_cell = np.where(workplace >= 0, w_cell[np.maximum(workplace, 0)], -1)

    # One school per town at its centre, with classes.
    school_class = np.where(
        role == 0, town * p.classes_per_school + rng.integers(0, p.classes_per_school, n), -1
    )
    school_cell = np.where(role == 0, _cell(tx, ty)[town], -1)

    # Venues, grouped by town so a visit can pick one nearby.
    n_venue = max(len(towns), n // p.persons_per_venue)
    v_town_of = np.concatenate(
        [np.arange(len(towns)), rng.integers(0, len(towns), n_venue - len(towns))]
    )
    v_town_of.sort()
    venue_cell = _cell(
        tx[v_town_of] + rng.normal(0, 1.5, n_venue), ty[v_town_of] + rng.normal(0, 1.5, n_venue)
    )
    venue_type = rng.choice([1, 2, 3, 4, 5], n_venue, p=[0.35, 0.2, 0.3, 0.05, 0.1]).astype(
        np.int32
    )
    return City(
        village=village,
        county=county,
        town=town,
        household=household,
        home_cell=home_cell,
        role=role,
        workplace=workplace,
        work_cell=work_cell,
        school_class=school_class,
        school_cell=school_cell,
        venue_town_start=np.searchsorted(v_town_of, np.arange(len(towns))),
        venue_town_count=np.bincount(v_town_of, minlength=len(towns)),
        venue_cell=venue_cell,
        venue_type=venue_type,
        villages=[r[0] for r in rows],
    )


def day_stays(city: City, p: CityParams, day: int) -> dict[str, np.ndarray]:
    """Everyone's stays of one day: person, kind, place, cell, t_in, t_out (seconds of day)."""
    rng = np.random.default_rng([p.seed, 1, day])
    n = len(city.role)
    weekday = (p.start + dt.timedelta(days=day)).weekday() < 5
    goes = (city.role != 2) & weekday & ((city.workplace >= 0) | (city.role == 0))
    leave = (7 * H + rng.random(n) * 1.5 * H).astype(np.int64)
    arrive = leave + (600 + rng.random(n) * 1800).astype(np.int64)
    depart = np.where(city.role == 0, 16 * H, 17 * H) + (rng.random(n) * 1.5 * H).astype(np.int64)
    back = depart + (600 + rng.random(n) * 1800).astype(np.int64)
    visit = rng.random(n) < (p.visit_weekday if weekday else p.visit_weekend)
    v_start = np.where(
        goes,
        back + (1800 + rng.random(n) * 1.5 * H).astype(np.int64),
        (8 * H + rng.random(n) * 10 * H).astype(np.int64),
    )
    v_end = v_start + (1200 + rng.random(n) * 4200).astype(np.int64)
    visit &= v_end < 23 * H
    t_count = city.venue_town_count[city.town]
    venue = city.venue_town_start[city.town] + (rng.random(n) * t_count).astype(np.int64)
    far = rng.random(n) < 0.2
    venue = np.where(far, rng.integers(0, len(city.venue_cell), n), venue)

    ids = np.arange(n, dtype=np.int64)
    home_key = HOME * PLACE_BASE + city.household
    out_key = np.where(
        city.role == 0, SCHOOL * PLACE_BASE + city.school_class, WORK * PLACE_BASE + city.workplace
    )
    out_cell = np.where(city.role == 0, city.school_cell, city.work_cell)
    out_kind = np.where(city.role == 0, SCHOOL, WORK)
    venue_key = VENUE * PLACE_BASE + venue
    end_of_day = np.full(n, 24 * H, dtype=np.int64)
    zero = np.zeros(n, dtype=np.int64)
    first_end = np.where(goes, leave, np.where(visit, v_start, end_of_day))
    blocks = [
        (np.ones(n, bool), HOME, home_key, city.home_cell, zero, first_end),
        (goes, out_kind, out_key, out_cell, arrive, depart),
        (goes, HOME, home_key, city.home_cell, back, np.where(visit, v_start, end_of_day)),
        (visit, VENUE, venue_key, city.venue_cell[venue], v_start, v_end),
        (visit, HOME, home_key, city.home_cell, v_end, end_of_day),
    ]
    # A person who goes out and visits has home, out, home, venue, home; one who stays has
    # home, venue, home. The block list above covers both: block 5 follows any visit.
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("person", "kind", "place", "cell", "a", "b")
    }
    for mask, kind, key, cell, a, b in blocks:
        m = mask & (np.asarray(b) > np.asarray(a))
        parts["person"].append(ids[m])
        parts["kind"].append(np.broadcast_to(np.asarray(kind), n)[m].astype(np.int8))
        parts["place"].append(np.asarray(key)[m])
        parts["cell"].append(np.asarray(cell)[m])
        parts["a"].append(np.asarray(a)[m])
        parts["b"].append(np.asarray(b)[m])
    out = {k: np.concatenate(v) for k, v in parts.items()}
    out["scan"] = (out["kind"] == VENUE) & (rng.random(len(out["kind"])) < p.scan_rate)
    return out


@dataclass
class Outbreak:
    infected_at: np.ndarray  # -1: never
    infected_by: np.ndarray
    onset: np.ndarray
    inf_from: np.ndarray
    inf_to: np.ndarray  # isolation
    events: list[tuple] = field(default_factory=list)


def seed_outbreak(p: CityParams, t0: int) -> Outbreak:
    rng = np.random.default_rng([p.seed, 2])
    n = p.persons
    k = p.index_cases or max(3, n // 1000)
    ob = Outbreak(
        infected_at=np.full(n, -1, np.int64),
        infected_by=np.full(n, -1, np.int64),
        onset=np.full(n, -1, np.int64),
        inf_from=np.full(n, -1, np.int64),
        inf_to=np.full(n, -1, np.int64),
    )
    index = rng.choice(n, size=min(k, n), replace=False)
    onset = t0 + (rng.random(len(index)) * 3 * store.DAY).astype(np.int64) + store.DAY
    ob.onset[index] = onset
    ob.infected_at[index] = onset - 5 * store.DAY
    ob.inf_from[index] = onset - 2 * store.DAY
    ob.inf_to[index] = onset + (store.DAY + rng.random(len(index)) * 2 * store.DAY).astype(np.int64)
    return ob


def spread(p: CityParams, ob: Outbreak, s: dict[str, np.ndarray], t_day: int, day: int) -> None:
    """Infections of one day: every infectious stay against the stays at the same place."""
    rng = np.random.default_rng([p.seed, 3, day])
    a = s["a"] + t_day
    b = s["b"] + t_day
    infectious = (ob.inf_from[s["person"]] < b) & (ob.inf_to[s["person"]] > a)
    src = np.flatnonzero(infectious)
    if len(src) == 0:
        return
    order = np.argsort(s["place"], kind="stable")
    place_sorted = s["place"][order]
    src = src[np.argsort(a[src], kind="stable")]
    for i in src:
        if len(ob.events) >= p.max_infections:
            return
        who = s["person"][i]
        lo, hi = np.searchsorted(place_sorted, [s["place"][i], s["place"][i] + 1])
        j = order[lo:hi]
        j = j[s["person"][j] != who]
        start = np.maximum(np.maximum(a[j], a[i]), ob.inf_from[who])
        end = np.minimum(np.minimum(b[j], b[i]), ob.inf_to[who])
        ov = end - start
        ok = (ov > 0) & (ob.infected_at[s["person"][j]] < 0)
        j, start, ov = j[ok], start[ok], ov[ok]
        if len(j) == 0:
            continue
        kind = int(s["kind"][i])
        hit = rng.random(len(j)) < 1 - np.exp(-p.beta[kind] * ov / H)
        for jj, st, o in zip(j[hit], start[hit], ov[hit], strict=True):
            person = int(s["person"][jj])
            if ob.infected_at[person] >= 0:
                continue
            when = int(st + rng.integers(0, o))
            incub = int(rng.lognormal(1.621, 0.418) * store.DAY)
            onset = when + incub
            ob.infected_at[person] = when
            ob.infected_by[person] = who
            ob.onset[person] = onset
            ob.inf_from[person] = max(onset - 2 * store.DAY, when + 1)
            ob.inf_to[person] = onset + int((1 + rng.random() * 2) * store.DAY)
            venue = int(s["place"][i] - VENUE * PLACE_BASE) if kind == VENUE else -1
            ob.events.append((int(who), person, kind, int(s["cell"][i]), venue, when, int(o)))


def simulate(out: Path | str, p: CityParams, progress=None) -> dict:  # type: ignore[no-untyped-def]
    """Generate the city, its days and its outbreak into `out`; a summary of what was written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    city = build_city(p)
    first_day = int((p.start - dt.date(1970, 1, 1)).days)
    t0 = store.day_start(first_day)
    ob = seed_outbreak(p, t0)
    rows = scans = 0
    for d in range(p.days):
        s = day_stays(city, p, d)
        t_day = store.day_start(first_day + d)
        spread(p, ob, s, t_day, d)
        scan = s["scan"]
        venue = s["place"][scan] - VENUE * PLACE_BASE
        cols = {
            "person": np.concatenate([s["person"], s["person"][scan]]),
            "cell": np.concatenate([s["cell"], VENUE_KEY_BASE + venue]),
            "t_in": np.concatenate([s["a"], s["a"][scan]]) + t_day,
            "t_out": np.concatenate([s["b"], s["b"][scan]]) + t_day,
            "setting": np.concatenate([np.zeros(len(s["a"]), np.int32), city.venue_type[venue]]),
        }
        rows += store.write_day(out, first_day + d, cols)
        scans += int(scan.sum())
        if progress:
            progress(d + 1, p.days)
    _write_truth(out, ob)
    cases = np.flatnonzero(ob.onset >= 0)
    store.write_cases(out, cases, ob.onset[cases], ob.inf_to[cases])
    pq.write_table(
        pa.table(
            {
                "person": np.arange(p.persons, dtype=np.int64),
                "village": np.array(city.villages)[city.village],
                "household": city.household,
                "home_cell": city.home_cell,
                "role": city.role,
            }
        ),
        out / "persons.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "venue": np.arange(len(city.venue_cell), dtype=np.int64),
                "cell": city.venue_cell,
                "setting": city.venue_type,
            }
        ),
        out / "venues.parquet",
    )
    summary = {
        "params": {**asdict(p), "start": p.start.isoformat()},
        "stays": rows,
        "scans": scans,
        "infections": len(ob.events),
        "cases": len(cases),
        "first_day": store.day_name(first_day),
    }
    (out / "meta.json").write_text(json.dumps(summary, indent=2, default=str))
    return summary


def _write_truth(out: Path, ob: Outbreak) -> None:
    names = ("infector", "infectee", "kind", "cell", "venue", "t", "overlap")
    table = pa.table(
        {k: pa.array([e[i] for e in ob.events], pa.int64()) for i, k in enumerate(names)}
    )
    pq.write_table(table, out / "truth.parquet")


def read_truth(root: Path | str) -> list[dict]:
    """The recorded infections: infector, infectee, kind of place, cell, venue, when, overlap."""
    return pq.read_table(Path(root) / "truth.parquet").to_pylist()
