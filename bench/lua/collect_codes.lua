-- The authorization endpoint for a signed-in user who already consented: each GET
-- is answered with a 302 straight back to the redirect URI with a fresh code.
-- BENCH_COOKIE: the browser's session cookie. BENCH_CODES: a path prefix; thread i
-- appends the codes it receives to "<prefix>.<i>", one per line, as sent (form-encoded).
-- done() reports how many answers carried a code and how many did not.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   out = assert(io.open(string.format("%s.%d", os.getenv("BENCH_CODES"), id), "a"))
   out:setvbuf("no") -- one write per code: nothing is left in a buffer when wrk stops
   got = 0
   missed = 0
end

function response(status, headers, body)
   local location = headers["location"] or headers["Location"] or ""
   local code = status == 302 and string.match(location, "[?&]code=([^&]+)")
   if code then
      out:write(code .. "\n")
      got = got + 1
   else
      missed = missed + 1
   end
end

function done(summary, latency, requests)
   local got_all, missed_all = 0, 0
   for _, thread in ipairs(threads) do
      got_all = got_all + thread:get("got")
      missed_all = missed_all + thread:get("missed")
   end
   io.write(string.format("bench codes=%d\n", got_all))
   io.write(string.format("bench without_code=%d\n", missed_all))
end
