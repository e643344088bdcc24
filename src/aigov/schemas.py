"""The curated tables' schemas (pandera) and how a violation is reported: file, row (as numbered
in a spreadsheet: the header is row 1), column and value. Loaded only where tables are checked
(:func:`aigov.curated.load_all`); the build's kernels read tables the build has checked.
"""
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import countries
from .curated import (CATEGORIES, CLAIM_KINDS, COMPARISONS, COUNT_SCOPES, COVERAGE, EVIDENCE, FUNCTIONS, KINDS,
                      NOT_IN_DATA, PROPOSAL_STATUSES, ROLES, STATUSES, TOPICS, UNVERIFIED, chapters, parse_date,
                      valid_date)

URL = r"^https?://[^\s]+$"


def _date_check() -> pa.Check:
    return pa.Check(lambda s: s.map(valid_date), element_wise=False,
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
    return parse_date(value) if isinstance(value, str) and valid_date(value) else None


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


def _report(path: Path, err: pa.errors.SchemaErrors, df: pd.DataFrame) -> list[str]:
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


def violations(raw: dict[str, pd.DataFrame], directory: Path) -> list[str]:
    """Every violation of the schemas in the tables ``raw`` (read from ``directory``)."""
    forum_ids = raw["forums"]["forum_id"].dropna().tolist()
    out = []
    for name, schema in schemas(forum_ids, raw["proposals"]["proposal_id"].dropna().tolist()).items():
        try:
            schema.validate(raw[name], lazy=True)
        except pa.errors.SchemaErrors as err:
            out += _report(Path(directory) / f"{name}.csv", err, raw[name])
    return out
