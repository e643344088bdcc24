"""Country profiles: their values against an independent computation from the CSV files, and
the page's rules (which sections show on which date)."""
import itertools

import networkx as nx
import pandas as pd
import pytest

from aigov import countries, governance, profiles
from aigov.chapters import profile
from independent import ACTIVE, first_day, last_day, rows, seats

NON_STATE = {"EUU", "XAU", "XIF", "XKX"}


def network_on(day: str | None) -> dict[str, set[str]]:
    """State -> its forums in the network on ``day`` (None: the memberships with no end today,
    dated or not), from the CSV files and the excluded forums' list alone."""
    forums = {r["forum_id"] for r in rows("forums")} - set(governance.DEFAULT_EXCLUDED)
    return {m: f for m, f in seats(day, forums).items() if m not in NON_STATE}


def partners_and_betweenness(seats: dict[str, set[str]]) -> tuple[dict[str, int], dict[str, float]]:
    g = nx.Graph()
    g.add_nodes_from(seats)
    g.add_edges_from((a, b) for a, b in itertools.combinations(sorted(seats), 2) if seats[a] & seats[b])
    return dict(g.degree()), nx.betweenness_centrality(g, normalized=True)


@pytest.mark.parametrize("code,day", [("KEN", None), ("USA", "2020-12-31"), ("BRA", "2023-12-31"), ("IND", None)])
def test_position_recomputed_from_the_csv(code, day):
    seats = network_on(day)
    partners, between = partners_and_betweenness(seats)
    got = profiles.position(code, pd.Timestamp(day) if day else None)
    assert got["states"] == len(seats)
    assert got["forums"] == len(seats.get(code, ()))
    assert got["partners"] == partners.get(code, 0)
    assert got["betweenness"] == pytest.approx(between.get(code, 0.0))
    if code in seats:
        assert got["rank_partners"] == 1 + sum(p > partners[code] for p in partners.values())
        assert got["rank_betweenness"] == 1 + sum(b > between[code] + 1e-12 for b in between.values())


@pytest.mark.parametrize("code", ["KEN", "FRA", "JPN"])
def test_forum_rows_are_the_memberships_in_force_today(code):
    mine = {(r["forum_id"], r["role"]) for r in rows("memberships") if r["member"] == code and not r["left"]}
    got = profiles.forum_rows(code, None)
    assert set(zip(got["forum_id"], got["role"])) == mine
    counted = {f for f, role in mine if f not in governance.DEFAULT_EXCLUDED and role in ACTIVE}
    assert set(got.loc[got["counted"], "forum_id"]) == counted


def test_steps_end_at_the_network_position_and_start_in_2016():
    steps = profiles.steps("USA", None)
    assert steps["date"].iloc[0] == pd.Timestamp("2016-01-01")
    assert steps["forums"].iloc[0] == len(network_on("2016-01-01").get("USA", ()))
    assert steps["forums"].iloc[-1] == profiles.position("USA", None)["forums"]
    assert steps["date"].is_monotonic_increasing


def test_archive_dates_are_the_year_ends_with_a_membership_in_force():
    for code in ["KEN", "USA", "UKR"]:
        expected = [f"{y}-12-31" for y in range(2016, 2026)
                    if any(r["member"] == code and r["joined"] and last_day(r["joined"]) <= f"{y}-12-31"
                           and (not r["left"] or first_day(r["left"]) > f"{y}-12-31") for r in rows("memberships"))]
        assert [f"{d:%Y-%m-%d}" for d in profiles.archive_dates(code)] == expected


def test_claims_found_by_the_names_they_use():
    assert "g7_ai_start" in set(profiles.claims_about("JPN")["claim_id"])  # "under Japan's presidency"
    usa = profiles.claims_about("USA")
    assert len(usa) and usa["claim"].str.contains(r"\bUS\b").all()
    assert profiles.claims_about("KEN").empty


def test_named_in_prefers_the_longest_name():
    assert countries.named_in("Papua New Guinea and Guinea-Bissau") == {"PNG", "GNB"}
    assert countries.named_in("The UK and the US met; USD 5 billion") == {"GBR", "USA"}
    assert countries.named_in("no country here") == set()


def test_capacity_medians_are_over_the_group_with_values():
    frame = profiles.capacity_frame()
    cmp = profiles.capacity_comparison("KEN").set_index("indicator")
    group = frame[frame["income_group"] == frame.loc["KEN", "income_group"]]["internet_use"].dropna()
    assert cmp.loc["internet_use", "group_median"] == pytest.approx(group.median())
    assert cmp.loc["internet_use", "group_n"] == len(group)
    assert cmp.loc["internet_use", "value"] == frame.loc["KEN", "internet_use"]


def test_facts_of_a_state_outside_the_network():
    outside = sorted(set(governance.recorded_states()) - set(network_on(None)))
    assert outside, "every state with a membership is in the network: pick another case"
    f = profile.facts(outside[0], None, profiles.forum_rows(outside[0], None), profiles.history(outside[0], None))
    assert f["in_network"] == 0 and f["not_in_network"] == 1 and f["counted_phrase"] == "none"
    assert f["rank_partners"] == "not in the network"


def test_date_links_mark_the_page_itself_and_link_the_others():
    html = profile._dates_html("KEN", pd.Timestamp("2020-12-31"), profiles.archive_dates("KEN"))
    assert "<strong>31 Dec 2020</strong>" in html and 'href="2020-12-31.html"' not in html
    assert 'href="2019-12-31.html"' in html and 'href="index.html"' in html
