#!/usr/bin/env node
// CommonJS on purpose: Node 20 loads a CommonJS graph ~6 ms faster than the same modules as ESM.
require('../dist/startup/module-pack.js').installModulePack();
const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`luahttp: ${e?.stack ?? e}\n`);
  process.exit(1);
});
