// Layers import only downward (docs/design.md). Between top-level folders the
// rule holds everywhere and is enforced outright: hw/ imports nothing above
// it, and hw/ and kernel/ import nothing from Node.
//
// Inside the kernel the chain is abi -> lib -> mm -> sched/time ->
// task/signal -> fs -> ipc/tty/drivers -> process lifecycle -> trace ->
// syscalls -> trap -> kernel loop (test/arch/imports.ts). The rule for
// value imports (anything that is executed: functions, constants, classes)
// is strict: they run down the chain and form no cycle. Type-only imports
// (`import type`, or `type` on every name of an import) are exempt: the
// compiler erases them, so they add no load order and no call, and they play
// the role of C's forward declarations (`struct task_struct;`): a record low
// in the chain may name the type of a record owned higher up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SRC_ROOT, importGraph, isUpward, cycles, report, tsFiles } from "./imports.js";

test("no upward imports between top-level folders; hw/ and kernel/ import nothing from Node", () => {
  const edges = importGraph();
  const crossUp = edges.filter((e) => e.from.split("/")[0] !== e.to.split("/")[0] && isUpward(e));
  assert.deepEqual(crossUp.map((e) => `${e.from} -> ${e.to}`), [], report());
  // Bare specifiers (node:fs, packages) are not in the relative graph: look for them directly.
  const nodeUse: string[] = [];
  const re = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](node:[^"']+|fs|path|os|child_process|worker_threads|crypto)["']/;
  for (const file of [...tsFiles("hw"), ...tsFiles("kernel")]) {
    if (re.test(readFileSync(join(SRC_ROOT, file), "utf8"))) nodeUse.push(file);
  }
  assert.deepEqual(nodeUse, [], "these hw/kernel modules import Node modules");
});

test("kernel value imports run only down the chain and form no cycle", () => {
  const edges = importGraph().filter((e) => e.from.startsWith("kernel/") && e.to.startsWith("kernel/") && !e.typeOnly);
  const up = [...new Set(edges.filter(isUpward).map((e) => `${e.from} -> ${e.to}`))].sort();
  assert.deepEqual(up, [], `value imports that run up the kernel's chain:\n${up.join("\n")}\n${report()}`);
  const cyc = cycles(edges);
  assert.deepEqual(cyc, [], `import cycles among kernel files:\n${cyc.map((c) => c.join(" -> ")).join("\n")}`);
});

test("the import graph reader sees what it should", () => {
  // A known downward import and a known Node import outside hw/kernel prove the reader works at all.
  const edges = importGraph(["kernel", "cli"]);
  assert.ok(edges.some((e) => e.from === "kernel/boot.ts" && e.to === "kernel/proc/task.ts"));
  assert.ok(edges.some((e) => e.from.startsWith("cli/") && e.to.startsWith("kernel/")));
  assert.equal(isUpward({ from: "hw/machine.ts", to: "kernel/kernel.ts", typeOnly: true }), true);
  // The host interfaces (host/*.ts) may be named type-only from hw/ and kernel/; a value import, or host/node/, stays upward.
  assert.equal(isUpward({ from: "hw/disk.ts", to: "host/block.ts", typeOnly: true }), false);
  assert.equal(isUpward({ from: "hw/disk.ts", to: "host/block.ts", typeOnly: false }), true);
  assert.equal(isUpward({ from: "kernel/fs/hostfs/hostfs.ts", to: "host/node/hostfs.ts", typeOnly: true }), true);
  assert.equal(isUpward({ from: "kernel/syscalls/mm.ts", to: "kernel/mm/mm.ts", typeOnly: false }), false);
  assert.equal(isUpward({ from: "kernel/mm/mm.ts", to: "kernel/syscalls/mm.ts", typeOnly: false }), true);
  assert.deepEqual(cycles([{ from: "a", to: "b", typeOnly: false }, { from: "b", to: "a", typeOnly: false }, { from: "b", to: "c", typeOnly: false }]), [["a", "b"]]);
});

// The kernel's public entry point (kernel/index.ts): the vmm, the CLI, the
// host adapters and the benchmarks reach the kernel through it, or through
// the ABI's numbers and layouts (kernel/abi/), never through its internals;
// and the kernel does not build its machine (the vmm does, vmm/vmm.ts).
test("outside kernel/, only kernel/index.ts and kernel/abi/ are imported; the kernel does not create its machine", () => {
  const edges = importGraph(["vmm", "cli", "host", "bench"]);
  const inner = edges.filter((e) => e.to.startsWith("kernel/") && e.to !== "kernel/index.ts" && !e.to.startsWith("kernel/abi/"));
  assert.deepEqual(inner.map((e) => `${e.from} -> ${e.to}`), [], "import these through kernel/index.ts");
  assert.ok(edges.some((e) => e.from.startsWith("vmm/") && e.to === "kernel/index.ts"), "the vmm uses the kernel's entry point");
  const machineMakers = importGraph(["kernel"]).filter((e) => e.to === "hw/machine.ts" && !e.typeOnly);
  assert.deepEqual(machineMakers.map((e) => e.from), [], "the kernel imports hw/machine.ts for types only: the vmm creates the machine");
});
