"""Address → grid matching (地址匹配网格) against the jurisdiction tree and aliases.

One Aho-Corasick automaton (pyahocorasick) holds the names of counties, towns and
villages (towns and counties also without their 街道/镇/区/市 suffix) and the
deployment's aliases (estate, building, street → grid or village). An address is
scanned once; hits covered by a longer hit are dropped; every village or alias hit is a
candidate scored by the weight of its own hit and of its town's and county's hits. A
single best candidate wins; a tie is ambiguous; no candidate is unmatched. Either way
the result names the deepest node all the evidence agrees on (for the exceptions queue).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

FULL, SHORT, ALIAS = 2, 1, 3
SHORT_SUFFIXES = {
    "county": ("区", "市", "县"),
    "town": ("街道", "镇", "乡"),
}


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


@dataclass
class Result:
    """`node_id` is set when the address placed the row; otherwise `queue_id` names the
    deepest node the evidence agrees on (a town, a county, or None)."""

    node_id: int | None
    kind: str  # "address", "alias", "ambiguous" or "unmatched"
    queue_id: int | None = None
    candidates: list[int] = field(default_factory=list)


def short_name(name: str, level: str) -> str | None:
    for suffix in SHORT_SUFFIXES.get(level, ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class AddressMatcher:
    def __init__(self, nodes: Iterable[Node], aliases: Iterable[tuple[str, int]] = ()):
        self.nodes: dict[int, Node] = {n.id: n for n in nodes}
        self.grids_of: dict[int, list[int]] = {}
        for n in self.nodes.values():
            if n.level == "grid" and n.parent_id is not None:
                self.grids_of.setdefault(n.parent_id, []).append(n.id)
        self._keys: dict[str, list[tuple[int, int]]] = {}
        for n in self.nodes.values():
            if n.level in ("county", "town", "village"):
                self._add(n.name, n.id, FULL)
                short = short_name(n.name, n.level)
                if short:
                    self._add(short, n.id, SHORT)
        for text, node_id in aliases:
            if node_id in self.nodes and len(text) >= 2:
                self._add(text, node_id, ALIAS)
        self.automaton = ahocorasick.Automaton()
        for key in self._keys:
            self.automaton.add_word(key, key)
        if self._keys:
            self.automaton.make_automaton()

    def _add(self, key: str, node_id: int, weight: int) -> None:
        entries = self._keys.setdefault(key, [])
        if (node_id, weight) not in entries:
            entries.append((node_id, weight))

    def ancestor(self, node_id: int, level: str) -> int | None:
        node: Node | None = self.nodes.get(node_id)
        while node is not None and node.level != level:
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return node.id if node else None

    def _hits(self, address: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of every hit not strictly inside a longer one."""
        if not self._keys:
            return []
        spans = [(end - len(key) + 1, end, key) for end, key in self.automaton.iter(address)]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str]] = []
        for span in spans:
            if any(
                k[0] <= span[0] and span[1] <= k[1] and (k[1] - k[0]) > (span[1] - span[0])
                for k in kept
            ):
                continue
            kept.append(span)
        return kept

    def match(self, address: str) -> Result:
        weight: dict[int, int] = {}
        for _start, _end, key in self._hits(address or ""):
            for node_id, w in self._keys[key]:
                weight[node_id] = max(weight.get(node_id, 0), w)
        candidates: dict[int, int] = {}
        for node_id, w in weight.items():
            node = self.nodes[node_id]
            if w == ALIAS or node.level == "village":
                town = self.ancestor(node_id, "town")
                county = self.ancestor(node_id, "county")
                village = self.ancestor(node_id, "village")
                score = w + weight.get(town or 0, 0) + weight.get(county or 0, 0)
                if w == ALIAS and village and village != node_id:
                    score += weight.get(village, 0)
                candidates[node_id] = score
        candidates = self._consistent(candidates, weight)
        if candidates:
            best = max(candidates.values())
            top = [n for n, s in candidates.items() if s == best]
            # An alias inside a village that was also named: the deeper node wins.
            top = [n for n in top if not any(o != n and self._contains(n, o) for o in top)]
            if len(top) == 1:
                node_id = top[0]
                kind = "alias" if weight[node_id] == ALIAS else "address"
                return Result(self._settle(node_id), kind, candidates=top)
            return Result(None, "ambiguous", self._common(top), candidates=sorted(top))
        towns = [n for n in weight if self.nodes[n].level == "town"]
        if len(towns) > 1:
            counties = {n for n in weight if self.nodes[n].level == "county"}
            towns = [t for t in towns if self.ancestor(t, "county") in counties] or towns
        if len(towns) == 1:
            return Result(None, "unmatched", towns[0], candidates=towns)
        counties_hit = [n for n in weight if self.nodes[n].level == "county"]
        queue = (
            self._common(towns) if towns else (counties_hit[0] if len(counties_hit) == 1 else None)
        )
        return Result(None, "unmatched", queue, candidates=sorted(towns))

    def _consistent(self, candidates: dict[int, int], weight: dict[int, int]) -> dict[int, int]:
        """Drop candidates that contradict a town (then a county) the address names."""
        for level in ("town", "county"):
            named = {n for n in weight if self.nodes[n].level == level}
            if not named or not candidates:
                continue
            agree = {c: s for c, s in candidates.items() if self.ancestor(c, level) in named}
            candidates = agree
        return candidates

    def _contains(self, outer: int, inner: int) -> bool:
        a, b = self.nodes[outer], self.nodes[inner]
        return b.path.startswith(a.path) and a.id != b.id

    def _settle(self, node_id: int) -> int:
        """A village with exactly one grid places the row in that grid."""
        grids = self.grids_of.get(node_id, [])
        return grids[0] if len(grids) == 1 else node_id

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
        by_path = {n.path: n for n in self.nodes.values()}
        while common:
            node = by_path.get("/".join(common) + "/")
            if node is not None and node.level in ("town", "county", "city"):
                return node.id
            common.pop()
        return None


def load_matcher() -> AddressMatcher:
    """A matcher over the whole stored tree and every alias."""
    from fangkong.geo.models import Division
    from fangkong.screening.models import AddressAlias

    nodes = [
        Node(*row)
        for row in Division.objects.values_list("id", "code", "name", "level", "path", "parent_id")
    ]
    aliases = AddressAlias.objects.values_list("text", "node_id")
    return AddressMatcher(nodes, aliases)
