"""Section "Safety institutes": values checked against the curated CSVs read independently
(plain csv module, own date logic), empty-data behaviour and parameter errors."""

import pandas as pd
import pytest

from aigov import countries, datasets, params
from aigov import safety_institutes as S
from aigov.errors import ParameterError
from independent import last_date as last_day
from independent import rows

DOCS = ["bletchley_declaration", "seoul_declaration", "seoul_ministerial_statement", "paris_statement",
        "coe_ai_convention"]
MID_2024, BEFORE = pd.Timestamp("2024-06-30"), pd.Timestamp("2023-10-01")






def signed(forum, as_of=None):
    """{member: joined} of a forum's signatory rows in force on as_of, from the raw CSV."""
    out = {}
    for r in rows("memberships"):
        if r["forum_id"] != forum or r["role"] not in ("signatory", "ratified", "member") or r["left"]:
            continue
        if as_of is not None and (not r["joined"] or last_day(r["joined"]) > as_of.date()):
            continue
        out[r["member"]] = r["joined"]
    return out


FORUMS = {r["forum_id"]: r for r in rows("forums")}


@pytest.fixture(scope="module")
def latest():
    return S.signature_matrix(None)


def test_matrix_signed_cells_match_the_csv(latest):
    for forum in DOCS:
        cells = latest[(latest["forum_id"] == forum) & (latest["status"] == S.SIGNED)]
        expected = signed(forum)
        assert set(cells["member"]) == set(expected), forum
        got = dict(zip(cells["member"], cells["signed"]))
        assert {m: (d or None) for m, d in expected.items()} == got, forum


def test_matrix_rows_are_everyone_who_signed_something(latest):
    everyone = set().union(*(signed(f) for f in DOCS))
    assert set(latest["member"]) == everyone
    assert len(latest) == len(everyone) * len(DOCS)


def test_matrix_marks_absence_by_coverage(latest):
    absent = latest[latest["status"] != S.SIGNED]
    for forum, group in absent.groupby("forum_id"):
        expected = S.NOT_RECORDED if FORUMS[forum]["coverage"] == "partial" else S.NOT_SIGNED
        assert set(group["status"]) == {expected}, forum
    # the examples of the brief, read straight from the CSV
    cell = latest.set_index(["member", "forum_id"])["status"]
    assert "CHN" in signed("bletchley_declaration") and "CHN" not in signed("seoul_declaration")
    assert cell[("CHN", "bletchley_declaration")] == S.SIGNED
    assert cell[("CHN", "seoul_declaration")] == S.NOT_SIGNED
    assert FORUMS["paris_statement"]["coverage"] == "partial"
    for code in ["USA", "GBR"]:
        assert code not in signed("paris_statement")
        assert cell[(code, "paris_statement")] == S.NOT_RECORDED  # a gap, never "not signed"


def test_matrix_on_a_date_drops_later_documents_and_signatures():
    m = S.signature_matrix(MID_2024)
    adopted = [f for f in DOCS if last_day(FORUMS[f]["founded"]) <= MID_2024.date()]
    assert list(dict.fromkeys(m["forum_id"])) == adopted
    for forum in adopted:
        got = set(m[(m["forum_id"] == forum) & (m["status"] == S.SIGNED)]["member"])
        assert got == set(signed(forum, MID_2024)), forum
    # New Zealand endorsed Bletchley later (joined given to the month only)
    nzl = [r for r in rows("memberships") if r["forum_id"] == "bletchley_declaration" and r["member"] == "NZL"]
    assert nzl and last_day(nzl[0]["joined"]) > MID_2024.date()
    assert m.set_index(["member", "forum_id"]).loc[("NZL", "bletchley_declaration"), "status"] == S.NOT_SIGNED


def test_matrix_wide_counts_and_order(latest):
    wide = S.matrix_wide(latest)
    counts = {}
    for f in DOCS:
        for m in signed(f):
            counts[m] = counts.get(m, 0) + 1
    assert dict(zip(wide["member"], wide["documents_signed"])) == counts
    assert wide["documents_signed"].is_monotonic_decreasing


def test_transitions_between_summits():
    t = S.transitions(None)
    bletchley = set(signed("bletchley_declaration"))
    seoul = set(signed("seoul_declaration")) | set(signed("seoul_ministerial_statement"))
    paris = set(signed("paris_statement"))
    b_s = t[(t["from"] == "Bletchley") & (t["to"] == "Seoul")]
    seoul_partial = {r["coverage"] for r in rows("forums")
                     if r["forum_id"] in ("seoul_declaration", "seoul_ministerial_statement")} != {"complete"}
    absent = S.NOT_RECORDED if seoul_partial else "did not sign"
    assert set(b_s.loc[b_s["change"] == absent, "member"]) == bletchley - seoul
    assert set(b_s.loc[b_s["change"] == "new", "member"]) == seoul - bletchley
    s_p = t[(t["from"] == "Seoul") & (t["to"] == "Paris")]
    assert set(s_p.loc[s_p["change"] == S.NOT_RECORDED, "member"]) == seoul - paris
    assert "did not sign" not in set(s_p["change"])  # partial list: no refusals inferred
    assert {"CHN"} <= bletchley - seoul


def test_stated_non_signers_comes_from_the_forum_note():
    clause = S.stated_non_signers("paris_statement")
    assert clause and clause in FORUMS["paris_statement"]["note"] and "did not sign" in clause
    assert S.stated_non_signers("bletchley_declaration") == ""


def test_documents_counts():
    d = S.documents(None).set_index("forum_id")
    for f in DOCS:
        assert d.loc[f, "signatories"] == len(signed(f))
        assert d.loc[f, "states"] == len([m for m in signed(f) if m not in ("EUU", "XAU", "XKX")])
        assert d.loc[f, "coverage"] == FORUMS[f]["coverage"]


def test_institutes_cut_at_as_of():
    raw = rows("safety_institutes")
    for as_of in [None, MID_2024, BEFORE]:
        def known(v):
            return bool(v) and (as_of is None or last_day(v) <= as_of.date())
        expected = {r["institute_id"] for r in raw if known(r["announced"]) or known(r["launched"])}
        inst = S.institutes(as_of)
        assert set(inst["institute_id"]) == expected
        renamed = {r["institute_id"] for r in raw if known(r["renamed"])}
        assert set(inst.loc[inst["renamed"].notna(), "institute_id"]) == renamed
    assert S.institutes(MID_2024)["renamed"].isna().all()  # both renamings came in 2025


def test_network_status_and_members():
    net = [r for r in rows("memberships") if r["forum_id"] == "aisi_network" and not r["left"]]
    first = min(last_day(r["joined"]) for r in net)
    latest = S.network_status(None)
    assert latest.stage == "convened" and latest.convened.date() == first
    assert latest.members == sorted(r["member"] for r in net)
    mid = S.network_status(MID_2024)
    assert mid.stage == "announced" and mid.members == [] and mid.convened is None
    assert mid.announced.date() <= MID_2024.date()
    assert S.network_status(BEFORE).stage == "not announced"

    g7 = {r["member"] for r in rows("memberships") if r["forum_id"] == "g7" and not r["left"]
          and r["role"] in ("member", "participating")}
    oecd = {r["member"] for r in rows("memberships") if r["forum_id"] == "oecd" and not r["left"]}
    m = S.network_members(None).set_index("member")
    assert set(m.index[m["g7"]]) == g7 & set(m.index)
    assert set(m.index[m["oecd"]]) == oecd & set(m.index)
    with_inst = {r["member"] for r in rows("safety_institutes")}
    assert set(m.index[m["institute"].isna()]) == set(m.index) - with_inst


def test_map_status():
    status = S.map_status(None)
    members = {r["member"] for r in rows("memberships") if r["forum_id"] == "aisi_network"}
    eu = {r["member"] for r in rows("memberships") if r["forum_id"] == "eu" and not r["left"]}
    assert {k for k, v in status.items() if v == "network"} == members - {"EUU"}
    assert {k for k, v in status.items() if v == "via_eu"} == eu - members - {
        r["member"] for r in rows("safety_institutes")}
    assert "EUU" not in status
    assert set(S.map_status(MID_2024).values()) == {"institute"}


def test_profile_population_share_matches_indicators():
    ind = datasets.indicators()
    circle = S.circles(None)
    summit = set(signed("bletchley_declaration")) | set(signed("seoul_declaration")) \
        | set(signed("seoul_ministerial_statement"))
    assert set(circle[S.SUMMIT_CIRCLE]) == summit
    prof = S.profile(circle, None).set_index("circle")
    pop = ind["population"].dropna()
    states = [c for c in summit if c not in ("EUU", "XAU")]
    assert prof.loc[S.SUMMIT_CIRCLE, "population_share"] == pytest.approx(pop[pop.index.isin(states)].sum() / pop.sum())
    assert prof.loc["World", "population_share"] == 1.0
    groups = ind.loc[ind.index.isin(states), "income_group"]
    lmic = groups.isin(["Upper Middle Income", "Lower Middle Income", "Low Income"]).sum()
    assert prof.loc[S.SUMMIT_CIRCLE, "low_or_middle_share"] == pytest.approx(lmic / groups.notna().sum())
    assert any("(partial list)" in c for c in circle)  # the Paris circle is labelled as partial


def test_seed_claims_verdicts():
    claims = S.seed_claims(None).set_index("claim")
    verdicts = claims["verdict"].tolist()
    bletchley = [r for r in rows("events") if r["forum_id"] == "bletchley_declaration" and r["category"] == "summit"]
    month = bletchley[0]["date"][:7]
    assert month != "2023-10"  # the data dates the summit to November, not October
    assert verdicts[0].startswith("differs")
    net = {r["member"] for r in rows("memberships") if r["forum_id"] == "aisi_network"}
    assert set(S.SEED_FOUNDERS) < net
    assert verdicts[3] == "differs: incomplete list"
    assert verdicts[4] == "confirmed"
    assert set(S.seed_claims(BEFORE)["verdict"]) == {"not checkable"}
    mid = S.seed_claims(MID_2024)["verdict"].tolist()
    assert mid[3] == mid[4] == "not checkable"


def test_empty_date_builds_empty_tables_and_says_so():
    docs = S.documents(BEFORE)
    assert not docs["adopted"].any()
    assert S.signature_matrix(BEFORE).empty and S.matrix_wide(S.signature_matrix(BEFORE)).empty
    assert S.transitions(BEFORE).empty and S.institutes(BEFORE).empty
    assert S.institute_events(S.institutes(BEFORE)).empty
    assert S.network_members(BEFORE).empty and S.map_status(BEFORE) == {}
    circle = S.circles(BEFORE)
    assert S.SUMMIT_CIRCLE not in circle and "G7 or OECD" in circle
    assert "had not begun" in S.signatures_text(docs, BEFORE)
    assert S.partial_text(docs) == "" and S.focus_text(S.matrix_wide(S.signature_matrix(BEFORE)), docs, ["USA"]) == ""
    assert S.transitions_text(S.transitions(BEFORE), docs, ["USA"], BEFORE) == ""
    assert "No AI safety institute" in S.institutes_text(S.institutes(BEFORE), docs, BEFORE)
    assert "No international network" in S.network_text(S.network_status(BEFORE), S.network_members(BEFORE), BEFORE)
    assert "No safety summit" in S.circles_text(S.profile(circle, BEFORE), BEFORE)


def test_mid_2024_network_is_a_commitment_only():
    text = S.network_text(S.network_status(MID_2024), S.network_members(MID_2024), MID_2024)
    assert "only as a commitment" in text and "No member is recorded" in text


def test_short_label():
    assert S.short_label("AI Safety Institute (UK AISI)") == "UK AISI"
    assert S.short_label("Digital Trust Centre (designated Singapore AI Safety Institute)") == "Digital Trust Centre"
    assert S.short_label("European AI Office") == "European AI Office"


@pytest.mark.parametrize("name, value", [("as_of", "2024-13-01"), ("as_of", "30/06/2024"), ("focus", "USA,XXX")])
def test_invalid_parameters_name_the_parameter(name, value):
    check = params.as_of if name == "as_of" else params.focus
    with pytest.raises(ParameterError, match=f"parameter {name}: .*{value.split(',')[-1]}"):
        check(value)


def test_landmarks_follow_the_events_table():
    marks = S.landmarks(None)
    summits = [r for r in rows("events") if r["category"] == "summit"
               and r["forum_id"] in ("bletchley_declaration", "seoul_declaration", "paris_statement")]
    first = {}
    for r in sorted(summits, key=lambda r: r["date"]):
        first.setdefault(r["forum_id"], r["date"])
    summit_marks = marks[marks["label"] != "network meets"]
    assert sorted(summit_marks["date"].dt.strftime("%Y-%m-%d")) == sorted(first.values())
    assert "network meets" in set(marks["label"])
    mid = S.landmarks(MID_2024)
    assert set(mid["label"]) == {"Bletchley", "Seoul"}
    assert S.landmark_phrase(mid) == "the opening of the Bletchley and Seoul summits"
    assert S.landmarks(BEFORE).empty


def test_continents_counts_states_only():
    out = countries.continents(["USA", "CAN", "KEN", "EUU"])
    assert out.to_dict() == {"America": 2, "Africa": 1}
    assert countries.continents(["EUU"]).empty


def test_takeaway_in_each_stage():
    def run(as_of):
        circle = S.circles(as_of)
        return S.takeaway(S.documents(as_of), S.transitions(as_of), S.network_status(as_of),
                          S.network_members(as_of), S.profile(circle, as_of), as_of)
    assert "had not yet started" in run(BEFORE)
    assert "had not met" in run(MID_2024)
    latest = run(None)
    n = len({r["member"] for r in rows("memberships") if r["forum_id"] == "aisi_network"})
    assert f"{n} members" in latest


def test_focus_text_counts_from_the_csv():
    docs = S.documents(None)
    text = S.focus_text(S.matrix_wide(S.signature_matrix(None)), docs, ["CHN", "ZAF"])
    n_chn = sum("CHN" in signed(f) for f in DOCS)
    assert f"China signed {n_chn} of {len(DOCS)}" in text
    assert "did not sign the Seoul Declaration" in text.split(";")[0]
    assert f"South Africa signed {sum('ZAF' in signed(f) for f in DOCS)} of" in text
