"""What the wheel ships: every Python package and data file of linter/ is declared in pyproject.toml."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_under_linter_is_declared():
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "linter").rglob("__init__.py")}
    assert found <= declared, sorted(found - declared)


def test_every_data_file_is_matched_by_package_data():
    import fnmatch

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["linter.data"]
    for path in (ROOT / "linter" / "data").iterdir():
        if path.is_file() and path.name != "__init__.py":
            assert any(fnmatch.fnmatch(path.name, pattern) for pattern in data), path.name
