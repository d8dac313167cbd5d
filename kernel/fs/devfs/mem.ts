// The memory devices of major 1 (Linux's drivers/char/mem.c): /dev/null
// (reads end at once, writes vanish), /dev/zero (reads zeros; mmap gives
// zero-filled memory), /dev/full (writes fail with ENOSPC), /dev/random and
// /dev/urandom (reads random bytes, never block). Also the console sink used
// for PID 1's stdio when no console driver is registered.
//
// Concepts: C14 (everything is a file: devices in /dev).
import type { Kernel } from "../../kernel.js";
import type { File } from "../vfs.js";
import { registerCharDevice } from "../chardev.js";
import { anonSharedMapping } from "../mapping.js";
import { DEFAULT_POLLMASK } from "../../abi/fs.js";
import { ENOSPC } from "../../abi/errno.js";
import { USER_TOP } from "../../mm/pagetable.js";
import { randomBytes } from "../../lib/random.js";
import { defineFileOps } from "../../lib/fsops.js";

export const MEM_MAJOR = 1;
export const NULL_MINOR = 3, ZERO_MINOR = 5, FULL_MINOR = 7, RANDOM_MINOR = 8, URANDOM_MINOR = 9;

/** Every position is fine and seeking never fails (noop_llseek / memory_lseek). */
const seekNowhere = (_k: Kernel, f: File, off: number, whence: number): number => {
  if (whence === 0) f.pos = off;
  else if (whence === 1) f.pos += off;
  return whence <= 1 ? f.pos : 0;
};

const poll = (): number => DEFAULT_POLLMASK;

export const nullFops = defineFileOps("mem.null", {
  read: () => 0,
  write: (_k, _t, _f, buf) => buf.length,
  llseek: () => 0,
  poll,
});

export const zeroFops = defineFileOps("mem.zero", {
  read: (_k, _t, _f, buf) => { buf.fill(0); return buf.length; },
  write: (_k, _t, _f, buf) => buf.length,
  llseek: seekNowhere,
  poll,
  mmap: () => anonSharedMapping(USER_TOP, "/dev/zero", 5),
});

export const fullFops = defineFileOps("mem.full", {
  read: (_k, _t, _f, buf) => { buf.fill(0); return buf.length; },
  write: (_k, _t, _f, buf) => (buf.length === 0 ? 0 : -ENOSPC),
  llseek: seekNowhere,
  poll,
});

export const randomFops = defineFileOps("mem.random", {
  read: (k, _t, _f, buf) => {
    randomBytes(k.entropy, buf);
    return buf.length;
  },
  // Writing mixes into the pool on Linux; here it is accepted and ignored.
  write: (_k, _t, _f, buf) => buf.length,
  llseek: seekNowhere,
  poll,
});

/** Register the mem devices (1,3) null, (1,5) zero, (1,7) full, (1,8) random, (1,9) urandom. */
export function registerMemDevices(k: Kernel): void {
  registerCharDevice(k, MEM_MAJOR, NULL_MINOR, { name: "null", fops: nullFops });
  registerCharDevice(k, MEM_MAJOR, ZERO_MINOR, { name: "zero", fops: zeroFops });
  registerCharDevice(k, MEM_MAJOR, FULL_MINOR, { name: "full", fops: fullFops });
  registerCharDevice(k, MEM_MAJOR, RANDOM_MINOR, { name: "random", fops: randomFops });
  registerCharDevice(k, MEM_MAJOR, URANDOM_MINOR, { name: "urandom", fops: randomFops });
}

/** Output to the host console (k.host.consoleOut); input is at end of file. For PID 1 before a tty driver exists. */
export const consoleSinkFops = defineFileOps("console.sink", {
  read: () => 0,
  write: (k, _t, _f, buf) => { k.host.consoleOut(buf.slice()); return buf.length; },
  poll,
});
