"""Chapter "Standards": counts checked against an independent reading of the curated CSVs, figure
functions on tiny frames, and every fact used in the prose."""
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aigov import claims, governance, report
from aigov.chapters import standards as S
from aigov.paths import NOTEBOOKS
from independent import last_day, members_on, rows

NON_STATE = {"EUU", "XAU", "XIF", "XKX"}


def sc42_rows():
    return [r for r in rows("standards") if r["committee"] == S.SC42]


def sc42_members():
    return [r for r in rows("memberships") if r["forum_id"] == S.SC42_FORUM and r["role"] in S.SC42_ROLES]


@pytest.mark.parametrize("day", ["2021-12-31", "2025-02-01", None])
def test_sc42_published_counts(day):
    expected = [r for r in sc42_rows() if r["published"] and (day is None or last_day(r["published"]) <= day)]
    got = S.published(pd.Timestamp(day) if day else None, S.SC42)
    assert len(got) == len(expected)
    assert S.per_year(got).to_numpy().sum() == len(expected)


def test_year_only_dates_count_once_the_year_is_over():
    year_only = [r for r in sc42_rows() if len(r["published"]) == 4]
    assert year_only, "fixture needs a year-only date"
    y, sid = year_only[0]["published"], year_only[0]["standard_id"]
    assert sid not in set(S.published(pd.Timestamp(f"{y}-06-30"), S.SC42)["standard_id"])
    assert sid in set(S.published(pd.Timestamp(f"{y}-12-31"), S.SC42)["standard_id"])


def test_paper_date_claim_uses_the_same_count():
    row = claims.ledger(["sc42_published"]).iloc[0]
    expected = len([r for r in sc42_rows() if r["published"] and last_day(r["published"]) <= "2025-02-28"])
    assert row["data_value"] == expected == len(S.published(pd.Timestamp("2025-02-28"), S.SC42))


def test_nothing_published_before_the_committee_existed():
    assert S.published(pd.Timestamp("2017-01-01"), S.SC42).empty
    assert S.per_year(S.published(pd.Timestamp("2017-01-01"), S.SC42)).empty


def test_by_body_counts_published_and_in_development():
    table = S.by_body(None).set_index("body")
    for body in {r["body"] for r in rows("standards")}:
        mine = [r for r in rows("standards") if r["body"] == body]
        assert table.loc[body, "published"] == sum(1 for r in mine if r["published"])
        assert table.loc[body, "under_development"] == sum(1 for r in mine if r["status"] == "under_development")


def test_sc42_members_by_role_and_none_on_a_past_date():
    recorded = S.sc42_members(None)
    assert len(recorded) == len({r["member"] for r in sc42_members()})
    for role in S.SC42_ROLES:
        assert (recorded["role"] == role).sum() == sum(r["role"] == role for r in sc42_members())
    assert S.sc42_members(pd.Timestamp("2024-01-01")).empty  # ISO's list has no dates of joining


def test_breadth_counts_states_of_each_forum_on_a_date():
    day = "2025-02-28"
    b = S.breadth(pd.Timestamp(day)).set_index("forum_id")
    for f in governance.default_forums():
        n = len(members_on(f, day) - NON_STATE)
        assert (b.loc[f, "members"] if f in b.index else 0) == n
    assert b.loc[S.SC42_FORUM, "members"] == 0


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_facts_agree_with_the_shared_facts_and_an_independent_count(as_of):
    day = pd.Timestamp(as_of) if as_of else None
    facts = S.facts(day)
    for key, value in governance.shared_facts(day).items():
        assert facts[key] == value
    bodies = len({r["member"] for r in sc42_members()}) if as_of is None else 0
    assert facts["sc42_bodies"] == bodies
    forums = governance.default_forums()
    if as_of:
        sizes = [len(members_on(f, as_of) - NON_STATE) for f in forums]
        assert facts["n_wider_than_sc42"] == sum(n > bodies for n in sizes)
    official = {r["forum_id"]: int(r["official_count"]) for r in rows("forums") if r["official_count"]}
    assert facts["sc42_official"] == official[S.SC42_FORUM]
    assert facts["n_official_wider"] == sum(official.get(f, 0) > official[S.SC42_FORUM] for f in forums)


def test_every_fact_is_used_in_the_prose():
    text = (NOTEBOOKS / "04_standards.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(re.findall(r"when:(\w+)", text))
    facts = S.facts(None)
    assert set(facts) - used == set()
    assert used - set(facts) == {"focus_names"}  # publish adds the focus countries' names


def test_figure_functions_draw_tiny_frames_at_the_column_width():
    docs = pd.DataFrame({"standard_id": ["a", "b", "c"], "year": [2020, 2022, 2022],
                         "topic_label": ["Data", "Data", "Testing"]})
    breadth = pd.DataFrame({"forum_id": ["x", S.SC42_FORUM, "y"], "forum": ["X", "SC 42", "Y"],
                            "members": [9, 5, 2], "coverage": ["complete", "partial", "partial"],
                            "participating": [0, 3, 0], "observing": [0, 2, 0]})
    members = pd.DataFrame({"member": ["USA", "KEN"], "role": ["participating", "observing"]})
    for i, fig in enumerate([S.fig_output(docs), S.fig_breadth(breadth, 4), S.fig_breadth(breadth),
                             S.fig_map(members, ["KEN"])]):
        report.check_figure(fig, f"tiny-{i}")
        plt.close(fig)
    assert list(S.per_year(docs).index) == [2020, 2021, 2022]  # every year from the first


@pytest.mark.parametrize("day", [None, "2020-01-01"])
def test_the_widest_forums_list_is_read_from_that_forums_coverage(day):
    as_of = None if day is None else pd.Timestamp(day)
    facts = S.facts(as_of, S.data(as_of))
    widest = governance.forum_sizes(as_of)["forum_id"].iloc[0]
    forum = next(r for r in rows("forums") if r["forum_id"] == widest)
    assert facts["widest_official"] == int(forum["official_count"])
    assert facts["widest_recorded_now"] >= facts["widest_states"] > 0
