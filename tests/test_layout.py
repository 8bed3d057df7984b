"""Which way the imports point (HOUSE_STYLE.md): agencies imports no other app; measures and cases
do not import each other; only reports may read the others."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["agencies", "measures", "cases", "reports"]
FORBIDDEN = {
    "agencies": {"measures", "cases", "reports"},
    "measures": {"cases", "reports"},
    "cases": {"measures", "reports"},
    "reports": set(),
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_imports_point_down(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and imported_apps(path) & FORBIDDEN[app]
    }
    assert offenders == {}


def test_required_layout():
    for name in [
        "manage.py",
        "imcs_portal/settings.py",
        "imcs_portal/urls.py",
        "imcs_portal/celery.py",
        "templates",
        "static",
        "tests",
        "pyproject.toml",
        "docker-compose.yml",
        "Dockerfile",
        ".env.example",
        ".ci/run",
        *APPS,
    ]:
        assert (ROOT / name).exists(), name
