// The system calls that still return ENOSYS, derived from the kernel's own
// syscall table (buildSyscallTable) and the riscv64 numbering (SYSCALL_NAMES):
// a number with a name and no handler is missing. The list is never kept by
// hand; only the reason for each absence is written here, so the docs can say
// why. test/kernel/syscalls.test.ts puts the list into docs/kernel.md and
// fails when a missing call has no reason or a reason names a call that now
// has a handler; scripts/enosys-list.mjs prints it.
//
// Concepts: C04 (the syscall table), C05 (the Linux ABI).
import { buildSyscallTable } from "./table.js";
import { SYSCALL_NAMES } from "../abi/sysno.js";

const AIO = "Linux native AIO: not implemented (glibc's POSIX aio uses threads and plain read/write instead)";
const NUMA = "NUMA memory policy: the machine has one memory node, and the calls are not implemented";
const MODULES = "the kernel has no loadable modules";
const KEYS = "no kernel key retention service";
const NEWMOUNT = "the new mount API: not implemented (mount(2) is)";
const URING = "io_uring: not implemented (programs that probe it fall back to read/write and poll)";
const LANDLOCK = "no Landlock security module";
const PKEYS = "RISC-V has no memory protection keys";
const FANOTIFY = "fanotify is not implemented (inotify is)";
const HANDLES = "file handles (for user-space file servers): not implemented";

/** Why each system call with no handler has none (keys are SYSCALL_NAMES names). */
export const ENOSYS_WHY: Readonly<Record<string, string>> = {
  io_setup: AIO, io_destroy: AIO, io_submit: AIO, io_cancel: AIO, io_getevents: AIO, io_pgetevents: AIO,
  lookup_dcookie: "oprofile's old call, since removed from Linux: nothing uses it",
  ioprio_set: "per-process I/O priorities: the I/O scheduler has none",
  ioprio_get: "per-process I/O priorities: the I/O scheduler has none",
  pivot_root: "not implemented (chroot and mount namespaces are)",
  nfsservctl: "removed from Linux in 3.1: ENOSYS there too",
  quotactl: "the file systems keep no disk quotas",
  quotactl_fd: "the file systems keep no disk quotas",
  acct: "BSD process accounting is not implemented",
  unshare: "not implemented: new namespaces come only from clone's CLONE_NEW* flags",
  get_robust_list: "not implemented (set_robust_list is; only debuggers and checkpointers read the list back)",
  kexec_load: "there is no second kernel to boot into",
  kexec_file_load: "there is no second kernel to boot into",
  init_module: MODULES, finit_module: MODULES, delete_module: MODULES,
  setdomainname: "not implemented (sethostname is)",
  settimeofday: "not implemented (clock_settime(CLOCK_REALTIME) is)",
  adjtimex: "clock slewing (NTP): not implemented; the clock is the host's or the instret clock",
  clock_adjtime: "clock slewing (NTP): not implemented; the clock is the host's or the instret clock",
  readahead: "not implemented (fadvise64 is); a hint programs can do without",
  add_key: KEYS, request_key: KEYS, keyctl: KEYS,
  mlockall: "not implemented (mlock and munlock are)",
  munlockall: "not implemented (mlock and munlock are)",
  mlock2: "not implemented (mlock and munlock are)",
  mincore: "page residency query: not implemented",
  remap_file_pages: "deprecated in Linux (emulated there with mmap): not implemented",
  mbind: NUMA, get_mempolicy: NUMA, set_mempolicy: NUMA, migrate_pages: NUMA, move_pages: NUMA, set_mempolicy_home_node: NUMA,
  perf_event_open: "no perf events interface (the kernel's own tracepoints serve its tools)",
  riscv_flush_icache: "not implemented: code that writes code uses fence.i, which the harts execute",
  fanotify_init: FANOTIFY, fanotify_mark: FANOTIFY,
  name_to_handle_at: HANDLES, open_by_handle_at: HANDLES,
  setns: "joining another process's namespace: not implemented",
  kcmp: "a checkpoint/restore helper: not implemented",
  sched_setattr: "SCHED_DEADLINE's interface: not implemented (sched_setscheduler and nice are)",
  sched_getattr: "SCHED_DEADLINE's interface: not implemented (sched_setscheduler and nice are)",
  seccomp: "no seccomp filters (no BPF engine)",
  bpf: "no eBPF",
  userfaultfd: "user-space page-fault handling: not implemented",
  membarrier: "not implemented",
  pkey_mprotect: PKEYS, pkey_alloc: PKEYS, pkey_free: PKEYS,
  rseq: "restartable sequences: not implemented; glibc registers rseq at start and goes on without it",
  io_uring_setup: URING, io_uring_enter: URING, io_uring_register: URING,
  open_tree: NEWMOUNT, move_mount: NEWMOUNT, fsopen: NEWMOUNT, fsconfig: NEWMOUNT, fsmount: NEWMOUNT, fspick: NEWMOUNT, mount_setattr: NEWMOUNT,
  openat2: "not implemented: programs fall back to openat",
  pidfd_getfd: "not implemented (pidfd_open and pidfd_send_signal are)",
  process_madvise: "not implemented (madvise is)",
  process_mrelease: "not implemented",
  landlock_create_ruleset: LANDLOCK, landlock_add_rule: LANDLOCK, landlock_restrict_self: LANDLOCK,
  memfd_secret: "secret memory (pages removed from the kernel's map): not implemented",
};

export interface EnosysEntry { nr: number; name: string; why: string | undefined }

/** Every named riscv64 system call with no handler, by number, with the reason when one is written. */
export function enosysList(): { missing: EnosysEntry[]; total: number } {
  const table = buildSyscallTable();
  const missing: EnosysEntry[] = [];
  let total = 0;
  SYSCALL_NAMES.forEach((name, nr) => {
    if (name === undefined) return;
    total++;
    if (table[nr] === undefined) missing.push({ nr, name, why: ENOSYS_WHY[name] });
  });
  return { missing, total };
}
