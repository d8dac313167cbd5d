// /dev: a tmpfs instance populated at boot (like Linux's devtmpfs) with the
// device nodes programs open - the mem devices, the terminal nodes whose
// drivers the tty code registers in chardev.ts, the /dev/fd and
// /dev/std{in,out,err} links into /proc/self/fd - and the directories
// /dev/shm (POSIX shared memory, mode 1777) and /dev/pts. Mounting
// "devtmpfs" again shows the same tree. Drivers that appear later add
// their nodes with devfsAddNode.
//
// Concepts: C14 (everything is a file: devices in /dev).
import type { Kernel } from "../../kernel.js";
import type { Inode, SuperBlock } from "../vfs.js";
import { defineFsType, registerFsType, makedev } from "../fstypes.js";
import { createTmpfs, tmpfsAdd, tmpfsLookup } from "../tmpfs/tmpfs.js";
import { registerMemDevices } from "./mem.js";
import { listCharDevices, addDeviceNode } from "../chardev.js";
import { S_IFCHR, S_IFDIR, S_IFLNK } from "../../abi/fs.js";
import { ENOENT } from "../../abi/errno.js";
import { iopsOf } from "../../lib/fsops.js";
import { blockNodesChanged } from "../blockdev.js";

export interface DevFs { sb: SuperBlock; root: Inode }

/** The /dev tree (made on first use). */
export function devfs(k: Kernel): DevFs {
  let d = k.vfs.devfs;
  if (!d) {
    const { sb, root } = createTmpfs(k, 0o755);
    sb.fsType = "devtmpfs";
    d = { sb, root };
    k.vfs.devfs = d;
    populate(k, root);
    for (const c of listCharDevices(k)) addDeviceNode(k, c.major, c.minor, c.dev.name);
    blockNodesChanged(k);
  }
  return d;
}

/** The default nodes: [name, type, mode, major, minor]. */
const NODES: [string, number, number, number, number][] = [
  ["null", S_IFCHR, 0o666, 1, 3],
  ["zero", S_IFCHR, 0o666, 1, 5],
  ["full", S_IFCHR, 0o666, 1, 7],
  ["random", S_IFCHR, 0o666, 1, 8],
  ["urandom", S_IFCHR, 0o666, 1, 9],
  ["tty", S_IFCHR, 0o666, 5, 0],
  ["console", S_IFCHR, 0o600, 5, 1],
  ["ptmx", S_IFCHR, 0o666, 5, 2],
];

const LINKS: [string, string][] = [
  ["fd", "/proc/self/fd"],
  ["stdin", "/proc/self/fd/0"],
  ["stdout", "/proc/self/fd/1"],
  ["stderr", "/proc/self/fd/2"],
];

function populate(k: Kernel, root: Inode): void {
  for (const [name, type, mode, ma, mi] of NODES) tmpfsAdd(k, root, name, type | mode, 0, 0, { rdev: makedev(ma, mi) });
  for (const [name, target] of LINKS) tmpfsAdd(k, root, name, S_IFLNK | 0o777, 0, 0, { target });
  tmpfsAdd(k, root, "shm", S_IFDIR | 0o1777, 0, 0);
  tmpfsAdd(k, root, "pts", S_IFDIR | 0o755, 0, 0);
}

/**
 * Add (or replace) a device node, e.g. devfsAddNode(k, "ttyS0", S_IFCHR | 0o620, 4, 64)
 * or "pts/0". The directory part must exist. Returns 0 or -errno.
 */
export function devfsAddNode(k: Kernel, path: string, mode: number, ma: number, mi: number, uid = 0, gid = 0): number {
  const at = devfsParent(k, path);
  if (typeof at === "number") return at;
  const r = tmpfsAdd(k, at.dir, at.name, mode, uid, gid, { rdev: makedev(ma, mi) });
  return typeof r === "number" ? r : 0;
}

/** The devfs directory that holds `path` ("pts/0" -> the pts directory) and the last name. */
function devfsParent(k: Kernel, path: string): { dir: Inode; name: string } | number {
  const parts = path.split("/").filter((p) => p !== "");
  let dir = devfs(k).root;
  for (const p of parts.slice(0, -1)) {
    const next = tmpfsLookup(dir, p);
    if (!next) return -ENOENT;
    dir = next;
  }
  return { dir, name: parts[parts.length - 1] };
}

/** Remove a node added with devfsAddNode (a pty that went away). */
export function devfsRemoveNode(k: Kernel, path: string): number {
  const at = devfsParent(k, path);
  if (typeof at === "number") return at;
  const unlink = iopsOf(at.dir).unlink;
  return unlink ? unlink(k, at.dir, at.name) : -ENOENT;
}

/** Register the mem devices and "devtmpfs". */
export function registerDevfs(k: Kernel): void {
  registerMemDevices(k);
  registerFsType(k, "devtmpfs");
}

defineFsType({
  name: "devtmpfs",
  mount(k2) {
    const d = devfs(k2);
    return { sb: d.sb, root: d.root };
  },
});
