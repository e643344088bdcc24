"""The AI summits' texts and who signed them, the AI safety institutes and their international
network, and how wide each circle reaches: tables cut at ``as_of``.

Everything is read from the curated tables through :mod:`aigov.governance`, with the same
conservative reading of partial dates (a date known only to the month counts once that month
is over). A document whose forum has ``coverage`` = partial holds only the signatories a
source confirmed: a country missing from it is *not recorded*, never *did not sign*.
"""
import re
from dataclasses import dataclass

import pandas as pd

from . import countries, datasets
from . import governance as G
from .curated import parse_date, period_end

# The summit series in order; a summit's documents are those adopted there.
SUMMITS = {"Bletchley": ["bletchley_declaration"],
           "Seoul": ["seoul_declaration", "seoul_ministerial_statement"],
           "Paris": ["paris_statement"],
           "New Delhi": ["new_delhi_declaration"]}
# The summits' documents, then the one binding treaty on AI, for contrast.
DOCUMENTS = [f for fs in SUMMITS.values() for f in fs] + ["coe_ai_convention"]
NETWORK = "aisi_network"
NETWORK_CIRCLE = "Institutes' network"
SIGNED, SECONDARY, NOT_SIGNED, NOT_RECORDED = "signed", "signed (secondary source)", "not signed", "not recorded"


def _ended(value: str | None, as_of: pd.Timestamp | None) -> bool:
    """True when a (possibly partial) date had certainly passed on ``as_of``."""
    end = period_end(value)
    return end is not None and (as_of is None or end <= as_of)


def _forums() -> pd.DataFrame:
    return G.table("forums").set_index("forum_id")


def documents(as_of: pd.Timestamp | None, forum_ids: list[str] = DOCUMENTS) -> pd.DataFrame:
    """One row per document: short name, date, summit (None for the treaty), whether it was
    adopted by ``as_of``, coverage, signatories (all, states, and those resting on a secondary
    source) on ``as_of``, and the official count with its date."""
    forums = _forums()
    summit_of = {f: s for s, fs in SUMMITS.items() for f in fs}
    rows = []
    for f in forum_ids:
        signed = G.members(f, as_of)
        row = forums.loc[f]
        rows.append({
            "forum_id": f, "document": row["short_name"], "summit": summit_of.get(f),
            "date_text": row["founded"], "date": parse_date(row["founded"]), "adopted": _ended(row["founded"], as_of),
            "coverage": row["coverage"], "coverage_note": row["coverage_note"],
            "signatories": len(signed), "states": sum(c not in countries.NON_STATE for c in signed),
            "secondary": len(G.secondary(f, as_of)),
            "official_count": row["official_count"], "official_count_date": row["official_count_date"],
            "source_url": row["source_url"],
        })
    return pd.DataFrame(rows)


def signature_matrix(as_of: pd.Timestamp | None, forum_ids: list[str] = DOCUMENTS) -> pd.DataFrame:
    """Long table, one row per signatory and adopted document: member, country, forum_id,
    document, status (signed / signed from a secondary source / not signed / not recorded, the
    last where the document's list is partial) and the date signed.

    Rows are the members that signed at least one document adopted by ``as_of``; documents not
    yet adopted are left out. Empty (with the columns) when none was adopted."""
    docs = documents(as_of, forum_ids)
    docs = docs[docs["adopted"]]
    cols = ["member", "country", "forum_id", "document", "status", "signed"]
    rows = G.memberships(as_of)
    rows = rows[rows["forum_id"].isin(docs["forum_id"])].set_index(["member", "forum_id"])
    out = []
    for m in sorted(set(rows.index.get_level_values("member"))):
        for d in docs.itertuples():
            if (m, d.forum_id) in rows.index:
                row = rows.loc[(m, d.forum_id)]
                status = SECONDARY if row["evidence"] == "secondary" else SIGNED
                joined = row["joined"] if isinstance(row["joined"], str) else None
            else:
                status, joined = (NOT_RECORDED if d.coverage == "partial" else NOT_SIGNED), None
            out.append({"member": m, "country": countries.name(m), "forum_id": d.forum_id,
                        "document": d.document, "status": status, "signed": joined})
    return pd.DataFrame(out, columns=cols)


def matrix_wide(long: pd.DataFrame) -> pd.DataFrame:
    """The signature matrix as one row per member: each document's cell is the date signed
    ('date unknown' if none) or the status; members ordered by documents signed."""
    if long.empty:
        return pd.DataFrame(columns=["member", "country", "documents_signed"])
    signed = long["status"].isin([SIGNED, SECONDARY])
    cell = long["signed"].fillna("date unknown").where(signed, long["status"])
    wide = long.assign(cell=cell).pivot(index=["member", "country"], columns="forum_id", values="cell")
    wide = wide[list(dict.fromkeys(long["forum_id"]))]
    wide.columns.name = None
    n = long[signed].groupby("member").size()
    wide = wide.reset_index()
    wide.insert(2, "documents_signed", wide["member"].map(n).fillna(0).astype(int))
    return wide.sort_values(["documents_signed", "country"], ascending=[False, True]).reset_index(drop=True)


def stated_non_signers(forum_id: str) -> str:
    """The clause of a forum's free-text note that names non-signers ('' if none): the only
    place the curated data records a refusal to sign, since memberships list signatures only."""
    note = _forums().loc[forum_id, "note"]
    if not isinstance(note, str):
        return ""
    clauses = [c.strip().rstrip(".") for c in re.split(r"[;.]\s+", note)]
    return next((c for c in clauses if re.search(r"\b(did|does) not sign", c)), "")


def summits_held(as_of: pd.Timestamp | None) -> list[str]:
    """The summits at which at least one document had been adopted by ``as_of``, in order."""
    forums = _forums()
    return [s for s, fs in SUMMITS.items() if any(_ended(forums.loc[f, "founded"], as_of) for f in fs)]


def summit_signers(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """One row per member that signed a document at a summit held by ``as_of``: a True/False
    column per summit (signed any of its documents), ``summits`` (how many) and
    ``secondary_only`` (every one of those signatures rests on a secondary source)."""
    held = summits_held(as_of)
    rows = G.memberships(as_of)
    rows = rows[rows["forum_id"].isin([f for s in held for f in SUMMITS[s]])]
    summit_of = {f: s for s, fs in SUMMITS.items() for f in fs}
    table = pd.crosstab(rows["member"], rows["forum_id"].map(summit_of)).reindex(columns=held, fill_value=0) > 0
    table.columns.name = None
    table["summits"] = table[held].sum(axis=1).astype(int)
    table["secondary_only"] = rows.groupby("member")["evidence"].agg(lambda e: bool((e == "secondary").all()))
    return table.rename_axis("member").reset_index()


def short_label(name: str) -> str:
    """'AI Safety Institute (UK AISI)' -> 'UK AISI'; a long parenthesis keeps the name before it."""
    if not name.endswith(")") or " (" not in name:
        return name
    head, inner = name[:-1].split(" (", 1)
    return inner if len(inner) <= 12 else head


def institutes(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Institutes announced or launched by ``as_of``; later steps (launch, renaming) are blanked
    when they came after it. Dates as text (``*_text``) and as the first day of their period."""
    df = G.table("safety_institutes")
    for col in ["announced", "launched", "renamed"]:
        df[col] = df[col].where(df[col].map(lambda v: _ended(v, as_of)))
    df["renamed_to"] = df["renamed_to"].where(df["renamed"].notna())
    df = df[df["announced"].notna() | df["launched"].notna()].copy()
    for col in ["announced", "launched", "renamed"]:
        df[f"{col}_text"] = df[col]
        df[col] = df[col].map(parse_date)
    df["first"] = df[["announced", "launched"]].min(axis=1)
    df["country"] = df["member"].map(countries.name)
    df["label"] = df["name"].map(short_label)
    return df.sort_values(["first", "institute_id"]).reset_index(drop=True)


def institute_events(inst: pd.DataFrame) -> pd.DataFrame:
    """One row per dated step of each institute: institute_id, country, member, event
    (announced / launched / renamed), date (first day of its period), date_text, detail."""
    rows = []
    for r in inst.itertuples():
        for event in ["announced", "launched", "renamed"]:
            when = getattr(r, f"{event}_text")
            if isinstance(when, str):
                rows.append({"institute_id": r.institute_id, "country": r.country, "member": r.member,
                             "event": event, "date": getattr(r, event), "date_text": when,
                             "detail": r.renamed_to if event == "renamed" else r.host})
    df = pd.DataFrame(rows, columns=["institute_id", "country", "member", "event", "date", "date_text", "detail"])
    return df.assign(date=pd.to_datetime(df["date"]))


@dataclass(frozen=True)
class NetworkStatus:
    announced: pd.Timestamp | None      # first recorded event of the network (the commitment)
    announced_title: str
    convened: pd.Timestamp | None       # first day members are recorded (first convening)
    convened_title: str                 # the network's event on that day, if recorded
    members: list[str]

    @property
    def stage(self) -> str:
        if self.members:
            return "convened"
        return "announced" if self.announced is not None else "not announced"


def network_status(as_of: pd.Timestamp | None) -> NetworkStatus:
    """Where the international network of AI safety institutes stood on ``as_of``."""
    events = G.timeline(as_of, forums=[NETWORK])
    first = events.iloc[0] if len(events) else None
    rows = G.table("memberships")
    joined = [d for d in rows.loc[rows["forum_id"] == NETWORK, "joined"].map(period_end).dropna()
              if as_of is None or d <= as_of]
    convened = min(joined) if joined else None
    on_day = events[events["start"] == convened] if convened is not None else events.iloc[0:0]
    return NetworkStatus(
        announced=first["start"] if first is not None else None,
        announced_title=first["title"] if first is not None else "",
        convened=convened, convened_title=on_day["title"].iloc[0] if len(on_day) else "",
        members=G.members(NETWORK, as_of),
    )


def network_members(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Members of the network on ``as_of``: country, G7 and OECD membership, income group, and
    the institute (if any) that the institutes table lists for the member."""
    members = G.members(NETWORK, as_of)
    g7, oecd = set(G.members("g7", as_of)), set(G.members("oecd", as_of))
    income = datasets.indicators()["income_group"]
    inst = institutes(as_of).drop_duplicates("member").set_index("member")["label"]
    return pd.DataFrame({
        "member": members, "country": [countries.name(m) for m in members],
        "g7": [m in g7 for m in members], "oecd": [m in oecd for m in members],
        "income_group": [income.get(m) if m not in countries.NON_STATE else None for m in members],
        "institute": [inst.get(m) for m in members],
    }, columns=["member", "country", "g7", "oecd", "income_group", "institute"])


def map_status(as_of: pd.Timestamp | None) -> dict[str, str]:
    """ISO3 -> 'network' (member in its own right), 'institute' (an institute or equivalent
    but not a network member), 'via_eu' (EU member state, the EU being a network member)."""
    members = G.members(NETWORK, as_of)
    status = {m: "network" for m in members}
    for m in institutes(as_of)["member"]:
        status.setdefault(m, "institute")
    for m, how in G.with_eu_states(members, as_of).items():
        status.setdefault(m, how)
    return {k: v for k, v in status.items() if k not in countries.NON_STATE}


def circles(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """The circles compared: each summit held by ``as_of`` (signatories of any of its
    documents), the network, the G7 and the OECD; empty circles left out. Columns circle, kind
    (summit / network / club), partial (a list it rests on is partial), members (codes)."""
    forums = _forums()
    rows = [{"circle": s, "kind": "summit", "partial": any(forums.loc[f, "coverage"] == "partial" for f in fs),
             "members": sorted(set().union(*(G.members(f, as_of) for f in fs)))}
            for s, fs in SUMMITS.items() if s in summits_held(as_of)]
    rows.append({"circle": NETWORK_CIRCLE, "kind": "network", "partial": False, "members": G.members(NETWORK, as_of)})
    rows += [{"circle": forums.loc[f, "short_name"], "kind": "club", "partial": forums.loc[f, "coverage"] == "partial",
              "members": G.members(f, as_of)} for f in ["g7", "oecd"]]
    df = pd.DataFrame(rows, columns=["circle", "kind", "partial", "members"])
    return df[df["members"].map(len) > 0].reset_index(drop=True)


def profile(circle: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per circle: members, states, the world shares of population and GDP of its member states
    (the EU counts as one member, not for its states) and with the EU's states added, its
    states per World Bank income group, and the low- or middle-income share of those classified;
    a last row 'World' for all economies with data."""
    ind = datasets.indicators()
    order = datasets.INCOME_ORDER
    rows = []
    for r in circle.itertuples():
        states = [c for c in r.members if c not in countries.NON_STATE]
        eu_states = [c for c, how in G.with_eu_states(r.members, as_of).items() if how == "via_eu"]
        groups = pd.Series([ind["income_group"].get(c) for c in states], dtype=object).fillna(datasets.NO_DATA)
        rows.append({
            "circle": r.circle, "kind": r.kind, "partial": r.partial, "members": len(r.members), "states": len(states),
            "population_share": G.world_share(states, "population"),
            "population_share_with_eu": G.world_share(states + eu_states, "population"),
            "gdp_share": G.world_share(states, "gdp"), "gdp_share_with_eu": G.world_share(states + eu_states, "gdp"),
            **{g: int((groups == g).sum()) for g in order},
        })
    world = ind["income_group"].dropna()
    rows.append({"circle": "World", "kind": "world", "partial": False, "members": len(world), "states": len(world),
                 "population_share": 1.0, "population_share_with_eu": 1.0, "gdp_share": 1.0,
                 "gdp_share_with_eu": 1.0, **{g: int((world == g).sum()) for g in order}})
    df = pd.DataFrame(rows)
    classified = df[datasets.INCOME_GROUPS].sum(axis=1)
    df["low_or_middle_share"] = (df[datasets.LOW_OR_MIDDLE].sum(axis=1) / classified.where(classified > 0)).fillna(0.0)
    return df


# Governments the source documents name (checked in the claims ledger).
SEED_FOUNDERS = ["USA", "GBR", "JPN", "CAN", "SGP", "EUU"]
SEED_INSTITUTES = ["GBR", "USA", "KOR", "CAN", "FRA", "EUU", "SGP"]
