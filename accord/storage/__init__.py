"""Persistence: SQLAlchemy Core tables, portable between SQLite and PostgreSQL."""
