-- GET a random line of BENCH_LIST ("<path> <token>"), authenticated as that line's company.
local lines = {}
init = function()
  for line in io.lines(os.getenv("BENCH_LIST")) do
    local path, token = line:match("^(%S+) (%S+)$")
    lines[#lines + 1] = { path, token }
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  local pick = lines[math.random(#lines)]
  return wrk.format("GET", pick[1], { ["Authorization"] = "Bearer " .. pick[2] })
end
