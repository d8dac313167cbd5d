#!/usr/bin/env node
// The `tsix` command: runs the CLI bundle, dist/bundle/tsix.js (one file made
// by scripts/bundle.mjs; npm install and npm run build make it).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/bundle/tsix.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("tsix: not built yet; run `npm install` (or `npm run build`) in the tsix checkout\n");
  process.exit(2);
}
// TSIX_DEBUG=1 prints an internal error's stack: map it to the TypeScript
// sources. Only then, since reading the source map costs every boot ~15 ms.
if (process.env.TSIX_DEBUG) process.setSourceMapsEnabled(true);
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
