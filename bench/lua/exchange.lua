-- Authorization code exchange: every request redeems a code nobody used yet.
-- BENCH_CODES: a path prefix; thread i reads "<prefix>.<i>" (one code per line,
-- already form-encoded), so no two threads ever send the same code.
-- BENCH_BODY: the rest of the form; "&code=<code>" is appended per request.
-- When a thread runs out it sends "exhausted", which the server answers with 400:
-- wrk counts it as non-2xx and done() reports it, so the run is marked invalid.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   codes = {}
   for line in io.lines(string.format("%s.%d", os.getenv("BENCH_CODES"), id)) do
      codes[#codes + 1] = line
   end
   available = #codes
   taken = 0
   prefix = os.getenv("BENCH_BODY") .. "&code="
end

function request()
   taken = taken + 1
   return wrk.format(nil, nil, nil, prefix .. (codes[taken] or "exhausted"))
end

function done(summary, latency, requests)
   local total_taken, total_available, short = 0, 0, 0
   for _, thread in ipairs(threads) do
      local t, a = thread:get("taken"), thread:get("available")
      total_taken = total_taken + t
      total_available = total_available + a
      if t > a then short = short + (t - a) end
   end
   io.write(string.format("bench codes_taken=%d\n", total_taken))
   io.write(string.format("bench codes_available=%d\n", total_available))
   io.write(string.format("bench codes_missing=%d\n", short))
end
