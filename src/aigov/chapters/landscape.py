"""Chapter 1, the landscape: compute, investment, cables, ethics guidelines and the timeline."""
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .. import datasets, governance, maps, params, plots, report, style
from .. import landscape as L
from ..text import listing, roster, the

TOP = 15  # bars shown in the ranked charts
ETHICS_TOP = 6  # bars in each panel of the ethics-guidelines chart


def data(as_of: pd.Timestamp | None) -> dict:
    """The tables behind the chapter's facts and figures."""
    models = L.up_to(datasets.epoch_models(), as_of)
    guidelines_all = datasets.ethics_guidelines()
    guidelines = L.guidelines_up_to(guidelines_all, as_of)
    events = governance.timeline(as_of)
    return {
        "models": models, "with_compute": models.dropna(subset=["compute_flop"]),
        "by_country": L.models_by_country(models),
        "invest": L.investment(governance.table("investment"), "private_ai_investment", as_of),
        "points": datasets.landing_points(), "cables": datasets.cables(),
        "guidelines_all": guidelines_all, "guidelines": guidelines,
        "by_type": L.guidelines_by(guidelines, "institution_types"),
        "by_region": L.guidelines_by(guidelines, "region"),
        "events": events, "lanes": L.timeline_lanes(events, governance.table("forums")),
        "first_event": governance.timeline()["start"].min(),
    }


def facts(d: dict, as_of: pd.Timestamp | None) -> dict:
    growth = L.compute_growth(d["with_compute"])
    by_country, invest, by_type = d["by_country"], d["invest"], d["by_type"]
    lp = L.landing_points_by_country(d["points"])
    years = d["guidelines"].dropna(subset=["year"])["year"].astype(int).value_counts()
    top_types = by_type[by_type["guidelines"] == by_type["guidelines"].max()] if len(by_type) else by_type
    per_year = d["events"]["start"].dt.year.value_counts()
    rest = invest["value"].iloc[1:]
    return {
        "as_of_label": params.label(as_of), **governance.shared_facts(as_of),
        "n_compute": len(d["with_compute"]), "n_fit": growth.n,
        "fit_first": str(growth.first_year), "fit_last": str(growth.last_year),
        "per_year": growth.per_year, "per_year_low": growth.per_year_low, "per_year_high": growth.per_year_high,
        "doubling": growth.doubling_months, "doubling_low": growth.doubling_low,
        "doubling_high": growth.doubling_high, "modern_era": str(L.MODERN_ERA),
        "top_n": TOP, "ethics_top": ETHICS_TOP, "n_model_countries": len(by_country), "top2_names": listing(by_country["country"].head(2).map(the)),
        "top2_share": by_country["models"].head(2).sum() / by_country["models"].sum(),
        "invest_year": str(invest["year"].iloc[0]) if len(invest) else "none",
        "invest_lead": the(invest["country"].iloc[0]) if len(invest) else "none",
        "invest_lead_value": invest["value"].iloc[0] if len(invest) else 0.0,
        "invest_second": the(invest["country"].iloc[1]) if len(invest) > 1 else "none",
        "invest_second_value": rest.iloc[0] if len(rest) else 0.0,
        "invest_ratio": invest["value"].iloc[0] / rest.iloc[0] if len(rest) else 0.0,
        "invest_n": len(invest), "invest_n_rest": len(rest), "invest_rest_sum": rest.sum(),
        "n_cables": len(d["cables"]), "n_points": len(d["points"]), "n_point_countries": len(lp),
        "top_point_country": the(lp["country"].iloc[0]), "top_points": int(lp["landing_points"].iloc[0]),
        "n_guidelines_all": len(d["guidelines_all"]), "n_guidelines": len(d["guidelines"]),
        "guidelines_n_undated": int(d["guidelines_all"]["year"].isna().sum()),
        "top_type": listing(top_types["institution_types"].map(L.authors)) or "none",
        "top_type_n": int(top_types["guidelines"].iloc[0]) if len(top_types) else 0,
        "peak_year": str(years.idxmax()) if len(years) else "none",
        "peak_n": int(years.max()) if len(years) else 0,
        "top_region": d["by_region"]["region"].iloc[0] if len(d["by_region"]) else "none",
        "top_region_n": int(d["by_region"]["guidelines"].iloc[0]) if len(d["by_region"]) else 0,
        "n_events": len(d["events"]), "n_categories": d["events"]["category"].nunique(),
        "first_event_year": str(d["first_event"].year),
        "busiest_year": str(per_year.idxmax()) if len(per_year) else "none",
        "busiest_n": int(per_year.max()) if len(per_year) else 0,
    }


def fig_compute(with_compute: pd.DataFrame) -> plt.Figure:
    plot = with_compute.assign(domain=L.top_categories(with_compute["domain"], 5))
    fig, ax = plt.subplots(figsize=(style.COLUMN, 4.2))
    sns.scatterplot(plot, x="date", y="compute_flop", hue="domain", hue_order=plot["domain"].value_counts().index,
                    s=12, alpha=0.75, linewidth=0, ax=ax)
    line = L.trend_line(with_compute)
    ax.plot(line["date"], line["compute_flop"], color="black", lw=1.2, ls="--", label=f"Trend since {L.MODERN_ERA}")
    ax.set(yscale="log", xlabel="Publication date", ylabel="Training compute (FLOP, log scale)")
    ax.legend(title=None, frameon=False, loc="upper left")
    return fig


def fig_ranked(labels: pd.Series, values: pd.Series, xlabel: str, highlight=(), fmt: str = "{:,.0f}") -> plt.Figure:
    """Ranked horizontal bars (one figure type for models, investment and landing points)."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.26 * len(labels) + 0.9))
    plots.ranked_bars(ax, labels, values, highlight, fmt)
    ax.set(xlabel=xlabel, ylabel=None)
    return fig


def fig_cables(cables, points, focus) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.5))
    maps.draw_base(ax)
    maps.project(cables).plot(ax=ax, color=style.PALETTE[0], linewidth=0.35, alpha=0.7)
    maps.project(points).plot(ax=ax, color=style.PALETTE[1], markersize=1)
    focus_pts = points[points["iso3"].isin(focus)]
    if len(focus_pts):
        maps.project(focus_pts).plot(ax=ax, color=style.FOCUS, markersize=3)
    return fig


def fig_ethics_authors(by_type: pd.DataFrame, by_region: pd.DataFrame) -> plt.Figure:
    fig, axes = plt.subplots(1, 2, figsize=(style.COLUMN, 3.2))
    for ax, df, col, title, colour in ((axes[0], by_type, "institution_types", "By type of author", 0),
                                      (axes[1], by_region, "region", "By world region", 2)):
        top = df.head(ETHICS_TOP).iloc[::-1]
        labels = top[col].map(L.short_institution) if col == "institution_types" else top[col]
        ax.barh(labels, top["guidelines"], color=style.PALETTE[colour])
        ax.set(title=title, xlabel="Guidelines")
        ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def fig_ethics_years(guidelines: pd.DataFrame) -> plt.Figure:
    years = guidelines.dropna(subset=["year"])["year"].astype(int).value_counts().sort_index()
    fig, ax = plt.subplots(figsize=(style.COLUMN, 2.6))
    ax.bar(years.index.astype(str), years.values, color=style.PALETTE[1])
    ax.set(xlabel="Year of publication", ylabel="Guidelines")
    ax.grid(axis="x", visible=False)
    return fig


def fig_timeline(lanes: pd.DataFrame) -> plt.Figure:
    cats = lanes["category"].value_counts().index
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.24 * lanes["lane"].nunique() + 1.6))
    sns.scatterplot(lanes, x="start", y="lane", hue="category", style="category", s=36, hue_order=cats,
                    style_order=cats, palette=style.categorical(len(cats)), edgecolor="white", ax=ax, zorder=3)
    ax.set(xlabel=None, ylabel=None)
    ax.grid(axis="y", color="#eeeeee")
    ax.legend(title=None, frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.06), ncol=5,
              columnspacing=0.8, handletextpad=0.2)
    return fig


def publish(as_of: pd.Timestamp | None, focus: list[str]) -> dict:
    """Glue the chapter's facts, figures, table and notices."""
    style.apply_theme()
    d = data(as_of)
    out = report.glue_facts({**facts(d, as_of), "focus_names": roster(focus)})
    top = d["by_country"].head(TOP)
    report.figure("landscape-compute", fig_compute(d["with_compute"]),
                  d["with_compute"][["model", "organization", "date", "domain", "compute_flop"]])
    report.figure("landscape-models-by-country", fig_ranked(
        top["country"], top["models"], "Notable AI models (a co-authored model counts for each country)",
        set(top.loc[top["iso3"].isin(focus), "country"])), d["by_country"])
    invest = d["invest"]
    label = params.label(as_of)
    report.notice("invest_notice", None if len(invest) else
                  f"No published figure on private AI investment covers a year that had ended by {label}.")
    if len(invest):
        report.figure("landscape-investment", fig_ranked(
            invest["country"], invest["value"], "Private investment in AI (billion US dollars)",
            set(invest.loc[invest["member"].isin(focus), "country"]), "{:,.1f}"),
            invest[["member", "country", "year", "measure", "value", "unit", "publisher", "source_url"]])
    report.notice("cables_notice", None if as_of is None else
                  "The cable data is one snapshot, of late 2022: this section does not change with the date.")
    points, lp = d["points"], L.landing_points_by_country(d["points"])
    report.figure("landscape-cables", fig_cables(d["cables"], points, focus),
                  points.drop(columns="geometry").assign(lon=points.geometry.x, lat=points.geometry.y))
    report.figure("landscape-landing-points", fig_ranked(
        lp["country"].head(TOP), lp["landing_points"].head(TOP), "Submarine cable landing points",
        set(lp.loc[lp["iso3"].isin(focus), "country"])), lp)
    g = d["guidelines"].assign(institution_types=d["guidelines"]["institution_types"].str.join("; "))
    report.figure("landscape-ethics", fig_ethics_authors(d["by_type"], d["by_region"]), g)
    report.figure("landscape-ethics-years", fig_ethics_years(d["guidelines"]), g)
    events = d["events"]
    report.notice("timeline_notice", None if len(events) else
                  f"No event in the timeline is dated on or before {label}: international AI governance "
                  "as this report maps it had not begun.")
    if len(events):
        report.figure("landscape-timeline", fig_timeline(d["lanes"]),
                      d["lanes"][["date", "title", "lane", "category", "source_url"]])
    cols = {"date": "Date", "title": "Event", "category": "Category", "source_url": "Source"}
    report.table("landscape-events", events[list(cols)].rename(columns=cols),
                 "Every event in the timeline, with its source.", links={"Source": "source"})
    return out
