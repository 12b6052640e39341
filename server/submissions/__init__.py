"""Submissions from ODK Collect: the short, durable request path (architecture, decision 1).

`ingest` reads only the header fields of the XML, stores the referenced attachments in the media
store and adds the submission, attachment and outbox rows to the caller's transaction. Full
parsing, rules and reconciliation belong to the worker (`submission.received`).
"""
from server.submissions.ingest import Device, Outcome, Upload, ingest

__all__ = ["Device", "Outcome", "Upload", "ingest"]
