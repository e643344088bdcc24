"""A country profile: the facts, tables and figure of one country on one date
(``notebooks/profiles/country.md``, swept over countries and dates by :mod:`aigov.sweep`).

The profile of the data date (``as_of`` None) is a page of the book, with the step chart of the
country's memberships and, filled in by the build (:mod:`aigov.countries_part`), links to the
chapters that name it. A profile of an earlier date is an archived page without the chart.
"""
import html

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML
from matplotlib.ticker import MaxNLocator
from myst_nb import glue

from .. import claims, countries, datasets, params, profiles, report, style, text
from ..curated import data_as_of

GRADES = {"official": "official", "official-copy": "official copy", "secondary": "secondary"}


def _rank(rank: int | None, states: int) -> str:
    return f"{rank} of {states}" if rank is not None else "not in the network"


def _value(v, col: str) -> str:
    if v is None or pd.isna(v):
        return "no data"
    if col == "gdp_per_capita":
        return f"{v:,.0f}"
    return f"{v:.2f}" if col == "imf_aipi" else f"{v:.1f}"


def _dates_html(code: str, as_of: pd.Timestamp | None, dates: list[pd.Timestamp]) -> str:
    """Links to the country's profile on each archived date and on the data date; the page's own
    date is not a link. Pages sit side by side: ``countries/<code>/index.html`` and ``<date>.html``."""
    items = [(f"{d:%Y-%m-%d}.html", f"{d:%-d %b %Y}", d == as_of) for d in dates]
    items.append(("index.html", f"{data_as_of():%-d %b %Y} (latest)", as_of is None))
    links = [f"<strong>{html.escape(label)}</strong>" if here else
             f'<a href="{html.escape(href)}">{html.escape(label)}</a>' for href, label, here in items]
    return '<p class="aigov-dates">' + " · ".join(links) + "</p>"


def fig_steps(steps: pd.DataFrame, name: str) -> plt.Figure:
    """The number of the network's forums the country sat in, as a step line over time."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 2.4))
    ax.step(steps["date"], steps["forums"], where="post", color=style.PALETTE[0], linewidth=2)
    ax.plot(steps["date"].iloc[1:-1], steps["forums"].iloc[1:-1], "o", color=style.PALETTE[0], markersize=4)
    ax.set_ylim(0, max(1, steps["forums"].max()) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Forums")
    ax.set_title(f"{name}: seats in AI-governance forums", loc="left")
    fig.tight_layout()
    return fig


def facts(code: str, as_of: pd.Timestamp | None, rows: pd.DataFrame, hist: pd.DataFrame) -> dict:
    """Every number and name the profile's prose shows (``rows``: :func:`profiles.forum_rows`,
    ``hist``: :func:`profiles.history`)."""
    pos = profiles.position(code, as_of)
    cap = profiles.capacity_frame()
    name = countries.name(code)
    income = cap.loc[code, "income_group"] if code in cap.index else datasets.NO_DATA
    region = cap.loc[code, "region"] if code in cap.index else None
    counted = rows[rows["counted"]]
    dated = counted.dropna(subset=["joined"])
    first = dated.iloc[0] if len(dated) else None
    inside = hist[hist["in_network"]]
    ranked = inside.dropna(subset=["rank_partners"])
    return {
        "country_name": name, "country_the": text.the(name), "country_The": text.the(name, capital=True),
        "as_of_label": params.label(as_of), "is_current": int(as_of is None), "is_archive": int(as_of is not None),
        "income_group": text.income_label(income) if income != datasets.NO_DATA else "unclassified",
        "region": region if isinstance(region, str) else "no region of the report",
        "n_rows": len(rows), "rows_phrase": text.count(len(rows), "membership"),
        "counted_phrase": f"{len(counted):,}" if len(counted) else "none",
        "first_forum": text.the_forum(first["forum"]) if first is not None else "none",
        "first_joined": text.date(first["joined"]) if first is not None else "never",
        "has_first": int(first is not None),
        "in_network": int(pos["in_network"]), "net_states": pos["states"], "net_forums": pos["forums"],
        "partners_phrase": text.count(pos["partners"], "partner"), "net_betweenness": pos["betweenness"],
        "rank_partners": _rank(pos["rank_partners"], pos["states"]),
        "rank_betweenness": _rank(pos["rank_betweenness"], pos["states"]),
        "not_in_network": int(not pos["in_network"]),
        "first_network_date": f"{inside['date'].iloc[0]:%-d %B %Y}" if len(inside) else "none",
        "best_rank": int(ranked["rank_partners"].min()) if len(ranked) else 0,
        "best_rank_date": f"{ranked.loc[ranked['rank_partners'].idxmin(), 'date']:%-d %B %Y}" if len(ranked) else "none",
        "n_secondary": int((rows["evidence"] == "secondary").sum()),
    }


def _forum_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"forum": rows["forum"], "role": rows["role"],
                         "joined": rows["joined"].map(lambda j: text.date(j) if isinstance(j, str) and j else "not recorded"),
                         "in the network": rows["counted"].map({True: "yes", False: "no"}),
                         "evidence": rows["evidence"].map(GRADES), "source": rows["source_url"]})


def _history_table(hist: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "date": hist["date"].map(lambda d: f"{d:%-d %b %Y}"),
        "forums": hist["forums"], "partners": hist["partners"],
        "rank by partners": [_rank(None if pd.isna(r) else int(r), s) for r, s in zip(hist["rank_partners"], hist["states"])],
        "rank by betweenness": [_rank(None if pd.isna(r) else int(r), s)
                                for r, s in zip(hist["rank_betweenness"], hist["states"])],
    }).astype(str)


def _tables(code: str, as_of: pd.Timestamp | None, f: dict, rows: pd.DataFrame, hist: pd.DataFrame) -> None:
    report.table("profile_forums", _forum_table(rows),
                 f"Memberships of {f['country_the']} in force on {f['as_of_label']}", {"source": "source"}, label=False)
    sig = profiles.signatures(code, as_of)
    glue("n_documents", len(sig), display=False)
    glue("no_documents", int(sig.empty), display=False)
    report.table("profile_signatures", pd.DataFrame({
        "document": sig["document"], "adopted": sig["date"].map(lambda d: f"{d:%-d %b %Y}"),
        "signatories recorded": sig["coverage"].map({"complete": "all", "partial": "in part"}).fillna(sig["coverage"]),
        f["country_name"]: sig["role"].replace("", "not recorded"),
        "evidence": sig["evidence"].map(GRADES).fillna(""), "source": sig["source_url"]}),
        "Summit declarations and the Council of Europe convention", {"source": "source"}, label=False)
    inst = profiles.institutes(code, as_of)
    glue("n_institutes", len(inst), display=False)
    glue("no_institutes", int(inst.empty), display=False)
    report.table("profile_institutes", pd.DataFrame({
        "institute": inst["name"], "announced": inst["announced_text"].map(text.date),
        "launched": inst["launched_text"].map(lambda v: text.date(v) if isinstance(v, str) and v else "not recorded"),
        "host": inst["host"], "evidence": inst["evidence"].map(GRADES), "source": inst["source_url"]}),
        "AI safety and security institutes", {"source": "source"}, label=False)
    report.table("profile_history", _history_table(hist),
                 f"{f['country_name']} in the country-forum network by date", label=False)
    cap = profiles.capacity_comparison(code)
    report.table("profile_capacity", pd.DataFrame({
        "indicator": cap["label"] + " (" + cap["year"] + ")",
        f["country_name"]: [_value(v, c) for v, c in zip(cap["value"], cap["indicator"])],
        "income group median": [f"{_value(v, c)} (n={n})" for v, c, n in zip(cap["group_median"], cap["indicator"], cap["group_n"])],
        "region median": [f"{_value(v, c)} (n={n})" for v, c, n in zip(cap["region_median"], cap["indicator"], cap["region_n"])],
        "source": cap["source"]}), "Capacity indicators against the country's income group and region", label=False)
    cl = profiles.claims_about(code)
    glue("n_claims", len(cl), display=False)
    report.glue_facts({"claims_phrase": text.count(len(cl), "claim")})
    glue("no_claims", int(cl.empty), display=False)
    report.table("profile_claims", pd.DataFrame({
        "claim": cl["claim"], "source": cl["seed"].map(lambda s: claims.SOURCES[s][0]),
        "claimed": cl["claimed"].astype(str), "in the data": cl["data"].astype(str), "verdict": cl["verdict"]}),
        "Claims of the source documents that name the country", label=False)


def publish(code: str, as_of: pd.Timestamp | None) -> dict:
    """Glue the profile's facts, tables and (on the data date) its figure; returns the facts."""
    style.apply_theme()
    rows, hist = profiles.forum_rows(code, as_of), profiles.history(code, as_of)
    f = report.glue_facts(facts(code, as_of, rows, hist))
    _tables(code, as_of, f, rows, hist)
    steps = profiles.steps(code, as_of)
    show_chart = as_of is None and steps["forums"].max() > 0
    glue("has_chart", int(show_chart), display=False)
    if show_chart:
        report.image("profile-steps", fig_steps(steps, f["country_name"]))
        steps.assign(date=steps["date"].dt.strftime("%Y-%m-%d")).to_csv(
            style.figures_dir() / "memberships-over-time.csv", index=False, lineterminator="\n")
    glue("date_links", HTML(_dates_html(code, as_of, profiles.archive_dates(code))), display=False)
    glue("chapter_links", HTML('<p class="aigov-mentions"></p>'), display=False)  # filled in by the build
    return f
