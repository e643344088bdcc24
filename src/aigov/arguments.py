"""The source documents' arguments as computed tests (analysis layer of the claims ledger).

Each test is a function of ``as_of`` (None: the data date) returning a :class:`Finding`: the
number the verdict compares with the threshold stated in ``claims.csv``, and a sentence giving
the counts behind it. The network is that of :mod:`network`: states (not the EU or the AU) and
the AI-governance forums of :func:`governance.default_forums`.
"""
from dataclasses import dataclass
from math import comb

import networkx as nx
import pandas as pd

from . import capacity, datasets, governance, network, text
from .curated import parse_date

# Initiatives the G7 took up before they spread, and the curated event where the G7 acted on each.
G7_BORN = {
    "oecd_ai_principles": "G7 ICT ministers in Takamatsu take up AI",
    "gpai": "G7 Charlevoix summit adopts Common Vision",
    "hiroshima_friends": "G7 Hiroshima summit communique launches the Hiroshima AI Process",
}
# The forums the Brookings paper says SC 42 outnumbers.
SC42_RIVALS = ["oecd", "gpai", "hiroshima_friends"]
SC42 = "iso_iec_sc42"
SC42_ROLES = ("participating", "observing")  # ISO counts both as members of a committee
# Forums that are instruments of AI governance themselves (not organisations or clubs).
INSTRUMENT_KINDS = ["principles", "declaration", "statement", "treaty"]
# Mandate and first output of the G7's Hiroshima process and of the UN's scientific panel.
G7_TRACK = ("launches the Hiroshima AI Process", "Hiroshima Process Guiding Principles and Code of Conduct")
UN_TRACK = ("Global Digital Compact", "Scientific Panel on AI holds its first")


@dataclass(frozen=True)
class Finding:
    value: float | None  # None: the data cannot settle the claim on this date
    detail: str = ""


def _graph(as_of: pd.Timestamp | None) -> tuple[pd.DataFrame, nx.Graph]:
    m = network.matrix(as_of, governance.default_forums())
    return m, network.bipartite(m)


def _short(forum_id: str) -> str:
    return governance.table("forums").set_index("forum_id").loc[forum_id, "short_name"]


def _months(a: pd.Timestamp, b: pd.Timestamp) -> int:
    """Calendar months from ``a`` to ``b``."""
    return (b.year - a.year) * 12 + b.month - a.month


def _size(forum_id: str, as_of: pd.Timestamp | None) -> tuple[int, str]:
    """States in a forum on ``as_of``: the recorded count, or the forum's official count when that
    is higher and dated by then (a partial list undercounts); and which of the two it is."""
    recorded = len(governance.state_members(forum_id, as_of))
    f = governance.table("forums").set_index("forum_id").loc[forum_id]
    day = parse_date(f["official_count_date"]) if isinstance(f["official_count"], str) else None
    if day is not None and (as_of is None or day <= as_of) and int(f["official_count"]) > recorded:
        return int(f["official_count"]), "official count"
    return recorded, "recorded"


def redundancy(as_of: pd.Timestamp | None) -> Finding:
    """Share of the linked pairs of states (sharing at least one forum) that share two or more."""
    weights = network.linked_pairs(network.projection(_graph(as_of)[1]))
    if weights.empty:
        return Finding(None, "no two states share a forum on that date")
    multi = int((weights >= 2).sum())
    return Finding(multi / len(weights), f"{multi:,} of {len(weights):,} linked pairs of states share two or more forums")


def _connected_pairs(g: nx.Graph) -> int:
    return sum(comb(sum(g.nodes[n]["kind"] == "country" for n in c), 2) for c in nx.connected_components(g))


def resilience(as_of: pd.Timestamp | None) -> Finding:
    """Share of the connected pairs of states (joined by a path of shared forums) still connected
    after the loss of the forum whose loss disconnects most; one body holding every seat leaves none."""
    _, g = _graph(as_of)
    base = _connected_pairs(g)
    if not base:
        return Finding(None, "no two states share a forum on that date")
    after = {}
    for forum in network.forum_nodes(g):
        rest = g.copy()
        rest.remove_node(forum)
        after[forum] = _connected_pairs(rest)
    worst = min(after, key=lambda f: (after[f], f))
    return Finding(after[worst] / base, f"losing {text.the_forum(_short(worst))} leaves {after[worst]:,} of "
                   f"{base:,} connected pairs of states connected; losing one body holding all "
                   f"{len(network.country_nodes(g)):,} states would leave none")


def diffusion(as_of: pd.Timestamp | None) -> Finding:
    """Share of the state seats in the G7-born initiatives held by states outside the G7, and the
    median months from the G7's act to those states' joining."""
    g7 = set(governance.state_members("g7", as_of))
    seats, outside, months = 0, 0, []
    for forum, act in G7_BORN.items():
        acted = governance.event_dates(act, as_of)
        if acted.empty:
            continue
        mine = governance.state_seats(as_of, [forum])
        seats += len(mine)
        others = mine[~mine["member"].isin(g7)]
        outside += len(others)
        months += [_months(acted["start"].iloc[0], d) for d in others["joined"].map(parse_date).dropna()]
    if not seats:
        return Finding(None, "none of the initiatives had members on that date")
    median = f"; they joined a median of {pd.Series(months).median():.0f} months after the G7 acted" if months else ""
    return Finding(outside / seats, f"{outside:,} of {seats:,} state seats held by states outside the G7{median}")


def income_groups() -> pd.Series:
    """Income group (FY2024) of every state of :func:`capacity.universe` that has one."""
    groups = datasets.indicators()["income_group"].reindex(capacity.universe())
    return groups[groups.isin(datasets.INCOME_GROUPS)]


def lmic_shares(as_of: pd.Timestamp | None, groups: pd.Series) -> pd.DataFrame:
    """Per forum with state members: states with an income group in ``groups``, and the share of
    them that are low- or middle-income; a last row ``all`` for the network as a whole."""
    m, _ = _graph(as_of)
    rows = [(f, m.index[m[f].to_numpy()]) for f in m.columns if m[f].any()] + [("all", m.index)]
    out = []
    for forum, codes in rows:
        g = groups.reindex(codes).dropna()
        out.append({"forum_id": forum, "states": len(g), "lmic_share": float(g.isin(datasets.LOW_OR_MIDDLE).mean())
                    if len(g) else float("nan")})
    return pd.DataFrame(out)


def reach(as_of: pd.Timestamp | None) -> Finding:
    """The network's share of low- and middle-income states divided by their share of all states."""
    groups = income_groups()
    world = float(groups.isin(datasets.LOW_OR_MIDDLE).mean())
    shares = lmic_shares(as_of, groups)
    overall = shares[shares["forum_id"] == "all"].iloc[0]
    if not overall["states"]:
        return Finding(None, "no state sits in a forum on that date")
    forums = shares[shares["forum_id"] != "all"]
    below = int((forums["lmic_share"] < world).sum())
    return Finding(overall["lmic_share"] / world,
                   f"{overall['lmic_share']:.0%} of the network's states are low- or middle-income, against "
                   f"{world:.0%} of all states; {below} of {len(forums)} forums fall below the world's share")


def _sc42(as_of: pd.Timestamp | None) -> int:
    return len(governance.state_members(SC42, as_of, SC42_ROLES))


def standards_vs_rivals(as_of: pd.Timestamp | None) -> Finding:
    """SC 42's recorded member bodies (a lower bound) divided by the largest of its rivals' counts."""
    sc = _sc42(as_of)
    if not sc:
        return Finding(None, "SC 42's list has no dates of joining: it counts only on the data date")
    sizes = {f: _size(f, as_of) for f in SC42_RIVALS}
    top = max(sizes, key=lambda f: sizes[f][0])
    if not sizes[top][0]:
        return Finding(None, "none of the three had members on that date")
    return Finding(sc / sizes[top][0], f"SC 42: {sc} national bodies recorded; the largest of the three, "
                   f"{text.the_forum(_short(top))}: {sizes[top][0]} states ({sizes[top][1]})")


def standards_rank(as_of: pd.Timestamp | None) -> Finding:
    """SC 42's rank (1 = most) by states among itself and the AI-governance forums."""
    sc = _sc42(as_of)
    if not sc:
        return Finding(None, "SC 42's list has no dates of joining: it counts only on the data date")
    sizes = {f: _size(f, as_of)[0] for f in governance.default_forums()}
    larger = sorted((f for f in sizes if sizes[f] > sc), key=lambda f: -sizes[f])
    names = text.listing([f"{text.the_forum(_short(f))} ({sizes[f]})" for f in larger])
    return Finding(len(larger) + 1, f"SC 42 counts {sc} national bodies" + (f"; larger: {names}" if larger else ""))


def _months_between(track: tuple[str, str], as_of: pd.Timestamp | None) -> tuple[int, str] | None:
    found = [governance.event_dates(t, as_of) for t in track]
    if any(e.empty for e in found):
        return None
    a, b = found[0]["start"].iloc[0], found[1]["start"].iloc[-1]
    return _months(a, b), f"{a:%B %Y} to {b:%B %Y}"


def agility(as_of: pd.Timestamp | None) -> Finding:
    """Months from mandate to first output on the UN track minus those on the G7 track."""
    g7, un = _months_between(G7_TRACK, as_of), _months_between(UN_TRACK, as_of)
    if g7 is None or un is None:
        return Finding(None, "one of the two tracks had not produced its first output on that date")
    return Finding(un[0] - g7[0], f"G7: {g7[0]} months ({g7[1]}); UN: {un[0]} months ({un[1]})")


def no_centre(as_of: pd.Timestamp | None) -> Finding:
    """Freeman degree centralisation of the states' network (0: no centre, 1: a star)."""
    p = network.projection(_graph(as_of)[1])
    value = network.centralization(p)
    if pd.isna(value):
        return Finding(None, "fewer than three states in the network on that date")
    return Finding(value, f"degree centralisation {value:.2f} over {p.number_of_nodes():,} states")


def fragmentation(as_of: pd.Timestamp | None) -> Finding:
    """Mean Jaccard similarity of the state members of every pair of forums with members."""
    pairs = network.pairs(_graph(as_of)[0])
    if pairs.empty:
        return Finding(None, "fewer than two forums with members on that date")
    return Finding(float(pairs["jaccard"].mean()), f"mean overlap {pairs['jaccard'].mean():.2f} over "
                   f"{len(pairs):,} pairs of forums; {int((pairs['shared'] == 0).sum())} pairs share no state")


def binding_share(as_of: pd.Timestamp | None) -> Finding:
    """Share of the AI instruments in the data (principles, declarations, statements, treaties)
    adopted by ``as_of`` that are treaties, with the treaties' ratifications."""
    forums = governance.table("forums")
    forums = forums[forums["kind"].isin(INSTRUMENT_KINDS)]
    if as_of is not None:
        forums = forums[forums["founded"].map(parse_date) <= as_of]
    if forums.empty:
        return Finding(None, "no AI instrument adopted by that date")
    treaties = forums[forums["kind"] == "treaty"]
    ratified = sum(len(governance.members(f, as_of, roles=("ratified",))) for f in treaties["forum_id"])
    return Finding(len(treaties) / len(forums), f"{len(treaties)} of {len(forums)} instruments are treaties, "
                   f"with {ratified} ratification{'' if ratified == 1 else 's'} between them")


def high_income_share(forum_id: str):
    def check(as_of: pd.Timestamp | None) -> Finding:
        groups = income_groups().reindex(governance.state_members(forum_id, as_of)).dropna()
        if groups.empty:
            return Finding(None, "no state member on that date")
        high = int((groups == datasets.INCOME_GROUPS[0]).sum())
        return Finding(high / len(groups), f"{high} of {len(groups)} state members are high-income")
    return check


def members_among(forum_id: str, codes: tuple[str, ...]):
    def check(as_of: pd.Timestamp | None) -> Finding:
        present = [c for c in codes if c in governance.members(forum_id, as_of)]
        return Finding(len(present), f"members among {text.listing(text.names(codes))}: "
                       f"{text.listing(text.names(present)) if present else 'none'}")
    return check
