"""SQL is never built from values: no f-string, %, .format or + puts text into a statement.

The scan reads every module of etl/, lib/, pages/, bench/ and app.py. A string is taken for SQL
when it reads like a statement in our style (keywords in capitals, e.g. `SELECT … FROM`), or
like unmistakable lower-case SQL (`select *`, `insert into`); prose such as "Select a row from
the table" is not. Two rules:

1. No SQL text is formatted: an f-string, `%`, `.format()` or `+` that mixes SQL with anything
   but other constant SQL fragments is a finding.
2. What reaches the database is constant: the SQL argument of every `execute`, `executemany`,
   `sql` and lib.db `query` call is a literal, a module constant (UPPER_CASE) or a sum of them.

The sanctioned exceptions are listed in SANCTIONED, each with why it is safe.
"""

import ast
import re
from pathlib import Path

import pytest

from etl.load import insert_statement
from tests.conftest import ROOT

SCANNED = ["etl", "lib", "pages", "bench", "app.py"]

SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(CREATE|DROP|ALTER)\s+(TABLE|VIEW|INDEX|SCHEMA)\b|\bWITH\s+\w+\s+AS\s*\("
    r"|\bCOPY\s+\w+\s+(TO|FROM)\b|\bATTACH\s|\bPRAGMA\s|\bWHERE\s+\w+\s*(=|<|>|IN\b|LIKE\b)"
    r"|(?i:\bselect\s+\*|\binsert\s+into\s+\w|\bdelete\s+from\s+\w|\bdrop\s+table\s+\w)"
)
# Calls that send SQL to DuckDB, and the position of their SQL argument.
ENTRY_POINTS = {"execute": 0, "executemany": 0, "sql": 0, "query": 1}

# (file, function, what): the places allowed to break a rule, and why they are safe.
SANCTIONED = {
    # The INSERT names a table and columns, which cannot be bound as parameters; insert_statement
    # checks them against schema.sql (test below), and the line tells ruff so (noqa S608).
    ("etl/load.py", "insert_statement", "formatted SQL"),
    ("etl/load.py", "write_tables", "insert_statement(...)"),
    # The schema file itself, committed with the code.
    ("etl/load.py", "write_tables", "paths.SCHEMA.read_text(...)"),
    # lib.db.query is the app's one funnel to the database; rule 2 checks each of its callers.
    ("lib/db.py", "query", "sql"),
}


def modules() -> list[Path]:
    found = []
    for name in SCANNED:
        path = ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def is_sql(text: str) -> bool:
    return bool(SQL.search(text))


def literal_text(node) -> str | None:
    """The constant text of a str literal, or of an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(literal_text(part) or " " for part in node.values)
    return None


def operands(node) -> list:
    """The terms of a chain of `+`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return operands(node.left) + operands(node.right)
    return [node]


def constant_name(node) -> bool:
    """A module constant by our naming: CHOSEN_INITIATIVES, queries.DICTIONARY."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    return isinstance(node, ast.Name | ast.Attribute) and bool(
        re.fullmatch(r"[A-Z][A-Z0-9_]*", name)
    )


def constant_sql(node) -> bool:
    return all(
        (isinstance(term, ast.Constant) and isinstance(term.value, str)) or constant_name(term)
        for term in operands(node)
    )


def describe(node) -> str:
    if isinstance(node, ast.Call):
        return f"{ast.unparse(node.func)}(...)"
    return ast.unparse(node)


def findings(source: str, filename: str = "<snippet>") -> list[tuple[str, str, str, int]]:
    """(file, function, what, line) for every break of the two rules in source."""
    tree = ast.parse(source)
    owner = {}
    for function in ast.walk(tree):  # outer functions first, so inner ones overwrite
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            owner |= {node: function.name for node in ast.walk(function)}

    found = []

    def report(node, what):
        found.append((filename, owner.get(node, "<module>"), what, node.lineno))

    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values and is_sql(literal_text(node)):
            if any(isinstance(part, ast.FormattedValue) for part in node.values):
                report(node, "formatted SQL")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            if is_sql(literal_text(node.left) or ""):
                report(node, "formatted SQL")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            terms = operands(node)
            if any(is_sql(literal_text(term) or "") for term in terms) and not constant_sql(node):
                report(node, "formatted SQL")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and is_sql(literal_text(node.func.value) or ""):
                report(node, "formatted SQL")

        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else None
            name = name or (node.func.id if isinstance(node.func, ast.Name) else None)
            position = ENTRY_POINTS.get(name)
            if position is not None and len(node.args) > position:
                argument = node.args[position]
                if not constant_sql(argument):
                    report(node, describe(argument))
    # An f-string inside a `+` is reported once, as the f-string.
    return sorted(set(found))


@pytest.mark.parametrize(
    "snippet",
    [
        "connection.execute(f\"SELECT * FROM initiatives WHERE phase = '{phase}'\")",
        "connection.execute(\"SELECT * FROM initiatives WHERE phase = '%s'\" % phase)",
        'connection.execute("SELECT * FROM initiatives WHERE phase = {}".format(phase))',
        'connection.execute("SELECT * FROM initiatives WHERE phase = " + phase)',
        'statement = "DELETE FROM milestones WHERE seq = " + str(seq)',
        "connection.execute(statement)",
        'query(stamp, "SELECT title FROM initiatives WHERE title LIKE \'" + q + "%\'")',
        "query(stamp, build_sql(filters))",
        'cursor.execute(f"select * from {table}")',
        'frame = connection.sql("drop table " + name)',
    ],
)
def test_the_scan_finds_sql_built_from_values(snippet):
    assert findings(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        'connection.execute("SELECT * FROM initiatives WHERE phase = ?", [phase])',
        'query(stamp, "SELECT title FROM initiatives WHERE initiative_id = $id", {"id": x})',
        'query(stamp, CHOSEN_INITIATIVES + "SELECT * FROM chosen", filter_parameters(filters))',
        "connection.execute(queries.DICTIONARY).df()",
        'st.caption(f"Select a row from the table to read {title} in full.")',
        'log.info("loaded %s into %s in %.2f s", counts, path, seconds)',
        'label = f"{len(rows)} milestones where {n} are late"',
        'text = "Updated " + name + " from the source"',
    ],
)
def test_the_scan_leaves_bound_parameters_and_prose_alone(snippet):
    assert findings(snippet) == []


def test_no_sql_is_built_from_values_anywhere():
    found = []
    for path in modules():
        relative = str(path.relative_to(ROOT))
        found += findings(path.read_text(encoding="utf-8"), relative)

    unsanctioned = [f for f in found if f[:3] not in SANCTIONED]
    assert unsanctioned == [], "\n".join(
        f"{f}:{line} {func}: {what}" for f, func, what, line in unsanctioned
    )


def test_the_scan_reads_the_whole_code_base():
    scanned = {str(path.relative_to(ROOT)) for path in modules()}
    assert {"app.py", "etl/load.py", "lib/queries.py", "lib/db.py", "pages/overview.py"} <= scanned
    assert any(name.startswith("bench/") for name in scanned)


def test_the_sanctioned_insert_is_marked_for_the_linter():
    source = (ROOT / "etl" / "load.py").read_text(encoding="utf-8")
    insert = next(
        line for line in source.splitlines() if line.strip().startswith('return f"INSERT')
    )
    assert insert.rstrip().endswith("# noqa: S608")


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("initiatives; DROP TABLE milestones", ["title"]),
        ("not_a_table", ["title"]),
        ("initiatives", ["title) SELECT 1; --"]),
        ("initiatives", ["title", "phase FROM incoming; DROP TABLE initiatives"]),
    ],
)
def test_the_sanctioned_insert_takes_only_names_from_the_schema(table, columns):
    with pytest.raises(ValueError):
        insert_statement(table, columns)


def test_the_sanctioned_insert_for_a_schema_table():
    assert insert_statement("milestones", ["milestone_id", "seq"]) == (
        "INSERT INTO milestones (milestone_id, seq) SELECT milestone_id, seq FROM incoming"
    )
