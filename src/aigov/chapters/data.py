"""The data page: external datasets, curated tables, coverage and evidence, dictionary, notes."""
import pandas as pd

from .. import datapage, governance, report
from ..curated import TABLES, data_as_of
from ..paths import CURATED


def facts(tables: dict, coverage: pd.DataFrame, n_datasets: int, n_domains: int) -> dict:
    graded = pd.concat([tables[t]["evidence"] for t in ("memberships", "events", "safety_institutes")])
    return {
        "n_datasets": n_datasets, "n_tables": len(tables), "n_curated_rows": sum(len(df) for df in tables.values()),
        "data_as_of": f"{data_as_of():%-d %B %Y}", "n_domains": n_domains, "n_graded": len(graded),
        "n_official": int((graded == "official").sum()), "n_copy": int((graded == "official-copy").sum()),
        "n_secondary": int((graded == "secondary").sum()),
        "n_complete": int((coverage["coverage"] == "complete").sum()),
        "data_n_partial": int((coverage["coverage"] == "partial").sum()),
        "n_recorded_forums": int((coverage["coverage"] != "not_recorded").sum()),
    }


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    shown = coverage[coverage["coverage"] != "not_recorded"]
    return pd.DataFrame({
        "Forum": shown["forum"], "Coverage": shown["coverage"],
        "Official count": [f"{int(n)} ({d})" if pd.notna(n) else "none"
                           for n, d in zip(shown["official_count"], shown["count_date"])],
        "Recorded then": shown["recorded_on_count_date"].map(lambda v: "" if pd.isna(v) else f"{int(v)}"),
        "Recorded now": shown["recorded_now"], "Official": shown["official"],
        "Official copy": shown["official-copy"], "Secondary": shown["secondary"],
    })


def publish() -> dict:
    tables = {t: governance.table(t) for t in TABLES}
    coverage, datasets, domains = governance.coverage(), datapage.datasets_table(), datapage.cited_domains()
    out = report.glue_facts(facts(tables, coverage, len(datasets), domains["domain"].nunique()))
    report.table("data-datasets", datasets, "External datasets, each read by checksum.", links={"url": "file"})
    for name in tables:
        report.download(CURATED / f"{name}.csv", f"data-{name}.csv")
    report.markdown("data-downloads", "\n".join(
        f"- {{download}}`data-{name}.csv <../figures/data-{name}.csv>`: {len(df):,} rows" for name, df in tables.items()))
    report.table("data-non-states", datapage.non_state_codes(), "Codes for members that are not states.")
    report.table("data-coverage", coverage_table(coverage), "Each forum's recorded members against its official count.")
    gaps = coverage[~coverage["coverage"].isin(["complete", "not_recorded"])]
    report.table("data-gaps", gaps[["forum", "coverage_note"]].set_axis(["Forum", "What is missing"], axis=1),
                 "What is missing from each forum whose list is not complete.")
    report.table("data-domains", domains.head(25), "The web domains the curated rows cite most.")
    report.table("data-dictionary", datapage.dictionary(), "Every column of the curated tables.")
    report.markdown("data-notes", datapage.notes_markdown(CURATED / "notes"))
    return out
