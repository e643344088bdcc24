"""Chapter 2, the G7 as incubator: how AI initiatives born in the G7 reached wider circles."""
import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import upsetplot
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import claims, countries, datasets, params, plots, report, style
from .. import governance as G
from ..curated import data_as_of, parse_date, period_end
from ..errors import ParameterError
from ..text import listing, names as state_names, roster, the_forum

NAME = "02_g7_incubator"  # the chapter the claims ledger links its claims to

CONTINENTS = ["Africa", "America", "Asia", "Europe", "Oceania"]
LOWER_INCOME = datasets.INCOME_ORDER[2:4]  # lower-middle and low income


def compared(forum_ids: list[str]) -> list[str]:
    """The forums compared: the G7 first, then the others in the order given (at most ten)."""
    ids = ["g7"] + [f for f in forum_ids if f != "g7"]
    if len(ids) > 10:
        raise ParameterError(f"parameter forums: {len(ids)} forums with the G7; at most ten can be compared")
    return ids


def short_names() -> dict[str, str]:
    return G.table("forums").set_index("forum_id")["short_name"].to_dict()


def chain(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per forum: its first recorded AI event and the date it took up AI (its founding, or for a
    forum older than the G7's AI work, its first AI event), member states then and on ``as_of``,
    and the months from the G7's first AI event to that date."""
    events = G.timeline(as_of, forums=forum_ids)
    forums = G.table("forums").set_index("forum_id")
    first = {f: events[events["forum_id"] == f].head(1) for f in forum_ids}
    g7_start = first["g7"]["start"].min() if len(first.get("g7", [])) else pd.NaT
    rows = []
    for f in forum_ids:
        ev, founded = first[f], forums.loc[f, "founded"]
        use_event = f == "g7" or (pd.notna(g7_start) and parse_date(founded) < g7_start)
        taken = (ev["date"].iloc[0] if len(ev) else None) if use_event else founded
        # nothing counts as taken up before the G7's own AI work appears in the data
        seen = pd.notna(g7_start) and taken is not None and (as_of is None or parse_date(taken) <= as_of)
        rows.append({
            "forum_id": f, "forum": forums.loc[f, "short_name"],
            "first_event": ev["start"].iloc[0] if len(ev) else pd.NaT,
            "first_event_title": ev["title"].iloc[0] if len(ev) else "",
            "adopted": parse_date(taken) if seen else pd.NaT, "adopted_text": taken if seen else "",
            "states_at_adoption": _states(G.members(f, period_end(taken))) if seen else 0,
            "states": _states(G.members(f, as_of)), "coverage": forums.loc[f, "coverage"],
        })
    df = pd.DataFrame(rows)
    df["months_after_g7"] = ((df["adopted"] - g7_start).dt.days / 30.4375).round(0)
    return df


def _states(codes) -> int:
    return len([c for c in codes if c not in countries.NON_STATE])


def growth(forum_ids: list[str], as_of: pd.Timestamp | None, start: pd.Timestamp | None) -> pd.DataFrame:
    """Member states of each forum from ``start`` to ``as_of`` (or the data date), after every
    change: date, forum_id, states (members without a date of joining are not counted)."""
    if start is None or pd.isna(start):
        return pd.DataFrame(columns=["date", "forum_id", "states"])
    end = as_of if as_of is not None else data_as_of()
    days = sorted({start, end, *[d for d in G.change_dates(forum_ids) if start < d <= end]})
    frames = [G.forum_sizes(day, forum_ids).assign(date=day) for day in days]
    return pd.concat(frames)[["date", "forum_id", "states"]].reset_index(drop=True)


def state_matrix(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """States x forums, True where the state was a member on ``as_of`` (non-state members left out)."""
    m = G.membership_matrix(as_of, forum_ids)
    return m[~m.index.isin(list(countries.NON_STATE)) & m.any(axis=1)]


def reach(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per forum: member states, those outside the G7 and outside the OECD, states per continent
    and the shares of world population and GDP they hold."""
    matrix = state_matrix(forum_ids, as_of)
    g7, oecd = set(G.members("g7", as_of)), set(G.members("oecd", as_of))
    rows = []
    for f in forum_ids:
        states = list(matrix.index[matrix[f]])
        rows.append({
            "forum_id": f, "states": len(states), "outside_g7": len(set(states) - g7),
            "outside_oecd": len(set(states) - oecd),
            **countries.continents(states).reindex(CONTINENTS, fill_value=0).astype(int).to_dict(),
            "population_share": G.world_share(states, "population") if states else 0.0,
            "gdp_share": G.world_share(states, "gdp") if states else 0.0,
        })
    return pd.DataFrame(rows)


def income_mix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Member states of each forum by World Bank income group (FY2024): forum_id, income_group, states."""
    income = datasets.indicators()["income_group"].reindex(matrix.index).fillna(datasets.NO_DATA)
    rows = [{"forum_id": f, "income_group": g, "states": int((income[matrix[f]] == g).sum())}
            for f in matrix.columns for g in datasets.INCOME_ORDER]
    return pd.DataFrame(rows, columns=["forum_id", "income_group", "states"])


def data(as_of: pd.Timestamp | None, forum_ids: list[str]) -> dict:
    """The tables behind the chapter's facts and figures."""
    ids = compared(forum_ids)
    ch = chain(ids, as_of)
    g7_start = ch.set_index("forum_id").loc["g7", "first_event"]
    # the curves start six months before the G7's first AI event (or at the first recorded change)
    dated = [d for d in G.change_dates(ids) if as_of is None or d <= as_of]
    start = g7_start - pd.DateOffset(months=6) if pd.notna(g7_start) else (dated[0] if dated else None)
    matrix = state_matrix(ids, as_of)
    return {
        "ids": ids, "names": short_names(), "chain": ch, "matrix": matrix, "reach": reach(ids, as_of),
        "growth": growth(ids, as_of, start),
        "sizes": G.forum_sizes(as_of, ids), "mix": income_mix(matrix), "ledger": claims.ledger(as_of=as_of, chapter=NAME),
        "undated": G.forum_sizes(None, ids)["states"].sum() - G.forum_sizes(data_as_of(), ids)["states"].sum()
        if as_of is None else 0,
    }


def facts(as_of: pd.Timestamp | None, forum_ids: list[str], d: dict | None = None) -> dict:
    d = d or data(as_of, forum_ids)
    names, ch, r, matrix = d["names"], d["chain"], d["reach"].set_index("forum_id"), d["matrix"]
    g7 = ch.iloc[0]
    followers = ch[(ch["forum_id"] != "g7") & ch["adopted"].notna()].sort_values("adopted", kind="stable")
    sizes = d["sizes"]
    widest_reach = r["population_share"].idxmax() if r["states"].sum() else "g7"
    active = [f for f in d["ids"] if matrix[f].any()]
    in_all = matrix[active].all(axis=1) if active else pd.Series(dtype=bool)
    lower = d["mix"][d["mix"]["income_group"].isin(LOWER_INCOME)].groupby("forum_id")["states"].sum()
    income = datasets.indicators()["income_group"].reindex(matrix.index)
    tally = d["ledger"]["verdict"].value_counts()
    combos = matrix.value_counts()
    coverage = G.table("forums").set_index("forum_id")["coverage"]
    the = lambda f: the_forum(names[f])  # noqa: E731
    return {
        "as_of_label": params.label(as_of), **G.shared_facts(as_of),
        "forum_list": listing([the(f) for f in d["ids"]]),
        "incomplete_forums": listing([the(f) for f in d["ids"] if coverage[f] != "complete"]) or "none",
        "g7_start": f"{g7['first_event']:%-d %B %Y}" if pd.notna(g7["first_event"]) else "none",
        "g7_start_title": g7["first_event_title"] or "none",
        "g7_n_others": len(d["ids"]) - 1, "n_followed": len(followers),
        "first_follower": the(followers["forum_id"].iloc[0]) if len(followers) else "none",
        "first_follower_months": int(followers["months_after_g7"].iloc[0]) if len(followers) else 0,
        "last_follower": the(followers["forum_id"].iloc[-1]) if len(followers) else "none",
        "last_follower_months": int(followers["months_after_g7"].iloc[-1]) if len(followers) else 0,
        "g7_states": int(r.loc["g7", "states"]),
        "circle_largest": the(sizes["forum_id"].iloc[0]), "circle_largest_states": int(sizes["states"].iloc[0]),
        "growth_undated": int(d["undated"]),
        "reach_widest": the(widest_reach), "reach_pop": float(r.loc[widest_reach, "population_share"]),
        "reach_gdp": float(r.loc[widest_reach, "gdp_share"]), "g7_pop": float(r.loc["g7", "population_share"]),
        "g7_gdp": float(r.loc["g7", "gdp_share"]),
        "n_circle_states": len(matrix), "n_outside_oecd": len(set(matrix.index) - set(G.members("oecd", as_of))),
        "n_high_income": int((income == "High Income").sum()),
        "high_income_share": float((income == "High Income").mean()) if len(income) else 0.0,
        "n_lower_income": int(income.isin(LOWER_INCOME).sum()),
        "lower_income_top": the(lower.idxmax()) if len(lower) and lower.max() else "none",
        "lower_income_top_n": int(lower.max()) if len(lower) else 0,
        "n_active": len(active), "n_in_all": int(in_all.sum()),
        "n_overlap_forums": len(active) if len(active) >= 2 else 0,  # the overlaps chart needs two
        "n_chain_forums": int(ch["first_event"].notna().sum()),
        "in_all_names": listing(sorted(state_names(in_all.index[in_all]),
                                       key=lambda n: n.removeprefix("the "))) or "none",
        "n_in_one": int((matrix.sum(axis=1) == 1).sum()),
        "top_combo": _combo(combos, the),
        "top_combo_n": int(combos.iloc[0]) if len(combos) else 0,
        "g7_n_claims": len(d["ledger"]), "g7_n_confirmed": int(tally.get("confirmed", 0)),
        "g7_n_differs": int(tally.get("differs", 0)), "g7_n_unsettled": int(tally.get("not checkable", 0)),
    }


def _years(ax) -> None:
    """Year ticks on a date axis."""
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def _combo(combos: pd.Series, the) -> str:
    """The forums of the most common combination ('the OECD AI Principles and GPAI')."""
    if not len(combos):
        return "none"
    return listing([the(f) for f, inside in zip(combos.index.names, combos.index[0]) if inside])


def fig_chain(chain_df: pd.DataFrame) -> plt.Figure:
    """Each forum's first AI event and the date it took up AI, sized by its member states then."""
    draw = chain_df[chain_df["first_event"].notna()].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.42 * len(draw) + 1.3))
    ax.scatter(draw["first_event"], draw.index, color=style.PALETTE[1], s=40, zorder=3, label="First AI event")
    took = draw[draw["adopted"].notna() & (draw["forum_id"] != "g7")]
    for y, row in took.iterrows():
        ax.plot(sorted([row["first_event"], row["adopted"]]), [y, y], color="#999999", lw=1, zorder=2)
        n = row["states_at_adoption"]
        ax.annotate(f"{n} state{'' if n == 1 else 's'}", (row["adopted"], y), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8.5)
    ax.scatter(took["adopted"], took.index, color=style.PALETTE[0], s=30 + 3 * took["states_at_adoption"],
               zorder=3, label="Founded or adopted its AI instrument (size: member states then)")
    ax.set_yticks(draw.index, draw["forum"])
    ax.set_ylim(len(draw) - 0.5, -0.7)
    ax.set(xlabel=None)
    ax.margins(x=0.15)
    _years(ax)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.1), ncol=1)
    return fig


def fig_growth(counts: pd.DataFrame, names: dict[str, str], forum_ids: list[str]) -> plt.Figure:
    """Member states of each forum over time (step lines)."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    for f, color in zip(forum_ids, style.categorical(len(forum_ids))):
        sub = counts[counts["forum_id"] == f].sort_values("date")
        sub = sub[sub["states"].cummax() > 0]  # each line starts when the forum has members
        if sub.empty:
            continue
        ax.step(sub["date"], sub["states"], where="post", color=color, lw=1.8, label=names.get(f, f))
    ax.set(ylabel="Member states", xlabel=None, ylim=(0, None))
    _years(ax)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.45, -0.08), ncol=3)
    return fig


def fig_income(mix: pd.DataFrame, names: dict[str, str], forum_ids: list[str]) -> plt.Figure:
    """Member states of each forum by income group (stacked bars)."""
    wide = mix.pivot(index="forum_id", columns="income_group", values="states").reindex(
        index=forum_ids, columns=datasets.INCOME_ORDER).fillna(0)
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.38 * len(forum_ids) + 1.4))
    left = pd.Series(0.0, index=wide.index)
    for group, color in zip(datasets.INCOME_ORDER, style.PALETTE[:4] + [style.MUTED]):
        ax.barh([names.get(f, f) for f in wide.index], wide[group], left=left, color=color, label=group, height=0.7)
        left += wide[group]
    ax.invert_yaxis()
    ax.set(xlabel="Member states", ylabel=None)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.2), ncol=3)
    return fig


def map_status(matrix: pd.DataFrame) -> dict[str, str]:
    """Each state -> how many of the forums it belongs to ('1', '2', ...)."""
    n = matrix.sum(axis=1)
    return {c: str(int(k)) for c, k in n.items() if k}


def fig_map(matrix: pd.DataFrame, focus: list[str]) -> plt.Figure:
    """States shaded by the number of compared forums they belong to."""
    keys = [str(k) for k in range(1, len(matrix.columns) + 1)]
    colors = dict(zip(keys, plt.get_cmap("Blues")([0.3 + 0.7 * i / max(len(keys) - 1, 1)
                                                   for i in range(len(keys))]).tolist()))
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    plots.membership_map(ax, map_status(matrix), focus, colors=colors)
    most = int(matrix.sum(axis=1).max()) if len(matrix) else 0
    handles = [Patch(color=colors[k], label=k) for k in keys[:most]]  # colours fixed, legend as drawn
    if len(focus):
        handles.append(Line2D([], [], color=style.FOCUS, lw=1.2, label="Focus country"))
    ax.legend(handles=handles, title="Forums joined", frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, 0.02), ncol=len(handles))
    return fig


def fig_overlaps(matrix: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """States by the exact combination of forums they belong to (UpSet chart, 12 largest; each
    forum's total is in the reach table)."""
    active = matrix.loc[:, matrix.any()].rename(columns=names)
    fig = plt.figure(figsize=(style.COLUMN, 4.2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        data = upsetplot.from_indicators(list(active.columns), data=active.reset_index())
        axes = upsetplot.UpSet(data, subset_size="count", sort_by="cardinality", facecolor=style.PALETTE[0],
                               max_subset_rank=12, element_size=None, totals_plot_elements=0).plot(fig=fig)
    bars = axes["intersections"]
    for patch in bars.patches:  # upsetplot's own show_counts fails with this matplotlib
        bars.annotate(f"{patch.get_height():.0f}", (patch.get_x() + patch.get_width() / 2, patch.get_height()),
                      xytext=(0, 2), textcoords="offset points", ha="center", va="bottom")
    bars.set_ylabel("States")
    return fig


def reach_table(reach_df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    out = reach_df.assign(forum=reach_df["forum_id"].map(names),
                          population_share=(100 * reach_df["population_share"]).round(1),
                          gdp_share=(100 * reach_df["gdp_share"]).round(1))
    cols = {"forum": "Forum", "states": "Member states", "outside_g7": "Outside the G7",
            "outside_oecd": "Outside the OECD", **{c: c for c in CONTINENTS},
            "population_share": "World population (%)", "gdp_share": "World GDP (%)"}
    return out[list(cols)].rename(columns=cols)


def publish(as_of: pd.Timestamp | None, focus: list[str], forum_ids: list[str]) -> dict:
    """Glue the chapter's facts, figures, tables and notices."""
    style.apply_theme()
    d = data(as_of, forum_ids)
    out = report.glue_facts({**facts(as_of, forum_ids, d), "focus_names": roster(focus)})
    ids, names, ch, matrix = d["ids"], d["names"], d["chain"], d["matrix"]
    label = params.label(as_of)
    report.notice("chain_notice", None if ch["first_event"].notna().any() else
                  f"No AI event of these forums is recorded on or before {label}.")
    if ch["first_event"].notna().any():
        report.figure("g7-chain", fig_chain(ch), ch.drop(columns=["coverage"]))
    report.notice("members_notice", None if len(matrix) else
                  f"None of these forums has a recorded member state on {label}.")
    report.table("g7-reach-table", reach_table(d["reach"], names),
                 f"Member states of each forum on {label}: outside the G7 and the OECD, per continent, "
                 "and their shares of world population (2020) and GDP (2022)")
    if len(matrix):
        report.figure("g7-growth", fig_growth(d["growth"], names, ids),
                      d["growth"].assign(forum=d["growth"]["forum_id"].map(names)))
        report.figure("g7-reach", fig_income(d["mix"], names, ids),
                      d["mix"].assign(forum=d["mix"]["forum_id"].map(names)))
        secondary = set().union(*[G.secondary(f, as_of) for f in ids])
        joined = {c: f"{k} of {len(ids)} forums" for c, k in map_status(matrix).items()}
        report.map_figure("g7-maps", fig_map(matrix, focus), joined, matrix.reset_index().assign(
            forums_joined=matrix.sum(axis=1).values, secondary_source=matrix.index.isin(secondary)))
    if matrix.any().sum() >= 2:
        report.figure("g7-overlaps", fig_overlaps(matrix, names), matrix.reset_index())
    report.table("g7-claims", claims.for_reader(d["ledger"]), f"The sources' claims on these forums, "
                 f"checked against the data on {label}")
    return out
