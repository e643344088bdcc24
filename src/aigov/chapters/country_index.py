"""The Countries part's first page: every state with a profile, on a map and in a list that a
reader can filter (``book/_static/countries.js``); each links to its profile
(``countries/<code>/index.html``, swept by :mod:`aigov.sweep`)."""
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML
from matplotlib.patches import Patch
from myst_nb import glue

from .. import countries, datasets, governance, network, params, plots, profiles, report, style, text

BANDS = {"none": (0, 0), "1-2": (1, 2), "3-5": (3, 5), "6-9": (6, 9), "10 or more": (10, 99)}
BAND_COLORS = {"none": "#fdd49e", "1-2": "#c7e9b4", "3-5": "#7fcdbb", "6-9": "#2c7fb8", "10 or more": "#253494"}


def band(n: int) -> str:
    return next(name for name, (lo, hi) in BANDS.items() if lo <= n <= hi)


def table() -> pd.DataFrame:
    """One row per state with a profile: name, region, income group, its seats in the network's
    forums, rank by partners and number of archived profiles (latest data)."""
    codes = governance.recorded_states()
    pos = profiles.positions(None)
    cap = profiles.capacity_frame()
    return pd.DataFrame({
        "iso3": codes, "country": [countries.name(c) for c in codes],
        "region": [cap.loc[c, "region"] if c in cap.index and pd.notna(cap.loc[c, "region"]) else "" for c in codes],
        "income_group": [cap.loc[c, "income_group"] if c in cap.index else datasets.NO_DATA for c in codes],
        "forums": [int(pos.loc[c, "forums"]) if c in pos.index else 0 for c in codes],
        "rank_partners": [int(pos.loc[c, "rank_partners"]) if c in pos.index else None for c in codes],
        "archived": [len(profiles.archive_dates(c)) for c in codes],
    }).sort_values("country", key=lambda s: s.str.casefold()).reset_index(drop=True)


def fig_map(t: pd.DataFrame) -> plt.Figure:
    """The states with a profile, coloured by their seats in the network's forums."""
    fig, ax = plt.subplots(figsize=(style.COLUMN, 3.6))
    plots.membership_map(ax, dict(zip(t["iso3"], t["forums"].map(band))), colors=BAND_COLORS)
    handles = [Patch(color=c, label=k) for k, c in BAND_COLORS.items()]
    ax.legend(handles=handles, title="Seats in the network's forums",
              frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=len(handles), handlelength=1.0)
    return fig


def listing(t: pd.DataFrame, states: int) -> str:
    """The filterable list: a search box (shown by the script) over a table linking each profile."""
    root = ET.Element("div", {"class": "aigov-countries"})
    label = ET.SubElement(root, "label", {"class": "aigov-countries-filter", "hidden": "hidden"})
    label.text = "Filter "
    ET.SubElement(label, "input", {"type": "search", "id": "countries-filter", "autocomplete": "off",
                                   "placeholder": "country, code, region or income group"})
    ET.SubElement(root, "p", {"id": "countries-count", "aria-live": "polite"})
    tbl = ET.SubElement(ET.SubElement(root, "div", {"class": "table-wrapper"}), "table",
                        {"class": "table", "id": "countries-list"})
    head = ET.SubElement(ET.SubElement(tbl, "thead"), "tr")
    for h in ["Country", "Code", "Region", "Income group", "Seats", f"Rank by partners (of {states})", "Archived dates"]:
        ET.SubElement(head, "th").text = h
    body = ET.SubElement(tbl, "tbody")
    for r in t.itertuples():
        row = ET.SubElement(body, "tr")
        ET.SubElement(ET.SubElement(row, "td"), "a", {"href": f"../countries/{r.iso3}/index.html",
                                                      "data-iso3": r.iso3}).text = r.country
        for value in [r.iso3, r.region, r.income_group, str(r.forums),
                      "" if pd.isna(r.rank_partners) else str(int(r.rank_partners)), str(r.archived)]:
            ET.SubElement(row, "td").text = value
    return ET.tostring(root, encoding="unicode", method="html")


def publish() -> dict:
    """Glue the page's facts, map and list; returns the facts."""
    style.apply_theme()
    t = table()
    states = len(profiles.positions(None))
    seated = t[t["forums"] > 0]
    top = seated[seated["forums"] == seated["forums"].max()]
    facts = report.glue_facts({
        "as_of_label": params.label(None), "n_profiles": len(t), "n_seated": len(seated),
        "n_unseated": len(t) - len(seated), "net_states": states,
        "median_seats": float(seated["forums"].median()) if len(seated) else 0.0,
        "most_seats": int(seated["forums"].max()) if len(seated) else 0,
        "most_seated": text.roster(top["iso3"]), "n_archived": int(t["archived"].sum()),
        "first_year": network.SERIES_START,
    })
    labels = {c: f"{n} seat{'s' if n != 1 else ''}" for c, n in zip(t["iso3"], t["forums"])}
    report.map_figure("countries-map", fig_map(t), labels, t, default="no profile")
    glue("countries_list", HTML(listing(t, states)), display=False)
    return facts
