-- PATCH a random line of BENCH_LIST: BENCH_BODY "name" renames a container image,
-- "image:<repository>" points an application at <repository>:v1 (checked against the registry).
local lines = {}
local body_kind = os.getenv("BENCH_BODY")
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
  counter = counter + 1
  local body
  if body_kind == "name" then
    body = '{"name":"renamed-' .. counter .. '"}'
  else
    body = '{"imageName":"' .. body_kind:sub(7) .. '","imageTag":"v1"}'
  end
  return wrk.format("PATCH", pick[1], { ["Authorization"] = "Bearer " .. pick[2],
    ["Content-Type"] = "application/json" }, body)
end
