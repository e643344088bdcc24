import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pooch
import pytest

from aigov import sources
from aigov.errors import DataSourceError
from aigov.paths import ROOT

SHARED = ROOT.parent / "shared" / "data-mirror"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="no data mirror beside the project")


@needs_mirror
def test_fetch_from_mirror_returns_verified_file():
    path = sources.fetch("population", mirror=SHARED)
    assert path == (SHARED / "owid" / "population_2020.csv").resolve()
    assert pooch.file_hash(str(path)) == sources.manifest().loc["population", "sha256"]


@needs_mirror
def test_hash_mismatch_names_dataset_and_both_hashes(tmp_path):
    target = tmp_path / "owid" / "population_2020.csv"
    target.parent.mkdir()
    shutil.copy(SHARED / "owid" / "population_2020.csv", target)
    with open(target, "ab") as fh:
        fh.write(b"Atlantis,ATL,2020,1\n")
    with pytest.raises(DataSourceError) as err:
        sources.fetch("population", mirror=tmp_path)
    msg = str(err.value)
    assert "'population'" in msg and "mismatch" in msg
    assert sources.manifest().loc["population", "sha256"] in msg
    assert pooch.file_hash(str(target)) in msg


def test_missing_file_in_mirror_says_what_to_do(tmp_path):
    with pytest.raises(DataSourceError, match=r"dataset 'epoch_2026': futuregrid/ai-frontier.json not found"):
        sources.fetch("epoch_2026", mirror=tmp_path)


def test_unknown_dataset_lists_known_ones():
    with pytest.raises(DataSourceError, match="not declared.*world_50m"):
        sources.fetch("no_such_dataset")


def test_download_hash_mismatch_is_an_error(tmp_path, monkeypatch):
    def fake_retrieve(*args, **kwargs):
        raise ValueError("SHA256 hash of downloaded file (abc) does not match the known hash")
    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    monkeypatch.setattr(sources, "DEFAULT_MIRROR", tmp_path / "no-such-folder")
    monkeypatch.setenv(sources.CACHE_ENV, str(tmp_path))
    with pytest.raises(DataSourceError, match="dataset 'cables': SHA256 hash"):
        sources.fetch("cables")


def test_mirror_rule_option_then_environment_then_shared_folder_then_download(tmp_path, monkeypatch):
    option, env, shared = (tmp_path / n for n in ("option", "env", "shared"))
    shared.mkdir()
    monkeypatch.setattr(sources, "DEFAULT_MIRROR", shared)
    monkeypatch.setenv(sources.MIRROR_ENV, str(env))
    assert sources.mirror_dir(option) == option
    assert sources.mirror_dir() == env
    monkeypatch.delenv(sources.MIRROR_ENV)
    assert sources.mirror_dir() == shared
    shared.rmdir()
    assert sources.mirror_dir() is None


@needs_mirror
def test_the_readme_variant_command_finds_the_shared_mirror_without_configuration(tmp_path):
    """`aigov fetch` as printed in the README, with no mirror variable set: no download."""
    env = {k: v for k, v in os.environ.items() if k != sources.MIRROR_ENV}
    env[sources.CACHE_ENV] = str(tmp_path / "cache")  # a download would land here
    proc = subprocess.run([str(Path(sys.executable).parent / "aigov"), "fetch"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert str(SHARED.resolve()) in proc.stdout
    assert not (tmp_path / "cache").exists()


def test_manifest_has_complete_rows():
    m = sources.manifest()
    assert m.index.is_unique
    assert m["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert m["url"].str.startswith("https://").all()
    for column in ["publisher", "citation", "license", "version"]:
        assert m[column].notna().all(), column


@needs_mirror
def test_manifest_agrees_with_mirror_catalogue():
    shared = pd.read_csv(SHARED / "sources.csv").set_index("path")
    for key, row in sources.manifest().iterrows():
        assert shared.loc[row["path"], "sha256"] == row["sha256"], key
        assert shared.loc[row["path"], "download_url"] == row["url"], key
