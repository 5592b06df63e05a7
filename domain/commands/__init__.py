"""Typed commands, one module per context; every one is handled through ``Ledger.execute``."""
