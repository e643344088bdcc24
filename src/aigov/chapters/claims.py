"""Chapter 7, the claims ledger: every claim of the source documents, the paper's arguments as
computed tests, and their verdicts."""
import re

import pandas as pd
from pybtex.database import parse_file

from .. import claims, governance, params, readlog, report, style
from ..curated import chapter_titles
from ..paths import BOOK
from ..text import escape, link



def _bib(key: str, entries) -> dict:
    e = entries[key]
    plain = lambda v: re.sub(r"[{}]", "", v)  # noqa: E731
    people = [plain(" ".join(p.last_names)) for p in e.persons.get("author", [])]
    by = ", ".join(people[:-1]) + " and " + people[-1] if len(people) > 1 else "".join(people)
    by = by or plain(e.fields.get("author", "")) or "not named"
    if e.fields.get("institution"):
        by += f" ({plain(e.fields['institution'])})"
    return {"title": plain(e.fields.get("title", "")), "by": by, "url": e.fields.get("url", ""),
            "date": " ".join(x for x in (e.fields.get("month", ""), e.fields.get("year", "")) if x) or "not given"}


def sources(table: pd.DataFrame) -> pd.DataFrame:
    """The five documents from the bibliography, with their claims and verdicts counted."""
    path = BOOK / "references.bib"
    readlog.record(path, readlog.sha256_file(path))
    entries = parse_file(path).entries
    rows = []
    for seed, (label, key) in claims.SOURCES.items():
        mine = table[table["seed"] == seed]["verdict"].value_counts()
        rows.append({"seed": seed, "label": label, **_bib(key, entries), "claims": int(mine.sum()),
                     **{v: int(mine.get(v, 0)) for v in (claims.CONFIRMED, claims.DIFFERS, claims.UNCHECKED)}})
    return pd.DataFrame(rows)


def facts(table: pd.DataFrame, as_of: pd.Timestamp | None) -> dict:
    def count(rows, verdict=None):
        return int(len(rows) if verdict is None else (rows["verdict"] == verdict).sum())
    args, fact = table[table["kind"] == "argument"], table[table["kind"] == "fact"]
    paper = table[table["seed"] == "001"]
    return {
        "as_of_label": params.label(as_of), **governance.shared_facts(as_of),
        "n_claims": count(table), "n_sources": table["seed"].nunique(),
        "n_confirmed": count(table, claims.CONFIRMED), "n_differs": count(table, claims.DIFFERS),
        "n_unchecked": count(table, claims.UNCHECKED),
        "n_checkable": count(table) - count(table, claims.UNCHECKED),
        "n_facts": count(fact), "n_facts_confirmed": count(fact, claims.CONFIRMED),
        "n_facts_differs": count(fact, claims.DIFFERS), "n_facts_unchecked": count(fact, claims.UNCHECKED),
        "n_args": count(args), "n_args_confirmed": count(args, claims.CONFIRMED),
        "n_args_differs": count(args, claims.DIFFERS), "n_args_unchecked": count(args, claims.UNCHECKED),
        "n_paper": count(paper), "n_paper_confirmed": count(paper, claims.CONFIRMED),
        "args_differ": "; ".join(args.loc[args["verdict"] == claims.DIFFERS, "claim"]) or "none",
        "args_unchecked": "; ".join(args.loc[args["verdict"] == claims.UNCHECKED, "claim"]) or "none",
    }


def _chapter_link(chapter: str, titles: dict[str, str]) -> str:
    return link(titles.get(chapter, chapter), f"{chapter}.ipynb")


def _argument(r, label: str, titles: dict[str, str]) -> str:
    """One argument as a numbered item: claim and source, test, threshold, result, verdict, chapter."""
    return (f"1. **{escape(r.claim)}** ({escape(label)}). *Test:* {escape(r.rule)}. *Threshold:* "
            f"{escape(r.claimed)}. *Result:* {escape(r.data)}" + (f" ({escape(r.detail)})" if r.detail else "")
            + f". *Verdict:* **{escape(r.verdict)}**. Data: {_chapter_link(r.chapter, titles)}.")


def publish(as_of: pd.Timestamp | None) -> dict:
    table = claims.ledger(as_of=as_of)
    out = report.glue_facts(facts(table, as_of))
    titles = chapter_titles()
    src = sources(table)
    report.markdown("claims-sources", style.md_table(pd.DataFrame({
        "Source": [link(t, u) if u else escape(t) for t, u in zip(src["title"], src["url"])],
        "Short name": src["label"].map(escape), "Author": src["by"].map(escape), "Date": src["date"].map(escape),
        "Claims": src["claims"], "Confirmed": src[claims.CONFIRMED], "Differs": src[claims.DIFFERS],
        "Not checkable": src[claims.UNCHECKED],
    }), "The five source documents and their claims in the ledger", "claims-sources", raw=True))
    label = dict(zip(src["seed"], src["label"]))
    args = table[table["kind"] == "argument"]
    report.markdown("claims-arguments", "\n".join(_argument(r, label[r.seed], titles) for r in args.itertuples()) + "\n")
    fact = table[table["kind"] == "fact"]
    shown = claims.for_reader(fact)
    notes = [escape(n) if isinstance(n, str) else "" for n in fact["note"]]
    notes = [f"{n} {link('Source', u)}." if isinstance(u, str) else n for n, u in zip(notes, fact["source_url"])]
    report.markdown("claims-ledger", style.md_table(pd.DataFrame({
        "Source": fact["seed"].map(label).map(escape), "Claim": shown["Claim"].map(escape),
        "Claimed": shown["Claimed"].map(escape), "Data": shown["Data"].map(escape),
        "Verdict": shown["Verdict"].map(escape), "Chapter": fact["chapter"].map(lambda c: _chapter_link(c, titles)),
        "Note": notes,
    }), "Each factual claim of the source documents against the curated data", "claims-ledger", raw=True))
    return out
