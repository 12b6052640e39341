"""The archive feed: what fieldcheck found, read by the archive system in pages it can resume.

`changes` pages through an evaluation's interviews in the order they last changed (their checks, review
decisions, classification verdicts), each with its answers, status, findings, reconciliation, decisions
and attachments; the cursor says where the reader stands and survives restarts (it is the data's own
order, server/submissions/feed_marks.py, not anything kept in a process).
"""
