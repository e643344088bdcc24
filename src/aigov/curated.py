"""The curated tables: schemas (pandera), loading and validation.

Each table is a tidy CSV in ``data/curated``. :func:`load_all` validates every
table and raises :class:`CuratedDataError` listing each violation with its
file, row (as numbered in a spreadsheet: the header is row 1), column and value.
"""
import datetime as dt
import hashlib
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import countries, readlog
from .errors import CuratedDataError
from .paths import CURATED, NOTEBOOKS

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL = r"^https?://[^\s]+$"
KINDS = ["intergovernmental_organisation", "club", "partnership", "principles", "declaration",
         "statement", "treaty", "network", "standards_committee", "regional_union"]
# Roles that make a member (the others, e.g. observing or invited, are recorded but not counted).
ACTIVE = ("member", "participating", "adherent", "signatory", "ratified")
ROLES = ["member", "participating", "observing", "adherent", "signatory", "ratified", "partner", "invited"]
CATEGORIES = ["principles", "summit", "institute", "standard", "law", "un", "capacity", "proposal",
              "treaty", "partnership"]
EVIDENCE = ["official", "official-copy", "secondary"]
UNVERIFIED = "unverified"  # a proposal (or one of its functions) known from no primary or reliable source
CLAIM_KINDS = ["fact", "argument"]
COMPARISONS = {"=": float.__eq__, "<": float.__lt__, ">": float.__gt__, "<=": float.__le__, ">=": float.__ge__}
NOT_IN_DATA = "not_in_data"  # the check of a claim the report holds no data for
FUNCTIONS = ["standards", "testing_evaluation", "risk_information", "joint_research", "capacity_finance",
             "verification_enforcement", "inclusion"]
PROPOSAL_STATUSES = ["official", "reported", UNVERIFIED]
COVERAGE = ["complete", "partial", "unverified", "not_recorded"]
COUNT_SCOPES = ["all", "states"]
STATUSES = ["published", "under_development", "withdrawn"]
TOPICS = ["foundations", "data", "trustworthiness", "risk_management", "management_systems", "use_cases",
          "computational_methods", "governance", "testing", "other"]


def parse_date(value: str | None) -> pd.Timestamp | None:
    """ISO date with day, month or year precision -> first day of that period (None if blank)."""
    if value is None or pd.isna(value) or value == "":
        return None
    parts = [int(p) for p in str(value).split("-")] + [1, 1]
    return pd.Timestamp(dt.date(parts[0], parts[1], parts[2]))


def period_end(value: str | None) -> pd.Timestamp | None:
    """Last day of the period a date is known to: '2024' -> 2024-12-31, '2024-05' -> 2024-05-31."""
    start = parse_date(value)
    if start is None:
        return None
    precision = str(value).count("-")
    offset = {0: pd.offsets.YearEnd(0), 1: pd.offsets.MonthEnd(0)}.get(precision)
    return start + offset if offset is not None else start


def _valid_date(value: str) -> bool:
    if not DATE.match(value):
        return False
    try:
        return parse_date(value).date() <= dt.date.today()
    except ValueError:
        return False


def _date_check() -> pa.Check:
    return pa.Check(lambda s: s.map(_valid_date), element_wise=False,
                    error="a date YYYY-MM-DD, YYYY-MM or YYYY, not in the future")


def _code_check() -> pa.Check:
    return pa.Check(lambda s: s.map(countries.is_valid),
                    error="an ISO 3166-1 alpha-3 code or a documented non-state code")


def _text(nullable: bool = False, checks=None) -> pa.Column:
    return pa.Column(str, checks=checks or [], nullable=nullable)


def _date(nullable: bool = True) -> pa.Column:
    return pa.Column(str, checks=[_date_check()], nullable=nullable)


def _source() -> pa.Column:
    return pa.Column(str, checks=[pa.Check.str_matches(URL, error="an http(s) URL")], nullable=False)


def _note() -> pa.Column:
    return pa.Column(str, nullable=True, required=False)


def _evidence() -> pa.Column:
    return pa.Column(str, checks=[pa.Check.isin(EVIDENCE)], nullable=False)


def _count_documented(df: pd.DataFrame) -> pd.Series:
    documented = df[["official_count_scope", "official_count_date", "official_count_source"]].notna().all(axis=1)
    return df["official_count"].isna() | documented


def _coverage_explained(df: pd.DataFrame) -> pd.Series:
    return (df["coverage"] == "complete") | df["coverage_note"].notna()


def _safe_date(value) -> pd.Timestamp | None:
    """parse_date, or None for a malformed date (reported by the column's own check)."""
    return parse_date(value) if isinstance(value, str) and _valid_date(value) else None


def _joined_not_after_left(df: pd.DataFrame) -> pd.Series:
    j, left = df["joined"].map(_safe_date), df["left"].map(_safe_date)
    return left.isna() | j.isna() | (j <= left)


def _claimed_value_readable(df: pd.DataFrame) -> pd.Series:
    """A number, or a month YYYY-MM (unit 'month', compared with '='); blank only for a claim the
    data cannot check."""
    month = df["unit"].eq("month") & df["claimed_value"].fillna("").str.fullmatch(r"\d{4}-\d{2}") & df["comparison"].eq("=")
    number = ~df["unit"].eq("month") & pd.to_numeric(df["claimed_value"], errors="coerce").notna()
    return month | number | (df["claimed_value"].isna() & df["check"].eq(NOT_IN_DATA))


def _argument_has_rule(df: pd.DataFrame) -> pd.Series:
    return df["kind"].ne("argument") | df["rule"].notna()


def _unchecked_says_why(df: pd.DataFrame) -> pd.Series:
    return df["check"].ne(NOT_IN_DATA) | df["note"].notna()


def _sourced_unless_unverified(df: pd.DataFrame) -> pd.Series:
    return df["source_url"].notna() | df["evidence"].eq(UNVERIFIED)


def chapters(notebooks: Path = NOTEBOOKS) -> list[str]:
    """The chapters a claim can link to: the notebooks' names (e.g. 06_network)."""
    return sorted(p.stem for p in Path(notebooks).glob("[0-9][0-9]_*.md"))


@readlog.query
def chapter_titles(notebooks: Path = NOTEBOOKS) -> dict[str, str]:
    """Each chapter's title (its first heading), keyed by notebook name (a query: a page that
    names the chapters does not depend on their prose)."""
    out = {}
    for name in chapters(notebooks):
        path = Path(notebooks) / f"{name}.md"
        readlog.record(path, readlog.sha256_file(path))
        out[name] = next((ln[2:].strip() for ln in path.read_text(encoding="utf-8").splitlines()
                          if ln.startswith("# ")), name)
    return out


def schemas(forum_ids: list[str], proposal_ids: list[str] = ()) -> dict[str, pa.DataFrameSchema]:
    """One schema per table; ``forum_ids`` and ``proposal_ids`` are the ids defined in forums.csv
    and proposals.csv."""
    forum_ref = pa.Check.isin(forum_ids, error="a forum_id defined in forums.csv")
    url = pa.Check.str_matches(URL, error="an http(s) URL")
    return {
        "forums": pa.DataFrameSchema({
            "forum_id": _text(checks=[pa.Check.str_matches(r"^[a-z0-9_]+$", error="lower-case id")]),
            "name": _text(),
            "short_name": _text(),
            "kind": _text(checks=[pa.Check.isin(KINDS)]),
            "founded": _date(nullable=False),
            "parent_forum": _text(nullable=True, checks=[forum_ref]),
            "website": _text(nullable=True, checks=[pa.Check.str_matches(URL, error="an http(s) URL")]),
            "coverage": _text(checks=[pa.Check.isin(COVERAGE)]),
            "coverage_note": _text(nullable=True),
            "official_count": _text(nullable=True, checks=[pa.Check.str_matches(r"^[1-9]\d*$", error="a count")]),
            "official_count_roles": _text(nullable=True, checks=[pa.Check(
                lambda s: s.map(lambda v: all(r in ROLES for r in v.split(";"))), element_wise=False,
                error="roles from the memberships table, separated by ';'")]),
            "official_count_scope": _text(nullable=True, checks=[pa.Check.isin(COUNT_SCOPES)]),
            "official_count_date": _date(),
            "official_count_source": _text(nullable=True, checks=[pa.Check.str_matches(URL, error="an http(s) URL")]),
            "source_url": _source(),
            "note": _note(),
        }, unique=["forum_id"], strict=True, ordered=False,
            checks=[pa.Check(_count_documented, error="official_count needs its scope, date and source"),
                    pa.Check(_coverage_explained, error="coverage other than complete needs a coverage_note")]),
        "memberships": pa.DataFrameSchema({
            "forum_id": _text(checks=[forum_ref]),
            "member": _text(checks=[_code_check()]),
            "role": _text(checks=[pa.Check.isin(ROLES)]),
            "joined": _date(),
            "left": _date(),
            "source_url": _source(),
            "evidence": _evidence(),
            "note": _note(),
        }, unique=["forum_id", "member", "role"], strict=True,
            checks=[pa.Check(_joined_not_after_left, error="joined is not after left")]),
        "events": pa.DataFrameSchema({
            "date": _date(nullable=False),
            "title": _text(),
            "forum_id": _text(nullable=True, checks=[forum_ref]),
            "category": _text(checks=[pa.Check.isin(CATEGORIES)]),
            "source_url": _source(),
            "evidence": _evidence(),
            "note": _note(),
        }, unique=["date", "title"], strict=True),
        "safety_institutes": pa.DataFrameSchema({
            "institute_id": _text(checks=[pa.Check.str_matches(r"^[a-z0-9_]+$", error="lower-case id")]),
            "name": _text(),
            "member": _text(checks=[_code_check()]),
            "announced": _date(),
            "launched": _date(),
            "host": _text(nullable=True),
            "renamed": _date(),
            "renamed_to": _text(nullable=True),
            "source_url": _source(),
            "evidence": _evidence(),
            "note": _note(),
        }, unique=["institute_id"], strict=True),
        "standards": pa.DataFrameSchema({
            "standard_id": _text(),
            "title": _text(),
            "body": _text(),
            "committee": _text(nullable=True),
            "topic": _text(checks=[pa.Check.isin(TOPICS)]),
            "status": _text(checks=[pa.Check.isin(STATUSES)]),
            "published": _date(),
            "source_url": _source(),
            "note": _note(),
        }, unique=["standard_id"], strict=True),
        "investment": pa.DataFrameSchema({
            "member": _text(checks=[_code_check()]),
            "year": _text(checks=[pa.Check.str_matches(r"^\d{4}$", error="a year YYYY")]),
            "measure": _text(),
            "value": _text(checks=[pa.Check(lambda s: pd.to_numeric(s, errors="coerce").notna(),
                                            error="a number")]),
            "unit": _text(),
            "publisher": _text(),
            "source_url": _source(),
            "note": _note(),
        }, unique=["member", "year", "measure", "publisher"], strict=True),
        "claims": pa.DataFrameSchema({
            "claim_id": _text(checks=[pa.Check.str_matches(r"^[a-z0-9_]+$", error="lower-case id")]),
            "seed": _text(checks=[pa.Check.str_matches(r"^\d{3}$", error="a seed file number, e.g. 001")]),
            "kind": _text(checks=[pa.Check.isin(CLAIM_KINDS)]),
            "claim": _text(),
            "claimed_value": _text(nullable=True),
            "comparison": _text(checks=[pa.Check.isin(list(COMPARISONS))]),
            "unit": _text(nullable=True),
            "check": _text(checks=[pa.Check.str_matches(r"^[a-z0-9_]+$", error="the name of a check")]),
            "rule": _text(nullable=True),
            "chapter": _text(checks=[pa.Check.isin(chapters(), error="a chapter of notebooks/, e.g. 06_network")]),
            "source_url": _text(nullable=True, checks=[url]),
            "note": _note(),
        }, unique=["claim_id"], strict=True,
            checks=[pa.Check(_claimed_value_readable, error="claimed_value is a number (YYYY-MM for unit month)"),
                    pa.Check(_argument_has_rule, error="an argument states its rule"),
                    pa.Check(_unchecked_says_why, error="a claim the data cannot check says why in its note")]),
        "proposals": pa.DataFrameSchema({
            "proposal_id": _text(checks=[pa.Check.str_matches(r"^[a-z0-9_]+$", error="lower-case id")]),
            "name": _text(),
            "short_name": _text(),
            "proposed_by": _text(),
            "date": _date(),
            "status": _text(checks=[pa.Check.isin(PROPOSAL_STATUSES)]),
            "source_url": _text(nullable=True, checks=[url]),
            "evidence": _text(checks=[pa.Check.isin([*EVIDENCE, UNVERIFIED])]),
            "seed": _text(nullable=True, checks=[pa.Check.str_matches(r"^\d{3}$", error="a seed file number")]),
            "note": _note(),
        }, unique=["proposal_id"], strict=True,
            checks=[pa.Check(_sourced_unless_unverified, error="a source_url unless the evidence is unverified")]),
        "functions": pa.DataFrameSchema({
            "body_id": _text(checks=[pa.Check.isin([*forum_ids, *proposal_ids],
                                                   error="a forum_id of forums.csv or a proposal_id of proposals.csv")]),
            "function": _text(checks=[pa.Check.isin(FUNCTIONS)]),
            "since": _date(),
            "source_url": _text(nullable=True, checks=[url]),
            "evidence": _text(checks=[pa.Check.isin([*EVIDENCE, UNVERIFIED])]),
            "note": _note(),
        }, unique=["body_id", "function"], strict=True,
            checks=[pa.Check(_sourced_unless_unverified, error="a source_url unless the evidence is unverified")]),
    }


TABLES = list(schemas([]))


def read(path: Path) -> pd.DataFrame:
    """A curated CSV as strings; only empty cells are missing ('NA' is Namibia's ISO2, not NaN).
    A byte-order mark and Windows line endings are accepted; an empty file is an error.
    (Not recorded in the read log: a notebook records the tables it uses, see governance.table.)"""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise CuratedDataError(f"{path.name}: the file is empty (expected a header row and data rows)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CuratedDataError(f"{path.name}: not a readable UTF-8 CSV ({' '.join(str(exc).split())})") from None
    if df.empty:
        raise CuratedDataError(f"{path.name}: the file has a header row but no data rows")
    return df


# Row-level checks and the columns they compare (reported once per row, not once per column).
ROW_CHECKS = {
    "joined is not after left": ["joined", "left"],
    "official_count needs its scope, date and source": ["official_count", "official_count_scope",
                                                         "official_count_date", "official_count_source"],
    "coverage other than complete needs a coverage_note": ["coverage", "coverage_note"],
    "claimed_value is a number (YYYY-MM for unit month)": ["claimed_value", "unit", "comparison"],
    "an argument states its rule": ["kind", "rule"],
    "a claim the data cannot check says why in its note": ["check", "note"],
    "a source_url unless the evidence is unverified": ["source_url", "evidence"],
}
HEADER_CHECKS = {"column_in_schema": "unexpected column", "column_in_dataframe": "missing column"}


def _violations(path: Path, err: pa.errors.SchemaErrors, df: pd.DataFrame) -> list[str]:
    out, seen = [], set()
    cases = err.failure_cases.sort_values("index", na_position="first", kind="stable")
    for _, case in cases.iterrows():
        idx, check = case["index"], str(case["check"])
        row = f"row {int(idx) + 2}" if pd.notna(idx) else "header"
        if check in ROW_CHECKS and pd.notna(idx):
            if (idx, check) in seen:
                continue
            seen.add((idx, check))
            cols = ROW_CHECKS[check]
            value = ", ".join(f"{c}={df.loc[idx, c]}" for c in cols)
            out.append(f"{path.name}: {row}, columns {'/'.join(cols)}: {value!r} fails {check}")
            continue
        if check in HEADER_CHECKS:
            out.append(f"{path.name}: header: {HEADER_CHECKS[check]} {case['failure_case']!r}")
            continue
        column = case["column"] if isinstance(case["column"], str) else "(table)"
        out.append(f"{path.name}: {row}, column {column}: {case['failure_case']!r} fails {check}")
    return out


VALIDATED_ENV = "AIGOV_CURATED_VALIDATED"  # set by the build for the kernels: see load_all


def tables_hash(directory: Path = CURATED) -> str:
    """One hash of every table's bytes: what :func:`load_all` validated, for ``validated=``."""
    return hashlib.sha256("".join(readlog.sha256_file(Path(directory) / f"{t}.csv") for t in TABLES).encode()).hexdigest()


_VALIDATED_HERE: set[str] = set()  # the tables_hash of the tables this process has validated


def load_all(directory: Path = CURATED, validated: str | None = None) -> dict[str, pd.DataFrame]:
    """Read and validate every table; raise CuratedDataError listing all violations. The checks
    are skipped when ``validated`` is the :func:`tables_hash` of the files as they are now (the
    build validates once and gives each notebook's kernel that hash in :data:`VALIDATED_ENV`)."""
    directory = Path(directory)
    missing = [t for t in TABLES if not (directory / f"{t}.csv").is_file()]
    if missing:
        raise CuratedDataError(f"missing curated table(s) in {directory}: " + ", ".join(f"{t}.csv" for t in missing))
    raw = {t: read(directory / f"{t}.csv") for t in TABLES}
    stamp = tables_hash(directory)
    if stamp == validated or stamp in _VALIDATED_HERE:
        return raw
    forum_ids = raw["forums"]["forum_id"].dropna().tolist()
    problems = []
    for name, schema in schemas(forum_ids, raw["proposals"]["proposal_id"].dropna().tolist()).items():
        try:
            schema.validate(raw[name], lazy=True)
        except pa.errors.SchemaErrors as err:
            problems += _violations(directory / f"{name}.csv", err, raw[name])
    if not problems:
        problems = _coverage_problems(raw["forums"], raw["memberships"], directory / "forums.csv")
    if problems:
        raise CuratedDataError(f"{len(problems)} problem(s) in the curated data:\n  " + "\n  ".join(problems))
    _VALIDATED_HERE.add(stamp)
    return raw


def counted_members(forum: pd.Series, memberships: pd.DataFrame) -> list[str]:
    """The members of ``forum`` (a forums.csv row with an official count) recorded on the count's
    date, counted as the issuing body counts: only the roles and scope the count covers; rows with
    no start date count as present (a list read without dates), the others from the end of their
    start period."""
    roles = forum["official_count_roles"].split(";") if isinstance(forum["official_count_roles"], str) else ACTIVE
    day = period_end(forum["official_count_date"])
    df = memberships[(memberships["forum_id"] == forum["forum_id"]) & memberships["role"].isin(roles)]
    start, end = df["joined"].map(period_end), df["left"].map(parse_date)
    codes = sorted(set(df.loc[(start.isna() | (start <= day)) & (end.isna() | (end > day)), "member"]))
    return [c for c in codes if c not in countries.NON_STATE] if forum["official_count_scope"] == "states" else codes


def _coverage_problems(forums: pd.DataFrame, memberships: pd.DataFrame, path: Path) -> list[str]:
    """A forum marked complete must have exactly its official count of members recorded on the
    count's date (rows without a start date count as present, as on a list read without dates)."""
    out = []
    for idx, f in forums.iterrows():
        recorded = memberships[memberships["forum_id"] == f["forum_id"]]
        if f["coverage"] == "not_recorded":
            if len(recorded):
                out.append(f"{path.name}: row {idx + 2}, column coverage: 'not_recorded' but "
                           f"memberships.csv has {len(recorded)} row(s) for {f['forum_id']}")
            continue
        if f["coverage"] != "complete":
            continue
        if pd.isna(f["official_count"]):
            out.append(f"{path.name}: row {idx + 2}, column coverage: 'complete' needs an official_count")
            continue
        codes = counted_members(f, recorded)
        if len(codes) != int(f["official_count"]):
            out.append(f"{path.name}: row {idx + 2}, column coverage: 'complete' but {len(codes)} members of "
                       f"{f['forum_id']} are recorded on {f['official_count_date']} against an official_count "
                       f"of {f['official_count']}")
    return out


def data_as_of(directory: Path = CURATED) -> pd.Timestamp:
    """The date of the last verification pass over the curated data (``data_as_of.txt``)."""
    path = Path(directory) / "data_as_of.txt"
    if not path.is_file():
        raise CuratedDataError(f"missing {path.name} in {directory}: one line, the date (YYYY-MM-DD) "
                               "the curated data were last verified")
    readlog.record(path, readlog.sha256_file(path))
    value = path.read_text(encoding="utf-8-sig").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or not _valid_date(value):
        raise CuratedDataError(f"{path.name}: line 1: {value!r} is not a date YYYY-MM-DD, not in the future")
    return pd.Timestamp(value)
