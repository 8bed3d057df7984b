"""The map of the code (README "Map of the code"), pinned.

- Which way the imports point: ``core`` (the machinery) imports no app; ``agencies`` (the
  organisation) only core; ``measures`` and ``cases`` stand on both and not on each other;
  ``reports`` reads the others, and reads ``cases`` only through the suppressed-statistics selector.
- Every app has the same rooms; a room an app does not need is absent.
- No circle among the project's modules, and no import hidden inside a function to dodge one.
- The gate decides: outside the gate's own files nothing compares a user's role.
- Tests take their helpers from one place; no production code sleeps for tests.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "agencies", "measures", "cases", "reports"]
PROJECT = [*APPS, "imcs_portal"]
FORBIDDEN = {
    "core": {"agencies", "measures", "cases", "reports"},
    "agencies": {"measures", "cases", "reports"},
    "measures": {"cases", "reports"},
    "cases": {"measures", "reports"},
    "reports": set(),
}
# What reports may import from cases: the statistics with small counts suppressed, nothing else.
REPORTS_FROM_CASES = {("cases.selectors", "suppressed_statistics"), ("cases.selectors", "SUPPRESSED")}

# The rooms of an app: each is a package, except the one-file rooms.
PACKAGE_ROOMS = {"models", "services", "views", "api", "tests", "templatetags"}
FILE_ROOMS = {"forms.py"}
SELECTORS = {"selectors", "selectors.py"}  # a package, or one module

API_FILES = {"serializers.py", "views.py", "urls.py"}
# Beside them: the API's token check (DRF's DEFAULT_AUTHENTICATION_CLASSES) and the machinery's bases.
API_EXTRAS = {
    "core": {"errors.py", "pagination.py", "reviewed.py"},
    "agencies": {"authentication.py"},
}
# Modules an app may hold beside its rooms, each named for what it holds.
WIRING = {
    "__init__.py",
    "admin.py",
    "apps.py",
    "choices.py",
    "context_processors.py",
    "demo.py",
    "filtersets.py",
    "signals.py",
    "tasks.py",
    "urls.py",
}
NAMED_MODULES = {
    "core": {
        "audit.py",
        "bilingual.py",
        "clock.py",
        "crypto.py",
        "exports.py",
        "history.py",
        "notify.py",
        "paging.py",
        "permissions.py",
        "statistics_cache.py",
        "uploads.py",
        "workflow.py",
    },
    "agencies": {"lockout.py", "sessions.py", "two_factor.py"},
    "measures": {"expressions.py"},
    "cases": set(),
    "reports": set(),
}
NOT_CODE = {"templates", "management", "migrations", "data", "static", "locale", "__pycache__"}

# Files that may read ``user.role``: the gate, the user model and its sign-in policy; the roles are
# named only there, in the choices that define them, and in demo data.
ROLE_READERS = {
    "core/permissions.py",
    "agencies/models/users.py",
    "agencies/two_factor.py",
    "agencies/signals.py",
    "agencies/admin.py",
}


def code_files(app: str):
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(path: Path) -> set[str]:
    """The modules ``path`` imports (``from a.b import c`` counts a.b and a.b.c)."""
    names = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("app", APPS)
def test_imports_point_down(app):
    offenders = {}
    for path in code_files(app):
        apps = {name.split(".")[0] for name in imported_modules(path)} & FORBIDDEN[app]
        if apps:
            offenders[rel(path)] = sorted(apps)
    assert offenders == {}


def test_reports_reads_cases_only_through_the_suppressed_statistics():
    seen = set()
    for path in code_files("reports"):
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cases":
                seen |= {(node.module, alias.name) for alias in node.names}
            elif isinstance(node, ast.Import):
                seen |= {(alias.name, "*") for alias in node.names if alias.name.split(".")[0] == "cases"}
    assert seen <= REPORTS_FROM_CASES, seen - REPORTS_FROM_CASES
    assert seen, "reports shows case statistics: it must read them through the selector"


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_rooms(app):
    base = ROOT / app
    odd = []
    for entry in sorted(base.iterdir()):
        name = entry.name
        if name in NOT_CODE or name.startswith("."):
            continue
        if entry.is_dir():
            if name in PACKAGE_ROOMS or name in {"selectors", "demo"}:
                assert (entry / "__init__.py").exists(), f"{app}/{name} is a room: a package"
                continue
            odd.append(name + "/")
        elif name.endswith(".py") and name not in WIRING | FILE_ROOMS | SELECTORS | NAMED_MODULES[app]:
            odd.append(name)
    assert odd == [], f"{app} holds modules outside its rooms: {odd}"
    for room in PACKAGE_ROOMS - {"tests"}:
        assert not (base / f"{room}.py").exists(), f"{app}/{room}.py: the room is the package {room}/"
    assert not ((base / "selectors").exists() and (base / "selectors.py").exists())
    assert not ((base / "demo").exists() and (base / "demo.py").exists())
    if (base / "api").exists():
        files = {p.name for p in (base / "api").glob("*.py")} - {"__init__.py"}
        if app != "core":  # the machinery has no routes of its own
            assert API_FILES <= files, f"{app}/api lacks {API_FILES - files}"
        assert files <= API_FILES | API_EXTRAS.get(app, set()), f"{app}/api holds {files - API_FILES}"
    templates = base / "templates"
    if templates.exists():
        assert {p.name for p in templates.iterdir()} == {app}, f"{app}/templates holds only {app}/"


@pytest.mark.parametrize("app", APPS)
def test_every_module_says_what_it_holds(app):
    missing = [
        rel(path)
        for path in code_files(app)
        if path.name != "__init__.py" or path.stat().st_size
        if "management" not in path.parts and ast.get_docstring(tree(path)) is None
    ]
    assert missing == []


def imported_project_modules(path: Path, modules: set[str]) -> set[str]:
    """The project's modules ``path`` imports at its top level. ``from pkg import mod`` leads to the
    module pkg.mod; ``from pkg import name`` (a name pkg's ``__init__`` defines or re-exports) to pkg."""
    names = set()
    for node in tree(path).body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in modules else node.module)
    return names & modules


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for app in PROJECT for p in code_files(app)}
    return {name: imported_project_modules(path, set(files)) - {name} for name, path in files.items()}


def test_no_circle_among_modules():
    graph = import_graph()
    done, path, cycles = set(), [], []

    def visit(node):
        if node in path:
            cycles.append(path[path.index(node) :] + [node])
            return
        if node in done:
            return
        path.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    # A package's __init__ re-exporting its modules leads only from the package to them; a module
    # that takes a name from its own package's __init__ closes a circle (import from the topic module).
    assert cycles == []


# Imports that may wait for the function that needs them: heavy libraries a page rarely uses, and
# the receivers an AppConfig connects in ready().
LAZY_ALLOWED = {"weasyprint", "matplotlib", "openpyxl", "qrcode", "segno"}
# Modules Django or DRF load before the app registry is ready: they reach models only when called.
EARLY_LOADED = {"agencies/api/authentication.py"}


def test_no_import_hidden_inside_a_function():
    hidden = []
    for app in PROJECT:
        for path in code_files(app):
            for node in ast.walk(tree(path)):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if (path.name == "apps.py" and node.name == "ready") or rel(path) in EARLY_LOADED:
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.module:
                        top = inner.module.split(".")[0]
                    elif isinstance(inner, ast.Import):
                        top = inner.names[0].name.split(".")[0]
                    else:
                        continue
                    if top in PROJECT or top not in LAZY_ALLOWED:
                        hidden.append(f"{rel(path)}:{inner.lineno} {ast.unparse(inner)}")
    assert hidden == []


USERS = {"user", "actor", "owner", "recipient", "person"}
ROLE_NAMERS = {"demo.py", "choices.py"}  # the choices that define roles, demo data (demo/ too) that sets them


def reads_role(node) -> bool:
    """``user.role``, ``actor.role``, ``request.user.role``, ``self.user.role``: a person's role
    (a unit's role on a measure, ``responsibility.role``, is another thing)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "role"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id in USERS) or (
        isinstance(owner, ast.Attribute) and owner.attr in USERS
    )


def names_a_role(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def test_the_gate_decides():
    """Outside the gate nothing reads a person's role or names one (demo data sets roles, but reads
    no one's role either)."""
    offenders = []
    for app in APPS:
        for path in code_files(app):
            if rel(path) in ROLE_READERS:
                continue
            may_name = path.name in ROLE_NAMERS or "management" in path.parts or "demo" in path.parts
            for node in ast.walk(tree(path)):
                if reads_role(node) or (names_a_role(node) and not may_name):
                    offenders.append(f"{rel(path)}:{node.lineno} {ast.unparse(node)}")
    assert offenders == []


def sleeps(path: Path) -> bool:
    """Whether ``path`` takes ``sleep`` from ``time`` (``from time import monotonic, sleep``) or
    calls it on the module, under any name it imported it as (``time.sleep``, ``import time as t``)."""
    body = tree(path)
    if "time.sleep" in imported_modules(path):
        return True
    names = {
        alias.asname or alias.name
        for node in ast.walk(body)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "time"
    }
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "sleep"
        and isinstance(node.value, ast.Name)
        and node.value.id in names
        for node in ast.walk(body)
    )


def test_no_production_code_sleeps():
    sleepers = [rel(path) for app in PROJECT for path in code_files(app) if sleeps(path)]
    assert sleepers == []


def test_tests_take_helpers_from_one_place():
    """A test module imports helpers from the helper modules, never from another test module."""
    offenders = []
    for path in ROOT.rglob("test_*.py"):
        if ".venv" in path.parts:
            continue
        for name in imported_modules(path):
            if name.rsplit(".", 1)[-1].startswith("test_") or ".test_" in name:
                offenders.append(f"{rel(path)}: {name}")
    assert offenders == []


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


def test_templates_ask_the_gate():
    """Templates ask ``user|may:"capability"``; none decides by a role (showing it is fine)."""
    decides = re.compile(r"{%\s*(?:if|elif)\b[^%]*\buser\.role\b")
    offenders = [
        rel(path)
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and decides.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
