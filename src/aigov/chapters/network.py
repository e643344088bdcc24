"""Chapter 6, a network of networks: the country-forum graph, how the forums overlap, whether it
has a centre, reach by income group, growth since 2016 and the proposals for a central body."""
import textwrap

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .. import capacity as C
from .. import datasets, governance, params, plots, report, style
from .. import network as N
from .. import function_matrix
from ..text import country, listing, roster, the_forum

INCOME_COLORS = dict(zip(datasets.INCOME_ORDER, style.PALETTE[:4] + [style.MUTED]))
INCOME_SHORT = {"High Income": "High", "Upper Middle Income": "Upper\nmiddle",
                "Lower Middle Income": "Lower\nmiddle", "Low Income": "Low", datasets.NO_DATA: "No\ndata"}
GENERAL = {"club", "intergovernmental_organisation"}  # forum kinds that predate AI governance
TOP = 10  # rows of the hubs table
FORUM_COLOR = "#4d4d4d"
HALO = [pe.withStroke(linewidth=2.5, foreground="white")]


def _forum(d: dict, forum_id: str) -> str:
    """A forum's short name as prose names it ('the G7', 'GPAI')."""
    return the_forum(d["short"][forum_id])


def _pair(d: dict, row: pd.Series) -> str:
    """A pair of forums of :func:`network.pairs` in prose ('the OECD and GPAI')."""
    return f"{_forum(d, row['forum_a'])} and {_forum(d, row['forum_b'])}"


def _income_word(group: str) -> str:
    """'Lower Middle Income' -> 'lower-middle-income'."""
    return group.lower().replace(" ", "-")


def data(as_of: pd.Timestamp | None, focus: list[str], forums: list[str]) -> dict:
    """The graphs and tables behind the chapter's facts and figures."""
    info = governance.table("forums").set_index("forum_id")
    m = N.matrix(as_of, forums)
    b = N.bipartite(m)
    active = N.forum_nodes(b)
    table = N.country_table(as_of, forums)
    cent = N.ranked(N.centrality(b)).join(table[["country", "income_group"]])
    cent["rank"] = cent["weighted_degree"].rank(method="min", ascending=False).astype(int)
    short = info["short_name"].to_dict()
    return {"info": info, "short": short, "m": m[active], "p": N.projection(b), "active": active,
            "table": table, "cent": cent, "pairs": N.pairs(m),
            "series": N.series(as_of, forums, table["income_group"], focus), "proposals": N.proposals(as_of),
            "memberships": governance.memberships(as_of)}


def _overlap_facts(d: dict) -> dict:
    pr, nest = d["pairs"], N.nested(d["m"])
    inner = nest.groupby("inner").size().sort_values(ascending=False, kind="stable")
    return {
        "n_pairs": len(pr), "mean_jaccard": pr["jaccard"].mean() if len(pr) else 0.0,
        "top_pair": _pair(d, pr.iloc[0]) if len(pr) else "none",
        "top_pair_jaccard": pr["jaccard"].iloc[0] if len(pr) else 0.0,
        "low_pair": _pair(d, pr.iloc[-1]) if len(pr) else "none",
        "low_pair_jaccard": pr["jaccard"].iloc[-1] if len(pr) else 0.0,
        "n_disjoint": int((pr["shared"] == 0).sum()), "n_nested": len(nest),
        "most_nested_forum": _forum(d, inner.index[0]) if len(inner) else "none",
        "most_nested_n": int(inner.iloc[0]) if len(inner) else 0,
    }


def _hub_facts(d: dict, focus: list[str]) -> dict:
    cent, p = d["cent"], d["p"]
    hubs = N.hubs(cent)
    h0 = cent.loc[hubs[0]] if hubs else pd.Series(0, index=cent.columns)
    inside = [c for c in focus if c in cent.index]
    top = cent.head(TOP).index.tolist()
    return {
        "top_hubs": roster(hubs), "hub_weighted_degree": int(h0["weighted_degree"]),
        "hub_partners": int(h0["partners"]), "hub_forums": int(h0["forums"]),
        "net_n_others": max(len(cent) - 1, 0), "centralization": N.centralization(p),
        "max_betweenness": float(cent["betweenness"].max()) if len(cent) else 0.0,
        "n_zero_betweenness": int((cent["betweenness"] == 0).sum()),
        "n_near_all": len(N.near_all(cent)), "near_all_pct": round(100 * N.NEAR_ALL),
        "cut_off_without_top": N.cut_off(p, top), "n_top": len(top),
        "focus_ranks": listing([f"{country(c)} ({cent.loc[c, 'rank']})" for c in inside]) or "none",
    }


def _reach_facts(d: dict, focus: list[str]) -> dict:
    m, p, cent, table = d["m"], d["p"], d["cent"], d["table"]
    per_state, size = m.sum(axis=1), m.sum().sort_values(ascending=False, kind="stable")
    sole = N.sole_forum(m).sort_values(ascending=False, kind="stable")
    w = N.linked_pairs(p)
    multi = cent[cent["forums"] >= 2]
    edge = table[table["forums"] <= 1]  # states with one seat or none
    inside = [c for c in focus if c in cent.index]
    top_states = sorted(per_state.index[per_state == per_state.max()]) if len(per_state) else []
    return {
        "net_seats": int(m.to_numpy().sum()), "net_links": p.number_of_edges(),
        "narrowest_forum": _forum(d, size.index[-1]) if len(size) else "none",
        "narrowest_states": int(size.iloc[-1]) if len(size) else 0,
        "n_single": int((per_state == 1).sum()), "n_multi": int((per_state >= 2).sum()),
        "share_multi": float((per_state >= 2).mean()) if len(per_state) else 0.0,
        "max_forums": int(per_state.max()) if len(per_state) else 0, "max_forums_states": roster(top_states),
        "share_pairs_multi": float((w >= 2).mean()) if len(w) else 0.0,
        "mean_shared": float(w.mean()) if len(w) else 0.0,
        "sole_top_forum": _forum(d, sole.index[0]) if len(sole) else "none",
        "sole_top_n": int(sole.iloc[0]) if len(sole) else 0,
        "sole_top_share": sole.iloc[0] / len(per_state) if len(sole) else 0.0,
        "multi_high_share": float((multi["income_group"] == "High Income").mean()) if len(multi) else 0.0,
        "edge_lmic_share": float(edge["income_group"].isin(datasets.LOW_OR_MIDDLE).mean()) if len(edge) else 0.0,
        "focus_forums": listing([f"{country(c)} ({int(per_state[c])})" for c in inside]) or "none",
        "focus_outside": roster([c for c in focus if c not in cent.index]),
        "n_eu_only": int(((table["direct"] == 0) & (table["via_eu"] > 0)).sum()),
    }


def _income_facts(d: dict) -> dict:
    inc = N.by_income(d["table"]).set_index("income_group")
    lm = inc[inc.index.isin(datasets.LOW_OR_MIDDLE)]
    row = lambda g: inc.loc[g] if g in inc.index else pd.Series({"countries": 0, "in_network": 0})  # noqa: E731
    hi, low = row("High Income"), row("Low Income")
    med = inc.drop(index=datasets.NO_DATA, errors="ignore")["median_forums"].dropna()
    return {
        "lmic_total": int(lm["countries"].sum()), "lmic_in": int(lm["in_network"].sum()),
        "lmic_share": lm["in_network"].sum() / lm["countries"].sum() if lm["countries"].sum() else 0.0,
        "hi_total": int(hi["countries"]), "hi_in": int(hi["in_network"]),
        "hi_share": hi["in_network"] / hi["countries"] if hi["countries"] else 0.0,
        "low_total": int(low["countries"]), "low_in": int(low["in_network"]),
        "median_forums_by_group": listing([f"{_income_word(g)} states {v:g}" for g, v in med.items()]) or "none",
    }


def _growth_facts(d: dict) -> dict:
    s, prop = d["series"], d["proposals"]
    first, last = s.iloc[0], s.iloc[-1]
    out = {"series_first_year": str(first["date"].year), "series_years": len(s) - 1}
    for key, row in (("first", first), ("last", last)):
        out |= {f"{key}_states": int(row["countries"]), f"{key}_forums": int(row["forums_active"]),
                f"{key}_density": float(row["density"]), f"{key}_lmic_share": float(row["share_lmic"]),
                f"{key}_share_multi": float(row["share_multi"])}
    return out | {"n_proposals": int((prop["kind"] == "proposal").sum()),
                  "n_un_steps": int((prop["kind"] == "UN step").sum()), "n_later": len(N.proposals(None)) - len(prop)}


def facts(d: dict, as_of: pd.Timestamp | None, focus: list[str], forums: list[str]) -> dict:
    """The chapter's glue keys: shared facts, the network's build, overlap, hubs, reach, growth."""
    ms, partial = d["memberships"], C.partial_forums(forums)
    return {
        "as_of_label": params.label(as_of), **governance.shared_facts(as_of),
        "n_forums_listed": len(forums),
        "forums_empty_names": listing([d["short"][f] for f in forums if f not in d["active"]]) or "none",
        "n_eu_forums": int(ms.loc[(ms["member"] == "EUU") & ms["forum_id"].isin(forums), "forum_id"].nunique()),
        "n_au_forums": int(ms.loc[(ms["member"] == "XAU") & ms["forum_id"].isin(forums), "forum_id"].nunique()),
        "net_n_partial": len(partial), "partial_forums": listing(partial) or "none",
        "net_n_undated": N.undated(forums),
        **_reach_facts(d, focus), **_overlap_facts(d), **_hub_facts(d, focus), **_income_facts(d), **_growth_facts(d),
    }


# --- figures ----------------------------------------------------------------------------------

def _empty(fig, ax) -> plt.Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, "No state held a seat on this date", ha="center", va="center", transform=ax.transAxes)
    return fig


def fig_graph(m: pd.DataFrame, income: pd.Series, focus: list[str], labels: dict[str, str]) -> plt.Figure:
    """The country-forum graph of a states x forums matrix: forums on a circle (squares sized by
    members, labelled), each state at the mean position of its forums, coloured by income group."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 5.6))
    g = N.bipartite(m)
    if not N.country_nodes(g):
        return _empty(fig, ax)
    pos = N.layout(g)
    fs, cs = N.forum_nodes(g), N.country_nodes(g)
    shown = [c for c in focus if c in cs]
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color="#c8c8c8", width=0.3, alpha=0.6)
    nx.draw_networkx_edges(g, pos, ax=ax, edgelist=[e for e in g.edges() if set(e) & set(shown)],
                           edge_color=style.FOCUS, width=0.5, alpha=0.35)
    sizes = [20 + 5 * g.degree(f) for f in fs]
    nx.draw_networkx_nodes(g, pos, ax=ax, nodelist=fs, node_shape="s", node_size=sizes, node_color=FORUM_COLOR,
                           edgecolors="white", linewidths=0.8)
    colors = [INCOME_COLORS[income.get(c, datasets.NO_DATA)] for c in cs]
    nx.draw_networkx_nodes(g, pos, ax=ax, nodelist=cs, node_size=16, node_color=colors, edgecolors="white",
                           linewidths=0.3)
    nx.draw_networkx_nodes(g, pos, ax=ax, nodelist=shown, node_size=42, edgecolors=style.FOCUS, linewidths=1.6,
                           node_color=[INCOME_COLORS[income.get(c, datasets.NO_DATA)] for c in shown])
    ax.set(xlim=(-1.62, 1.62), ylim=(-1.3, 1.3), aspect="equal")
    ax.set_axis_off()
    boxes = _forum_labels(ax, fs, pos, sizes, labels)
    plots.place_labels(ax, [pos[c][0] for c in shown], [pos[c][1] for c in shown], shown, avoid=boxes,
                       fontsize=8.5, fontweight="bold", color=style.FOCUS, path_effects=HALO)
    groups = [k for k in datasets.INCOME_ORDER if k in {income.get(c, datasets.NO_DATA) for c in cs}]
    handles = [Line2D([], [], marker="o", ls="", color=INCOME_COLORS[k], label=k) for k in groups]
    handles.append(Line2D([], [], marker="s", ls="", color=FORUM_COLOR, label="Forum"))
    ax.legend(handles=handles, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3,
              columnspacing=1.0, handletextpad=0.2)
    return fig


def _forum_labels(ax, fs, pos, sizes, labels) -> list:
    """Each forum's label just outside the circle, wrapped; returns the boxes of the labels and
    of the squares."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = []
    for f, size in zip(fs, sizes):
        x, y = pos[f]
        cx, cy = ax.transData.transform((x, y))
        half = np.sqrt(size) / 2 * ax.figure.dpi / 72
        boxes.append(Bbox([[cx - half, cy - half], [cx + half, cy + half]]))
        r = np.hypot(x, y) or 1.0
        dx, dy = (x / r, y / r) if np.hypot(x, y) else (0.0, 1.0)
        off = np.sqrt(size) / 2 + 4
        t = ax.annotate(textwrap.fill(labels.get(f, f), 14), (x, y), xytext=(dx * off, dy * off),
                        textcoords="offset points", fontsize=8.5, color="#222222", path_effects=HALO,
                        ha="center" if abs(dx) < 0.3 else ("left" if dx > 0 else "right"),
                        va="center" if abs(dy) < 0.5 else ("bottom" if dy > 0 else "top"), linespacing=1.0)
        boxes.append(t.get_window_extent(renderer))
    return boxes


def fig_overlap(jac: pd.DataFrame) -> plt.Figure:
    """Lower triangle of a forums x forums Jaccard matrix (index and columns: forum names)."""
    k = len(jac) - 1
    fig, ax = plt.subplots(figsize=(style.COLUMN, min(5.8, 1.9 + 0.34 * max(k, 3))))
    if k < 1:
        return _empty(fig, ax)
    cax = ax.inset_axes([0.55, 0.9, 0.42, 0.035])
    sns.heatmap(jac.iloc[1:, :-1], mask=np.triu(np.ones((k, k), dtype=bool), k=1), annot=True, fmt=".2f",
                cmap="YlGnBu", vmin=0, vmax=1, linewidths=0.5, linecolor="white", annot_kws={"fontsize": 8},
                ax=ax, cbar_ax=cax, cbar_kws={"orientation": "horizontal"})
    cax.set_title("Jaccard similarity of state members", fontsize=8.5)
    cax.tick_params(labelsize=8)
    ax.set_xticks(np.arange(k) + 0.5, jac.columns[:-1], rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(k) + 0.5, jac.index[1:], rotation=0)
    ax.set(xlabel=None, ylabel=None)
    ax.tick_params(length=0)
    ax.grid(False)
    fig.tight_layout()
    return fig


def fig_hubs(cent: pd.DataFrame, focus: list[str], labelled: list[str]) -> plt.Figure:
    """Weighted degree of every state, in rank order (``cent`` ranked), coloured by income group;
    ``focus`` ringed, ``focus`` and ``labelled`` named."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    if cent.empty:
        return _empty(fig, ax)
    data = cent.assign(position=np.arange(1, len(cent) + 1))
    for g in [k for k in datasets.INCOME_ORDER if k in set(data["income_group"])]:
        sub = data[data["income_group"] == g]
        ax.scatter(sub["position"], sub["weighted_degree"], s=14, color=INCOME_COLORS[g], edgecolor="white",
                   linewidth=0.3, label=g, zorder=3)
    foc = data[data.index.isin(focus)]
    ax.scatter(foc["position"], foc["weighted_degree"], s=40, facecolor="none", edgecolor=style.FOCUS, linewidth=1.5,
               zorder=4)
    ax.set(xlabel="States, from the highest weighted degree to the lowest", ylabel="Weighted degree",
           xlim=(0, len(data) + 1), ylim=(0, 1.15 * max(data["weighted_degree"].max(), 1)))
    ax.legend(frameon=False, loc="upper right", title="Income group")
    fig.tight_layout()
    offsets = [(5, 6), (-5, -6), (5, -6), (-5, 6), (8, 0), (-8, 0)]
    dots = [Bbox.from_bounds(x - 3, y - 3, 6, 6)
            for x, y in ax.transData.transform(data[["position", "weighted_degree"]].to_numpy(float))]
    group = [c for c in labelled if c in data.index and c not in focus]  # one label for them all
    boxes = plots.place_labels(ax, data.loc[group[:1], "position"], data.loc[group[:1], "weighted_degree"],
                               [", ".join(group)], offsets=[(0, 7), (6, 6), (6, 0)], avoid=dots, fontsize=8.5,
                               color="#333333", path_effects=HALO) if group else []
    plots.place_labels(ax, foc["position"], foc["weighted_degree"], list(foc.index), offsets=offsets,
                       avoid=dots + boxes,
                       fontsize=8.5, fontweight="bold", color=style.FOCUS, path_effects=HALO)
    return fig


def fig_income(table: pd.DataFrame, focus: list[str]) -> plt.Figure:
    """Share of each income group's states with a seat (bars), and forums per state in the network."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(style.COLUMN, 3.2), gridspec_kw={"width_ratios": [1, 1.35]})
    inc = N.by_income(table).set_index("income_group")
    groups = list(inc.index)
    a.bar(range(len(groups)), 100 * inc["share_in_network"], color=[INCOME_COLORS[g] for g in groups])
    for x, g in enumerate(groups):
        r = inc.loc[g]
        a.text(x, 100 * r["share_in_network"] + 2, f"{int(r['in_network'])}/{int(r['countries'])}", ha="center",
               fontsize=8)
    a.set(ylim=(0, 112), yticks=range(0, 101, 25), ylabel="States with a seat (%)", title="In the network")
    net = table[table["in_network"]]
    if len(net):
        sns.boxplot(net, x="income_group", y="forums", order=groups, color="#e8e8e8", width=0.6, fliersize=0, ax=b)
        rng = np.random.default_rng(N.LAYOUT_SEED)
        x = net["income_group"].map(groups.index) + rng.uniform(-0.22, 0.22, len(net))
        b.scatter(x, net["forums"], s=9, color=net["income_group"].map(INCOME_COLORS), alpha=0.85, linewidth=0,
                  zorder=3)
        foc = net.index.isin(focus)
        b.scatter(x[foc], net.loc[foc, "forums"], s=24, facecolor="none", edgecolor=style.FOCUS, linewidth=1.4,
                  zorder=4)
    b.set(title="Forums per state in the network", xlabel=None, ylabel=None, ylim=(0, None))
    for ax in (a, b):
        ax.set_xticks(range(len(groups)), [INCOME_SHORT[g] for g in groups])
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    if len(net) and foc.any():
        plots.place_labels(b, x[foc], net.loc[foc, "forums"], list(net.index[foc]), fontsize=8.5, fontweight="bold",
                           color=style.FOCUS, path_effects=HALO)
    return fig


def fig_growth(series: pd.DataFrame, marks: list, focus: list[str]) -> plt.Figure:
    """Network measures over time: states, three shares, and the forums of each focus country;
    dashed lines at ``marks`` (dates of proposals for a central body and UN steps) on top."""
    fig, axes = plt.subplots(3, 1, figsize=(style.COLUMN, 6.2), sharex=True, height_ratios=[1, 1.2, 1.2])
    s = series
    axes[0].plot(s["date"], s["countries"], marker="o", ms=3.5, color=style.PALETTE[0])
    axes[0].set(title="States in the network", ylim=(0, None))
    for day in marks:
        axes[0].axvline(day, color="#aaaaaa", lw=0.7, ls="--", zorder=1)
    shares = [("share_lmic", "Low- and middle-income states with a seat"),
              ("share_multi", "States in two or more forums"), ("density", "Density")]
    for (col, label), color, mk in zip(shares, style.PALETTE[1:4], "osD"):
        axes[1].plot(s["date"], 100 * s[col], marker=mk, ms=3.5, color=color, label=label)
    axes[1].set(title="Shares (%)", ylim=(0, 125), yticks=range(0, 101, 25))
    axes[1].legend(frameon=False, loc="upper left", ncol=3, columnspacing=0.8, handlelength=1.5)
    for i, (code, color, mk) in enumerate(zip(focus, style.categorical(max(len(focus), 1)), "osD^vP<>*X")):
        axes[2].plot(s["date"], s[f"forums_{code}"], marker=mk, ms=7 - 0.9 * i, lw=3.4 - 0.45 * i, color=color,
                     label=code)
    axes[2].set(title="Forums of the focus countries", ylim=(0, None))
    axes[2].yaxis.get_major_locator().set_params(integer=True)
    if focus:
        axes[2].legend(frameon=False, loc="upper left", ncol=min(len(focus), 6), columnspacing=0.8, handlelength=1.5)
    ends = s.loc[(s["date"].dt.month == 12) & (s["date"].dt.day == 31), "date"]
    ends = ends if len(ends) else s["date"]
    axes[2].set_xticks(ends, [f"{d:%Y}" for d in ends])
    span = max(s["date"].max() - s["date"].min(), pd.Timedelta(days=365))
    axes[2].set_xlim(s["date"].min() - 0.04 * span, s["date"].max() + 0.12 * span)
    for ax in axes:
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    if focus:  # codes at the end of the lines, those ending on the same value together
        last = s.iloc[-1][[f"forums_{c}" for c in focus]].set_axis(focus)
        tied = last.groupby(last, sort=False).apply(lambda v: ", ".join(v.index))
        plots.place_labels(axes[2], [s["date"].iloc[-1]] * len(tied), tied.index, tied.tolist(),
                           offsets=[(6, 0), (6, 6), (6, -6)], fontsize=8, color="#333333")
    return fig


# --- publishing -------------------------------------------------------------------------------

def _notices(d: dict, forums: list[str]) -> None:
    kinds = set(d["info"].loc[d["active"], "kind"])
    if not d["active"]:
        message = "No forum on the list had a state member on this date: there is no network to measure."
    elif kinds <= GENERAL:
        message = (f"On this date the only forums with members are {listing([d['short'][f] for f in d['active']])}, "
                   "general clubs that took up AI later: the measures describe those clubs.")
    else:
        message = None
    report.notice("network_notice", message)
    report.notice("network_forums_notice", None if forums == governance.default_forums() else
                  "This page counts the forums of its forums parameter; the number of forums, the widest forum and "
                  "the states in at least one forum are those of the book's default list.")


def _tables(d: dict, focus: list[str], label: str) -> None:
    cent = d["cent"]
    top = cent.head(TOP)
    show = pd.concat([top, cent[cent.index.isin(focus) & ~cent.index.isin(top.index)]])
    report.table("network-top-hubs", pd.DataFrame({
        "rank": show["rank"], "state": show["country"], "income group": show["income_group"],
        "forums": show["forums"], "partners": show["partners"], "weighted degree": show["weighted_degree"],
        "betweenness": show["betweenness"].map("{:.3f}".format)}),
        f"The ten states with the highest weighted degree on {label}, then the focus countries further down")
    prop = d["proposals"]
    report.table("network-proposals", pd.DataFrame({
        "date": prop["date"], "kind": prop["kind"], "event": prop["title"], "source": prop["source_url"]}),
        f"Proposals for a central body and UN steps toward a standing forum, up to {label}", {"source": "source"})


def publish(as_of: pd.Timestamp | None, focus: list[str], forums: list[str]) -> dict:
    """Glue the chapter's facts, notices, figures and tables; returns the facts."""
    style.apply_theme()
    d = data(as_of, focus, forums)
    out = report.glue_facts({**facts(d, as_of, focus, forums), "focus_names": roster(focus)})
    _notices(d, forums)
    cent, m, short = d["cent"], d["m"], d["short"]
    income = d["table"]["income_group"]
    labels = {f: f"{short[f]} ({int(m[f].sum())})" for f in d["active"]}
    nodes = cent.reset_index()[["iso3", "country", "income_group", "forums", "weighted_degree"]]
    nodes["forum_ids"] = [", ".join(f for f in d["active"] if m.loc[c, f]) for c in nodes["iso3"]]
    report.figure("network-bipartite", fig_graph(m, income, focus, labels), nodes)
    jac = N.jaccard(m).rename(index=short, columns=short)
    report.figure("network-overlap", fig_overlap(jac), d["pairs"])
    report.figure("network-hubs", fig_hubs(cent, focus, N.hubs(cent)), cent.reset_index())
    report.figure("network-income", fig_income(d["table"], focus), d["table"].reset_index())
    marks = list(d["proposals"].loc[d["proposals"]["start"] >= d["series"]["date"].min(), "start"])
    report.figure("network-over-time", fig_growth(d["series"], marks, focus), d["series"])
    report.notice("network_growth_notice", None if len(d["series"]) > 1 else
                  f"On {params.label(as_of)} the series has a single date: there is no growth to show yet.")
    _tables(d, focus, out["as_of_label"])
    return {**out, **function_matrix.publish(as_of)}
