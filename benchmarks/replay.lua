-- Replays prepared requests (one per line: method TAB path TAB cookie TAB body) round-robin,
-- or each once when the 4th argument is "once"; counts responses whose status is not the
-- expected one; prints the summary as one JSON line for benchmarks/loadgen.py.
-- wrk -s replay.lua URL -- FILE EXPECTED_STATUS THREADS once|cycle

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[3])
  expected = tonumber(args[2])
  once = args[4] == "once"
  requests, index, unexpected, exhausted = {}, 0, 0, 0
  local line_number = 0
  for line in io.lines(file) do
    if line_number % nthreads == id then
      local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
      local headers = { ["User-Agent"] = "course-app-bench" }
      if cookie ~= "" then headers["Cookie"] = cookie end
      if body ~= "" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    end
    line_number = line_number + 1
  end
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    exhausted = exhausted + 1
    if once then wrk.thread:stop() end  -- never time a repeat; loadgen.py drops the figure
  end
  return requests[index]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad, wraps = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
    wraps = wraps + thread:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "unexpected_status": %d, "wrapped": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write,
    e.timeout, bad, wraps, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
