// `tsix memlab [--policies a,b,...] [--frames 3,4|3..8] [--belady] [-o curve.svg] [PROGRAM args]`:
// the page replacement lab. It runs a real program - from userland/ or any
// guest path - once per replacement policy and frame count, each time on a
// fresh machine on the deterministic clock, with a frame budget of that many
// frames (sh's `ulimit -m`, RLIMIT_RSS: kernel/mm/replace.ts) and the page
// reference trace on (tsix run --trace mem=FILE). It prints the faults of
// the budgeted pages (rows: policy; columns: frames) and writes the fault
// curve as SVG. OPT (Belady) cannot run online: it is computed offline from
// the program's reference string, recorded once under lru-exact (which
// traps every change of page) with a budget larger than the program.
//
// --belady plays the classic string 1,2,3,4,1,2,5,1,2,3,4,5 with the
// userland program refstring: FIFO faults 9 times with 3 frames and 10 times
// with 4 (Belady's anomaly).
//
// Concepts: C54 (the replacement policies compared on a real program, OPT
// beside them: faults against frames).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as K from "../kernel/index.js";
import { CommandError, UsageError, optionValue } from "./args.js";

export const BELADY_STRING = "1,2,3,4,1,2,5,1,2,3,4,5";
const DEFAULT_POLICIES = ["fifo", "clock", "nru", "lru", "lfu", "random", "opt"];
const MAX_FRAMES = 4096;

const USAGE = `usage: tsix memlab [--policies a,b,...] [--frames LIST] [--belady] [-o curve.svg] [PROGRAM [ARGS...]]
Runs PROGRAM once per page replacement policy and frame count (deterministic clock, a frame budget
of that many frames set with ulimit -m), prints its faults (rows: policy, columns: frames) and writes
the fault curve as SVG. The budget counts the program's private anonymous mmap pages (docs/memory.md).
  --policies LIST  comma-separated, from ${[...K.REPLACEMENT_POLICIES, "opt"].join(", ")}
                   (default ${DEFAULT_POLICIES.join(",")}); opt is computed offline from the reference
                   string recorded under lru-exact
  --frames LIST    frame counts: 3,4,5 or a range 3..8 (default 3..6, with --belady 3,4)
  --belady         PROGRAM is refstring ${BELADY_STRING} (Belady's anomaly under fifo)
  -o FILE          write the fault curve (SVG) there`;

/** One trace line: pid, comm, page address, fault or trapped reference. */
export interface MemRef { pid: number; comm: string; va: number; fault: boolean }

/** Parse a --trace mem=FILE file (host/node/mem_trace.ts). */
export function parseMemTrace(text: string): MemRef[] {
  const out: MemRef[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\d+) (\S+) ([0-9a-f]+) ([FR])$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), comm: m[2], va: parseInt(m[3], 16), fault: m[4] === "F" });
  }
  return out;
}

/** Belady's OPT: faults of `refs` with `frames` frames (evict the page used farthest in the future). */
export function optFaults(refs: readonly number[], frames: number): number {
  // next[i]: index of the next reference to refs[i] after i (Infinity if none).
  const next = new Array<number>(refs.length).fill(Infinity);
  const seen = new Map<number, number>();
  for (let i = refs.length - 1; i >= 0; i--) { next[i] = seen.get(refs[i]) ?? Infinity; seen.set(refs[i], i); }
  const resident = new Map<number, number>(); // page -> its next use
  let faults = 0;
  for (let i = 0; i < refs.length; i++) {
    const p = refs[i];
    if (!resident.has(p)) {
      faults++;
      if (resident.size >= frames) {
        let victim = -1, far = -1;
        for (const [q, n] of resident) if (n > far) { far = n; victim = q; }
        resident.delete(victim);
      }
    }
    resident.set(p, next[i]);
  }
  return faults;
}

/** Parse --frames: "3,4,6" or "3..8". */
export function parseFrames(v: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(v);
  let list: number[];
  if (range) {
    const a = Number(range[1]), b = Number(range[2]);
    if (a > b) throw new UsageError(`--frames ${v}: the range must go up (e.g. 3..8)`);
    list = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    if (!/^\d+(,\d+)*$/.test(v)) throw new UsageError(`--frames: expected a list like 3,4,5 or a range like 3..8 (got '${v}')`);
    list = v.split(",").map(Number);
  }
  if (list.some((n) => n < 1 || n > MAX_FRAMES)) throw new UsageError(`--frames: frame counts go from 1 to ${MAX_FRAMES} (got '${v}')`);
  return [...new Set(list)].sort((x, y) => x - y);
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The faults table as text. */
export function formatMemlabTable(frames: readonly number[], rows: readonly { policy: string; faults: number[] }[]): string {
  const head = ["policy", ...frames.map((f) => `${f} frames`)];
  const lines = [head, ...rows.map((r) => [r.policy, ...r.faults.map(String)])];
  const w = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The fault curve: faults against frames, one line per policy, with axes and a legend. */
export function faultCurveSvg(title: string, frames: readonly number[], rows: readonly { policy: string; faults: number[] }[]): string {
  const W = 640, H = 400, L = 60, R = 150, T = 40, B = 50;
  const pw = W - L - R, ph = H - T - B;
  const maxF = Math.max(1, ...rows.flatMap((r) => r.faults));
  const fx0 = frames[0], fx1 = frames[frames.length - 1];
  const x = (f: number): number => L + (fx1 === fx0 ? pw / 2 : ((f - fx0) / (fx1 - fx0)) * pw);
  const y = (v: number): number => T + ph - (v / maxF) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  out.push(`<line x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}" stroke="black"/>`);
  out.push(`<line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}" stroke="black"/>`);
  for (const f of frames) {
    out.push(`<line x1="${x(f)}" y1="${T + ph}" x2="${x(f)}" y2="${T + ph + 5}" stroke="black"/>`);
    out.push(`<text x="${x(f)}" y="${T + ph + 18}" text-anchor="middle">${f}</text>`);
  }
  const step = Math.max(1, Math.ceil(maxF / 8));
  for (let v = 0; v <= maxF; v += step) {
    out.push(`<line x1="${L - 5}" y1="${y(v)}" x2="${L}" y2="${y(v)}" stroke="black"/>`);
    out.push(`<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  out.push(`<text x="${L + pw / 2}" y="${H - 12}" text-anchor="middle">frames</text>`);
  out.push(`<text x="16" y="${T + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${T + ph / 2})">page faults</text>`);
  rows.forEach((r, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = r.faults.map((v, j) => `${x(frames[j])},${y(v)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"><title>${esc(r.policy)}</title></polyline>`);
    r.faults.forEach((v, j) => out.push(`<circle cx="${x(frames[j])}" cy="${y(v)}" r="3" fill="${c}"/>`));
    const ly = T + 10 + i * 18;
    out.push(`<line x1="${L + pw + 20}" y1="${ly}" x2="${L + pw + 40}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${L + pw + 46}" y="${ly + 4}">${esc(r.policy)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Run `cmd` (argv) in a fresh deterministic machine with a budget of `frames` (0: a budget larger than any program) under `policy`; the trace. */
function runOnce(cmd: string[], policy: string, frames: number, dir: string): MemRef[] {
  const trace = join(dir, `${policy}-${frames}.trace`);
  const kb = frames === 0 ? 4 * 1024 * 1024 : frames * 4;
  const sh = `ulimit -m ${kb} && exec ${cmd.map(quote).join(" ")}`;
  const r = spawnSync(process.execPath, [process.argv[1], "run", "--deterministic", "--mm-policy", policy, "--trace", `mem=${trace}`, "--", "sh", "-c", sh], {
    encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" / ");
    throw new CommandError(`the program failed under ${policy} with ${frames} frames (tsix run exited ${r.status ?? r.signal}): ${why}`, 1);
  }
  // The shell that sets the limit and execs is not measured (its budget is the program's after exec).
  return parseMemTrace(readFileSync(trace, "utf8")).filter((e) => e.comm !== "sh");
}

/** The reference string of each process in a lru-exact recording, pages as addresses. */
export function referenceStrings(refs: readonly MemRef[]): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (const e of refs) {
    let s = by.get(e.pid);
    if (!s) by.set(e.pid, (s = []));
    s.push(e.va);
  }
  return by;
}

export async function memlabMain(argv: string[]): Promise<number> {
  let policies = DEFAULT_POLICIES;
  let frames: number[] | null = null;
  let belady = false;
  let svg: string | null = null;
  let cmd: string[] = [];
  const known = [...K.REPLACEMENT_POLICIES, "opt"] as readonly string[];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-")) { cmd = argv.slice(i); break; }
    switch (a) {
      case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
      case "--policies": {
        const list = optionValue(argv, i++, a).split(",").filter((p) => p !== "");
        const bad = list.find((p) => !known.includes(p));
        if (bad !== undefined || list.length === 0) throw new UsageError(`--policies: unknown policy '${bad ?? ""}' (choose from ${known.join(", ")})`);
        policies = [...new Set(list)];
        break;
      }
      case "--frames": frames = parseFrames(optionValue(argv, i++, a)); break;
      case "--belady": belady = true; break;
      case "-o": svg = optionValue(argv, i++, a); break;
      case "--": cmd = argv.slice(i + 1); i = argv.length; break;
      default: throw new UsageError(`unknown option ${a} (see tsix memlab --help)`);
    }
  }
  if (belady && cmd.length > 0) throw new UsageError(`--belady plays refstring ${BELADY_STRING}: drop the program (${cmd.join(" ")})`);
  if (!belady && cmd.length === 0) throw new UsageError("memlab needs a PROGRAM to run (e.g. tsix memlab --frames 3..6 workset 4 32 200), or --belady");
  if (belady) cmd = ["refstring", BELADY_STRING];
  frames ??= belady ? [3, 4] : [3, 4, 5, 6];
  if (svg !== null) {
    try { writeFileSync(svg, ""); } catch (e) {
      throw new UsageError(`-o ${svg}: cannot write the file (${(e as { code?: string }).code ?? "error"}; check the directory exists and is writable)`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "tsix-memlab-"));
  try {
    process.stdout.write(`memlab: ${cmd.join(" ")}\n  faults of the budgeted pages (private anonymous mmap memory), deterministic clock\n\n`);
    const rows: { policy: string; faults: number[] }[] = [];
    for (const p of policies) {
      if (p === "opt") {
        const strings = referenceStrings(runOnce(cmd, "lru-exact", 0, dir));
        rows.push({ policy: p, faults: frames.map((f) => [...strings.values()].reduce((n, s) => n + optFaults(s, f), 0)) });
        continue;
      }
      rows.push({ policy: p, faults: frames.map((f) => runOnce(cmd, p, f, dir).filter((e) => e.fault).length) });
    }
    process.stdout.write(formatMemlabTable(frames, rows));
    if (svg !== null) {
      writeFileSync(svg, faultCurveSvg(`page faults: ${cmd.join(" ")}`, frames, rows));
      process.stdout.write(`\nfault curve: ${svg}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
