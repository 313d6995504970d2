"""Persistence, and the only package that imports SQLAlchemy (a test enforces it).

``database.Database`` is the typed handle everything is built from. The protocol's
stores are one module per artefact (``clients``, ``users``, ``grants``, ``codes``,
``authorizations``, ``projects``, ``policies``, ``keys``, ``audit``), composed into
``sql.SqlStore``; ``interactions`` and ``accounts`` serve the interaction layer and
``admin`` the administrative services. Tables are in ``schema`` (one module per group),
migrations in ``migrations``. Tables are portable between SQLite and PostgreSQL.
"""
