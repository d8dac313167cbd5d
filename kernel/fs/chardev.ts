// Character devices by (major, minor): a device node's inode in any file
// system opens through this table (mem devices, the console and ttys, ptys).
// Registering a device also gives it a node in /dev (devfs.ts) named after
// the device, unless one exists.
//
// Concepts: C14 (everything is a file: devices in /dev).
import type { Kernel } from "../kernel.js";
import type { FileOps } from "./vfs.js";

export interface CharDevice { readonly name: string; readonly fops: FileOps }

export function charDevices(k: Kernel): Map<number, CharDevice> {
  let m = k.sub.charDevices as Map<number, CharDevice> | undefined;
  if (!m) { m = new Map(); k.sub.charDevices = m; }
  return m;
}

export function registerCharDevice(k: Kernel, major: number, minor: number, dev: CharDevice): void {
  charDevices(k).set(major * 0x100000 + minor, dev);
  // devfs (when it exists) gives a newly registered device its /dev node, as devtmpfs does.
  const added = k.sub.chardevAdded as ((k: Kernel, major: number, minor: number, name: string) => void) | undefined;
  added?.(k, major, minor, dev.name);
}

/** Every registered device with its numbers. */
export function listCharDevices(k: Kernel): { major: number; minor: number; dev: CharDevice }[] {
  return [...charDevices(k)].map(([key, dev]) => ({ major: Math.floor(key / 0x100000), minor: key % 0x100000, dev }));
}

export function lookupCharDevice(k: Kernel, major: number, minor: number): CharDevice | undefined {
  return charDevices(k).get(major * 0x100000 + minor);
}
