"""Tables for the book's data page: the external datasets, the curated tables' dictionary,
and which domains the curated rows cite."""
import re
from urllib.parse import urlparse

import pandas as pd
import pandera.pandas as pa

from . import countries, governance
from .curated import TABLES
from .schemas import schemas
from .errors import CuratedDataError
from .sources import manifest

DESCRIPTIONS = {
    "forum_id": "Identifier of the forum (lower case); the key other tables refer to",
    "name": "Official name", "short_name": "Short label used in charts",
    "kind": "Kind of forum (forums.csv); fact or argument, a test with a threshold (claims.csv)", "founded": "Date founded, adopted or opened for signature",
    "parent_forum": "Forum it grew out of, if any", "website": "Official website",
    "coverage": "complete when the members recorded on official_count_date equal official_count; partial, "
                "unverified (no official count read) or not_recorded (members not recorded)",
    "coverage_note": "What is missing, and why, unless complete",
    "official_count": "Number of members the issuing body states",
    "official_count_roles": "Roles the official count covers (blank: every role that makes a member)",
    "official_count_scope": "all members, or states only",
    "official_count_date": "Date of the official count", "official_count_source": "Where the official count was read",
    "evidence": "official (issuing body's page or document), official-copy (a faithful copy of it), "
                "secondary (news or research, where no official list could be read) or, for proposals, "
                "unverified (no primary or reliable source)",
    "member": "ISO 3166-1 alpha-3 code, or a documented non-state code",
    "role": "Kind of membership", "joined": "Date joined, signed or adhered",
    "left": "Date left (blank while still in)",
    "date": "Date of the event", "title": "Short description, in the project's words",
    "category": "Kind of event",
    "institute_id": "Identifier of the institute", "announced": "Date announced", "launched": "Date launched",
    "host": "Host agency", "renamed": "Date of a later renaming", "renamed_to": "Name after the renaming",
    "standard_id": "Designation of the standard", "body": "Standards body", "committee": "Committee",
    "topic": "Topic", "status": "Status", "published": "Publication date",
    "year": "Year the figure refers to", "measure": "What is measured",
    "value": "Value exactly as published", "unit": "Unit as published", "publisher": "Who published it",
    "claim_id": "Identifier of the claim", "seed": "Source document (file number in the seeds folder)",
    "claim": "The claim, in the project's words",
    "claimed_value": "The value the document gives, or an argument's threshold (blank when the data cannot check it)",
    "comparison": "How the data's value must stand to the claimed one for the claim to be confirmed",
    "check": "The computation that checks it (aigov.claims.CHECKS; not_in_data when the report holds no data)",
    "rule": "An argument's test, in words, stated before its result", "chapter": "The chapter that shows the data",
    "proposal_id": "Identifier of the proposed body", "proposed_by": "Who proposed it",
    "body_id": "A forum_id of forums.csv or a proposal_id of proposals.csv",
    "function": "Governance function the body performs or would perform",
    "since": "Date the forum began performing it (blank: not dated; counted on the data date only)",
    "source_url": "Primary source of the row (for a claim: the source that checks it, or the one a reader "
                  "would need; blank when the check reads the curated tables)", "note": "Remarks: caveats, conflicts between sources",
}


def _allowed(column: pa.Column) -> str:
    for check in column.checks:
        allowed = check.statistics.get("allowed_values")
        if allowed:
            return ", ".join(map(str, allowed))
        if check.error:
            return check.error
    return ""


def dictionary() -> pd.DataFrame:
    """One row per table and column: type, required, blank allowed, allowed values, description."""
    rows = []
    for table, schema in schemas(["(any forum_id in forums.csv)"], ["(any proposal_id in proposals.csv)"]).items():
        for name, col in schema.columns.items():
            allowed = _allowed(col)
            rows.append({
                "table": f"{table}.csv", "column": name,
                "required": "yes" if col.required else "no", "blank allowed": "yes" if col.nullable else "no",
                "allowed values": allowed,
                "description": DESCRIPTIONS.get(name, ""),
            })
    return pd.DataFrame(rows)


def datasets_table() -> pd.DataFrame:
    m = manifest().reset_index()
    return pd.DataFrame({
        "dataset": m["dataset"], "publisher": m["publisher"], "what": m["title"], "version": m["version"],
        "licence": m["license"], "citation": m["citation"], "url": m["url"],
        "sha256": m["sha256"].str.slice(0, 12) + "…",
    })


def cited_domains() -> pd.DataFrame:
    """Curated rows per table and cited web domain."""
    rows = []
    for table in TABLES:
        df = governance.table(table)
        domains = df["source_url"].dropna().map(lambda u: urlparse(u).netloc.removeprefix("www."))
        for domain, n in domains.value_counts().items():
            rows.append({"table": table, "domain": domain, "rows": n})
    return pd.DataFrame(rows).sort_values(["rows", "table", "domain"], ascending=[False, True, True])


def non_state_codes() -> pd.DataFrame:
    return pd.DataFrame(sorted(countries.NON_STATE.items()), columns=["code", "member"])


_RAW = re.compile(r"\{(?:raw|eval-rst)\}")


def notes_markdown(folder) -> str:
    """The curation notes, headings demoted two levels to sit under the page's own. Notes are
    Markdown, but never HTML: tags read as text, and a raw-output directive is an error."""
    texts = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if _RAW.search(line):
                raise CuratedDataError(f"{path.name}: line {n}: raw output ({line.strip()!r}) is not allowed in notes")
        text = re.sub(r"<(?!https?://)", r"\\<", text)
        texts.append(re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", text, flags=re.M))
    return "\n\n".join(texts)
