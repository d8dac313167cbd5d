// Issue 7: every struct the kernel marshals is a layout in kernel/abi/
// (pack/unpack) and plain little-endian scalars go through kernel/abi/le.ts,
// so no kernel file builds a DataView by hand (they also cost an allocation
// per call on syscall paths). A site that really needs one must be named
// here with its reason.
//
// Concepts: C05 (the ABI defined once).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SRC_ROOT, tsFiles } from "./imports.js";

const KNOWN: Record<string, string> = {};

test("no kernel file creates a DataView (layouts and abi/le.ts instead)", () => {
  const files = tsFiles("kernel");
  assert.ok(files.length > 80, `the scan sees the sources (${files.length} files)`);
  const found: string[] = [];
  for (const f of files) {
    const lines = readFileSync(join(SRC_ROOT, f), "utf8").split("\n");
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      if (/\bnew\s+DataView\b|\bDataView\s*\(/.test(code)) found.push(`${f}:${i + 1}`);
    });
  }
  const unknown = found.filter((x) => !(x.split(":")[0] in KNOWN));
  assert.deepEqual(unknown, [], `hand-made DataViews:\n${unknown.join("\n")}`);
});
