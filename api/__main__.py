"""`python -m api` is the `hazard-ledger` command."""

from api.cli import main

main()
