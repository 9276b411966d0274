#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`luahttp: ${e?.stack ?? e}\n`);
  process.exit(1);
});
