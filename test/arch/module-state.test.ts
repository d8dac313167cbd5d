// No module-level mutable state under kernel/ or hw/: every kernel's state
// is in its Kernel object (and every machine's in its Machine), so that
// state is plain data a snapshot can copy and two kernels in one process
// share nothing. A module may hold constants and registries of code
// (kernel/lib/registry.ts); a top-level `let` or `var` is state. The one
// left is stated below with the work that removes it.
//
// Concepts: C84 (kernel state as data).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SRC_ROOT, tsFiles } from "./imports.js";

/** Top-level mutable bindings still allowed, each with the reason (none: keep it that way). */
const KNOWN: Record<string, string> = {};

test("kernel/ and hw/ have no top-level let or var (module-level mutable state)", () => {
  // hw/core is AssemblyScript compiled to wasm: its globals live in each machine's instance.
  const files = [...tsFiles("kernel"), ...tsFiles("hw")].filter((f) => !f.startsWith("hw/core/"));
  assert.ok(files.length > 80, `the scan sees the sources (${files.length} files)`);
  const found: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(SRC_ROOT, f), "utf8");
    for (const m of text.matchAll(/^(?:export\s+)?(?:let|var)\s+([A-Za-z_$][\w$]*)/gm)) found.push(`${f}: ${m[1]}`);
  }
  const unknown = found.filter((x) => !(x in KNOWN));
  assert.deepEqual(unknown, [], `module-level mutable state:\n${unknown.join("\n")}`);
  const gone = Object.keys(KNOWN).filter((x) => !found.includes(x));
  assert.deepEqual(gone, [], "these are gone: strike them from KNOWN");
});
