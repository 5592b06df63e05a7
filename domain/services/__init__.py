"""Application services (commands and queries), one module per area of the ledger."""
