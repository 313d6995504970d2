"""What every group of administrative rows shares: the transaction's connection."""

from __future__ import annotations

from sqlalchemy import Connection


class RowsBase:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
