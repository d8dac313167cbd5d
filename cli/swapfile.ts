// `tsix run --swap FILE[:SIZE]`: the host side of a swap file. FILE is
// created with SIZE bytes and Linux's swap header (kernel/mm/swap_format.ts,
// the same bytes mkswap writes: version 1, last_page, a random UUID, no
// label) when it does not exist, or used as it is when it already carries
// the signature. The file is attached as the next virtio disk and the
// kernel swapons it before init runs (kernel/boot.ts, BootOptions.swap).
// Every problem is a UsageError: one line with the remedy, exit 2.
//
// Concepts: C55 (a swap file, in the format busybox mkswap and swapon use).
import { closeSync, existsSync, openSync, readSync, statSync, writeSync, ftruncateSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { UsageError, parseSize } from "./args.js";
import { hasSwapSignature, makeSwapHeader, MIN_SWAP_PAGES, SWAP_PAGE } from "../kernel/index.js";

export interface SwapOption { path: string; size: number | null }

/** Parse FILE[:SIZE] (SIZE as --mem takes it: 64M, 1G, bytes). */
export function parseSwapOption(v: string): SwapOption {
  if (v === "") throw new UsageError("--swap needs a file, e.g. --swap swap.img:64M");
  const m = /^(.+):([^:/]*)$/.exec(v);
  if (!m) return { path: v, size: null };
  let size: number;
  try { size = parseSize(m[2]); } catch { throw new UsageError(`--swap: bad size '${m[2]}' (use e.g. --swap ${m[1]}:64M)`); }
  if (size < MIN_SWAP_PAGES * SWAP_PAGE) throw new UsageError(`--swap: ${m[2]} is too small: a swap area needs at least 10 pages (40K); use e.g. --swap ${m[1]}:64M`);
  if (size > 64 * 1024 ** 3) throw new UsageError(`--swap: ${m[2]} is too large (at most 64G)`);
  return { path: m[1], size };
}

/**
 * Make sure the swap file exists and carries a swap signature: create and
 * format it (mkswap's layout) when missing and a size is given. Returns the
 * absolute path.
 */
export function prepareSwapFile(o: SwapOption): string {
  const path = resolve(o.path);
  if (!existsSync(path)) {
    if (!existsSync(dirname(path))) throw new UsageError(`--swap: ${dirname(o.path) || "."}: no such directory (create it, or choose another place for the swap file)`);
    if (o.size === null) throw new UsageError(`--swap: ${o.path}: no such file (give a size to create it, e.g. --swap ${o.path}:64M)`);
    const pages = Math.floor(o.size / SWAP_PAGE);
    const fd = openSync(path, "wx", 0o600);
    try {
      ftruncateSync(fd, pages * SWAP_PAGE);
      writeSync(fd, makeSwapHeader(pages, randomBytes(16)), 0, SWAP_PAGE, 0);
    } finally { closeSync(fd); }
    return path;
  }
  const st = statSync(path);
  if (!st.isFile()) throw new UsageError(`--swap: ${o.path} is not a regular file (give a file name, e.g. --swap swap.img:64M)`);
  if (st.size < MIN_SWAP_PAGES * SWAP_PAGE) throw new UsageError(`--swap: ${o.path} is too small for swap (at least 40K); remove it to have it made again`);
  const page0 = new Uint8Array(SWAP_PAGE);
  const fd = openSync(path, "r");
  try { readSync(fd, page0, 0, SWAP_PAGE, 0); } finally { closeSync(fd); }
  if (!hasSwapSignature(page0)) throw new UsageError(`--swap: ${o.path} exists but has no swap signature (format it with mkswap, or remove it and give a size: --swap ${o.path}:64M)`);
  return path;
}
