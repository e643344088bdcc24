"""The curated tables: the real data validates, each kind of bad row is caught with file,
row, column and value, and the API answers membership questions as of a date."""
import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from aigov import governance as G
from aigov.curated import load_all, parse_date, period_end
from aigov.errors import CuratedDataError
from aigov.paths import CURATED
from independent import ACTIVE, last_day, members_on, recorded_on, rows

CONTRACT_FORUMS = ["g7", "g20", "oecd", "oecd_ai_principles", "gpai", "hiroshima_friends",
                   "bletchley_declaration", "seoul_declaration", "seoul_ministerial_statement",
                   "paris_statement", "aisi_network", "coe_ai_convention", "iso_iec_sc42",
                   "african_union", "brics"]


def test_real_tables_validate():
    tables = load_all()
    assert set(CONTRACT_FORUMS) <= set(tables["forums"]["forum_id"])
    assert len(tables["events"]) >= 60
    for name, df in tables.items():
        sourced = df["evidence"] != "unverified" if "evidence" in df else df["source_url"].notna() | (name != "claims")
        assert df.loc[sourced, "source_url"].str.match(r"https?://").all(), name


@pytest.fixture
def curated(tmp_path) -> Path:
    for f in CURATED.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def append(folder: Path, table: str, row: dict) -> int:
    """Append a row; return its spreadsheet row number."""
    path = folder / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
        n = sum(1 for _ in fh) + 1
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow([row.get(c, "") for c in header])
    return n + 1


GOOD = {"forum_id": "g7", "member": "CAN", "role": "observing", "joined": "2020-01-01",
        "source_url": "https://example.org/g7"}


@pytest.mark.parametrize("change, column, value", [
    ({"joined": "2020-13-01"}, "joined", "2020-13-01"),
    ({"joined": "01/02/2020"}, "joined", "01/02/2020"),
    ({"joined": "2999-01-01"}, "joined", "2999-01-01"),
    ({"joined": "2024-02-30"}, "joined", "2024-02-30"),
    ({"member": "XYZ"}, "member", "XYZ"),
    ({"forum_id": "no_such_forum"}, "forum_id", "no_such_forum"),
    ({"source_url": "www.example.org"}, "source_url", "www.example.org"),
    ({"source_url": ""}, "source_url", "nan"),
    ({"role": "friend"}, "role", "friend"),
])
def test_bad_membership_value_is_reported_with_file_row_column_value(curated, change, column, value):
    row = append(curated, "memberships", {**GOOD, **change})
    with pytest.raises(CuratedDataError) as err:
        load_all(curated)
    line = next(x for x in str(err.value).splitlines() if f"row {row}," in x)
    assert line.strip().startswith(f"memberships.csv: row {row}, column {column}: ")
    assert value in line


def test_joined_after_left_is_caught(curated):
    row = append(curated, "memberships", {**GOOD, "joined": "2021-01-01", "left": "2020-01-01"})
    expected = (rf"memberships.csv: row {row}, columns joined/left: 'joined=2021-01-01, left=2020-01-01' "
                "fails joined is not after left")
    with pytest.raises(CuratedDataError, match=expected):
        load_all(curated)


def test_duplicate_key_is_caught(curated):
    first = pd.read_csv(curated / "memberships.csv", dtype=str, keep_default_na=False).iloc[0].to_dict()
    append(curated, "memberships", first)
    with pytest.raises(CuratedDataError, match=r"memberships.csv: .*column (forum_id|member|role).*unique"):
        load_all(curated)


def test_bad_event_category_and_forum_are_caught(curated):
    row = append(curated, "events", {"date": "2020-05", "title": "A test event", "forum_id": "nope",
                                     "category": "party", "source_url": "https://example.org"})
    with pytest.raises(CuratedDataError) as err:
        load_all(curated)
    msg = str(err.value)
    assert f"events.csv: row {row}, column forum_id: 'nope'" in msg
    assert f"events.csv: row {row}, column category: 'party'" in msg


def test_missing_column_is_caught(curated):
    df = pd.read_csv(curated / "standards.csv", dtype=str, keep_default_na=False).drop(columns="status")
    df.to_csv(curated / "standards.csv", index=False)
    with pytest.raises(CuratedDataError, match=r"standards.csv: header: missing column 'status'"):
        load_all(curated)


def test_renamed_column_is_caught_by_both_names(curated):
    df = pd.read_csv(curated / "events.csv", dtype=str, keep_default_na=False)
    df.rename(columns={"source_url": "source"}).to_csv(curated / "events.csv", index=False)
    with pytest.raises(CuratedDataError) as err:
        load_all(curated)
    assert "events.csv: header: missing column 'source_url'" in str(err.value)
    assert "events.csv: header: unexpected column 'source'" in str(err.value)


@pytest.mark.parametrize("content, message", [
    ("", "standards.csv: the file is empty"),
    ("standard_id,title,body,committee,topic,status,published,source_url,note\n",
     "standards.csv: the file has a header row but no data rows"),
])
def test_empty_or_header_only_file_is_named(curated, content, message):
    (curated / "standards.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CuratedDataError, match=message):
        load_all(curated)


def test_byte_order_mark_and_windows_line_endings_are_accepted(curated):
    path = curated / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    tables = load_all(curated)
    assert list(tables["events"].columns) == list(pd.read_csv(CURATED / "events.csv", nrows=0).columns)
    assert tables["events"].equals(load_all(CURATED)["events"])


def test_missing_table_is_reported(curated):
    (curated / "investment.csv").unlink()
    with pytest.raises(CuratedDataError, match="missing curated table.*investment.csv"):
        load_all(curated)


def test_partial_dates():
    assert parse_date("2024") == pd.Timestamp("2024-01-01")
    assert period_end("2024") == pd.Timestamp("2024-12-31")
    assert period_end("2024-02") == pd.Timestamp("2024-02-29")
    assert period_end("2024-02-10") == pd.Timestamp("2024-02-10")


# --- as_of semantics, on a small fixture table -------------------------------------------

@pytest.fixture
def tiny(curated) -> Path:
    rows = [
        {"forum_id": "g7", "member": "FRA", "role": "member", "joined": "2000-01-01"},
        {"forum_id": "g7", "member": "RUS", "role": "member", "joined": "2000-01-01", "left": "2010-06-01"},
        {"forum_id": "g7", "member": "BRA", "role": "member", "joined": "2020-05"},
        {"forum_id": "g7", "member": "IND", "role": "member"},
        {"forum_id": "g7", "member": "ZAF", "role": "observing", "joined": "2000-01-01"},
    ]
    with open(curated / "memberships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["forum_id", "member", "role", "joined", "left", "source_url", "evidence", "note"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows({**r, "source_url": "https://example.org", "evidence": "official"} for r in rows)
    forums = pd.read_csv(curated / "forums.csv", dtype=str, keep_default_na=False)
    forums["coverage"], forums["coverage_note"] = "partial", "a fixture holding a few g7 rows only"
    forums.to_csv(curated / "forums.csv", index=False)
    G._tables.cache_clear()
    return curated


def test_member_who_joined_after_the_date_is_absent(tiny):
    assert G.members("g7", pd.Timestamp("1999-12-31"), directory=tiny) == []
    assert G.members("g7", pd.Timestamp("2000-01-01"), directory=tiny) == ["FRA", "RUS"]


def test_member_who_left_before_the_date_is_absent(tiny):
    assert "RUS" in G.members("g7", pd.Timestamp("2010-05-31"), directory=tiny)
    assert "RUS" not in G.members("g7", pd.Timestamp("2010-06-01"), directory=tiny)
    assert "RUS" not in G.members("g7", directory=tiny)


def test_month_precision_counts_from_the_end_of_the_month(tiny):
    assert "BRA" not in G.members("g7", pd.Timestamp("2020-05-15"), directory=tiny)
    assert "BRA" in G.members("g7", pd.Timestamp("2020-05-31"), directory=tiny)


def test_undated_member_counts_only_without_a_date(tiny):
    assert "IND" in G.members("g7", directory=tiny)
    assert "IND" not in G.members("g7", pd.Timestamp("2025-01-01"), directory=tiny)


def test_observers_are_not_members_unless_asked(tiny):
    assert "ZAF" not in G.members("g7", directory=tiny)
    assert "ZAF" in G.members("g7", roles=("observing",), directory=tiny)
    assert G.forums_of("ZAF", directory=tiny) == []


def test_unknown_forum_is_an_error():
    with pytest.raises(KeyError, match="unknown forum_id 'g8'"):
        G.members("g8")


# --- the API against an independent reading of the real CSV --------------------------------

@pytest.mark.parametrize("forum_id", CONTRACT_FORUMS)
@pytest.mark.parametrize("day", ["2000-01-01", "2019-06-01", "2021-01-01", "2024-06-30", "2025-03-01"])
def test_members_on_a_date_match_an_independent_reading(forum_id, day):
    G._tables.cache_clear()
    assert G.members(forum_id, pd.Timestamp(day)) == sorted(members_on(forum_id, day))


def test_well_known_memberships():
    G._tables.cache_clear()
    assert G.members("g7", pd.Timestamp("2024-01-01")) == ["CAN", "DEU", "EUU", "FRA", "GBR", "ITA", "JPN", "USA"]
    assert "RUS" in G.members("g7", pd.Timestamp("2010-01-01"))
    assert "XAU" in G.members("g20", pd.Timestamp("2023-09-09"))
    assert "XAU" not in G.members("g20", pd.Timestamp("2023-09-08"))
    assert "CHN" in G.members("bletchley_declaration")
    assert "CHN" not in G.members("seoul_declaration")
    assert {"USA", "GBR"}.isdisjoint(G.members("paris_statement"))
    assert len(G.members("oecd")) == 38
    assert "EGY" in G.members("brics") and "EGY" not in G.members("brics", pd.Timestamp("2023-12-31"))


NON_STATES = {"EUU", "XAU", "XIF", "XKX"}


@pytest.mark.parametrize("forum", [r["forum_id"] for r in rows("forums") if r["coverage"] == "complete"])
def test_a_complete_forum_has_its_official_count_recorded(forum):
    f = next(r for r in rows("forums") if r["forum_id"] == forum)
    roles = f["official_count_roles"].split(";") if f["official_count_roles"] else ACTIVE
    found = recorded_on(forum, last_day(f["official_count_date"]), roles)
    if f["official_count_scope"] == "states":
        found -= NON_STATES
    assert len(found) == int(f["official_count"]), (forum, sorted(found))


def test_a_partial_forum_says_what_is_missing_and_counts_below_its_official_count():
    for f in rows("forums"):
        if f["coverage"] != "complete":
            assert f["coverage_note"], f["forum_id"]
        if f["coverage"] == "partial" and f["official_count"]:
            roles = f["official_count_roles"].split(";") if f["official_count_roles"] else ACTIVE
            assert len(recorded_on(f["forum_id"], last_day(f["official_count_date"]), roles)) < int(f["official_count"])


def test_every_row_is_graded_by_its_evidence():
    for table in ("memberships", "events", "safety_institutes"):
        assert {r["evidence"] for r in rows(table)} <= {"official", "official-copy", "secondary"}, table


def test_a_forum_marked_complete_with_members_missing_is_caught(curated):
    df = pd.read_csv(curated / "forums.csv", dtype=str, keep_default_na=False)
    row = df.index[df["forum_id"] == "hiroshima_friends"][0]
    df.loc[row, "coverage"] = "complete"
    df.to_csv(curated / "forums.csv", index=False)
    with pytest.raises(CuratedDataError, match=rf"forums.csv: row {row + 2}, column coverage: 'complete' but \d+ "
                                               r"members of hiroshima_friends are recorded on .* official_count of 55"):
        load_all(curated)


@pytest.mark.parametrize("table, value", [("memberships", "rumour"), ("events", "")])
def test_a_missing_or_unknown_evidence_grade_is_caught(curated, table, value):
    df = pd.read_csv(curated / f"{table}.csv", dtype=str, keep_default_na=False)
    df.loc[3, "evidence"] = value
    df.to_csv(curated / f"{table}.csv", index=False)
    with pytest.raises(CuratedDataError, match=rf"{table}.csv: row 5, column evidence"):
        load_all(curated)


def test_an_official_count_without_its_date_is_caught(curated):
    df = pd.read_csv(curated / "forums.csv", dtype=str, keep_default_na=False)
    df.loc[0, "official_count_date"] = ""
    df.to_csv(curated / "forums.csv", index=False)
    with pytest.raises(CuratedDataError, match=r"forums.csv: row 2, columns official_count/.*needs its scope, date"):
        load_all(curated)


def test_tables_a_build_validated_are_not_validated_again_but_changed_ones_are(tmp_path, monkeypatch):
    from aigov import curated, schemas
    copy = tmp_path / "curated"
    shutil.copytree(CURATED, copy)
    digest = curated.tables_hash(copy)
    checked = []
    real = schemas.schemas
    monkeypatch.setattr(schemas, "schemas", lambda *ids: checked.append(1) or real(*ids))
    assert set(curated.load_all(copy, validated=digest)) == set(curated.TABLES) and not checked
    with open(copy / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("2020-02-30,Impossible day,,summit,https://example.org,official,\n")
    with pytest.raises(CuratedDataError, match="events.csv"):
        curated.load_all(copy, validated=digest)  # the hash no longer matches: validated again
    assert checked


def test_every_schema_is_a_table_the_loader_reads_and_kernels_do_not_load_pandera():
    from aigov import curated, schemas
    assert list(schemas.schemas([])) == curated.TABLES
    code = "import sys, aigov.report, aigov.params; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # what a build's kernel imports first does not load the schemas
