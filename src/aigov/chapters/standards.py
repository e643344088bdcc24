"""Chapter 4, standards: what ISO/IEC JTC 1/SC 42 and the other bodies published, and how wide
SC 42's membership is next to the AI-governance forums."""
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import claims, countries, params, plots, report, style
from .. import governance as G
from ..curated import period_end
from ..text import date, listing, ordinal, roster, the_forum

NAME = "04_standards"  # the chapter the claims ledger links its claims to

SC42 = "ISO/IEC JTC 1/SC 42"
SC42_FORUM = "iso_iec_sc42"
SC42_ROLES = ("participating", "observing")
PAPER_DATE = "2025-02"  # the month Kerry et al. (2025) was published
FLAGSHIP = "42001|22989|23894"  # management system, concepts and terminology, risk management
ROLE_COLORS = {"participating": style.PALETTE[0], "observing": style.PALETTE[4]}
GREY = "#7a7a7a"  # forums next to SC 42
TOPIC_LABELS = {
    "foundations": "Foundations", "data": "Data", "trustworthiness": "Trustworthiness",
    "risk_management": "Risk management", "management_systems": "Management systems",
    "use_cases": "Use cases", "computational_methods": "Computational methods",
    "governance": "Governance", "testing": "Testing", "other": "Other",
}


def published(as_of: pd.Timestamp | None, committee: str | None = None) -> pd.DataFrame:
    """Documents published by ``as_of`` (a date known to the month or year counts once that period
    is over), with ``date`` (end of the known period), ``year`` and a readable ``topic_label``."""
    df = G.table("standards")
    if committee is not None:
        df = df[df["committee"] == committee]
    df = df[df["published"].notna()].assign(date=lambda d: d["published"].map(period_end))
    if as_of is not None:
        df = df[df["date"] <= as_of]
    df = df.assign(year=df["date"].dt.year.astype(int), topic_label=df["topic"].map(TOPIC_LABELS))
    return df.sort_values(["date", "standard_id"]).reset_index(drop=True)


def per_year(df: pd.DataFrame) -> pd.DataFrame:
    """Documents per year (rows, every year from the first) and topic (columns)."""
    if df.empty:
        return pd.DataFrame()
    wide = df.pivot_table(index="year", columns="topic_label", values="standard_id", aggfunc="count", fill_value=0)
    return wide.reindex(range(wide.index.min(), wide.index.max() + 1), fill_value=0)


def by_body(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Documents published by ``as_of`` and under development now, per standards body."""
    df = G.table("standards")
    pub = published(as_of).groupby("body").size().rename("published")
    dev = df[df["status"] == "under_development"].groupby("body").size().rename("under_development")
    out = pd.concat([pub, dev], axis=1).fillna(0).astype(int)
    return out.sort_values(["published", "under_development"], ascending=False).rename_axis("body").reset_index()


def sc42_members(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """National bodies in SC 42 (member, role). ISO publishes the list without dates of joining,
    so it enters only the current landscape (``as_of`` None)."""
    df = G.memberships(as_of, roles=SC42_ROLES)
    return df.loc[df["forum_id"] == SC42_FORUM, ["member", "role"]].sort_values(["role", "member"]) \
        .reset_index(drop=True)


def breadth(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """The forums in force on ``as_of`` (member states recorded) and SC 42 (national bodies,
    participating and observing), widest first, with each list's coverage."""
    sizes = G.forum_sizes(as_of)
    sizes = sizes[sizes["states"] > 0].rename(columns={"short_name": "forum", "states": "members"})
    roles = sc42_members(as_of)["role"].value_counts()
    forums = G.table("forums").set_index("forum_id")
    sc42 = pd.DataFrame([{"forum_id": SC42_FORUM, "forum": forums.loc[SC42_FORUM, "short_name"],
                          "members": int(roles.sum()), "coverage": forums.loc[SC42_FORUM, "coverage"],
                          "participating": int(roles.get("participating", 0)),
                          "observing": int(roles.get("observing", 0))}])
    out = pd.concat([sizes.assign(participating=0, observing=0), sc42], ignore_index=True)
    return out.sort_values(["members", "forum_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def coverage() -> pd.DataFrame:
    """Each list compared (the default forums and SC 42): its official count, the members
    recorded on that count's date and now, and the coverage the data claims."""
    ids = G.default_forums() + [SC42_FORUM]
    cov = G.coverage().set_index("forum_id").loc[ids].reset_index()
    return cov.sort_values("recorded_now", ascending=False, kind="stable").reset_index(drop=True)


def data(as_of: pd.Timestamp | None) -> dict:
    """The tables behind the chapter's facts and figures."""
    paper_day = min(as_of, period_end(PAPER_DATE)) if as_of is not None else period_end(PAPER_DATE)
    return {
        "sc42": published(as_of, SC42), "bodies": by_body(as_of), "breadth": breadth(as_of),
        "members": sc42_members(as_of), "coverage": coverage(), "paper_day": paper_day,
        "ledger": claims.ledger(as_of=as_of, chapter=NAME), "standards": G.table("standards"),
    }


def facts(as_of: pd.Timestamp | None, d: dict | None = None) -> dict:
    d = d or data(as_of)
    sc42, b = d["sc42"], d["breadth"]
    years, topics = sc42["year"].value_counts().sort_index(), sc42["topic_label"].value_counts()
    flagship = sc42[sc42["standard_id"].str.contains(FLAGSHIP)]
    dev = d["standards"].query("committee == @SC42 and status == 'under_development'")
    other = d["bodies"][d["bodies"]["body"] != "ISO/IEC"]
    row = b.set_index("forum_id").loc[SC42_FORUM]
    forums = b[b["forum_id"] != SC42_FORUM]
    wider = forums[forums["members"] > row["members"]]
    official = d["coverage"].set_index("forum_id")["official_count"]
    official_wider = official.drop(SC42_FORUM).dropna()
    official_wider = official_wider[official_wider > official[SC42_FORUM]]
    names = G.table("forums").set_index("forum_id")["short_name"]
    paper = G.shared_facts(d["paper_day"])
    shared = G.shared_facts(as_of)
    cov, sizes = d["coverage"].set_index("forum_id"), G.forum_sizes(as_of)
    widest = cov.loc[sizes["forum_id"].iloc[0]] if shared["widest_states"] else None
    sc42_forum = G.table("forums").set_index("forum_id").loc[SC42_FORUM]
    tally = d["ledger"]["verdict"].value_counts()
    return {
        "as_of_label": params.label(as_of), "data_label": params.label(None), **shared,
        "sc42_published": len(sc42),
        "sc42_first_year": str(years.index.min()) if len(years) else "none",
        "sc42_peak_year": str(years.idxmax()) if len(years) else "none",
        "sc42_peak_n": int(years.max()) if len(years) else 0,
        "sc42_top_topic": topics.index[0].lower() if len(topics) else "none",
        "sc42_top_topic_n": int(topics.iloc[0]) if len(topics) else 0,
        "sc42_flagship": listing(list(flagship["standard_id"])) or "none",
        "sc42_in_development": len(dev),
        "n_other_published": int(other["published"].sum()),
        "sc42_bodies": int(row["members"]), "sc42_participating": int(row["participating"]),
        "sc42_observing": int(row["observing"]),
        "sc42_territories": int((~d["members"]["member"].isin(countries.un_members())).sum()),
        "sc42_recorded_now": int(cov.loc[SC42_FORUM, "recorded_now"]),
        "widest_recorded_now": int(widest["recorded_now"]) if widest is not None else 0,
        "widest_official": int(widest["official_count"]) if widest is not None and pd.notna(widest["official_count"])
        else 0,
        "sc42_official": int(official[SC42_FORUM]), "sc42_official_date": date(sc42_forum["official_count_date"]),
        "n_wider_than_sc42": len(wider),
        "sc42_rank": ordinal(len(wider) + 1), "n_lists_compared": len(b),
        "wider_than_sc42": listing([the_forum(f) for f in wider["forum"]]) or "none",
        "n_wider_than_participating": int((forums["members"] > row["participating"]).sum()),
        "n_official_wider": len(official_wider),
        "official_wider": listing([the_forum(names[f]) for f in official_wider.index]) or "none",
        "sc42_paper_countries": int(float(d["ledger"].set_index("claim_id").loc["sc42_countries", "claimed_value"])),
        "paper_date_label": params.label(d["paper_day"]), "paper_date_widest": paper["widest_forum"],
        "paper_date_widest_states": paper["widest_states"],
        "sc_n_claims": len(d["ledger"]), "sc_n_confirmed": int(tally.get("confirmed", 0)),
        "sc_n_differs": int(tally.get("differs", 0)), "sc_n_unsettled": int(tally.get("not checkable", 0)),
    }


def fig_output(sc42: pd.DataFrame) -> plt.Figure:
    """SC 42's documents per year of publication, stacked by topic."""
    wide = per_year(sc42)
    topics = list(wide.sum().sort_values(ascending=False).index)
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.4))
    bottom = pd.Series(0, index=wide.index)
    for topic, color in zip(topics, style.categorical(len(topics))):
        ax.bar(wide.index.astype(str), wide[topic], bottom=bottom, color=color, label=topic, width=0.7)
        bottom += wide[topic]
    for x, total in enumerate(bottom):
        ax.annotate(f"{total}", (x, total), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom")
    ax.set(xlabel="Year of publication", ylabel="Documents published", ylim=(0, bottom.max() * 1.12 + 0.5))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", visible=False)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.45, -0.2), ncol=3)
    return fig


def fig_breadth(b: pd.DataFrame, paper_value: float | None = None) -> plt.Figure:
    """Members of each forum and SC 42's national bodies (participating and observing), widest on
    top; incomplete lists in a lighter shade; the paper's count for SC 42 as a dashed line."""
    rows = b.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.27 * len(rows) + 1.3))
    is_sc42 = rows["forum_id"] == SC42_FORUM
    forum_colors = [GREY if c == "complete" else style.MUTED for c in rows["coverage"]]
    ax.barh(rows["forum"], rows["members"].where(~is_sc42, 0), color=forum_colors, height=0.7)
    ax.barh(rows["forum"], rows["participating"], color=ROLE_COLORS["participating"], height=0.7)
    ax.barh(rows["forum"], rows["observing"], left=rows["participating"], color=ROLE_COLORS["observing"], height=0.7)
    for y, n in enumerate(rows["members"]):
        ax.annotate(f"{n}", (n, y), xytext=(3, 0), textcoords="offset points", va="center")
    handles = [Patch(color=GREY, label="Forum: member states (complete list)"),
               Patch(color=style.MUTED, label="Forum: member states (incomplete list)"),
               Patch(color=ROLE_COLORS["participating"], label="SC 42: participating bodies"),
               Patch(color=ROLE_COLORS["observing"], label="SC 42: observing bodies")]
    if paper_value is not None:
        ax.axvline(paper_value, color=style.FOCUS, ls="--", lw=1.2)
        handles.append(Line2D([], [], color=style.FOCUS, ls="--", label="SC 42 in the paper"))
    ax.set(xlabel="Member states (forums) or national bodies (SC 42) recorded", ylabel=None,
           xlim=(0, max(rows["members"].max(), paper_value or 0) * 1.1 + 1))
    ax.grid(axis="y", visible=False)
    ax.legend(handles=handles, frameon=False, loc="upper center", bbox_to_anchor=(0.3, -0.6 / (0.27 * len(rows) + 1.3)),
              ncol=2)
    return fig


def fig_map(members: pd.DataFrame, focus: list[str]) -> plt.Figure:
    """National bodies in SC 42 by role, on a world map."""
    colors = ROLE_COLORS
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    plots.membership_map(ax, dict(zip(members["member"], members["role"])), focus, colors=colors)
    handles = [Patch(color=c, label=r.capitalize()) for r, c in colors.items()]
    if len(focus):
        handles.append(Line2D([], [], color=style.FOCUS, lw=1.2, label="Focus country"))
    ax.legend(handles=handles, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=len(handles))
    return fig


def documents_table(as_of: pd.Timestamp | None, standards: pd.DataFrame) -> pd.DataFrame:
    """Every document published by ``as_of``; in the current view, those under development too."""
    shown = set(published(as_of)["standard_id"])
    keep = standards["standard_id"].isin(shown) | ((standards["status"] == "under_development") & (as_of is None))
    cols = {"standard_id": "Document", "title": "Title", "body": "Body", "topic": "Topic", "status": "Status",
            "published": "Published", "source_url": "Source"}
    out = standards[keep].assign(topic=lambda x: x["topic"].map(TOPIC_LABELS),
                                 status=lambda x: x["status"].str.replace("_", " "))
    return out[list(cols)].rename(columns=cols).fillna("")


def coverage_table(cov: pd.DataFrame) -> pd.DataFrame:
    cols = {"forum": "List", "coverage": "Coverage", "official_count": "Official count",
            "count_date": "Date of the count", "recorded_on_count_date": "Recorded on that date",
            "recorded_now": "Recorded now"}
    out = cov[list(cols)].rename(columns=cols).astype(object)
    for c in ["Official count", "Recorded on that date"]:
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{int(v)}")
    out["Date of the count"] = out["Date of the count"].map(lambda v: date(v) if isinstance(v, str) else "")
    out["Coverage"] = out["Coverage"].str.replace("_", " ")
    return out


def publish(as_of: pd.Timestamp | None, focus: list[str]) -> dict:
    """Glue the chapter's facts, figures, tables and notices."""
    style.apply_theme()
    d = data(as_of)
    out = report.glue_facts({**facts(as_of, d), "focus_names": roster(focus)})
    label = params.label(as_of)
    report.notice("output_notice", None if len(d["sc42"]) else f"SC 42 had published nothing by {label}.")
    if len(d["sc42"]):
        report.figure("standards-sc42-output", fig_output(d["sc42"]),
                      d["sc42"][["standard_id", "title", "topic", "status", "published", "source_url"]])
    bodies = d["bodies"].rename(columns={"body": "Body", "published": "Published",
                                         "under_development": f"Under development on {params.label(None)}"})
    report.table("standards-bodies", bodies, f"Documents recorded per standards body, published by {label}")
    report.table("standards-documents", documents_table(as_of, d["standards"]),
                 f"The documents recorded, published by {label}", links={"Source": "source"})
    report.notice("members_notice", None if len(d["members"]) else
                  f"ISO publishes SC 42's members without dates of joining, so on {label} the committee has "
                  "no recorded members: it is counted as zero below.")
    # the paper's count is drawn only in a view on or after the paper's date
    paper = float(d["ledger"].set_index("claim_id").loc["sc42_countries", "claimed_value"]) \
        if as_of is None or as_of >= period_end(PAPER_DATE) else None
    report.figure("standards-membership", fig_breadth(d["breadth"], paper), d["breadth"].assign(paper_sc42=paper))
    if len(d["members"]):
        report.map_figure("standards-sc42-map", fig_map(d["members"], focus),
                          dict(zip(d["members"]["member"], d["members"]["role"] + " body")), d["members"])
    report.table("standards-coverage", coverage_table(d["coverage"]), "How complete each membership list is")
    report.table("standards-claims", claims.for_reader(d["ledger"]).assign(Note=d["ledger"]["note"].fillna("")),
                 f"The paper's figures on standards, checked against the data on {label}")
    return out
