#!/usr/bin/env node
// CommonJS on purpose: Node 20 loads a CommonJS graph ~6 ms faster than the same modules as ESM.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  process.stderr.write(`luahttp needs Node.js 20.18 or newer (22 or 24 LTS recommended); this is Node ${process.version}\n`);
  process.exit(1);
}
require('../dist/startup/module-pack.js').installModulePack();
const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`luahttp: ${e?.stack ?? e}\n`);
  process.exit(1);
});
