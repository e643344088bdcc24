"""Chapter "The G7 as incubator": values checked against independent readings of the curated CSVs,
figure functions on tiny frames, and every fact used in the prose."""
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aigov import claims, governance, report
from aigov.chapters import g7_incubator as C
from aigov.errors import ParameterError
from aigov.paths import NOTEBOOKS
from independent import members_on, rows

FORUMS = ["g7", "oecd_ai_principles", "g20", "gpai", "hiroshima_friends"]
NON_STATE = {"EUU", "XAU", "XIF", "XKX"}


def states_on(forum, day):
    return members_on(forum, day) - NON_STATE


@pytest.mark.parametrize("day", ["2021-01-01", "2024-08-01"])
def test_reach_counts_match_an_independent_reading(day):
    reach = C.reach(["g7", "gpai"], pd.Timestamp(day)).set_index("forum_id")
    gpai, g7 = states_on("gpai", day), states_on("g7", day)
    assert reach.loc["gpai", "states"] == len(gpai)
    assert reach.loc["gpai", "outside_g7"] == len(gpai - g7)
    assert reach.loc["gpai", "outside_oecd"] == len(gpai - states_on("oecd", day))
    assert reach.loc["g7", "outside_g7"] == 0


def test_continents_count_every_member_state_once():
    reach = C.reach(["gpai"], pd.Timestamp("2024-08-01")).set_index("forum_id")
    assert reach.loc["gpai", C.CONTINENTS].sum() == len(states_on("gpai", "2024-08-01"))


def test_population_share_of_the_g7_is_computed_from_the_population_file():
    from aigov.sources import fetch
    pop = pd.read_csv(fetch("population"))
    pop = pop[pop["iso_code"].str.len() == 3].set_index("iso_code")["population"]
    expected = pop[["CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "USA"]].sum() / pop.sum()
    share = C.reach(["g7"], pd.Timestamp("2024-01-01")).loc[0, "population_share"]
    assert share == pytest.approx(expected)


def test_chain_dates_come_from_events_and_forums():
    ch = C.chain(FORUMS, None).set_index("forum_id")
    assert ch.loc["g7", "first_event"] == pd.Timestamp(min(r["date"] for r in rows("events") if r["forum_id"] == "g7"))
    founded = next(r["founded"] for r in rows("forums") if r["forum_id"] == "gpai")
    assert ch.loc["gpai", "adopted_text"] == founded
    assert ch.loc["gpai", "states_at_adoption"] == len(states_on("gpai", founded))
    # the G20 is older than the G7's AI work: its date is its first AI event
    assert ch.loc["g20", "adopted_text"] == min(r["date"] for r in rows("events") if r["forum_id"] == "g20")


def test_chain_before_anything_happened_is_empty_not_an_error():
    ch = C.chain(FORUMS, pd.Timestamp("2015-01-01"))
    assert ch["adopted"].isna().all() and ch["first_event"].isna().all()


def test_growth_ends_at_the_dated_members_on_the_date():
    day = "2023-06-30"
    g = C.growth(FORUMS, pd.Timestamp(day), pd.Timestamp("2016-01-01"))
    last = g[g["date"] == g["date"].max()].set_index("forum_id")["states"]
    assert g["date"].max() == pd.Timestamp(day)
    for f in FORUMS:
        assert last[f] == len(states_on(f, day))


def test_income_mix_counts_every_member_state():
    matrix = C.state_matrix(["gpai"], pd.Timestamp("2024-08-01"))
    assert C.income_mix(matrix)["states"].sum() == len(states_on("gpai", "2024-08-01"))


def test_the_g7_comes_first_and_at_most_ten_forums_are_compared():
    assert C.compared(["gpai", "g7", "g20"]) == ["g7", "gpai", "g20"]
    assert C.compared(["gpai"]) == ["g7", "gpai"]
    with pytest.raises(ParameterError, match="at most ten"):
        C.compared([f"f{i}" for i in range(10)])


def test_claims_ledger_verdicts():
    ledger = claims.ledger(chapter=C.NAME).set_index("claim_id")
    launch = len(members_on("gpai", "2020-06-15"))
    assert ledger.loc["gpai_founders", "data_value"] == launch
    assert ledger.loc["friends_49", "verdict"] == "not checkable"  # partial membership data
    assert claims.ledger(["gpai_founders"], pd.Timestamp("2019-01-01")).loc[0, "verdict"] == "not checkable"


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_facts_agree_with_the_shared_facts_and_an_independent_count(as_of):
    day = pd.Timestamp(as_of) if as_of else None
    facts = C.facts(day, FORUMS)
    for key, value in governance.shared_facts(day).items():
        assert facts[key] == value
    if as_of:
        union = set().union(*[states_on(f, as_of) for f in FORUMS])
        assert facts["n_circle_states"] == len(union)
        assert facts["g7_states"] == len(states_on("g7", as_of))
        assert facts["n_in_all"] == len(set.intersection(*[states_on(f, as_of) for f in FORUMS
                                                           if states_on(f, as_of)]))


def test_every_fact_is_used_in_the_prose():
    text = (NOTEBOOKS / "02_g7_incubator.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(re.findall(r"when:(\w+)", text))
    facts = C.facts(None, FORUMS)
    assert set(facts) - used == set()
    assert used - set(facts) == {"focus_names"}  # publish adds the focus countries' names


def tiny_matrix():
    return pd.DataFrame({"g7": [True, True, False], "gpai": [True, False, True]},
                        index=pd.Index(["USA", "JPN", "KEN"], name="member"))


def test_figure_functions_draw_tiny_frames_at_the_column_width():
    names = {"g7": "G7", "gpai": "GPAI"}
    chain = pd.DataFrame({"forum_id": ["g7", "gpai"], "forum": ["G7", "GPAI"],
                          "first_event": pd.to_datetime(["2016-04-29", "2018-06-07"]),
                          "adopted": pd.to_datetime(["2016-04-29", "2020-06-15"]), "states_at_adoption": [7, 1]})
    growth = pd.DataFrame({"date": pd.to_datetime(["2016-01-01", "2020-06-15", "2016-01-01", "2020-06-15"]),
                           "forum_id": ["g7", "g7", "gpai", "gpai"], "states": [7, 7, 0, 14]})
    mix = C.income_mix(tiny_matrix())
    figs = [C.fig_chain(chain), C.fig_growth(growth, names, ["g7", "gpai"]), C.fig_income(mix, names, ["g7", "gpai"]),
            C.fig_map(tiny_matrix(), ["KEN"]), C.fig_overlaps(tiny_matrix(), names)]
    for i, fig in enumerate(figs):
        report.check_figure(fig, f"tiny-{i}")
        plt.close(fig)


def test_map_status_counts_forums_per_state():
    assert C.map_status(tiny_matrix()) == {"USA": "2", "JPN": "1", "KEN": "1"}
