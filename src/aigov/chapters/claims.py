"""Chapter 7, the claims ledger: every checkable claim of the source documents and its verdict."""
import pandas as pd

from .. import claims, governance, params, report

# The source documents, as the ledger names them (file numbers are the seeds' own).
SOURCES = {
    "000": "Blog post on a call for a US-led AI alliance",
    "001": "Brookings paper (machine translation)",
    "002": "News report on the AI Seoul Summit",
    "003": "Xinhua commentary on an AI governance action community",
    "004": "Article on China's proposed World AI Cooperation Organization",
}


def facts(table: pd.DataFrame, as_of: pd.Timestamp | None) -> dict:
    tally = table["class"].value_counts()
    return {
        "as_of_label": params.label(as_of), **governance.shared_facts(as_of),
        "n_claims": len(table), "n_sources": table["seed"].nunique(),
        "n_confirmed": int(tally.get("confirmed", 0)), "n_differs": int(tally.get("differs", 0)),
        "n_unchecked": int(tally.get("not checkable", 0)),
        "n_checkable": int(tally.get("confirmed", 0) + tally.get("differs", 0)),
        "n_paper": int((table["seed"] == "001").sum()),
        "n_paper_confirmed": int(((table["seed"] == "001") & (table["class"] == "confirmed")).sum()),
    }


def publish(as_of: pd.Timestamp | None) -> dict:
    table = claims.all_claims(as_of)
    out = report.glue_facts(facts(table, as_of))
    show = table.assign(source=table["seed"].map(SOURCES).fillna(table["seed"]))
    cols = {"source": "Source", "claim": "Claim", "paper": "Claimed", "data": "Data", "verdict": "Verdict",
            "note": "Note"}
    report.table("claims-ledger", show[list(cols)].rename(columns=cols),
                 "Each checkable claim of the source documents against the curated data.")
    return out
