"""Chapter 3, the safety institutes: the summits' texts and who signed them, the national
institutes and their network, and how wide each circle reaches."""
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.patches import Patch, Rectangle

from .. import claims, countries, datasets, governance, params, plots, report, style, text
from .. import safety_institutes as S
from ..curated import data_as_of

NAME = "03_safety_institutes"  # the chapter the claims ledger links its claims to

CELL_COLORS = {S.SIGNED: style.PALETTE[0], S.SECONDARY: style.PALETTE[0], S.NOT_SIGNED: "#e3e3e3",
               S.NOT_RECORDED: "white"}
CELL_LABELS = {S.SIGNED: "signed", S.SECONDARY: "signed, known from a news or government report",
               S.NOT_SIGNED: "not signed", S.NOT_RECORDED: "not in a partial list"}
NETWORK_COLORS = {"network": style.PALETTE[0], "via_eu": style.PALETTE[4], "institute": style.PALETTE[2]}
NETWORK_LABELS = {"network": "network member", "via_eu": "EU member state (the EU is a member)",
                  "institute": "institute outside the network"}
INCOME_COLORS = dict(zip(datasets.INCOME_GROUPS, [style.PALETTE[0], style.PALETTE[4], style.PALETTE[6],
                                                  style.PALETTE[1]]))
PARTIAL = "\u2020"  # marks a circle or column resting on a partial list


def data(as_of: pd.Timestamp | None, focus: list[str]) -> dict:
    """The tables behind the chapter's facts and figures."""
    status = S.network_status(as_of)
    return {
        "docs": S.documents(as_of), "long": S.signature_matrix(as_of), "signers": S.summit_signers(as_of),
        "held": S.summits_held(as_of), "inst": S.institutes(as_of), "status": status,
        "net": S.network_members(as_of), "map": S.map_status(as_of),
        "profile": S.profile(S.circles(as_of), as_of), "claims": claims.ledger(as_of=as_of, chapter=NAME),
        "rows": list(dict.fromkeys(status.members + list(focus))),
    }


def _date(ts: pd.Timestamp | None, empty: str = "not yet") -> str:
    return f"{ts:%-d %B %Y}" if ts is not None else empty


def facts(as_of: pd.Timestamp | None, focus: list[str], d: dict | None = None) -> dict:
    """The numbers and names the prose glues (keys are the glue keys), from the parsed parameters."""
    d = d or data(as_of, focus)
    docs, signers, held, inst, net = d["docs"], d["signers"], d["held"], d["inst"], d["net"]
    adopted = docs[docs["adopted"]]
    signed = {f: set(governance.members(f, as_of)) for f in S.DOCUMENTS}
    states = signers[~signers["member"].isin(list(countries.NON_STATE))]
    every = signers[signers["summits"] == len(held)]["member"] if held else []
    seoul = signed["seoul_declaration"] | signed["seoul_ministerial_statement"]
    not_seoul = sorted(signed["bletchley_declaration"] - seoul) if "Seoul" in held else []
    earlier = set(signers.loc[signers[[s for s in held if s != "Paris"]].any(axis=1), "member"]) \
        if "Paris" in held else set()
    both = [r.document for r in adopted.itertuples() if {"USA", "CHN"} <= signed[r.forum_id]]
    first = inst.iloc[0] if len(inst) else None
    renamed = inst[inst["renamed"].notna()]
    outside = [m for m in dict.fromkeys(inst["member"]) if m not in set(net["member"])]
    lmic = net[net["income_group"].isin(datasets.LOW_OR_MIDDLE)]["member"]
    prof = d["profile"].set_index("circle")
    summits = prof[prof["kind"] == "summit"]
    widest = summits["states"].idxmax() if len(summits) else None

    def share(circle, column):
        return float(prof.loc[circle, column]) if circle in prof.index else 0.0

    verdicts = d["claims"]["verdict"]
    return {
        "as_of_label": params.label(as_of), "focus_names": text.roster(focus),
        "n_summits_held": len(held), "n_docs_adopted": len(adopted),
        "signatory_counts": text.listing([f"the {r.document} {r.signatories} ({r.states})"
                                          for r in adopted.itertuples()]) or "none",
        "si_n_partial": int((adopted["coverage"] == "partial").sum()),
        "secondary_share": float(adopted["secondary"].sum() / max(adopted["signatories"].sum(), 1)),
        **governance.shared_facts(as_of),
        "n_summit_states": len(states), "n_every_summit": len(every), "every_summit_names": text.roster(every),
        "n_one_summit": int((signers["summits"] == 1).sum()) if len(held) > 1 else 0,
        "n_seoul": len(seoul), "n_paris": len(signed["paris_statement"]), "n_bletchley_not_seoul": len(not_seoul),
        "bletchley_not_seoul_focus": text.roster([c for c in focus if c in not_seoul]),
        "paris_missing_focus": text.roster([c for c in focus if c in earlier - signed["paris_statement"]]),
        "us_china_docs": text.listing([f"the {doc}" for doc in both]) or "none",
        "n_institutes": len(inst), "n_launched": int(inst["launched"].notna().sum()),
        "n_renamed": int(inst["renamed"].notna().sum()),
        "renamed_institutes": text.listing([f"the {r.label} of {text.roster([r.member])} (now the "
                                            f"{r.renamed_to.split(' (')[0]})" for r in renamed.itertuples()]) or "none",
        "first_institute": f"the {first['label']} of {text.roster([first['member']])}" if first is not None else "none",
        "first_institute_date": _date(first["first"] if first is not None else None, "no date"),
        "network_announced": _date(d["status"].announced), "network_convened": _date(d["status"].convened),
        "n_network": len(net), "network_members": text.roster(net["member"]),
        "network_g7": int(net["g7"].sum()), "network_oecd": int(net["oecd"].sum()),
        "network_lmic": len(lmic), "network_lmic_names": text.roster(lmic),
        "network_no_institute": text.roster(net.loc[net["institute"].isna(), "member"]),
        "institutes_outside": text.roster(outside),
        "widest_summit": widest or "none",
        "widest_summit_states": int(prof.loc[widest, "states"]) if widest else 0,
        "widest_summit_pop": share(widest, "population_share"),
        "widest_summit_lmic": share(widest, "low_or_middle_share"),
        "network_pop": share(S.NETWORK_CIRCLE, "population_share"), "network_gdp": share(S.NETWORK_CIRCLE, "gdp_share"),
        "network_lmic_share": share(S.NETWORK_CIRCLE, "low_or_middle_share"),
        "oecd_pop": share("OECD", "population_share"), "oecd_lmic_share": share("OECD", "low_or_middle_share"),
        "world_lmic_share": share("World", "low_or_middle_share"),
        "si_n_claims": len(verdicts), "si_n_confirmed": int((verdicts == "confirmed").sum()),
        "si_n_differ": int((verdicts == "differs").sum()), "si_n_uncheckable": int((verdicts == "not checkable").sum()),
    }


def column_label(document: str, date: pd.Timestamp, partial: bool) -> str:
    """A matrix column's heading: the document's name wrapped, its month, a mark if partial."""
    return "\n".join(textwrap.wrap(document, 11)) + f"\n{date:%b %Y}" + (PARTIAL if partial else "")


def matrix_cells(long: pd.DataFrame, docs: pd.DataFrame, rows: list[str]) -> pd.DataFrame:
    """The signature matrix for ``rows`` (codes): row (country), column (heading), status and
    note (the month signed when later than the document's date)."""
    adopted = docs[docs["adopted"]].set_index("forum_id")
    heads = {f: column_label(r.document, r.date, r.coverage == "partial") for f, r in adopted.iterrows()}
    have = long.set_index(["member", "forum_id"])
    out = []
    for m in rows:
        for f, r in adopted.iterrows():
            cell = have.loc[(m, f)] if (m, f) in have.index else None
            status = cell["status"] if cell is not None else S.NOT_RECORDED if r.coverage == "partial" else S.NOT_SIGNED
            joined = cell["signed"] if cell is not None else None
            later = isinstance(joined, str) and joined != r.date_text
            out.append({"member": m, "row": countries.name(m), "column": heads[f], "status": status,
                        "note": f"{pd.Timestamp(joined):%b %Y}" if later else ""})
    return pd.DataFrame(out, columns=["member", "row", "column", "status", "note"])


def fig_signatures(cells: pd.DataFrame, rows: list[str], columns: list[str], highlight=(), split: int = 0):
    """Rows (country names) by columns (documents), cells coloured by status; rows in
    ``highlight`` in the focus colour; a rule under the first ``split`` rows."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.3 * max(len(rows), 1) + 2.0))
    at = cells.set_index(["row", "column"])
    for y, r in enumerate(rows):
        for x, c in enumerate(columns):
            if (r, c) not in at.index:
                continue
            cell = at.loc[(r, c)]
            st = cell["status"]
            ax.add_patch(Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, facecolor=CELL_COLORS[st],
                                   edgecolor={S.SECONDARY: "white", S.NOT_RECORDED: "#9e9e9e"}.get(st, "none"),
                                   hatch="////" if st == S.SECONDARY else None,
                                   linestyle="--" if st == S.NOT_RECORDED else "-",
                                   lw=0.8 if st == S.NOT_RECORDED else 0))
            if cell["note"]:
                ax.text(x, y, cell["note"], ha="center", va="center", fontsize=8, color="white",
                        bbox={"facecolor": style.PALETTE[0], "edgecolor": "none", "pad": 0.5})
    if 0 < split < len(rows):
        ax.axhline(split - 0.5, color="#555555", lw=0.8)
    ax.set_xlim(-0.5, max(len(columns), 1) - 0.5)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)), columns, fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), rows, fontsize=9)
    for tick in ax.get_yticklabels():
        if tick.get_text() in set(highlight):
            tick.set_color(style.FOCUS)
            tick.set_fontweight("bold")
    ax.grid(False)
    ax.tick_params(length=0)
    for side in ["left", "bottom"]:
        ax.spines[side].set_visible(False)
    shown = [s for s in CELL_COLORS if s in set(cells["status"])]
    handles = [Patch(facecolor=CELL_COLORS[s], edgecolor={S.SECONDARY: "white", S.NOT_RECORDED: "#9e9e9e"}.get(s),
                     hatch="////" if s == S.SECONDARY else None, linestyle="--" if s == S.NOT_RECORDED else "-",
                     label=CELL_LABELS[s]) for s in shown]
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, 0), ncol=2, frameon=False)
    return fig


def fig_summits_map(counts: pd.DataFrame, n_held: int, focus=()):
    """States shaded by the number of summits at which they signed a text (``counts``: iso3,
    summits, secondary_only); states known only from secondary sources hatched."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.9))
    shades = plt.get_cmap("Blues")(np.linspace(0.4, 0.95, max(n_held, 1)))
    colors = {str(k): to_hex(shades[k - 1]) for k in range(1, n_held + 1)}
    status = {r.iso3: str(r.summits) for r in counts.itertuples() if r.summits > 0}
    secondary = set(counts.loc[counts["secondary_only"], "iso3"])
    plots.membership_map(ax, status, list(focus), colors=colors, secondary=secondary)
    handles = [Patch(facecolor=c, label=f"{k} summit{'s' if k != '1' else ''}") for k, c in colors.items()]
    if secondary:
        handles.append(Patch(facecolor=style.PALETTE[0], edgecolor="white", hatch="////",
                             label="known only from news or government reports"))
    if len(focus):
        handles.append(Patch(facecolor="none", edgecolor=style.FOCUS, label="focus country"))
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=3, frameon=False)
    return fig


def fig_timeline(events: pd.DataFrame, rows: list[str], landmarks: pd.DataFrame, end: pd.Timestamp, highlight=()):
    """One line per government (``rows``) from its institute's first date to ``end``, with its
    announcement, launch and renaming (``events``: country, event, date); dashed lines at
    ``landmarks`` (date, label)."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.3 * max(len(rows), 1) + 1.9))
    y = {r: i for i, r in enumerate(rows)}
    for r, start in events.groupby("country")["date"].min().items():
        ax.plot([start, end], [y[r]] * 2, color="#cccccc", lw=1.5, zorder=1)
    marks = {"announced": dict(marker="o", facecolors="white", edgecolors=style.PALETTE[0]),
             "launched": dict(marker="o", facecolors=style.PALETTE[0], edgecolors=style.PALETTE[0]),
             "renamed": dict(marker="D", facecolors=style.PALETTE[1], edgecolors=style.PALETTE[1])}
    for event, kw in marks.items():
        sel = events[events["event"] == event]
        if len(sel):
            ax.scatter(sel["date"], sel["country"].map(y), s=40, linewidth=1.3, zorder=3, label=event, **kw)
    for i, r in enumerate(landmarks.itertuples()):
        ax.axvline(r.date, color="#888888", lw=0.8, ls="--", zorder=2)
        ax.text(r.date, -0.8 - 0.75 * (i % 2), r.label, ha="center", va="bottom", fontsize=8.5, color="#555555")
    ax.set_yticks(range(len(rows)), rows)
    for tick in ax.get_yticklabels():
        if tick.get_text() in set(highlight):
            tick.set_color(style.FOCUS)
            tick.set_fontweight("bold")
    ax.set_ylim(max(len(rows), 1) - 0.5, -2.2)
    start = min([events["date"].min(), landmarks["date"].min()], default=end) if len(events) or len(landmarks) \
        else end - pd.DateOffset(years=1)
    ax.set_xlim(start - pd.Timedelta(days=45), end + pd.Timedelta(days=15))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#f0f0f0")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    if len(events):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False)
    return fig


def fig_network_map(status: pd.DataFrame, focus=()):
    """Network members, EU member states covered through the EU, and governments with an
    institute outside the network (``status``: iso3, status)."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.9))
    plots.membership_map(ax, dict(zip(status["iso3"], status["status"])), list(focus), colors=NETWORK_COLORS)
    handles = [Patch(facecolor=c, label=NETWORK_LABELS[k]) for k, c in NETWORK_COLORS.items()
               if k in set(status["status"])]
    if len(focus):
        handles.append(Patch(facecolor="none", edgecolor=style.FOCUS, label="focus country"))
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=2, frameon=False)
    return fig


def fig_circles(prof: pd.DataFrame):
    """Per circle (``prof`` from safety_institutes.profile): world shares of population and GDP
    (lighter: the EU's member states added), and member states by income group."""
    plot = prof.iloc[::-1].reset_index(drop=True)
    fig, axes = plt.subplots(1, 2, figsize=(style.COLUMN, 0.38 * len(plot) + 1.5), sharey=True)
    y, h = np.arange(len(plot)), 0.38
    ax = axes[0]
    for offset, col, color, light, label in [(h / 2, "population", "#4d4d4d", "#b3b3b3", "population"),
                                             (-h / 2, "gdp", style.PALETTE[3], "#ebc6dc", "GDP")]:
        base = plot[f"{col}_share"] * 100
        ax.barh(y + offset, base, height=h, color=color, label=label)
        ax.barh(y + offset, plot[f"{col}_share_with_eu"] * 100 - base, left=base, height=h, color=light,
                label="+ EU states")
    ax.set(xlabel="share of the world (%)", xlim=(0, 100))
    ax.set_yticks(y, [f"{c}{PARTIAL if p else ''} ({s})" for c, p, s in
                      zip(plot["circle"], plot["partial"], plot["states"])])
    ax = axes[1]
    classified = plot[datasets.INCOME_GROUPS].sum(axis=1).replace(0, np.nan)
    left = np.zeros(len(plot))
    for g, color in INCOME_COLORS.items():
        part = (plot[g] / classified * 100).fillna(0).to_numpy()
        ax.barh(y, part, left=left, height=0.7, color=color, label=text.income_label(g).removesuffix("-income"))
        left += part
    ax.set(xlabel="member states by income (%)", xlim=(0, 100))
    fig.tight_layout(rect=(0, 0.6 / fig.get_figheight(), 1, 1))
    for a in axes:
        a.grid(axis="y", visible=False)
        box = a.get_position()
        fig.legend(*a.get_legend_handles_labels(), loc="lower center", bbox_to_anchor=((box.x0 + box.x1) / 2, 0),
                   ncol=2, frameon=False)
    return fig


def landmarks(d: dict) -> pd.DataFrame:
    """Dates marked on the institutes' timeline: each summit's first text, the network's first meeting."""
    docs = d["docs"][d["docs"]["adopted"] & d["docs"]["summit"].notna()]
    rows = docs.groupby("summit", sort=False)["date"].min().reset_index()
    rows = rows.rename(columns={"summit": "label"})[["date", "label"]]
    if d["status"].convened is not None:
        rows.loc[len(rows)] = [d["status"].convened, "network meets"]
    return rows.sort_values("date").reset_index(drop=True)


def tables(d: dict) -> None:
    """The documents, institutes and seed-claims tables."""
    docs = d["docs"][d["docs"]["adopted"]]
    count = [f"{int(n)} ({day})" if isinstance(n, str) and n else "" for n, day in
             zip(docs["official_count"], docs["official_count_date"])]
    report.table("safety_institutes-documents", pd.DataFrame({
        "document": docs["document"] + docs["coverage"].map({"partial": PARTIAL}).fillna(""),
        "adopted": docs["date_text"],
        "signatories (states)": [f"{n} ({k})" for n, k in zip(docs["signatories"], docs["states"])],
        "secondary": docs["secondary"], "official count": count,
        "refusals named": docs["forum_id"].map(S.stated_non_signers), "source": docs["source_url"],
    }), f"Signatories recorded per text ({PARTIAL} partial list)", {"source": "source"})
    inst = d["inst"]
    report.table("safety_institutes-institutes", pd.DataFrame({
        "government": inst["country"], "institute": inst["label"],
        "announced, launched": inst["announced_text"].fillna("\u2013") + " " + inst["launched_text"].fillna("\u2013"),
        "renamed": [f"{to} ({day})" if isinstance(to, str) else "" for to, day in
                    zip(inst["renamed_to"], inst["renamed_text"])],
        "evidence": inst["evidence"], "source": inst["source_url"],
    }), "AI safety institutes and equivalent offices", {"source": "source"})
    report.table("safety_institutes-claims", claims.for_reader(d["claims"]),
                 "Claims of the source documents checked against the data")


def figures(d: dict, as_of: pd.Timestamp | None, focus: list[str]) -> None:
    """Glue the chapter's five figures, each with the data behind it."""
    names = [countries.name(c) for c in focus]
    cells = matrix_cells(d["long"], d["docs"], d["rows"])
    signed = cells[cells["status"].isin([S.SIGNED, S.SECONDARY])].groupby("member").size()
    members = d["status"].members
    rows = sorted(d["rows"], key=lambda m: (m not in members, -signed.get(m, 0), countries.name(m)))
    report.figure("safety_institutes-signatures", fig_signatures(
        cells, [countries.name(m) for m in rows], list(dict.fromkeys(cells["column"])), names, len(members)),
        S.matrix_wide(d["long"]))
    states = d["signers"][~d["signers"]["member"].isin(list(countries.NON_STATE))].rename(columns={"member": "iso3"})
    signed = {r.iso3: f"{r.summits} of {len(d['held'])} summits" + (", news reports only" if r.secondary_only else "")
              for r in states.itertuples() if r.summits > 0}
    report.map_figure("safety_institutes-summits-map", fig_summits_map(states, len(d["held"]), focus), signed, states)
    events = S.institute_events(d["inst"])
    end = as_of if as_of is not None else data_as_of()
    report.figure("safety_institutes-timeline", fig_timeline(
        events, list(dict.fromkeys(d["inst"]["country"])), landmarks(d), end, names),
        events.assign(date=events["date"].dt.strftime("%Y-%m-%d")))
    status = pd.DataFrame({"iso3": list(d["map"]), "status": list(d["map"].values())}, columns=["iso3", "status"])
    report.map_figure("safety_institutes-network-map", fig_network_map(status, focus),
                      dict(zip(status["iso3"], status["status"].map(NETWORK_LABELS))), status)
    report.figure("safety_institutes-circles", fig_circles(d["profile"]), d["profile"])


def notices(d: dict, label: str) -> None:
    """One note per section that the date can empty (``None`` where the section has data)."""
    no_summit = None if d["held"] else f"No summit text had been adopted by {label}."
    report.notice("si_signatures_notice", no_summit)
    report.notice("si_institutes_notice", None if len(d["inst"]) else
                  f"No AI safety institute had been announced by {label}.")
    report.notice("si_network_notice", {
        "not announced": f"No network of AI safety institutes had been announced by {label}.",
        "announced": f"By {label} the network had been announced ({_date(d['status'].announced)}) but had "
                     "not met; members are recorded from its first meeting."}.get(d["status"].stage))
    report.notice("si_circles_notice", no_summit and f"{no_summit} Only the G7 and the OECD can be compared.")
    report.notice("si_findings_notice", no_summit and f"No summit had been held by {label}: there is no finding yet.")


def publish(as_of: pd.Timestamp | None, focus: list[str]) -> dict:
    """Compute, glue and return the chapter's facts; glue its figures, tables and notices."""
    style.apply_theme()
    d = data(as_of, focus)
    f = report.glue_facts(facts(as_of, focus, d))
    figures(d, as_of, focus)
    tables(d)
    notices(d, f["as_of_label"])
    return f
