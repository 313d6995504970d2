"""Accord's server process: uvicorn workers on SO_REUSEPORT sockets under a small supervisor,
with limits on slow or large clients and a graceful drain on SIGTERM."""
