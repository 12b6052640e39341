"""Core statements that write many rows at once, the same on PostgreSQL and SQLite.

For code that computes a whole batch in memory first (the worker): one executemany per table
instead of one ORM flush per row. Run in the caller's transaction.
"""
from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from server.infra.extensions import db


def insert_returning_ids(table, rows):
    """Insert `rows` (dicts) and return their new ids, in the order of `rows`."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return db.session.execute(statement, rows).scalars().all()


def insert(table, rows):
    if rows:
        db.session.execute(table.insert(), rows)


def upsert(table, rows, keys, keep=()):
    """Insert `rows`, or update the row with the same `keys` (its unique columns); columns in `keep`
    are only written on insert."""
    if not rows:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    columns = [name for name in rows[0] if name not in keys and name not in keep]
    statement = statement.on_conflict_do_update(index_elements=[table.c[k] for k in keys],
                                                set_={name: statement.excluded[name] for name in columns})
    db.session.execute(statement, rows)


def update_by_id(table, rows, **expressions):
    """UPDATE each row of `rows` (dicts of "id" and new column values) by its id. `expressions` are more
    SET clauses, which may read a row's other (non-column) values through `bound(name)`."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id" and name in table.c and name not in expressions]
    values = {name: bindparam(f"b_{name}", type_=table.c[name].type) for name in names}
    statement = update(table).where(table.c.id == bindparam("b_id")).values(**values, **expressions)
    db.session.execute(statement, [{f"b_{k}": v for k, v in row.items()} for row in rows])


def bound(name, type_=None):
    """A row's value `name` in an `update_by_id` expression."""
    return bindparam(f"b_{name}", type_=type_)
