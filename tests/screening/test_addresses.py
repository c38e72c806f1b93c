"""The address matcher on 20,000 addresses written as residents write them, with the
known answer (pure functions: the real Shaoxing division list, synthetic grids and keys;
no database, so it runs in seconds)."""

from pathlib import Path

import pytest

from fangkong.screening import addressbook
from fangkong.screening.matching import AddressMatcher

DIVISIONS = (
    Path(__file__).resolve().parents[2] / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
)


@pytest.fixture(scope="module")
def world():
    nodes, grids_of = addressbook.tree_from_file(DIVISIONS, seed=3)
    places, keys = addressbook.grid_keys(nodes, grids_of, seed=11)
    return AddressMatcher(nodes, [], keys), places


def test_twenty_thousand_addresses_as_residents_write_them(world):
    matcher, places = world
    cases = list(addressbook.addresses(places, 20_000, seed=20200204))
    t = addressbook.score(matcher, cases)
    assert t.get("wrong_village", 0) == 0, t
    assert t.get("wrong_grid", 0) == 0, t
    assert t["right_village"] / t["inside"] >= 0.995, t
    keyed_right = t.get("right_grid", 0)
    assert keyed_right / t["keyed"] >= 0.95, t
    # Every other row is queued: in the city with its candidates or the queue of the
    # node the evidence agrees on; outside the city, all of them.
    assert t["queued"] - t.get("foreign_queued", 0) == t.get("queued_with_lead", 0), t
    assert t["foreign_queued"] == t["total"] - t["inside"] > 0, t


def test_everyday_forms_are_derived_by_rule():
    from fangkong.geo.names import everyday_forms

    assert {f for f, _w in everyday_forms("山前徐村委会")} == {"山前徐村委会", "山前徐村"}
    assert "柯福社区" in {f for f, _w in everyday_forms("柯福社区居委会")}
    assert {"江家溇社区", "江家溇"} <= {f for f, _w in everyday_forms("江家溇居委会")}
    assert "新村" not in {f for f, _w in everyday_forms("新村村委会")}  # too common alone


def by_name(matcher, name, parent=None):
    found = [
        n
        for n in matcher.nodes.values()
        if n.name == name and (parent is None or matcher.nodes[n.parent_id].name == parent)
    ]
    assert len(found) == 1, (name, found)
    return found[0].id


def test_a_town_short_name_inside_an_estate_does_not_pull_the_row_up(world):
    matcher, _places = world
    village = by_name(matcher, "鲁迅故里社区")
    # 东湖 is a town's short name (东湖街道); the address names the right town in full.
    result = matcher.match("越城区塔山街道鲁迅故里社区东湖山庄3幢")
    assert matcher.ancestor(result.node_id, "village") == village


def test_a_real_tie_goes_to_the_lowest_common_node_with_both_candidates(world):
    matcher, _places = world
    result = matcher.match("嵊州市浦口街道浦口社区12号")  # 浦口居委会 and 浦口社区 both
    assert result.node_id is None and result.kind == "ambiguous"
    assert {matcher.nodes[c].name for c in result.candidates} == {"浦口居委会", "浦口社区"}
    assert matcher.nodes[result.queue_id].name == "浦口街道"


def test_full_width_digits_and_a_one_character_typo(world):
    matcher, _places = world
    village = by_name(matcher, "山前徐村委会")
    town = matcher.nodes[matcher.ancestor(village, "town")].name
    assert matcher.ancestor(matcher.match(f"{town}山前徐村１２号").node_id, "village") == village
    typo = matcher.match(f"{town}山前余村12号")
    assert typo.node_id is None or matcher.ancestor(typo.node_id, "village") == village


def test_an_old_name_alias_of_a_town_places_like_the_town(world):
    matcher, _places = world
    nodes = list(matcher.nodes.values())
    keys = [gk for gks in matcher.group_keys.values() for gk in gks]
    tashan, fushan = by_name(matcher, "塔山街道"), by_name(matcher, "府山街道")
    with_alias = AddressMatcher(nodes, [("老塔山镇", tashan), ("老府山镇", fushan)], keys)
    huayuan = by_name(matcher, "花园社区", parent="塔山街道")
    placed = with_alias.match("老塔山镇花园社区12号")
    assert with_alias.ancestor(placed.node_id, "village") == huayuan
    # The old name of another town contradicts the community: queued, not placed.
    assert with_alias.match("老府山镇花园社区12号").node_id is None
