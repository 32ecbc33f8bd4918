"""The search app's migrations stand on their own: each means what it meant when it ran,
whatever the app's code becomes, so none imports a module of the app but another migration."""

import ast
from pathlib import Path

import pytest

import search

MIGRATIONS = sorted((Path(search.__file__).parent / "migrations").glob("[0-9]*.py"))


def imported_modules(path):
    """Every module `path` imports, relative imports resolved against its package."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = ["search", "migrations"][: 2 - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_there_are_migrations_to_check():
    assert [path.name for path in MIGRATIONS][:1] == ["0001_squashed_0008_searchdocument_label.py"]


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.name)
def test_a_migration_imports_nothing_of_the_app_but_migrations(path):
    app_modules = [
        name for name in imported_modules(path) if name == "search" or name.startswith("search.")
    ]
    assert [name for name in app_modules if not name.startswith("search.migrations")] == []


def test_the_check_sees_an_import_of_the_schema_code(tmp_path):
    """The check itself: the ways a migration could reach the app's code are caught."""
    sample = tmp_path / "0009_sample.py"
    sample.write_text(
        "import search.schema\nfrom search import fulltext\nfrom .. import schema\n"
        "from django.db import migrations\n"
    )
    assert list(imported_modules(sample)) == [
        "search.schema",
        "search",
        "search.fulltext",
        "search",
        "search.schema",
        "django.db",
        "django.db.migrations",
    ]
