"""Chapter "Safety institutes": values checked against the curated CSVs read independently
(plain csv module, own date logic), the chapter's facts and figures, empty-data behaviour and
parameter errors."""
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aigov import datasets, governance, params, report
from aigov import safety_institutes as S
from aigov.chapters import safety_institutes as C
from aigov.errors import ParameterError
from independent import last_date as last_day
from independent import rows

SUMMITS = {"Bletchley": ["bletchley_declaration"], "Seoul": ["seoul_declaration", "seoul_ministerial_statement"],
           "Paris": ["paris_statement"], "New Delhi": ["new_delhi_declaration"]}
DOCS = [f for fs in SUMMITS.values() for f in fs] + ["coe_ai_convention"]
NON_STATE = {"EUU", "XAU", "XIF", "XKX"}
MID_2024, BEFORE = pd.Timestamp("2024-06-30"), pd.Timestamp("2020-01-01")
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_safety_institutes.md"
FORUMS = {r["forum_id"]: r for r in rows("forums")}


def signed(forum, as_of=None):
    """{member: (joined, evidence)} of a forum's rows in force on as_of, from the raw CSV; a
    member with two rows (a signature, then a ratification) counts from the earlier."""
    out = {}
    for r in rows("memberships"):
        if r["forum_id"] != forum or r["role"] not in ("signatory", "ratified", "member") or r["left"]:
            continue
        if as_of is not None and (not r["joined"] or last_day(r["joined"]) > as_of.date()):
            continue
        if r["member"] not in out or last_day(r["joined"]) < last_day(out[r["member"]][0]):
            out[r["member"]] = (r["joined"], r["evidence"])
    return out


def adopted(forum, as_of):
    return as_of is None or last_day(FORUMS[forum]["founded"]) <= as_of.date()


@pytest.fixture(scope="module")
def latest():
    return S.signature_matrix(None)


@pytest.fixture(scope="module")
def facts():
    return {as_of: C.facts(as_of, params.focus("")) for as_of in [None, MID_2024, BEFORE]}


def test_documents_counts():
    d = S.documents(None).set_index("forum_id")
    assert list(d.index) == DOCS
    for f in DOCS:
        assert d.loc[f, "signatories"] == len(signed(f))
        assert d.loc[f, "states"] == len([m for m in signed(f) if m not in NON_STATE])
        assert d.loc[f, "secondary"] == sum(e == "secondary" for _, e in signed(f).values())
        assert d.loc[f, "coverage"] == FORUMS[f]["coverage"]


def test_matrix_cells_match_the_csv(latest):
    for forum in DOCS:
        cells = latest[(latest["forum_id"] == forum) & latest["status"].isin([S.SIGNED, S.SECONDARY])]
        expected = signed(forum)
        assert set(cells["member"]) == set(expected), forum
        for m, status, day in zip(cells["member"], cells["status"], cells["signed"]):
            assert (day or "") == expected[m][0]
            assert (status == S.SECONDARY) == (expected[m][1] == "secondary")
    everyone = set().union(*(signed(f) for f in DOCS))
    assert set(latest["member"]) == everyone and len(latest) == len(everyone) * len(DOCS)


def test_matrix_marks_absence_by_coverage(latest):
    absent = latest[latest["status"].isin([S.NOT_SIGNED, S.NOT_RECORDED])]
    for forum, group in absent.groupby("forum_id"):
        expected = S.NOT_RECORDED if FORUMS[forum]["coverage"] == "partial" else S.NOT_SIGNED
        assert set(group["status"]) == {expected}, forum
    cell = latest.set_index(["member", "forum_id"])["status"]
    assert cell[("CHN", "bletchley_declaration")] == S.SIGNED
    assert cell[("CHN", "seoul_declaration")] == S.NOT_SIGNED
    for code in ["USA", "GBR"]:  # missing from a partial list: a gap, never "not signed"
        assert code not in signed("paris_statement")
        assert cell[(code, "paris_statement")] == S.NOT_RECORDED


def test_matrix_on_a_date_drops_later_documents_and_signatures():
    m = S.signature_matrix(MID_2024)
    assert list(dict.fromkeys(m["forum_id"])) == [f for f in DOCS if adopted(f, MID_2024)]
    nzl = signed("bletchley_declaration")["NZL"][0]  # New Zealand endorsed Bletchley later
    assert last_day(nzl) > MID_2024.date()
    assert m.set_index(["member", "forum_id"]).loc[("NZL", "bletchley_declaration"), "status"] == S.NOT_SIGNED


def test_matrix_wide_counts_and_order(latest):
    wide = S.matrix_wide(latest)
    counts = {}
    for f in DOCS:
        for m in signed(f):
            counts[m] = counts.get(m, 0) + 1
    assert dict(zip(wide["member"], wide["documents_signed"])) == counts
    assert wide["documents_signed"].is_monotonic_decreasing


@pytest.mark.parametrize("as_of", [None, MID_2024, BEFORE])
def test_summit_signers(as_of):
    held = [s for s, fs in SUMMITS.items() if any(adopted(f, as_of) for f in fs)]
    assert S.summits_held(as_of) == held
    got = S.summit_signers(as_of).set_index("member")
    expected = {}
    for s in held:
        for f in SUMMITS[s]:
            for m, (_, evidence) in signed(f, as_of).items():
                expected.setdefault(m, {}).setdefault(s, []).append(evidence)
    assert set(got.index) == set(expected)
    for m, by_summit in expected.items():
        assert got.loc[m, "summits"] == len(by_summit)
        assert got.loc[m, "secondary_only"] == all(e == "secondary" for es in by_summit.values() for e in es)


def test_stated_non_signers_comes_from_the_forum_note():
    clause = S.stated_non_signers("paris_statement")
    assert clause and clause in FORUMS["paris_statement"]["note"] and "did not sign" in clause
    assert S.stated_non_signers("bletchley_declaration") == ""


def test_institutes_cut_at_as_of():
    raw = rows("safety_institutes")
    for as_of in [None, MID_2024, BEFORE]:
        def known(v):
            return bool(v) and (as_of is None or last_day(v) <= as_of.date())
        inst = S.institutes(as_of)
        expected = {r["institute_id"] for r in raw if known(r["announced"]) or known(r["launched"])}
        assert set(inst["institute_id"]) == expected
        renamed = {r["institute_id"] for r in raw if known(r["renamed"])}
        assert set(inst.loc[inst["renamed"].notna(), "institute_id"]) == renamed
        events = S.institute_events(inst)
        assert len(events) == sum(known(r[c]) for r in raw for c in ("announced", "launched", "renamed")
                                  if r["institute_id"] in set(inst["institute_id"]))
        assert pd.api.types.is_datetime64_any_dtype(events["date"])


def test_network_status_and_members():
    net = [r for r in rows("memberships") if r["forum_id"] == "aisi_network" and not r["left"]]
    latest = S.network_status(None)
    assert latest.stage == "convened" and latest.convened.date() == min(last_day(r["joined"]) for r in net)
    assert latest.members == sorted(r["member"] for r in net)
    mid = S.network_status(MID_2024)
    assert mid.stage == "announced" and mid.members == [] and mid.convened is None
    assert S.network_status(BEFORE).stage == "not announced"
    g7 = {r["member"] for r in rows("memberships") if r["forum_id"] == "g7" and not r["left"]
          and r["role"] in ("member", "participating")}
    m = S.network_members(None).set_index("member")
    assert set(m.index[m["g7"]]) == g7 & set(m.index)
    assert set(m.index[m["institute"].isna()]) == set(m.index) - {r["member"] for r in rows("safety_institutes")}


def test_map_status():
    status = S.map_status(None)
    members = {r["member"] for r in rows("memberships") if r["forum_id"] == "aisi_network"}
    eu = {r["member"] for r in rows("memberships") if r["forum_id"] == "eu" and not r["left"]}
    assert {k for k, v in status.items() if v == "network"} == members - {"EUU"}
    assert {k for k, v in status.items() if v == "via_eu"} == eu - members - {
        r["member"] for r in rows("safety_institutes")}
    assert set(S.map_status(MID_2024).values()) == {"institute"} and S.map_status(BEFORE) == {}


def test_profile_matches_indicators():
    ind = datasets.indicators()
    circle = S.circles(None)
    assert list(circle["circle"]) == [*SUMMITS, S.NETWORK_CIRCLE, "G7", "OECD"]
    prof = S.profile(circle, None).set_index("circle")
    delhi = [m for m in signed("new_delhi_declaration") if m not in NON_STATE]
    pop = ind["population"].dropna()
    assert prof.loc["New Delhi", "population_share"] == pytest.approx(pop[pop.index.isin(delhi)].sum() / pop.sum())
    groups = ind.loc[ind.index.isin(delhi), "income_group"].dropna()
    assert prof.loc["New Delhi", "low_or_middle_share"] == pytest.approx(groups.isin(datasets.LOW_OR_MIDDLE).mean())
    assert bool(prof.loc["Paris", "partial"]) and not prof.loc["Bletchley", "partial"]
    assert prof.loc["World", "population_share"] == 1.0
    assert list(S.circles(BEFORE)["circle"]) == ["G7", "OECD"]


def test_facts_recomputed(facts):
    f = facts[None]
    names = {r["forum_id"]: r["short_name"] for r in FORUMS.values()}
    for forum in DOCS:
        n, k = len(signed(forum)), len([m for m in signed(forum) if m not in NON_STATE])
        assert f"the {names[forum]} {n} ({k})" in f["signatory_counts"]
    by_summit = {s: set().union(*(signed(x) for x in fs)) for s, fs in SUMMITS.items()}
    everyone = set().union(*by_summit.values())
    assert f["n_summit_states"] == len(everyone - NON_STATE)
    assert f["n_every_summit"] == len(set.intersection(*by_summit.values()))
    assert f["n_one_summit"] == sum(sum(m in s for s in by_summit.values()) == 1 for m in everyone)
    assert f["n_bletchley_not_seoul"] == len(by_summit["Bletchley"] - by_summit["Seoul"])
    assert f["n_seoul"] == len(by_summit["Seoul"]) and f["n_paris"] == len(by_summit["Paris"])
    assert f["renamed_institutes"].count("(now the ") == sum(bool(r["renamed"]) for r in rows("safety_institutes"))
    assert f["paris_missing_focus"] == "the United States and the United Kingdom"
    assert f["us_china_docs"] == "the Bletchley Declaration and the New Delhi Declaration"
    assert f["n_institutes"] == len(rows("safety_institutes"))
    assert f["n_network"] == len(S.network_status(None).members)
    assert f["network_no_institute"] == "Kenya"
    assert {k: f[k] for k in governance.shared_facts(None)} == governance.shared_facts(None)
    assert f["widest_summit"] == "New Delhi"
    assert f["si_n_confirmed"] + f["si_n_differ"] + f["si_n_uncheckable"] == f["si_n_claims"]


def test_facts_before_any_summit_read_as_empty(facts):
    f = facts[BEFORE]
    assert f["n_docs_adopted"] == f["n_summits_held"] == f["n_institutes"] == f["n_network"] == 0
    assert f["n_seoul"] == f["n_paris"] == f["n_renamed"] == 0
    assert f["widest_summit"] == f["signatory_counts"] == f["renamed_institutes"] == "none"
    assert f["widest_summit"] == f["us_china_docs"] == f["first_institute"] == f["network_members"] == "none"
    assert f["network_convened"] == "not yet" and f["secondary_share"] == 0.0
    mid = facts[MID_2024]
    assert mid["network_announced"] != "not yet" and mid["network_convened"] == "not yet"
    assert mid["us_china_docs"] == "the Bletchley Declaration"


def test_every_fact_is_used_in_the_prose(facts):
    prose = NOTEBOOK.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", prose))
    assert set(facts[None]) <= used, set(facts[None]) - used
    assert used <= set(facts[None])
    assert set(re.findall(r'"when:([A-Za-z0-9_]+)"', prose)) <= set(facts[None])


def test_figures_on_tiny_frames():
    cells = pd.DataFrame({"member": ["USA", "CHN"], "row": ["United States", "China"], "column": ["A", "A"],
                          "status": [S.SECONDARY, S.NOT_RECORDED], "note": ["Oct 2024", ""]})
    counts = pd.DataFrame({"iso3": ["USA", "SGP"], "summits": [2, 1], "secondary_only": [False, True]})
    events = pd.DataFrame({"country": ["Japan", "Japan"], "event": ["announced", "launched"],
                           "date": pd.to_datetime(["2023-12-21", "2024-02-14"])})
    marks = pd.DataFrame({"date": pd.to_datetime(["2023-11-01"]), "label": ["Bletchley"]})
    prof = S.profile(pd.DataFrame({"circle": ["X"], "kind": ["summit"], "partial": [True],
                                   "members": [["USA", "KEN", "EUU"]]}), None)
    figs = {
        "signatures": C.fig_signatures(cells, ["United States", "China"], ["A"], ["China"], 1),
        "signatures-empty": C.fig_signatures(cells.iloc[0:0], ["China"], []),
        "summits-map": C.fig_summits_map(counts, 2, ["USA"]),
        "timeline": C.fig_timeline(events, ["Japan"], marks, pd.Timestamp("2024-06-30")),
        "timeline-empty": C.fig_timeline(events.iloc[0:0], [], marks.iloc[0:0], BEFORE),
        "network-map": C.fig_network_map(pd.DataFrame({"iso3": ["KEN"], "status": ["network"]}), ["KEN"]),
        "circles": C.fig_circles(prof),
    }
    for name, fig in figs.items():
        report.check_figure(fig, name)
        plt.close(fig)


def test_matrix_cells_mark_later_signatures():
    docs = S.documents(None)
    cells = C.matrix_cells(S.signature_matrix(None), docs, ["NZL", "KEN"]).set_index(["member", "column"])
    bletchley = docs.set_index("forum_id").loc["bletchley_declaration"]
    head = C.column_label(bletchley["document"], bletchley["date"], False)
    assert cells.loc[("NZL", head), "note"] == f"{pd.Timestamp(signed('bletchley_declaration')['NZL'][0]):%b %Y}"
    assert cells.loc[("KEN", head), "note"] == ""


@pytest.mark.parametrize("name, value", [("as_of", "2024-13-01"), ("as_of", "30/06/2024"), ("focus", "USA,XXX")])
def test_invalid_parameters_name_the_parameter(name, value):
    check = params.as_of if name == "as_of" else params.focus
    with pytest.raises(ParameterError, match=f"parameter {name}: .*{value.split(',')[-1]}"):
        check(value)
