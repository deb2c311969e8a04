"""The storage package's SQL, written for SQLite, in PostgreSQL's dialect.

Storage code keeps ONE copy of every query (the SQLite one) and the PostgreSQL backend runs it through
:func:`to_postgres`, so the two backends cannot drift apart. The SQLite SQL sticks to what both
databases share; these few SQLite forms are translated, and anything else must be written portably
(the whole storage test suite runs on both backends to hold that line):

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``), outside string literals;
- ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE INTO t VALUES`` becomes an
  upsert on ``t``'s primary key (``keys``: table -> (columns, key columns), read from the catalog);
- in ``DO UPDATE SET c = c + excluded.c`` the bare column is qualified with the table (PostgreSQL finds
  it ambiguous);
- ``CAST(julianday(x, 'unixepoch', 'localtime') - 2440587.5 AS INTEGER)`` becomes ``local_day(x)``;
- ``json_each(doc, '$.key')`` (a JSON list's members, as ``value``) becomes
  ``json_array_elements_text(doc::json -> 'key')``;
- ``json_group_array(x)`` becomes ``json_agg(x)::text``; ``CAST(x AS REAL)`` is double precision;
- ``WHERE 1`` is ``WHERE TRUE``; a unary ``+column`` (SQLite's way to keep off an index) loses the plus;
- a subquery in FROM without an alias gets one (PostgreSQL before 16 requires it).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Per table: (table, its columns, its primary-key columns); a tuple, so translations can be cached on it.
Keys = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

_LOCAL_DAY = re.compile(
    r"CAST\(julianday\(([\w.]+), 'unixepoch', 'localtime'\) - 2440587\.5 AS INTEGER\)", re.IGNORECASE)
_JSON_ARRAY = re.compile(r"json_group_array\(([^()]*)\)", re.IGNORECASE)
_JSON_EACH = re.compile(r"json_each\((.+?), '\$\.(\w+)'\)", re.IGNORECASE)
_AS_REAL = re.compile(r"\bAS REAL\)", re.IGNORECASE)
_WHERE_1 = re.compile(r"\bWHERE 1(?=\s|$|\))(?!\s*[=<>!])")
# SQLite's "+column" (keeps the planner off an index) is an error on text in PostgreSQL: drop the plus.
_UNARY_PLUS = re.compile(r"(?<=[\s(,])\+(?=[A-Za-z_])")
_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO", re.IGNORECASE)
_OR_REPLACE = re.compile(r"^\s*INSERT OR REPLACE INTO (\w+)", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT INTO (\w+)", re.IGNORECASE)
_SELF_UPDATE = re.compile(r"(?<![.\w])(\w+) = (\w+) ([+-]) excluded\.")


_ALIAS_FOLLOWS = re.compile(r"\s*(?:AS\s+)?(?!(?:WHERE|GROUP|ORDER|LIMIT|UNION|JOIN|LEFT|INNER|CROSS|ON|HAVING"
                            r"|WINDOW|EXCEPT|INTERSECT)\b)[A-Za-z_]\w*", re.IGNORECASE)


def _alias_subqueries(sql: str) -> str:
    """Give every ``FROM (subquery)`` that has no alias one (``AS _q1``, ``AS _q2``, ...), nested ones too."""
    count = 0

    def walk(text: str) -> str:
        nonlocal count
        out, start = [], 0
        for match in re.finditer(r"\bFROM\s*\(", text, re.IGNORECASE):
            if match.start() < start:
                continue  # inside a subquery already handled
            depth, i = 1, match.end()
            while i < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if depth:
                break
            out.append(text[start:match.end()] + walk(text[match.end():i - 1]) + ")")
            if not _ALIAS_FOLLOWS.match(text, i):
                count += 1
                out.append(f" AS _q{count}")
            start = i
        return "".join(out) + text[start:]

    return walk(sql)


def _placeholders(sql: str) -> str:
    """``?`` -> ``%s`` and ``%`` -> ``%%`` outside single-quoted literals (inside them only ``%``)."""
    out: list[str] = []
    quoted = False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


def _upsert(sql: str, keys: Keys) -> str:
    match = _OR_REPLACE.match(sql)
    assert match is not None
    table = match.group(1)
    columns, key = next((cols, key) for name, cols, key in keys if name == table)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
    head = _OR_REPLACE.sub(f"INSERT INTO {table}", sql, count=1)
    return f"{head} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"


@lru_cache(maxsize=4096)
def to_postgres(sql: str, keys: Keys) -> str:
    """``sql`` (SQLite's dialect, as written in roleplay.storage) in PostgreSQL's; cached."""
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1) + " ON CONFLICT DO NOTHING"
    elif _OR_REPLACE.match(sql):
        sql = _upsert(sql, keys)
    if "excluded." in sql:
        table = _INSERT_TABLE.match(sql)
        if table:
            sql = _SELF_UPDATE.sub(
                lambda m: f"{m.group(1)} = {table.group(1)}.{m.group(2)} {m.group(3)} excluded."
                if m.group(1) == m.group(2) else m.group(0), sql)
    sql = _LOCAL_DAY.sub(r"local_day(\1)", sql)
    sql = _JSON_EACH.sub(r"json_array_elements_text((\1)::json -> '\2') AS _each(value)", sql)
    sql = _JSON_ARRAY.sub(r"(json_agg(\1))::text", sql)
    sql = _AS_REAL.sub("AS DOUBLE PRECISION)", sql)
    sql = _WHERE_1.sub("WHERE TRUE", sql)
    sql = _UNARY_PLUS.sub("", sql)
    if "(" in sql:
        sql = _alias_subqueries(sql)
    return _placeholders(sql)


def read_keys(conn: object) -> Keys:
    """Every public table's columns and primary-key columns, in order, from the catalog."""
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT c.relname, a.attname, a.attnum = ANY (coalesce(i.indkey::int2[], '{}'::int2[]))"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
        " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname, a.attnum").fetchall()
    columns: dict[str, list[str]] = {}
    key: dict[str, list[str]] = {}
    for table, column, in_key in rows:
        columns.setdefault(table, []).append(column)
        if in_key:
            key.setdefault(table, []).append(column)
    return tuple((t, tuple(cols), tuple(key.get(t, ()))) for t, cols in columns.items())
