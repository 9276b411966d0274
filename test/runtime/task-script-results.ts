// What test/lua/tasks/wait-and-errors.lua prints, line by line: the CLI test and the library test both
// expect exactly this, since tasks must behave the same in either placement.
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
