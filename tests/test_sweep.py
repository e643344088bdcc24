"""The country-profile sweep on Dask distributed: a local cluster of two workers, a scheduler
given by address, incremental runs, and a failing profile that fails the sweep."""
import subprocess
import sys

import pytest

from aigov import sweep as S
from aigov.paths import CURATED, ROOT

pytestmark = pytest.mark.build

GRID = [S.Profile("KEN"), S.Profile("KEN", "2020-12-31"), S.Profile("NGA"), S.Profile("JPN", "2018-12-31")]


@pytest.fixture(scope="module")
def cluster():
    """A local cluster of two worker processes, one thread each (as the sweep starts by default)."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


@pytest.fixture(scope="module")
def swept(cluster, tmp_path_factory):
    """The grid swept once on the cluster, given by its scheduler's address."""
    out = tmp_path_factory.mktemp("sweep")
    report = S.sweep(GRID, out, scheduler=cluster.scheduler_address, log=lambda *_: None, progress=False)
    return out, report


def test_sweep_runs_each_profile_on_the_cluster(swept):
    out, report = swept
    assert sorted(report.executed) == sorted(p.name for p in GRID)
    assert report.workers == 2 and report.kernel_seconds > 0
    for p in GRID:
        assert S.executed_path(out, p).is_file()
    latest = S.executed_path(out, S.Profile("KEN")).read_text(encoding="utf-8")
    assert "Kenya" in latest
    assert (S.files_dir(out, "KEN") / "memberships-over-time.csv").is_file()


def test_archived_profiles_are_light_pages_with_their_dates(swept):
    out, _ = swept
    page = S.archive_path(out, S.Profile("KEN", "2020-12-31")).read_text(encoding="utf-8")
    assert "<title>Kenya on 31 December 2020 | " in page and "<h1 class=\"title\">Kenya</h1>" in page
    assert "<strong>31 Dec 2020</strong>" in page and 'href="index.html"' in page
    assert "../archive.css" in page and "<img" not in page and "<style" not in page
    assert "<footer><p>Curated data verified as of " in page and "Report version " in page
    assert "System Message" not in page and "Traceback" not in page
    assert len(page.encode()) < 30_000


def test_a_second_sweep_runs_nothing(swept, cluster):
    out, _ = swept
    again = S.sweep(GRID, out, scheduler=cluster.scheduler_address, log=lambda *_: None, progress=False)
    assert again.executed == [] and again.rendered == [] and len(again.unchanged) == len(GRID)


def test_changed_prose_renders_the_archived_pages_again_without_running(swept, cluster, tmp_path):
    out, _ = swept
    template = tmp_path / "country.md"
    template.write_text(S.TEMPLATE.read_text(encoding="utf-8").replace(
        "## Position in the network", "## Place in the network"), encoding="utf-8")
    again = S.sweep(GRID, out, scheduler=cluster.scheduler_address, log=lambda *_: None, progress=False,
                    template=template)
    assert again.executed == []
    assert sorted(again.rendered) == sorted(p.name for p in GRID if p.archived)
    assert "Place in the network" in S.archive_path(out, GRID[1]).read_text(encoding="utf-8")


def test_a_failing_profile_fails_the_sweep_and_keeps_its_previous_page(cluster, tmp_path):
    grid = [S.Profile("KEN"), S.Profile("NGA")]
    S.sweep(grid, tmp_path, scheduler=cluster.scheduler_address, log=lambda *_: None, progress=False)
    before = S.executed_path(tmp_path, grid[1]).read_bytes()
    broken = tmp_path / "country.md"
    broken.write_text(S.TEMPLATE.read_text(encoding="utf-8").replace(
        "facts = profile.publish(", 'assert country != "NGA", "no profile for NGA"\nfacts = profile.publish('),
        encoding="utf-8")
    with pytest.raises(S.SweepError) as err:
        S.sweep(grid, tmp_path, scheduler=cluster.scheduler_address, log=lambda *_: None, progress=False,
                template=broken)
    message = str(err.value)
    assert "country=NGA as_of=(latest)" in message and "AssertionError: no profile for NGA" in message
    assert "country=KEN" not in message
    assert S.executed_path(tmp_path, grid[1]).read_bytes() == before
    failed = tmp_path / "profiles" / "failed" / "NGA" / "index.ipynb"
    assert failed.is_file() and "no profile for NGA" in failed.read_text(encoding="utf-8")


def test_the_default_local_cluster(tmp_path):
    """Without a scheduler the sweep starts, and closes, a local cluster of its own."""
    report = S.sweep([S.Profile("CHL", "2024-12-31")], tmp_path, workers=1, log=lambda *_: None, progress=False)
    assert report.executed == ["CHL/2024-12-31"] and report.workers == 1


def test_grid_of_years_dates_and_countries():
    ken = S.grid(["KEN"], "2016..2030", CURATED)
    assert ken[-1] == S.Profile("KEN") and ken[0] == S.Profile("KEN", "2016-12-31")
    assert S.grid(["KEN"], "2019..2020", CURATED) == [S.Profile("KEN", "2019-12-31"), S.Profile("KEN", "2020-12-31")]
    assert S.grid(["KEN", "NGA"], "latest", CURATED) == [S.Profile("KEN"), S.Profile("NGA")]
    assert S.grid(["KEN"], "all", CURATED) == ken
    assert S.grid(["KEN"], "2024-06-30", CURATED) == [S.Profile("KEN", "2024-06-30")]
    assert len(S.parse_countries("all", CURATED)) > 100
    with pytest.raises(S.SweepError, match="XXX"):
        S.parse_countries("KEN,XXX", CURATED)
    with pytest.raises(S.SweepError, match="first year is after the last"):
        S.grid(["KEN"], "2020..2019", CURATED)
    with pytest.raises(S.SweepError, match="2024-13-01"):
        S.grid(["KEN"], "2024-13-01", CURATED)


def test_batches_share_the_work():
    assert [len(b) for b in S.batches(list(range(10)), 2)] == [2, 2, 2, 2, 2]
    assert [len(b) for b in S.batches(list(range(1000)), 2)] == [40] * 25
    assert S.batches(list(range(5)), 2, size=3) == [[0, 1, 2], [3, 4]]


def test_the_command_names_a_bad_country_without_a_traceback():
    done = subprocess.run([sys.executable, "-c", "from aigov.cli import main; main()", "sweep", "--countries", "KEN,ZZZ"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "--countries 'KEN,ZZZ': ZZZ is not the code" in done.stderr and "Traceback" not in done.stderr


def test_the_archive_starts_with_the_network_series():
    from aigov.network import SERIES_START
    assert S.ARCHIVE_FROM == SERIES_START
