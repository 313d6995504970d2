-- JWT-bearer grant: every request posts a service-account assertion signed in advance.
-- BENCH_ASSERTIONS: a path prefix; thread i reads "<prefix>.<i>" (one assertion per line),
-- so no two threads send the same one. A thread that has sent all of its own starts over
-- (Google keeps no replay cache for these assertions, so a repeat costs the server the
-- same work); done() reports how many were repeats.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   pool = {}
   for line in io.lines(string.format("%s.%d", os.getenv("BENCH_ASSERTIONS"), id)) do
      pool[#pool + 1] = line
   end
   sent = 0
   prefix = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="
end

function request()
   sent = sent + 1
   return wrk.format(nil, nil, nil, prefix .. pool[(sent - 1) % #pool + 1])
end

function done(summary, latency, requests)
   local total_sent, total_pool, repeats = 0, 0, 0
   for _, thread in ipairs(threads) do
      local s, p = thread:get("sent"), #thread:get("pool")
      total_sent = total_sent + s
      total_pool = total_pool + p
      if s > p then repeats = repeats + (s - p) end
   end
   io.write(string.format("bench assertions_sent=%d\n", total_sent))
   io.write(string.format("bench assertions_signed=%d\n", total_pool))
   io.write(string.format("bench assertions_repeated=%d\n", repeats))
end
