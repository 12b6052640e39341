"""Pipeline steps: each takes an outbox event (or its Work in a batch) and calls domain code."""
