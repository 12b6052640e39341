"""`python -m server ...` is the `fieldcheck` command (used where the script is not on PATH)."""
from server.cli import main

main()
