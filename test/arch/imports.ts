// The source tree's import graph, read from the TypeScript sources: which
// module imports which (static imports and re-exports, `import type`
// included, and dynamic `import("...")`), the layer each module belongs to,
// the imports that run upward, and the import cycles (strongly connected
// components). test/arch/layers.test.ts asserts on it, and
// `node dist/test/arch/imports.js` prints the report.
//
// The layers follow docs/design.md: hw/ knows nothing above it; the kernel
// is a one-way chain of subsystems (abi first, the kernel loop last); host/
// adapts the host to the kernel's interfaces; vmm/ and cli/ sit on top.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: this file runs as dist/test/arch/imports.js. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Top-level folders, lowest first. A folder may import only from folders at or below its rank. */
const TOP_RANK: Record<string, number> = { hw: 0, kernel: 1, host: 2, vmm: 3, userland: 3, cli: 4, bench: 5, test: 5 };

/**
 * The kernel's chain, lowest first: a kernel module may import only from a
 * rank at or below its own. Within one rank, imports may go either way, but
 * never in a cycle (the cycle check below is separate).
 */
const KERNEL_RANKS: [RegExp, number, string][] = [
  [/^kernel\/abi\//, 0, "abi"],
  [/^kernel\/(lib\/|arch\/|log\.ts$|time\/clock\.ts$|trace\/tracepoint\.ts$)/, 1, "lib"],
  [/^kernel\/mm\//, 2, "mm"],
  [/^kernel\/(sched|time)\//, 3, "sched/time"],
  [/^kernel\/(proc\/(task|rlimit)\.ts$|signal\/)/, 4, "task/signal"],
  [/^kernel\/block\//, 4.5, "block"],
  [/^kernel\/fs\//, 5, "fs"],
  [/^kernel\/(ipc|tty|drivers|net|ns|cgroup)\//, 6, "ipc/tty/drivers"],
  [/^kernel\/proc\//, 7, "process lifecycle"],
  [/^kernel\/trace\//, 8, "trace"],
  [/^kernel\/syscalls\//, 9, "syscalls"],
  [/^kernel\/trap\//, 10, "trap"],
  [/^kernel\/[^/]+\.ts$/, 11, "kernel loop"],
];

export interface Edge { from: string; to: string; typeOnly: boolean }

/** The .ts files under a top-level folder (relative to the repository root), or none if it does not exist. */
export function tsFiles(top: string): string[] {
  try { return sources(top); } catch { return []; }
}

function sources(dir: string): string[] {
  return readdirSync(join(SRC_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

const IMPORT_RE = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:([\w*{}\s,$]+?)\s+from\s+)?["']([^"']+)["']/g;

/** `{ type A, type B }`: every name is a type, so the compiler drops the whole import (as for `import type`). */
function allTypeNames(clause: string | undefined): boolean {
  const m = clause?.trim().match(/^\{([^}]*)\}$/);
  if (!m) return false;
  const names = m[1].split(",").map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith("type "));
}
const DYNAMIC_RE = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every relative import of every .ts file under the given top-level folders (the wasm core is AssemblyScript, left out). */
export function importGraph(tops = Object.keys(TOP_RANK)): Edge[] {
  const edges: Edge[] = [];
  for (const top of tops) {
    for (const file of tsFiles(top)) {
      if (file.startsWith("hw/core/")) continue;
      // Comments could hold example imports: drop them first.
      const text = readFileSync(join(SRC_ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
      const add = (spec: string, typeOnly: boolean): void => {
        if (!spec.startsWith(".")) return;
        const to = relative(SRC_ROOT, resolve(SRC_ROOT, dirname(file), spec)).replace(/\.js$/, ".ts");
        edges.push({ from: file, to, typeOnly });
      };
      for (const m of text.matchAll(IMPORT_RE)) add(m[4], m[2] !== undefined || allTypeNames(m[3]));
      for (const m of text.matchAll(DYNAMIC_RE)) add(m[1], false);
    }
  }
  return edges;
}

export function kernelRank(file: string): { rank: number; name: string } | null {
  for (const [re, rank, name] of KERNEL_RANKS) if (re.test(file)) return { rank, name };
  return null;
}

/**
 * The host interfaces (host/*.ts directly under host/, not host/node/): the
 * contracts a host implements for the machine and the kernel (block
 * backend, host file sharing, console). hw/ and kernel/ may name them in
 * TYPE-ONLY imports - the consumer states what it needs from its host, as a
 * driver names the controller it drives - because an `import type` is
 * erased and cannot run host code. A value import of them stays upward.
 */
export function isHostInterface(file: string): boolean {
  return /^host\/[^/]+\.ts$/.test(file);
}

/** An import that runs against the layering: upward between top-level folders, or up the kernel's chain. */
export function isUpward(e: Edge): boolean {
  const a = e.from.split("/")[0], b = e.to.split("/")[0];
  if (a !== b && e.typeOnly && (a === "hw" || a === "kernel") && isHostInterface(e.to)) return false;
  if (a !== b) return (TOP_RANK[b] ?? 99) > (TOP_RANK[a] ?? 99);
  if (a !== "kernel") return false;
  const ra = kernelRank(e.from), rb = kernelRank(e.to);
  return ra !== null && rb !== null && rb.rank > ra.rank;
}

/** Strongly connected components with more than one file (Tarjan), each sorted; the largest first. */
export function cycles(edges: Edge[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, []);
    if (!adj.has(e.to)) adj.set(e.to, []);
    adj.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [], out: string[][] = [];
  let next = 0;
  // Iterative Tarjan: the graph is deep enough that recursion is a risk on small stacks.
  for (const root of adj.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      if (i === 0) { index.set(v, next); low.set(v, next); next++; stack.push(v); onStack.add(v); }
      const succ = adj.get(v)!;
      if (i < succ.length) {
        top[1]++;
        const w = succ[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) { const u = work[work.length - 1][0]; low.set(u, Math.min(low.get(u)!, low.get(v)!)); }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
        if (comp.length > 1) out.push(comp.sort());
      }
    }
  }
  return out.sort((x, y) => y.length - x.length);
}

/** The whole report, as `node dist/test/arch/imports.js` prints it. */
export function report(): string {
  const edges = importGraph();
  const up = edges.filter(isUpward);
  const kfiles = new Set(edges.filter((e) => e.from.startsWith("kernel/")).map((e) => e.from));
  // Cycles count value imports only (type-only imports are exempt, layers.test.ts says why).
  const cyc = cycles(edges.filter((e) => e.from.startsWith("kernel/") && e.to.startsWith("kernel/") && !e.typeOnly));
  const lines = [
    `${edges.length} imports; ${up.length} run upward (${up.filter((e) => e.typeOnly).length} of them type-only, which the rules allow inside kernel/)`,
    `kernel: ${kfiles.size} files; ${cyc.length} value-import cycle(s), the largest holding ${cyc[0]?.length ?? 0} files`,
    ...up.map((e) => `  upward: ${e.from} -> ${e.to}${e.typeOnly ? " (type)" : ""}`),
    ...cyc.map((c, i) => `  cycle ${i + 1} (${c.length} files): ${c.join(" ")}`),
  ];
  return lines.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(report());
