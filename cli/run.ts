// `tsix run [options] -- CMD ARGS...` boots tsix on the default image (or
// --image FILE), runs one command in it and exits with the command's status;
// `tsix` alone boots to an interactive shell on this terminal.
//
// What happens: the image is located (built and cached by the image builder;
// its progress shows on stderr only when it actually builds), a kernel is
// created on a fresh machine, kernel/boot.ts boots it with PID 1 =
// /sbin/tsix-init and the command as init's arguments, and the kernel's loop
// runs until init exits. init runs the command through /bin/sh -c 'exec "$0"
// "$@"', so a missing command gives the shell's 127.
//
// Standard streams: where this process's stdin, stdout or stderr is a
// terminal, the command's is the guest's console, a tty (the host terminal
// goes into raw mode, so ^C, ^Z and line editing belong to the guest; the
// console is one tty, so whatever the command writes to it - stdout or
// stderr - appears on this terminal). Where it is a pipe or a file, the
// command gets a host-backed descriptor instead (kernel/drivers/hostio.ts):
// not a tty, stdout and stderr kept apart, bytes untouched, end of file when
// the input ends - like `docker run -i` without -t. When such a host stream
// fails (the reader of a pipe went away), the guest's next write to it gets
// EPIPE and SIGPIPE, as a writer to a broken pipe does on Linux.
//
// Stopping: the guest's output is held briefly for batching (see
// host/node/console.ts); settle() in runSystem is the one place that pushes
// out everything tsix owes the host, on a normal exit and on SIGTERM, SIGINT
// and SIGHUP (cli/shutdown.ts; tsix then exits with 128 + the signal number).
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import * as L from "../hw/core/layout.js";
import { loadCore } from "../host/node/core.js";
import { openHostConsole, type HostConsole } from "../host/node/console.js";
import * as K from "../kernel/index.js";
import { startWatchdog, type Watchdog } from "../host/node/watchdog.js";
import { nodeHostFs } from "../host/node/hostfs.js";
import { nodeHostNet, TX_HIGH } from "../host/node/net.js";
import type { HostFs } from "../host/hostfs.js";
import { runSystem as runVmSystem, DEFAULT_INTERLEAVE, MIN_INTERLEAVE, MAX_INTERLEAVE } from "../vmm/vmm.js";
import { CommandError, UsageError, parseSize, parseCount, optionValue, parseJit, parseJitCache } from "./args.js";
import { jitStatsText, DEFAULT_WARMUP, type JitOptions } from "../hw/jit/jit.js";
import { onStopSignals } from "./shutdown.js";
import { openSchedTrace, type SchedTraceWriter } from "../host/node/sched_trace.js";
import { openMemTrace, type MemTraceWriter } from "../host/node/mem_trace.js";
import { EDQUOT, EFBIG, EIO, ENOSPC, EPIPE } from "../kernel/abi/errno.js";
import { restoreVm } from "../vmm/snapshot.js";
import { openFileDisk, DiskError, type FileDisk } from "../host/node/file_disk.js";
import { diskRemedy } from "./machine.js";
import { ext2Root } from "./disk.js";
import { parseSwapOption, prepareSwapFile, type SwapOption } from "./swapfile.js";
import type { EncodedGraph } from "../vmm/state_codec.js";
import {
  createSnapshotter, createEscapeFilter, parseSnapshotOption, runSnapshotMeta,
  type SnapshotOptions, type RunSnapshotMeta, type StdioKind, type BootImage,
} from "./snapshot.js";

/** The errno a guest writer gets once the host stream behind its stdout/stderr failed with Node's `code`. */
function hostWriteErrno(code: string): number {
  switch (code) {
    case "EPIPE": return EPIPE;
    case "ENOSPC": return ENOSPC;
    case "EFBIG": return EFBIG;
    case "EDQUOT": return EDQUOT;
    default: return EIO;
  }
}

const USAGE = `usage: tsix run [options] [--] CMD [ARGS...]
Boots tsix and runs CMD in it (looked up in the guest's PATH); exits with its status.
  --mount HOST:GUEST     show host directory HOST at GUEST in the guest (repeatable)
  --mount-io sync|async  how the host answers --mount shares: at once (default), or later, as a
                         browser host must (the guest's task sleeps until the answer comes)
  --disk FILE.img[:ro]   attach the disk image FILE as the virtio disk /dev/vda (its MBR partitions are
                         /dev/vda1..4); :ro attaches it read-only. Writes reach FILE when written back
                         (sync, fsync, every 30 s, and at exit). Repeatable: the next ones are /dev/vdb, /dev/vdc, ...
                         (at most 8 disks with --swap)
  --swap FILE[:SIZE]     attach the swap file FILE as the next virtio disk and swapon it before init runs;
                         with SIZE (e.g. 64M, at least 40K) a missing FILE is created and formatted as swap
  --root DEV|initramfs   the root file system: an ext2 partition (default /dev/vda1 when the --disk's
                         partition 1 holds ext2), or the initramfs
  --disk-io sync|async   how the host answers the disk: at once (default), or later (tasks sleep in D)
  --ramdisk SIZE         a RAM disk /dev/ram0 of SIZE, e.g. 8M (gone at exit)
  --net none|user        the guest's network: only lo (default), or user-mode networking: eth0
                         10.0.2.15/24, outgoing TCP through the host's sockets, the gateway 10.0.2.2
                         is the host's 127.0.0.1, DNS at 10.0.2.3 through the host's resolver
  --publish HOST:GUEST   with --net user: the host's 127.0.0.1:HOST reaches the guest's TCP port
                         GUEST (repeatable)
  --mem SIZE             guest RAM, e.g. 256M (default 256M)
  --cpus N               number of harts (default 1)
  --interleave N         with several harts, each runs N instructions before the next one gets a turn
                         (${MIN_INTERLEAVE} to ${MAX_INTERLEAVE}, default ${DEFAULT_INTERLEAVE}: small enough that threads race as on hardware)
  --sched POLICY         scheduling policy of normal tasks: ${K.schedPolicyNames().join(", ")} (default ${K.DEFAULT_POLICY})
  --mm-policy NAME       page replacement policy of processes with a frame budget (RLIMIT_RSS, e.g. sh's
                         ulimit -m): ${K.REPLACEMENT_POLICIES.join(", ")} (default fifo; /proc/sys/vm/replacement_policy)
  --sysctl NAME=VALUE    set a scheduler setting at boot, e.g. --sysctl sched_rr_timeslice_ms=5 (repeatable;
                         the files of /proc/sys/kernel: sched_policy, ${K.schedSysctlNames().join(", ")};
                         and vm.asid_max, the ASIDs the kernel uses, 0 to turn them off)
  --clock host|instret   guest time from the host clock (default) or from retired instructions
  --deterministic        the same command gives the same output every run: instret clock, a fixed
                         wall-clock epoch (2025-01-01 UTC), random bytes from --seed, no host timing
  --seed N               the random pool's seed in --deterministic mode (default 0)
  --trace KIND[,KIND...] tracers (repeatable): syscall prints every system call on stderr, strace
                         style; sched=FILE writes the scheduler's trace (Chrome/Perfetto trace-event
                         JSON: open it in Perfetto, or draw it with tsix trace gantt FILE -o chart.svg);
                         mem=FILE writes the page references of processes with a frame budget (tsix memlab)
  --sched-report         at the end, print the per-task scheduling report on stderr (arrival, first run,
                         completion, CPU, waiting, turnaround, response, averages)
  --stats                end stderr with boot_ms=... instructions=... mips=... syscalls=... ctx_switches=... page_faults=... cow_faults=...
                         (with --net user also net_tx_queued_max=... net_tx_bound=...: guest bytes waiting for a host socket)
  --jit on|off           translate hot guest code to WebAssembly (default on; off: the interpreter alone)
  --jit-warmup N         with --jit on: instructions retired before the tier looks for hot code
                         (default ${DEFAULT_WARMUP})
  --jit-hot N            with --jit on: taken branches that make a pc hot, under the plain policy (every
                         arrival counts, no ageing, no translation budget, no warm-up unless --jit-warmup)
  --jit-cache SIZE       with --jit on: wasm bytes the code cache holds before it empties (default 16M)
  --image FILE           boot this initramfs (cpio newc) instead of the default image
  --snapshot-at N FILE   write a snapshot of the whole system to FILE once N instructions have retired
                         (it goes on running; \`tsix restore FILE\` continues from there, in another process)
  --snapshot-on-signal SIG FILE
                         write a snapshot to FILE whenever tsix gets host signal SIG (e.g. SIGUSR1)
  --init PATH            run PATH as process 1 instead of ${K.DEFAULT_INIT} (CMD ARGS are its arguments)
With no command (or \`tsix\` alone): an interactive shell on this terminal.`;

export interface RunOptions {
  mounts: { host: string; guest: string }[];
  /** --disk FILE[:ro]: the first virtio disk image (vda). */
  disk?: { path: string; readOnly: boolean };
  /** The next --disk images (vdb, vdc, ...). */
  moreDisks: { path: string; readOnly: boolean }[];
  /** --swap FILE[:SIZE]: a swap file attached after the disks and activated at boot. */
  swap?: SwapOption;
  /** --root DEV | initramfs: the root file system (default: /dev/vda1 when the --disk's partition 1 holds ext2). */
  root?: string;
  /** --disk-io: the file disk's mode (host/node/file_disk.ts). */
  diskIo: "sync" | "async";
  /** --ramdisk SIZE in bytes (0: none). */
  ramdiskBytes: number;
  /** --mount-io: the Node hostfs adapter's mode (host/node/hostfs.ts). */
  mountIo: "sync" | "async";
  /** --net: "none" (only lo) or "user" (host/node/net.ts). */
  net: "none" | "user";
  /** --publish HOST:GUEST ports. */
  publish: { host: number; guest: number }[];
  memBytes: number;
  cpus: number;
  /** --interleave: instructions per hart turn (vmm/run.ts). */
  interleave: number;
  sched: string;
  /** --mm-policy: page replacement policy of frame budgets (kernel/mm/replace.ts). */
  mmPolicy?: string;
  /** --sysctl NAME=VALUE pairs, applied at boot. */
  sysctl: [string, string][];
  clock: "host" | "instret";
  /** --deterministic: see vmm/vmm.ts. */
  deterministic: boolean;
  seed: number;
  /** --trace syscall. */
  trace: boolean;
  /** --trace mem=FILE: where the page reference trace goes (host/node/mem_trace.ts). */
  memTrace?: string;
  /** --trace sched=FILE: where the scheduler trace goes (host/node/sched_trace.ts). */
  schedTrace?: string;
  /** --sched-report. */
  schedReport: boolean;
  stats: boolean;
  jit: boolean;
  /** --jit-hot, --jit-warmup, --jit-cache: the tier's policy (hw/jit/jit.ts JitOptions); each only when given. */
  jitOptions: JitOptions;
  image?: string;
  init?: string;
  oopsSyscall: number;
  /** --snapshot-at / --snapshot-on-signal (cli/snapshot.ts). */
  snapshots: SnapshotOptions;
  command: string[];
}

/** Virtio disks the machine has slots for (hw/devices/virtio_mmio.ts VIRTIO_MMIO_SLOTS). */
const MAX_DISKS = 8;
/** How long `tsix run` keeps sending what the guest wrote on host connections it closed, after the guest stopped. */
const NET_LINGER_MS = 30_000;
const MIN_MEM = 16 << 20;
const MAX_MEM = 2048 * 1024 * 1024;

/** Parse `tsix run`'s arguments. Throws UsageError for bad input. */
export function parseRunArgs(argv: string[]): RunOptions | "help" {
  const o: RunOptions = {
    mounts: [], moreDisks: [], diskIo: "sync", ramdiskBytes: 0, mountIo: "sync", net: "none", publish: [], memBytes: 256 << 20, cpus: 1, interleave: DEFAULT_INTERLEAVE, sched: K.DEFAULT_POLICY, sysctl: [], clock: "host", deterministic: false, seed: 0, trace: false, schedReport: false, stats: false, jit: true, jitOptions: {},
    oopsSyscall: Number(process.env.TSIX_OOPS_SYSCALL ?? -1), snapshots: {}, command: [],
  };
  let clockGiven = false, seedGiven = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { i++; break; }
    if (!a.startsWith("-")) break;
    switch (a) {
      case "--mount": {
        const v = optionValue(argv, i++, a);
        const colon = v.lastIndexOf(":");
        if (colon <= 0) throw new UsageError(`--mount needs HOST:GUEST, e.g. --mount ./data:/mnt (got '${v}')`);
        const host = resolve(v.slice(0, colon));
        const guest = v.slice(colon + 1);
        if (!existsSync(host)) throw new UsageError(`--mount: ${v.slice(0, colon)}: no such host directory`);
        if (!statSync(host).isDirectory()) throw new UsageError(`--mount: ${v.slice(0, colon)} is not a directory (--mount shares a host directory)`);
        if (!guest.startsWith("/")) throw new UsageError(`--mount: the guest path must be absolute, e.g. --mount ${v.slice(0, colon)}:/mnt (got '${guest}')`);
        if (guest.split("/").some((c) => c === "." || c === "..")) throw new UsageError(`--mount: the guest path must not contain . or .. (got '${guest}')`);
        if (guest.replace(/\/+$/, "") === "") throw new UsageError(`--mount: cannot mount over the guest's root /; choose a directory such as /mnt`);
        o.mounts.push({ host, guest });
        break;
      }
      case "--disk": {
        const v = optionValue(argv, i++, a);
        const ro = v.endsWith(":ro");
        const path = ro ? v.slice(0, -3) : v;
        if (path === "") throw new UsageError("--disk needs a disk image file, e.g. --disk disk.img or --disk disk.img:ro");
        // The first --disk is vda, the next ones vdb, vdc, ... (virtio-mmio slots in order).
        if (!o.disk) o.disk = { path, readOnly: ro };
        else o.moreDisks.push({ path, readOnly: ro });
        if (1 + o.moreDisks.length + (o.swap ? 1 : 0) > MAX_DISKS) throw new UsageError(`--disk: at most ${MAX_DISKS} disks (vda..vdh) with --swap; drop one`);
        break;
      }
      case "--swap": {
        if (o.swap) throw new UsageError("--swap: give it once (more swap: swapon in the guest)");
        o.swap = parseSwapOption(optionValue(argv, i++, a));
        if (o.disk && 2 + o.moreDisks.length > MAX_DISKS) throw new UsageError(`--swap: at most ${MAX_DISKS} disks (vda..vdh) with --swap; drop a --disk`);
        break;
      }
      case "--root": {
        const v = optionValue(argv, i++, a);
        if (v !== "initramfs" && !/^\/dev\/[a-z]+[0-9]*$/.test(v)) throw new UsageError(`--root needs a device such as /dev/vda1, or initramfs (got '${v}')`);
        o.root = v;
        break;
      }
      case "--disk-io": {
        const v = optionValue(argv, i++, a);
        if (v !== "sync" && v !== "async") throw new UsageError("--disk-io must be sync or async");
        o.diskIo = v;
        break;
      }
      case "--ramdisk": {
        const v = optionValue(argv, i++, a);
        let n: number;
        try { n = parseSize(v); } catch { n = NaN; }
        if (!(n >= 4096 && n <= 1024 * 1024 * 1024) || n % 1024 !== 0) throw new UsageError(`--ramdisk needs a size from 4K to 1G in whole KiB, e.g. --ramdisk 8M (got '${v}')`);
        o.ramdiskBytes = n;
        break;
      }
      case "--mem": {
        const n = parseSize(optionValue(argv, i++, a));
        if (n < MIN_MEM || n > MAX_MEM || n % 4096 !== 0) throw new UsageError("--mem must be between 16M and 2G (a multiple of 4K)");
        o.memBytes = n;
        break;
      }
      case "--cpus": o.cpus = parseCount(a, optionValue(argv, i++, a), L.MAX_HARTS); break;
      case "--interleave": {
        const v = optionValue(argv, i++, a);
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!(n >= MIN_INTERLEAVE && n <= MAX_INTERLEAVE)) {
          throw new UsageError(`--interleave needs a whole number of instructions from ${MIN_INTERLEAVE} to ${MAX_INTERLEAVE} (got '${v}'; default ${DEFAULT_INTERLEAVE})`);
        }
        o.interleave = n;
        break;
      }
      case "--sched": {
        const v = optionValue(argv, i++, a);
        if (!K.schedPolicyNames().includes(v)) throw new UsageError(`--sched: unknown policy '${v}' (choose ${K.schedPolicyNames().join(", ")})`);
        o.sched = v;
        break;
      }
      case "--mm-policy": {
        const v = optionValue(argv, i++, a);
        if (!(K.REPLACEMENT_POLICIES as readonly string[]).includes(v)) throw new UsageError(`--mm-policy: unknown replacement policy '${v}' (choose ${K.REPLACEMENT_POLICIES.join(", ")})`);
        o.mmPolicy = v;
        break;
      }
      case "--sysctl": {
        const v = optionValue(argv, i++, a);
        const eq = v.indexOf("=");
        if (eq <= 0) throw new UsageError(`--sysctl needs NAME=VALUE, e.g. --sysctl sched_rr_timeslice_ms=5 (got '${v}')`);
        const why = K.checkSchedSysctl(v.slice(0, eq), v.slice(eq + 1));
        if (why !== null) throw new UsageError(`--sysctl: ${why}`);
        o.sysctl.push([v.slice(0, eq), v.slice(eq + 1)]);
        break;
      }
      case "--clock": {
        const v = optionValue(argv, i++, a);
        if (v !== "host" && v !== "instret") throw new UsageError("--clock must be host or instret");
        o.clock = v;
        clockGiven = true;
        break;
      }
      case "--deterministic": o.deterministic = true; break;
      case "--mount-io": {
        const v = optionValue(argv, i++, a);
        if (v !== "sync" && v !== "async") throw new UsageError("--mount-io must be sync or async");
        o.mountIo = v;
        break;
      }
      case "--seed": {
        const v = optionValue(argv, i++, a);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--seed needs a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (got '${v}')`);
        o.seed = Number(v);
        seedGiven = true;
        break;
      }
      case "--trace": parseTraceOption(optionValue(argv, i++, a), o); break;
      case "--sched-report": o.schedReport = true; break;
      case "--stats": o.stats = true; break;
      case "--jit": o.jit = parseJit(optionValue(argv, i++, a)); break;
      case "--jit-hot": o.jitOptions.hot = parseCount(a, optionValue(argv, i++, a), 1 << 30); break;
      case "--jit-warmup": o.jitOptions.warmup = parseCount(a, optionValue(argv, i++, a), 2 ** 40, 0); break;
      case "--jit-cache": o.jitOptions.maxCodeBytes = parseJitCache(optionValue(argv, i++, a)); break;
      case "--image": {
        const v = optionValue(argv, i++, a);
        if (!existsSync(v)) throw new UsageError(`--image: ${v}: no such file`);
        if (!statSync(v).isFile()) throw new UsageError(`--image: ${v} is not a regular file (give an initramfs, e.g. one from tsix image build --out FILE)`);
        o.image = v;
        break;
      }
      case "--init": o.init = optionValue(argv, i++, a); break;
      case "--net": {
        const v = optionValue(argv, i++, a);
        if (v !== "none" && v !== "user") throw new UsageError(`--net must be none or user, not ${JSON.stringify(v)}`);
        o.net = v;
        break;
      }
      case "--publish": {
        const v = optionValue(argv, i++, a);
        const m = /^(\d{1,5}):(\d{1,5})$/.exec(v);
        const port = (x: string): number => Number(x);
        if (!m || port(m[1]) < 1 || port(m[1]) > 65535 || port(m[2]) < 1 || port(m[2]) > 65535) {
          throw new UsageError(`--publish needs HOSTPORT:GUESTPORT, two ports 1..65535 (e.g. 8080:80), not ${JSON.stringify(v)}`);
        }
        o.publish.push({ host: port(m[1]), guest: port(m[2]) });
        break;
      }
      case "--snapshot-at": case "--snapshot-on-signal": i = parseSnapshotOption(argv, i, o.snapshots); break;
      // Hidden test hook: the handler of this syscall number throws (an oops).
      case "--oops-syscall": {
        const v = optionValue(argv, i++, a);
        if (!/^\d+$/.test(v)) throw new UsageError("--oops-syscall needs a syscall number");
        o.oopsSyscall = Number(v);
        break;
      }
      case "-h": case "--help": return "help";
      default: throw new UsageError(`unknown option ${a} (see tsix run --help)`);
    }
  }
  if (o.deterministic && clockGiven && o.clock === "host") throw new UsageError("--deterministic runs on the instret clock: drop --clock host");
  // Host answers that come later come when the host's event loop says: no run could repeat them.
  if (o.deterministic && o.mountIo === "async") throw new UsageError("--mount-io async cannot be --deterministic (the host's answers come at host times): drop one");
  // On the instret clock an idle system jumps to its next timer at once, without waiting for the host.
  if (o.mountIo === "async" && o.clock === "instret") throw new UsageError("--mount-io async needs the host clock: drop --clock instret");
  if (o.diskIo === "async" && !o.disk) throw new UsageError("--disk-io applies to a --disk: add --disk FILE.img");
  if (o.diskIo === "async" && o.deterministic) throw new UsageError("--disk-io async cannot be --deterministic (the disk answers at host times): drop one");
  if (o.swap && (o.snapshots.at !== undefined || o.snapshots.onSignal !== undefined)) throw new UsageError("--swap cannot be combined with snapshots yet (the swap file's contents are not part of a snapshot): drop one");
  if (o.disk && (o.snapshots.at !== undefined || o.snapshots.onSignal !== undefined)) throw new UsageError("--disk cannot be combined with snapshots yet (the disk's contents are not part of a snapshot): drop one");
  if (o.publish.length > 0 && o.net !== "user") throw new UsageError("--publish needs user-mode networking: add --net user");
  if (o.net === "user" && o.deterministic) throw new UsageError("--net user cannot be --deterministic (the host's network answers at host times): drop one");
  if (o.net === "user" && clockGiven && o.clock === "instret") throw new UsageError("--net user needs the host clock: drop --clock instret");
  const jitKnob = o.jitOptions.hot !== undefined ? "--jit-hot" : o.jitOptions.warmup !== undefined ? "--jit-warmup" : o.jitOptions.maxCodeBytes !== undefined ? "--jit-cache" : null;
  if (jitKnob !== null && !o.jit) throw new UsageError(`${jitKnob} sets the JIT's policy, and --jit off turns the JIT off: drop one of them`);
  if (seedGiven && !o.deterministic) throw new UsageError("--seed only applies with --deterministic (add --deterministic)");
  o.command = argv.slice(i);
  return o;
}

/**
 * The value of --trace: comma-separated tracers, `syscall` and `sched=FILE`
 * (the option may also be repeated). Throws UsageError for anything else.
 */
export function parseTraceOption(v: string, o: Pick<RunOptions, "trace" | "schedTrace" | "memTrace">): void {
  for (const part of v.split(",")) {
    if (part === "syscall") o.trace = true;
    else if (part.startsWith("mem=") && part.length > "mem=".length) {
      const file = part.slice("mem=".length);
      if (o.memTrace !== undefined && o.memTrace !== file) throw new UsageError(`--trace mem= given twice (${o.memTrace} and ${file}): one file takes the page reference trace`);
      o.memTrace = file;
    } else if (part === "mem") throw new UsageError("--trace mem needs a file: --trace mem=FILE");
    else if (part.startsWith("sched=") && part.length > "sched=".length) {
      const file = part.slice("sched=".length);
      if (o.schedTrace !== undefined && o.schedTrace !== file) throw new UsageError(`--trace sched= given twice (${o.schedTrace} and ${file}): one file takes the scheduler trace`);
      o.schedTrace = file;
    } else if (part === "sched") throw new UsageError("--trace sched needs a file: --trace sched=FILE");
    else throw new UsageError(`--trace: unknown tracer '${part}' (choose syscall, sched=FILE or mem=FILE, comma-separated)`);
  }
}

/** The initramfs to boot: --image, or the default image (built on first use, cached). */
async function loadImage(o: RunOptions, say: (s: string) => void): Promise<BootImage> {
  if (o.image) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(o.image);
    } catch (e) {
      throw new UsageError(`--image: cannot read ${o.image} (${(e as { code?: string }).code ?? "error"}; check its permissions)`);
    }
    const magic = new TextDecoder().decode(bytes.subarray(0, 6));
    if (magic !== "070701" && magic !== "070702") throw new UsageError(`--image: ${o.image} is not an initramfs (a cpio newc archive)`);
    return { path: resolve(o.image), bytes };
  }
  const { buildImage } = await import("../userland/image/build.js");
  const { formatBuildEvent } = await import("../userland/image/cli.js");
  const { homeProblem } = await import("../userland/image/apt.js");
  const problem = homeProblem();
  if (problem) throw new UsageError(`the image cache directory ${problem} (set TSIX_HOME to a writable directory, or unset it for ~/.cache/tsix)`);
  // Progress only when the builder really works: lines are held until the first sign of work
  // (an apt update, a download, an unpack, a compile) and dropped on a cache hit.
  const held: string[] = [];
  let live = false;
  let r: Awaited<ReturnType<typeof buildImage>>;
  try {
    r = await buildImage({
      onProgress: (ev) => {
        if (ev.type === "cached") { held.length = 0; return; }
        live ||= ev.type === "apt-update" || ev.type === "unpack" || (ev.type === "download" && !ev.cached) || (ev.type === "program" && !ev.cached);
        const line = formatBuildEvent(ev);
        if (line === undefined) return;
        if (!live) { held.push(line); return; }
        for (const h of held.splice(0)) say(h);
        say(line);
      },
    });
  } catch (e) {
    // apt, the network or a compiler failed: its own words (they may span lines), then the status of a failed command.
    throw new CommandError(`cannot build the default image: ${(e as Error).message}`, 1);
  }
  return { path: r.path, bytes: r.image };
}

/**
 * TSIX_FLUSH_MS: how long guest output may wait in tsix before it is written
 * (default 10 ms). Tests set it high to show that the other flushes (newline
 * on a terminal, exit, signals) do not depend on the timer.
 */
function flushDelay(): number | undefined {
  const v = process.env.TSIX_FLUSH_MS;
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2 ** 31 - 1) throw new UsageError(`TSIX_FLUSH_MS must be a number of milliseconds from 1 (got '${v}')`);
  return Number(v);
}

/** A snapshot to resume (tsix restore, cli/restore.ts) instead of booting: its state, its meta, and the image it refers to. */
export interface Restored {
  enc: EncodedGraph;
  meta: RunSnapshotMeta;
  image: BootImage;
}

/**
 * Boot (or, given `restored`, resume) and run; return the exit status (0
 * after poweroff or halt; a reboot boots again in this process).
 */
export async function runSystem(o: RunOptions, restored?: Restored): Promise<number> {
  const interactive = o.command.length === 0;
  // Per stream: the console (a tty) when the host's is a terminal, else the host stream itself.
  // A restored system keeps the choice it was booted with: its PID 1 holds those files.
  const stdio = restored ? restored.meta.stdio
    : [process.stdin, process.stdout, process.stderr].map((s) => (s.isTTY ? "console" : "host") as StdioKind);
  const inputToConsole = stdio[0] === "console";
  const input = inputToConsole ? K.consoleInput : K.hostInput;
  const endOfInput = inputToConsole ? K.consoleEndOfInput : K.hostInputEnd;
  // The kernel that runs now: undefined before the first boot and while a reboot builds the next one
  // (input meanwhile waits in `early`).
  let k: K.Kernel | undefined;
  let last: K.Kernel | undefined;
  let watchdog: Watchdog | undefined;
  const early: Uint8Array[] = [];
  const outputErrors: { stream: "stdout" | "stderr"; code: string }[] = [];
  // Bytes of guest output handed to the host so far (a snapshot records them: where its output resumes).
  const written = { out: restored?.meta.written.out ?? 0, err: restored?.meta.written.err ?? 0 };
  const guestOut = (b: Uint8Array): void => { written.out += b.length; con.writeOut(b); };
  const guestErr = (b: Uint8Array): void => { written.err += b.length; con.writeErr(b); };
  /** The image the system boots from (and, after a restore, reboots from): loaded once, when first needed. */
  let image: BootImage | undefined = restored?.image;
  const snaps = createSnapshotter(o.snapshots, {
    // A terminal in raw mode does not turn \n into \r\n.
    say: (line) => con.writeErr(`tsix: ${line}${con.size() && inputToConsole ? "\r\n" : "\n"}`),
    meta: (vm) => runSnapshotMeta(vm, o, image, stdio, written, mountSource),
  });
  const keys = inputToConsole && process.stdin.isTTY ? createEscapeFilter(snaps) : null;
  let memTrace: MemTraceWriter | null = null;
  if (o.memTrace !== undefined) {
    try {
      memTrace = openMemTrace(o.memTrace);
    } catch (e) {
      snaps.close();
      throw new UsageError(`--trace mem=${o.memTrace}: cannot write the file (${(e as { code?: string }).code ?? "error"}; check the directory exists and is writable)`);
    }
  }
  let schedTrace: SchedTraceWriter | null = null;
  if (o.schedTrace !== undefined) {
    try {
      schedTrace = openSchedTrace(o.schedTrace, { clock: o.deterministic ? "instret" : o.clock, cpus: o.cpus });
    } catch (e) {
      snaps.close();
      throw new UsageError(`--trace sched=${o.schedTrace}: cannot write the file (${(e as { code?: string }).code ?? "error"}; check the directory exists and is writable)`);
    }
  }
  const con: HostConsole = openHostConsole({
    raw: inputToConsole && process.stdin.isTTY === true,
    flushMs: flushDelay(),
    onInput: (raw) => {
      const b = keys ? keys(raw) : raw;
      if (b.length === 0) return;
      if (k) input(k, b); else early.push(b);
    },
    onEnd: () => { if (k) endOfInput(k); },
    onResize: (rows, cols) => { if (k && inputToConsole) K.consoleResize(k, rows, cols); },
    // A host-backed stream that fails gives the guest's writer the host's errno (before boot: see the created hook).
    onOutputError: (stream, code) => {
      outputErrors.push({ stream, code });
      const fd = stream === "stdout" ? 1 : 2;
      if (k && stdio[fd] === "host") K.hostOutputBroken(k, fd, hostWriteErrno(code));
    },
  });
  /**
   * Everything tsix owes the host before it stops, on a normal exit and on
   * SIGTERM/SIGINT/SIGHUP: what the guest stored through shared mappings of
   * host files (written back), then the guest's pending output.
   */
  const settle = (): void => {
    const cur = k ?? last;
    if (cur) K.syncFilesystems(cur);
    con.flush();
  };
  // --mount-io async: the adapters of this boot; their answers go to the kernel between run slices
  // (the completion callback runs from the event loop, never inside a slice) and wake an idle loop.
  const shares: HostFs[] = [];
  let hostWake: (() => void) | null = null;
  const hostAnswered = (): Promise<void> => new Promise<void>((r) => { hostWake = r; });
  const delay = Number(process.env.TSIX_MOUNT_DELAY_MS ?? 0);
  const shareAdapter = (dir: string): HostFs => {
    const h = nodeHostFs(dir, { io: o.mountIo, delayMs: Number.isFinite(delay) && delay > 0 ? delay : 0 });
    h.onCompletion?.(() => {
      if (k) K.hostComplete(k);
      const w = hostWake; hostWake = null; w?.();
    });
    shares.push(h);
    return h;
  };
  /** Every write the guest's last sync started on an async share has reached the host. */
  const sharesDrained = async (): Promise<void> => {
    for (let i = 0; i < 10_000 && shares.some((h) => (h.inFlight?.() ?? 0) > 0); i++) await new Promise((r) => setTimeout(r, 1));
  };
  const offSignals = onStopSignals((status) => {
    settle();
    schedTrace?.close();
    memTrace?.close();
    con.close();
    process.exit(status);
  });
  const loadBootImage = async (): Promise<BootImage> => {
    image ??= await loadImage(o, (line) => con.writeErr(`${line}\n`));
    return image;
  };
  /** Host things every kernel gets, booted or restored. */
  const attach = (nk: K.Kernel): void => {
    if (o.oopsSyscall >= 0) nk.oopsSyscall = o.oopsSyscall;
    watchdog = startWatchdog(nk);
    if (o.trace) K.enableSyscallTrace(nk, (line) => con.writeErr(`${line}\n`));
    schedTrace?.attach(nk);
    memTrace?.attach(nk);
  };
  const started = (nk: K.Kernel): void => {
    k = nk;
    if (nk.host.net) K.netUserPoll(nk); // what the host's network said while the machine booted
    // Input that came while the image loaded (or the machine rebooted).
    for (const b of early.splice(0)) input(k, b);
    if (con.ended) endOfInput(k);
  };
  // --disk (each) and --swap: the images, opened once for the whole run (reboots keep them); a problem is a one-line error.
  let disk: FileDisk | undefined;
  const moreDisks: FileDisk[] = [];
  let swapDisk: FileDisk | undefined;
  const closeDisks = (): void => { disk?.close(); for (const d of moreDisks) d.close(); swapDisk?.close(); };
  {
    let current = o.disk?.path ?? "";
    let what = "--disk";
    try {
      // TSIX_DISK_DELAY_MS (async only): a slow disk, for tests and demonstrations.
      const dd = Number(process.env.TSIX_DISK_DELAY_MS ?? 0);
      const delayMs = Number.isFinite(dd) && dd > 0 ? dd : 0;
      if (o.disk) disk = openFileDisk(o.disk.path, { io: o.diskIo, readOnly: o.disk.readOnly, delayMs });
      for (const d of o.moreDisks) { current = d.path; moreDisks.push(openFileDisk(d.path, { io: o.diskIo, readOnly: d.readOnly, delayMs })); }
      if (o.swap) {
        // The swap disk answers at once: the kernel reads its header before init runs.
        what = "--swap"; current = o.swap.path;
        swapDisk = openFileDisk(prepareSwapFile(o.swap), { io: "sync", readOnly: false, delayMs: 0 });
      }
    } catch (e) {
      closeDisks();
      offSignals();
      con.close();
      schedTrace?.close();
      snaps.close();
      if (e instanceof DiskError) throw new UsageError(`${what}: ${e.message} (${diskRemedy(e.problem, current)})`);
      throw e;
    }
  }
  // The guest's vda, vdb, ...: the --disk images in order, then the --swap file.
  const diskList: FileDisk[] = [...(disk ? [disk] : []), ...moreDisks, ...(swapDisk ? [swapDisk] : [])];
  const swapName = swapDisk ? `vd${String.fromCharCode(97 + diskList.length - 1)}` : undefined;
  const allDiskPaths = [...(o.disk ? [o.disk.path] : []), ...o.moreDisks.map((d) => d.path)];
  // The root: --root, else the disk's partition 1 when it holds ext2, else the initramfs.
  let rootDev: string | undefined;
  if (o.root && o.root !== "initramfs") {
    if (!o.disk) throw new UsageError(`--root ${o.root} needs a disk: add --disk FILE.img`);
    // root= names its disk: /dev/vdb1 is on the second --disk.
    const letter = /^\/dev\/vd([a-h])/.exec(o.root)?.[1];
    const rootPath = allDiskPaths[letter ? letter.charCodeAt(0) - 97 : 0];
    if (rootPath === undefined) throw new UsageError(`--root ${o.root}: there is no such disk (give one more --disk)`);
    const r = existsSync(rootPath) ? ext2Root(rootPath) : { why: "no such file" };
    if ("why" in r) throw new UsageError(`--root ${o.root}: ${rootPath}: ${r.why} (make a bootable disk with: tsix image build -o ${rootPath})`);
    rootDev = o.root;
  } else if (!o.root && o.disk && existsSync(o.disk.path) && statSync(o.disk.path).isFile()) {
    const r = ext2Root(o.disk.path);
    if ("root" in r) rootDev = r.root;
  }
  if (rootDev && o.diskIo === "async") throw new UsageError("the root on a --disk-io async disk is not supported yet: use --disk-io sync, or --root initramfs");
  // --net user: the host's side of the guest's network; its events reach the kernel between run slices.
  const hostNet = o.net === "user" ? nodeHostNet() : null;
  hostNet?.onEvent(() => {
    if (k) K.netUserPoll(k);
    const w = hostWake; hostWake = null; w?.();
  });
  /**
   * After the guest stops: what it wrote on host connections it closed still
   * goes out, then FIN (Linux keeps sending on a socket whose process has
   * exited), for up to NET_LINGER_MS; a host that never reads does not hold
   * tsix forever, and what it did not take is reported.
   */
  const netLinger = async (nk: K.Kernel): Promise<void> => {
    const until = performance.now() + NET_LINGER_MS;
    for (;;) {
      K.netUserPoll(nk);
      const out = hostNet!.finishing();
      const unsent = K.netUnsent(nk);
      if (out.conns === 0 && unsent === 0) return;
      const left = until - performance.now();
      if (left <= 0) {
        con.writeErr(`tsix: the host did not take the last ${unsent + out.bytes} bytes the guest sent before closing its connections (waited ${NET_LINGER_MS / 1000} s); they are dropped\n`);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([hostAnswered(), new Promise<void>((r) => { timer = setTimeout(r, Math.min(left, 500)); })]);
      clearTimeout(timer);
    }
  };
  const netOn = (nk: K.Kernel): void => {
    if (!hostNet) return;
    nk.host.net = hostNet;
    nk.net.user = true;
  };
  try {
    if (hostNet) {
      try {
        await hostNet.publish(o.publish);
      } catch (e) {
        hostNet.shutdownAll();
        throw new UsageError(`--publish: cannot listen on the host's 127.0.0.1 (${(e as NodeJS.ErrnoException).code ?? String(e)}): choose a free HOSTPORT`);
      }
    }
    if (!restored) await loadBootImage();
    const t0 = performance.now();
    const term = process.env.TERM && process.env.TERM !== "" ? process.env.TERM : "linux";
    let boots = 0;
    let result: Awaited<ReturnType<typeof runVmSystem>>;
    try {
      result = await runVmSystem({
        module: loadCore(),
        vm: {
          memBytes: o.memBytes, cpus: o.cpus, interleave: o.interleave, sched: o.sched, mmPolicy: o.mmPolicy, sysctl: o.sysctl, clock: o.clock, jit: o.jit, jitOptions: o.jitOptions,
          deterministic: o.deterministic, seed: o.seed,
          consoleOut: guestOut,
          disk,
          ...(diskList.length > 1 || (swapDisk && !disk) ? { disks: diskList } : {}),
        },
        cpio: async () => (await loadBootImage()).bytes,
        resume: restored ? restoreVm(restored.enc, {
          module: loadCore(), config: restored.meta.config, image: restored.image.bytes, consoleOut: guestOut,
        }) : undefined,
        boot: () => ({
          init: o.init,
          // tsix-init takes "--" before the command; another init gets the words as they are.
          args: o.init ? o.command : interactive ? [] : ["--", ...o.command],
          env: [`TERM=${term}`],
          // The guest sees a neutral source name (/proc/mounts, dmesg), never the host's path.
          mounts: o.mounts.map((m, i) => ({ guest: m.guest, host: shareAdapter(m.host), source: mountSource(i) })),
          stdio,
          winsize: con.size() ?? undefined,
          ramdiskBytes: o.ramdiskBytes,
          root: rootDev,
          ...(swapName ? { swap: [swapName] } : {}),
        }),
        host: {
          // Every hart is idle: wait for input (the run loop waits for its timers itself), or for a snapshot request.
          wakeIdle: async () => {
            con.flush();
            const kernel = k!;
            // A task waits for a --mount answer: the answer (or input) wakes the system.
            if (K.hostRequestsInFlight(kernel) > 0) return con.ended ? hostAnswered() : Promise.race([hostAnswered(), con.waitInput()]);
            // --net user: the host's network may still answer (a connection, a published port, a DNS query).
            if (hostNet && K.netUserPoll(kernel) > 0) return;
            if (hostNet?.active()) return con.ended ? Promise.race([hostAnswered(), snaps.requested()]) : Promise.race([hostAnswered(), con.waitInput(), snaps.requested()]);
            if (!con.ended) return Promise.race([con.waitInput(), snaps.requested()]);
            if (K.nextTimerAt(kernel) < Infinity) return snaps.requested(); // only a timer (or a snapshot request) can wake the loop now
            // Every task waits, no timer is armed and no input can come: nothing will ever run again.
            con.writeErr("tsix: every process is waiting for something that cannot happen (stdin has ended); stopping\n");
            kernel.exitStatus = 1;
            kernel.halted = true;
          },
          yieldToHost: () => new Promise<void>((r) => { setImmediate(r); }),
          boundary: snaps.boundary,
        },
        hooks: {
          created: (vm) => {
            const nk = vm.kernel;
            boots++;
            attach(nk);
            netOn(nk);
            K.initHostStdio(nk, guestOut, guestErr);
            for (const { stream, code } of outputErrors) {
              const fd = stream === "stdout" ? 1 : 2;
              if (stdio[fd] === "host") K.hostOutputBroken(nk, fd, hostWriteErrno(code));
            }
          },
          booted: (vm) => started(vm.kernel),
          resumed: (vm) => {
            const nk = vm.kernel;
            attach(nk);
            netOn(nk);
            K.attachHostStdio(nk, guestOut, guestErr);
            // The shares, found again by path; hostfs re-resolves what its inodes and open files held
            // (re-attaching needs answers at once: the synchronous adapter).
            o.mounts.forEach((m, i) => nk.host.hostDirs.set(mountSource(i), nodeHostFs(m.host)));
            const problem = K.hostfsReattach(nk);
            if (problem !== null) throw new UsageError(`cannot re-attach --mount: ${problem}`);
            const size = con.size();
            if (size && inputToConsole) K.consoleResize(nk, size.rows, size.cols);
            started(nk);
          },
          stopped: (vm) => {
            schedTrace?.detach(vm.kernel);
            watchdog?.stop();
            watchdog = undefined;
            last = vm.kernel;
            k = undefined;
            // What the guest wrote before the machine stopped reaches the host before the next boot's output.
            con.flush();
          },
        },
      });
    } catch (e) {
      // What the kernel could not do at boot comes from --mount, --init or --image: a usage error.
      if (e instanceof K.BootError) {
        const remedy = e.message.startsWith("cannot mount root")
          ? "make a bootable disk with tsix image build -o FILE.img, or boot from the initramfs with --root initramfs"
          : e.message.startsWith("cannot mount")
          ? "the guest path of --mount must be a directory in the image or not exist yet"
          : "--init needs the absolute path of a program in the image";
        throw new UsageError(`${e.message} (${remedy})`);
      }
      throw e;
    }
    const status = result.status;
    // The guest kernel panicked (vm.panic_on_oom, or no process left to kill): say so, once, on stderr.
    const panic = result.vm.kernel.log.lines.slice(-4).find((l) => l.text.startsWith("Kernel panic - not syncing: "));
    if (panic) con.writeErr(`tsix: ${panic.text} (the guest kernel stopped the machine)\n`);
    if (hostNet) await netLinger(result.vm.kernel);
    settle();
    await sharesDrained();
    await con.written();
    // A pipe whose reader left (EPIPE) is the reader's choice, as on Linux; any other lost output is an error.
    const lost = outputErrors.find((e) => e.code !== "EPIPE");
    if (lost) {
      con.writeErr(`tsix: writing ${lost.stream} failed (${lost.code}): some of the command's output was lost\n`);
      if (status === 0) return 1;
    }
    schedTrace?.close();
    memTrace?.close();
    if (o.schedReport) con.writeErr(K.schedReportText(result.vm.kernel, K.nowNs(result.vm.kernel)));
    if (o.stats) {
      const secs = (performance.now() - t0) / 1000;
      const { machine, kernel } = result.vm;
      const insns = machine.stats().instructions;
      // A restored run counts from power-on (the snapshot holds the counters) but ran only since the snapshot.
      const ran = insns - (restored?.meta.instructions ?? 0);
      const s = kernel.stats;
      if (o.jit) con.writeErr(`${jitStatsText(machine.jit.stats(), insns)}\n`);
      con.writeErr(`boot_ms=${(s.bootNs / 1e6).toFixed(1)} instructions=${insns} mips=${(ran / secs / 1e6).toFixed(1)} ` +
        `syscalls=${s.syscalls} ctx_switches=${s.ctxSwitches} page_faults=${s.pageFaults} cow_faults=${s.cowFaults}` +
        `${boots > 1 ? ` boots=${boots}` : ""}${hostNet ? ` net_tx_queued_max=${hostNet.txQueuedMax()} net_tx_bound=${TX_HIGH}` : ""}\n`);
    }
    return status;
  } finally {
    hostNet?.shutdownAll();
    closeDisks();
    schedTrace?.close();
    memTrace?.close();
    offSignals();
    snaps.close();
    watchdog?.stop();
    con.close();
  }
}

/** The guest's name for the host directory of the i-th --mount (never the host's path). */
export function mountSource(i: number): string {
  return i === 0 ? "hostfs" : `hostfs${i}`;
}

export async function runMain(argv: string[]): Promise<number> {
  const o = parseRunArgs(argv);
  if (o === "help") { process.stdout.write(USAGE + "\n"); return 0; }
  return runSystem(o);
}

/** `tsix` with no arguments, or with run's options only (`tsix --disk FILE.img`): the interactive shell. */
export async function shellMain(argv: string[] = []): Promise<number> {
  const o = parseRunArgs(argv);
  if (o === "help") { process.stdout.write(USAGE + "\n"); return 0; }
  if (o.command.length > 0) throw new UsageError(`tsix with options starts an interactive shell; to run a command: tsix run ${argv.slice(0, argv.length - o.command.length).join(" ")} -- ${o.command.join(" ")}`);
  return runSystem(o);
}
