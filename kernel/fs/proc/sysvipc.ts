// /proc/sysvipc/{msg,sem,shm}: the System V IPC objects, one line each, in
// Linux's exact format (ipc/msg.c, sem.c, shm.c *_proc_show), which is what
// util-linux ipcs reads. The objects are plain data in k.ipc.sysv
// (kernel/ipc/sysv.ts); this file only formats them, so it imports types only.
// A segment's attachments and resident pages are read from its shmem object
// in the memory manager's backing table (kernel/ipc/shm.ts explains the
// counting); a removed segment whose last attachment went (its object is
// gone, the identifier not yet reaped) is not shown.
//
// Concepts: C69 (/proc generated from kernel state), C34 (semaphores), C42 (message queues), C43 (shared memory).
import type { Kernel } from "../../kernel.js";
import type { IpcPerm, MsgQueue, SemSet, ShmSeg } from "../../ipc/sysv.js";
import { PAGE_SIZE } from "../../mm/phys.js";
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

function showShm(k: Kernel): string {
  let s = SHM_HEADER;
  for (const seg of k.ipc.sysv.shm.slots as (ShmSeg | undefined)[]) {
    const o = seg && k.mmctx.vm.backings.shmem.get(seg.backing);
    if (!seg || !o) continue;
    const nattch = o.refs - (seg.held ? 1 : 0);
    // Linux: "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu".
    s += `${permCols(seg.perm)} ${pad(seg.size, 21)} ${pad(seg.cpid, 5)} ${pad(seg.lpid, 5)}  ${pad(nattch, 5)} ${owners(seg.perm)} ` +
      `${pad(seg.atime, 10)} ${pad(seg.dtime, 10)} ${pad(seg.ctime, 10)} ${pad(o.frames.size * PAGE_SIZE, 21)} ${pad(0, 21)}\n`;
  }
  return s;
}

export const sysvipcDir: PNode = staticDir({
  msg: pfile(0o444, showMsg),
  sem: pfile(0o444, showSem),
  shm: pfile(0o444, showShm),
});
