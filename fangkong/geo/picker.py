"""The jurisdiction picker: a division found by the name people use, shown with its path
(越城区 › 塔山街道 › 花园社区), never by a code typed by hand.

One search (`search`) serves the form field (no JavaScript needed: a typed name that
names one division is taken, several are offered as choices), the suggestion list
(`geo:pick`, read by `static/fangkong/picker.js`) and the API (`GET
/api/v1/jurisdictions/search`). The field's value is still the division code, so views
and actions that took a typed code keep their checks."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.geo.models import Division
from fangkong.geo.names import normalise

SEPARATOR = " › "
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "town": 3, "village": 4, "grid": 5}
# Everyday endings people leave off or add (花园 for 花园社区, 花园村 for 花园村委会).
ENDINGS = ("社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "村委会", "居委会", "社区")


@dataclass(frozen=True)
class Found:
    code: str
    name: str
    level: str
    path_label: str

    @property
    def label(self) -> str:
        return self.path_label


def _tokens(text: str) -> list[str]:
    text = (text or "").replace("›", " ").replace(">", " ").replace("/", " ")
    parts = [normalise(p) for p in text.split()]
    return [p for p in parts if p]


def _core(token: str) -> str:
    for ending in ENDINGS:
        if token.endswith(ending) and len(token) > len(ending) + 1:
            return token[: -len(ending)]
    if token.endswith("村") and len(token) > 2:
        return token[:-1]
    return token


def path_labels(nodes: list[Division], top: Division | None = None) -> dict[str, str]:
    """Each node's path of names from the county (or below `top`), one query in all."""
    codes = {c for n in nodes for c in n.ancestor_codes()}
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    levels = dict(Division.objects.filter(code__in=codes).values_list("code", "level"))
    out = {}
    for n in nodes:
        chain = [
            names.get(c, c)
            for c in n.ancestor_codes()
            if levels.get(c) not in ("province", "city") or c == n.code
        ]
        out[n.code] = SEPARATOR.join(chain)
    return out


def candidates(text: str, within: QuerySet | None = None, levels: tuple[str, ...] = ()) -> QuerySet:
    """Divisions whose own name holds the last word typed, and whose path holds the
    others (花园 第1网格 → the first grid of 花园社区)."""
    tokens = _tokens(text)
    qs = within if within is not None else Division.objects.all()
    if levels:
        qs = qs.filter(level__in=levels)
    if not tokens:
        return qs.none()
    last = tokens[-1]
    if last.isdigit():
        return qs.filter(code=last)
    qs = qs.filter(Q(name__contains=last) | Q(name__contains=_core(last)))
    for word in tokens[:-1]:
        above = Division.objects.filter(
            Q(name__contains=word) | Q(name__contains=_core(word))
        ).values_list("path", flat=True)[:200]
        prefixes = list(above)
        if not prefixes:
            return qs.none()
        cond = Q()
        for p in prefixes:
            cond |= Q(path__startswith=p)
        qs = qs.filter(cond)
    return qs


def search(
    text: str,
    within: QuerySet | None = None,
    levels: tuple[str, ...] = (),
    limit: int = 20,
) -> tuple[list[Found], int]:
    """The best `limit` matches (exact name first, then names that start with the word,
    then the higher levels) and how many matched in all."""
    qs = candidates(text, within, levels)
    total = qs.count()
    tokens = _tokens(text)
    last = tokens[-1] if tokens else ""
    pool = list(qs.order_by("path")[:500])

    def rank(d: Division) -> tuple:
        return (
            d.name != last and _core(d.name) != _core(last),
            not d.name.startswith(last),
            LEVEL_ORDER.get(d.level, 9),
            d.path,
        )

    pool.sort(key=rank)
    shown = pool[:limit]
    labels = path_labels(shown)
    return [Found(d.code, d.name, d.level, labels[d.code]) for d in shown], total


def narrowed(within: QuerySet | None, under: str) -> QuerySet | None:
    """`within` kept to the subtree of the division coded `under` (the queue an
    exception waits in: only its villages and grids can take it); nothing for an unknown
    code; `within` as it is without one."""
    if not under:
        return within
    qs = within if within is not None else Division.objects.all()
    node = Division.objects.filter(code=under.strip()).first()
    return qs.filter(path__startswith=node.path) if node is not None else qs.none()


def label_of(code: str) -> str:
    node = Division.objects.filter(code=code).first()
    return path_labels([node])[node.code] if node else ""


class JurisdictionWidget(forms.TextInput):
    """A search box: the user types a name; with JavaScript a list of matching paths
    opens under it (keyboard: arrows, Enter, Escape); without, the form answers with
    the matches to choose from. The value shown is the path label, not the code."""

    template_name = "geo/picker_widget.html"

    def __init__(
        self, attrs: dict | None = None, levels: tuple[str, ...] = (), scope: str = "mine"
    ):
        base = {
            "autocomplete": "off",
            "data-picker": "jurisdiction",
            "data-levels": ",".join(levels),
            "data-scope": scope,
            "placeholder": _("Type a name, e.g. 花园社区"),
            "role": "combobox",
            "aria-autocomplete": "list",
            "aria-expanded": "false",
            "data-none": _("No jurisdiction matches this name."),
            "data-more": _("%s more: type more of the name."),
        }
        super().__init__({**base, **(attrs or {})})
        self.choices: list[Found] = []

    def format_value(self, value: Any) -> str | None:
        text = str(value or "").strip()
        if text[:4].isdigit() and len(text) <= 24:  # a stored code is shown as its path
            return label_of(text) or text
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = self.choices
        return context


class JurisdictionField(forms.CharField):
    """Cleans a typed name, a path label or a code to one division's code.

    `scope="mine"` searches the user's subtree (set `field.user`); `scope="all"`
    searches the whole tree (a task transferred to another district, the public side).
    `under(node)` keeps the field, and the suggestions the script asks for, to one
    subtree of that scope (an exception's queue)."""

    default_error_messages = {
        "none": _("No jurisdiction is called “%(text)s”."),
        "many": _("%(count)s jurisdictions match “%(text)s”: choose one below."),
    }

    def __init__(
        self, *args: Any, levels: tuple[str, ...] = (), scope: str = "mine", **kwargs: Any
    ):
        kwargs.setdefault("max_length", 160)
        kwargs.setdefault("widget", JurisdictionWidget(levels=levels, scope=scope))
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.scope = scope
        self.user: Any = None
        self.base: QuerySet | None = None  # narrower than the scope (a queue's subtree)

    def under(self, node: Division) -> None:
        """Only `node`'s subtree (within the scope) is taken and suggested."""
        self.base = (self.within() if self.base is None else self.base).filter(
            path__startswith=node.path
        )
        self.widget.attrs["data-under"] = node.code

    def within(self) -> QuerySet:
        if self.base is not None:
            return self.base
        if self.scope == "mine" and self.user is not None:
            return Division.objects.restrict(self.user, "view")
        return Division.objects.all()

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        within = self.within()
        if self.levels:
            within = within.filter(level__in=self.levels)
        exact = within.filter(code=text.strip()).values_list("code", flat=True).first()
        if exact:
            return exact
        by_path = self._by_path(text, within)
        if by_path:
            return by_path
        found, total = search(text, within, limit=20)
        exact_names = [f for f in found if f.name == normalise(text)]
        if total == 1:
            return found[0].code
        if len(exact_names) == 1:
            return exact_names[0].code
        if not found:
            raise forms.ValidationError(self.error_messages["none"], params={"text": text})
        self.widget.choices = found  # type: ignore[attr-defined]
        raise forms.ValidationError(
            self.error_messages["many"], params={"count": total, "text": text}
        )

    @staticmethod
    def _by_path(text: str, within: QuerySet) -> str | None:
        if "›" not in text:
            return None
        names = [normalise(p) for p in text.split("›") if p.strip()]
        if not names:
            return None
        for node in within.filter(name=names[-1])[:50]:
            if path_labels([node])[node.code].replace(" ", "") == "›".join(names):
                return node.code
        return None


class JurisdictionListField(forms.CharField):
    """Several jurisdictions by name, separated by 、 , ， or ; (塔山街道、府山街道); each
    resolved like `JurisdictionField` (a path label or code too). Cleans to codes."""

    def __init__(self, *args: Any, levels: tuple[str, ...] = (), **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)
        self.one = JurisdictionField(levels=levels, required=False)
        self.user: Any = None

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        for sep in ("，", ",", "；", ";", "\n"):
            text = text.replace(sep, "、")
        codes: list[str] = []
        errors: list[str] = []
        self.one.user = self.user
        for part in (p.strip() for p in text.split("、")):
            if not part:
                continue
            try:
                codes.append(self.one.clean(part))
            except forms.ValidationError as exc:
                choices = getattr(self.one.widget, "choices", [])
                extra = "；".join(c.path_label for c in choices[:5])
                errors.extend(f"{m}{'（' + extra + '）' if extra else ''}" for m in exc.messages)
                self.one.widget.choices = []  # type: ignore[attr-defined]
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(codes))


def town_choices(city_code: str) -> list[tuple[str, str]]:
    """The counties (in 【】) and towns of a city in tree order, for a script-free phone
    page that asks for the town first."""
    rows = Division.objects.under(f"{city_code}/").filter(level__in=["county", "town"])
    return [
        (d.code, d.name if d.level == "town" else f"【{d.name}】")
        for d in rows.order_by("path").only("code", "name", "level")
    ]


def area_choices(city_code: str) -> list[tuple[str, str]]:
    """The city itself, then its counties and towns in tree order (towns indented): the
    area a resident's question or report is about, on a phone page."""
    city = Division.objects.filter(code=city_code).first()
    if city is None:
        return []
    rows = Division.objects.under(city.path).filter(level__in=["county", "town"])
    return [(city_code, city.name)] + [
        (d.code, ("　" if d.level == "town" else "") + d.name) for d in rows.order_by("path")
    ]


def village_choices(town_code: str) -> list[tuple[str, str]]:
    """Communities and villages of one town: a short list for a cheap phone."""
    town = Division.objects.filter(code=town_code[:24], level="town").first()
    if town is None:
        return []
    rows = Division.objects.filter(parent=town, level="village").order_by("code")
    return [(d.code, d.name) for d in rows.only("code", "name")]
