"""Back-checks: a seeded share of each enumerator's interviews re-interviewed by another enumerator, compared
by field type as bcstats does."""
