"""The claims ledger: verdicts and the arguments' measures recomputed from the curated data."""
import itertools
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from aigov import arguments, claims, curated, functions, governance
from aigov.countries import NON_STATE
from aigov.errors import CuratedDataError
from aigov.paths import CURATED
from independent import rows


def test_every_claim_names_a_known_check_and_all_five_sources_are_covered():
    table = rows("claims")
    assert {r["check"] for r in table} <= set(claims.CHECKS)
    assert {r["seed"] for r in table} == {"000", "001", "002", "003", "004"}
    assert len(table) >= 30


def test_event_year_claims_against_the_events_table():
    waico = [r for r in rows("events") if "World AI Cooperation Organization" in r["title"]]
    ledger = claims.ledger(["waico_year"]).iloc[0]
    assert ledger["data_value"] == int(waico[0]["date"][:4])
    assert ledger["verdict"] == ("confirmed" if waico[0]["date"].startswith("2024") else "differs")


def test_before_the_event_a_claim_is_not_checkable():
    assert claims.ledger(["waico_year"], pd.Timestamp("2024-12-31")).iloc[0]["verdict"] == "not checkable"


def test_every_verdict_follows_its_comparison():
    ledger = claims.ledger()
    for r in ledger.itertuples():
        if r.data_value is None or r.claimed_value is None or pd.isna(r.claimed_value):
            assert r.verdict == "not checkable"
        elif r.unit == "month":
            assert (r.verdict == "confirmed") == (r.data_value == r.claimed_value)
        else:
            ok = {"=": float(r.data_value) == float(r.claimed_value), "<": float(r.data_value) < float(r.claimed_value),
                  ">": float(r.data_value) > float(r.claimed_value), "<=": float(r.data_value) <= float(r.claimed_value),
                  ">=": float(r.data_value) >= float(r.claimed_value)}[r.comparison]
            assert (r.verdict == "confirmed") == ok, r.claim_id


def test_safety_claims_the_month_and_the_founders():
    ledger = claims.ledger(chapter="03_safety_institutes").set_index("claim_id")
    bletchley = [r for r in rows("events") if "Bletchley Park" in r["title"]][0]
    assert ledger.loc["bletchley_month", "data_value"] == bletchley["date"][:7]
    founders = [r for r in rows("memberships") if r["forum_id"] == "aisi_network" and r["joined"] == "2024-11-20"]
    assert ledger.loc["aisi_founders_count", "data_value"] == len(founders)
    assert ledger.loc["aisi_founders_named", "verdict"] == "confirmed"
    assert set(claims.ledger(["bletchley_month", "aisi_founders_count"], pd.Timestamp("2020-01-01"))["verdict"]) \
        == {"not checkable"}


def _current_state_seats() -> dict[str, set[str]]:
    """Forum -> states with a current seat, read from the CSVs (AI-governance forums only)."""
    forums = [r["forum_id"] for r in rows("forums") if r["forum_id"] not in governance.DEFAULT_EXCLUDED]
    seats: dict[str, set[str]] = {f: set() for f in forums}
    for r in rows("memberships"):
        if r["forum_id"] in seats and r["role"] in curated.ACTIVE and not r["left"] and r["member"] not in NON_STATE:
            seats[r["forum_id"]].add(r["member"])
    return {f: s for f, s in seats.items() if s}


def test_redundancy_recomputed_from_the_csv():
    seats = _current_state_seats()
    shared: dict[tuple, int] = {}
    for members in seats.values():
        for pair in itertools.combinations(sorted(members), 2):
            shared[pair] = shared.get(pair, 0) + 1
    expected = sum(n >= 2 for n in shared.values()) / len(shared)
    assert arguments.redundancy(None).value == pytest.approx(expected)


def _connected_pairs(seats: dict[str, set[str]]) -> int:
    """Pairs of states joined by a chain of shared forums (union-find over the forums' members)."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x
    for members in seats.values():
        first, *rest = sorted(members)
        for m in rest:
            parent[find(m)] = find(first)
    sizes: dict[str, int] = {}
    for state in set().union(*seats.values()) if seats else set():
        sizes[find(state)] = sizes.get(find(state), 0) + 1
    return sum(n * (n - 1) // 2 for n in sizes.values())


def test_resilience_recomputed_from_the_csv():
    seats = _current_state_seats()
    base = _connected_pairs(seats)
    worst = min(_connected_pairs({f: s for f, s in seats.items() if f != lost}) for lost in seats)
    assert arguments.resilience(None).value == pytest.approx(worst / base)


def test_function_coverage_recomputed_from_the_csv():
    forums = {r["forum_id"] for r in rows("forums")}
    table = rows("functions")
    for r in functions.coverage(functions.cells(None)).itertuples():
        expected = sum(1 for x in table if x["body_id"] in forums and x["function"] == r.function)
        assert r.forums == expected


def test_a_changed_event_flips_a_verdict_in_a_copy(tmp_path):
    copy = tmp_path / "curated"
    shutil.copytree(CURATED, copy)
    events = pd.read_csv(copy / "events.csv", dtype=str, keep_default_na=False)
    waico = events["title"].str.contains("World AI Cooperation Organization")
    events.loc[waico, "date"] = "2024-07-26"
    events.to_csv(copy / "events.csv", index=False)
    code = "from aigov import claims; print(claims.ledger(['waico_year']).iloc[0]['verdict'])"
    env = {**os.environ, "AIGOV_CURATED": str(copy)}
    env.pop(curated.VALIDATED_ENV, None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert claims.ledger(["waico_year"]).iloc[0]["verdict"] == "differs"
    assert out.stdout.strip() == "confirmed"


def test_an_argument_without_its_rule_is_refused(tmp_path):
    copy = tmp_path / "curated"
    shutil.copytree(CURATED, copy)
    df = pd.read_csv(copy / "claims.csv", dtype=str, keep_default_na=False)
    row = int(df.index[df["kind"] == "argument"][0])
    df.loc[row, "rule"] = ""
    df.loc[0, "chapter"] = "99_nowhere"
    df.to_csv(copy / "claims.csv", index=False)
    with pytest.raises(CuratedDataError) as err:
        curated.load_all(copy)
    assert f"claims.csv: row {row + 2}, columns kind/rule" in str(err.value)
    assert "claims.csv: row 2, column chapter: '99_nowhere'" in str(err.value)


def test_a_function_of_an_unknown_body_is_refused(tmp_path):
    copy = tmp_path / "curated"
    shutil.copytree(CURATED, copy)
    with open(copy / "functions.csv", "a", encoding="utf-8") as fh:
        fh.write("nobody,standards,,https://example.org/,official,\n")
    with pytest.raises(CuratedDataError, match="functions.csv: row .*, column body_id: 'nobody'"):
        curated.load_all(copy)
