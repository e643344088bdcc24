"""The README's table of guarantees names tests that exist."""
import ast
import re

from aigov.paths import ROOT


def _guarantee_tests() -> list[tuple[str, str | None]]:
    """(test file, test name or None for a whole file) for each test the table names; a
    ``::name`` after another reference belongs to the file named last."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Guarantees"):text.index("## Layout")]
    refs = []
    for line in table.splitlines():
        if not line.startswith("|"):
            continue
        current = None
        for file, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", line.rsplit("|", 2)[-2]):
            current = file or current
            if current:
                refs.append((current, name or None))
    return refs


def test_every_test_the_guarantees_name_exists():
    refs = _guarantee_tests()
    assert len(refs) > 30
    for file, name in refs:
        path = ROOT / file
        assert path.is_file(), f"README names {file}, which does not exist"
        if name:
            defined = {n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                       if isinstance(n, ast.FunctionDef)}
            assert name in defined, f"README names {file}::{name}, which is not a test there"
