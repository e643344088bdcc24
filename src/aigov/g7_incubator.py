"""Section "G7 as incubator": how initiatives born in the G7 spread to wider circles."""
import pandas as pd

from . import countries, datasets
from . import governance as G
from .curated import parse_date, period_end
from .errors import ParameterError

DEFAULT_FORUMS = ["g7", "oecd_ai_principles", "g20", "gpai", "hiroshima_friends"]
INCOME_ORDER = datasets.INCOME_ORDER


def parse_forums(value: str | list[str]) -> list[str]:
    """The ``forums`` parameter: comma-separated forum ids defined in forums.csv, G7 first."""
    items = value.split(",") if isinstance(value, str) else list(value)
    ids = [i.strip() for i in items if i.strip()]
    known = set(G.table("forums")["forum_id"])
    bad = [i for i in ids if i not in known]
    if bad or not ids:
        raise ParameterError(f"parameter forums: {', '.join(bad) or 'nothing'} in {value!r} is not a "
                             f"forum_id of forums.csv ({', '.join(sorted(known))})")
    if ids[0] != "g7":
        raise ParameterError(f"parameter forums: {value!r} must start with g7, the incubator")
    return ids


def short_names() -> dict[str, str]:
    return G.table("forums").set_index("forum_id")["short_name"].to_dict()


def chain(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per forum: its first recorded AI event and the date it took up AI (its founding, or for a
    forum older than the G7's AI work, its first AI event), members then and on ``as_of``, and the
    months from the G7's first AI event to that date."""
    events = G.timeline(as_of)
    forums = G.table("forums").set_index("forum_id")
    first = {f: events[events["forum_id"] == f].head(1) for f in forum_ids}
    g7_start = first["g7"]["start"].min() if "g7" in first and len(first["g7"]) else pd.NaT
    rows = []
    for f in forum_ids:
        ev = first[f]
        founded = forums.loc[f, "founded"]
        use_event = f == "g7" or (pd.notna(g7_start) and parse_date(founded) < g7_start)
        adopted_text = (ev["date"].iloc[0] if len(ev) else None) if use_event else founded
        adopted = parse_date(adopted_text) if adopted_text else None
        # nothing counts as taken up before the G7's own AI work appears in the data
        in_view = pd.notna(g7_start) and adopted is not None and (as_of is None or adopted <= as_of)
        rows.append({
            "forum_id": f, "forum": forums.loc[f, "short_name"],
            "first_event": ev["start"].iloc[0] if len(ev) else pd.NaT,
            "first_event_title": ev["title"].iloc[0] if len(ev) else "",
            "adopted": adopted if in_view else pd.NaT, "adopted_text": adopted_text if in_view else "",
            "members_at_adoption": len(G.members(f, period_end(adopted_text))) if in_view else 0,
            "members": len(G.members(f, as_of)),
            "coverage": forums.loc[f, "coverage"],
        })
    df = pd.DataFrame(rows)
    df["months_after_g7"] = ((df["adopted"] - g7_start).dt.days / 30.4375).round(0)
    return df


def reach(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per forum: members, of which states, outside the G7 and the OECD, and the world shares of
    population and GDP its member states hold (states that belong directly; the EU counts as one
    member and not for its states)."""
    g7, oecd = set(G.members("g7", as_of)), set(G.members("oecd", as_of))
    rows = []
    for f in forum_ids:
        m = G.members(f, as_of)
        states = [c for c in m if c not in countries.NON_STATE]
        rows.append({
            "forum_id": f, "members": len(m), "states": len(states),
            "outside_g7": len(set(m) - g7), "outside_oecd": len(set(states) - oecd),
            "population_share": G.world_share(states, "population") if states else 0.0,
            "gdp_share": G.world_share(states, "gdp") if states else 0.0,
        })
    return pd.DataFrame(rows)


def income_mix(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Member states of each forum by World Bank income group (FY2024): forum_id, income_group, states."""
    income = datasets.indicators()["income_group"]
    rows = []
    for f in forum_ids:
        states = [c for c in G.members(f, as_of) if c not in countries.NON_STATE]
        groups = pd.Series([income.get(c) for c in states], dtype=object).fillna("No data")
        for g in INCOME_ORDER:
            rows.append({"forum_id": f, "income_group": g, "states": int((groups == g).sum())})
    return pd.DataFrame(rows)


def regions(forum_ids: list[str], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Member states of each forum per continent (rows: forums' short names; the EU not counted)."""
    names = short_names()
    table = pd.DataFrame({names[f]: countries.continents(G.members(f, as_of)) for f in forum_ids}).T
    return table.fillna(0).astype(int).reindex(columns=sorted(table.columns))
