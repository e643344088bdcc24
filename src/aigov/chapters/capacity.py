"""Chapter 5, capacity building: the digital and AI divide, and who takes part in AI governance."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import capacity as C
from .. import countries, datasets, governance, maps, params, plots, report, style
from .. import landscape as L
from ..curated import period_end
from ..text import country, date, income_label, listing, roster

# Map and box-plot panels: the foundations of AI, then the AI layer (each on its own scale).
FOUNDATIONS = [("internet_use", "Internet users, % (2022)"),
               ("electricity_access", "Electricity access, % (2022)"),
               ("gdp_per_capita", "GDP per capita, PPP $ (2022)")]
AI_LAYER = [("imf_aipi", "IMF AI Preparedness, 0-1 (2023)"),
            ("oxford_readiness", "Government AI Readiness, 0-100 (2023)"),
            ("ai_diffusion", "Generative AI users, % (Q1 2026)")]
LOG = {"gdp_per_capita"}  # drawn on a log scale
SCATTER = ["internet_use", "gdp_per_capita", "imf_aipi"]  # participation against these
# Indicator names as they read mid-sentence.
PROSE = {"internet_use": "internet use", "electricity_access": "electricity access",
         "gdp_per_capita": "GDP per capita", "imf_aipi": "IMF AI Preparedness",
         "oxford_readiness": "government AI readiness", "ai_diffusion": "generative AI use",
         "top500_rmax": "TOP500 supercomputing", "models": "notable AI models"}
SHORT_GROUP = {"High Income": "High", "Upper Middle Income": "Upper\nmiddle",
               "Lower Middle Income": "Lower\nmiddle", "Low Income": "Low"}
BAND_COLORS = {"0": "#e6e6e6", "1-2": "#a6d9c1", "3-5": "#41b6c4", "6 or more": "#225ea8"}
VIA_EU = style.PALETTE[3]
TOP = 10  # bars in the ranked charts (focus countries beyond them are added)
NONE = "none"


# --- data --------------------------------------------------------------------------------------

def data(as_of: pd.Timestamp | None, region: str | None, forums: list[str]) -> dict:
    """The country table (every country, and those in scope) and what the sections share."""
    models = L.up_to(datasets.epoch_models(), as_of)
    everyone = C.capacity_table(as_of, forums, datasets.indicators(), C.ai_metrics(), C.top500(),
                                L.models_by_country(models))
    table = everyone if region is None else everyone[everyone["region"] == region]
    sized = table["income_group"].value_counts()
    groups = [g for g in datasets.INCOME_ORDER if sized.get(g, 0) >= 3]  # groups of 3 or more
    info = governance.table("forums").set_index("forum_id")
    founded = [f for f in forums if as_of is None or period_end(info.loc[f, "founded"]) <= as_of]
    return {"everyone": everyone, "table": table, "as_of": as_of, "forums": forums, "region": region,
            "eu": set(governance.members("eu", as_of)), "groups": groups, "info": info, "founded": founded,
            "view": None if region is None else plots.extent(table.index)}


def _listing(items) -> str:
    return listing(list(items)) or NONE


def _signed(value: float) -> str:
    """+1.4, −0.3 (a true minus sign)."""
    return f"{value:+.1f}".replace("-", "\u2212")


# --- facts -------------------------------------------------------------------------------------

def divide_facts(d: dict) -> dict:
    """Medians of the richest and poorest income group in scope (groups of three or more)."""
    t, groups = d["table"], d["groups"]
    rich, poor = (groups[0], groups[-1]) if groups else (None, None)
    out = {"cap_rich_group": income_label(rich) if rich else NONE,
           "cap_poor_group": income_label(poor) if poor else NONE}
    for col, key in [("internet_use", "internet"), ("electricity_access", "electricity"),
                     ("imf_aipi", "aipi"), ("ai_diffusion", "diffusion")]:
        medians = C.group_medians(t, col)
        out[f"cap_{key}_rich"], out[f"cap_{key}_poor"] = (float(medians.get(g, np.nan)) for g in (rich, poor))
    pillars = list(C.IMF_PILLARS)
    out["cap_n_pillar_countries"] = int(t[pillars].notna().all(axis=1).sum())
    means = t.dropna(subset=pillars).groupby("income_group")[pillars].mean()
    if rich in means.index and poor in means.index and rich != poor:
        ratio = means.loc[poor] / means.loc[rich]
        out["cap_pillar_weakest"] = C.IMF_PILLARS[ratio.idxmin()][1].lower()
        out["cap_pillar_ratio"] = float(ratio.min())
    else:
        out["cap_pillar_weakest"], out["cap_pillar_ratio"] = NONE, float("nan")
    outside = sorted(set(C.top500().index) - set(d["everyone"].index))
    out["cap_top500_outside"] = _listing(countries.name(c) for c in outside)
    return out


def compute_facts(d: dict, focus: list[str]) -> dict:
    t = d["table"]
    t5 = t[t["top500_systems"] > 0].sort_values("top500_rmax", ascending=False)
    mod = t[t["models"] > 0].sort_values(["models", "country"], ascending=[False, True])
    not_high = t5[t5["income_group"] != "High Income"]
    without = [c for c in focus if c in t.index and t.loc[c, "top500_systems"] == 0 and t.loc[c, "models"] == 0]
    return {
        "cap_t500_countries": len(t5), "cap_t500_not_high_names": roster(not_high.index, NONE),
        "cap_t500_top": country(t5.index[0]) if len(t5) else NONE,
        "cap_t500_top_systems": int(t5["top500_systems"].iloc[0]) if len(t5) else 0,
        "cap_t500_top_rmax": float(t5["top500_rmax"].iloc[0]) if len(t5) else 0.0,
        "cap_t500_top_share": float(t5["top500_rmax"].iloc[0] / C.top500()["top500_rmax"].sum()) if len(t5) else 0.0,
        "cap_model_countries": len(mod), "cap_model_top": country(mod.index[0]) if len(mod) else NONE,
        "cap_model_top_n": int(mod["models"].iloc[0]) if len(mod) else 0,
        "cap_focus_without": roster(without, NONE),
    }


def participation_facts(d: dict, as_of, focus: list[str]) -> dict:
    t, forums, info = d["table"], d["forums"], d["info"]
    active = t["direct"] > 0
    top = t[t["direct"] == t["direct"].max()] if active.any() else t.iloc[0:0]
    eu_states = sorted(d["eu"] & set(t.index))
    eu_only = t[(t["direct"] == 0) & (t["via_eu"] > 0)]
    eu_forums = set(governance.memberships(as_of).query("member == 'EUU'")["forum_id"]) & set(forums)
    partial = C.partial_forums(forums)
    return {
        "cap_n_counted": len(forums), "cap_forum_names": listing(info.loc[forums, "short_name"].tolist()),
        "cap_n_founded": len(d["founded"]), "cap_n_countries": len(t), "cap_n_active": int(active.sum()),
        "cap_share_active": float(active.mean()) if len(t) else 0.0, "cap_n_none": int((~active).sum()),
        "cap_median_forums": float(t["direct"].median()) if len(t) else 0.0,
        "cap_max_forums": int(t["direct"].max()) if len(t) else 0, "cap_top_part": roster(top.index, NONE),
        "cap_n_eu_forums": len(eu_forums), "cap_n_eu_states": len(eu_states),
        "cap_eu_only_names": roster(eu_only.index, NONE),
        "cap_focus_seats": _listing(f"{country(c)} {t.loc[c, 'direct']}" for c in focus if c in t.index),
        "cap_n_partial": len(partial), "cap_partial_forums": _listing(partial),
    }


def correlations(table: pd.DataFrame) -> pd.DataFrame:
    """Spearman's rho of direct seats (and of reach) with each indicator, 95% bootstrap interval."""
    rows = []
    for ind in C.INDICATORS:
        c = C.spearman_ci(table[ind.column], table["direct"])
        r = C.spearman_ci(table[ind.column], table["reach"])
        rows.append({"column": ind.column, "indicator": ind.short, "year": ind.year, "countries": c.n if c else 0,
                     "rho": c.rho if c else np.nan, "low": c.low if c else np.nan,
                     "high": c.high if c else np.nan, "rho_reach": r.rho if r else np.nan})
    return pd.DataFrame(rows)


def correlation_facts(corr: pd.DataFrame) -> dict:
    valid = corr.dropna(subset=["rho"]).sort_values("rho", ascending=False)
    out = {"cap_n_boot": C.N_BOOT, "cap_n_corr": len(valid), "cap_n_corr_positive": int((valid["low"] > 0).sum()),
           "cap_reach_change": float((valid["rho_reach"] - valid["rho"]).abs().max()) if len(valid) else 0.0}
    for key, i, parts in [("top", 0, ("rho", "low", "high")), ("second", 1, ("rho",)),
                          ("weak", -1, ("rho", "low", "high"))]:
        row = valid.iloc[i] if len(valid) > max(i, -i - 1) else None
        out[f"cap_corr_{key}"] = PROSE[row["column"]] if row is not None else NONE
        for part in parts:
            out[f"cap_corr_{key}_{part}"] = float(row[part]) if row is not None else float("nan")
    return out


def income_participation(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean seats (direct, and with the EU's) and share with any seat per income group."""
    order = datasets.INCOME_ORDER
    return (C.by_group(table, "income_group", "direct", order=order),
            C.by_group(table, "income_group", "reach", order=order))


def income_facts(d: dict, inc: pd.DataFrame) -> dict:
    by = inc.set_index("income_group")
    out = {}
    for key, group in [("rich", d["groups"][0] if d["groups"] else None),
                       ("poor", d["groups"][-1] if d["groups"] else None)]:
        row = by.loc[group] if group in by.index else None
        for part, col in [("any", "share_any"), ("mean", "mean"), ("mean_low", "low"), ("mean_high", "high")]:
            out[f"cap_{part}_{key}"] = float(row[col]) if row is not None else float("nan")
    return out


def _fit_states(d: dict) -> pd.DataFrame:
    """UN member states in scope outside the EU (the Union speaks for its members in several forums)."""
    t = d["table"]
    return t[t.index.isin(list(countries.un_members())) & ~t.index.isin(list(d["eu"]))]


def residual_table(d: dict) -> pd.DataFrame:
    """Observed and expected direct seats given the IMF index (logistic fit, seats out of the
    counted forums founded by the date)."""
    return C.residuals(_fit_states(d), "imf_aipi", "direct", trials=len(d["founded"]))


def residual_facts(d: dict, res: pd.DataFrame, focus: list[str]) -> dict:
    states = _fit_states(d)
    fit = C.count_fit(states["imf_aipi"], states["direct"], trials=len(d["founded"]))
    under, over = C.extremes(res)
    gaps = res[res.index.isin(focus)]
    return {"cap_resid_n": fit.n if fit else 0,
            "cap_resid_odds": float(np.exp(0.1 * fit.slope)) if fit else float("nan"),
            "cap_resid_explained": fit.deviance_explained if fit else float("nan"),
            "cap_n_under": len(under), "cap_n_over": len(over),
            "cap_focus_gaps": _listing(f"{country(c)} {_signed(r)}" for c, r in zip(gaps.index, gaps["residual"]))}


def region_facts(summary: pd.DataFrame) -> dict:
    s = summary.set_index("region")
    low = s["share_any"].idxmin()
    out = {"cap_lowest_region": low, "cap_lowest_share": float(s.loc[low, "share_any"])}
    for key, name in [("africa", "Africa"), ("europe", "Europe")]:
        out[f"cap_{key}_n"], out[f"cap_{key}_in_any"] = int(s.loc[name, "countries"]), int(s.loc[name, "in_any"])
    return out


def au_facts(as_of, forums: list[str], info: pd.DataFrame) -> dict:
    mat = C.au_matrix(as_of, forums)
    own = sorted(mat.columns[mat.loc["XAU"]]) if "XAU" in mat.index else []
    strategy = C.find_event(governance.timeline(categories=["capacity"]), "Continental AI Strategy")
    g20 = governance.table("memberships").query("member == 'XAU' and forum_id == 'g20'")
    return {"cap_au_members": len(governance.members("african_union", as_of)),
            "cap_au_with_seat": len([c for c in mat.index if c != "XAU"]),
            "cap_au_seat_states": roster([c for c in mat.index if c != "XAU"], NONE),
            "cap_au_own_forums": _listing(info.loc[own, "short_name"]),
            "cap_au_strategy": date(strategy["date"]) if strategy is not None else NONE,
            "cap_au_g20_since": date(g20["joined"].iloc[0]) if len(g20) else NONE}


UN_EVENTS = {"cap_un_265": "78/265", "cap_un_311": "78/311", "cap_gdc": "Global Digital Compact",
             "cap_pgiai": "Partnership for Global Inclusivity", "cap_cn_plan": "Capacity-Building Action Plan",
             "cap_friends": "Group of Friends"}


def un_facts(as_of) -> dict:
    every, up_to = C.un_events(None), C.un_events(as_of)
    out = {"cap_un_events": len(up_to), "cap_n_money": int(every["amount_usd"].notna().sum())}
    for key, pattern in UN_EVENTS.items():
        row = C.find_event(every, pattern)
        out[f"{key}_date"] = date(row["date"]) if row is not None else NONE
    pgiai = C.find_event(every, UN_EVENTS["cap_pgiai"])
    out["cap_pgiai_musd"] = float(pgiai["amount_usd"] / 1e6) if pgiai is not None else float("nan")
    return out


def limits_facts() -> dict:
    src = C.ai_metrics_sources().set_index("id")
    diffusion = C.ai_metrics()["ai_diffusion"]
    return {"cap_diffusion_period": src.loc["microsoft-aiei", "period"].replace(" AI Diffusion", ""),
            "cap_n_diffusion": int(diffusion.notna().sum()), "cap_n_ties": C.ties(diffusion)}


def facts(as_of, focus: list[str], region: str | None, forums: list[str], d: dict | None = None) -> dict:
    """Every fact the chapter's prose glues (plain numbers and text)."""
    d = d or data(as_of, region, forums)
    summary = C.regional_summary(d["everyone"])
    out = {"as_of_label": params.label(as_of), "cap_scope": region or "all regions",
           **governance.shared_facts(as_of), **divide_facts(d), **compute_facts(d, focus),
           **participation_facts(d, as_of, focus), **correlation_facts(correlations(d["table"])),
           **income_facts(d, income_participation(d["table"])[0]),
           **residual_facts(d, residual_table(d), focus), **region_facts(summary),
           **au_facts(as_of, d["forums"], d["info"]), **un_facts(as_of), **limits_facts()}
    return out


# --- figures -----------------------------------------------------------------------------------

def _log_ticks(bar, values=(1000, 3000, 10000, 30000, 100000)) -> None:
    """Dollar ticks on a colour bar drawn on log10 values."""
    ticks = [v for v in values if bar.vmin <= np.log10(v) <= bar.vmax]
    bar.set_ticks(np.log10(ticks), labels=[f"{v:,}" for v in ticks])


def _world_view(margin: float = 0.01) -> tuple[float, float, float, float]:
    """The world map's extent around the land (no empty polar caps)."""
    x0, y0, x1, y1 = maps.world().total_bounds
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return x0 - dx, x1 + dx, y0 - dy, y1 + dy


def fig_maps(table: pd.DataFrame, panels: list[tuple[str, str]], focus=(), view=None) -> plt.Figure:
    """One choropleth per (column, title) of ``table`` (ISO3 index): stacked for the world, side
    by side for a region that is about as tall as it is wide; small states marked with dots."""
    view = view or _world_view()
    wide = (view[1] - view[0]) > 1.4 * (view[3] - view[2])
    shape, size = ((len(panels), 1), (style.COLUMN, 2.75 * len(panels))) if wide else \
        ((1, len(panels)), (style.COLUMN, 3.3))
    fig, axes = plt.subplots(*shape, figsize=size, squeeze=False)
    for ax, (col, title) in zip(axes.flat, panels):
        values = np.log10(table[col]) if col in LOG else table[col]
        bar = plots.choropleth(ax, values, focus, view=view, title=title)
        if col in LOG:
            _log_ticks(bar)
        norm, cmap = plt.Normalize(bar.vmin, bar.vmax), plt.get_cmap("YlGnBu")
        present = values.dropna()
        plots.small_states(ax, present.index, {c: cmap(norm(v)) for c, v in present.items()}, size=7)
    fig.tight_layout()
    return fig


def fig_by_income(table: pd.DataFrame, panels: list[tuple[str, str]], focus=(), seed: int = C.BOOT_SEED) -> plt.Figure:
    """Box plots of each column by income group (richest first), a dot per country (fixed
    jitter), focus countries labelled."""
    groups = [g for g in datasets.INCOME_ORDER if g in set(table["income_group"].dropna())]
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(1, len(panels), figsize=(style.COLUMN, 3.2))
    for ax, (col, title) in zip(np.atleast_1d(axes), panels):
        data = table.dropna(subset=[col, "income_group"])
        ax.boxplot([data.loc[data["income_group"] == g, col] for g in groups], positions=range(len(groups)),
                   widths=0.55, showfliers=False, patch_artist=True,
                   boxprops={"facecolor": style.PALETTE[4], "alpha": 0.45}, medianprops={"color": "black"})
        x = data["income_group"].map({g: i for i, g in enumerate(groups)}) + rng.uniform(-0.2, 0.2, len(data))
        mine = data.index.isin(list(focus))
        ax.scatter(x[~mine], data.loc[~mine, col], s=6, color=style.PALETTE[0], alpha=0.5, linewidth=0)
        ax.scatter(x[mine], data.loc[mine, col], s=22, color=style.FOCUS, edgecolor="white", zorder=5)
        if col in LOG:
            ax.set_yscale("log")
        ax.set_xticks(range(len(groups)), [SHORT_GROUP[g] for g in groups])
        ax.set_title(title.replace(", ", "\n", 1), fontsize=9)
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    for ax, (col, _) in zip(np.atleast_1d(axes), panels):
        pts = table.loc[[c for c in focus if c in table.index]].dropna(subset=[col, "income_group"])
        pts = pts[pts["income_group"].isin(groups)]
        xs = [groups.index(g) for g in pts["income_group"]]
        plots.place_labels(ax, xs, pts[col], pts.index, avoid=_point_boxes(ax, xs, pts[col]), fontsize=8,
                           color=style.FOCUS, fontweight="bold")
    return fig


def fig_pillars(rows: pd.DataFrame, highlight=()) -> plt.Figure:
    """Stacked bars of the four IMF pillars (columns of ``rows``, labelled by the index), top down."""
    plot = rows.iloc[::-1]
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.32 * len(plot) + 1.4))
    left = np.zeros(len(plot))
    for col, color in zip(C.IMF_PILLARS, style.categorical(4)):
        ax.barh(plot.index, plot[col], left=left, color=color, label=C.IMF_PILLARS[col][1])
        left += plot[col].to_numpy()
    for tick in ax.get_yticklabels():
        if tick.get_text() in set(highlight):
            tick.set_color(style.FOCUS)
            tick.set_fontweight("bold")
    ax.set(xlabel="IMF AI Preparedness Index, 2023 (the four pillars add up to the score)", ylabel=None)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, ncol=2, loc="upper center", bbox_to_anchor=(0.4, -0.5 / (0.32 * len(plot) + 1.4) - 0.08))
    fig.tight_layout()
    return fig


def _ranked(data: pd.DataFrame, value: str, focus) -> pd.DataFrame:
    """The top rows by ``value`` plus any focus country beyond them."""
    top = data.head(TOP)
    return pd.concat([top, data[data.index.isin(list(focus)) & ~data.index.isin(top.index)]])


def fig_compute(table: pd.DataFrame, focus=()) -> plt.Figure:
    """Ranked bars: combined TOP500 Rmax and notable models by country (top ten and focus)."""
    t5 = _ranked(table[table["top500_rmax"] > 0].sort_values("top500_rmax", ascending=False), "top500_rmax", focus)
    mod = _ranked(table[table["models"] > 0].sort_values(["models", "country"], ascending=[False, True]),
                  "models", focus)
    heights = [max(len(t5), 1), max(len(mod), 1)]
    fig, axes = plt.subplots(2, 1, figsize=(style.COLUMN, 0.2 * sum(heights) + 1.8),
                             gridspec_kw={"height_ratios": heights})
    for ax, df, col, title in [(axes[0], t5, "top500_rmax", "Combined Rmax of TOP500 systems, June 2025 (PFlop/s)"),
                               (axes[1], mod, "models", "Notable AI models")]:
        labels = [countries.name(c) for c in df.index]
        plots.ranked_bars(ax, labels, df[col], highlight=[countries.name(c) for c in focus])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v == 0 or abs(v) >= 10 else f"{v:g}"))
        ax.set_title(title, fontsize=9, loc="left")
        if df.empty:
            ax.set_axis_off()
            ax.text(0, 0.5, "none in scope", transform=ax.transAxes, va="center", color=style.MUTED)
    fig.tight_layout()
    return fig


def fig_participation_map(table: pd.DataFrame, focus=(), view=None) -> plt.Figure:
    """Countries by the number of counted forums they sit in (bands); EU states with no seat
    of their own apart."""
    band = C.bands(table["direct"]).astype(str)
    status = {c: b for c, b in band.items() if b != "0"}
    status.update({c: "via EU" for c in table.index[(table["direct"] == 0) & (table["via_eu"] > 0)]})
    colors = {k: v for k, v in {**BAND_COLORS, "via EU": VIA_EU}.items() if k in set(status.values())}
    view = view or _world_view()
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    plots.membership_map(ax, status, list(focus), colors=colors)
    ax.set_xlim(view[0], view[1])
    ax.set_ylim(view[2], view[3])
    handles = [Patch(color=BAND_COLORS["0"], label="none")] + [
        Patch(color=c, label=k if k == "via EU" else f"{k} forums") for k, c in colors.items()]
    ax.legend(handles=handles, frameon=False, loc="upper center", ncol=len(handles), bbox_to_anchor=(0.5, 0.02),
              handlelength=1.2, columnspacing=1.0)
    fig.tight_layout()
    return fig


def fig_correlations(corr: pd.DataFrame) -> plt.Figure:
    """Spearman's rho of participation with each indicator and its 95% interval (direct seats),
    with the EU's seats added as a second marker."""
    plot = corr.dropna(subset=["rho"]).sort_values("rho")
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.3 * len(plot) + 1.2))
    y = np.arange(len(plot))
    ax.errorbar(plot["rho"], y, xerr=[plot["rho"] - plot["low"], plot["high"] - plot["rho"]], fmt="o",
                color=style.PALETTE[0], capsize=3, label="direct seats (95% interval)")
    ax.scatter(plot["rho_reach"], y + 0.22, marker="s", s=16, color=style.PALETTE[2], label="with the EU's seats")
    ax.axvline(0, color="#777777", lw=0.8)
    ax.set_yticks(y, [f"{i} ({yr})" for i, yr in zip(plot["indicator"], plot["year"])])
    ax.set(xlim=(min(-0.1, plot["low"].min() - 0.05) if len(plot) else -0.1, 1), ylabel=None,
           xlabel="Spearman's rho with the number of forums")
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncol=2)
    fig.tight_layout()
    return fig


def _point_boxes(ax, x, y, radius: float = 4.0) -> list:
    """Display-space boxes around points, for labels to keep clear of."""
    from matplotlib.transforms import Bbox
    xy = ax.transData.transform(np.column_stack([np.asarray(x, float), np.asarray(y, float)])) if len(x) else []
    return [Bbox([[px - radius, py - radius], [px + radius, py + radius]]) for px, py in xy]


def fig_scatter(table: pd.DataFrame, columns: list[str], trials: int, focus=(), eu=frozenset()) -> plt.Figure:
    """Forums (direct seats) against each indicator, with a logistic regression curve of seats out
    of ``trials`` forums and its 95% band; EU member states hollow; focus countries labelled."""
    by = {i.column: i for i in C.INDICATORS}
    fig, axes = plt.subplots(1, len(columns), figsize=(style.COLUMN, 3.0), sharey=True)
    for ax, col in zip(np.atleast_1d(axes), columns):
        ind = by[col]
        pts = pd.DataFrame({"x": C.transform(table[col], ind), "y": table["direct"]}).dropna()
        eu_pts = pts.index.isin(list(eu))
        ax.scatter(pts.loc[~eu_pts, "x"], pts.loc[~eu_pts, "y"], s=9, color=style.PALETTE[0], alpha=0.5, linewidth=0)
        ax.scatter(pts.loc[eu_pts, "x"], pts.loc[eu_pts, "y"], s=10, facecolor="none", edgecolor=style.PALETTE[0],
                   linewidth=0.7)
        fit = C.count_fit(pts["x"], pts["y"], trials)
        if fit is not None:
            ax.fill_between(fit.line["x"], fit.line["low"], fit.line["high"], color="black", alpha=0.12, linewidth=0)
            ax.plot(fit.line["x"], fit.line["fit"], color="black", lw=1.1)
        if col in LOG:
            ticks = [t for t in (3, 4, 5) if pts["x"].min() <= t <= pts["x"].max()]
            ax.set_xticks(ticks, [f"{10 ** t:,.0f}" for t in ticks])
        ax.set_title(ind.short, fontsize=9)
        ax.set_xlabel({"internet_use": "% of population", "gdp_per_capita": "PPP $ (log scale)",
                       "imf_aipi": "score 0-1"}.get(col, ind.label), fontsize=8.5)
    np.atleast_1d(axes)[0].set_ylabel("Forums (direct seats)")
    np.atleast_1d(axes)[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    for ax, col in zip(np.atleast_1d(axes), columns):
        mine = table.loc[[c for c in focus if c in table.index]]
        mine = pd.DataFrame({"x": C.transform(mine[col], by[col]), "y": mine["direct"]}).dropna()
        ax.scatter(mine["x"], mine["y"], s=22, color=style.FOCUS, edgecolor="white", zorder=5)
        plots.place_labels(ax, mine["x"], mine["y"], mine.index, avoid=_point_boxes(ax, mine["x"], mine["y"]),
                           fontsize=8, color=style.FOCUS, fontweight="bold")
    return fig


def fig_participation_income(inc: pd.DataFrame, inc_reach: pd.DataFrame, focus_by_group: dict) -> plt.Figure:
    """Mean forums per income group with 95% bootstrap intervals (direct and with the EU's
    seats), and the share of countries with any seat."""
    fig, axes = plt.subplots(1, 2, figsize=(style.COLUMN, 0.45 * len(inc) + 1.6), sharey=True)
    y = np.arange(len(inc))[::-1]
    for df, dy, marker, color, label in [(inc, 0, "o", style.PALETTE[0], "direct seats"),
                                         (inc_reach, -0.2, "s", style.PALETTE[2], "with the EU's seats")]:
        m, lo, hi = (df[c].to_numpy() for c in ("mean", "low", "high"))
        axes[0].errorbar(m, y + dy, xerr=[m - lo, hi - m], fmt=marker, color=color, capsize=3, label=label,
                         markersize=4)
    axes[0].set_yticks(y, [SHORT_GROUP.get(g, g).replace("\n", " ") + f" ({n})"
                           for g, n in zip(inc["income_group"], inc["countries"])])
    axes[0].set(xlabel="Mean forums per country", title="Seats")
    axes[0].legend(frameon=False, loc="lower right", fontsize=8)
    axes[1].barh(y, 100 * inc["share_any"], color=style.PALETTE[0])
    axes[1].set(xlabel="Countries with a seat (%)", title="Presence", xlim=(0, 100))
    for yy, g in zip(y, inc["income_group"]):
        if focus_by_group.get(g):
            axes[1].text(100 * inc.set_index("income_group").loc[g, "share_any"] + 2, yy,
                         ", ".join(focus_by_group[g]), va="center", fontsize=8, color=style.FOCUS, fontweight="bold")
    for ax in axes:
        ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def fig_regions(shares: pd.DataFrame, counts: pd.Series, selected: str | None = None,
                focus_by_region: dict | None = None) -> plt.Figure:
    """Share of each region's countries by number of counted forums (stacked to 100%)."""
    plot = shares.iloc[::-1]
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.34 * len(plot) + 1.3))
    left = np.zeros(len(plot))
    for band, color in BAND_COLORS.items():
        if band in plot.columns:
            ax.barh(range(len(plot)), 100 * plot[band], left=left, color=color, edgecolor="white",
                    label=f"{band} forums")
            left += 100 * plot[band].to_numpy()
    ax.set_yticks(range(len(plot)), [f"{r} ({counts[r]})" for r in plot.index])
    for tick, r in zip(ax.get_yticklabels(), plot.index):
        if r == selected:
            tick.set_fontweight("bold")
    for y, r in enumerate(plot.index):
        codes = (focus_by_region or {}).get(r)
        if codes:
            ax.text(101, y, ", ".join(codes), va="center", fontsize=8, color=style.FOCUS, fontweight="bold",
                    clip_on=False)
    ax.set(xlim=(0, 100), xlabel="Share of the region's countries (%)", ylabel=None)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, ncol=4, loc="lower left", bbox_to_anchor=(-0.05, 1), handlelength=1.2)
    fig.tight_layout()
    return fig


def fig_au(matrix: pd.DataFrame, highlight=()) -> plt.Figure:
    """African Union members (rows, names) by forum (columns): a filled cell for a seat."""
    width = min(style.COLUMN, 2.2 + 0.5 * matrix.shape[1])  # cells stay about square
    fig, ax = plt.subplots(figsize=(width, 0.24 * len(matrix) + 1.5))
    plots.presence_matrix(ax, matrix.replace({True: "seat", False: "none"}),
                          {"seat": style.PALETTE[0], "none": "#eeeeee"})
    for tick in ax.get_yticklabels():
        if tick.get_text() in set(highlight):
            tick.set_color(style.FOCUS)
            tick.set_fontweight("bold")
    fig.tight_layout()
    return fig


# --- tables ------------------------------------------------------------------------------------

def indicator_table(table: pd.DataFrame) -> pd.DataFrame:
    """Each indicator: the year its values describe, the source, countries with and without a value
    (TOP500 and notable models count zero for a country with neither)."""
    rows = [(i.short, i.year, i.source, i.column) for i in C.INDICATORS]
    rows.append(("World Bank income group", "FY2024", "World Bank, Our World in Data", "income_group"))
    return pd.DataFrame([{"indicator": name, "year": year, "source": source,
                          "countries with a value": int(table[col].notna().sum()),
                          "without": int(table[col].isna().sum())} for name, year, source, col in rows])


def forum_table(as_of, forums: list[str], info: pd.DataFrame) -> pd.DataFrame:
    """Every forum of forums.csv: counted or not (and why not), states on the date, coverage."""
    sizes = governance.forum_sizes(as_of, list(info.index)).set_index("forum_id")
    return pd.DataFrame([{
        "forum": info.loc[f, "short_name"], "counted": "yes" if f in forums else "no",
        "states on the date": int(sizes.loc[f, "states"]), "membership data": info.loc[f, "coverage"].replace("_", " "),
        "why not counted": "" if f in forums else governance.DEFAULT_EXCLUDED.get(f, "not in the forums parameter"),
    } for f in [*forums, *[f for f in info.index if f not in forums]]])


def residual_rows(df: pd.DataFrame, focus=()) -> pd.DataFrame:
    return pd.DataFrame({
        "country": [countries.name(c) + (" (focus)" if c in focus else "") for c in df.index],
        "region": df["region"], "income group": df["income_group"].fillna("no data").str.replace(" Income", ""),
        "IMF AIPI": df["imf_aipi"].map("{:.2f}".format), "forums": df["direct"],
        "expected": df["expected"].map("{:.1f}".format), "gap": df["residual"].map(_signed)})


def region_seats(everyone: pd.DataFrame, focus=()) -> pd.DataFrame:
    """The states of the closely examined regions with a seat of their own, with their count."""
    rows = []
    for r in C.FOCUS_REGIONS:
        sub = everyone[(everyone["region"] == r) & (everyone["direct"] > 0)]
        sub = sub.sort_values(["direct", "country"], ascending=[False, True])
        rows.append({"region": r, "countries": int((everyone["region"] == r).sum()), "with a seat": len(sub),
                     "states with a seat (forums)": ", ".join(
                         f"{n}{' (focus)' if c in focus else ''} {k}" for c, n, k in
                         zip(sub.index, sub["country"], sub["direct"])) or NONE})
    return pd.DataFrame(rows)


def region_summary_rows(summary: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "region": summary["region"], "countries": summary["countries"], "with a seat": summary["in_any"],
        "share": summary["share_any"].map("{:.0%}".format), "mean forums": summary["mean_forums"].map("{:.1f}".format),
        "median internet use (%)": summary["median_internet_use"].map("{:.0f}".format),
        "median IMF AIPI": summary["median_imf_aipi"].map("{:.2f}".format),
        "median generative AI use (%)": summary["median_ai_diffusion"].map("{:.0f}".format)})


# --- publishing ----------------------------------------------------------------------------------

REGION_NOTE = ("Only the countries of the selected region enter the maps, fits and tables; the regional "
               "comparison shows every region for context.")
DATE_NOTE = ("The capacity indicators are single releases from 2022 to 2026 and are not cut to the chosen "
             "date; memberships, notable models and events are.")
LATER_EVENTS = "Some events named in this section postdate the chosen date: the table lists only those up to it."
NO_CORRELATION = "Too few countries in scope belonged to a counted forum on this date for a correlation or a fit."


def _figure(name: str, fig_or_none, frame: pd.DataFrame) -> None:
    """Glue a figure the data support; none otherwise (its Markdown cell is dropped with it)."""
    if fig_or_none is not None:
        report.figure(name, fig_or_none, frame)


def publish(as_of, focus: list[str], region: str | None, forums: list[str]) -> dict:
    """Compute the chapter, glue its facts, figures, tables and notices; return the facts."""
    style.apply_theme()
    d = data(as_of, region, forums)
    f = report.glue_facts({**facts(as_of, focus, region, forums, d), "focus_names": roster(focus)})
    t, view, info = d["table"], d["view"], d["info"]
    mine = [c for c in focus if c in t.index]
    notes = [n for n, on in [(REGION_NOTE, region), (DATE_NOTE, as_of)] if on]
    report.notice("cap_scope_notice", " ".join(notes) or None)
    report.notice("cap_corr_notice", NO_CORRELATION if f["cap_n_corr"] == 0 else None)
    base = ["iso3", "country", "region", "income_group"]
    frame = t.reset_index()
    for name, panels in [("capacity-divide-map", FOUNDATIONS), ("capacity-ai-map", AI_LAYER)]:
        cols = [c for c, _ in panels]
        report.figure(name, fig_maps(t, panels, mine, view), frame[base + cols])
        report.figure(name.replace("map", "income"), fig_by_income(t, panels, mine), frame[base + cols])
    _publish_pillars(t, mine)
    report.figure("capacity-compute", fig_compute(t, mine), frame[base + ["top500_systems", "top500_rmax", "models"]])
    report.table("capacity-indicators", indicator_table(t), "Capacity indicators: the year their values describe, "
                 "the source, and how many countries in scope have a value.")
    report.table("capacity-forums", forum_table(as_of, forums, info), "Forums of the curated data: counted as "
                 "AI-governance forums or not, states recorded on the date, and membership data coverage.")
    part = frame[base + ["direct", "via_eu", "reach", "forums_direct", "forums_via_eu"]]
    active = f["cap_n_active"] > 0
    if active:
        seats = {c: f"{n:.0f} forum{'s' * (n != 1)}" + (f", {e:.0f} more via the EU" if e else "")
                 for c, n, e in zip(t.index, t["direct"], t["via_eu"])}
        report.map_figure("capacity-participation-map", fig_participation_map(t, mine, view), seats, part)
    corr = correlations(t)
    valid = f["cap_n_corr"] > 0
    _figure("capacity-correlations", fig_correlations(corr) if valid else None, corr)
    scatter = fig_scatter(t, SCATTER, len(d["founded"]), mine, d["eu"]) if valid else None
    _figure("capacity-participation-scatter", scatter, frame[base + ["direct", "via_eu", "reach"] + SCATTER])
    inc, inc_reach = income_participation(t)
    by_group = {g: [c for c in mine if t.loc[c, "income_group"] == g] for g in inc["income_group"]}
    _figure("capacity-participation-income", fig_participation_income(inc, inc_reach, by_group) if active else None,
            inc.merge(inc_reach, on="income_group", suffixes=("", "_reach")))
    _publish_residuals(d, focus)
    _publish_regions(d, focus)
    _publish_un(as_of)
    return f


def _publish_pillars(t: pd.DataFrame, mine: list[str]) -> None:
    pillars = list(C.IMF_PILLARS)
    complete = t.dropna(subset=pillars)
    groups = [g for g in datasets.INCOME_ORDER if g in set(complete["income_group"])]
    means = complete.groupby("income_group")[pillars].mean().reindex(groups)
    sizes = complete["income_group"].value_counts()
    means.index = [f"{g} (mean of {sizes[g]})" for g in means.index]
    focus_rows = complete.loc[[c for c in mine if c in complete.index], pillars]
    focus_rows.index = [countries.name(c) for c in focus_rows.index]
    rows = pd.concat([means, focus_rows])
    _figure("capacity-aipi-pillars", fig_pillars(rows, focus_rows.index) if len(complete) else None,
            rows.rename_axis("row").reset_index())


def _publish_residuals(d: dict, focus: list[str]) -> None:
    res = residual_table(d)
    under, over = C.extremes(res)
    report.table("capacity-under", residual_rows(under, focus), "States in fewer counted forums than their IMF AI "
                 "Preparedness score predicts: the largest gaps between observed and expected direct seats.")
    report.table("capacity-over", residual_rows(over, focus), "States in more counted forums than their IMF AI "
                 "Preparedness score predicts (same fit).")
    cols = ["country", "region", "income_group", "imf_aipi", "direct", "expected", "residual", "forums_direct"]
    res.reset_index()[["iso3", *cols]].to_csv(style.figures_dir() / "capacity-residuals.csv", index=False,
                                              lineterminator="\n")


def _publish_regions(d: dict, focus: list[str]) -> None:
    everyone = d["everyone"]
    summary = C.regional_summary(everyone)
    report.table("capacity-region-summary", region_summary_rows(summary), "Participation and capacity by region: "
                 "countries, those with a seat of their own in a counted forum, and regional medians.")
    report.table("capacity-region-seats", region_seats(everyone, focus), "States of the three regions examined "
                 "closely with a seat of their own in a counted forum, and the number of forums.")
    banded = everyone.assign(band=C.bands(everyone["direct"]))
    shares = pd.crosstab(banded["region"], banded["band"], normalize="index").reindex(summary["region"])
    by_region = {r: [c for c in focus if c in everyone.index and everyone.loc[c, "region"] == r] for r in shares.index}
    report.figure("capacity-regions", fig_regions(shares, summary.set_index("region")["countries"], d["region"],
                                                  by_region), summary.merge(shares.reset_index(), on="region"))
    mat = C.au_matrix(d["as_of"], d["forums"])
    labels = mat.rename(index=countries.name, columns=d["info"]["short_name"])
    states = (mat.index != "XAU").any()
    _figure("capacity-au", fig_au(labels, [countries.name(c) for c in focus]) if states else None,
            mat.astype(int).rename(index=countries.name).rename_axis("member").reset_index())


def _publish_un(as_of) -> None:
    ev = C.un_events(as_of)
    report.notice("cap_un_notice", LATER_EVENTS if len(ev) < len(C.un_events(None)) else None)
    cols = {"date": "date", "title": "event", "category": "category", "source_url": "source"}
    report.table("capacity-un-events", ev[list(cols)].rename(columns=cols), "UN and capacity-building events of "
                 "the curated timeline up to the date, with their sources.", links={"source": "source"})
