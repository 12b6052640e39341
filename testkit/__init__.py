"""Test helpers shared by tests/ and bench/: factories and a client that behaves like ODK Collect."""
