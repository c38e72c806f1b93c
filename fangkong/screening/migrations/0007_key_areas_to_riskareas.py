"""R14's key areas move to the dated risk-area list (riskareas).

Each entry of a screening rule set's `key_areas` (a place name such as 湖北 or 温州市, or a
division code prefix such as 42 or 3303) becomes a high-risk designation of that area, in
force from the rule set's date until the day before the next rule set that no longer names
it (open-ended when the latest set names it). Where the area already has designations only
the uncovered days are added, so periods of one area never overlap. An entry that names no
known area (or more than one) is not guessed: it is written into the rule set's note and
printed. Then the field goes: screening reads the dated list (the level in force on the day
of arrival).

The shipped default (the set of 2020-01-01 still holding "湖北 / 42") is not carried over:
it stood, undated, for the published designations of Wuhan (2020-01-23 → 04-07) and Hubei
(2020-01-24 → 03-24), which `fangkong demo` seeds with their sources
(riskareas/seed.py) and headquarters imports as announced (/riskareas/)."""

import datetime as dt

from django.db import migrations

SHIPPED = (dt.date(2020, 1, 1), ["湖北", "42"])
SOURCE = "由筛查规则集（%s 起）的重点地区迁移"


def _areas(Division):  # noqa: N803
    from fangkong.riskareas.rules import canonical, reference, short_name

    ref = reference()

    def resolve(entry: str):
        """(code, level, name) of the one area the entry names, else None."""
        if entry.isascii() and entry.isdigit():
            code = canonical(entry)
            if code in ref:
                return code, ref[code][0], ref[code][1]
            town = Division.objects.filter(code=code, level="town").first()
            return (code, "town", town.name) if town is not None else None
        found = [
            (code, level, name)
            for code, (level, name) in ref.items()
            if entry in (name, short_name(name))
        ]
        return found[0] if len(found) == 1 else None

    def full_name(code: str, name: str) -> str:
        parts = []
        for n in (2, 4, 6):
            if len(code) > n and code[:n] in ref and ref[code[:n]][1] not in parts:
                parts.append(ref[code[:n]][1])
        return "".join([*parts, name])[:100]

    return resolve, full_name


def _gaps(start, end, taken):
    """The days of [start, end] (end None = open) not covered by the (start, end) pairs."""
    out, cursor = [], start
    for s, e in sorted(taken):
        if end is not None and s > end:
            break
        if e is not None and e < cursor:
            continue
        if s > cursor:
            out.append((cursor, s - dt.timedelta(days=1)))
        if e is None:
            return out
        cursor = max(cursor, e + dt.timedelta(days=1))
    if end is None or cursor <= end:
        out.append((cursor, end))
    return out


def plan(sets, taken, resolve):
    """Pure: `sets` = [(effective_from, [entries])] in date order, `taken` = {code:
    [(starts_on, ends_on)]} of existing designations, `resolve(entry)` → (code, level, name)
    or None. Returns ([(code, level, name, starts_on, ends_on, set_date)], {set_date:
    [unknown entries]})."""
    named, unknown = [], {}
    for day, entries in sets:
        here = {}
        if (day, entries) != SHIPPED:
            for entry in entries:
                area = resolve(entry)
                if area is None:
                    unknown.setdefault(day, []).append(entry)
                else:
                    here.setdefault(area[0], area)
        named.append(here)
    out = []
    for i, here in enumerate(named):
        for code, (_code, level, name) in here.items():
            if i > 0 and code in named[i - 1]:
                continue  # carried on from the previous set
            j = i
            while j + 1 < len(named) and code in named[j + 1]:
                j += 1
            start = sets[i][0]
            end = sets[j + 1][0] - dt.timedelta(days=1) if j + 1 < len(sets) else None
            for s, e in _gaps(start, end, taken.get(code, [])):
                out.append((code, level, name, s, e, start))
    return out, unknown


def forward(apps, schema_editor):
    Rules = apps.get_model("screening", "ScreeningRules")  # noqa: N806
    RiskArea = apps.get_model("riskareas", "RiskArea")  # noqa: N806
    Division = apps.get_model("geo", "Division")  # noqa: N806
    resolve, full_name = _areas(Division)
    sets = list(Rules.objects.order_by("effective_from"))
    entries = [
        (r.effective_from, [k.strip() for k in (r.key_areas or "").splitlines() if k.strip()])
        for r in sets
    ]
    taken = {}
    for code, s, e in RiskArea.objects.values_list("code", "starts_on", "ends_on"):
        taken.setdefault(code, []).append((s, e))
    designations, unknown = plan(entries, taken, resolve)
    for code, level, name, s, e, since in designations:
        RiskArea.objects.create(
            code=code,
            name=full_name(code, name),
            level=level,
            risk="high",
            starts_on=s,
            ends_on=e,
            source=SOURCE % since.isoformat(),
        )
    for rules in sets:
        if rules.effective_from in unknown:
            line = "重点地区未能迁移（无唯一对应的区划代码）：" + "、".join(
                unknown[rules.effective_from]
            )
            print(f"\n  screening rule set {rules.effective_from}: {line}")
            rules.note = f"{rules.note}；{line}".lstrip("；")[:200]
            rules.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_merge_20261206_0249"),
        ("riskareas", "0001_initial"),
        ("geo", "0002_grid_address_keys"),
    ]
    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(model_name="screeningrules", name="key_areas"),
    ]
