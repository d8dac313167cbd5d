// System-wide /proc files, generated from kernel state in the formats free,
// top, uptime, vmstat, df, mount, ps and python read: meminfo, stat, uptime,
// loadavg, cpuinfo, interrupts, mounts, filesystems, version, vmstat, swaps,
// schedstat (the per-hart scheduler counters),
// partitions, devices, tty/drivers, kmsg, net/*, and tsix's own views of the
// machine (TLB counters) and the run queue.
//
// CPU time: a hart's user time is the kernel-clock time the run loop charged
// to the tasks it ran (vmm/run.ts), its idle time is what the scheduler
// recorded, and system time is the rest of the elapsed time (the kernel's
// own work), all in USER_HZ ticks, and none of them ever goes back.
//
// Concepts: C02 (user/system/idle in /proc/stat), C11 (/proc/interrupts),
// C15 (/proc/meminfo, vmstat), C52 (TLB hits and misses), C55 (swaps),
// C68 (/proc/mounts), C10 (kmsg), C22/C29 (loadavg, run queue), C31 (schedstat per hart).
import { sysvipcDir } from "./sysvipc.js";
import { showNetTcp, showNetUdp } from "./net.js";
import { showNetRoute, showIfInet6 } from "../../lib/netif.js";
import type { Kernel } from "../../kernel.js";
import { nowNs, realtimeDelta } from "../../time/clock.js";
import type { Task } from "../../proc/task.js";
import { freeFrames } from "../../mm/phys.js";
import { watermarks } from "../../mm/reclaim.js";
import { commitLimit } from "../../mm/vmstate.js";
import { locksText } from "../locks.js";
import { irqCounts } from "../../drivers/irq.js";
import { fsTypeNames } from "../fstypes.js";
import { charDevices } from "../chardev.js";
import { blockDevices, devMajor, devMinor } from "../../block/blkdev.js";
import { bufferCacheStats } from "../../block/buffer.js";

/** KiB read from / written to the whole disks (vmstat pgpgin/pgpgout). */
function diskKb(k: Kernel, op: "read" | "write"): number {
  let s = 0;
  for (const d of blockDevices(k)) if (d.partno === 0) s += op === "read" ? d.stats.sectorsRead : d.stats.sectorsWritten;
  return Math.floor(s / 2);
}
import type { Utsname } from "../../lib/sysinfo.js";
import { EACCES, ENOENT, EINVAL, EBUSY } from "../../abi/errno.js";
import { psiShow, psiTriggerCreate, psiTriggerDestroy, psiTriggerPoll, psiWaitQueue, PSI_IO, PSI_MEM, PSI_CPU } from "../../sched/psi.js";
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, POLLERR, POLLPRI } from "../../abi/fs.js";
import { type PNode, type PDir, pdir, pfile, pfileOps, staticDir } from "./node.js";
import type { Ext2Fs } from "../ext2/super.js";
import { type Journal, jbdInfoText } from "../jbd2/transaction.js";
import { showMounts, ticksOfNs } from "./pid.js";
import { loadavg, bumpLoadavg } from "./loadavg.js";
import { nrRunning, policyName, policyPreemptive, queuedTasks } from "../../sched/core.js";
import { showSchedDebug } from "../../sched/debug.js";
import { kmsgRead } from "./kmsg.js";
import { schedReportText } from "../../sched/report.js";
import { defineFileOps } from "../../lib/fsops.js";
import { strToBytes, bytesToStr, readAt } from "../../lib/bytestr.js";
import { frameCensus, type FrameCensus, KPAGECOUNT_FOPS, KPAGEFLAGS_FOPS } from "./mmview.js";
import { swapTotals } from "../../mm/swap.js";
import { tmpfsResidentPages } from "../../mm/tmpfs_swap.js";

const ro = (show: (k: Kernel) => string): PNode => pfile(0o444, (k) => show(k));

/** What swap reports (mm/swap.ts): totals, counters and the active areas. */
interface SwapInfo {
  totalPages: number; freePages: number; cachedPages: number; pswpin: number; pswpout: number;
  devices: { path: string; type: string; sizeKb: number; usedKb: number; prio: number }[];
}
function swapInfo(k: Kernel): SwapInfo {
  const sw = k.mmctx.vm.swap;
  const t = swapTotals(sw);
  const devices = [];
  for (const a of sw.areas) if (a) devices.push({ path: a.path, type: a.kind, sizeKb: a.good * 4, usedKb: a.inuse * 4, prio: a.prio });
  return { totalPages: t.total, freePages: t.free, cachedPages: t.cached, pswpin: sw.pswpin, pswpout: sw.pswpout, devices };
}

export function uts(k: Kernel): Utsname {
  return k.sysinfo.uts;
}

function line(label: string, pages: number): string {
  return `${(label + ":").padEnd(16)}${String(Math.max(0, Math.round(pages * 4))).padStart(8)} kB\n`;
}

function plain(label: string, v: number): string {
  return `${(label + ":").padEnd(16)}${String(v).padStart(8)}\n`;
}

/**
 * /proc/meminfo, from the frame table (mmview.ts frameCensus): every figure
 * is a count of frames by owner and flags, so a test can recount them.
 *   Cached       page-cache frames plus shared-memory frames (Linux's
 *                NR_FILE_PAGES counts shmem too), AnonPages the private
 *                anonymous frames, Mapped the cache and shmem frames some
 *                PTE maps, Shmem the shared-memory frames and the tmpfs
 *                (memfd, /dev/shm) pages in RAM (Linux's NR_SHMEM; those
 *                are in Cached too, as page-cache frames), PageTables the
 *                page-table frames, Dirty
 *                the cache frames marked dirty, Slab the kernel objects
 *                charged to RAM (kmem.ts).
 *   Active/Inactive there are no LRU lists yet: anonymous and shmem frames
 *                count as active anon, mapped file frames as active file,
 *                unmapped ones as inactive file (what the frame table knows).
 *   MemAvailable free frames plus the page cache reclaim could drop, less
 *                the low watermark (Linux's si_mem_available, simplified).
 * Frames the kernel itself holds (pipe buffers, the signal trampoline) show
 * only in MemTotal - MemFree, as pages Linux does not account elsewhere.
 */
/** Linux's NR_SHMEM: shared-memory frames (SysV, MAP_SHARED anonymous) and tmpfs pages in RAM; meminfo's Shmem and sysinfo's sharedram. */
export function shmemPages(k: Kernel, c: FrameCensus = frameCensus(k.pm)): number {
  return c.shmem + tmpfsResidentPages(k.mmctx);
}

export function showMeminfo(k: Kernel): string {
  const total = k.pm.frames - k.pm.reserved;
  const free = freeFrames(k.pm);
  const c = frameCensus(k.pm);
  const cached = c.pagecache + c.shmem;
  const sw = swapInfo(k);
  const swapTotal = sw.totalPages, swapFree = sw.freePages;
  const committed = k.mmctx.vm.committed;
  const limit = commitLimit(k.pm, k.mmctx.vm);
  const low = Math.floor((k.pm.minFree * 5) / 4);
  const available = Math.max(0, free - low + c.pagecache - Math.min(Math.floor(c.pagecache / 2), low));
  const activeAnon = c.anon + c.shmem, inactiveAnon = 0;
  const activeFile = c.pagecacheMapped, inactiveFile = c.pagecache - c.pagecacheMapped;
  return line("MemTotal", total) + line("MemFree", free) + line("MemAvailable", available) +
    line("Buffers", bufferCacheStats(k).bytes / 4096) + line("Cached", cached) + line("SwapCached", sw.cachedPages) +
    line("Active", activeAnon + activeFile) + line("Inactive", inactiveAnon + inactiveFile) +
    line("Active(anon)", activeAnon) + line("Inactive(anon)", inactiveAnon) +
    line("Active(file)", activeFile) + line("Inactive(file)", inactiveFile) +
    line("Unevictable", 0) + line("Mlocked", 0) + line("SwapTotal", swapTotal) + line("SwapFree", swapFree) +
    line("Zswap", 0) + line("Zswapped", 0) + line("Dirty", c.pagecacheDirty + Math.ceil(dirtyBufferBytes(k) / 4096)) + line("Writeback", writebackPages(k)) + line("AnonPages", c.anon) +
    line("Mapped", c.pagecacheMapped + c.shmemMapped) + line("Shmem", shmemPages(k, c)) + line("KReclaimable", 0) + line("Slab", k.pm.kmemPages) +
    line("SReclaimable", 0) + line("SUnreclaim", k.pm.kmemPages) + line("KernelStack", 0) + line("PageTables", c.pagetable) +
    line("SecPageTables", 0) + line("NFS_Unstable", 0) + line("Bounce", 0) + line("WritebackTmp", 0) +
    line("CommitLimit", limit) + line("Committed_AS", committed) +
    `${"VmallocTotal:".padEnd(16)}${"0".padStart(8)} kB\n` + line("VmallocUsed", 0) + line("VmallocChunk", 0) +
    line("Percpu", 0) + line("HardwareCorrupted", 0) + line("AnonHugePages", 0) + line("ShmemHugePages", 0) +
    line("ShmemPmdMapped", 0) + line("FileHugePages", 0) + line("FilePmdMapped", 0) +
    plain("HugePages_Total", 0) + plain("HugePages_Free", 0) + plain("HugePages_Rsvd", 0) +
    plain("HugePages_Surp", 0) + line("Hugepagesize", 512) + line("Hugetlb", 0);
}

/**
 * Per-CPU times in ticks: user, system, idle. Idle is what the scheduler
 * recorded, user what the run loop charged (plus the busy time since its
 * last charge), system the rest of the elapsed time; all are on the kernel
 * clock, so they add up to the elapsed time. Each never goes back, as in
 * Linux (cputime_adjust): top and vmstat take differences of two samples
 * in unsigned arithmetic, and a counter that went back by one tick showed
 * as 429496719% system.
 */
export function cpuTimes(k: Kernel): { user: number; system: number; idle: number }[] {
  const now = nowNs(k);
  return k.cpus.map((c) => {
    const idleNs = c.idleNs + (c.idleSince ? now - c.idleSince : 0);
    // A busy hart's time since its last charge is user time not charged yet (one hart on the instret clock charges every run).
    const pending = c.current !== null && (k.machine.clock !== "instret" || k.cpus.length > 1) ? Math.max(0, now - c.acctNs - c.sysOwed * 10) : 0;
    const userNs = c.userInsns * 10 + pending;
    const sysNs = Math.max(0, now - idleNs - userNs);
    c.shownUser = Math.max(c.shownUser, ticksOfNs(userNs));
    c.shownSystem = Math.max(c.shownSystem, ticksOfNs(sysNs));
    c.shownIdle = Math.max(c.shownIdle, ticksOfNs(idleNs));
    return { user: c.shownUser, system: c.shownSystem, idle: c.shownIdle };
  });
}

/** /proc/stat. */
export function showStat(k: Kernel): string {
  const times = cpuTimes(k);
  const sum = times.reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system, idle: a.idle + b.idle }),
    { user: 0, system: 0, idle: 0 });
  const cpuLine = (name: string, x: { user: number; system: number; idle: number }): string =>
    `${name} ${x.user} 0 ${x.system} ${x.idle} 0 0 0 0 0 0\n`;
  let out = cpuLine("cpu ", sum);
  times.forEach((x, i) => { out += cpuLine(`cpu${i}`, x); });
  const counts = irqCounts(k);
  const perIrq: number[] = [];
  for (let i = 0; i < 64; i++) perIrq.push(counts.get(i) ?? 0);
  let blocked = 0;
  for (const t of k.tasks.values()) if (t.state === "D") blocked++;
  out += `intr ${k.stats.interrupts} ${perIrq.join(" ")}\n`;
  out += `ctxt ${k.stats.ctxSwitches}\n`;
  out += `btime ${Math.floor(realtimeDelta(k) / 1e9)}\n`;
  out += `processes ${Math.max(0, k.nextPid - 1)}\n`;
  out += `procs_running ${Math.max(1, nrRunning(k))}\n`;
  out += `procs_blocked ${blocked}\n`;
  out += `softirq 0 0 0 0 0 0 0 0 0 0 0\n`;
  return out;
}

/**
 * /proc/schedstat, version 15: per hart, yld_count, a legacy 0, sched_count,
 * sched_goidle, ttwu_count, ttwu_local, rq_cpu_time (ns of task time run
 * there: user + system), run_delay (ns tasks waited in its queue) and pcount
 * (time slices run). tsix has no scheduling domains, so there are no
 * domainN lines (tools that read them find none, as on a kernel built
 * without CONFIG_SMP's domains).
 */
function showSchedstat(k: Kernel): string {
  let out = `version 15\ntimestamp ${ticksOfNs(nowNs(k))}\n`;
  for (const c of k.cpus) {
    const s = c.schedstat;
    const runNs = Math.round(c.userInsns * 10 + c.sysNs);
    out += `cpu${c.id} ${s.yld} 0 ${s.sched} ${s.goidle} ${s.ttwu} ${s.ttwuLocal} ${runNs} ${Math.round(s.runDelayNs)} ${s.pcount}\n`;
  }
  return out;
}

function showUptime(k: Kernel): string {
  const up = nowNs(k) / 1e9;
  const idle = cpuTimes(k).reduce((a, c) => a + c.idle, 0) / 100;
  return `${up.toFixed(2)} ${idle.toFixed(2)}\n`;
}

function showLoadavg(k: Kernel): string {
  bumpLoadavg(k);
  const la = loadavg(k);
  return `${la.map((v) => v.toFixed(2)).join(" ")} ${nrRunning(k)}/${k.tasks.size} ${Math.max(0, k.nextPid - 1)}\n`;
}

function showCpuinfo(k: Kernel): string {
  return k.cpus.map((c) =>
    `processor\t: ${c.id}\nhart\t\t: ${c.id}\nisa\t\t: rv64imafdc_zicntr_zicsr_zifencei\nmmu\t\t: sv39\n` +
    `mvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n`).join("");
}

/** Who is behind a PLIC source on this machine. */
function irqName(irq: number): string {
  if (irq === 10) return "ttyS0";
  if (irq >= 1 && irq <= 8) return `virtio${irq - 1}`;
  if (irq === 11) return "rtc-goldfish";
  return "-";
}

/** /proc/interrupts: per-source counts, and the timer (per CPU when the scheduler counts them). */
function showInterrupts(k: Kernel): string {
  const n = k.cpus.length;
  let out = "    " + k.cpus.map((c) => `CPU${c.id}`.padEnd(11)).join("") + "\n";
  const per = (v: number[]): string => v.map((x) => String(x).padStart(10) + " ").join("");
  const counts = irqCounts(k);
  for (const irq of [...counts.keys()].sort((a, b) => a - b)) {
    const v = new Array<number>(n).fill(0);
    v[0] = counts.get(irq) ?? 0;
    out += `${String(irq).padStart(3)}: ${per(v)} SiFive PLIC ${String(irq).padStart(3)} Edge      ${irqName(irq)}\n`;
  }
  const ticks = k.cpus.map((c) => (c as unknown as { timerTicks?: number }).timerTicks);
  const timer = ticks.every((x) => typeof x === "number")
    ? (ticks as number[])
    : [k.stats.timerTicks, ...new Array<number>(n - 1).fill(0)];
  out += `  5: ${per(timer)} RISC-V INTC   5 Edge      riscv-timer\n`;
  out += `IPI0: ${per(new Array<number>(n).fill(0))} Rescheduling interrupts\n`;
  return out;
}

const DISK_FS = new Set(["ext2", "ext3", "ext4", "vfat", "msdos", "iso9660"]);

function showFilesystems(k: Kernel): string {
  return [...fsTypeNames(k)].map((n) => (DISK_FS.has(n) ? `\t${n}\n` : `nodev\t${n}\n`)).join("");
}

function showVersion(k: Kernel): string {
  const u = uts(k);
  return `${u.sysname} version ${u.release} (tsix@tsix) (TypeScript kernel on an emulated RV64GC machine) ${u.version}\n`;
}

function showVmstat(k: Kernel): string {
  const free = freeFrames(k.pm);
  const c = frameCensus(k.pm);
  const sw = swapInfo(k);
  const ms = k.machine.stats();
  const vc = k.mmctx.vm.counters;
  const rows: [string, number][] = [
    ["nr_free_pages", free],
    ["nr_inactive_anon", 0], ["nr_active_anon", c.anon + c.shmem],
    ["nr_inactive_file", c.pagecache - c.pagecacheMapped], ["nr_active_file", c.pagecacheMapped],
    ["nr_unevictable", 0], ["nr_mlock", 0],
    ["nr_anon_pages", c.anon], ["nr_mapped", c.pagecacheMapped + c.shmemMapped],
    ["nr_file_pages", c.pagecache + c.shmem], ["nr_dirty", c.pagecacheDirty + Math.ceil(dirtyBufferBytes(k) / 4096)], ["nr_writeback", writebackPages(k)],
    ["nr_shmem", shmemPages(k, c)], ["nr_page_table_pages", c.pagetable], ["nr_kernel_stack", 0],
    ["nr_slab_unreclaimable", k.pm.kmemPages],
    ["pgpgin", diskKb(k, "read")], ["pgpgout", diskKb(k, "write")], ["pswpin", sw.pswpin], ["pswpout", sw.pswpout],
    ["swap_ra", k.mmctx.vm.swap.swapRa], ["swap_ra_hit", k.mmctx.vm.swap.swapRaHit],
    ["pgalloc_normal", k.pm.allocs], ["pgfree", k.pm.frees],
    ["pgfault", k.stats.pageFaults], ["pgmajfault", vc.pgmajfault], ["pgcowfault", k.stats.cowFaults],
    // Reclaim and the OOM killer (mm/reclaim.ts, mm/oom.ts).
    ["allocstall_normal", vc.allocstall], ["pgscan_direct", vc.pgscanDirect], ["pgsteal_direct", vc.pgstealDirect],
    ["pgscan_kswapd", vc.pgscanKswapd], ["pgsteal_kswapd", vc.pgstealKswapd], ["pageoutrun", vc.pageoutrun],
    ["pgsteal_anon", vc.pgstealAnon], ["pgsteal_file", vc.pgstealFile], ["nr_vmscan_write", vc.nrVmscanWrite],
    ["workingset_refault_file", vc.workingsetRefaultFile],
    ["oom_kill", vc.oomKill],
    ["nr_tlb_hits", ms.tlbHits], ["nr_tlb_misses", ms.tlbMisses], ["nr_tlb_local_flush_all", ms.tlbFlushes],
  ];
  return rows.map(([n, v]) => `${n} ${v}\n`).join("");
}

/** /proc/zoneinfo: one zone, its free frames and the reclaim watermarks (mm/reclaim.ts). */
function showZoneinfo(k: Kernel): string {
  const [min, low, high] = watermarks(k.pm);
  const present = k.pm.frames - k.pm.reserved;
  return `Node 0, zone   Normal\n  pages free     ${freeFrames(k.pm)}\n        min      ${min}\n        low      ${low}\n        high     ${high}\n` +
    `        spanned  ${k.pm.frames}\n        present  ${present}\n        managed  ${present}\n`;
}

function showSwaps(k: Kernel): string {
  // Linux's swap_show: the path padded to 40 columns (at least one space), "partition" or "file\t", then
  // Size, Used (KiB) and Priority, each with an extra tab while below 10000000.
  let out = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  for (const d of swapInfo(k).devices) {
    const pad = " ".repeat(d.path.length < 40 ? 40 - d.path.length : 1);
    out += `${d.path}${pad}${d.type === "partition" ? "partition" : "file\t"}\t${d.sizeKb}\t${d.sizeKb < 10000000 ? "\t" : ""}` +
      `${d.usedKb}\t${d.usedKb < 10000000 ? "\t" : ""}${d.prio}\n`;
  }
  return out;
}

function showPartitions(k: Kernel): string {
  let out = "major minor  #blocks  name\n\n";
  for (const d of blockDevices(k)) {
    out += `${String(devMajor(d.dev)).padStart(4)}  ${String(devMinor(d.dev)).padStart(7)} ${String(Math.floor(d.sectors / 2)).padStart(10)} ${d.name}\n`;
  }
  return out;
}

/** /proc/diskstats: Linux's 20 fields per device (Documentation/admin-guide/iostats.rst), from the block layer's counters. */
function showDiskstats(k: Kernel): string {
  let out = "";
  for (const d of blockDevices(k)) {
    const s = d.stats;
    const f = [s.reads, s.readsMerged, s.sectorsRead, s.msReading, s.writes, s.writesMerged, s.sectorsWritten, s.msWriting,
      s.inFlight, s.msIo, s.msWeighted, s.discards, s.discardsMerged, s.sectorsDiscarded, s.msDiscarding, s.flushes, s.msFlushing];
    out += `${String(devMajor(d.dev)).padStart(4)} ${String(devMinor(d.dev)).padStart(7)} ${d.name} ${f.join(" ")}\n`;
  }
  return out;
}

/** /proc/tsix/buffercache (a tsix addition): the buffer cache's size, limit, dirty buffers, hits, misses and evictions. */
function showBufferCache(k: Kernel): string {
  const c = bufferCacheStats(k);
  const looked = c.hits + c.misses;
  return `buffers ${c.count}\nbytes ${c.bytes}\nlimit_bytes ${c.limitBytes}\ndirty ${c.dirty}\nhits ${c.hits}\nmisses ${c.misses}\n` +
    `hit_rate_pct ${looked ? ((100 * c.hits) / looked).toFixed(1) : "0.0"}\nevictions ${c.evictions}\nwritten_back ${c.writtenBack}\n`;
}

/** Bytes of dirty buffers. */
function dirtyBufferBytes(k: Kernel): number {
  let n = 0;
  for (const m of bufferCacheStats(k).byDev.values()) for (const bh of m.values()) if (bh.dirty) n += bh.size;
  return n;
}

/**
 * Pages under write-back (Writeback:, nr_writeback): buffers whose write is
 * with the driver (in flight and up to date: a read in flight is not up to
 * date yet). Page-cache pages are never under write themselves: reclaim's
 * pageout and msync copy them into the buffer cache at once, and it is the
 * buffers that go to the disk (a disk that answers later keeps them here).
 */
function writebackPages(k: Kernel): number {
  let n = 0;
  for (const m of bufferCacheStats(k).byDev.values()) for (const bh of m.values()) if (bh.inFlight && bh.uptodate) n += bh.size;
  return Math.ceil(n / 4096);
}

function showDevices(k: Kernel): string {
  const byMajor = new Map<number, string>();
  for (const [key, dev] of charDevices(k)) {
    const major = Math.floor(key / 0x100000);
    if (!byMajor.has(major)) byMajor.set(major, major === 5 ? "/dev/tty" : major === 4 ? "ttyS" : major === 136 ? "pts" : dev.name);
  }
  let out = "Character devices:\n";
  for (const m of [...byMajor.keys()].sort((a, b) => a - b)) out += `${String(m).padStart(3)} ${byMajor.get(m)}\n`;
  out += "\nBlock devices:\n";
  const majors = new Map<number, string>();
  for (const d of blockDevices(k)) majors.set(devMajor(d.dev), d.driver === "ramdisk" ? "ramdisk" : "virtblk");
  for (const m of [...majors.keys()].sort((a, b) => a - b)) out += `${String(m).padStart(3)} ${majors.get(m)}\n`;
  return out;
}

/** /proc/tty/drivers: procps maps tty_nr to a name with it. */
function showTtyDrivers(): string {
  return "/dev/tty             /dev/tty        5       0 system:/dev/tty\n" +
    "/dev/console         /dev/console    5       1 system:console\n" +
    "/dev/ptmx            /dev/ptmx       5       2 system\n" +
    "serial               /dev/ttyS       4 64-67 serial\n" +
    "pty_slave            /dev/pts      136 0-1048575 pty:slave\n" +
    "pty_master           /dev/ptm      128 0-1048575 pty:master\n";
}

function showSerial(k: Kernel): string {
  const u = k.drivers.uart;
  return "serinfo:1.0 driver revision:\n" +
    `0: uart:16550A mmio:0x10000000 irq:10 tx:${u?.txBytes ?? 0} rx:${u?.rxBytes ?? 0} RTS|DTR|DSR|CD\n`;
}

/** /proc/kmsg: the kernel log as a stream (root only; reading consumes it). */
const kmsgFops = defineFileOps("proc.kmsg", {
  open(_k, t) { return t.tg.creds.euid === 0 ? 0 : -EACCES; },
  read(k, t, f, buf) { return kmsgRead(k, t, buf, (f.flags & 0o4000) !== 0); },
  poll(k, _t, _f, io) {
    const s = k.syslog;
    io.wait = s.wait;
    return s.readSeq < k.log.first + k.log.lines.length ? 0x41 : 0;
  },
});

/** An open /proc/pressure file: the trigger its write registered (0: none). */
interface PressureOpen { trigger: number }

/**
 * /proc/pressure/{io,memory,cpu} (sched/psi.ts): the text, generated at each
 * read from position 0; a write of "some|full THRESHOLD_US WINDOW_US"
 * registers a trigger on this open file (EBUSY for a second one, EINVAL for
 * a bad string or range); poll reports POLLPRI once per firing, and, with no
 * trigger, POLLERR | POLLPRI besides the usual mask (Linux's
 * psi_trigger_poll); close removes the trigger.
 */
function pressureFops(res: number, name: string): string {
  return defineFileOps(name, {
    open(_k, _t, f) { f.info = { trigger: 0 } satisfies PressureOpen; return 0; },
    read(k, _t, _f, buf, pos) {
      return readAt(strToBytes(psiShow(k, res)), buf, pos);
    },
    write(k, _t, f, buf) {
      const st = f.info as PressureOpen;
      if (buf.length === 0) return -EINVAL;
      if (st.trigger !== 0) return -EBUSY;
      // Linux copies at most 127 bytes and stops at a NUL.
      const raw = buf.subarray(0, Math.min(buf.length, 127));
      const nul = raw.indexOf(0);
      const r = psiTriggerCreate(k, res, bytesToStr(nul >= 0 ? raw.subarray(0, nul) : raw));
      if (r < 0) return r;
      st.trigger = r;
      return buf.length;
    },
    poll(k, _t, f, io) {
      const st = f.info as PressureOpen;
      io.wait = psiWaitQueue(k);
      const base = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
      if (st.trigger === 0) return base | POLLERR | POLLPRI;
      const r = psiTriggerPoll(k, st.trigger);
      return r < 0 ? base | POLLERR | POLLPRI : r > 0 ? base | POLLPRI : base;
    },
    release(k, f) {
      const st = f.info as PressureOpen | null;
      if (st && st.trigger !== 0) psiTriggerDestroy(k, st.trigger);
    },
  });
}
const PRESSURE_FOPS = [pressureFops(PSI_IO, "proc.pressure.io"), pressureFops(PSI_MEM, "proc.pressure.memory"), pressureFops(PSI_CPU, "proc.pressure.cpu")];

/** tsix's own view of the machine: TLB, traps, instructions (C50-C52). */
function showMachine(k: Kernel): string {
  const s = k.machine.stats();
  const lookups = s.tlbHits + s.tlbMisses;
  return `instructions ${s.instructions}\ntraps ${s.traps}\ninterrupts ${s.interrupts}\n` +
    `tlb_hits ${s.tlbHits}\ntlb_misses ${s.tlbMisses}\ntlb_flushes ${s.tlbFlushes}\n` +
    `tlb_hit_rate ${lookups ? ((s.tlbHits / lookups) * 100).toFixed(2) : "0.00"}%\n` +
    `syscalls ${k.stats.syscalls}\npage_faults ${k.stats.pageFaults}\ncow_faults ${k.stats.cowFaults}\n` +
    `context_switches ${k.stats.ctxSwitches}\ntimer_ticks ${k.stats.timerTicks}\n`;
}

/** What each hart runs and its run queue in the policy's order (C22, C29, C30); `ready` lists every queue, hart 0 first. */
function showRunqueue(k: Kernel): string {
  const name = (t: Task | null): string => (t ? `${t.tid}(${t.comm})` : "idle");
  let out = `policy ${policyName(k)}${policyPreemptive(k) ? " preemptive" : ""}\n`;
  const all: string[] = [];
  for (const c of k.cpus) {
    const q = queuedTasks(k, c.id).map((t) => name(t));
    out += `cpu${c.id} ${name(c.current)} queue ${q.join(" ")}\n`;
    all.push(...q);
  }
  out += `ready ${all.join(" ")}\n`;
  return out;
}

/**
 * /proc/net/unix in Linux's format: one line per AF_UNIX socket (net/unix.ts)
 * with its flags (__SO_ACCEPTCON when listening), type, socket state
 * (SS_UNCONNECTED 1, SS_CONNECTING 2 for a connection not yet accepted,
 * SS_CONNECTED 3), inode and name (an abstract name starts with '@', its NULs
 * shown as '@'). The kernel address column is zeros, as Linux shows it to
 * readers without CAP_SYSLOG; RefCount is 2 (the socket and its file).
 */
function showNetUnix(k: Kernel): string {
  let out = "Num       RefCount Protocol Flags    Type St Inode Path\n";
  const hex = (v: number, w: number): string => v.toString(16).toUpperCase().padStart(w, "0");
  for (const s of [...k.net.socks.values()].sort((a, b) => a.ino - b.ino)) {
    if (s.inet) continue; // AF_INET/AF_INET6 sockets are in /proc/net/tcp, udp (proc/net.ts)
    const embryo = s.ino < 0;
    const st = embryo ? 2 : s.state === "connected" ? 3 : 1;
    out += `0000000000000000: ${hex(2, 8)} ${hex(0, 8)} ${hex(s.state === "listening" ? 0x10000 : 0, 8)} ${hex(s.type, 4)} ${hex(st, 2)} ${String(embryo ? 0 : s.ino).padStart(5)}`;
    if (s.addr !== "") out += " " + s.addr.replace(/\0/g, "@");
    out += "\n";
  }
  return out;
}

const netChildren: Record<string, PNode> = {
  dev: ro(() => "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
    "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"),
  unix: ro(showNetUnix),
  tcp: ro((k) => showNetTcp(k, false)),
  udp: ro((k) => showNetUdp(k, false)),
  tcp6: ro((k) => showNetTcp(k, true)),
  udp6: ro((k) => showNetUdp(k, true)),
  if_inet6: ro(showIfInet6), // net/netdev.ts's address table, as rtnetlink shows it
  route: ro(showNetRoute),
  // What IP autoconfiguration learnt (Linux's net/ipv4/ipconfig.c pnp_seq_show): with --net user, QEMU's DHCP
  // answer, in Linux's format - the protocol, the IPv4 nameservers, the server that answered. Nothing of IPv6
  // (ipconfig is IPv4 only): fec0::3 answers DNS too (net/inet.ts), but only a program that asks it finds it.
  // /etc/resolv.conf links here, so the guest's resolvers ask 10.0.2.3, which forwards to the host's.
  pnp: ro(() => "#PROTO: DHCP\nnameserver 10.0.2.3\nbootserver 10.0.2.2\n"),
};

/** /proc/net: pnp exists only when the network was configured (--net user), as on Linux without ip= autoconfiguration. */
const netDir: PDir = pdir(
  0o555,
  (k, c) => Object.entries(netChildren).filter(([name]) => name !== "pnp" || k.net.user).map(([name, node]) => ({ name, node, ctx: c })),
  (k, c, name) => {
    if (name === "pnp" && !k.net.user) return null;
    const n = Object.prototype.hasOwnProperty.call(netChildren, name) ? netChildren[name] : undefined;
    return n ? { name, node: n, ctx: c } : null;
  },
  undefined,
  { entries: netChildren },
);

/** The journals of the mounted ext3 file systems, by Linux's name "<device>-<journal inode>" (the device in the context's fd field). */
function journals(k: Kernel): { name: string; dev: number }[] {
  const out: { name: string; dev: number }[] = [];
  const seen = new Set<number>();
  for (const m of k.vfs.mounts) {
    const fs = m.sb.info as Partial<Ext2Fs> | null;
    if ((m.sb.fsType !== "ext2" && m.sb.fsType !== "ext3") || !fs?.journal || seen.has(m.sb.dev)) continue;
    seen.add(m.sb.dev);
    out.push({ name: `${fs.source}-8`, dev: m.sb.dev });
  }
  return out;
}

function journalOf(k: Kernel, dev: number): Journal | null {
  for (const m of k.vfs.mounts) {
    const fs = m.sb.info as Partial<Ext2Fs> | null;
    if ((m.sb.fsType === "ext2" || m.sb.fsType === "ext3") && m.sb.dev === dev && fs?.journal) return fs.journal;
  }
  return null;
}

const jbd2DevDir: PDir = staticDir({
  info: pfile(0o444, (k, c) => { const j = journalOf(k, c.fd); return j ? jbdInfoText(j) : -ENOENT; }),
});

/** /proc/fs/jbd2: one directory per journal in use. */
const jbd2Dir: PDir = pdir(
  0o555,
  (k) => journals(k).map((x) => ({ name: x.name, node: jbd2DevDir, ctx: { pid: 0, tid: 0, fd: x.dev } })),
  (k, _c, name) => {
    const x = journals(k).find((e) => e.name === name);
    return x ? { name, node: jbd2DevDir, ctx: { pid: 0, tid: 0, fd: x.dev } } : null;
  },
  undefined,
  { child: jbd2DevDir },
);

/** The static files and directories of the /proc root. */
export function infoEntries(): Record<string, PNode> {
  return {
    meminfo: ro(showMeminfo),
    stat: ro(showStat),
    // The scheduler's run queues and settings (Linux has it in debugfs now; older kernels here).
    sched_debug: ro(showSchedDebug),
    schedstat: ro(showSchedstat),
    uptime: ro(showUptime),
    loadavg: ro(showLoadavg),
    cpuinfo: ro(showCpuinfo),
    interrupts: ro(showInterrupts),
    filesystems: ro(showFilesystems),
    version: ro(showVersion),
    vmstat: ro(showVmstat),
    zoneinfo: ro(showZoneinfo),
    swaps: ro(showSwaps),
    partitions: ro(showPartitions),
    devices: ro(showDevices),
    diskstats: ro(showDiskstats),
    modules: ro(() => ""),
    locks: ro(locksText),
    misc: ro(() => ""),
    cmdline: ro((k) => `${k.sysinfo.cmdline}\n`),
    consoles: ro(() => "ttyS0                -W- (EC p a)    4:64\n"),
    kmsg: pfileOps(0o400, kmsgFops),
    // Frames by PFN (mmview.ts): root only.
    kpagecount: pfileOps(0o400, KPAGECOUNT_FOPS),
    kpageflags: pfileOps(0o400, KPAGEFLAGS_FOPS),
    net: netDir,
    tty: staticDir({
      drivers: ro(showTtyDrivers),
      driver: staticDir({ serial: pfile(0o400, (k) => showSerial(k)) }, 0o500),
    }),
    sysvipc: sysvipcDir,
    // Pressure stall information (sched/psi.ts); a write registers a trigger on the open file, poll reports it (POLLPRI).
    pressure: staticDir({ io: pfileOps(0o644, PRESSURE_FOPS[PSI_IO]), memory: pfileOps(0o644, PRESSURE_FOPS[PSI_MEM]), cpu: pfileOps(0o644, PRESSURE_FOPS[PSI_CPU]) }),
    fs: staticDir({ jbd2: jbd2Dir }),
    tsix: staticDir({
      machine: ro(showMachine),
      runqueue: ro(showRunqueue),
      buffercache: ro(showBufferCache),
      sched_report: ro((k) => schedReportText(k, nowNs(k))),
    }),
  };
}

/** /proc/mounts is a link to self/mounts in Linux; the content is the same for everyone here. */
export { showMounts };
