// The struct layouts of kernel/abi/ against Linux's own headers, and pack/unpack
// on edge values. A C program (progs/abi_layout.c) prints sizeof/offsetof,
// the width and the signedness of every field as the riscv64 uapi headers
// declare them; each line must match the layout of the same name here, and
// every field a layout declares must be one the program checked. The
// program runs under tsix and, when installed, under qemu-riscv64 (the two
// outputs must be the same).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Layout, type FieldType, pack, unpack, unpackBig } from "../../../kernel/abi/layout.js";
import { TIMESPEC, TIMEVAL, ITIMERVAL, TMS } from "../../../kernel/abi/time.js";
import { RUSAGE, RLIMIT } from "../../../kernel/abi/resource.js";
import { SIGACTION, SIGSET, SIGSET_ARGPACK, STACK_T, SIGINFO, UCONTEXT, SIGCONTEXT, D_EXT_STATE, UC_OFF, UC_STACK, UC_SIGMASK, UC_MCONTEXT, MC_FPREGS } from "../../../kernel/abi/signal.js";
import { AUXV_ENTRY } from "../../../kernel/abi/auxv.js";
import { STAT, STATX, STATFS, FLOCK, DIRENT64, PIPEFDS, POLLFD, EPOLL_EVENT, EVENTFD_VALUE, IOVEC } from "../../../kernel/abi/fs.js";
import { SYSINFO } from "../../../kernel/abi/sysinfo.js";
import { ROBUST_LIST_HEAD, ROBUST_LIST } from "../../../kernel/abi/futex.js";
import { CAP_HEADER, CAP_DATA } from "../../../kernel/abi/capability.js";
import { SCHED_PARAM } from "../../../kernel/abi/sched.js";
import { TERMIOS, TERMIOS2, TERMIO, WINSIZE, TERMIOS_CC, TERMIO_CC } from "../../../kernel/abi/termios.js";
import { FRAME_SIZE } from "../../../kernel/signal/frame.js";
import { run, program, explain, SRC_ROOT, skipNoCC } from "../fs/harness.js";

type AnyLayout = Layout<string>;

/** Every layout kernel/abi declares, by the name the C program prints. */
const LAYOUTS: Record<string, AnyLayout> = {
  TIMESPEC, TIMEVAL, ITIMERVAL, TMS, RUSAGE, RLIMIT,
  SIGACTION, SIGSET, SIGSET_ARGPACK, STACK_T, SIGINFO, UCONTEXT, SIGCONTEXT, D_EXT_STATE, AUXV_ENTRY,
  STAT, STATX, STATFS, FLOCK, DIRENT64, PIPEFDS, POLLFD, EPOLL_EVENT, EVENTFD_VALUE,
  SYSINFO, CAP_HEADER, CAP_DATA, SCHED_PARAM, TERMIOS, TERMIOS2, TERMIO, WINSIZE,
  ROBUST_LIST_HEAD, ROBUST_LIST, IOVEC,
};
/**
 * Layouts no uapi header declares, so the C program cannot print them:
 * pselect6's argument pack is kernel-internal (fs/select.c), pipe2's int[2]
 * and eventfd's u64 are not structs.
 */
const NOT_IN_HEADERS = new Set(["SIGSET_ARGPACK", "PIPEFDS", "EVENTFD_VALUE"]);

const WIDTH: Record<FieldType, number> = { u8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };
const SIGNED = (t: FieldType): boolean => t[0] === "i";

/** What C's conversion of integer `v` to `type` gives back, as unpack reports it (a Number). */
function converted(type: FieldType, v: number): number {
  const w = WIDTH[type] * 8;
  return Number(SIGNED(type) ? BigInt.asIntN(w, BigInt(v)) : BigInt.asUintN(w, BigInt(v)));
}

/** Read a field straight from the bytes (independently of unpack). */
function readRaw(b: Uint8Array, off: number, type: FieldType): bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case "u8": return BigInt(dv.getUint8(off));
    case "u16": return BigInt(dv.getUint16(off, true));
    case "i16": return BigInt(dv.getInt16(off, true));
    case "u32": return BigInt(dv.getUint32(off, true));
    case "i32": return BigInt(dv.getInt32(off, true));
    case "u64": return dv.getBigUint64(off, true);
    case "i64": return dv.getBigInt64(off, true);
  }
}

const EDGES = [0, 1, -1, 0x7f, 0xff, 0x7fff, 0xffff, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 53 - 1, -(2 ** 53 - 1)];

test("pack/unpack round-trip every field of every layout on edge values, little-endian at the declared offset", () => {
  for (const [name, l] of Object.entries(LAYOUTS)) {
    for (const [field, [off, type]] of Object.entries(l.fields) as [string, readonly [number, FieldType]][]) {
      for (const v of EDGES) {
        for (const at of [0, 8]) {
          // Union members overlap, so one field at a time, into a buffer with room before and after.
          const b = new Uint8Array(at + l.size + 8);
          pack(l, { [field]: v }, b, at);
          const want = converted(type, v);
          const got = unpack(l, b, at)[field];
          assert.equal(got, want, `${name}.${field} (${type}) packed ${v} at +${at}: unpacked ${got}, C gives ${want}`);
          const raw = readRaw(b, at + off, type);
          assert.equal(raw, SIGNED(type) ? BigInt.asIntN(WIDTH[type] * 8, BigInt(v)) : BigInt.asUintN(WIDTH[type] * 8, BigInt(v)), `${name}.${field} bytes at ${off}`);
          // Nothing else is written: every byte outside the field stays zero.
          for (let i = 0; i < b.length; i++) {
            if (i >= at + off && i < at + off + WIDTH[type]) continue;
            assert.equal(b[i], 0, `${name}.${field}=${v} wrote byte ${i - at}`);
          }
          if (WIDTH[type] === 8) assert.equal(unpackBig(l, b, field, at), raw, `${name}.${field} unpackBig`);
        }
      }
    }
  }
});

test("64-bit fields keep all 64 bits through pack(BigInt) and unpackBig (masks, epoll data)", () => {
  const all = 0xffffffffffffffffn, odd = 0x8000000000000001n;
  assert.equal(unpackBig(SIGSET, pack(SIGSET, { sig: all }), "sig"), all);
  assert.equal(unpackBig(SIGACTION, pack(SIGACTION, { sa_mask: odd }), "sa_mask"), odd);
  assert.equal(unpackBig(EPOLL_EVENT, pack(EPOLL_EVENT, { data: odd }), "data"), odd);
  assert.equal(unpackBig(STAT, pack(STAT, { st_size: -1n }), "st_size"), -1n);
});

test("main struct sizes are Linux riscv64's", () => {
  const want: Record<string, number> = {
    STAT: 128, STATX: 256, STATFS: 120, SIGACTION: 24, SIGINFO: 128, UCONTEXT: 960, SIGCONTEXT: 784, D_EXT_STATE: 264, AUXV_ENTRY: 16, SYSINFO: 112,
    EPOLL_EVENT: 16, POLLFD: 8, FLOCK: 32, STACK_T: 24, TIMESPEC: 16, RUSAGE: 144, TERMIOS: 36, TERMIOS2: 44, WINSIZE: 8,
  };
  for (const [n, size] of Object.entries(want)) assert.equal(LAYOUTS[n].size, size, n);
  // The signal frame: siginfo, then the ucontext; the offsets the frame code uses come from UCONTEXT.
  assert.deepEqual([UC_OFF, UC_STACK, UC_SIGMASK, UC_MCONTEXT, MC_FPREGS, FRAME_SIZE], [128, 16, 40, 176, 256, 1088]);
  assert.equal(EPOLL_EVENT.fields.data[0], 8, "epoll_event is not packed on riscv64");
});

/** Parse the C program's report and compare it with the layouts. */
function checkAgainstC(out: string): void {
  const seen = new Map<string, Set<string>>();
  let lines = 0;
  for (const line of out.trim().split("\n")) {
    const [name, field, ...rest] = line.trim().split(/\s+/);
    lines++;
    if (field === "cc") {
      assert.equal(Number(rest[0]), name === "TERMIO" ? TERMIO_CC : TERMIOS_CC, `${name} c_cc offset`);
      continue;
    }
    const l = LAYOUTS[name];
    assert.ok(l, `the C program reports ${name}, which no layout declares`);
    if (!seen.has(name)) seen.set(name, new Set());
    if (field === "size") {
      assert.equal(l.size, Number(rest[0]), `sizeof ${name}`);
      seen.get(name)!.add("(size)");
      continue;
    }
    const f = l.fields[field];
    assert.ok(f, `${name} has no field ${field} (C has it at ${rest[0]})`);
    const [off, width, sign] = [Number(rest[0]), Number(rest[1]), rest[2]];
    assert.equal(f[0], off, `offsetof ${name}.${field}`);
    assert.equal(WIDTH[f[1]], width, `sizeof ${name}.${field}`);
    if (sign !== "-") assert.equal(SIGNED(f[1]) ? "s" : "u", sign, `signedness of ${name}.${field} (${f[1]})`);
    seen.get(name)!.add(field);
  }
  assert.ok(lines > 150, `only ${lines} lines from the C program`);
  // Every layout and every field in it was checked against the headers.
  for (const [name, l] of Object.entries(LAYOUTS)) {
    if (NOT_IN_HEADERS.has(name)) continue;
    const s = seen.get(name);
    assert.ok(s?.has("(size)"), `no sizeof ${name} from C`);
    for (const field of Object.keys(l.fields)) assert.ok(s!.has(field), `${name}.${field} not checked against C`);
  }
}

test("every layout matches offsetof/sizeof/signedness from the riscv64 uapi headers (C program under tsix)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const dir = resolve(SRC_ROOT, "test/kernel/abi/progs");
  const r = await run("abi_layout", { dir });
  assert.equal(r.status, 0, explain(r));
  checkAgainstC(r.out);

  const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
  if (!haveQemu) return;
  // The same program on Linux (qemu-riscv64) prints the same report.
  const tmp = mkdtempSync(join(tmpdir(), "tsix-abi-"));
  try {
    const exe = join(tmp, "abi_layout");
    writeFileSync(exe, program("abi_layout", dir), { mode: 0o755 });
    const q = spawnSync("qemu-riscv64", [exe], { encoding: "utf8", timeout: 60_000 });
    assert.equal(q.status, 0, q.stderr);
    assert.equal(r.out, q.stdout, "tsix and qemu-riscv64 print different reports");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
