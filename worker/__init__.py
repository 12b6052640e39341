"""Background work: rq jobs that take ids, call domain code and commit (architecture, decision 2)."""
