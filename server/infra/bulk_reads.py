"""Reading thousands of rows at a time from PostgreSQL without paying for the driver's conveniences.

- `among(column, ids)`: `column = ANY(array)` with one parameter instead of `IN` with a placeholder per
  id; psycopg splits and rewrites the query text for every placeholder, which for pages of 5,000 ids
  cost more than the query. SQLite keeps `IN`. Ids must be integers.
- `plain_rows(query)`: a Core select run on the session's connection (not through the ORM's result
  machinery, which builds each row in Python), its rows as namedtuples: reading a field of one costs a
  tenth of what it costs on SQLAlchemy's Row. That counts in loops over pages of thousands (the feed,
  chain verification). `as_plain_rows(result)` does the second half for a result read elsewhere.
- `fast_json_loads`: JSON columns decoded by orjson (several times faster than the standard library's
  decoder the driver uses), falling back to it for the rare document orjson refuses (an integer beyond
  64 bits).
"""
import json
from collections import namedtuple

import orjson
from sqlalchemy import BigInteger, Text, any_, bindparam, cast
from sqlalchemy.dialects.postgresql import ARRAY

from server.infra.extensions import db


def among(column, ids, name="ids"):
    if db.engine.dialect.name == "postgresql":
        # One array literal ("{1,2,3}", integers only): psycopg's array dumper, id by id, cost a third of
        # the query for a page of 1,000.
        literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return column == any_(cast(bindparam(name, literal, type_=Text, unique=True), ARRAY(BigInteger)))
    return column.in_(ids)


def plain_rows(query):
    return as_plain_rows(db.session.connection().execute(query))


def as_plain_rows(result):
    shape = namedtuple("Row", result.keys())
    return [shape._make(row) for row in result.all()]  # one fetchall, not a fetch per row


def fast_json_loads(data):
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
