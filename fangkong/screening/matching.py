"""Address → village → grid matching (地址匹配) as residents write addresses.

One Aho-Corasick automaton (pyahocorasick) holds every key a resident may write:
counties and towns by registered and short name (柯桥区/柯桥, 湖塘街道/湖塘), villages by
registered name and the everyday forms derived by rule (`everyday_forms`: 山前徐村委会 →
山前徐村, 柯福社区居委会 → 柯福社区, 江家溇居委会 → 江家溇社区 / 江家溇), a deployment's
aliases (old names, natural villages, estates) and the grids' address keys (estates,
buildings, streets with number ranges, natural villages, 组).

An address is normalised (NFKC: full-width digits and letters become ASCII) and scanned
once; a hit inside a longer hit is dropped (an estate key swallows the town short name it
contains). Stage one picks the village: each village with evidence scores its own hit
plus its town's and county's hits; a village contradicted by another town or county named
before it (and its own not named at all) is dropped; the single best village wins, a tie
is ambiguous (the queue is the lowest common node, candidates shown). With no village but
one town, a village name one character off (a typo) is accepted if it is the only one.
Stage two picks the grid inside that village from the key hits (a building or house
number must fall in the key's range); one grid places the row there, none or several
leave it at the village. Pure Python over plain tuples: no database here.
"""

import bisect
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from fangkong.geo.names import (
    ALIAS,
    BARE,
    COUNTY_FULL,
    KEY,
    TOWN_FULL,
    VILLAGE,
    division_keys,
    normalise,
    to_int,
)

# Grid key kinds (网格地址键).
ESTATE, BUILDING, STREET, NATURAL, GROUP = "estate", "building", "street", "natural", "group"
KEY_KINDS = (ESTATE, BUILDING, STREET, NATURAL, GROUP)
NUMBER = r"(\d+|[零一二三四五六七八九十]+)"
AFTER = {
    BUILDING: re.compile(NUMBER + r"(?:幢|栋|号楼|座|号)"),
    STREET: re.compile(NUMBER + r"(?:号|弄)"),
}
GROUP_RE = re.compile(NUMBER + r"(?:组|队)")
ANSWERS = 32_768  # matches kept per matcher (by address text); then the memo starts over
_BY_END = operator.itemgetter(1, 0)  # hits by end, then start


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


@dataclass(frozen=True)
class GridKey:
    """An address key of a grid: `text` (estate, street, natural village; blank for 组)
    and an inclusive number range (buildings, house numbers, groups) or none."""

    grid_id: int
    kind: str
    text: str = ""
    low: int | None = None
    high: int | None = None

    def covers(self, number: int | None) -> bool:
        if self.low is None:
            return True
        return number is not None and self.low <= number <= (self.high or self.low)


@dataclass
class Result:
    """`node_id` (a village or a grid) is set when the address placed the row; otherwise
    `queue_id` names the deepest node all the evidence agrees on (a town, a county, the
    city or None) and `candidates` the villages in question."""

    node_id: int | None
    kind: str  # "address", "alias", "key", "typo", "ambiguous" or "unmatched"
    queue_id: int | None = None
    candidates: list[int] = field(default_factory=list)
    village_id: int | None = None

    def __reduce__(self) -> tuple[type, tuple]:
        """Pickled as its values (matches cross from the import's workers to its parent)."""
        return (Result, (self.node_id, self.kind, self.queue_id, self.candidates, self.village_id))


@dataclass
class _Entry:
    node_id: int
    weight: int
    role: str  # "county", "town", "village", "alias" or "key"
    key: GridKey | None = None


class AddressMatcher:
    def __init__(  # noqa: C901, PLR0915
        self,
        nodes: Iterable[Node],
        aliases: Iterable[tuple[str, int]] = (),
        grid_keys: Iterable[GridKey] = (),
    ):
        aliases, grid_keys = list(aliases), list(grid_keys)
        self.nodes: dict[int, Node] = {n.id: n for n in nodes}
        # What the matcher was built from: worker processes build their own from it.
        self.data = (list(self.nodes.values()), aliases, grid_keys)
        self.by_path = {n.path: n for n in self.nodes.values()}
        self.grids_of: dict[int, list[int]] = {}
        for n in self.nodes.values():
            if n.level == "grid" and n.parent_id is not None:
                self.grids_of.setdefault(n.parent_id, []).append(n.id)
        self._town: dict[int, int | None] = {}
        self._county: dict[int, int | None] = {}
        self._village: dict[int, int | None] = {}
        for n in self.nodes.values():
            self._village[n.id] = self._up(n.id, "village")
            self._town[n.id] = self._up(n.id, "town")
            self._county[n.id] = self._up(n.id, "county")
        self._keys: dict[str, list[_Entry]] = {}
        self.forms_of: dict[int, list[str]] = {}
        self.villages_of_town: dict[int, list[int]] = {}
        for n in self.nodes.values():
            if n.level in ("county", "town", "village"):
                for key, weight in division_keys(n.name, n.level):
                    self._add(key, _Entry(n.id, weight, n.level))
                    if n.level == "village" and weight == VILLAGE:
                        self.forms_of.setdefault(n.id, []).append(key)
                if n.level == "village" and self._town[n.id]:
                    self.villages_of_town.setdefault(self._town[n.id], []).append(n.id)  # type: ignore[arg-type]
        # A bare community name that is also a town's or county's name (应店街) is no
        # evidence for the community: the town is what people mean.
        for entries in self._keys.values():
            if any(e.role in ("town", "county") for e in entries):
                entries[:] = [e for e in entries if not (e.role == "village" and e.weight == BARE)]
        for text, node_id in aliases:
            text = normalise(text)
            node = self.nodes.get(node_id)
            if node is None or len(text) < 2:
                continue
            if node.level in ("town", "county"):  # an old name (绍兴县, a merged town)
                full = TOWN_FULL if node.level == "town" else COUNTY_FULL
                self._add(text, _Entry(node_id, full, node.level))
            else:
                self._add(text, _Entry(node_id, ALIAS, "alias"))
        self.group_keys: dict[int, list[GridKey]] = {}
        self._streets: dict[str, list[_Entry]] = {}
        self._street_hits: dict[tuple[str, int], list[_Entry]] = {}
        for gk in grid_keys:
            village = self._village.get(gk.grid_id)
            if village is None:
                continue
            if gk.kind == GROUP:
                self.group_keys.setdefault(village, []).append(gk)
            elif gk.kind == STREET and len(normalise(gk.text)) >= 2:
                # Kept apart: a street crosses many villages; only a number in range counts.
                self._streets.setdefault(normalise(gk.text), []).append(
                    _Entry(gk.grid_id, KEY, "key", gk)
                )
                self._keys.setdefault(normalise(gk.text), [])
            elif len(normalise(gk.text)) >= 2:
                self._add(normalise(gk.text), _Entry(gk.grid_id, KEY, "key", gk))
        self._answers: dict[str, Result] = {}
        self.automaton = ahocorasick.Automaton()
        for key in self._keys:
            self.automaton.add_word(key, key)
        if self._keys:
            self.automaton.make_automaton()

    # --- the tree ------------------------------------------------------------------------

    def _up(self, node_id: int, level: str) -> int | None:
        node: Node | None = self.nodes.get(node_id)
        while node is not None and node.level != level:
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return node.id if node else None

    def ancestor(self, node_id: int, level: str) -> int | None:
        return {"village": self._village, "town": self._town, "county": self._county}[level].get(
            node_id
        )

    def _add(self, key: str, entry: _Entry) -> None:
        entries = self._keys.setdefault(key, [])
        if not any(
            e.node_id == entry.node_id and e.role == entry.role and e.key == entry.key
            for e in entries
        ):
            entries.append(entry)

    def key_owners(self, text: str) -> list[int]:
        """The counties, towns and villages a text is a key of (for the alias check)."""
        return [
            e.node_id
            for e in self._keys.get(normalise(text), [])
            if e.role in ("county", "town", "village")
        ]

    # --- matching ------------------------------------------------------------------------

    def _hits(self, address: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of the hits that explain most of the address: the set of
        non-overlapping hits covering the most characters (fewest hits on a tie), so an
        estate key swallows the town short name inside it (柯岩花园), but a town and a
        village written one after the other (黄泽 + 家园村) beat an estate 黄泽家园."""
        if not self._keys:
            return []
        spans = sorted(
            {(end - len(key) + 1, end, key) for end, key in self.automaton.iter(address)},
            key=_BY_END,
        )
        if not spans:
            return []
        # Weighted interval scheduling over spans[:i]: the characters covered, minus the
        # hits, and the spans chosen; a later span is taken only when strictly better.
        covered, hits = [0], [0]
        chosen: list[tuple[int, ...]] = [()]
        ends = [s[1] for s in spans]
        for i, (start, end, _key) in enumerate(spans):
            j = bisect.bisect_left(ends, start, 0, i)  # spans[:j] end before this start
            take, fewer = covered[j] + end - start + 1, hits[j] - 1
            if take > covered[i] or (take == covered[i] and fewer > hits[i]):
                covered.append(take)
                hits.append(fewer)
                chosen.append((*chosen[j], i))
            else:
                covered.append(covered[i])
                hits.append(hits[i])
                chosen.append(chosen[i])
        return [spans[i] for i in chosen[-1]]

    def _covering(self, key: str, streets: list[_Entry], number: int | None) -> list[_Entry]:
        """The street keys whose house-number range holds `number` (memoised)."""
        if number is None:
            return []
        found = self._street_hits.get((key, number))
        if found is None:
            found = [e for e in streets if e.key is not None and e.key.covers(number)]
            if len(self._street_hits) < 100_000:
                self._street_hits[key, number] = found
        return found

    @staticmethod
    def _anchored(text: str, start: int, covered: set[int]) -> bool:
        """A village name stands on its own when nothing unknown is written right before
        it: the start, a digit or sign, a key's last character, or an administrative
        suffix (省市区县镇乡道). Else it may be the tail of another name (田蜀阜村)."""
        if start == 0 or (start - 1) in covered:
            return True
        before = text[start - 1]
        return not ("\u4e00" <= before <= "\u9fff") or before in "省市区县镇乡道"

    def match(self, address: str) -> Result:
        """The village or grid `address` names (see the module's docstring). A list's
        rows repeat addresses (a household, an estate): the answers are kept per address
        text, up to `ANSWERS` of them, and each caller gets its own copy."""
        found = self._answers.get(address)
        if found is None:
            found = self._match(address)
            if len(self._answers) >= ANSWERS:
                self._answers.clear()
            self._answers[address] = found
        return Result(
            found.node_id, found.kind, found.queue_id, found.candidates[:], found.village_id
        )

    def _match(self, address: str) -> Result:  # noqa: C901, PLR0915
        text = normalise(address)
        towns: dict[int, tuple[int, int]] = {}  # id → (weight, first start)
        counties: dict[int, tuple[int, int]] = {}
        evidence: dict[int, dict[str, int]] = {}  # village → {"own", "start", "name", "other"}
        pins: list[tuple[int, int, str]] = []  # (village, grid, kind) from keys and aliases
        hits = self._hits(text)
        covered = {i for start, end, _k in hits for i in range(start, end + 1)}
        loose: list[int] = []  # villages named only where another name may go on
        numbers: dict[tuple[int, str], int | None] = {}
        for start, end, key in hits:
            entries = self._keys[key]
            streets = self._streets.get(key)
            if streets:
                m = AFTER[STREET].match(text, end + 1)
                number = to_int(m.group(1)) if m else None
                entries = entries + self._covering(key, streets, number)
            for e in entries:
                role = e.role
                if role == "town" or role == "county":
                    named = towns if role == "town" else counties
                    seen = named.get(e.node_id)
                    if seen is None or seen[0] < e.weight:
                        named[e.node_id] = (e.weight, start)
                    continue
                village = self._village.get(e.node_id)
                if village is None:  # an alias of a town or county: weak support only
                    continue
                if role == "village" and not self._anchored(text, start, covered):
                    loose.append(village)
                    continue
                gk = e.key
                if gk is not None and gk.kind in AFTER:
                    if (end, gk.kind) not in numbers:
                        m = AFTER[gk.kind].match(text, end + 1)
                        numbers[end, gk.kind] = to_int(m.group(1)) if m else None
                    if gk.covers(numbers[end, gk.kind]):
                        pins.append((village, e.node_id, "key"))
                    elif gk.kind == STREET:
                        continue  # a street crosses villages: only a number in range tells
                elif role != "village" and e.node_id != village:
                    pins.append((village, e.node_id, role))
                ev = evidence.get(village)
                if ev is None:
                    ev = evidence[village] = {"own": 0, "start": start, "name": 0, "by": 0}
                if e.weight > ev["own"]:
                    ev["own"] = e.weight
                if start < ev["start"]:
                    ev["start"] = start
                if role == "village":
                    ev["name"] = max(ev["name"], e.weight)
                else:
                    ev["by"] = max(ev["by"], 1 if role == "key" else 2)
        scores: dict[int, int] = {}
        for village, ev in evidence.items():
            if not self._consistent(village, ev["start"], towns, counties):
                continue
            town, county = self._town[village], self._county[village]
            score = ev["own"] + (towns[town][0] if town in towns else 0)
            score += counties[county][0] if county in counties else 0
            if ev["name"] and ev["by"]:
                score += 1  # the village named and an estate or alias of it: a longer chain
            scores[village] = score
        if scores:
            best = max(scores.values())
            top = sorted(v for v, s in scores.items() if s == best)
            if len(top) > 1:
                return Result(None, "ambiguous", self._common(top), candidates=top)
            village = top[0]
            ev = evidence[village]
            kind = "address" if ev["name"] else ("alias" if ev["by"] == 2 else "key")
            return self._grid(village, text, pins, kind, ev["start"])
        return self._unplaced(text, towns, counties, loose)

    def _consistent(
        self,
        village: int,
        start: int,
        towns: dict[int, tuple[int, int]],
        counties: dict[int, tuple[int, int]],
    ) -> bool:
        """False when the address names another town (or county) before this village's
        evidence and never names the village's own."""
        for named, own in ((towns, self._town[village]), (counties, self._county[village])):
            if own in named:
                continue
            if any(s < start and n != own for n, (_w, s) in named.items()):
                return False
        return True

    def _grid(
        self, village: int, text: str, pins: list[tuple[int, int, str]], kind: str, start: int
    ) -> Result:
        grids = {g for v, g, _k in pins if v == village and g != village}
        for m in GROUP_RE.finditer(text, start):
            number = to_int(m.group(1))
            grids |= {gk.grid_id for gk in self.group_keys.get(village, []) if gk.covers(number)}
        own = self.grids_of.get(village, [])
        if len(grids) == 1:
            node = grids.pop()
            kind = "key" if kind == "address" else kind
        elif not grids and len(own) == 1:
            node = own[0]  # a village with one grid: the grid
        else:
            node = village
        return Result(node, kind, candidates=[village], village_id=village)

    def _unplaced(
        self,
        text: str,
        towns: dict[int, tuple[int, int]],
        counties: dict[int, tuple[int, int]],
        loose: list[int],
    ) -> Result:
        named = list(towns)
        if len(named) > 1 and counties:
            named = [t for t in named if self._county[t] in counties] or named
        if len(named) > 1:  # full names outrank short ones (an estate's 东湖 vs 灵芝街道)
            best = max(towns[t][0] for t in named)
            named = [t for t in named if towns[t][0] == best]
        if len(named) == 1:
            town = named[0]
            typos = self._typo(text, town, towns[town][1])
            if loose:  # a name that may be the tail of another: never placed on its own
                lead = sorted({*typos, *(v for v in loose if self._town[v] == town)})
                return Result(None, "ambiguous", town, candidates=lead)
            if len(typos) == 1:
                return self._grid(typos[0], text, [], "typo", 0)
            return Result(None, "ambiguous" if typos else "unmatched", town, candidates=typos)
        if loose:
            loose = sorted(set(loose))
            return Result(None, "ambiguous", self._common(loose), candidates=loose)
        if named:
            return Result(None, "unmatched", self._common(named), candidates=[])
        queue = next(iter(counties)) if len(counties) == 1 else None
        return Result(None, "unmatched", queue, candidates=[])

    def _typo(self, text: str, town: int, after: int) -> list[int]:
        """The villages of `town` whose everyday name is written with one wrong character
        (not its last one, 村 or 区) after the town's name."""
        found: set[int] = set()
        for village in self.villages_of_town.get(town, []):
            for form in self.forms_of.get(village, []):
                n = len(form)
                for i in range(after, len(text) - n + 1):
                    window = text[i : i + n]
                    if window[-1] != form[-1]:
                        continue
                    if sum(a != b for a, b in zip(window, form, strict=True)) == 1:
                        found.add(village)
                        break
        return sorted(found)

    def _common(self, ids: list[int]) -> int | None:
        """The deepest node whose subtree holds all `ids`, at town level or above."""
        if not ids:
            return None
        paths = [self.nodes[i].path.rstrip("/").split("/") for i in ids]
        common: list[str] = []
        for parts in zip(*paths, strict=False):
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
        while common:
            node = self.by_path.get("/".join(common) + "/")
            if node is not None and node.level in ("town", "county", "city"):
                return node.id
            common.pop()
        return None


def load_matcher() -> AddressMatcher:
    """A matcher over the whole stored tree, every alias and every grid key."""
    from fangkong.geo.models import Division, GridAddressKey
    from fangkong.screening.models import AddressAlias

    nodes = [
        Node(*row)
        for row in Division.objects.values_list("id", "code", "name", "level", "path", "parent_id")
    ]
    aliases = list(AddressAlias.objects.values_list("text", "node_id"))
    keys = [
        GridKey(*row)
        for row in GridAddressKey.objects.values_list("grid_id", "kind", "text", "low", "high")
    ]
    return AddressMatcher(nodes, aliases, keys)
