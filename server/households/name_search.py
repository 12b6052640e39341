"""Finding households by any part of the head's name (the interview table's filter).

A LIKE '%...%' alone reads every household. On PostgreSQL an expression index holds each name's
character pairs (HEAD_BIGRAMS, made by migration 0012): a search of two characters or more first
takes the households whose name has all of the search's pairs, then LIKE checks the order. Pairs,
not pg_trgm's trigrams, because Chinese names are often two characters long. One character: LIKE alone
(a surname matches so many households that reading in the table's order finds a page at once).
"""
from sqlalchemy import ARRAY, Text, cast, func
from sqlalchemy.dialects.postgresql import array

from server.infra.extensions import db

HEAD_BIGRAMS = "fc_bigrams"  # the SQL function; the index is on fc_bigrams(household.head_name)


def bigrams(text):
    """The distinct pairs of consecutive characters of `text`, sorted."""
    return sorted({text[i:i + 2] for i in range(len(text) - 1)})


def head_name_contains(column, text):
    """A condition: the name in `column` (Household.head_name) contains `text`."""
    condition = column.contains(text, autoescape=True)
    pairs = bigrams(text)
    if pairs and db.engine.dialect.name == "postgresql":
        condition = getattr(func, HEAD_BIGRAMS)(column).op("@>")(cast(array(pairs), ARRAY(Text))) & condition
    return condition
