// /proc/sysvipc/{msg,sem,shm}: the System V IPC objects, one line each, in
// Linux's exact format (ipc/msg.c, sem.c, shm.c *_proc_show), which is what
// util-linux ipcs reads. The objects are plain data in k.ipc.sysv
// (kernel/ipc/sysv.ts); this file only formats them, so it imports types only.
// Shared memory is not implemented yet (shmget returns ENOSYS): no segment
// can exist, and the shm file is its header alone.
//
// Concepts: C69 (/proc generated from kernel state), C34 (semaphores), C42 (message queues).
import type { Kernel } from "../../kernel.js";
import type { IpcPerm, MsgQueue, SemSet } from "../../ipc/sysv.js";
import { type PNode, pfile, staticDir } from "./node.js";

const pad = (x: number | string, w: number): string => String(x).padStart(w);

function permCols(p: IpcPerm): string {
  return `${pad(p.key | 0, 10)} ${pad(p.id, 10)}  ${pad((p.mode & 0o7777).toString(8), 4)}`;
}

function owners(p: IpcPerm): string {
  return `${pad(p.uid, 5)} ${pad(p.gid, 5)} ${pad(p.cuid, 5)} ${pad(p.cgid, 5)}`;
}

function showMsg(k: Kernel): string {
  let s = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n";
  for (const q of k.ipc.sysv.msg.slots as (MsgQueue | undefined)[]) {
    if (!q) continue;
    s += `${permCols(q.perm)}  ${pad(q.cbytes, 10)} ${pad(q.msgs.length, 10)} ${pad(q.lspid, 5)} ${pad(q.lrpid, 5)} ${owners(q.perm)} ` +
      `${pad(q.stime, 10)} ${pad(q.rtime, 10)} ${pad(q.ctime, 10)}\n`;
  }
  return s;
}

function showSem(k: Kernel): string {
  let s = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";
  for (const set of k.ipc.sysv.sem.slots as (SemSet | undefined)[]) {
    if (!set) continue;
    s += `${permCols(set.perm)} ${pad(set.vals.length, 10)} ${owners(set.perm)} ${pad(set.otime, 10)} ${pad(set.ctime, 10)}\n`;
  }
  return s;
}

const SHM_HEADER = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";

export const sysvipcDir: PNode = staticDir({
  msg: pfile(0o444, showMsg),
  sem: pfile(0o444, showSem),
  shm: pfile(0o444, () => SHM_HEADER),
});
