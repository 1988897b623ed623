-- wrk script: POSTs the seed's component alert with a distinct part number per request, so every
-- request is a new notice (a repeated body would only measure the duplicate path).
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  thread_id = id
  n = 0
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  n = n + 1
  local body = string.format(
    '{"source_platform":"SiliconExpert","manufacturer_code":"TI","part_number":"TPS54331D-%d-%d-%d",' ..
    '"lifecycle_status":"EOL","raw_context":"Texas Instruments PDN 20260113002: last time buy 2027-03-31."}',
    os.time(), thread_id, n)
  return wrk.format(nil, "/v1/ingest/component-alert", nil, body)
end
