// sysfs, the file-system type "sysfs": the device model as directories of
// one-value files. What programs read here: the CPU topology
// (devices/system/cpu/{online,possible,present}, cpuN/online - python's
// os.cpu_count, stress-ng, nproc), the clock source, block devices
// (block/vda/size), tty devices (class/tty/*/dev), and the empty
// fs/cgroup directory that cgroup2 is mounted on.
//
// Concepts: C14 (devices in a tree of files), C31 (the CPUs the scheduler
// may use), C87 (/sys/fs/cgroup).
import type { Kernel } from "../../kernel.js";
import type { SuperBlock } from "../vfs.js";
import { defineFsType, registerFsType, makedev } from "../fstypes.js";
import { allocAnonDev } from "../inode.js";
import { SYSFS_MAGIC } from "../../abi/fs.js";
import { blockDevices, devMajor, devMinor, type BlockDevice } from "../../block/blkdev.js";
import {
  type PNode, type PDir, type PEntry, type PCtx, pfile, pdir, staticDir,
  pseudoRoot, pseudoSuper,
  definePseudoFs,
} from "../proc/node.js";
import { ttys } from "../../tty/tty.js";

const ro = (show: (k: Kernel, c: PCtx) => string): PNode => pfile(0o444, (k, c) => show(k, c));
const text = (s: string): PNode => pfile(0o444, () => s);
const empty = (): PDir => staticDir({});

function cpuRange(k: Kernel): string {
  const n = k.cpus.length;
  return (n <= 1 ? "0" : `0-${n - 1}`) + "\n";
}

/** devices/system/cpu/cpuN (ctx.fd = N + 1). */
const cpuN: PDir = staticDir({
  online: text("1\n"),
  topology: staticDir({
    core_id: ro((_k, c) => `${c.fd - 1}\n`),
    physical_package_id: text("0\n"),
    thread_siblings_list: ro((_k, c) => `${c.fd - 1}\n`),
    core_siblings_list: ro((k) => cpuRange(k)),
  }),
});

/** devices/system/cpu's fixed entries. */
const CPU_STATICS: Record<string, PNode> = {
  online: ro((k) => cpuRange(k)),
  possible: ro((k) => cpuRange(k)),
  present: ro((k) => cpuRange(k)),
  offline: text("\n"),
  kernel_max: ro((k) => `${Math.max(0, k.cpus.length - 1)}\n`),
  cpufreq: empty(),
  cpuidle: staticDir({ current_driver: text("none\n"), current_governor_ro: text("menu\n") }),
};

const cpuDir: PDir = pdir(
  0o755,
  (k, c) => [
    ...Object.entries(CPU_STATICS).map(([name, node]) => ({ name, node, ctx: c })),
    ...k.cpus.map((cpu) => ({ name: `cpu${cpu.id}`, node: cpuN, ctx: { pid: 0, tid: 0, fd: cpu.id + 1 } })),
  ],
  (k, c, name): PEntry | null => {
    const s = CPU_STATICS;
    if (Object.prototype.hasOwnProperty.call(s, name)) return { name, node: s[name], ctx: c };
    const m = /^cpu(0|[1-9]\d*)$/.exec(name);
    if (m && Number(m[1]) < k.cpus.length) return { name, node: cpuN, ctx: { pid: 0, tid: 0, fd: Number(m[1]) + 1 } };
    return null;
  },
  undefined,
  { entries: CPU_STATICS, child: cpuN },
);


/** The whole disks (block/blkdev.ts), as /sys/block lists them. */
function blockDevs(k: Kernel): BlockDevice[] {
  return blockDevices(k).filter((d) => d.partno === 0);
}

/** block/NAME (ctx.fd = index + 1 in blockDevs). */
const blockDevDir: PDir = staticDir({
  size: ro((k, c) => `${blockDevs(k)[c.fd - 1]?.sectors ?? 0}\n`),
  dev: ro((k, c) => { const d = blockDevs(k)[c.fd - 1]; return d ? `${devMajor(d.dev)}:${devMinor(d.dev)}\n` : "0:0\n"; }),
  ro: ro((k, c) => (blockDevs(k)[c.fd - 1]?.readOnly ? "1\n" : "0\n")),
  removable: text("0\n"),
  queue: staticDir({ rotational: text("0\n"), logical_block_size: text("512\n"), hw_sector_size: text("512\n") }),
});

const blockDir: PDir = pdir(
  0o755,
  (k) => blockDevs(k).map((d, i) => ({ name: d.name, node: blockDevDir, ctx: { pid: 0, tid: 0, fd: i + 1 } })),
  undefined,
  undefined,
  { child: blockDevDir },
);

/** class/tty/NAME/dev for each tty the kernel knows, plus tty and console. */
const ttyClassDev: PDir = staticDir({
  dev: ro((k, c) => {
    const id = c.fd;
    return `${(id >>> 8) & 0xfff}:${(id & 0xff) | ((id >>> 12) & 0xfff00)}\n`;
  }),
});

const ttyClassDir: PDir = pdir(0o755, (k) => {
  const out: PEntry[] = [
    { name: "tty", node: ttyClassDev, ctx: { pid: 0, tid: 0, fd: makedev(5, 0) } },
    { name: "console", node: ttyClassDev, ctx: { pid: 0, tid: 0, fd: makedev(5, 1) } },
  ];
  for (const t of ttys(k).values()) out.push({ name: t.name.replace("/", "!"), node: ttyClassDev, ctx: { pid: 0, tid: 0, fd: t.id } });
  return out;
}, undefined, undefined, { child: ttyClassDev });

export const sysRoot: PDir = staticDir({
  devices: staticDir({
    system: staticDir({
      cpu: cpuDir,
      clocksource: staticDir({
        clocksource0: staticDir({
          current_clocksource: text("riscv_clocksource\n"),
          available_clocksource: text("riscv_clocksource\n"),
        }),
      }),
    }),
    virtual: empty(),
  }),
  block: blockDir,
  class: staticDir({ tty: ttyClassDir, block: empty(), net: empty(), mem: empty() }),
  bus: empty(),
  dev: staticDir({ char: empty(), block: empty() }),
  firmware: empty(),
  fs: staticDir({ cgroup: empty(), fuse: empty() }),
  kernel: staticDir({
    mm: staticDir({ transparent_hugepage: staticDir({ enabled: text("always madvise [never]\n") }) }),
    debug: empty(),
    security: empty(),
    tracing: empty(),
    uevent_seqnum: text("0\n"),
    hostname: ro((k) => `${k.sysinfo.uts.nodename}\n`),
  }),
  module: empty(),
  power: empty(),
}, 0o555);

/** The sysfs tree, by name (superblocks store "sysfs"). */
const SYSFS_TREE = definePseudoFs("sysfs", { root: sysRoot, fileSize: 4096, owner: () => ({ uid: 0, gid: 0 }) });

function sysSuper(k: Kernel): SuperBlock {
  let sb = k.vfs.sysfsSb;
  if (!sb) {
    sb = pseudoSuper(makedev(0, allocAnonDev(k)), "sysfs", SYSFS_MAGIC, SYSFS_TREE);
    k.vfs.sysfsSb = sb;
  }
  return sb;
}

/** Register the "sysfs" file-system type (boot). */
export function registerSysFs(k: Kernel): void {
  registerFsType(k, "sysfs");
}

defineFsType({
  name: "sysfs",
  mount(k2) {
    const sb = sysSuper(k2);
    return { sb, root: pseudoRoot(k2, sb) };
  },
});
