-- A form-encoded POST with one body for the whole run (refresh_token grant).
-- BENCH_BODY: the application/x-www-form-urlencoded body, client_id and
-- client_secret included (client_secret_post, RFC 6749 section 2.3.1).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
