// Character devices by (major, minor): a device node's inode in any file
// system opens through this table (mem devices, the console and ttys, ptys).
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
}

export function lookupCharDevice(k: Kernel, major: number, minor: number): CharDevice | undefined {
  return charDevices(k).get(major * 0x100000 + minor);
}
