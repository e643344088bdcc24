"""The explorer page: which states sat in which AI-governance forums, month by month, on a map
and in a matrix. This module computes the data the page embeds, its markup (completed by
``book/_static/explorer.js``) and the static map for the PDF and for readers without JavaScript.

Dates are read as everywhere in the report (:mod:`aigov.governance`): a membership counts from
the end of the period its start is known to, until the first day of the period it ended in;
one with no start date counts only in the current landscape (the last step without ``as_of``).
"""
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.patches import Patch
from myst_nb import glue

from .. import countries, interactive, params, plots, report, style, text
from .. import governance as G
from ..curated import data_as_of, parse_date, period_end
from ..paths import CURATED

FIRST = pd.Timestamp("2016-01-01")  # the slider's first month (earlier when as_of is earlier)
GRADES = {"official": "official source", "official-copy": "official copy", "secondary": "secondary source"}


def steps(as_of: pd.Timestamp | None, directory: Path = CURATED) -> list[pd.Timestamp]:
    """The slider's dates: the first day of each month from January 2016 (or ``as_of``'s month, if
    earlier) up to ``as_of`` (by default the data date), which is the last step."""
    end = as_of if as_of is not None else pd.Timestamp(data_as_of(directory))
    months = pd.date_range(min(FIRST, end.to_period("M").to_timestamp()), end, freq="MS")
    return [d for d in months if d < end] + [end]


def rows(dates: list[pd.Timestamp], current: bool, directory: Path = CURATED) -> pd.DataFrame:
    """States' memberships of the AI-governance forums (:func:`aigov.governance.default_forums`)
    in force at some step of ``dates``: the table's columns plus ``first`` and ``stop``, the steps
    from which and until which (exclusive) each counts. ``current``: the last step is the current
    landscape (rows with no end, dated or not). Earliest start first, as the page picks the first
    row in force for a state and a forum."""
    df = G.table("memberships", directory)
    df = df[df["forum_id"].isin(G.default_forums(directory)) & df["role"].isin(G.ACTIVE_ROLES)
            & ~df["member"].isin(list(countries.NON_STATE))]
    start, end = df["joined"].map(period_end), df["left"].map(parse_date)
    when = np.array(dates, dtype="datetime64[ns]")
    s = start.to_numpy(dtype="datetime64[ns]")[:, None]
    e = end.to_numpy(dtype="datetime64[ns]")[:, None]
    live = ~np.isnat(s) & (s <= when) & (np.isnat(e) | (e > when))
    if current:
        live[:, -1] = np.isnat(e[:, 0])
    out = df.assign(_start=start, first=live.argmax(axis=1), stop=live.argmax(axis=1) + live.sum(axis=1))
    out = out[live.any(axis=1)].sort_values("_start", kind="stable", na_position="last")
    return out.drop(columns="_start").reset_index(drop=True)


def on_step(table: pd.DataFrame, step: int) -> pd.DataFrame:
    """The rows in force at ``step``, one per state and forum (the first, as the page shows)."""
    live = table[(table["first"] <= step) & (step < table["stop"])]
    return live.drop_duplicates(["member", "forum_id"]).reset_index(drop=True)


def ramp(n: int) -> list[str]:
    """Colours for 1..n forums (index 0 is unused: no forum draws the land colour)."""
    return [""] + [to_hex(c) for c in plt.get_cmap("Blues")(np.linspace(0.4, 1.0, max(n, 1)))][:n]


def page_data(dates: list[pd.Timestamp], table: pd.DataFrame, start: int, directory: Path = CURATED) -> dict:
    """Everything the page's script needs, in plain JSON types."""
    forums = G.table("forums", directory).set_index("forum_id").loc[G.default_forums(directory)]
    states = sorted(table["member"].unique(), key=countries.name)
    most = max((on_step(table, i).groupby("member").size().max() for i in range(len(dates))
                if len(on_step(table, i))), default=0)
    index = {f: i for i, f in enumerate(forums.index)}
    where = {c: i for i, c in enumerate(states)}
    return {
        "dates": [f"{d:%Y-%m-%d}" for d in dates], "labels": [f"{d:%-d %B %Y}" for d in dates], "start": start,
        "forums": [{"id": f, "short": r.short_name, "name": r["name"]} for f, r in forums.iterrows()],
        "states": [{"iso3": c, "name": countries.name(c)} for c in states],
        "rows": [[where[r.member], index[r.forum_id], int(r.first), int(r.stop),
                  text.date(r.joined) if isinstance(r.joined, str) else "", r.evidence, r.source_url]
                 for r in table.itertuples()],
        "grades": GRADES, "colors": ramp(int(most)),
    }


def counts(data: dict, step: int) -> dict[str, int]:
    """Each state's number of forums at ``step``, from the page's data as its script reads it."""
    seen = {(r[0], r[1]) for r in data["rows"] if r[2] <= step < r[3]}
    out: dict[str, int] = {}
    for state, _ in seen:
        iso3 = data["states"][state]["iso3"]
        out[iso3] = out.get(iso3, 0) + 1
    return out


def matrix(data: dict, step: int) -> ET.Element:
    """The table of states (by number of forums, then name) by forums at ``step``: what the page
    shows before its script runs, and without one."""
    live = {}
    for r in data["rows"]:
        if r[2] <= step < r[3]:
            live.setdefault((r[0], r[1]), r)
    n = counts(data, step)
    table = ET.Element("table", {"id": "explorer-matrix", "class": "explorer-matrix"})
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    ET.SubElement(head, "th", {"scope": "col", "class": "explorer-state"}).text = "Country"
    ET.SubElement(head, "th", {"scope": "col", "class": "explorer-count"}).text = "Forums"
    for f in data["forums"]:
        ET.SubElement(head, "th", {"scope": "col", "data-forum": f["id"], "title": f["name"], "tabindex": "0"}).text = f["short"]
    body = ET.SubElement(table, "tbody")
    order = sorted(range(len(data["states"])), key=lambda i: (-n.get(data["states"][i]["iso3"], 0), data["states"][i]["name"]))
    for i in order:
        state = data["states"][i]
        tr = ET.SubElement(body, "tr", {"data-iso3": state["iso3"], "tabindex": "0"})
        ET.SubElement(tr, "th", {"scope": "row"}).text = state["name"]
        ET.SubElement(tr, "td", {"class": "explorer-count"}).text = str(n.get(state["iso3"], 0))
        for j, f in enumerate(data["forums"]):
            r = live.get((i, j))
            td = ET.SubElement(tr, "td", {"data-forum": f["id"]})
            if r:
                td.set("class", f"is-in grade-{r[5]}")
                td.set("title", f"{f['short']}: {r[4] or '—'}, {data['grades'][r[5]]}")
                td.text = "●" if r[5] != "secondary" else "○"
    return table


def fig_map(n: dict[str, int], colors: list[str]) -> plt.Figure:
    """States coloured by their number of forums (the static map)."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    shades = {str(k): c for k, c in enumerate(colors) if k}
    plots.membership_map(ax, {c: str(k) for c, k in n.items()}, colors=shades)
    handles = [Patch(color=c, label=k) for k, c in shades.items()]
    ax.legend(handles=handles, title="Forums", frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.02),
              ncol=min(len(handles), 14), handlelength=1.0, columnspacing=0.8)
    return fig


def widget(data: dict, png: bytes, alt: str) -> str:
    """The page's markup: controls, map, legend, detail panel and matrix around the embedded data;
    the static map in ``<noscript>`` for readers without JavaScript."""
    step = data["start"]
    root = ET.Element("div", {"id": "aigov-explorer", "class": "aigov-explorer"})
    controls = ET.SubElement(root, "div", {"class": "explorer-controls", "hidden": "hidden"})
    label = ET.SubElement(controls, "label", {"for": "explorer-date"})
    label.text = "Date "
    ET.SubElement(label, "output", {"id": "explorer-date-label", "for": "explorer-date"}).text = data["labels"][step]
    ET.SubElement(controls, "input", {"type": "range", "id": "explorer-date", "min": "0",
                                      "max": str(len(data["dates"]) - 1), "step": "1", "value": str(step)})
    pick = ET.SubElement(controls, "label", {"for": "explorer-forum"})
    pick.text = "Highlight a forum "
    select = ET.SubElement(pick, "select", {"id": "explorer-forum"})
    ET.SubElement(select, "option", {"value": ""}).text = "none"
    for f in data["forums"]:
        ET.SubElement(select, "option", {"value": f["id"]}).text = f["short"]
    box = ET.SubElement(root, "div", {"class": "explorer-map", "hidden": "hidden"})
    box.append(interactive.world_svg({}, {}, "explorer-map"))
    legend = ET.SubElement(box, "div", {"class": "explorer-legend"})
    ET.SubElement(legend, "span").text = "Forums"
    for k, color in enumerate(data["colors"]):
        item = ET.SubElement(legend, "span", {"class": "explorer-legend-item"})
        ET.SubElement(item, "i", {"style": f"background: {color}"} if k else {"class": "none"})
        ET.SubElement(item, "span").text = str(k)
    noscript = ET.SubElement(root, "noscript")
    ET.SubElement(noscript, "img", {"src": interactive.data_uri(png), "alt": alt, "class": "explorer-static"})
    ET.SubElement(root, "div", {"id": "explorer-detail", "class": "explorer-detail", "aria-live": "polite"})
    ET.SubElement(root, "div", {"class": "explorer-matrix-box"}).append(matrix(data, step))
    html = ET.tostring(root, encoding="unicode", method="html")
    return html[:-len("</div>")] + interactive.json_script("explorer-data", data) + "</div>"


def publish(as_of: pd.Timestamp | None) -> dict:
    """Glue the page's facts and the explorer (its markup with the static map as the PNG)."""
    style.apply_theme()
    dates = steps(as_of)
    table = rows(dates, current=as_of is None)
    data = page_data(dates, table, len(dates) - 1)
    n = counts(data, data["start"])
    fig = fig_map(n, data["colors"])
    report.check_figure(fig, "explorer")
    png = report.png_bytes(fig)
    plt.close(fig)
    alt = interactive.alt_text({c: f"{k} forum{'s' if k != 1 else ''}" for c, k in n.items()})
    shown = round(100 * style.COLUMN)
    glue("explorer", interactive.Bundle(widget(data, png, alt), png, shown, alt), display=False)
    forums = G.table("forums").set_index("forum_id")["short_name"]
    report.figure_data("explorer", table.assign(country=table["member"].map(countries.name),
                                                forum=table["forum_id"].map(forums))[
        ["member", "country", "forum_id", "forum", "role", "joined", "left", "evidence", "source_url"]])
    return report.glue_facts({**G.shared_facts(as_of), "as_of_label": params.label(as_of),
                              "first_label": data["labels"][0], "n_forums_all": len(data["forums"]),
                              "n_states_ever": len(data["states"])})
