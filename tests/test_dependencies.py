"""The apps depend one way:

    pagecache ← editorial, delivery ← taxonomy ← search ← members
        ← practices, forums, newsletters ← home, api ← demo

(pagecache, the page cache and the per-process memos, and delivery, the email pipeline,
import no app of the project.) An app may import itself and the apps ranked below it,
nothing else: search may import pagecache, editorial and taxonomy only, and every content
app may import search. Apps of the same rank (practices, forums and newsletters) do not
import each other. `config` wires everything together and is exempt; `tests` and `bench`
are not apps.

The check reads every .py file of every app (migrations, management commands and template
tags included) with `ast`, so imports inside functions count as much as those at the top."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RANK = {
    # The page cache imports no app of the project: it listens to their models by label.
    # Below everything: every app may remember what it reads (pagecache.memo).
    "pagecache": -1,
    "editorial": 0,
    # The email pipeline depends on no app of the project; every app may send through it.
    "delivery": 0,
    "taxonomy": 1,
    "search": 2,
    "members": 3,
    "practices": 4,
    "forums": 4,
    "newsletters": 4,
    "home": 5,
    # The read API serialises the content apps' items; nothing imports it.
    "api": 5,
    "demo": 6,
}
NOT_APPS = {"config", "tests", "bench"}


def first_party_imports(path, package, known):
    """(line, imported app) for every import in the file at `path` of a first-party app in
    `known`, wherever it stands in the file. `package` is the file's package as a list of
    names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import never leaves the top-level package, that is the app.
            names = [package[0] if node.level else node.module]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in known:
                yield node.lineno, app


def app_dirs(root):
    """Top-level folders of `root` that are Django apps (they have an apps.py)."""
    return sorted(
        path.parent.name for path in root.glob("*/apps.py") if path.parent.name not in NOT_APPS
    )


def backward_imports(root, rank):
    """[(file, line, app, imported app)] for every import that runs against `rank`."""
    known = set(rank) | {"config"}
    found = []
    for app in rank:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            package = list(relative.parent.parts)
            for line, imported in first_party_imports(path, package, known):
                if imported == app:
                    continue
                if imported == "config" or rank[imported] >= rank[app]:
                    found.append((relative.as_posix(), line, app, imported))
    return found


def describe(arrows, rank):
    return "\n".join(
        f"  {file}:{line}: {app} (rank {rank[app]}) imports {imported}"
        + (f" (rank {rank[imported]})" if imported in rank else " (config is never imported)")
        for file, line, app, imported in arrows
    )


def test_every_app_has_a_rank():
    unranked = sorted(set(app_dirs(ROOT)) - set(RANK))
    assert not unranked, (
        f"Apps without a place in the dependency order: {unranked}. Add them to RANK in "
        "tests/test_dependencies.py below the apps they import and above those importing them."
    )


def test_imports_run_down_the_dependency_order():
    arrows = list(backward_imports(ROOT, RANK))
    assert not arrows, (
        "These imports run against the dependency order (see this module's docstring):\n"
        + describe(arrows, RANK)
        + "\nMove the code to the lower app, or let the lower app offer a hook (a signal, a "
        "Wagtail hook, a registry) that the higher app fills in."
    )


@pytest.mark.parametrize(
    "relative_path, source, expected",
    [
        # Inside a function, beside a relative import (which stays in the app), and plain.
        ("taxonomy/views.py", "def f():\n    from practices.models import X\n", "practices"),
        ("taxonomy/sub/mod.py", "from .. import models\nfrom members import models\n", "members"),
        ("editorial/blocks.py", "import home.models\n", "home"),
        ("search/views.py", "from config import settings\n", "config"),
    ],
)
def test_the_check_finds_backward_imports_wherever_they_stand(
    tmp_path, relative_path, source, expected
):
    for app in RANK:
        (tmp_path / app).mkdir()
    path = tmp_path / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    (tmp_path / "demo" / "loader.py").write_text("from home import structure\n", encoding="utf-8")

    arrows = backward_imports(tmp_path, RANK)

    app = relative_path.split("/")[0]
    assert [(file, app_, imported) for file, _line, app_, imported in arrows] == [
        (relative_path, app, expected)
    ]
