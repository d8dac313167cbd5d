// What the swap tests under test/kernel/mm share: where their programs are,
// the 16 MiB machine they run on, reading a "name N" line of a program's
// output, and making a swap disk - in memory (answers at once) or a file on
// the host opened to answer later.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SRC_ROOT } from "../fs/harness.js";
import { memoryDisk } from "../../../hw/disk.js";
import { openFileDisk } from "../../../host/node/file_disk.js";
import { makeSwapHeader } from "../../../kernel/mm/swap_format.js";
import type { BlockBackend } from "../../../host/block.js";

export const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
export const MIB = 1024 * 1024;
/** The machine's RAM: small, so that a few MiB of data do not fit. */
export const MEM = 16 * MIB;

/** The number on the program's line "NAME N". */
export function field(out: string, name: string): number {
  const m = new RegExp(`^${name} (-?\\d+)$`, "m").exec(out);
  assert.ok(m, `${name} in\n${out}`);
  return Number(m[1]);
}

/** A whole disk of `mib` MiB that is one swap area (UUID bytes all `uuid`). */
export function swapImage(mib: number, uuid: number): Uint8Array {
  const b = new Uint8Array(mib * MIB);
  b.set(makeSwapHeader((mib * MIB) / 4096, new Uint8Array(16).fill(uuid)), 0);
  return b;
}

/** swapImage in memory: a disk that answers at once. */
export function swapMemoryDisk(mib: number, uuid: number): BlockBackend {
  const d = memoryDisk(mib * MIB);
  d.bytes.set(makeSwapHeader((mib * MIB) / 4096, new Uint8Array(16).fill(uuid)), 0);
  return d;
}

/** swapImage as a host file (removed at exit) opened to answer later. */
export function swapAsyncDisk(mib: number, uuid: number): BlockBackend {
  const dir = mkdtempSync(join(tmpdir(), "tsix-swapdisk-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const p = join(dir, "sw.img");
  writeFileSync(p, swapImage(mib, uuid));
  return openFileDisk(p, { io: "async" });
}
