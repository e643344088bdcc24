"""The country-forum network: graphs and their statistics (analysis layer of the network chapter).

The network of a date joins each state to the AI-governance forums it belonged to in its own
right on that date (by default every forum of :func:`governance.default_forums`). Rules:

- Nodes: forums with at least one state member on the date, and states with at least one seat.
  Members that are not states (:data:`countries.NON_STATE`: the EU, the African Union, ...) are
  left out, and the EU's seats are not passed on to its member states (``via_eu`` is reported apart).
- The one-mode projection links two states when they share a forum; the edge ``weight`` is the
  number of forums they share.
- Forum overlap is the Jaccard similarity of two forums' state members: shared / either.
- Centrality in the projection: ``partners`` (degree), ``weighted_degree`` (sum of shared
  forums over partners), ``betweenness`` (normalised, by hops) and Burt's ``constraint``
  (weighted; low values mark brokers whose partners are not linked among themselves).
"""
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from . import capacity, countries, datasets, governance
from .paths import CURATED

SERIES_START = 2016  # first year-end of the time series (the first AI event of the timeline)
LAYOUT_SEED = 20240521
NEAR_ALL = 0.9  # a state "reaches nearly all" others when it partners this share of them
# UN-track steps toward one central place for AI governance (events in category 'un').
UN_CENTRAL = r"Advisory Body final report|Scientific Panel|Global Dialogue"


# --- the graphs -------------------------------------------------------------------------------

def matrix(as_of: pd.Timestamp | None, forums: list[str], directory: Path = CURATED) -> pd.DataFrame:
    """States x ``forums`` (all columns kept, in order), True where the state held a seat of its
    own on ``as_of``; only states with at least one seat are rows."""
    m = governance.membership_matrix(as_of, forums, directory=directory)
    m = m[~m.index.isin(list(countries.NON_STATE))]
    return m[m.any(axis=1)].sort_index()


def bipartite(m: pd.DataFrame) -> nx.Graph:
    """The country-forum graph of a :func:`matrix`: forum nodes (``kind='forum'``, only those with
    a member) and country nodes (``kind='country'``), an edge for each seat."""
    g = nx.Graph()
    active = [f for f in m.columns if m[f].any()]
    g.add_nodes_from(active, kind="forum", bipartite=0)
    g.add_nodes_from(m.index, kind="country", bipartite=1)
    g.add_edges_from((c, f) for f in active for c in m.index[m[f].to_numpy()])
    return g


def country_nodes(g: nx.Graph) -> list[str]:
    return sorted(n for n, k in g.nodes(data="kind") if k == "country")


def forum_nodes(g: nx.Graph) -> list[str]:
    return [n for n, k in g.nodes(data="kind") if k == "forum"]


def projection(g: nx.Graph) -> nx.Graph:
    """Countries linked by shared forums; ``weight`` = number of forums shared."""
    codes = country_nodes(g)
    return nx.bipartite.weighted_projected_graph(g, codes) if codes else nx.Graph()


# --- forum overlap ----------------------------------------------------------------------------

def jaccard(m: pd.DataFrame) -> pd.DataFrame:
    """Forums x forums Jaccard similarity of their state members (forums with a member only)."""
    sets = {f: set(m.index[m[f].to_numpy()]) for f in m.columns if m[f].any()}
    ids = list(sets)
    out = pd.DataFrame(np.nan, index=ids, columns=ids)
    for a in ids:
        for b in ids:
            out.loc[a, b] = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
    return out


def pairs(m: pd.DataFrame) -> pd.DataFrame:
    """Every pair of forums with members: shared and combined members and their Jaccard
    similarity, most similar first (ties by forum order)."""
    sets = {f: set(m.index[m[f].to_numpy()]) for f in m.columns if m[f].any()}
    ids = list(sets)
    rows = [{"forum_a": a, "forum_b": b, "shared": len(sets[a] & sets[b]),
             "either": len(sets[a] | sets[b]), "jaccard": len(sets[a] & sets[b]) / len(sets[a] | sets[b])}
            for i, a in enumerate(ids) for b in ids[i + 1:]]
    df = pd.DataFrame(rows, columns=["forum_a", "forum_b", "shared", "either", "jaccard"])
    return df.sort_values("jaccard", ascending=False, kind="stable").reset_index(drop=True)


def nested(m: pd.DataFrame) -> pd.DataFrame:
    """Pairs of forums with members where every state member of the smaller is in the larger
    (``inner`` inside ``outer``), excluding identical memberships."""
    sets = {f: set(m.index[m[f].to_numpy()]) for f in m.columns if m[f].any()}
    rows = [{"inner": a, "outer": b, "members": len(sets[a])} for a in sets for b in sets
            if a != b and sets[a] < sets[b]]
    return pd.DataFrame(rows, columns=["inner", "outer", "members"])


# --- centrality -------------------------------------------------------------------------------

def centrality(g: nx.Graph) -> pd.DataFrame:
    """Per country of the bipartite graph ``g``: forums, partners, weighted degree, betweenness
    and constraint in the projection (constraint is NaN for a country without partners)."""
    codes = country_nodes(g)
    cols = ["forums", "partners", "weighted_degree", "betweenness", "constraint"]
    if not codes:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="iso3"), dtype=float)
    p = projection(g)
    between = nx.betweenness_centrality(p, normalized=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        constraint = nx.constraint(p, weight="weight")
    df = pd.DataFrame({
        "forums": [g.degree(c) for c in codes],
        "partners": [p.degree(c) for c in codes],
        "weighted_degree": [p.degree(c, weight="weight") for c in codes],
        "betweenness": [between[c] for c in codes],
        "constraint": [constraint[c] for c in codes],
    }, index=pd.Index(codes, name="iso3"))
    return df


def hubs(cent: pd.DataFrame) -> list[str]:
    """The countries with the highest weighted degree (all of them when tied)."""
    if cent.empty or cent["weighted_degree"].max() == 0:
        return []
    top = cent["weighted_degree"].max()
    return sorted(cent.index[cent["weighted_degree"] == top])


def ranked(cent: pd.DataFrame) -> pd.DataFrame:
    """Countries by weighted degree, then betweenness, then code."""
    return cent.reset_index().sort_values(["weighted_degree", "betweenness", "iso3"],
                                          ascending=[False, False, True]).set_index("iso3")


def centralization(p: nx.Graph) -> float:
    """Freeman degree centralisation of a graph: 0 when every node has the same degree, 1 for a
    star; NaN below three nodes."""
    n = p.number_of_nodes()
    if n < 3:
        return float("nan")
    deg = np.array([d for _, d in p.degree()])
    return float((deg.max() - deg).sum() / ((n - 1) * (n - 2)))


def cut_off(p: nx.Graph, nodes: list[str]) -> int:
    """Nodes of ``p`` outside the largest connected component once ``nodes`` are removed
    (the removed nodes themselves not counted)."""
    rest = p.copy()
    rest.remove_nodes_from(nodes)
    if not rest.number_of_nodes():
        return 0
    return rest.number_of_nodes() - max(len(c) for c in nx.connected_components(rest))


def linked_pairs(p: nx.Graph) -> pd.Series:
    """The weight (forums shared) of every linked pair of states in the projection."""
    return pd.Series([w for _, _, w in p.edges(data="weight")], dtype=float)


def near_all(cent: pd.DataFrame, share: float = NEAR_ALL) -> list[str]:
    """States whose partners are at least ``share`` of the other states of the network."""
    n = len(cent)
    return sorted(cent.index[cent["partners"] >= share * (n - 1)]) if n > 1 else []


def sole_forum(m: pd.DataFrame) -> pd.Series:
    """For each forum with members: states for which it is the only counted forum."""
    active = [f for f in m.columns if m[f].any()]
    only = m[m.sum(axis=1) == 1]
    return pd.Series({f: int(only[f].sum()) for f in active}, dtype=int)


# --- countries, income groups -----------------------------------------------------------------

def country_table(as_of: pd.Timestamp | None, forums: list[str], directory: Path = CURATED) -> pd.DataFrame:
    """Every state of :func:`capacity.universe` with its name, income group (FY2024; 'No data'
    where missing), the participation counts of :func:`capacity.participation` and its centrality
    (zeros and NaN constraint outside the network)."""
    codes = capacity.universe(directory)
    df = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    df["country"] = [countries.name(c) for c in codes]
    df["income_group"] = datasets.indicators()["income_group"].reindex(codes).fillna(datasets.NO_DATA)
    df = df.join(capacity.participation(as_of, forums, codes, directory)[["direct", "via_eu", "reach"]])
    df = df.join(centrality(bipartite(matrix(as_of, forums, directory))))
    zero = ["forums", "partners", "weighted_degree", "betweenness"]
    df[zero] = df[zero].fillna(0)
    df[["forums", "partners", "weighted_degree"]] = df[["forums", "partners", "weighted_degree"]].astype(int)
    df["in_network"] = df["forums"] > 0
    return df


def by_income(df: pd.DataFrame) -> pd.DataFrame:
    """Per income group (:data:`datasets.INCOME_ORDER`, groups without countries dropped):
    countries, countries in the network, their share, and the median number of forums of the
    countries in the network."""
    rows = []
    for g in datasets.INCOME_ORDER:
        sub = df[df["income_group"] == g]
        if sub.empty:
            continue
        net = sub[sub["in_network"]]
        rows.append({"income_group": g, "countries": len(sub), "in_network": len(net),
                     "share_in_network": len(net) / len(sub),
                     "median_forums": net["forums"].median() if len(net) else np.nan})
    return pd.DataFrame(rows, columns=["income_group", "countries", "in_network", "share_in_network", "median_forums"])


# --- statistics over time ---------------------------------------------------------------------

def snapshot(as_of: pd.Timestamp | None, forums: list[str], income: pd.Series,
             directory: Path = CURATED) -> dict:
    """Network statistics on one date; ``income`` maps every country of the universe to its
    income group (its index is the denominator of the low- and middle-income share)."""
    m = matrix(as_of, forums, directory)
    p = projection(bipartite(m))
    n = p.number_of_nodes()
    lmic = set(income.index[income.isin(datasets.LOW_OR_MIDDLE)])
    weighted = pd.Series(dict(p.degree(weight="weight")), dtype=float)
    top = sorted(weighted.index[weighted == weighted.max()]) if n and weighted.max() > 0 else []
    return {
        "countries": n, "forums_active": int(m.any(axis=0).sum()), "links": p.number_of_edges(),
        "density": nx.density(p) if n > 1 else float("nan"),
        "mean_partners": 2 * p.number_of_edges() / n if n else float("nan"),
        "share_multi": float((m.sum(axis=1) >= 2).mean()) if n else float("nan"),
        "lmic_in_network": len(lmic & set(m.index)), "lmic_total": len(lmic),
        "share_lmic": len(lmic & set(m.index)) / len(lmic) if lmic else float("nan"),
        "top_hubs": ", ".join(top), "top_weighted_degree": int(weighted.max()) if n else 0,
        "centralization": centralization(p),
    }


def series_dates(as_of: pd.Timestamp | None, forums: list[str], directory: Path = CURATED) -> list:
    """Year-ends from SERIES_START before the last date, then the last date: ``as_of``, or for
    the latest data (None) the last recorded change of membership (drawn at that date)."""
    if as_of is None:
        changes = governance.change_dates(forums, directory=directory)
        last = max(changes) if changes else pd.Timestamp(f"{SERIES_START}-12-31")
    else:
        last = as_of
    ends = [pd.Timestamp(f"{y}-12-31") for y in range(SERIES_START, last.year + 1)]
    return [d for d in ends if d < last] + [None if as_of is None else last]


def series(as_of: pd.Timestamp | None, forums: list[str], income: pd.Series, focus: list[str] = (),
           directory: Path = CURATED) -> pd.DataFrame:
    """:func:`snapshot` on every date of :func:`series_dates`, with the forums of each ``focus``
    country (columns ``forums_<code>``); ``date`` is the drawing date, ``latest`` marks a final
    point computed on the latest data."""
    dates = series_dates(as_of, forums, directory)
    changes = governance.change_dates(forums, directory=directory)
    rows = []
    for d in dates:
        row = snapshot(d, forums, income, directory)
        m = matrix(d, forums, directory)
        for code in focus:
            row[f"forums_{code}"] = int(m.loc[code].sum()) if code in m.index else 0
        drawn = d if d is not None else (max(changes) if changes else pd.Timestamp(f"{SERIES_START}-12-31"))
        rows.append({"date": drawn, "latest": d is None, **row})
    return pd.DataFrame(rows)


def undated(forums: list[str], directory: Path = CURATED) -> int:
    """Current seats in ``forums`` (active roles) without a start date: they count only for the
    latest data."""
    df = governance.table("memberships", directory)
    df = df[df["forum_id"].isin(forums) & df["role"].isin(governance.ACTIVE_ROLES)]
    return int((df["joined"].isna() & df["left"].isna()).sum())


# --- proposals --------------------------------------------------------------------------------

def proposals(as_of: pd.Timestamp | None, directory: Path = CURATED) -> pd.DataFrame:
    """Events of category 'proposal', and the UN-track steps toward a central place for AI
    governance (category 'un' matching :data:`UN_CENTRAL`), up to ``as_of``; ``kind`` tells
    them apart."""
    ev = governance.timeline(as_of, categories=["proposal", "un"], directory=directory)
    ev = ev[(ev["category"] == "proposal") | ev["title"].str.contains(UN_CENTRAL, regex=True)]
    kind = np.where(ev["category"] == "proposal", "proposal", "UN step")
    return ev.assign(kind=kind).reset_index(drop=True)


# --- layout -----------------------------------------------------------------------------------

def layout(g: nx.Graph, seed: int = LAYOUT_SEED, shrink: float = 0.72, gap: float = 0.05,
           clearance: float = 0.16, iterations: int = 400) -> dict:
    """Positions: forums evenly on the unit circle (in their order); each country at the mean
    position of its forums pulled toward the centre by ``shrink``, then moved apart until no two
    countries are closer than ``gap`` and none is within ``clearance`` of a forum.
    Deterministic: the only randomness is a small jitter from a fixed seed."""
    fs, cs = forum_nodes(g), country_nodes(g)
    if not fs:
        return {}
    if len(fs) == 1:
        fixed = {fs[0]: np.array([0.0, 0.0])}
    else:
        angles = np.pi / 2 - 2 * np.pi * np.arange(len(fs)) / len(fs)
        fixed = {f: np.array([np.cos(a), np.sin(a)]) for f, a in zip(fs, angles)}
    if not cs:
        return fixed
    rng = np.random.default_rng(seed)
    fpos = np.array([fixed[f] for f in fs])
    xy = np.array([np.mean([fixed[f] for f in g.neighbors(c)], axis=0) for c in cs]) * shrink
    xy += rng.normal(0, gap / 4, xy.shape)
    for _ in range(iterations):
        moved = False
        diff = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1]) + np.eye(len(xy))
        push = np.clip(gap - dist, 0, None) / 2
        if push.any():
            xy += (diff / dist[..., None] * push[..., None]).sum(axis=1)
            moved = True
        fd = xy[:, None, :] - fpos[None, :, :]
        fdist = np.hypot(fd[..., 0], fd[..., 1])
        away = np.clip(clearance - fdist, 0, None)
        if away.any():
            xy += (fd / np.maximum(fdist, 1e-9)[..., None] * away[..., None]).sum(axis=1)
            moved = True
        if not moved:
            break
    return {**fixed, **{c: xy[i] for i, c in enumerate(cs)}}
