"""`python -m api` is the `hazard-ledger` command."""

from cli.main import main

main()
