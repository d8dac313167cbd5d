// procfs, the file-system type "proc": the kernel's state as files, made
// fresh on every open. The root holds one directory per process (PID),
// the links self -> PID and thread-self -> PID/task/TID, mounts ->
// self/mounts, the system-wide files (info.ts) and the sysctl tree
// sys/ (sys.ts). Every mount of "proc" shares one superblock.
//
// Concepts: C69 (/proc as a virtual file system generated from kernel
// state), C21 (the process table as directories).
import type { Kernel } from "../../kernel.js";
import type { SuperBlock } from "../vfs.js";
import { defineFsType, registerFsType, makedev } from "../fstypes.js";
import { allocAnonDev } from "../inode.js";
import { PROC_SUPER_MAGIC } from "../../abi/fs.js";

import { type PDir, type PEntry, NO_CTX, definePseudoFs, pdir, plink, pseudoRoot, pseudoSuper } from "./node.js";
import { listPids, lookupPid, procOwner, pidDir } from "./pid.js";
import { infoEntries } from "./info.js";
import { sysDir } from "./sys.js";
import { startLoadavg } from "./loadavg.js";

/** /proc/self: the caller's process. */
const selfLink = plink((_k, _c, t) => String(t.tg.pid));
/** /proc/thread-self: the caller's thread. */
const threadSelfLink = plink((_k, _c, t) => `${t.tg.pid}/task/${t.tid}`);
const mountsLink = plink(() => "self/mounts");

/** The fixed entries of /proc (the rest are the processes). */
const STATIC_ENTRIES: Record<string, PEntry["node"]> = {
  self: selfLink, "thread-self": threadSelfLink, mounts: mountsLink, sys: sysDir, ...infoEntries(),
};

/** The root of /proc: the static entries, then one directory per process. */
export const procRoot: PDir = pdir(
  0o555,
  (k) => [
    ...Object.entries(STATIC_ENTRIES).map(([name, node]) => ({ name, node, ctx: NO_CTX })),
    ...listPids(k),
  ],
  (k, _c, name) => {
    const s = STATIC_ENTRIES;
    if (Object.prototype.hasOwnProperty.call(s, name)) return { name, node: s[name], ctx: NO_CTX };
    return lookupPid(k, name);
  },
  undefined,
  { entries: STATIC_ENTRIES, child: pidDir },
);

/** The procfs tree, by name (superblocks store "proc"). */
const PROC_TREE = definePseudoFs("proc", { root: procRoot, fileSize: 0, owner: procOwner });

function procSuper(k: Kernel): SuperBlock {
  let sb = k.vfs.procSb;
  if (!sb) {
    sb = pseudoSuper(makedev(0, allocAnonDev(k)), "proc", PROC_SUPER_MAGIC, PROC_TREE);
    k.vfs.procSb = sb;
  }
  return sb;
}

/** Register the "proc" file-system type (boot) and start the load-average sampler. */
export function registerProcFs(k: Kernel): void {
  registerFsType(k, "proc");
  startLoadavg(k);
}

defineFsType({
  name: "proc",
  mount(k2) {
    const sb = procSuper(k2);
    return { sb, root: pseudoRoot(k2, sb) };
  },
});


