// FAT directories: arrays of 32-byte slots in a cluster chain (or, on
// FAT12/16, the root's fixed area). A file's own slot - the short entry -
// holds an 8.3 name, attributes, times, the first cluster and the size; a
// VFAT long name goes in the slots just before it, 13 UTF-16 units each, in
// reverse order, every one carrying the checksum of the short name so that a
// long name left behind by a system that knew only short names is noticed
// and ignored. A name that fits 8.3 (all lower or all upper case in each
// part) gets no long slots: the case goes in the short entry's NT bits, as
// Linux's shortname=mixed; any other name gets a generated short alias
// (BASIS~N.EXT, the lowest N free in the directory). Names are looked up
// without regard to ASCII case, by long name or by short alias. Deleted
// slots start with 0xE5; a slot starting with 0 ends the directory.
// Timestamps are in the FAT's local time (UTC here) with 2-second
// resolution (access: the day only).
//
// Concepts: C73 (FAT directories: 8.3 entries and VFAT long names).
import type { Kernel } from "../../kernel.js";
import { ENAMETOOLONG, EINVAL, ENOSPC } from "../../abi/errno.js";
import { FatErr, corrupt, put16, put32, u16, u32, type VfatFs } from "./bpb.js";
import { block, needRange, readBlocks, writeRange } from "./bio.js";
import { chainOf, clusterAddr } from "./fat.js";

export const ATTR_RO = 0x01, ATTR_HIDDEN = 0x02, ATTR_SYSTEM = 0x04, ATTR_VOLUME = 0x08, ATTR_DIR = 0x10, ATTR_ARCH = 0x20;
export const ATTR_LFN = 0x0f;
const CASE_LOWER_BASE = 0x08, CASE_LOWER_EXT = 0x10;
/** Most slots a directory may have (Linux's FAT_MAX_DIR_SIZE: 2 MiB). */
export const MAX_DIR_SLOTS = 65536;

/** One directory entry as read: its name, the short entry's fields and where its slots are. */
export interface FatEntry {
  name: string;
  /** The 11 bytes of the short name. */
  short: Uint8Array;
  attr: number;
  first: number;
  size: number;
  mtime: number;
  atime: number;
  /** Index of the short entry and of its first long-name slot. */
  slot: number;
  firstSlot: number;
  /** Device byte address of the short entry. */
  pos: number;
}

/** A directory's storage: equal-sized extents (clusters, or the fixed root) in order. */
export interface DirSpace { addrs: number[]; extent: number; chain: number[] }

/** `first`: the directory's first cluster; 0 means FAT12/16's fixed root. */
export function dirSpace(fs: VfatFs, first: number): DirSpace {
  if (first === 0) {
    if (fs.g.rootBytes === 0) corrupt("directory without a first cluster");
    return { addrs: [fs.g.rootStart], extent: fs.g.rootBytes, chain: [] };
  }
  const chain = chainOf(fs, first, "directory");
  if (chain.length * fs.g.clusterSize > MAX_DIR_SLOTS * 32 * 2) corrupt(`directory of ${chain.length} clusters is too big`);
  return { addrs: chain.map((c) => clusterAddr(fs, c)), extent: fs.g.clusterSize, chain };
}

export function slotCount(sp: DirSpace): number {
  return (sp.addrs.length * sp.extent) / 32;
}

export function slotAddr(sp: DirSpace, i: number): number {
  const b = i * 32;
  return sp.addrs[Math.floor(b / sp.extent)] + (b % sp.extent);
}

/** Phase one: every block of the directory (one batch, one wait). */
export function needDir(k: Kernel, fs: VfatFs, sp: DirSpace): void {
  const missing: number[] = [];
  for (const a of sp.addrs) needRange(k, fs, a, sp.extent, false, missing);
  readBlocks(k, fs, [...new Set(missing)]);
}

/** The short name's checksum, stored in each of its long-name slots. */
export function shortChecksum(s: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + s[i]) & 0xff;
  return sum;
}

const LFN_OFFS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

function shortDisplay(s: Uint8Array, ntres: number): string {
  let base = "", ext = "";
  for (let i = 0; i < 8; i++) base += String.fromCharCode(i === 0 && s[0] === 0x05 ? 0xe5 : s[i]);
  for (let i = 8; i < 11; i++) ext += String.fromCharCode(s[i]);
  base = base.replace(/ +$/, "");
  ext = ext.replace(/ +$/, "");
  if (ntres & CASE_LOWER_BASE) base = base.toLowerCase();
  if (ntres & CASE_LOWER_EXT) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}

/** Days since the epoch to a FAT date (1980..2107), and back. */
function civil(days: number): [number, number, number] {
  const d = new Date(days * 86400000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}
export function encodeTime(sec: number): { date: number; time: number } {
  const min = 315532800, max = 4354819198; // 1980-01-01 .. 2107-12-31 23:59:58
  const s = Math.min(Math.max(sec, min), max);
  const days = Math.floor(s / 86400), rem = s - days * 86400;
  const [y, m, d] = civil(days);
  return { date: ((y - 1980) << 9) | (m << 5) | d, time: (Math.floor(rem / 3600) << 11) | (Math.floor((rem % 3600) / 60) << 5) | Math.floor((rem % 60) / 2) };
}
export function decodeTime(date: number, time: number): number {
  const y = 1980 + (date >> 9), m = (date >> 5) & 15, d = date & 31;
  if (m === 0 || d === 0) return 315532800;
  const h = time >> 11, mi = (time >> 5) & 63, s2 = (time & 31) * 2;
  return Math.floor(Date.UTC(y, m - 1, d, h, mi, s2) / 1000);
}
/** A time as FAT stores it: even seconds; access time: the day. */
export function fatMtime(sec: number): number { const t = encodeTime(sec); return decodeTime(t.date, t.time); }
export function fatAtime(sec: number): number { return decodeTime(encodeTime(sec).date, 0); }

/** Every live entry of a directory (its blocks present: needDir ran), with where the used slots end. */
export function scanDir(k: Kernel, fs: VfatFs, sp: DirSpace): { entries: FatEntry[]; end: number } {
  const entries: FatEntry[] = [];
  const n = slotCount(sp);
  let lfn: string[] | null = null, next = 0, sum = 0, start = 0;
  const bs = fs.bs;
  for (let i = 0; i < n; i++) {
    const a = slotAddr(sp, i);
    const b = block(k, fs, Math.floor(a / bs)), o = a % bs;
    const c0 = b[o];
    if (c0 === 0) return { entries, end: i };
    if (c0 === 0xe5) { lfn = null; continue; }
    const attr = b[o + 11];
    if ((attr & 0x3f) === ATTR_LFN) {
      const ord = c0 & 0x1f;
      if (c0 & 0x40) {
        if (ord === 0 || ord > 20) { lfn = null; continue; }
        lfn = new Array<string>(ord).fill("");
        next = ord; sum = b[o + 13]; start = i;
      }
      if (lfn && ord === next && b[o + 13] === sum) {
        let part = "";
        for (const off of LFN_OFFS) part += String.fromCharCode(u16(b, o + off));
        lfn[ord - 1] = part;
        next--;
      } else lfn = null;
      continue;
    }
    if (attr & ATTR_VOLUME) { lfn = null; continue; }
    const short = b.slice(o, o + 11);
    let name: string;
    let firstSlot = i;
    if (lfn && next === 0 && shortChecksum(short) === sum) {
      const whole = lfn.join("");
      const z = whole.indexOf("\0");
      name = z >= 0 ? whole.slice(0, z) : whole;
      firstSlot = start;
    } else name = shortDisplay(short, b[o + 12]);
    lfn = null;
    const first = ((u16(b, o + 20) << 16) | u16(b, o + 26)) >>> 0;
    entries.push({
      name, short, attr, first: fs.g.type === 32 ? first & 0x0fffffff : first & 0xffff, size: u32(b, o + 28),
      mtime: decodeTime(u16(b, o + 24), u16(b, o + 22)), atime: decodeTime(u16(b, o + 18), 0),
      slot: i, firstSlot, pos: a,
    });
  }
  return { entries, end: n };
}

/** ASCII case folded, as names are compared. */
export function nameKey(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** The entry named `name` (long name or short alias), or null. "." and ".." are not looked up here. */
export function findName(entries: FatEntry[], name: string): FatEntry | null {
  const key = nameKey(name);
  for (const e of entries) {
    if (e.short[0] === 0x2e) continue; // "." and ".."
    if (nameKey(e.name) === key || nameKey(shortDisplay(e.short, 0)) === key) return e;
  }
  return null;
}

/** A name as stored: trailing dots dropped (as Linux's vfat); -errno for one FAT cannot hold. */
export function checkName(name: string): string | number {
  const n = name.replace(/\.+$/, "");
  if (n.length === 0) return -EINVAL;
  if (n.length > 255) return -ENAMETOOLONG;
  for (const ch of n) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || '*?<>|":/\\'.includes(ch)) return -EINVAL;
  }
  return n;
}

const SHORT_OK = /^[A-Z0-9$%'\-_@~`!(){}^#&]$/;

function shortBytes(base: string, ext: string): Uint8Array {
  const s = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length; i++) s[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) s[8 + i] = ext.charCodeAt(i);
  if (s[0] === 0xe5) s[0] = 0x05;
  return s;
}

/** How `name` is stored: its short name and case bits, and whether long-name slots are needed. */
export function shortFor(name: string, taken: ReadonlySet<string>): { short: Uint8Array; ntres: number; lfn: boolean } {
  const dot = name.lastIndexOf(".");
  const base = dot > 0 ? name.slice(0, dot) : name, ext = dot > 0 ? name.slice(dot + 1) : "";
  const caseOf = (p: string): number => (p === p.toUpperCase() ? 0 : p === p.toLowerCase() ? 1 : -1);
  const fits = base.length >= 1 && base.length <= 8 && ext.length <= 3 && name.indexOf(".") === dot &&
    [...(base + ext).toUpperCase()].every((c) => SHORT_OK.test(c));
  if (fits) {
    // A valid 8.3 name: its upper-case form is the short name; mixed case in a part also needs the long name (as Linux's shortname=mixed).
    const s = shortBytes(base.toUpperCase(), ext.toUpperCase());
    const key = String.fromCharCode(...s);
    if (!taken.has(key)) {
      if (caseOf(base) >= 0 && caseOf(ext) >= 0) return { short: s, ntres: (caseOf(base) === 1 ? CASE_LOWER_BASE : 0) | (caseOf(ext) === 1 ? CASE_LOWER_EXT : 0), lfn: false };
      return { short: s, ntres: 0, lfn: true };
    }
  }
  // A generated alias: upper case, no spaces or dots, other characters as '_', BASIS~N.
  const clean = (p: string): string => [...p.toUpperCase().replace(/[ .]/g, "")].map((c) => (SHORT_OK.test(c) ? c : "_")).join("");
  const bb = clean(base.replace(/^\.+/, "")) || "_", eb = clean(ext).slice(0, 3);
  for (let n = 1; n < 1000000; n++) {
    const tail = `~${n}`;
    const s = shortBytes(bb.slice(0, 8 - tail.length) + tail, eb);
    if (!taken.has(String.fromCharCode(...s))) return { short: s, ntres: 0, lfn: true };
  }
  throw new FatErr(-ENOSPC);
}

/** The slots (long-name slots first, then the short entry) that store `name` with short name `short`. */
export function buildSlots(name: string, short: Uint8Array, ntres: number, lfn: boolean, attr: number, first: number, size: number, mtime: number): Uint8Array {
  const units = lfn ? name.length : 0;
  const nl = lfn ? Math.ceil(units / 13) : 0;
  const out = new Uint8Array((nl + 1) * 32);
  const sum = shortChecksum(short);
  for (let j = 0; j < nl; j++) {
    const ord = nl - j; // slots go in reverse order
    const o = j * 32;
    out[o] = ord | (j === 0 ? 0x40 : 0);
    out[o + 11] = ATTR_LFN;
    out[o + 13] = sum;
    for (let q = 0; q < 13; q++) {
      const idx = (ord - 1) * 13 + q;
      const v = idx < units ? name.charCodeAt(idx) : idx === units ? 0 : 0xffff;
      put16(out, o + LFN_OFFS[q], v);
    }
  }
  const o = nl * 32;
  out.set(short, o);
  out[o + 11] = attr;
  out[o + 12] = ntres;
  const t = encodeTime(mtime);
  put16(out, o + 14, t.time); put16(out, o + 16, t.date); // creation
  put16(out, o + 18, t.date); // access
  put16(out, o + 22, t.time); put16(out, o + 24, t.date); // write
  setFirst(out, o, first);
  put32(out, o + 28, size);
  return out;
}

export function setFirst(b: Uint8Array, o: number, first: number): void {
  put16(b, o + 20, (first >>> 16) & 0xffff);
  put16(b, o + 26, first & 0xffff);
}

/** Where `n` slots would go: the first free run (or the free tail), and how many slots the directory must grow by. */
export function planSlots(fs: VfatFs, sp: DirSpace, entriesEnd: number, k: Kernel, n: number): { at: number; grow: number } | number {
  const total = slotCount(sp);
  let run = 0;
  for (let i = 0; i < entriesEnd; i++) {
    const a = slotAddr(sp, i);
    const c0 = block(k, fs, Math.floor(a / fs.bs))[a % fs.bs];
    if (c0 === 0xe5 || c0 === 0) { if (++run === n) return { at: i - n + 1, grow: 0 }; } else run = 0;
  }
  const at = entriesEnd - run;
  const grow = Math.max(0, at + n - total);
  if (grow > 0 && sp.chain.length === 0) return -ENOSPC; // FAT12/16's root cannot grow
  if (at + n > MAX_DIR_SLOTS) return -ENOSPC;
  return { at, grow };
}

/** Write prepared slots at slot index `at` (all blocks present; new clusters already added to sp). */
export function writeSlots(k: Kernel, fs: VfatFs, sp: DirSpace, at: number, slots: Uint8Array): void {
  for (let j = 0; j < slots.length / 32; j++) writeRange(k, fs, slotAddr(sp, at + j), slots.subarray(j * 32, j * 32 + 32));
}

/** Mark an entry's slots deleted. */
export function removeSlots(k: Kernel, fs: VfatFs, sp: DirSpace, e: FatEntry): void {
  const del = new Uint8Array([0xe5]);
  for (let i = e.firstSlot; i <= e.slot; i++) writeRange(k, fs, slotAddr(sp, i), del);
}

/** Whether a directory holds nothing but "." and "..". */
export function isEmptyDir(entries: FatEntry[]): boolean {
  return entries.every((e) => e.short[0] === 0x2e && (e.short[1] === 0x20 || (e.short[1] === 0x2e && e.short[2] === 0x20)));
}

/** "." and ".." of a new directory whose first cluster is `self` (parent 0: the root). */
export function dotSlots(self: number, parent: number, mtime: number): Uint8Array {
  const dot = new Uint8Array(11).fill(0x20); dot[0] = 0x2e;
  const dotdot = dot.slice(); dotdot[1] = 0x2e;
  const out = new Uint8Array(64);
  out.set(buildSlots(".", dot, 0, false, ATTR_DIR, self, 0, mtime), 0);
  out.set(buildSlots("..", dotdot, 0, false, ATTR_DIR, parent, 0, mtime), 32);
  return out;
}

