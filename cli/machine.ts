// `tsix machine --bare FILE.elf [--mem SIZE] [--harts N] [--interleave N] [--disk IMG] [--stats] [--jit on|off] [--jit-hot N] [--jit-warmup N] [--jit-cache SIZE]`
// Runs a bare-metal program on the machine alone: segments loaded at their
// physical addresses, hart 0 (and every other hart) starting in M-mode at the
// entry point, the UART on this terminal, the exit status from the SiFive test
// finisher (0x5555 pass -> 0; (code << 16) | 0x3333 -> code).
import { readFileSync, existsSync, statSync } from "node:fs";
import * as L from "../hw/core/layout.js";
import { createMachine, loadBareElf, type Machine } from "../hw/machine.js";
import { ElfError } from "../hw/elf.js";
import { loadCore } from "../host/node/core.js";
import { openFileDisk, DiskError, type DiskProblem, type FileDisk } from "../host/node/file_disk.js";
import { openHostConsole } from "../host/node/console.js";
import { UsageError, parseSize, parseCount, optionValue, parseJit, parseJitCache } from "./args.js";
import { onStopSignals, SIGPIPE_STATUS } from "./shutdown.js";
import { jitStatsText } from "../hw/jit/jit.js";
import { DEFAULT_INTERLEAVE, MIN_INTERLEAVE, MAX_INTERLEAVE } from "../vmm/run.js";

const USAGE = "usage: tsix machine --bare FILE.elf [--mem SIZE] [--harts N] [--interleave N] [--disk IMG] [--disk-io sync|async] [--stats] [--clock instret|host] [--jit on|off] [--jit-hot N] [--jit-warmup N] [--jit-cache SIZE]";
/** Instructions per hart per slice: long enough to amortise the JS boundary, short enough to poll input. */
const SLICE = 1 << 21;

/** What to do about a disk image that cannot be used. */
export function diskRemedy(problem: DiskProblem, path: string): string {
  switch (problem) {
    case "missing": return `create one, e.g. truncate -s 1M ${path}`;
    case "not-a-file": return "a disk image is a regular file; create one, e.g. truncate -s 1M disk.img";
    case "permission": return `tsix needs to read and write it: chmod u+rw ${path}, or use a copy`;
    case "other": return "give a regular file that tsix may read and write";
  }
}

export async function machineMain(argv: string[]): Promise<number> {
  let file: string | undefined;
  let mem = 128 * 1024 * 1024;
  let harts = 1;
  let disk: string | undefined;
  let stats = false;
  let clock: "instret" | "host" = "instret";
  let bare = false;
  let jit = true;
  let jitHot: number | undefined;
  let jitWarmup: number | undefined;
  let jitCache: number | undefined;
  let diskIo: "sync" | "async" = "sync";
  let interleave = DEFAULT_INTERLEAVE;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--bare": bare = true; break;
      case "--mem": mem = parseSize(optionValue(argv, i++, a)); break;
      case "--harts": harts = parseCount(a, optionValue(argv, i++, a), L.MAX_HARTS); break;
      case "--interleave": {
        const v = optionValue(argv, i++, a);
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!(n >= MIN_INTERLEAVE && n <= MAX_INTERLEAVE)) throw new UsageError(`--interleave must be an integer from ${MIN_INTERLEAVE} to ${MAX_INTERLEAVE} (got '${v}')`);
        interleave = n;
        break;
      }
      case "--disk": disk = optionValue(argv, i++, a); break;
      case "--disk-io": {
        const v = optionValue(argv, i++, a);
        if (v !== "sync" && v !== "async") throw new UsageError("--disk-io must be sync or async");
        diskIo = v;
        break;
      }
      case "--stats": stats = true; break;
      case "--jit": jit = parseJit(optionValue(argv, i++, a)); break;
      case "--jit-hot": jitHot = parseCount(a, optionValue(argv, i++, a), 1 << 30); break;
      case "--jit-warmup": jitWarmup = parseCount(a, optionValue(argv, i++, a), 1 << 30, 0); break;
      case "--jit-cache": jitCache = parseJitCache(optionValue(argv, i++, a)); break;
      case "--clock": {
        const v = optionValue(argv, i++, a);
        if (v !== "instret" && v !== "host") throw new UsageError("--clock must be instret or host");
        clock = v;
        break;
      }
      case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (see tsix machine --help)`);
        if (file !== undefined) throw new UsageError("only one program may be given (see tsix machine --help)");
        file = a;
    }
  }
  if (!bare) throw new UsageError("only bare-metal mode exists so far: pass --bare (see tsix machine --help)");
  if (file === undefined) throw new UsageError(USAGE);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`${file}: no such file (give the path of a RISC-V ELF program)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as { code?: string }).code ?? "error"}; check its permissions)`);
  }
  let diskBackend: FileDisk | undefined;
  if (disk !== undefined) {
    try {
      // TSIX_DISK_DELAY_MS (async only): a slow disk, for tests and demonstrations.
      const delay = Number(process.env.TSIX_DISK_DELAY_MS ?? 0);
      diskBackend = openFileDisk(disk, { io: diskIo, delayMs: Number.isFinite(delay) && delay > 0 ? delay : 0 });
    } catch (e) {
      if (e instanceof DiskError) throw new UsageError(`--disk: ${e.message} (${diskRemedy(e.problem, disk)})`);
      throw e;
    }
  }
  const out: number[] = [];
  let m: Machine;
  try {
    m = createMachine(loadCore(), {
      memBytes: mem, harts, clock, jit: jit ? { hot: jitHot, warmup: jitWarmup, maxCodeBytes: jitCache } : false,
      disk: diskBackend,
      onUartOutput: (b) => { out.push(b); if (out.length >= 4096) flushOut(); },
    });
    loadBareElf(m, bytes);
  } catch (e) {
    diskBackend?.close();
    if (e instanceof ElfError) throw new UsageError(`${file}: ${e.message} (a RISC-V ELF program is needed)`);
    if (e instanceof RangeError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  // Terminal input goes to the UART; its output to stdout (batched by the host console).
  const machine = m;
  const con = openHostConsole({
    raw: true,
    onInput: (d) => machine.uart.receive(d.slice()),
    // No guest to tell: a bare program cannot get SIGPIPE, so tsix stops quietly with a shell's 128 + SIGPIPE.
    onOutputError: (stream) => { if (stream === "stdout") stop(SIGPIPE_STATUS); },
  });
  function flushOut(): void {
    if (out.length) { con.writeOut(Uint8Array.from(out)); out.length = 0; }
  }
  /** Everything owed to the host before tsix stops: the UART's output and the disk's writes. */
  const settle = (): void => {
    flushOut();
    con.flush();
    diskBackend?.close();
  };
  function stop(status: number): void {
    settle();
    con.close();
    process.exit(status);
  }
  const offSignals = onStopSignals(stop);
  // An asynchronous disk answers from the event loop: the device completes its requests between slices.
  let diskWake: (() => void) | null = null;
  diskBackend?.onCompletion?.(() => { const w = diskWake; diskWake = null; w?.(); });
  const diskAnswered = (): Promise<void> => new Promise<void>((r) => { diskWake = r; });

  // Several harts take turns of the interleave quantum (as in tsix run: vmm/run.ts); one hart runs long slices.
  const slice = harts > 1 ? interleave : SLICE;
  const t0 = performance.now();
  try {
    while (!m.finished) {
      const sliceStart = performance.now();
      do {
        m.blk?.pollCompletions();
        m.runSlice(slice);
      } while (!m.finished && !m.idle() && performance.now() - sliceStart < 30);
      flushOut();
      con.flush();
      if (m.finished) break;
      if (m.blk !== undefined && m.blk.pollCompletions() > 0) continue; // the disk's interrupt wakes a hart
      if (m.idle() && m.core.ticksToNextTimer() < 0) {
        if (m.blk !== undefined && m.blk.inFlight() > 0) {
          // The disk has requests in flight: its answer (or input) wakes the machine. (Resuming a
          // hart in wfi without a reason would be a spurious wake-up: legal, but not what a guest
          // that waits for the disk should see.)
          await (con.ended ? diskAnswered() : Promise.race([diskAnswered(), con.waitInput()]));
          continue;
        }
        // Nothing can wake the machine but input.
        if (con.ended && m.uart.rxPending === 0) {
          con.writeErr("tsix: the machine is waiting for input, but stdin has ended\n");
          return 1;
        }
        await Promise.race([con.waitInput(), new Promise((r) => setTimeout(r, 5))]);
      } else {
        await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    offSignals();
    settle();
    con.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (stats) {
    const s = m.stats();
    if (jit) process.stderr.write(`${jitStatsText(m.jit.stats(), s.instructions)}\n`);
    process.stderr.write(
      `instructions=${s.instructions} seconds=${seconds.toFixed(3)} mips=${(s.instructions / seconds / 1e6).toFixed(1)} ` +
      `tlb_hits=${s.tlbHits} tlb_misses=${s.tlbMisses}\n`);
  }
  const f = m.finished!;
  if (f.kind === "pass") return 0;
  if (f.kind === "fail") return f.code === 0 ? 1 : f.code & 0xff;
  return 0;
}
