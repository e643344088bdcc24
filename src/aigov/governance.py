"""Who was in which forum, and what happened, on a given date: the API every section uses.

Dates known only to the month or year are read conservatively: a membership counts
from the last day of the period its start is known to, ends on the first day of the
period its end is known to, and a membership with no start date counts only when no
date is asked for. Nothing is shown as in force before it certainly was.
"""
import os
from pathlib import Path

import pandas as pd

from . import datasets, readlog
from .countries import NON_STATE
from .curated import ACTIVE, ROLES, VALIDATED_ENV, counted_members, data_as_of, load_all, parse_date, period_end
from .paths import CURATED
from .text import the_forum

ACTIVE_ROLES = ACTIVE
# Forums in forums.csv that are not counted as AI-governance forums by default, and why.
DEFAULT_EXCLUDED = {
    "african_union": "a regional union, not an AI-governance forum",
    "brics": "a general economic club, not an AI-governance forum",
    "eu": "a regional union (its seats in AI forums are counted for its member states as 'via EU')",
    "un": "universal membership: counting it would add one to every country",
    "unesco": "near-universal membership: counting it would add one to almost every country",
    "iso_iec_sc42": "its members are national standards bodies, not governments, and its list has no dates",
}


@readlog.cached
def _tables(directory: Path) -> dict[str, tuple[pd.DataFrame, str]]:
    """Every table, validated together (they refer to each other; not again in a kernel of a build
    that has validated these very files), with its file's SHA-256."""
    tables = load_all(directory, validated=os.environ.get(VALIDATED_ENV))
    return {name: (df, readlog.sha256_file(directory / f"{name}.csv")) for name, df in tables.items()}


def table(name: str, directory: Path = CURATED) -> pd.DataFrame:
    """A validated curated table (a copy). Only this table's file is recorded in the read log:
    the build validates all of them before any notebook runs, so a notebook's output depends on
    the tables it uses, not on the others."""
    directory = Path(directory)
    df, sha = _tables(directory)[name]
    readlog.record(directory / f"{name}.csv", sha)
    return df.copy()


def default_forums(directory: Path = CURATED) -> list[str]:
    """Every forum in forums.csv except :data:`DEFAULT_EXCLUDED`, in the table's order."""
    return [f for f in table("forums", directory)["forum_id"] if f not in DEFAULT_EXCLUDED]


@readlog.cached
def _dated_memberships(directory: Path) -> pd.DataFrame:
    """The memberships table with each row's start and end parsed (once per kernel: most
    functions of this module ask for the members on some date)."""
    df = table("memberships", directory)
    return df.assign(_start=df["joined"].map(period_end), _end=df["left"].map(parse_date))


def memberships(as_of: pd.Timestamp | None = None, roles=ACTIVE_ROLES, directory: Path = CURATED) -> pd.DataFrame:
    """Membership rows in force on ``as_of`` (all current ones if None), one per forum and member."""
    df = _dated_memberships(Path(directory))
    df = df[df["role"].isin(roles)]
    start, end = df["_start"], df["_end"]
    if as_of is None:
        in_force = end.isna()
    else:
        in_force = start.notna() & (start <= as_of) & (end.isna() | (end > as_of))
    # one row per forum and member: the earliest (e.g. a signature before its ratification)
    df = df[in_force].sort_values("_start", kind="stable", na_position="last")
    return df.drop_duplicates(["forum_id", "member"]).drop(columns=["_start", "_end"]).sort_index().reset_index(drop=True)


def members(forum_id: str, as_of: pd.Timestamp | None = None, roles=ACTIVE_ROLES,
            directory: Path = CURATED) -> list[str]:
    """Sorted member codes of a forum on ``as_of``."""
    forums = table("forums", directory)["forum_id"]
    if forum_id not in set(forums):
        raise KeyError(f"unknown forum_id {forum_id!r}; known: {', '.join(forums)}")
    df = memberships(as_of, roles, directory)
    return sorted(df.loc[df["forum_id"] == forum_id, "member"])


def secondary(forum_id: str, as_of: pd.Timestamp | None = None, roles=ACTIVE_ROLES,
              directory: Path = CURATED) -> set[str]:
    """Members of a forum on ``as_of`` whose row rests on a secondary source (evidence grade)."""
    df = memberships(as_of, roles, directory)
    return set(df.loc[(df["forum_id"] == forum_id) & (df["evidence"] == "secondary"), "member"])


def forums_of(member: str, as_of: pd.Timestamp | None = None, roles=ACTIVE_ROLES,
              directory: Path = CURATED) -> list[str]:
    """Sorted forum ids a member belonged to on ``as_of``."""
    df = memberships(as_of, roles, directory)
    return sorted(df.loc[df["member"] == member, "forum_id"])


def recorded_states(directory: Path = CURATED) -> list[str]:
    """The states with at least one recorded membership (any forum, role or date), by code."""
    return sorted(set(table("memberships", directory)["member"]) - set(NON_STATE))


def year_ends_in_force(member: str, first_year: int, directory: Path = CURATED) -> list[pd.Timestamp]:
    """The 31 Decembers from ``first_year`` before the data date on which ``member`` had a
    membership in force (any forum, any role)."""
    last = pd.Timestamp(data_as_of(directory))
    ends = [pd.Timestamp(f"{y}-12-31") for y in range(first_year, last.year + 1)]
    return [d for d in ends if d < last and member in _members_on(d, Path(directory))]


@readlog.cached
def _members_on(day: pd.Timestamp, directory: Path) -> frozenset[str]:
    """Every member with a membership in force on ``day`` (any forum or role)."""
    return frozenset(memberships(day, roles=ROLES, directory=directory)["member"])


def state_members(forum_id: str, as_of: pd.Timestamp | None = None, roles=ACTIVE_ROLES,
                  directory: Path = CURATED) -> list[str]:
    """Sorted member codes of a forum on ``as_of`` that are states (not the EU, the AU, ...)."""
    return [c for c in members(forum_id, as_of, roles, directory) if c not in NON_STATE]


def membership_matrix(as_of: pd.Timestamp | None = None, forum_ids: list[str] | None = None,
                      roles=ACTIVE_ROLES, directory: Path = CURATED) -> pd.DataFrame:
    """Members x forums, True where the member belonged on ``as_of``."""
    df = memberships(as_of, roles, directory)
    if forum_ids is not None:
        df = df[df["forum_id"].isin(forum_ids)]
    matrix = pd.crosstab(df["member"], df["forum_id"]).astype(bool)
    return matrix.reindex(columns=forum_ids, fill_value=False) if forum_ids is not None else matrix


@readlog.cached
def _dated_events(directory: Path) -> pd.DataFrame:
    """The events table with each event's start and end parsed (once per kernel)."""
    df = table("events", directory)
    return df.assign(start=df["date"].map(parse_date), end=df["date"].map(period_end))


@readlog.query
def timeline(as_of: pd.Timestamp | None = None, categories: list[str] | None = None,
             forums: list[str] | None = None, directory: Path = CURATED) -> pd.DataFrame:
    """Events up to ``as_of`` (an event known only by month or year counts once that period is
    over), of the given categories and forums if given (a query: a notebook depends on these
    events only)."""
    df = _dated_events(Path(directory))
    if as_of is not None:
        df = df[df["end"] <= as_of]
    if categories is not None:
        df = df[df["category"].isin(categories)]
    if forums is not None:
        df = df[df["forum_id"].isin(forums)]
    return df.sort_values(["start", "title"]).reset_index(drop=True)


@readlog.query
def first_event(forum_id: str, as_of: pd.Timestamp | None = None, directory: Path = CURATED) -> pd.Timestamp | None:
    """When the first event of a forum recorded up to ``as_of`` began (None if there is none)."""
    ev = timeline(as_of, forums=[forum_id], directory=directory)
    return ev["start"].min() if len(ev) else None


@readlog.query
def event_dates(title_contains: str, as_of: pd.Timestamp | None = None,
                directory: Path = CURATED) -> pd.DataFrame:
    """When the events of :func:`timeline` up to ``as_of`` whose title contains ``title_contains``
    happened: their ``date`` as recorded and its ``start``, in order (a query: a notebook that
    checks these dates does not depend on the events' other columns)."""
    ev = timeline(as_of, directory=directory)
    return ev.loc[ev["title"].str.contains(title_contains, regex=False), ["date", "start"]]


def world_share(codes: list[str], column: str = "population") -> float:
    """Share (0-1) of the world total of ``column`` held by ``codes`` (states with data only)."""
    ind = datasets.indicators()[column].dropna()
    return float(ind[ind.index.isin(codes)].sum() / ind.sum())


def with_eu_states(codes: list[str], as_of: pd.Timestamp | None = None, directory: Path = CURATED) -> dict[str, str]:
    """Each code -> 'direct', plus the EU's member states on ``as_of`` -> 'via_eu' when the EU
    (EUU) is among ``codes`` and the state is not a member in its own right."""
    out = {c: "direct" for c in codes}
    if "EUU" in out:
        for state in members("eu", as_of, directory=directory):
            out.setdefault(state, "via_eu")
    return out


def change_dates(forum_ids: list[str], roles=ACTIVE_ROLES, directory: Path = CURATED) -> list[pd.Timestamp]:
    """Every date on which the membership of one of ``forum_ids`` changed (conservative reading)."""
    df = table("memberships", directory)
    df = df[df["forum_id"].isin(forum_ids) & df["role"].isin(roles)]
    dates = set(df["joined"].map(period_end).dropna()) | set(df["left"].map(parse_date).dropna())
    return sorted(dates)


def member_counts(forum_ids: list[str], end: pd.Timestamp | None = None, start: pd.Timestamp | None = None,
                  roles=ACTIVE_ROLES, directory: Path = CURATED) -> pd.DataFrame:
    """Members of each forum on ``start`` and after every change from then up to ``end``: columns
    date, forum_id, members (a step series; undated members are not counted)."""
    dates = [d for d in change_dates(forum_ids, roles, directory)
             if (end is None or d <= end) and (start is None or d > start)]
    dates = ([start] if start is not None else []) + dates
    rows = []
    for day in dates:
        current = memberships(day, roles, directory)
        counts = current[current["forum_id"].isin(forum_ids)].groupby("forum_id").size()
        rows += [{"date": day, "forum_id": f, "members": int(counts.get(f, 0))} for f in forum_ids]
    return pd.DataFrame(rows, columns=["date", "forum_id", "members"])


def coverage() -> pd.DataFrame:
    """Per forum: the official count (with its date and source), the members recorded on that
    date and today, the coverage the table claims, and today's rows by evidence grade."""
    forums = table("forums")
    rows = table("memberships")
    current = rows[rows["left"].isna()]
    grades = current.groupby(["forum_id", "evidence"]).size().unstack(fill_value=0)
    out = []
    for _, f in forums.iterrows():
        on_count_date = len(counted_members(f, rows)) if isinstance(f.official_count, str) else None
        g = grades.loc[f.forum_id] if f.forum_id in grades.index else {}
        out.append({
            "forum_id": f.forum_id, "forum": f.short_name, "coverage": f.coverage,
            "official_count": int(f.official_count) if isinstance(f.official_count, str) else None,
            "count_date": f.official_count_date, "recorded_on_count_date": on_count_date,
            "recorded_now": current.loc[current["forum_id"] == f.forum_id, "member"].nunique(),
            **{grade: int(g.get(grade, 0)) for grade in ("official", "official-copy", "secondary")},
            "coverage_note": f.coverage_note,
        })
    return pd.DataFrame(out)


def state_seats(as_of: pd.Timestamp | None = None, forum_ids: list[str] | None = None,
                directory: Path = CURATED) -> pd.DataFrame:
    """Membership rows in force on ``as_of`` of states (not the EU, the AU or other non-state
    members) in ``forum_ids``, by default :func:`default_forums`."""
    current = memberships(as_of, directory=directory)
    ids = forum_ids or default_forums(directory)
    return current[current["forum_id"].isin(ids) & ~current["member"].isin(list(NON_STATE))]


def forum_sizes(as_of: pd.Timestamp | None = None, forum_ids: list[str] | None = None,
                directory: Path = CURATED) -> pd.DataFrame:
    """States recorded in each forum on ``as_of`` (members that are not states, such as the EU,
    left out), largest first: forum_id, short_name, states, coverage. ``forum_ids`` defaults to
    :func:`default_forums`."""
    forums = table("forums", directory).set_index("forum_id")
    ids = forum_ids or default_forums(directory)
    counts = state_seats(as_of, ids, directory).groupby("forum_id").size().reindex(ids, fill_value=0)
    out = pd.DataFrame({"forum_id": ids, "short_name": forums.loc[ids, "short_name"].values,
                        "states": counts.values.astype(int), "coverage": forums.loc[ids, "coverage"].values})
    return out.sort_values(["states", "forum_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def shared_facts(as_of: pd.Timestamp | None = None, directory: Path = CURATED) -> dict:
    """Facts several chapters state, computed once so that they agree everywhere (glue them
    under these keys): the AI-governance forums with state members, the widest of them and the
    states in at least one."""
    sizes = forum_sizes(as_of, directory=directory)
    active = sizes[sizes["states"] > 0]
    states = state_seats(as_of, directory=directory)
    widest = active.iloc[0] if len(active) else None
    return {
        "n_forums": len(active),
        "widest_forum": the_forum(widest["short_name"]) if widest is not None else "none",
        "widest_states": int(widest["states"]) if widest is not None else 0,
        "n_states_in_forums": int(states["member"].nunique()),
    }
