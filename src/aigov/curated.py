"""The curated tables: loading and validation (the schemas are in :mod:`aigov.schemas`).

Each table is a tidy CSV in ``data/curated``. :func:`load_all` validates every
table and raises :class:`CuratedDataError` listing each violation with its
file, row (as numbered in a spreadsheet: the header is row 1), column and value.
"""
import datetime as dt
import hashlib
import re
from pathlib import Path

import pandas as pd

from . import countries, readlog
from .errors import CuratedDataError
from .paths import CURATED, NOTEBOOKS

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
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


def valid_date(value: str) -> bool:
    if not DATE.match(value):
        return False
    try:
        return parse_date(value).date() <= dt.date.today()
    except ValueError:
        return False


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


TABLES = ["forums", "memberships", "events", "safety_institutes", "standards", "investment", "claims",
          "proposals", "functions"]  # in the order the data page lists them


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
    from . import schemas  # pandera is loaded only where tables are checked (not in the build's kernels)
    problems = schemas.violations(raw, directory)
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
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or not valid_date(value):
        raise CuratedDataError(f"{path.name}: line 1: {value!r} is not a date YYYY-MM-DD, not in the future")
    return pd.Timestamp(value)
