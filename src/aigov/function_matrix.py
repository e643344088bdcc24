"""The network chapter's function matrix: what existing forums do against what proposed central
bodies would do (data: functions.csv, proposals.csv)."""
import matplotlib.pyplot as plt
import pandas as pd

from . import functions as F
from . import params, report, style
from .curated import UNVERIFIED
from .text import listing, the_forum

SHORT = {"standards": "Standards", "testing_evaluation": "Testing", "risk_information": "Risk\ninformation",
         "joint_research": "Joint\nresearch", "capacity_finance": "Capacity,\nfinance",
         "verification_enforcement": "Enforce-\nment", "inclusion": "Inclusion"}
GRADE_COLORS = {F.SOURCED: style.PALETTE[0], F.SECONDARY: "#9ecae1", UNVERIFIED: "white"}


def facts(cells: pd.DataFrame, cover: pd.DataFrame, props: pd.DataFrame, as_of) -> dict:
    forums = cells[cells["kind"] == "forum"]
    covered = cover[cover["forums"] > 0]
    least = cover.sort_values(["forums", "function"], kind="stable").iloc[0] if len(cover) else None
    enforce = forums.loc[forums["function"] == "verification_enforcement", "name"].tolist()
    return {
        "fn_n_forums": forums["body_id"].nunique(), "fn_n_forum_cells": len(forums),
        "fn_n_secondary": int((forums["grade"] == F.SECONDARY).sum()),
        "fn_n_proposals": len(props), "fn_n_proposal_cells": len(cover), "fn_n_covered": len(covered),
        "fn_uncovered": listing([f"{F.LABELS[r.function].lower()} ({r.proposal})"
                                 for r in cover[cover["forums"] == 0].itertuples()]) or "none",
        "fn_least_function": F.LABELS[least["function"]].lower() if least is not None else "none",
        "fn_least_forums": int(least["forums"]) if least is not None else 0,
        "fn_n_enforce": len(enforce), "fn_enforce_names": listing([the_forum(n) for n in enforce]) or "none",
        "fn_unverified": listing(props.loc[props["status"] == UNVERIFIED, "short_name"].tolist()) or "none",
        "fn_as_of_label": params.label(as_of),
    }


def fig_functions(matrix: pd.DataFrame, names: dict[str, str], kinds: dict[str, str], counts: dict) -> plt.Figure:
    """Bodies (rows; proposals below the line) by function: a filled cell where a source says the
    body performs (or would perform) it; in a proposal's cell, how many existing forums do."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 0.27 * len(matrix) + 1.5))
    for i, body in enumerate(matrix.index):
        for j, fn in enumerate(matrix.columns):
            grade = matrix.at[body, fn]
            if not grade:
                continue
            ax.add_patch(plt.Rectangle((j - 0.42, i - 0.4), 0.84, 0.8, facecolor=GRADE_COLORS[grade],
                                       edgecolor=style.PALETTE[0], linewidth=0.8,
                                       linestyle="--" if grade == UNVERIFIED else "-"))
            if kinds[body] == "proposal":
                ax.text(j, i, str(counts[(body, fn)]), ha="center", va="center", fontsize=8.5,
                        color="white" if grade == F.SOURCED else "black", fontweight="bold")
    n_forums = sum(kinds[b] == "forum" for b in matrix.index)
    ax.axhline(n_forums - 0.5, color="black", linewidth=1)
    ax.set_xlim(-0.5, len(matrix.columns) - 0.5)
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.set_xticks(range(len(matrix.columns)), [SHORT[f] for f in matrix.columns], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(matrix)), [names[b] + (" (proposal)" if kinds[b] == "proposal" else "")
                                       for b in matrix.index], fontsize=8.5)
    ax.grid(False)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor=style.PALETTE[0],
                             linestyle="--" if g == UNVERIFIED else "-") for g, c in GRADE_COLORS.items()]
    ax.legend(handles, ["official source", "news or research only", "unverified"], frameon=False, ncol=3,
              loc="upper center", bbox_to_anchor=(0.5, -0.01), fontsize=8.5)
    fig.tight_layout()
    return fig


def publish(as_of: pd.Timestamp | None) -> dict:
    """Glue the function facts, matrix and coverage table; returns the facts."""
    cells, props = F.cells(as_of), F.proposals(as_of)
    cover = F.coverage(cells)
    out = report.glue_facts(facts(cells, cover, props, as_of))
    report.notice("functions_notice", None if as_of is None else
                  f"A function whose start the sources do not date counts only on the data date, so on "
                  f"{params.label(as_of)} the matrix holds only the dated ones.")
    if len(cover):
        matrix = F.matrix(cells)
        names = dict(zip(cells["body_id"], cells["name"]))
        kinds = dict(zip(cells["body_id"], cells["kind"]))
        counts = {(r.proposal_id, r.function): r.forums for r in cover.itertuples()}
        report.figure("network-functions", fig_functions(matrix, names, kinds, counts),
                      cells.drop(columns="note"))
    report.table("network-function-coverage", pd.DataFrame({
        "proposal": cover["proposal"], "function": cover["function"].map(F.LABELS),
        "existing forums that perform it": [f"{n}: {listing(fs)}" if n else "none" for n, fs in
                                            zip(cover["forums"], cover["forum_names"])],
    }), f"Each function of each proposal, against the forums that already perform it on {params.label(as_of)}")
    report.table("network-functions-sources", cells.assign(function=cells["function"].map(F.LABELS))[
        ["name", "function", "note", "source_url"]].rename(columns={"name": "body", "source_url": "source"}),
        "The source of each cell of the function matrix", {"source": "source"})
    return out
