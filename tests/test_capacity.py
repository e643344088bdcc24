"""Chapter "Capacity building": participation counts, the chapter's facts and a correlation checked
against independent computations from the raw files (plain csv / json / openpyxl, own date
logic), the count model, the dataset readers, empty-data behaviour, each figure function on a
tiny frame, and the notebook's shape and glue keys."""
import datetime as dt
import json
import math
import re
import statistics

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import matplotlib.pyplot as plt

from aigov import capacity as C
from aigov import countries, governance, params, report
from aigov.chapters import capacity as K
from aigov.paths import ROOT
from independent import rows, seats

MIRROR = ROOT.parent / "shared" / "data-mirror"
needs_data = pytest.mark.skipif(not MIRROR.is_dir(), reason="no data mirror beside the project")
ACTIVE = ("member", "participating", "adherent", "signatory", "ratified")
NOT_AI = {"african_union", "brics", "eu", "un", "unesco", "iso_iec_sc42"}
MID_2024, LATEST = dt.date(2024, 6, 30), None


@pytest.fixture(autouse=True)
def _mirror(monkeypatch):
    if MIRROR.is_dir():
        monkeypatch.setenv("AIGOV_DATA_MIRROR", str(MIRROR))


# --- independent readings of the curated CSVs ------------------------------------------------

def ai_forums():
    return [r["forum_id"] for r in rows("forums") if r["forum_id"] not in NOT_AI]


def ts(day):
    return None if day is None else pd.Timestamp(day)


# --- participation ---------------------------------------------------------------------------

def test_default_forums_are_the_table_less_the_general_organisations():
    assert governance.default_forums() == ai_forums()
    assert not set(governance.default_forums()) & NOT_AI


@pytest.mark.parametrize("day", [MID_2024, dt.date(2020, 1, 1), LATEST])
def test_participation_counts_match_the_csv(day):
    forums = ai_forums()
    expected = seats(day, forums)
    codes = sorted(set(expected) - {"EUU", "XAU"}) + ["TUV"]  # Tuvalu: in no recorded forum
    got = C.participation(ts(day), forums, codes)
    for code in codes:
        assert got.loc[code, "direct"] == len(expected.get(code, set())), code
        assert set(filter(None, got.loc[code, "forums_direct"].split(", "))) == expected.get(code, set())
    assert got.loc["TUV", "reach"] == 0


def test_eu_seats_are_counted_apart_for_member_states():
    forums = ai_forums()
    day = MID_2024
    direct = seats(day, forums)
    eu_states = {m for m, fs in seats(day, {"eu"}).items()}
    eu_forums = direct.get("EUU", set())
    got = C.participation(ts(day), forums, sorted(eu_states) + ["USA"])
    for state in eu_states:
        own = direct.get(state, set())
        assert got.loc[state, "via_eu"] == len(eu_forums - own), state
        assert got.loc[state, "reach"] == len(own | eu_forums), state
    assert got.loc["USA", "via_eu"] == 0  # not an EU member: the EU's seats never count for it


def test_a_chosen_forum_list_counts_only_those_forums():
    got = C.participation(ts(MID_2024), ["g7"], ["JPN", "KEN"])
    assert got["direct"].to_dict() == {"JPN": 1, "KEN": 0}


def test_participation_before_any_forum_is_zero_and_gives_no_fit():
    got = C.participation(pd.Timestamp("1950-01-01"), ai_forums(), ["USA", "FRA", "KEN"])
    assert got["direct"].sum() == 0 and got["reach"].sum() == 0
    assert C.spearman_ci(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9]), pd.Series([0] * 9)) is None
    assert C.count_fit([1, 2, 3, 4, 5, 6, 7, 8, 9], [0] * 9, trials=14) is None


def test_au_matrix_matches_the_csv_and_is_empty_before_the_au():
    forums = ai_forums()
    au = seats(MID_2024, {"african_union"})
    direct = seats(MID_2024, forums)
    expected = {m for m in au if m in direct} | ({"XAU"} if "XAU" in direct else set())
    got = C.au_matrix(ts(MID_2024), forums)
    assert set(got.index) == expected
    for code in got.index:
        assert set(got.columns[got.loc[code]]) == direct[code]
    assert C.au_matrix(pd.Timestamp("1990-01-01"), forums).empty


def test_universe_holds_un_members_and_forum_states_but_no_non_state_code():
    codes = set(C.universe())
    assert {"KEN", "NGA", "BRA", "IND", "IDN", "TUV"} <= codes
    assert not {"EUU", "XAU", "XIF", "XKX"} & codes
    assert {r["member"] for r in rows("memberships")} - {"EUU", "XAU", "XIF", "XKX"} <= codes


# --- statistics ------------------------------------------------------------------------------

def test_spearman_matches_scipy_and_its_interval_is_reproducible():
    rng = np.random.default_rng(1)
    x = pd.Series(rng.normal(size=60))
    y = pd.Series(2 * x + rng.normal(size=60))
    c1, c2 = C.spearman_ci(x, y), C.spearman_ci(x, y)
    assert c1.rho == pytest.approx(stats.spearmanr(x, y).statistic)
    assert c1 == c2  # fixed seed
    assert c1.low < c1.rho < c1.high and c1.n == 60


def test_spearman_drops_missing_pairs_and_needs_enough():
    x = pd.Series([1.0, 2, 3, np.nan, 5, 6, 7, 8, 9, 10])
    y = pd.Series([1.0, 2, 3, 4, np.nan, 6, 7, 8, 9, 10])
    assert C.spearman_ci(x, y).n == 8
    assert C.spearman_ci(x[:5], y[:5]) is None


def test_binomial_count_fit_recovers_a_logistic_curve_and_stays_within_the_trials():
    x = np.repeat(np.linspace(-2, 2, 9), 30)
    p = 1 / (1 + np.exp(-(0.5 + 1.5 * x)))
    y = np.random.default_rng(3).binomial(10, p)
    fit = C.count_fit(x, y, trials=10)
    assert fit.slope == pytest.approx(1.5, abs=0.15) and fit.intercept == pytest.approx(0.5, abs=0.15)
    assert ((fit.line["low"] <= fit.line["fit"]) & (fit.line["fit"] <= fit.line["high"])).all()
    assert (fit.line["low"] >= 0).all() and (fit.line["high"] <= 10).all()
    assert (fit.expected([-50, 50]) >= 0).all() and (fit.expected([-50, 50]) <= 10).all()


@pytest.mark.parametrize("trials", [None, 12])
def test_count_fit_solves_the_score_equations_of_its_canonical_link(trials):
    # at the maximum-likelihood estimate of a canonical-link GLM, observed and expected totals agree,
    # overall and weighted by x
    x = np.linspace(0, 1, 40)
    y = np.random.default_rng(5).binomial(12, 1 / (1 + np.exp(-(4 * x - 2))))
    fit = C.count_fit(x, y, trials=trials)
    mu = fit.expected(x)
    assert mu.sum() == pytest.approx(y.sum(), rel=1e-6)
    assert (x * mu).sum() == pytest.approx((x * y).sum(), rel=1e-6)
    assert fit.trials == trials and 0 < fit.deviance_explained < 1


def test_count_fit_refuses_counts_above_the_trials():
    assert C.count_fit(range(10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 20], trials=14) is None


def test_residuals_rank_the_country_furthest_below_the_curve_first():
    df = pd.DataFrame({"country": list("ABCDEFGHIJKL"), "x": np.linspace(0, 1, 12),
                       "y": [0.0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9]})
    df.loc[8, "y"] = 0.0
    df.loc[3, "y"] = 9.0
    res = C.residuals(df, "x", "y", trials=10)
    under, over = C.extremes(res, n=2)
    assert under.iloc[0]["country"] == "I" and over.iloc[0]["country"] == "D"
    assert C.residuals(df.head(3), "x", "y", trials=10).empty


def test_expected_counts_are_never_negative_and_zero_gaps_are_in_neither_list():
    df = pd.DataFrame({"country": list("ABCDEFGHI"), "x": range(9), "y": [0.0, 0, 0, 0, 1, 2, 3, 4, 9]})
    res = C.residuals(df, "x", "y", trials=14)
    assert (res["expected"] >= 0).all() and (res["expected"] <= 14).all()
    under, over = C.extremes(res, n=3)
    assert (under["residual"] < 0).all() and (over["residual"] > 0).all()
    assert set(under["country"]).isdisjoint(over["country"])


def test_by_group_means_and_shares():
    df = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "v": [0, 2, 1, 1, 4]})
    out = C.by_group(df, "g", "v").set_index("g")
    assert out.loc["a", "mean"] == 1 and out.loc["a", "share_any"] == 0.5
    assert out.loc["b", "mean"] == 2 and out.loc["b", "share_any"] == 1
    assert (out["low"] <= out["mean"]).all() and (out["mean"] <= out["high"]).all()


def test_bands():
    assert C.bands(pd.Series([0, 1, 2, 3, 5, 6, 12])).astype(str).tolist() == \
        ["0", "1-2", "1-2", "3-5", "3-5", "6 or more", "6 or more"]


def test_partial_forums_are_those_the_table_marks_partial():
    partial = [r["short_name"] for r in rows("forums") if r["coverage"] == "partial" and r["forum_id"] in ai_forums()]
    assert partial and C.partial_forums(ai_forums()) == partial
    assert C.partial_forums([r["forum_id"] for r in rows("forums") if r["coverage"] == "complete"]) == []


def test_group_medians_follow_the_income_order_richest_first():
    df = pd.DataFrame({"income_group": ["Low Income", "High Income", "High Income"], "v": [1.0, 3.0, 5.0]})
    assert C.group_medians(df, "v").to_dict() == {"High Income": 4.0, "Low Income": 1.0}
    assert list(C.group_medians(df, "v").index) == ["High Income", "Low Income"]


# --- readers ---------------------------------------------------------------------------------

RAW = {"sources": [{"id": "x", "name": "X", "publisher": "P", "year": 2023, "url": "u", "license": "l",
                    "scaleMin": 0, "scaleMax": 1, "description": "A score. COMPARABILITY CAVEAT: do not merge."}],
       "metrics": {"readiness": {"AAA": 0.5, "BBB": 0.25},
                   "governmentReadiness": {"AAA": 60.0, "CCC": 30.0},
                   "diffusion": {"BBB": 12.5},
                   "readinessSubIndices": {"AAA": {"digitalInfrastructure": 0.1, "humanCapital": 0.1,
                                                   "innovation": 0.1, "regulationEthics": 0.2}}}}


def test_parse_ai_metrics_keeps_each_metric_in_its_own_column():
    df = C.parse_ai_metrics(RAW)
    assert df.loc["AAA", "imf_aipi"] == 0.5 and df.loc["AAA", "oxford_readiness"] == 60
    assert math.isnan(df.loc["AAA", "ai_diffusion"]) and df.loc["BBB", "ai_diffusion"] == 12.5
    assert math.isnan(df.loc["CCC", "imf_aipi"])
    assert df.loc["AAA", "imf_regulation_ethics"] == 0.2


def test_top500_by_country_counts_systems_and_sums_rmax():
    systems = pd.DataFrame({"Rank": [1, 2, 3, 4], "Country": ["United States", "Japan", "United States", "South Korea"],
                            "Rmax [TFlop/s]": [1000.0, 500.0, 250.0, 100.0]})
    out = C.top500_by_country(systems)
    assert out.loc["USA", "top500_systems"] == 2 and out.loc["USA", "top500_rmax"] == pytest.approx(1.25)
    assert out.index.tolist() == ["USA", "JPN", "KOR"]
    with pytest.raises(ValueError, match="Atlantis"):
        C.top500_by_country(systems.assign(Country=["Atlantis"] * 4))


def test_money_reads_amounts_from_text():
    assert C.money("Over USD 100 million in commitments") == 1e8
    assert C.money("a $4.5 billion fund") == 4.5e9
    assert math.isnan(C.money("no amount here"))


# --- on the mirrored datasets ----------------------------------------------------------------

@needs_data
def test_ai_metrics_match_the_raw_file_and_pillars_add_up():
    raw = json.loads((MIRROR / "futuregrid" / "global-ai-metrics.json").read_text(encoding="utf-8"))
    df = C.ai_metrics()
    assert df["imf_aipi"].notna().sum() == len(raw["metrics"]["readiness"])
    assert df.loc["KEN", "oxford_readiness"] == raw["metrics"]["governmentReadiness"]["KEN"]
    assert df.loc["NGA", "ai_diffusion"] == raw["metrics"]["diffusion"]["NGA"]
    pillars = df[list(C.IMF_PILLARS)].dropna()
    both = pillars.sum(axis=1) - df.loc[pillars.index, "imf_aipi"]
    assert (both.dropna().abs() < 0.011).all()
    src = C.ai_metrics_sources()
    assert {"microsoft-aiei", "imf-aipi", "oxford-gairi-2023"} <= set(src["id"])
    assert src.set_index("id").loc["imf-aipi", "caveat"].startswith("capacity")


@needs_data
def test_top500_matches_an_independent_count():
    import openpyxl
    sheet = openpyxl.load_workbook(MIRROR / "top500" / "june2025.xlsx", read_only=True).active
    it = sheet.iter_rows(values_only=True)
    header = list(next(it))
    ci, ri = header.index("Country"), header.index("Rmax [TFlop/s]")
    n = rmax = 0
    for row in it:
        if row[ci] == "India":
            n += 1
            rmax += row[ri]
    got = C.top500()
    assert got.loc["IND", "top500_systems"] == n and got.loc["IND", "top500_rmax"] == pytest.approx(rmax / 1000)
    assert got["top500_systems"].sum() == 500


@needs_data
def test_correlation_of_readiness_and_participation_matches_an_independent_computation():
    """Spearman's rho of Oxford readiness and direct seats, computed here from the raw JSON and the
    raw membership CSV with ranks of our own (average ranks for ties), against the module's."""
    from aigov import datasets
    from aigov import landscape as L
    raw = json.loads((MIRROR / "futuregrid" / "global-ai-metrics.json").read_text(encoding="utf-8"))
    readiness = raw["metrics"]["governmentReadiness"]
    day = MID_2024
    direct = seats(day, ai_forums())
    codes = [c for c in C.universe() if c in readiness]
    xs = [readiness[c] for c in codes]
    ys = [len(direct.get(c, ())) for c in codes]

    def ranks(values):
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    rho = cov / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))

    table = C.capacity_table(ts(day), governance.default_forums(), datasets.indicators(), C.ai_metrics(), C.top500(),
                             L.models_by_country(datasets.epoch_models()))
    got = C.spearman_ci(table["oxford_readiness"], table["direct"])
    assert got.n == len(codes)
    assert got.rho == pytest.approx(rho, abs=1e-12)
    assert got.low < rho < got.high


@needs_data
def test_un_events_hold_both_resolutions_and_the_compact_and_are_empty_before_them():
    ev = C.un_events(None)
    titles = " ".join(ev["title"])
    assert "78/265" in titles and "78/311" in titles and "Global Digital Compact" in titles
    assert set(ev["category"]) <= {"un", "capacity"}
    expected = [r for r in rows("events") if r["category"] in ("un", "capacity")]
    assert len(ev) == len(expected)
    amounts = ev["amount_usd"].dropna()
    assert len(amounts) and (amounts > 0).all()
    assert C.un_events(pd.Timestamp("2020-01-01")).empty


# --- the chapter: facts against independent computations --------------------------------------

@pytest.fixture(scope="module")
def chapter():
    """The chapter's data and facts with the default parameters (computed once)."""
    if not MIRROR.is_dir():
        pytest.skip("no data mirror beside the project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIGOV_DATA_MIRROR", str(MIRROR))
        forums = params.forums("")
        d = K.data(None, None, forums)
        yield d, K.facts(None, params.FOCUS, None, forums, d)


def current_states():
    """Every state with a current seat in a default forum, from the CSV (non-state codes left out)."""
    held = seats(None, set(ai_forums()))
    return {m: fs for m, fs in held.items() if m not in countries.NON_STATE}


def test_participation_facts_match_the_csv(chapter):
    d, f = chapter
    held = current_states()
    assert f["cap_n_active"] == len(held) == f["n_states_in_forums"]
    assert f["cap_n_countries"] == len(set(C.universe())) and f["cap_n_none"] == f["cap_n_countries"] - len(held)
    most = max(len(fs) for fs in held.values())
    assert f["cap_max_forums"] == most
    leaders = {countries.name(m) for m, fs in held.items() if len(fs) == most}
    assert all(name in f["cap_top_part"] for name in leaders)
    counts = [len(held.get(c, ())) for c in C.universe()]
    assert f["cap_median_forums"] == statistics.median(counts)
    assert f["cap_n_counted"] == len(ai_forums()) == f["cap_n_founded"]


def test_shared_facts_are_glued_unchanged(chapter):
    _, f = chapter
    shared = governance.shared_facts(None)
    assert {k: f[k] for k in shared} == shared


def test_income_and_region_facts_match_an_independent_count(chapter):
    d, f = chapter
    held = current_states()
    income = d["everyone"]["income_group"]
    low = [c for c in income.index if income[c] == "Low Income"]
    assert f["cap_poor_group"] == "low-income" and f["cap_rich_group"] == "high-income"
    assert f["cap_any_poor"] == pytest.approx(sum(c in held for c in low) / len(low))
    import country_converter as coco
    m49 = coco.CountryConverter().data.set_index("ISO3")["UNregion"]
    africa = [c for c in C.universe() if str(m49.get(c, "")).endswith("Africa")]
    assert f["cap_africa_n"] == len(africa) and f["cap_africa_in_any"] == sum(c in held for c in africa)


def test_divide_facts_match_the_raw_owid_files(chapter):
    """Median internet use of the high- and low-income countries in scope, from the raw OWID files."""
    import csv

    def column(name, field):
        with open(MIRROR / "owid" / name, newline="", encoding="utf-8") as fh:
            return {r["Code"]: r[field] for r in csv.DictReader(fh) if len(r["Code"] or "") == 3}

    _, f = chapter
    internet = column("share-of-individuals-using-the-internet.csv", "Share of the population using the Internet")
    income = {c: g.strip() for c, g in column("world-bank-income-groups.csv",
                                              "World Bank's income classification").items()}
    scope = set(C.universe())
    for key, group in [("rich", "High Income"), ("poor", "Low Income")]:
        values = [float(internet[c]) for c in scope if income.get(c) == group and internet.get(c)]
        assert f[f"cap_internet_{key}"] == pytest.approx(statistics.median(values))


def test_au_facts_match_the_csv(chapter):
    _, f = chapter
    au = seats(None, {"african_union"})
    held = current_states()
    assert f["cap_au_members"] == len(au)
    assert f["cap_au_with_seat"] == sum(m in held for m in au)
    xau = {r["forum_id"] for r in rows("memberships") if r["member"] == "XAU" and not r["left"]}
    assert "g7" not in xau  # the prose says the data record no G7 seat for the AU
    g20 = [r["joined"] for r in rows("memberships") if r["member"] == "XAU" and r["forum_id"] == "g20"]
    assert f["cap_au_g20_since"] == f"{int(g20[0][8:])} {dt.date.fromisoformat(g20[0]):%B %Y}"


def test_un_facts_match_the_events_csv():
    events = [r for r in rows("events") if r["category"] in ("un", "capacity")]
    f = K.un_facts(None)
    assert f["cap_un_events"] == len(events)
    res = [r for r in events if "78/265" in r["title"] or "78/311" in r["title"]]
    assert len(res) == 2 and all("without a vote" in r["note"] for r in res)  # as the prose says
    assert f["cap_un_265_date"] == "21 March 2024"
    assert f["cap_pgiai_musd"] == 100 and f["cap_n_money"] == 1
    assert K.un_facts(pd.Timestamp("2020-01-01"))["cap_un_events"] == 0


def test_compute_facts_match_an_independent_top500_reading(chapter):
    import openpyxl
    _, f = chapter
    sheet = openpyxl.load_workbook(MIRROR / "top500" / "june2025.xlsx", read_only=True).active
    it = sheet.iter_rows(values_only=True)
    header = list(next(it))
    ci, ri = header.index("Country"), header.index("Rmax [TFlop/s]")
    by = {}
    for row in it:
        by[row[ci]] = by.get(row[ci], 0) + row[ri]
    top = max(by, key=by.get)
    assert f["cap_t500_top"] == "the " + top if top == "United States" else f["cap_t500_top"] == top
    assert f["cap_t500_top_share"] == pytest.approx(by[top] / sum(by.values()))


def test_residual_fit_is_bounded_by_the_forums_and_reproducible(chapter):
    d, _ = chapter
    res = K.residual_table(d)
    assert (res["expected"] >= 0).all() and (res["expected"] <= len(d["founded"])).all()
    assert not set(res.index) & (d["eu"] | countries.NON_STATE.keys())
    assert set(res.index) <= countries.un_members()
    pd.testing.assert_frame_equal(res, K.residual_table(d))


def test_correlations_are_reproducible(chapter):
    d, f = chapter
    first, second = K.correlations(d["table"]), K.correlations(d["table"])
    pd.testing.assert_frame_equal(first, second)
    assert f["cap_n_corr"] == first["rho"].notna().sum()


@needs_data
@pytest.mark.parametrize("day, region", [("2020-01-01", ""), ("", "africa")])
def test_facts_for_other_parameters(day, region):
    forums = params.forums("")
    f = K.facts(params.as_of(day), params.FOCUS, params.region(region), forums)
    if region:
        assert f["cap_scope"] == "Africa" and f["cap_n_countries"] == f["cap_africa_n"]
        assert f["cap_n_active"] == f["cap_africa_in_any"]
    else:
        held = {m for m, fs in seats(dt.date(2020, 1, 1), set(ai_forums())).items() if m not in countries.NON_STATE}
        assert f["cap_n_active"] == len(held) and f["cap_n_founded"] < len(forums)
        assert f["as_of_label"] == "1 January 2020"


# --- figures on tiny frames ---------------------------------------------------------------------

def tiny():
    codes = ["USA", "FRA", "KEN", "NGA", "IND", "SGP", "BRA", "CHN", "TUV"]
    n = len(codes)
    return pd.DataFrame({
        "country": codes, "region": ["Northern America", "Europe", "Africa", "Africa", "South and South-East Asia",
                                     "South and South-East Asia", "Latin America and the Caribbean",
                                     "East and Central Asia", "Oceania"],
        "income_group": ["High Income", "High Income", "Lower Middle Income", "Lower Middle Income",
                         "Lower Middle Income", "High Income", "Upper Middle Income", "Upper Middle Income",
                         "Upper Middle Income"],
        "internet_use": np.linspace(20, 95, n), "electricity_access": np.linspace(40, 100, n),
        "gdp_per_capita": np.geomspace(2000, 80000, n), "imf_aipi": np.linspace(0.3, 0.8, n),
        "oxford_readiness": np.linspace(20, 80, n), "ai_diffusion": np.linspace(5, 40, n),
        "top500_rmax": [100.0, 50, 0, 0, 3, 10, 2, 40, 0], "top500_systems": [10, 5, 0, 0, 1, 2, 1, 4, 0],
        "models": [30, 5, 0, 1, 2, 3, 0, 10, 0], "direct": [9, 7, 2, 1, 4, 5, 3, 2, 0],
        "via_eu": [0, 3, 0, 0, 0, 0, 0, 0, 0], "reach": [9, 10, 2, 1, 4, 5, 3, 2, 0],
        **{p: np.linspace(0.05, 0.2, n) for p in C.IMF_PILLARS},
    }, index=pd.Index(codes, name="iso3"))


def check(fig):
    report.check_figure(fig, "test")
    plt.close(fig)


@needs_data
def test_maps_on_a_tiny_frame():
    t = tiny()
    check(K.fig_maps(t, K.FOUNDATIONS, ["KEN"]))
    check(K.fig_maps(t.loc[["KEN", "NGA"]], K.AI_LAYER, ["KEN"], view=K.plots.extent(["KEN", "NGA"])))
    check(K.fig_participation_map(t, ["KEN"]))


def test_charts_on_a_tiny_frame():
    t = tiny()
    check(K.fig_by_income(t, K.FOUNDATIONS, ["KEN", "USA"]))
    check(K.fig_pillars(t.loc[["USA", "KEN"], list(C.IMF_PILLARS)], ["KEN"]))
    check(K.fig_compute(t, ["KEN", "IND"]))
    corr = pd.DataFrame({"indicator": ["A", "B"], "year": ["2022", "2023"], "rho": [0.5, 0.2],
                         "low": [0.3, -0.1], "high": [0.7, 0.4], "rho_reach": [0.52, 0.2]})
    check(K.fig_correlations(corr))
    big = pd.concat([t.assign(country=t["country"] + str(i)).rename(index=lambda c: f"{c}{i}") for i in range(2)])
    big.index = list(t.index) + [f"X{i:02d}" for i in range(len(t))]
    check(K.fig_scatter(big, K.SCATTER, 14, ["KEN"], {"FRA"}))
    inc = C.by_group(t, "income_group", "direct", order=K.datasets.INCOME_ORDER)
    check(K.fig_participation_income(inc, inc, {"Lower Middle Income": ["KEN"]}))
    shares = pd.DataFrame({"0": [0.5, 0.2], "1-2": [0.5, 0.3], "3-5": [0, 0.3], "6 or more": [0, 0.2]},
                          index=["Africa", "Europe"])
    check(K.fig_regions(shares, pd.Series({"Africa": 2, "Europe": 5}), "Africa", {"Africa": ["KEN"]}))
    check(K.fig_au(pd.DataFrame({"G20": [True, False], "GPAI": [True, True]}, index=["Kenya", "Nigeria"]), ["Kenya"]))


# --- the notebook -------------------------------------------------------------------------------

NOTEBOOK = ROOT / "notebooks" / "05_capacity.md"


def code_cells(text):
    return re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S)


def test_notebook_shape():
    cells = code_cells(NOTEBOOK.read_text(encoding="utf-8"))
    lines = [len([ln for ln in c.splitlines() if ln.strip() and not ln.startswith(":tags:")]) for c in cells]
    body = lines[1:]  # the parameters cell aside
    assert len(cells) <= 10 and max(body) <= 25 and statistics.median(lines) < 10


def test_every_fact_is_used_in_the_prose(chapter):
    _, f = chapter
    text = NOTEBOOK.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:(?:text|md)\}`([\w-]+)", text))
    assert set(f) <= used, set(f) - used
    assert used <= set(f) | {"focus_names"}, used - set(f)  # publish adds the focus countries' names
    directives = set(re.findall(r"```\{glue:(?:md|figure)\} ([\w-]+)", text))
    for name in directives - set(f):
        assert name.startswith(("capacity-", "cap_")), name


def test_prose_has_no_sentence_starting_with_a_number():
    text = re.sub(r"```.*?```", "", NOTEBOOK.read_text(encoding="utf-8"), flags=re.S)
    starts = re.findall(r"(?:\A|\n\s*\n|[.!?]\s+\*{0,2}|\n- )\s*(\{glue:text\}`\w+|\d+)", text)
    assert not starts
