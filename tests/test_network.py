"""Chapter "A network of networks": the graphs, overlaps and centralities checked against
independent readings of the curated CSVs (plain csv, own date logic, sets and sums written here),
the chapter's facts, its figure functions on tiny frames, its prose, empty-data behaviour and
parameter errors."""
import csv
import itertools
import re
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from independent import ACTIVE, last_day, members_on, rows

from aigov import datasets, governance, params, plots, report, style
from aigov import network as N
from aigov import functions as F
from aigov import function_matrix as CF
from aigov.chapters import network as CH
from aigov.errors import ParameterError

NOT_AI = {"african_union", "brics", "eu", "un", "unesco", "iso_iec_sc42"}
NON_STATES = {"EUU", "XAU", "XIF", "XKX"}  # the data dictionary's codes for members that are not states
DAY = "2024-08-01"
NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "06_network.md"


def ai_forums():
    return [r["forum_id"] for r in rows("forums") if r["forum_id"] not in NOT_AI]


def states_on(forum, day):
    """State members of ``forum`` on ``day`` (None: every current row, dated or not)."""
    if day is None:
        found = {r["member"] for r in rows("memberships")
                 if r["forum_id"] == forum and r["role"] in ACTIVE and not r["left"]}
    else:
        found = members_on(forum, day)
    return found - NON_STATES


def seats(day, forums):
    return {f: states_on(f, day) for f in forums}


def ts(day):
    return None if day is None else pd.Timestamp(day)


# --- the graphs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("day", [DAY, "2020-12-31", None])
def test_bipartite_graph_has_one_edge_per_state_seat(day):
    forums = ai_forums()
    expected = seats(day, forums)
    g = N.bipartite(N.matrix(ts(day), forums))
    assert set(N.forum_nodes(g)) == {f for f, s in expected.items() if s}
    assert set(N.country_nodes(g)) == set().union(*expected.values())
    assert g.number_of_edges() == sum(len(s) for s in expected.values())


@pytest.mark.parametrize("a, b, day", [("oecd", "gpai", DAY), ("bletchley_declaration", "seoul_ministerial_statement", DAY),
                                       ("g7", "coe_ai_convention", None), ("oecd_ai_principles", "gpai", "2021-06-30")])
def test_jaccard_matches_plain_sets(a, b, day):
    sa, sb = states_on(a, day), states_on(b, day)
    m = N.matrix(ts(day), ai_forums())
    assert N.jaccard(m).loc[a, b] == pytest.approx(len(sa & sb) / len(sa | sb))
    row = N.pairs(m).query("(forum_a == @a and forum_b == @b) or (forum_a == @b and forum_b == @a)").iloc[0]
    assert (row["shared"], row["either"]) == (len(sa & sb), len(sa | sb))


def test_pairs_cover_every_pair_once_sorted_by_similarity():
    m = N.matrix(ts(DAY), ai_forums())
    active = [f for f, s in seats(DAY, ai_forums()).items() if s]
    pr = N.pairs(m)
    assert len(pr) == len(active) * (len(active) - 1) // 2
    assert pr["jaccard"].is_monotonic_decreasing


@pytest.mark.parametrize("code, day", [("KEN", DAY), ("USA", DAY), ("BRA", "2021-06-30"), ("IND", None)])
def test_degree_in_projection_matches_shared_forums(code, day):
    forums = ai_forums()
    mine = [f for f, s in seats(day, forums).items() if code in s]
    partners = set().union(*(states_on(f, day) for f in mine)) - {code}
    weighted = sum(len(states_on(f, day)) - 1 for f in mine)  # a partner counts once per shared forum
    cent = N.centrality(N.bipartite(N.matrix(ts(day), forums)))
    assert cent.loc[code, "forums"] == len(mine)
    assert cent.loc[code, "partners"] == len(partners)
    assert cent.loc[code, "weighted_degree"] == weighted


def test_projection_weight_is_the_number_of_forums_shared():
    forums = ai_forums()
    p = N.projection(N.bipartite(N.matrix(ts(DAY), forums)))
    for a, b in [("USA", "GBR"), ("KEN", "RWA"), ("BRA", "IND")]:
        shared = sum(1 for s in seats(DAY, forums).values() if a in s and b in s)
        assert (p[a][b]["weight"] if p.has_edge(a, b) else 0) == shared


def test_top_hubs_at_the_end_of_2016_are_computed_from_the_csv():
    forums, day = ai_forums(), "2016-12-31"
    groups = seats(day, forums)
    states = set().union(*groups.values())
    weighted = {c: sum(len(s) - 1 for s in groups.values() if c in s) for c in states}
    best = max(weighted.values())
    cent = N.centrality(N.bipartite(N.matrix(ts(day), forums)))
    assert N.hubs(cent) == sorted(c for c, w in weighted.items() if w == best)


def test_eu_seats_are_not_passed_on_to_member_states():
    forums = ai_forums()
    day = "2021-06-30"  # later, every EU member state holds some seat of its own
    direct = set().union(*seats(day, forums).values())
    eu_states = states_on("eu", day)
    eu_only = sorted(eu_states - direct)
    assert eu_only, "the data hold EU member states without a seat of their own"
    table = N.country_table(ts(day), forums)
    assert not table.loc[eu_only, "in_network"].any()
    assert (table.loc[eu_only, "via_eu"] > 0).all()
    assert "EUU" not in N.matrix(ts(day), forums).index


def test_sole_forum_and_nested_pairs_match_the_csv():
    forums = ai_forums()
    groups = seats(DAY, forums)
    m = N.matrix(ts(DAY), forums)
    count = {}
    for c in set().union(*groups.values()):
        mine = [f for f, s in groups.items() if c in s]
        if len(mine) == 1:
            count[mine[0]] = count.get(mine[0], 0) + 1
    sole = N.sole_forum(m)
    assert {f: n for f, n in sole.items() if n} == count
    nest = N.nested(m)
    expected = {(a, b) for a, b in itertools.permutations([f for f, s in groups.items() if s], 2)
                if groups[a] < groups[b]}
    assert set(zip(nest["inner"], nest["outer"])) == expected
    assert ("g7", "g20") in expected


def test_snapshot_counts_low_and_middle_income_states_from_the_income_file():
    from aigov.sources import fetch
    with open(fetch("income_groups"), newline="", encoding="utf-8") as fh:
        income = {r["Code"]: r["World Bank's income classification"].strip() for r in csv.DictReader(fh)
                  if len(r["Code"]) == 3}
    forums = ai_forums()
    states = set().union(*seats(DAY, forums).values())
    lmic = {"Low Income", "Lower Middle Income", "Upper Middle Income"}
    table = N.country_table(ts(DAY), forums)
    snap = N.snapshot(ts(DAY), forums, table["income_group"])
    assert snap["countries"] == len(states)
    assert snap["lmic_in_network"] == sum(1 for c in states if income.get(c) in lmic)
    n = len(states)
    links = sum(1 for a, b in itertools.combinations(sorted(states), 2)
                if any(a in s and b in s for s in seats(DAY, forums).values()))
    assert snap["links"] == links
    assert snap["density"] == pytest.approx(2 * links / (n * (n - 1)))


def test_by_income_shares_add_up():
    table = N.country_table(None, ai_forums())
    inc = N.by_income(table)
    assert inc["countries"].sum() == len(table)
    assert inc["in_network"].sum() == table["in_network"].sum()
    assert list(inc["income_group"]) == [g for g in datasets.INCOME_ORDER if g in set(inc["income_group"])]


# --- measures on small graphs -------------------------------------------------------------------

def test_centralization_of_a_star_and_a_complete_graph():
    assert N.centralization(nx.star_graph(5)) == pytest.approx(1.0)
    assert N.centralization(nx.complete_graph(6)) == pytest.approx(0.0)
    assert np.isnan(N.centralization(nx.path_graph(2)))


def test_cut_off_counts_nodes_outside_the_largest_component():
    g = nx.Graph([("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")])
    assert N.cut_off(g, []) == 0
    assert N.cut_off(g, ["B"]) == 1  # A alone, C-D-E together
    assert N.cut_off(nx.complete_graph(5), [0, 1]) == 0
    assert N.cut_off(g, list(g)) == 0


def test_layout_is_deterministic_and_keeps_forums_on_the_circle():
    g = N.bipartite(N.matrix(ts(DAY), ai_forums()))
    one, two = N.layout(g), N.layout(g)
    assert all(np.allclose(one[k], two[k]) for k in one)
    assert all(np.hypot(*one[f]) == pytest.approx(1.0) for f in N.forum_nodes(g))
    xy = np.array([one[c] for c in N.country_nodes(g)])
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) + np.eye(len(xy))
    assert dist.min() > 0.03  # dots moved apart


# --- over time and proposals --------------------------------------------------------------------

def test_series_dates_are_year_ends_then_the_date():
    dates = N.series_dates(pd.Timestamp("2019-01-01"), ai_forums())
    assert dates == [pd.Timestamp(f"{y}-12-31") for y in (2016, 2017, 2018)] + [pd.Timestamp("2019-01-01")]
    assert N.series_dates(pd.Timestamp("2015-01-01"), ai_forums()) == [pd.Timestamp("2015-01-01")]
    latest = N.series_dates(None, ai_forums())
    assert latest[-1] is None and latest[0] == pd.Timestamp("2016-12-31")


def test_series_follows_the_csv_and_the_focus():
    s = N.series(pd.Timestamp("2021-01-01"), ai_forums(), N.country_table(None, ai_forums())["income_group"], ["KEN", "USA"])
    for row in s.itertuples():
        day = row.date.strftime("%Y-%m-%d")
        assert row.countries == len(set().union(*seats(day, ai_forums()).values()))
        assert row.forums_USA == sum(1 for s_ in seats(day, ai_forums()).values() if "USA" in s_)
    assert (s["forums_KEN"] == 0).all()


def test_proposals_are_the_proposal_rows_up_to_the_date():
    day = "2024-01-01"
    expected = {r["title"] for r in rows("events") if r["category"] == "proposal" and last_day(r["date"]) <= day}
    got = N.proposals(pd.Timestamp(day))
    assert set(got.loc[got["kind"] == "proposal", "title"]) == expected
    later = N.proposals(None)
    assert (later["kind"] == "UN step").any()
    assert later.loc[later["kind"] == "UN step", "category"].eq("un").all()


# --- empty and near-empty data ------------------------------------------------------------------

def test_no_network_before_the_forums_exist():
    m = N.matrix(pd.Timestamp("2019-01-01"), ["paris_statement", "aisi_network"])
    g = N.bipartite(m)
    assert m.empty and g.number_of_nodes() == 0
    assert N.projection(g).number_of_nodes() == 0
    assert N.centrality(g).empty and N.hubs(N.centrality(g)) == []
    assert N.pairs(m).empty and N.jaccard(m).empty and N.nested(m).empty
    assert N.layout(g) == {}
    snap = N.snapshot(pd.Timestamp("2019-01-01"), ["paris_statement"], pd.Series({"KEN": "Lower Middle Income"}))
    assert snap["countries"] == 0 and snap["share_lmic"] == 0 and np.isnan(snap["density"])
    assert N.proposals(pd.Timestamp("2015-01-01")).empty


def test_in_2015_only_the_general_clubs_have_members():
    g = N.bipartite(N.matrix(pd.Timestamp("2015-01-01"), ai_forums()))
    expected = {f for f, s in seats("2015-01-01", ai_forums()).items() if s}
    assert set(N.forum_nodes(g)) == expected == {"g7", "g20", "oecd"}


# --- parameters ---------------------------------------------------------------------------------

def test_parameter_errors_name_the_parameter_and_value():
    with pytest.raises(ParameterError, match=r"parameter forums: .*nonsense"):
        params.forums("g7,nonsense")
    with pytest.raises(ParameterError, match=r"parameter as_of: '2019-13-01'"):
        params.as_of("2019-13-01")
    with pytest.raises(ParameterError, match=r"parameter focus: .*XXX"):
        params.focus("USA,XXX")
    assert params.forums("") == ai_forums()


def test_members_that_are_not_states_are_not_nodes():
    m = N.matrix(None, ai_forums())
    assert not set(m.index) & NON_STATES
    assert not set(N.country_table(None, ai_forums()).index) & NON_STATES


# --- the chapter's facts ------------------------------------------------------------------------

@pytest.fixture(scope="module", params=[None, "2020-01-01"])
def chapter(request):
    day = ts(request.param)
    focus = params.focus("")
    d = CH.data(day, focus, ai_forums())
    return request.param, d, CH.facts(d, day, focus, ai_forums())


def test_shared_facts_are_glued_under_their_own_keys(chapter):
    day, _, facts = chapter
    shared = governance.shared_facts(ts(day))
    assert {k: facts[k] for k in shared} == shared


def test_seats_and_forum_counts_match_the_csv(chapter):
    day, _, facts = chapter
    groups = seats(day, ai_forums())
    states = set().union(*groups.values())
    per_state = {c: sum(c in s for s in groups.values()) for c in states}
    assert facts["net_seats"] == sum(len(s) for s in groups.values())
    assert facts["n_single"] == sum(n == 1 for n in per_state.values())
    assert facts["n_multi"] == sum(n >= 2 for n in per_state.values())
    assert facts["max_forums"] == max(per_state.values())
    sole = {f: sum(per_state[c] == 1 for c in s) for f, s in groups.items() if s}
    assert facts["sole_top_n"] == max(sole.values())
    assert facts["n_forums_listed"] == len(ai_forums())
    pairs = [(len(a & b) / len(a | b)) for a, b in itertools.combinations([s for s in groups.values() if s], 2)]
    assert facts["n_pairs"] == len(pairs)
    assert facts["mean_jaccard"] == pytest.approx(np.mean(pairs))
    assert facts["top_pair_jaccard"] == pytest.approx(max(pairs))
    assert facts["n_disjoint"] == sum(j == 0 for j in pairs)


def test_income_facts_match_the_income_file(chapter):
    day, _, facts = chapter
    from aigov.sources import fetch
    with open(fetch("income_groups"), newline="", encoding="utf-8") as fh:
        income = {r["Code"]: r["World Bank's income classification"].strip() for r in csv.DictReader(fh)
                  if len(r["Code"]) == 3}
    states = set().union(*seats(day, ai_forums()).values())
    table = N.country_table(ts(day), ai_forums())
    lmic = [c for c in table.index if income.get(c) in {"Low Income", "Lower Middle Income", "Upper Middle Income"}]
    high = [c for c in table.index if income.get(c) == "High Income"]
    assert (facts["lmic_total"], facts["lmic_in"]) == (len(lmic), sum(c in states for c in lmic))
    assert (facts["hi_total"], facts["hi_in"]) == (len(high), sum(c in states for c in high))


def test_growth_facts_start_at_the_end_of_2016(chapter):
    day, _, facts = chapter
    assert facts["series_first_year"] == "2016"
    assert facts["first_states"] == len(set().union(*seats("2016-12-31", ai_forums()).values()))
    assert facts["last_states"] == len(set().union(*seats(day, ai_forums()).values()))


def test_facts_are_plain_values_and_every_key_is_in_the_prose(chapter):
    day, _, facts = chapter
    cells = F.cells(ts(day))
    facts = {**facts, **CF.facts(cells, F.coverage(cells), F.proposals(ts(day)), ts(day))}
    assert all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in facts.values())
    prose = NOTEBOOK.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([\w-]+)", prose)) | set(re.findall(r"when:(\w+)", prose))
    assert set(facts) | {"focus_names"} == used  # publish adds the focus countries' names


def test_notebook_shape():
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", NOTEBOOK.read_text(encoding="utf-8"), flags=re.S)
    lines = [len([ln for ln in c.splitlines() if ln.strip() and not ln.startswith(":tags:")]) for c in cells]
    assert len(cells) <= 10 and max(lines[1:]) <= 25 and np.median(lines) < 10


# --- figure functions on tiny frames ------------------------------------------------------------

TINY = pd.DataFrame({"f1": [True, True, False, True], "f2": [True, False, True, True], "f3": [False, False, True, True]},
                    index=["AAA", "BBB", "CCC", "DDD"])
INCOME = pd.Series({"AAA": "High Income", "BBB": "Low Income", "CCC": "Upper Middle Income", "DDD": "No data"})


def check(fig):
    report.check_figure(fig, "test")
    plt.close(fig)


def test_figure_functions_draw_tiny_frames_at_the_column_width():
    style.apply_theme()
    check(CH.fig_graph(TINY, INCOME, ["AAA", "ZZZ"], {"f1": "Forum one (3)"}))
    check(CH.fig_graph(TINY.iloc[:0], INCOME, [], {}))
    check(CH.fig_overlap(N.jaccard(TINY)))
    check(CH.fig_overlap(N.jaccard(TINY.iloc[:0])))
    cent = N.ranked(N.centrality(N.bipartite(TINY))).assign(income_group=INCOME)
    check(CH.fig_hubs(cent, ["BBB"], ["AAA", "DDD"]))
    table = cent.reindex(list(INCOME.index) + ["EEE"]).assign(income_group=list(INCOME) + ["Low Income"])
    table = table.assign(forums=table["forums"].fillna(0), in_network=table["forums"].fillna(0) > 0)
    check(CH.fig_income(table, ["AAA"]))
    series = pd.DataFrame({"date": pd.to_datetime(["2016-12-31", "2017-12-31", "2018-03-01"]), "countries": [2, 3, 4],
                           "share_lmic": [0.1, 0.2, 0.3], "share_multi": [0.5, 0.5, 0.6], "density": [1.0, 0.8, 0.7],
                           "forums_AAA": [1, 2, 2], "forums_BBB": [1, 1, 2]})
    check(CH.fig_growth(series, [pd.Timestamp("2017-06-01")], ["AAA", "BBB"]))
    check(CH.fig_growth(series.iloc[:1], [], []))


def test_labels_placed_on_crowded_points_do_not_overlap():
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3))
    ax.set(xlim=(0, 10), ylim=(0, 10))
    boxes = plots.place_labels(ax, [5, 5.1, 5.2, 5.3], [5, 5, 5.1, 5], ["AAA", "BBB", "CCC", "DDD"], fontsize=8.5)
    plt.close(fig)
    assert all(plots._overlap(a, b) == 0 for a, b in itertools.combinations(boxes, 2))
