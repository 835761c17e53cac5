-- wrk script of bench/webhook/run.mjs: POSTs AdmissionReviews from the file named by the
-- environment variable KL_BENCH_REVIEWS (one compact JSON body per line), in turn, so that
-- consecutive requests carry different pods. Requests are prepared once in init(); request()
-- only picks the next one.
local requests = {}
local n = 0
local i = 0

function init(args)
  local file = os.getenv("KL_BENCH_REVIEWS")
  if file == nil then error("KL_BENCH_REVIEWS is not set") end
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  for line in io.lines(file) do
    if #line > 0 then
      n = n + 1
      requests[n] = wrk.format("POST", nil, headers, line)
    end
  end
  if n == 0 then error(file .. ": no reviews") end
  -- Threads start at different offsets so that they do not send the same pod at the same moment.
  i = math.random(n) - 1
end

function request()
  i = i % n + 1
  return requests[i]
end
