// Machine snapshots (hw/snapshot.ts): a run snapshotted at a slice boundary,
// copied with structuredClone and restored into a fresh machine goes on
// exactly as the run that was never interrupted: the same UART bytes after
// the snapshot point, the same finisher code, the same instruction count,
// the same final registers, RAM and disk. The workload (snapshot/snap.c)
// keeps the UART, both timers, the PLIC and virtio-blk busy, on one and on
// two harts, with the interpreter and with the JIT. Also: RAM is stored
// sparse, a state from another kind of machine is refused with a one-line
// MachineStateError, and saving does not disturb the running machine.
//
// Concepts: C84 (snapshot/restore of the machine).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import * as L from "../../hw/core/layout.js";
import { createMachine, loadBareElf, type Machine, type MachineOptions } from "../../hw/machine.js";
import { memoryDisk } from "../../hw/disk.js";
import { buildMachineDtb } from "../../hw/machine_dtb.js";
import { saveMachine, restoreMachine, MachineStateError, type MachineState } from "../../hw/snapshot.js";
import { loadCore } from "../../host/node/core.js";
import { buildBare } from "./bare.js";

const SNAP_ELF = readFileSync(buildBare("test/hw/snapshot/snap.c"));
const SLICE = 10_000;
const MAX_SLICES = 20_000;
/** UART input, by the slice before which it arrives. */
const INPUT = new Map<number, string>([[12, "hello"], [40, "snapshot"]]);
const DISK_BYTES = 1 << 20;

function diskImage(): Uint8Array {
  const b = new Uint8Array(DISK_BYTES);
  for (let i = 0; i < b.length; i++) b[i] = (i * 5 + (i >> 9) * 3 + 1) & 0xff;
  return b;
}

interface Setup {
  harts: number;
  jit: boolean;
}

interface Live {
  m: Machine;
  out: number[];
  disk: Uint8Array;
}

function machine(s: Setup, disk: Uint8Array, jitForRestore?: boolean): Live {
  const out: number[] = [];
  const jit = jitForRestore ?? s.jit;
  const opts: MachineOptions = {
    memBytes: 16 << 20, harts: s.harts, disk: memoryDisk(disk), onUartOutput: (b) => out.push(b),
    rtcEpochNs: 1_700_000_000_000_000_000, jit: jit ? { hot: 2 } : false,
  };
  return { m: createMachine(loadCore(), opts), out, disk };
}

interface Outcome {
  out: string;
  /** UART output at the start of every slice (its length), to cut the run at any slice. */
  outAt: number[];
  finished: string;
  instructions: number;
  slices: number;
  harts: string;
  ram: string;
  disk: string;
  mtime: bigint;
}

function digest(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Architectural hart state (every word but the TLB statistics, which count a cache) of every hart. */
function hartDigest(m: Machine): string {
  const parts: string[] = [];
  for (let h = 0; h < m.harts; h++) {
    const st = m.hartState(h);
    for (let i = 0; i < st.length; i++) {
      if (i === L.TLB_HITS / 8 || i === L.TLB_MISSES / 8 || i === L.TLB_FLUSHES / 8) continue;
      parts.push(st[i].toString(16));
    }
  }
  return parts.join(",");
}

/**
 * Run snap.c slice by slice to the finisher. With `snapAt`, after pushing
 * that slice's input: save, structuredClone, restore into a fresh machine
 * (given a copy of the disk as it is at that moment, as a reopened image
 * would be) and go on with the restored one. `onSnapshot` sees the old
 * machine and the state.
 */
function runSnap(s: Setup, snapAt?: number, onSnapshot?: (old: Machine, state: MachineState) => void, restoreJit?: boolean): Outcome & { restored?: Machine } {
  let live = machine(s, diskImage());
  loadBareElf(live.m, SNAP_ELF);
  const outAt: number[] = [];
  let before: number[] = [];
  let restored: Machine | undefined;
  let slice = 0;
  for (; !live.m.finished && slice < MAX_SLICES; slice++) {
    const input = INPUT.get(slice);
    if (input !== undefined) live.m.uart.receive(new TextEncoder().encode(input));
    if (slice === snapAt) {
      const state = structuredClone(saveMachine(live.m));
      onSnapshot?.(live.m, state);
      before = live.out;
      const next = machine(s, live.disk.slice(), restoreJit);
      restoreMachine(next.m, state);
      // Saving the restored machine gives back the state it was restored from: nothing is dropped.
      if (restoreJit === undefined) assert.deepStrictEqual(saveMachine(next.m), state, `state round trip at slice ${slice}`);
      live = next;
      restored = next.m;
    }
    outAt.push(before.length + live.out.length);
    live.m.runSlice(SLICE);
  }
  const m = live.m;
  return {
    out: Buffer.from([...before, ...live.out]).toString("latin1"),
    outAt,
    finished: m.finished ? `${m.finished.kind} ${m.finished.code}` : "no finish",
    instructions: m.stats().instructions,
    slices: slice,
    harts: hartDigest(m),
    ram: digest(m.ram),
    disk: digest(live.disk),
    mtime: m.mtime(),
    restored,
  };
}

function assertSame(got: Outcome, want: Outcome, snapAt: number, what: string): void {
  const cut = want.outAt[snapAt];
  assert.equal(got.out.slice(cut), want.out.slice(cut), `${what}: UART output after the snapshot at slice ${snapAt}`);
  assert.equal(got.out, want.out, `${what}: whole UART output`);
  assert.equal(got.finished, want.finished, `${what}: finisher`);
  assert.equal(got.instructions, want.instructions, `${what}: instructions`);
  assert.equal(got.slices, want.slices, `${what}: slices`);
  assert.equal(got.mtime, want.mtime, `${what}: mtime`);
  assert.equal(got.harts, want.harts, `${what}: hart state`);
  assert.equal(got.ram, want.ram, `${what}: RAM`);
  assert.equal(got.disk, want.disk, `${what}: disk`);
}

const references = new Map<string, Outcome>();
function reference(s: Setup): Outcome {
  const key = `${s.harts}/${s.jit}`;
  let r = references.get(key);
  if (!r) {
    r = runSnap(s);
    references.set(key, r);
  }
  return r;
}

/** Snapshot points: early, mid-disk, with input unread (slices 12 and 40 push input), late, the last slice. */
function points(ref: Outcome): number[] {
  return [1, 5, 12, 30, 40, Math.floor(ref.slices * 0.7), ref.slices - 1];
}

test("the workload runs to a pass, with every device busy (one hart)", () => {
  const ref = reference({ harts: 1, jit: false });
  assert.equal(ref.finished, "pass 0", ref.out);
  assert.match(ref.out, /snap: hart 0 up\n/);
  // 16 sectors read back: sector 5 holds what the guest wrote, the others the image.
  const image = diskImage();
  for (let sec = 0; sec < 16; sec++) {
    let sum = 0n;
    for (let i = 0; i < 512; i++) sum = BigInt.asUintN(64, sum * 31n + BigInt(sec === 5 ? (i * 7 + 3) & 0xff : image[sec * 512 + i]));
    assert.ok(ref.out.includes(`sector ${sec.toString(16).padStart(2, "0")} ${sum.toString(16).padStart(16, "0")}\n`), `sector ${sec}`);
  }
  assert.match(ref.out, /<h><e><l><l><o>/);
  assert.match(ref.out, /<s><n><a><p><s><h><o><t>/);
  // 12 + 9 timer interrupts, 13 input bytes, 17 disk completions, one RTC alarm 3 ms ahead, read back later.
  const sum = /snap: m=0c s=09 s1=00 rx=0d vio=11 shared=00000000 x=[0-9a-f]{16} rtc=01 dt=([0-9a-f]{12}) spurious=00\n$/.exec(ref.out);
  assert.ok(sum, ref.out.slice(-200));
  assert.ok(Number.parseInt(sum[1], 16) > 3_000_000, "the RTC ran on machine time past the alarm");
  assert.equal((ref.out.match(/T/g) ?? []).length, 12, "machine timer interrupts");
  assert.ok(ref.slices > 80, `enough slices to snapshot in (${ref.slices})`);
});

for (const harts of [1, 2]) {
  test(`snapshot and restore at several slices gives the uninterrupted run (${harts} hart${harts > 1 ? "s" : ""})`, () => {
    const s = { harts, jit: false };
    const ref = reference(s);
    assert.equal(ref.finished, "pass 0", ref.out);
    if (harts === 2) assert.match(ref.out, / s1=09 /, "hart 1 took its timer interrupts");
    for (const n of points(ref)) {
      let pendingChecked = false;
      const got = runSnap(s, n, (old, state) => {
        if (n === 12 || n === 40) {
          // Input arrived just before the snapshot: unread in the UART, its interrupt pending at hart 0.
          assert.ok(old.uart.rxPending > 0, "unread UART input at the snapshot");
          assert.ok(state.devices.uart.fifoCount > 0, "the state holds the FIFO");
          assert.notEqual(old.hartState(0)[L.MIP / 8] & (1n << 11n), 0n, "MEIP pending at the snapshot");
          pendingChecked = true;
        }
      });
      assertSame(got, ref, n, `${harts} hart(s), snapshot at slice ${n}`);
      if (n === 12 || n === 40) assert.ok(pendingChecked);
    }
  });
}

test("saving does not disturb the running machine", () => {
  const s = { harts: 2, jit: false };
  const ref = reference(s);
  let live = machine(s, diskImage());
  loadBareElf(live.m, SNAP_ELF);
  let slice = 0;
  for (; !live.m.finished && slice < MAX_SLICES; slice++) {
    const input = INPUT.get(slice);
    if (input !== undefined) live.m.uart.receive(new TextEncoder().encode(input));
    if (slice % 7 === 0) saveMachine(live.m);
    live.m.runSlice(SLICE);
  }
  assert.equal(Buffer.from(live.out).toString("latin1"), ref.out);
  assert.equal(live.m.stats().instructions, ref.instructions);
  assert.equal(hartDigest(live.m), ref.harts);
});

test("with the JIT on, snapshot and restore gives the uninterrupted run (translated code is rebuilt)", () => {
  const s = { harts: 2, jit: true };
  const ref = reference(s);
  // The tiers run in lockstep, so the JIT run is the interpreter's run.
  assert.equal(ref.out, reference({ harts: 2, jit: false }).out);
  assert.equal(ref.instructions, reference({ harts: 2, jit: false }).instructions);
  for (const n of [5, 30, Math.floor(ref.slices * 0.7)]) {
    let regionsAtSnapshot = 0;
    const got = runSnap(s, n, (old) => { regionsAtSnapshot = old.jit.stats().regionsLive; });
    assertSame(got, ref, n, `jit, snapshot at slice ${n}`);
    assert.ok(regionsAtSnapshot > 0, "the snapshotted machine had translated code");
    const st = got.restored!.jit.stats();
    assert.ok(st.enabled && st.regionsTranslated > 0 && st.jitInstructions > 0, `the restored machine translated and ran code again: ${JSON.stringify(st)}`);
  }
  // A state saved with the JIT on restores into an interpreting machine and the other way round.
  assertSame(runSnap(s, 30, undefined, false), ref, 30, "jit -> interpreter");
  assertSame(runSnap({ harts: 2, jit: false }, 30, undefined, true), ref, 30, "interpreter -> jit");
});

test("state the workload leaves at zero is carried over too: core globals, bus counters, finisher", () => {
  const m = createMachine(loadCore(), { memBytes: 16 << 20, jit: false });
  loadBareElf(m, SNAP_ELF);
  m.runSlice(1000);
  const s = saveMachine(m);
  assert.equal(BigInt(s.cpu.mtimeNow), m.core.csrRead(0xc01), "the time host CSR reads see");
  assert.equal(s.cpu.hostWants, false);
  assert.equal(s.cpu.exc, -1);
  // A device asked for the host and the slice ended before the core looked: the next run returns at once.
  const t: MachineState = {
    ...s,
    cpu: { ...s.cpu, hostWants: true, mtimeNow: "123456789" },
    devices: {
      ...s.devices,
      bus: { lastFault: true, lastFaultAddress: 0x5000, unmappedReads: 3, unmappedWrites: 4 },
      finisher: { lastValue: 0x1234 },
    },
  };
  const fresh = createMachine(loadCore(), { memBytes: 16 << 20, jit: false });
  restoreMachine(fresh, structuredClone(t));
  assert.deepStrictEqual(saveMachine(fresh), t);
  assert.equal(fresh.bus.unmappedReads, 3);
  assert.equal(fresh.core.csrRead(0xc01), 123456789n);
  assert.equal(fresh.core.run(1000), L.EXIT_HOST);
  assert.equal(fresh.core.retired(), 0);
  assert.equal(fresh.core.run(1000), L.EXIT_BUDGET, "the request is consumed");
});

test("in host clock mode, time goes on from the saved mtime after a restore", () => {
  const m = createMachine(loadCore(), { memBytes: 16 << 20, clock: "host", jit: false });
  m.setMtime(1_000_000_000n); // 100 s of machine time, far ahead of the host clock since power-on
  const s = saveMachine(m);
  const fresh = createMachine(loadCore(), { memBytes: 16 << 20, clock: "host", jit: false });
  restoreMachine(fresh, structuredClone(s));
  assert.equal(fresh.mtime(), 1_000_000_000n);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30); // 30 ms of host time
  fresh.syncClock();
  const dt = Number(fresh.mtime() - 1_000_000_000n);
  assert.ok(dt >= 250_000 && dt < 50_000_000, `mtime advanced by ${dt} ticks in 30 ms (neither stood still nor jumped)`);
});

test("RAM is stored sparse: only the pages that are not all zero", () => {
  const memBytes = 64 << 20;
  const m = createMachine(loadCore(), { memBytes, jit: false });
  const elf = readFileSync(buildBare("test/hw/snapshot/pages.S"));
  loadBareElf(m, elf);
  for (let i = 0; i < 100 && !m.finished; i++) m.runSlice(10_000);
  assert.deepEqual(m.finished, { kind: "pass", code: 0 });
  const s = saveMachine(m);
  // The program's page, the three pages it wrote, and the device tree's pages at the top of RAM.
  const dtb = buildMachineDtb({ memBase: L.RAM_PA, memSize: memBytes, harts: 1 });
  const dtbOff = Math.floor((memBytes - dtb.length) / 0x200000) * 0x200000;
  const want = [0, 0x100, 0x2000, 0x3fff];
  for (let p = dtbOff / 4096; p * 4096 < dtbOff + dtb.length; p++) want.push(p);
  want.sort((a, b) => a - b);
  assert.deepEqual([...s.ram.pages], want);
  assert.equal(s.ram.data.length, want.length * 4096);
  assert.ok(s.ram.data.length * 1000 < memBytes, `RAM part ${s.ram.data.length} bytes of ${memBytes}`);
  // The page written with a single byte at its very end is kept whole.
  assert.equal(s.ram.data[want.indexOf(0x3fff) * 4096 + 4095], 0x5a);
  // And it comes back byte for byte, in a machine whose RAM was not zero.
  const fresh = createMachine(loadCore(), { memBytes, jit: false });
  fresh.ram.fill(0xee, 0x1000000, 0x1001000);
  restoreMachine(fresh, structuredClone(s));
  assert.equal(Buffer.compare(Buffer.from(fresh.ram), Buffer.from(m.ram)), 0);
  assert.deepEqual(fresh.finished, { kind: "pass", code: 0 });
});

test("a state from another kind of machine is refused with a one-line MachineStateError", () => {
  const base = { memBytes: 16 << 20, harts: 2, jit: false };
  const m = createMachine(loadCore(), { ...base, disk: memoryDisk(DISK_BYTES) });
  loadBareElf(m, SNAP_ELF);
  m.runSlice(SLICE);
  const s = saveMachine(m);
  const refuse = (opts: MachineOptions, pattern: RegExp, state: MachineState = s): void => {
    const target = createMachine(loadCore(), opts);
    assert.throws(() => restoreMachine(target, structuredClone(state)), (err: unknown) => {
      assert.ok(err instanceof MachineStateError, String(err));
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  };
  refuse({ ...base, memBytes: 32 << 20, disk: memoryDisk(DISK_BYTES) }, /memory 16 MiB \(this machine: 32 MiB\)/);
  refuse({ ...base, harts: 1, disk: memoryDisk(DISK_BYTES) }, /harts 2 \(this machine: 1\)/);
  refuse({ ...base, clock: "host", disk: memoryDisk(DISK_BYTES) }, /clock instret \(this machine: host\)/);
  refuse({ ...base, insnsPerTick: 20, disk: memoryDisk(DISK_BYTES) }, /insns-per-tick 10 \(this machine: 20\)/);
  refuse({ ...base, rtcEpochNs: 5, disk: memoryDisk(DISK_BYTES) }, /rtc epoch host clock \(this machine: 5\)/);
  refuse({ ...base }, /a disk of 2048 sectors \(this machine: no disk\)/);
  refuse({ ...base, disk: memoryDisk(2 * DISK_BYTES) }, /a disk of 2048 sectors \(this machine: a disk of 4096 sectors\)/);
  refuse({ ...base, disk: memoryDisk(DISK_BYTES, { readOnly: true }) }, /\(this machine: a read-only disk of 2048 sectors\)/);
  const ok = { ...base, disk: memoryDisk(DISK_BYTES) };
  refuse(ok, /version 99 is not supported/, { ...s, version: 99 });
  refuse(ok, /not a tsix machine state/, { ...s, format: "other" } as unknown as MachineState);
  refuse(ok, /RAM part is malformed/, { ...s, ram: { ...s.ram, data: s.ram.data.subarray(1) } });
  refuse(ok, /RAM page list is malformed/, { ...s, ram: { ...s.ram, pages: s.ram.pages.map(() => 1 << 30) } });
  refuse(ok, /hart part is malformed/, { ...s, cpu: { ...s.cpu, saved: s.cpu.saved.subarray(8) } });
  refuse(ok, /does not fit this machine: plic/, { ...s, devices: { ...s.devices, plic: { ...s.devices.plic, enable: new Uint32Array(1) } } });
});
