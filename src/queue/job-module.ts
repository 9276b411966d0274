// The Lua side of a job: `local job = require "luahttp.job"`. The module reads the current job through
// host functions of the runtime, so one VM serves job after job (its package.loaded keeps the module;
// every field is looked up when read).
import type { PlainValue } from '../channel/plain-values.js';
import type { HostFunctions } from '../runtime/options.js';

/** The global the host functions live under (the module keeps its own reference to them). */
const HOST_GLOBAL = '__luahttp_job';

export const JOB_MODULE_NAME = 'luahttp.job';

export const JOB_MODULE_SOURCE = `
local host = ${HOST_GLOBAL}
local job = {}
function job.progress(value)
  local t = type(value)
  if t ~= "number" and t ~= "table" then error("bad argument #1 to 'progress' (number or table expected, got " .. t .. ")", 2) end
  host.progress(value)
end
function job.log(text)
  host.log(tostring(text))
end
return setmetatable(job, {
  __index = function(_, k)
    if k == "id" then return host.id()
    elseif k == "data" then return host.data()
    elseif k == "name" then return host.name()
    elseif k == "attempt" then return host.attempt()
    end
  end,
})
`;

/** What a running job offers the module; null between jobs. */
export interface CurrentJob {
  id: string;
  name: string;
  args: unknown[];
  attempt: number;
  progress(value: number | object): Promise<void>;
  log(text: string): Promise<unknown>;
}

/** The host functions of one runtime, reading whichever job that runtime runs now. */
export function jobHostFunctions(current: () => CurrentJob | null): HostFunctions {
  const job = (): CurrentJob => {
    const j = current();
    if (!j) throw new Error('luahttp.job: no job is running');
    return j;
  };
  return {
    [HOST_GLOBAL]: {
      id: () => job().id,
      name: () => job().name,
      data: () => job().args as PlainValue,
      attempt: () => job().attempt,
      progress: async (value) => { await job().progress(value as number | object); },
      log: async (text) => { await job().log(String(text)); },
    },
  };
}
