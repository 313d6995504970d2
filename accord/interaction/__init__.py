"""Sign-in, account choice and consent: their own routes, session cookie and stored state."""
