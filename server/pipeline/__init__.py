"""The background pipeline's domain side: the outbox and its event -> queue table, job records, operations."""
