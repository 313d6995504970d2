"""The OAuth 2.0 core. It imports neither the web framework nor the database."""
