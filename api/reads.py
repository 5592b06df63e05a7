"""Reads scoped to the reader (issue 12 part 2): every record read names who reads; domain/read_scope.py
decides what they see. Routes use ``Reads`` for single records (404 outside the scope) and
``read_scope`` for lists (the projections filter in SQL)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.deps import ServicesDep
from api.identity import CurrentActor
from domain.read_scope import ReadScope, ScopedReads, read_scope


async def scoped_reads(services: ServicesDep, actor: CurrentActor) -> ScopedReads:
    return ScopedReads(services.ledger, actor)


async def reader_scope(services: ServicesDep, actor: CurrentActor) -> ReadScope:
    return read_scope(actor, services.ledger.reference)


Reads = Annotated[ScopedReads, Depends(scoped_reads)]
Scope = Annotated[ReadScope, Depends(reader_scope)]
