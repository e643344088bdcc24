import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from aigov import landscape as L


def models(dates, compute, countries=None):
    return pd.DataFrame({"date": pd.to_datetime(dates), "compute_flop": compute,
                         "countries": countries or [[] for _ in dates]})


def test_growth_recovers_a_known_doubling_time():
    dates = pd.date_range("2012-01-01", "2020-01-01", freq="MS")
    years = L.decimal_year(pd.Series(dates)) - 2012
    compute = 1e15 * 2 ** (years * 2)  # doubles every 6 months
    g = L.compute_growth(models(dates, compute.to_numpy()))
    assert g.doubling_months == pytest.approx(6.0, rel=1e-6)
    assert g.per_year == pytest.approx(4.0, rel=1e-6)
    assert g.doubling_low <= g.doubling_months <= g.doubling_high


def test_growth_ignores_models_before_the_era_and_without_compute():
    df = models(["2005-01-01", "2015-01-01", "2016-01-01", "2017-01-01", "2018-01-01"],
                [1e30, 1e18, np.nan, 1e19, 1e20])
    g = L.compute_growth(df)
    assert g.n == 3 and g.first_year == 2015 and g.last_year == 2018


def test_growth_needs_enough_models():
    with pytest.raises(ValueError, match="too few models"):
        L.compute_growth(models(["2020-01-01"], [1e20]))


def test_models_by_country_counts_coauthored_models_for_each_country():
    df = models(["2020-01-01"] * 3, [1, 1, 1], [["USA", "GBR"], ["USA"], []])
    out = L.models_by_country(df).set_index("iso3")["models"].to_dict()
    assert out == {"USA": 2, "GBR": 1}


def test_up_to_excludes_later_rows():
    df = models(["2014-12-31", "2015-01-02"], [1, 2])
    assert L.up_to(df, pd.Timestamp("2015-01-01"))["compute_flop"].tolist() == [1]


def test_guidelines_up_to_keeps_only_finished_years():
    df = pd.DataFrame({"year": pd.array([2014, 2015, None], dtype="Int64")})
    assert L.guidelines_up_to(df, pd.Timestamp("2015-06-30"))["year"].tolist() == [2014]
    assert L.guidelines_up_to(df, pd.Timestamp("2015-12-31"))["year"].tolist() == [2014, 2015]
    assert len(L.guidelines_up_to(df, None)) == 3


def test_guidelines_by_explodes_list_columns():
    df = pd.DataFrame({"institution_types": [["Academic", "Private Corporation"], ["Academic"]]})
    out = L.guidelines_by(df, "institution_types").set_index("institution_types")["guidelines"]
    assert out.to_dict() == {"Academic": 2, "Private Corporation": 1}


def test_investment_takes_latest_finished_year():
    table = pd.DataFrame({"member": ["USA", "USA", "CHN"], "year": ["2023", "2024", "2024"],
                          "measure": ["m"] * 3, "value": ["1", "3", "2"]})
    assert L.investment(table, "m", None)["value"].tolist() == [3.0, 2.0]
    assert L.investment(table, "m", pd.Timestamp("2024-06-01"))["year"].tolist() == [2023]
    assert L.investment(table, "m", pd.Timestamp("2020-01-01")).empty


def test_landing_points_by_country():
    pts = gpd.GeoDataFrame({"iso3": ["COD", "COD", "FRA", None]}, geometry=[Point(0, 0)] * 4)
    out = L.landing_points_by_country(pts)
    assert out["iso3"].tolist() == ["COD", "FRA"] and out["landing_points"].tolist() == [2, 1]


# --- the chapter module ---------------------------------------------------------------------

import csv  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402

from aigov import report, style  # noqa: E402
from aigov.chapters import landscape as ch  # noqa: E402
from aigov.paths import CURATED  # noqa: E402


@pytest.fixture(scope="module")
def chapter():
    d = ch.data(None)
    return d, ch.facts(d, None)


def test_investment_facts_match_the_curated_csv(chapter):
    _, facts = chapter
    with open(CURATED / "investment.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["measure"] == "private_ai_investment"]
    latest = max(int(r["year"]) for r in rows)
    values = sorted((float(r["value"]) for r in rows if int(r["year"]) == latest), reverse=True)
    assert facts["invest_year"] == str(latest) and facts["invest_n"] == len(values)
    assert facts["invest_ratio"] == pytest.approx(values[0] / values[1])
    assert facts["invest_rest_sum"] == pytest.approx(sum(values[1:]))


def test_top_two_share_is_recomputed_from_the_models(chapter):
    d, facts = chapter
    counts = {}
    for codes in d["models"]["countries"]:
        for c in codes:
            counts[c] = counts.get(c, 0) + 1
    top = sorted(counts.values(), reverse=True)
    assert facts["top2_share"] == pytest.approx((top[0] + top[1]) / sum(top))
    assert facts["n_model_countries"] == len(counts)


def test_facts_are_plain_values(chapter):
    _, facts = chapter
    assert all(isinstance(v, (int, float, str)) for v in facts.values()), facts


def test_an_early_date_empties_the_investment_section_but_keeps_every_fact():
    d = ch.data(pd.Timestamp("2020-01-01"))
    facts = ch.facts(d, pd.Timestamp("2020-01-01"))
    assert d["invest"].empty and facts["invest_n"] == 0 and facts["invest_year"] == "none"
    assert set(facts) == set(ch.facts(*[ch.data(None), None]))


def tiny_lanes():
    return pd.DataFrame({"start": pd.to_datetime(["2019-05-22", "2023-11-01", "2024-05-21"]),
                         "lane": pd.Categorical(["OECD", "Summits", "Summits"]),
                         "category": ["principles", "summit", "summit"]})


@pytest.mark.parametrize("draw", [
    lambda: ch.fig_ranked(pd.Series(["A", "B"]), pd.Series([3, 1]), "Models", {"B"}),
    lambda: ch.fig_timeline(tiny_lanes()),
    lambda: ch.fig_ethics_years(pd.DataFrame({"year": [2018, 2018, 2019]})),
    lambda: ch.fig_ethics_authors(pd.DataFrame({"institution_types": ["Academic"], "guidelines": [2]}),
                                  pd.DataFrame({"region": ["Europe"], "guidelines": [2]})),
])
def test_each_figure_fits_the_page_on_tiny_frames(draw):
    style.apply_theme()
    fig = draw()
    report.check_figure(fig, "tiny")
    plt.close(fig)
