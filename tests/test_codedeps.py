"""The package modules a notebook's code imports, directly and through each other."""
from pathlib import Path

from aigov import codedeps
from aigov.paths import ROOT


def package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "from .sub.c import thing\n",
        "d.py": "import os\n",
        "sub/__init__.py": "from .. import e\n",
        "sub/c.py": "thing = 1\n",
        "e.py": "def f():\n    from pkg import d  # imported late, still a dependency\n",
        "unused.py": "",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    return pkg


def names(paths, pkg):
    return sorted(str(p.relative_to(pkg)) for p in paths)


def test_closure_follows_relative_absolute_and_late_imports(tmp_path):
    pkg = package(tmp_path)
    assert names(codedeps.closure(["from pkg import a"], pkg), pkg) == [
        "__init__.py", "a.py", "b.py", "d.py", "e.py", "sub/__init__.py", "sub/c.py"]
    assert names(codedeps.closure(["import pkg.d", "x = 1"], pkg), pkg) == ["__init__.py", "d.py"]
    assert codedeps.closure(["import os"], pkg) == []


def test_a_chapter_depends_on_its_own_module_and_not_on_the_others():
    package_dir = ROOT / "src" / "aigov"
    deps = names(codedeps.closure(["from aigov.chapters import standards"], package_dir), package_dir)
    assert "chapters/standards.py" in deps and "governance.py" in deps
    assert not {"chapters/capacity.py", "build.py", "cli.py"} & set(deps)


def test_a_module_is_parsed_again_only_when_its_file_changed(tmp_path):
    pkg = package(tmp_path)
    memo = {}
    first = codedeps.closure(["from pkg import a"], pkg, memo)
    assert any(k.startswith("pkg.a ") for k in memo)
    # what an earlier build recorded is used as long as the file is the same (here: a made-up
    # record saying a imports nothing) ...
    known = {k: ([] if k.startswith("pkg.a ") else v) for k, v in memo.items()}
    assert names(codedeps.closure(["from pkg import a"], pkg, {}, known), pkg) == ["__init__.py", "a.py"]
    # ... and not once the file changed
    (pkg / "a.py").write_text("from . import b\n# edited\n")
    assert codedeps.closure(["from pkg import a"], pkg, {}, known) == first
