// inotify_init1 (26), inotify_add_watch (27) and inotify_rm_watch (28):
// argument checks in Linux's order (flag bits, the descriptor, the path with
// IN_DONT_FOLLOW and IN_ONLYDIR, read permission on the inode); the
// instance and its watches are kernel/fs/inotify.ts, the events
// kernel/fs/fsnotify.ts.
//
// Concepts: C47 (event notification through a file), C04.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { readPath, fdFile, nofile } from "./fs_util.js";
import { fileAllocCheck } from "../fs/file_table.js";
import { installFd, fput } from "../fs/fdtable.js";
import { lookupAt, LOOKUP_FOLLOW } from "../fs/namei.js";
import { permission, fsCred } from "../fs/perm.js";
import { isDir } from "../fs/inode.js";
import { createInotify, isInotifyFile, addWatch, rmWatch } from "../fs/inotify.js";
import { AT_FDCWD, MAY_READ } from "../abi/fs.js";
import { EINVAL, ENOTDIR } from "../abi/errno.js";
import { ALL_INOTIFY_BITS, IN_MASK_ADD, IN_MASK_CREATE, IN_DONT_FOLLOW, IN_ONLYDIR, IN_NONBLOCK, IN_CLOEXEC } from "../abi/inotify.js";

function sysInotifyInit1(k: Kernel, t: Task): number {
  const flags = argInt(k, 0);
  if (flags & ~(IN_NONBLOCK | IN_CLOEXEC)) return -EINVAL;
  const e = fileAllocCheck(k, t);
  if (e < 0) return e;
  const f = createInotify(k, t.tg.creds.uid, flags);
  if (typeof f === "number") return f;
  const fd = installFd(t.files, f, (flags & IN_CLOEXEC) !== 0, 0, nofile(t), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

function sysInotifyAddWatch(k: Kernel, t: Task): number {
  const mask = argU32(k, 2);
  if (!(mask & ALL_INOTIFY_BITS)) return -EINVAL;
  if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) return -EINVAL;
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (!isInotifyFile(f)) return -EINVAL;
  const path = readPath(k, t, argU(k, 1));
  if (typeof path === "number") return path;
  const d = lookupAt(k, t, AT_FDCWD, path, mask & IN_DONT_FOLLOW ? 0 : LOOKUP_FOLLOW);
  if (typeof d === "number") return d;
  if ((mask & IN_ONLYDIR) && !isDir(d.inode)) return -ENOTDIR;
  const p = permission(fsCred(t), d.inode, MAY_READ);
  if (p < 0) return p;
  return addWatch(k, f, d.inode, mask);
}

function sysInotifyRmWatch(k: Kernel, t: Task): number {
  const f = fdFile(t, argInt(k, 0));
  if (typeof f === "number") return f;
  if (!isInotifyFile(f)) return -EINVAL;
  return rmWatch(k, f, argInt(k, 1));
}

export function registerInotifySyscalls(table: SyscallTable): void {
  table[N.SYS_inotify_init1] = sysInotifyInit1;
  table[N.SYS_inotify_add_watch] = sysInotifyAddWatch;
  table[N.SYS_inotify_rm_watch] = sysInotifyRmWatch;
}
