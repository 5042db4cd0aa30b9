"""The README documents what a newcomer needs: the two commands, the URL, every column."""

import re

from etl.load import schema_tables
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_commands():
    assert "make run" in README and "make test" in README


def test_every_table_and_column_of_the_database_is_in_the_readme(db):
    for table in schema_tables():
        assert f"**`{table}`**" in README, table
        columns = [
            row[0]
            for row in db.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND database_name = current_database()",
                [table],
            ).fetchall()
        ]
        section = README.split(f"**`{table}`**", 1)[1].split("\n\n**`", 1)[0]
        for column in columns:
            assert f"| `{column}` |" in section, f"{table}.{column}"


def test_every_url_parameter_is_documented():
    from lib.filters import QUERY_KEYS

    documented = set(re.findall(r"^\| `([a-z]+)`(?:, `([a-z]+)`)? \|", README, re.M))
    names = {name for pair in documented for name in pair if name}
    assert set(QUERY_KEYS) <= names


def test_images_exist():
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / path).is_file(), path
