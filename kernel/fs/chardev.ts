// Character devices by (major, minor): a device node's inode in any file
// system opens through this table (mem devices, the console and ttys, ptys).
// The table (k.vfs.charDevices) is plain data: each device names its file
// operations (fs/ops.ts). Registering a device also gives it a node in /dev
// named after the device, unless one exists (as devtmpfs does).
//
// Concepts: C14 (everything is a file: devices in /dev).
import type { Kernel } from "../kernel.js";
import type { Inode } from "./vfs.js";
import { makedev } from "./fstypes.js";
import { tmpfsAdd, tmpfsLookup } from "./tmpfs/tmpfs.js";
import { S_IFCHR } from "../abi/fs.js";

/** A character device: its name (its /dev node) and the name of its file operations. */
export interface CharDevice { readonly name: string; readonly fops: string }

export function charDevices(k: Kernel): Map<number, CharDevice> {
  return k.vfs.charDevices;
}

export function registerCharDevice(k: Kernel, major: number, minor: number, dev: CharDevice): void {
  charDevices(k).set(major * 0x100000 + minor, dev);
  // devfs (when it exists) gives a newly registered device its /dev node, as devtmpfs does.
  if (k.vfs.devfs) addDeviceNode(k, major, minor, dev.name);
}

/** Give device (ma, mi) the node /dev/NAME (mode 0600) unless that name exists. */
export function addDeviceNode(k: Kernel, ma: number, mi: number, name: string): void {
  if (!/^[A-Za-z0-9_.+-]+(\/[A-Za-z0-9_.+-]+)?$/.test(name)) return;
  const parts = name.split("/");
  let dir: Inode | undefined = k.vfs.devfs?.root;
  for (const p of parts.slice(0, -1)) dir = dir ? tmpfsLookup(dir, p) : undefined;
  if (!dir || tmpfsLookup(dir, parts[parts.length - 1])) return;
  tmpfsAdd(k, dir, parts[parts.length - 1], S_IFCHR | 0o600, 0, 0, { rdev: makedev(ma, mi) });
}

/** Every registered device with its numbers. */
export function listCharDevices(k: Kernel): { major: number; minor: number; dev: CharDevice }[] {
  return [...charDevices(k)].map(([key, dev]) => ({ major: Math.floor(key / 0x100000), minor: key % 0x100000, dev }));
}

export function lookupCharDevice(k: Kernel, major: number, minor: number): CharDevice | undefined {
  return charDevices(k).get(major * 0x100000 + minor);
}
