"""Operating the server: health, metrics, request logs, credential redaction, and the
catch-all that answers every request (see each module)."""
