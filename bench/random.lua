-- A random line of BENCH_LIST ("<path> <token>"), authenticated as that line's company.
-- BENCH_BODY empty: GET; "name": PATCH renaming a container image; "environment": PATCH of an
-- environment's description; "registry": PATCH of a registry connection's refreshIntervalMinutes;
-- "image:<repository>": PATCH pointing an application at <repository>:v1 (checked against the registry).
local lines = {}
local body_kind = os.getenv("BENCH_BODY") or ""
local counter = 0
init = function()
  for line in io.lines(os.getenv("BENCH_LIST")) do
    local path, token = line:match("^(%S+) (%S+)$")
    lines[#lines + 1] = { path, token }
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  local pick = lines[math.random(#lines)]
  local headers = { ["Authorization"] = "Bearer " .. pick[2] }
  if body_kind == "" then
    return wrk.format("GET", pick[1], headers)
  end
  counter = counter + 1
  local body
  if body_kind == "name" then
    body = '{"name":"renamed-' .. counter .. '"}'
  elseif body_kind == "environment" then
    body = '{"description":"patched ' .. counter .. '"}'
  elseif body_kind == "registry" then
    body = '{"refreshIntervalMinutes":' .. (5 + counter % 1000) .. '}'
  else
    body = '{"imageName":"' .. body_kind:sub(7) .. '","imageTag":"v1"}'
  end
  headers["Content-Type"] = "application/json"
  return wrk.format("PATCH", pick[1], headers, body)
end
