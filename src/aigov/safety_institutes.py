"""Section "Safety institutes": the summit documents and who signed them, the AI safety
institutes and their International Network, and how wide each circle reaches.

Everything is read from the curated tables through :mod:`aigov.governance`, cut at ``as_of``
with the same conservative reading of partial dates (a date known only to the month counts
once that month is over). A document whose forum has ``coverage`` = partial holds only the
signatories a source confirmed: a country missing from it is *not recorded*, never *did not sign*.
"""
import re
from dataclasses import dataclass

import pandas as pd

from . import countries, datasets, params
from . import governance as G
from .curated import parse_date, period_end
from .text import date, listing

DOCUMENTS = ["bletchley_declaration", "seoul_declaration", "seoul_ministerial_statement",
             "paris_statement", "coe_ai_convention"]
# The summit series in order; a stage is the set of documents adopted at one summit.
STAGES = {"Bletchley": ["bletchley_declaration"],
          "Seoul": ["seoul_declaration", "seoul_ministerial_statement"],
          "Paris": ["paris_statement"]}
NETWORK = "aisi_network"
SIGNED, NOT_SIGNED, NOT_RECORDED = "signed", "not signed", "not in the partial list"
INCOME_ORDER = datasets.INCOME_ORDER
LOW_OR_MIDDLE = datasets.LOW_OR_MIDDLE
SUMMIT_CIRCLE = "Safety summits (any complete text)"


def _ended(value: str | None, as_of: pd.Timestamp | None) -> bool:
    """True when a (possibly partial) date had certainly passed on ``as_of``."""
    end = period_end(value)
    return end is not None and (as_of is None or end <= as_of)


def _forums() -> pd.DataFrame:
    return G.table("forums").set_index("forum_id")


def documents(as_of: pd.Timestamp | None, forum_ids: list[str] = DOCUMENTS) -> pd.DataFrame:
    """One row per document: its short name, date, whether it was adopted by ``as_of``, its
    coverage, and its signatories (all, and states) on ``as_of``."""
    forums = _forums()
    rows = []
    for f in forum_ids:
        signed = G.members(f, as_of)
        rows.append({
            "forum_id": f, "document": forums.loc[f, "short_name"], "date_text": forums.loc[f, "founded"],
            "date": parse_date(forums.loc[f, "founded"]), "adopted": _ended(forums.loc[f, "founded"], as_of),
            "coverage": forums.loc[f, "coverage"], "coverage_note": forums.loc[f, "coverage_note"],
            "signatories": len(signed), "states": sum(c not in countries.NON_STATE for c in signed),
        })
    return pd.DataFrame(rows)


def signature_matrix(as_of: pd.Timestamp | None, forum_ids: list[str] = DOCUMENTS) -> pd.DataFrame:
    """Long table, one row per signatory and adopted document: member, country, forum_id,
    document, status (signed / not signed / not in the partial list), the date signed and the
    evidence grade of the signature's source.

    Rows are the members that signed at least one document adopted by ``as_of``; documents not
    yet adopted are left out. Empty (with the columns) when none was adopted."""
    docs = documents(as_of, forum_ids)
    docs = docs[docs["adopted"]]
    cols = ["member", "country", "forum_id", "document", "status", "signed", "evidence"]
    if docs.empty:
        return pd.DataFrame(columns=cols)
    rows = G.memberships(as_of)
    rows = rows[rows["forum_id"].isin(docs["forum_id"])].set_index(["member", "forum_id"])
    members = sorted(set(rows.index.get_level_values("member")))
    out = []
    for m in members:
        for d in docs.itertuples():
            if (m, d.forum_id) in rows.index:
                row = rows.loc[(m, d.forum_id)]
                status, date, evidence = SIGNED, row["joined"], row["evidence"]
            else:
                status, date, evidence = (NOT_RECORDED if d.coverage == "partial" else NOT_SIGNED), None, None
            out.append({"member": m, "country": countries.name(m), "forum_id": d.forum_id,
                        "document": d.document, "status": status,
                        "signed": date if isinstance(date, str) else None, "evidence": evidence})
    return pd.DataFrame(out, columns=cols)


def matrix_wide(long: pd.DataFrame) -> pd.DataFrame:
    """The signature matrix as one row per member: each document's cell is the date signed
    ('date unknown' if the row has none) or the status; members ordered by documents signed."""
    if long.empty:
        return pd.DataFrame(columns=["member", "country", "documents_signed"])
    cell = long.apply(lambda r: (r["signed"] or "date unknown") if r["status"] == SIGNED else r["status"], axis=1)
    wide = long.assign(cell=cell).pivot(index=["member", "country"], columns="forum_id", values="cell")
    wide = wide[list(dict.fromkeys(long["forum_id"]))]
    wide.columns.name = None
    n = long[long["status"] == SIGNED].groupby("member").size()
    wide = wide.reset_index()
    wide.insert(2, "documents_signed", wide["member"].map(n).fillna(0).astype(int))
    return wide.sort_values(["documents_signed", "country"], ascending=[False, True]).reset_index(drop=True)


def transitions(as_of: pd.Timestamp | None, stages: dict[str, list[str]] = STAGES) -> pd.DataFrame:
    """Between consecutive summits held by ``as_of``: who signed at the earlier one (any of its
    documents) and not at the later one, and who is new. ``change`` is 'did not sign' when the
    later stage's lists are complete, 'not in the partial list' when one of them is partial, or
    'new'."""
    forums = _forums()
    held = [s for s, fs in stages.items() if any(_ended(forums.loc[f, "founded"], as_of) for f in fs)]
    rows = []
    for a, b in zip(held, held[1:]):
        before = set().union(*(G.members(f, as_of) for f in stages[a]))
        after = set().union(*(G.members(f, as_of) for f in stages[b]))
        partial = any(forums.loc[f, "coverage"] == "partial" for f in stages[b])
        for m in sorted(before - after):
            rows.append({"from": a, "to": b, "member": m, "change": NOT_RECORDED if partial else "did not sign"})
        for m in sorted(after - before):
            rows.append({"from": a, "to": b, "member": m, "change": "new"})
    df = pd.DataFrame(rows, columns=["from", "to", "member", "change"])
    df.insert(3, "country", df["member"].map(countries.name))
    return df


def stated_non_signers(forum_id: str) -> str:
    """The clause of a forum's free-text note that names non-signers ('' if none): the only
    place the curated data records a refusal to sign, since memberships list signatures only."""
    note = _forums().loc[forum_id, "note"]
    if not isinstance(note, str):
        return ""
    clauses = [c.strip().rstrip(".") for c in re.split(r"[;.]\s+", note)]
    return next((c for c in clauses if re.search(r"\b(did|does) not sign", c)), "")


def short_label(name: str) -> str:
    """'AI Safety Institute (UK AISI)' -> 'UK AISI'; a long parenthesis keeps the name before it."""
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", name)
    if not m:
        return name
    return m.group(2) if len(m.group(2)) <= 12 else m.group(1)


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
    df["label"] = df["country"] + ": " + df["name"].map(short_label)
    return df.sort_values(["first", "institute_id"]).reset_index(drop=True)


def institute_events(inst: pd.DataFrame) -> pd.DataFrame:
    """One row per dated step of each institute: institute_id, label, member, event
    (announced / launched / renamed), date (first day of its period), date_text, detail."""
    rows = []
    for r in inst.itertuples():
        for event in ["announced", "launched", "renamed"]:
            text = getattr(r, f"{event}_text")
            if isinstance(text, str):
                rows.append({"institute_id": r.institute_id, "label": r.label, "member": r.member,
                             "event": event, "date": getattr(r, event), "date_text": text,
                             "detail": r.renamed_to if event == "renamed" else r.host})
    return pd.DataFrame(rows, columns=["institute_id", "label", "member", "event", "date", "date_text", "detail"])


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
    """Where the International Network of AI Safety Institutes stood on ``as_of``."""
    events = G.timeline(as_of)
    events = events[events["forum_id"] == NETWORK]
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


def circles(as_of: pd.Timestamp | None) -> dict[str, list[str]]:
    """The circles compared: the safety summits' (signatories of any complete summit document),
    each summit document, the network, the G7, the OECD and their union. Empty circles left out;
    a partial document's label says so."""
    forums = _forums()
    docs = documents(as_of, [f for fs in STAGES.values() for f in fs])
    docs = docs[docs["adopted"]]
    out: dict[str, list[str]] = {}
    complete = docs[docs["coverage"] == "complete"]["forum_id"]
    out[SUMMIT_CIRCLE] = sorted(set().union(*(G.members(f, as_of) for f in complete)))
    for d in docs.itertuples():
        out[d.document + (" (partial list)" if d.coverage == "partial" else "")] = G.members(d.forum_id, as_of)
    out[forums.loc[NETWORK, "short_name"]] = G.members(NETWORK, as_of)
    g7, oecd = G.members("g7", as_of), G.members("oecd", as_of)
    out["G7"], out["OECD"], out["G7 or OECD"] = g7, oecd, sorted(set(g7) | set(oecd))
    return {k: v for k, v in out.items() if v}


def profile(circle: dict[str, list[str]], as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Per circle: members, states, the world shares of population and GDP of its member states
    (the EU counts as one member, not for its states) and with the EU's states added, and its
    states by World Bank income group; a last row 'World' for all economies with data."""
    ind = datasets.indicators()
    rows = []
    for label, codes in circle.items():
        states = [c for c in codes if c not in countries.NON_STATE]
        eu_states = [c for c, how in G.with_eu_states(codes, as_of).items() if how == "via_eu"]
        groups = pd.Series([ind["income_group"].get(c) for c in states], dtype=object).fillna("No data")
        rows.append({
            "circle": label, "members": len(codes), "states": len(states),
            "population_share": G.world_share(states, "population"),
            "population_share_with_eu": G.world_share(states + eu_states, "population"),
            "gdp_share": G.world_share(states, "gdp"), "gdp_share_with_eu": G.world_share(states + eu_states, "gdp"),
            **{g: int((groups == g).sum()) for g in INCOME_ORDER},
        })
    world = ind["income_group"].dropna()
    rows.append({"circle": "World", "members": len(world), "states": len(world),
                 "population_share": 1.0, "population_share_with_eu": 1.0, "gdp_share": 1.0,
                 "gdp_share_with_eu": 1.0, **{g: int((world == g).sum()) for g in INCOME_ORDER}})
    df = pd.DataFrame(rows)
    classified = df[INCOME_ORDER[:-1]].sum(axis=1)
    df["low_or_middle_share"] = df[LOW_OR_MIDDLE].sum(axis=1) / classified.where(classified > 0)
    return df


# Claims of the seed documents on this topic, checked against the data (see seed_claims).
SEED_FOUNDERS = ["USA", "GBR", "JPN", "CAN", "SGP", "EUU"]
SEED_INSTITUTES = ["GBR", "USA", "KOR", "CAN", "FRA", "EUU", "SGP"]


def _month(ts: pd.Timestamp) -> str:
    return ts.strftime("%B %Y")


def seed_claims(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Each claim of seeds 001 and 002 on the summits and the network: what the data up to
    ``as_of`` says, and a verdict (confirmed / differs / not checkable) computed from it."""
    out = []

    def add(seed, claim, data, verdict):
        out.append({"seed": seed, "claim": claim, "data": data, "verdict": verdict})

    events = G.timeline(as_of)
    bletchley = events[(events["forum_id"] == "bletchley_declaration") & (events["category"] == "summit")]
    claim = "The UK convened the Bletchley AI Safety Summit in October 2023."
    if bletchley.empty:
        add("001", claim, "no Bletchley summit in the events table on that date", "not checkable")
    else:
        day = bletchley["start"].iloc[0]
        add("001", claim, f"summit opened {day:%-d %B %Y} (events table)",
            "confirmed" if (day.year, day.month) == (2023, 10) else f"differs: {_month(day)}")

    docs = documents(as_of).set_index("forum_id")
    claim = "China joined 27 other countries in the Bletchley Declaration but not the Seoul Declaration."
    if not (docs.loc["bletchley_declaration", "adopted"] and docs.loc["seoul_declaration", "adopted"]):
        add("001", claim, "the two declarations had not both been adopted on that date", "not checkable")
    else:
        first_day = parse_date(_forums().loc["bletchley_declaration", "founded"])
        original = [c for c in G.members("bletchley_declaration", first_day) if c not in countries.NON_STATE]
        others = len([c for c in original if c != "CHN"])
        in_b, in_s = "CHN" in original, "CHN" in G.members("seoul_declaration", as_of)
        add("001", claim, f"China {'among' if in_b else 'not among'} the {len(original)} states signing on "
            f"{first_day:%-d %B %Y} ({others} others); China {'a' if in_s else 'not a'} Seoul signatory",
            "confirmed" if in_b and not in_s and others == 27 else "differs")

    inst = institutes(as_of)
    claim = ("Institutes were set up or announced in the UK, the US, Korea, Canada and France, "
             "with the EU AI Office and Singapore's safety function.")
    have = [c for c in SEED_INSTITUTES if c in set(inst["member"])]
    missing = [c for c in SEED_INSTITUTES if c not in have]
    ever = set(institutes(None)["member"])
    add("001", claim, f"{len(have)} of the {len(SEED_INSTITUTES)} in the institutes table on that date"
        + (f"; absent: {', '.join(countries.name(c) for c in missing)}" if missing else ""),
        "confirmed" if not missing else
        "differs" if any(c not in ever for c in missing) else "not checkable")

    status = network_status(as_of)
    claim = ("The founding members of the network are the US, the UK, Japan, Canada, Singapore "
             "and the EU AI Office.")
    if status.convened is None:
        add("002", claim, "no network member recorded on that date", "not checkable")
    else:
        founders = G.members(NETWORK, status.convened)
        extra = [c for c in founders if c not in SEED_FOUNDERS]
        absent = [c for c in SEED_FOUNDERS if c not in founders]
        data = f"{len(founders)} founding members on {status.convened:%-d %B %Y}"
        if extra:
            data += "; also " + ", ".join(countries.name(c) for c in extra)
        if absent:
            data += "; not members: " + ", ".join(countries.name(c) for c in absent)
        verdict = ("confirmed" if not extra and not absent else
                   "differs: incomplete list" if not absent else "differs")
        add("002", claim, data, verdict)

    claim = "Network members will meet in San Francisco later in the year of the Seoul summit (2024)."
    if status.convened is None or not status.convened_title:
        add("002", claim, "the network had not met on that date", "not checkable")
    else:
        place = "San Francisco" in status.convened_title
        same_year = status.announced is not None and status.announced.year == status.convened.year
        add("002", claim, f"first convening {status.convened:%-d %B %Y}: {status.convened_title}",
            "confirmed" if place and same_year else "differs")
    return pd.DataFrame(out, columns=["seed", "claim", "data", "verdict"])


# ---------------------------------------------------------------------------------------------
# Prose: each function turns computed tables into a sentence or two for the book, and says
# plainly when there is nothing to show on the chosen date.

def _share(x: float) -> str:
    return f"{100 * x:.0f}%"


def _names(codes) -> str:
    return listing([countries.name(c) for c in codes])


def _by(as_of: pd.Timestamp | None) -> str:
    return f"By {params.label(as_of)}"


def _neither(docs: list[str]) -> str:
    return f"neither the {docs[0]} nor the {docs[1]}" if len(docs) == 2 else "not the " + listing(docs, "or the")


def _on(as_of: pd.Timestamp | None) -> str:
    return f"on {params.label(as_of)}"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def signatures_text(docs: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    adopted = docs[docs["adopted"]]
    if adopted.empty:
        return (f"None of the {len(docs)} documents followed here had been adopted by {params.label(as_of)}: the series "
                "of AI safety summits had not begun, so there is no signature to show.")
    parts = [f"the {r.document} ({date(r.date_text)}) has {r.signatories} signatories, {r.states} of them "
             f"states{' as far as recorded' if r.coverage == 'partial' else ''}" for r in adopted.itertuples()]
    lead = (f"{_by(as_of)}, {len(adopted)} of the {len(docs)} documents had been adopted: "
            if len(adopted) < len(docs) else f"{_by(as_of)}, all {len(docs)} documents had been adopted: ")
    return lead + "; ".join(parts) + "."


def partial_text(docs: pd.DataFrame) -> str:
    partial = docs[docs["adopted"] & (docs["coverage"] == "partial")]
    if partial.empty:
        return ""
    notes = "; ".join(f"{r.document}: {r.coverage_note}" for r in partial.itertuples())
    return (f"The curated lists for the {listing(partial['document'].tolist())} are incomplete ({notes}). "
            "Where a country is missing from them the matrix says “not in the partial list”, not “not signed”, "
            "and every count that uses them is a lower bound.")


def transitions_text(trans: pd.DataFrame, docs: pd.DataFrame, focus: list[str], as_of: pd.Timestamp | None) -> str:
    by_id = docs.set_index("forum_id")
    held = [s for s, fs in STAGES.items() if by_id.loc[fs, "adopted"].any()]
    if len(held) < 2:
        return ("" if not held else
                f"Only the {held[0]} summit had been held {_on(as_of)}, so no signatory could yet have stayed "
                "away from a later one.")
    out = []
    for a, b in zip(held, held[1:]):
        t = trans[(trans["from"] == a) & (trans["to"] == b)]
        gone, new = t[t["change"] == "did not sign"], t[t["change"] == "new"]
        missing = t[t["change"] == NOT_RECORDED]
        b_list = by_id.loc[STAGES[b], "document"].tolist()
        b_docs = listing(b_list, "or")
        if missing.empty:
            out.append(
                (f"Of the signatories at {a}, {len(gone)} signed nothing at {b} ({_neither(b_list)}): "
                 f"{_names(gone['member'])}. " if len(gone) else
                 f"Every signatory at {a} signed again at {b}. ")
                + (f"{_names(new['member'])} signed at {b} without having signed at {a} by then." if len(new) else ""))
        else:
            shown = [c for c in missing["member"] if c in focus]
            notes = {by_id.loc[f, "document"]: stated_non_signers(f) for f in STAGES[b]}
            notes = {d: n for d, n in notes.items() if n}
            n_b = len(set().union(*(G.members(f, as_of) for f in STAGES[b])))
            out.append(
                f"{len(missing)} signatories at {a} are not among the {n_b} recorded signatories of the {b_docs}"
                + (f", among them {_names(shown)}" if shown else "")
                + ". Because that list is partial, the data cannot tell a refusal from a gap in the record."
                + "".join(f" The only trace of a refusal is the free-text note on the {d} in the forums table, "
                          f"which says that \u201c{n}\u201d; the membership rows can neither confirm nor contradict it."
                          for d, n in notes.items()))
    return " ".join(out)


def focus_text(wide: pd.DataFrame, docs: pd.DataFrame, focus: list[str]) -> str:
    """Per focus country: how many of the adopted documents it signed, and which it did not sign
    or is not recorded as signing."""
    adopted = docs[docs["adopted"]]
    if adopted.empty or not focus:
        return ""
    names = adopted.set_index("forum_id")["document"]
    parts = []
    for code in focus:
        row = wide[wide["member"] == code]
        cell = {f: (row[f].iloc[0] if len(row) else
                    NOT_RECORDED if adopted.set_index("forum_id").loc[f, "coverage"] == "partial" else NOT_SIGNED)
                for f in adopted["forum_id"]}
        n = sum(v not in (NOT_SIGNED, NOT_RECORDED) for v in cell.values())
        gaps = [f"{label} {listing([names[f] for f, v in cell.items() if v == status])}"
                for status, label in [(NOT_SIGNED, "did not sign the"), (NOT_RECORDED, "is not recorded for the")]
                if any(v == status for v in cell.values())]
        parts.append(f"{countries.name(code)} signed {n} of {len(adopted)}"
                     + (f" ({' and '.join(gaps)})" if gaps else ""))
    return "Among the focus countries: " + "; ".join(parts) + "."


def institutes_text(inst: pd.DataFrame, docs: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    if inst.empty:
        return (f"No AI safety institute, or equivalent office, in the curated table had been announced or "
                f"launched by {params.label(as_of)}.")
    first = inst.iloc[0]
    states = inst.loc[~inst["member"].isin(list(countries.NON_STATE)), "member"].nunique()
    eu = " and the EU" if "EUU" in set(inst["member"]) else ""
    text = (f"{_by(as_of)}, the curated table holds {_n(len(inst), 'institute or equivalent office', 'institutes or equivalent offices')}, "
            f"in {_n(states, 'country', 'countries')}{eu}. The first, the {short_label(first['name'])} "
            f"({first['country']}), dates from {first['first']:%-d %B %Y}. ")
    seoul = docs.set_index("forum_id").loc["seoul_declaration"]
    if seoul["adopted"]:
        by = inst[inst["first"] <= seoul["date"]]
        text += f"By the Seoul summit ({date(seoul['date_text'])}), {len(by)} of them had been announced. "
    launched = int(inst["launched"].notna().sum())
    text += (f"{launched} {'has' if launched == 1 else 'have'} a recorded launch"
             + (f"; for the other {len(inst) - launched} only an announcement is on record. " if launched < len(inst)
                else ". "))
    renamed = inst[inst["renamed"].notna()]
    if len(renamed):
        text += ("Renamings: " + "; ".join(f"the {short_label(r.name)} ({r.country}) became the {r.renamed_to} on "
                                          f"{r.renamed:%-d %B %Y}" for r in renamed.itertuples()) + ".")
    return text.strip()


def network_text(status: NetworkStatus, members: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    if status.stage == "not announced":
        return f"No international network of AI safety institutes had been announced by {params.label(as_of)}."
    announced = f"\u201c{status.announced_title}\u201d on {status.announced:%-d %B %Y}"
    if status.stage == "announced":
        return (f"{_on(as_of)[0].upper() + _on(as_of)[1:]}, the network existed only as a commitment; its first "
                f"recorded step is {announced}. No member is recorded yet: the data dates membership from the "
                "network's first convening, which had not taken place.")
    income = members["income_group"]
    lmic = members[income.isin(LOW_OR_MIDDLE)]
    high = int((income == "High Income").sum())
    no_group = members[income.isna()]
    no_inst = members[members["institute"].isna()]
    return (
        f"The network's first recorded step is {announced}; its first convening came on "
        f"{status.convened:%-d %B %Y}. {_on(as_of)[0].upper() + _on(as_of)[1:]} it has "
        f"{len(members)} members: {_names(members['member'])}. "
        f"{int(members['g7'].sum())} of them belong to the G7 (the EU takes part in the G7) and "
        f"{int(members['oecd'].sum())} to the OECD. {high} are high-income and {len(lmic)} low- or middle-income"
        + (f" ({_names(lmic['member'])})" if len(lmic) else "")
        + (f"; the {_names(no_group['member'])} has no income group of its own" if len(no_group) else "") + ". "
        + (f"{_names(no_inst['member'])} {'is a member' if len(no_inst) == 1 else 'are members'} without an "
           "institute in the curated table." if len(no_inst) else
           "Every member has an institute or office in the curated table."))



def circles_text(prof: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    p = prof.set_index("circle")
    if "G7 or OECD" not in p.index:
        return f"Neither the G7 nor the OECD, nor any safety summit, existed by {params.label(as_of)}."
    club, world = p.loc["G7 or OECD"], p.loc["World"]
    club_text = (f"the states of the G7 or the OECD hold {_share(club['population_share'])} of the world's "
                 f"population and {_share(club['gdp_share'])} of its GDP, and "
                 f"{_share(club['low_or_middle_share'])} of them are low- or middle-income, against "
                 f"{_share(world['low_or_middle_share'])} of all {int(world['states'])} economies the World Bank "
                 "classifies")
    if SUMMIT_CIRCLE not in p.index:
        return f"No safety summit had been held by {params.label(as_of)}. For comparison, {club_text}."
    s = p.loc[SUMMIT_CIRCLE]
    wider = "wider" if s["population_share"] > club["population_share"] else "no wider"
    return (f"The {int(s['states'])} states that signed at least one complete summit document hold "
            f"{_share(s['population_share'])} of the world's population and {_share(s['gdp_share'])} of its GDP, "
            f"and {_share(s['low_or_middle_share'])} of them are low- or middle-income. The summit circle is thus "
            f"{wider} than the G7/OECD circle: {club_text}.")


def claims_text(claims: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    verdict = claims["verdict"].str.split(":").str[0]
    c, d, x = (int((verdict == v).sum()) for v in ["confirmed", "differs", "not checkable"])
    return (f"Of the {len(claims)} claims, {c} {'is' if c == 1 else 'are'} confirmed by the data, {d} "
            f"{'differs' if d == 1 else 'differ'} from it and {x} cannot be checked with the data "
            f"{'as curated' if as_of is None else 'up to ' + format(as_of, '%-d %B %Y')}.")


LANDMARKS = {"bletchley_declaration": "Bletchley", "seoul_declaration": "Seoul", "paris_statement": "Paris"}


def landmarks(as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Dates to mark on the institutes' timeline: the opening of each summit (events table)
    and the network's first convening, up to ``as_of``: columns date, label."""
    ev = G.timeline(as_of)
    ev = ev[ev["forum_id"].isin(list(LANDMARKS)) & (ev["category"] == "summit")]
    ev = ev.sort_values("start").drop_duplicates("forum_id")
    rows = [{"date": r.start, "label": LANDMARKS[r.forum_id]} for r in ev.itertuples()]
    status = network_status(as_of)
    if status.convened is not None:
        rows.append({"date": status.convened, "label": "network meets"})
    return pd.DataFrame(rows, columns=["date", "label"]).sort_values("date").reset_index(drop=True)


def takeaway(docs: pd.DataFrame, trans: pd.DataFrame, status: NetworkStatus, members: pd.DataFrame,
             prof: pd.DataFrame, as_of: pd.Timestamp | None) -> str:
    """The chapter's closing paragraph, from the numbers computed above."""
    p = prof.set_index("circle")
    if SUMMIT_CIRCLE not in p.index:
        return (f"{_on(as_of)[0].upper() + _on(as_of)[1:]}, the safety track this chapter follows had not yet "
                "started: no summit document had been adopted, no institute in the curated table announced and no "
                "network promised. Of the circles compared here, only the older ones can be measured.")
    s = p.loc[SUMMIT_CIRCLE]
    first = docs[docs["adopted"]].iloc[0]
    gone = trans[trans["change"] == "did not sign"]
    text = (f"The summits cast a wide net: the {first['document']} alone gathered {first['states']} states, and "
            f"{_share(s['low_or_middle_share'])} of the states in the summit circle are low- or middle-income. "
            + (f"The circle is not fixed, though: {_n(gone['member'].nunique(), 'signatory', 'signatories')} of an "
               "earlier text did not sign the next one for which the record is complete. " if len(gone) else ""))
    if status.stage != "convened":
        return text + ("The working core that was to grow out of the summits, a network of national institutes, "
                       f"had been promised but had not met {_on(as_of)}.")
    net_label = _forums().loc[NETWORK, "short_name"]
    n_lmic = int(members["income_group"].isin(LOW_OR_MIDDLE).sum())
    lmic = {c: p.loc[c, "low_or_middle_share"] for c in [net_label, SUMMIT_CIRCLE, "G7 or OECD"]}
    closer = abs(lmic[net_label] - lmic["G7 or OECD"]) < abs(lmic[net_label] - lmic[SUMMIT_CIRCLE])
    return text + (
        f"The network that grew out of them is far narrower: {len(members)} members, "
        f"{int(members['g7'].sum())} of them in the G7, holding {_share(p.loc[net_label, 'population_share'])} of "
        f"the world's population, with {_n(n_lmic, 'low- or middle-income member', 'low- or middle-income members')}. "
        "In this corner of AI governance the data shows national bodies that coordinate without a centre, as the "
        "networked reading expects; by income, though, the network's members look more like "
        + ("the G7 and the OECD than like the summits' wider circle." if closer else
           "the summits' wider circle than like the G7 and the OECD."))


def landmark_phrase(marks: pd.DataFrame) -> str:
    """How the timeline's dashed lines read in a caption."""
    summits = [lab for lab in marks["label"] if lab in LANDMARKS.values()]
    parts = ([f"the opening of the {listing(summits)} summit{'s' if len(summits) > 1 else ''}"] if summits else []) \
        + (["the network's first meeting"] if "network meets" in set(marks["label"]) else [])
    return listing(parts)


def network_name() -> str:
    """The network's official name (forums.csv), which records its renaming."""
    return _forums().loc[NETWORK, "name"]
