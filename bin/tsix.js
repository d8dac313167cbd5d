#!/usr/bin/env node
// The `tsix` command: runs the CLI bundle (one file made by scripts/bundle.mjs;
// npm install and npm run build make it). It runs dist/bundle/tsix.cjs, the
// bundle as one script, compiled with V8's code cache, or under TSIX_DEBUG=1
// dist/bundle/tsix.js, the same bundle as an ES module, with its source map.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const esm = new URL("../dist/bundle/tsix.js", import.meta.url);
const script = fileURLToPath(new URL("../dist/bundle/tsix.cjs", import.meta.url));
if (!existsSync(fileURLToPath(esm)) || !existsSync(script)) {
  process.stderr.write("tsix: not built yet; run `npm install` (or `npm run build`) in the tsix checkout\n");
  process.exit(2);
}

/** Writes the code cache after the run, when the run found none to use (or one a command that boots nothing made). */
let saveCache;

/**
 * The bundle as a script, compiled with V8's code cache (FILE.cache): node's
 * ES module loader takes none, and parsing and compiling the 1.7 MB bundle
 * cost every command ~40-50 ms (`tsix run -- echo hi`: 0.31 s, 0.25 s with the
 * cache). The cache starts with a line naming the bundle's size and mtime
 * (V8 checks only the source's length, and a rebuild may keep it) and whether
 * the command that made it booted a system. It is written (to a temporary
 * file, then renamed: runs may race) after a run that found none or a stale
 * one, so it also holds the functions that run compiled, and once more after
 * the first booting run if a command that boots nothing (`tsix --help`) made
 * it: that cache lacks the boot's functions (`tsix run -- true`: 349 ms of
 * CPU against 309). A failed write (a read-only install) costs only the next
 * run's compile.
 */
function loadScript(file, boots) {
  const src = readFileSync(file, "utf8");
  const st = statSync(file);
  const stamp = `tsix-cache ${st.size} ${st.mtimeMs} `;
  const cacheFile = `${file}.cache`;
  let data, fromBoot = false;
  try {
    const buf = readFileSync(cacheFile);
    const nl = buf.indexOf(10);
    const line = nl > 0 ? buf.toString("latin1", 0, nl) : "";
    if (line.startsWith(stamp)) { data = buf.subarray(nl + 1); fromBoot = line.endsWith(" boot"); }
  } catch { /* no cache yet */ }
  const code = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${src}\n})`, {
    filename: file,
    cachedData: data,
  });
  const mod = { exports: {} };
  code.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  if (data === undefined || code.cachedDataRejected || (boots && !fromBoot)) {
    saveCache = () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, Buffer.concat([Buffer.from(`${stamp}${boots ? "boot" : "other"}\n`, "latin1"), code.createCachedData()]));
        renameSync(tmp, cacheFile);
      } catch { /* read-only: compile again next time */ }
    };
  }
  return mod.exports.main;
}

let run;
if (process.env.TSIX_DEBUG) {
  // An internal error's stack then names the TypeScript sources: reading the
  // source map costs every boot ~15 ms, so only then.
  process.setSourceMapsEnabled(true);
  ({ main: run } = await import(esm.href));
} else {
  // Commands that boot a system: `tsix`, `tsix --disk ...`, `tsix run`, `tsix restore`.
  const cmd = process.argv[2];
  run = loadScript(script, cmd === undefined || cmd === "run" || cmd === "restore" || (cmd.startsWith("--") && cmd !== "--help" && cmd !== "--version"));
}
process.exitCode = await run(process.argv.slice(2));
saveCache?.();
