"""The evidence chain: a tamper-evident, hash-linked record per evaluation of what was received and decided.

canonical.py says what an entry covers and how it is hashed; sweep.py appends entries in the worker (never
on the request path); verify.py walks a chain against the stored rows and files; digest.py gives the daily
head that the archive or a notary keeps outside fieldcheck.
"""
