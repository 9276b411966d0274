// What task scripts print, shared by the CLI tests and the library tests: tasks must behave the same in
// either placement.

/** test/lua/tasks/wait-and-errors.lua, line by line. */
export function waitAndErrorsLines(file: string): string[] {
  return [
    'wait\t5\tsum',
    'wait again\t5\tsum',
    `pcall wait\tfalse\t${file}:9: task failed here`,
    'table error\tfalse\ttable\t7',
    `all\ttrue\tcounted\t200\tfalse\t${file}:9: task failed here`,
    "spawn nil\tfalse\tbad argument #1 to 'spawn' (function expected, got no value)",
    "spawn number\tfalse\tbad argument #1 to 'spawn' (function expected, got number)",
    'nested\ttogether 2\ttogether 2',
    'yield\tyielded thrice',
    'coroutine in task\t10\t20\t30\tcounted',
    '',
  ];
}

/** test/lua/socket-tasks/select-tasks.lua's whole output. */
export const SELECT_TASKS_OUTPUT = [
  ...Array.from({ length: 6 }, (_, i) => `client\t${i + 1}\techo client ${i + 1}`),
  'server\t6\t0',
  'napper\t0\t0\ttimeout',
  '',
].join('\n');
