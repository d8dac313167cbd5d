// The cpio "newc" archive format (SVR4 portable ASCII, magic 070701; 070702 "crc"
// archives are read too). The image builder writes the initramfs with
// `writeCpio`, and the kernel unpacks it at boot with `parseCpio`; the format is
// the one Linux's initramfs uses, so the host's `cpio` reads our output and ours
// reads the host's.
//
// Pure TypeScript with no Node imports: it runs inside the kernel.
// Concepts: C10 (boot: the initramfs the kernel unpacks), C90 (root file systems
// built from deb packages), C63/C64 (the inode fields, hard and symbolic links
// the archive carries).
//
// Layout of one member: a 110-byte header ("070701" + 13 fields of 8 hex digits:
// ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
// rdevminor, namesize, check), the name with its NUL, padding to 4 bytes, then
// `filesize` bytes of data (a symlink's target for symlinks), padding to 4. The
// archive ends with a member named "TRAILER!!!". Hard links share `ino`; the
// writer puts the data in the first member of a group and gives the others size
// 0 (the Linux kernel's convention); the parser accepts the data in any member
// (GNU cpio puts it in the last) and gives it to every member of the group.

/** File type bits of `mode` (the S_IFMT values of Linux), re-exported for the image builder. */
import { S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO } from "../abi/fs.js";
import { bytesToStr, strToBytes } from "../lib/bytestr.js";
export { S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO };

export const CPIO_TRAILER = "TRAILER!!!";
const MAGIC_NEWC = "070701";
const MAGIC_CRC = "070702";
const HEADER_LEN = 110;
/** Longest member name accepted (Linux's PATH_MAX). */
const MAX_NAME = 4096;

/** One member of an archive. */
export interface CpioEntry {
  /** Path relative to the archive root, without a leading "/" or "./" ("usr/bin/sh"); "." is the root itself. */
  path: string;
  /** Permission bits and file type bits (S_IFREG, S_IFDIR, ...). */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time, seconds since the epoch. */
  mtime: number;
  /** Link count. The writer computes it when absent (directories 2, hard-link groups their size, others 1). */
  nlink?: number;
  /** Inode number. Members with the same `ino` (and devMajor/devMinor) are hard links to one file. The writer numbers members without one. */
  ino?: number;
  /** Device of the file system the member came from (part of the hard-link identity). */
  devMajor?: number;
  devMinor?: number;
  /** Contents of a regular file. */
  data?: Uint8Array;
  /** Target of a symbolic link. */
  target?: string;
  /** Device number of a character or block device node. */
  rdevMajor?: number;
  rdevMinor?: number;
  /** Set by the parser on every hard link after the first: the path of the first member of its group. */
  hardlinkOf?: string;
}

/** What a caller can tune when writing. */
export interface WriteCpioOptions {
  /** Write "070702" members with the checksum of the data (default: plain newc, check 0). */
  crc?: boolean;
  /** How member names and link targets become bytes: see CpioNames (default "text"). */
  names?: CpioNames;
}

/**
 * How names (paths, link targets) map to the archive's bytes. "text": they
 * are host text, written and read as UTF-8 (the image builder, the host
 * tools). "bytes": they are the kernel's byte strings (one char per byte,
 * lib/bytestr.ts), so that any name - valid UTF-8 or not - comes through
 * byte for byte; the kernel unpacks its initramfs this way.
 */
export type CpioNames = "text" | "bytes";

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: false });

function nameToBytes(s: string, names: CpioNames): Uint8Array {
  return names === "bytes" ? strToBytes(s) : textEncoder.encode(s);
}

function nameFromBytes(b: Uint8Array, names: CpioNames): string {
  return names === "bytes" ? bytesToStr(b) : textDecoder.decode(b);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function hex8(value: number, field: string, path: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new Error(`cpio: ${field} ${value} of '${path}' does not fit in 32 bits`);
  }
  return value.toString(16).padStart(8, "0");
}

/** Normalize a member name: no leading "/" or "./", no empty or "." components; "" becomes ".". */
export function normalizeCpioPath(name: string): string {
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw new Error(`cpio: member name '${name}' has a '..' component`);
    parts.push(part);
  }
  return parts.length === 0 ? "." : parts.join("/");
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data[i]!) >>> 0;
  return sum;
}

/** Serialize `entries` (in the given order; parents should come before children) followed by the trailer. */
export function writeCpio(entries: readonly CpioEntry[], options: WriteCpioOptions = {}): Uint8Array {
  // Hard-link groups: the first member carries the data.
  const groupSize = new Map<string, number>();
  const linkKey = (e: CpioEntry): string => `${e.devMajor ?? 0}:${e.devMinor ?? 0}:${e.ino}`;
  for (const e of entries) {
    if (e.ino !== undefined && (e.mode & S_IFMT) === S_IFREG) {
      const k = linkKey(e);
      groupSize.set(k, (groupSize.get(k) ?? 0) + 1);
    }
  }
  let maxIno = 0;
  for (const e of entries) if (e.ino !== undefined && e.ino > maxIno) maxIno = e.ino;
  let nextIno = maxIno + 1;

  const chunks: Uint8Array[] = [];
  let total = 0;
  const push = (bytes: Uint8Array): void => {
    chunks.push(bytes);
    total += bytes.length;
    const pad = align4(total) - total;
    if (pad > 0) {
      chunks.push(new Uint8Array(pad));
      total += pad;
    }
  };
  const seenGroups = new Set<string>();

  const member = (e: CpioEntry, name: string, body: Uint8Array, ino: number, nlink: number): void => {
    const nameBytes = nameToBytes(name, options.names ?? "text");
    if (nameBytes.length + 1 > MAX_NAME) throw new Error(`cpio: member name '${name}' is too long`);
    const fields = [
      hex8(ino, "ino", name),
      hex8(e.mode, "mode", name),
      hex8(e.uid, "uid", name),
      hex8(e.gid, "gid", name),
      hex8(nlink, "nlink", name),
      hex8(e.mtime, "mtime", name),
      hex8(body.length, "filesize", name),
      hex8(e.devMajor ?? 0, "devmajor", name),
      hex8(e.devMinor ?? 0, "devminor", name),
      hex8(e.rdevMajor ?? 0, "rdevmajor", name),
      hex8(e.rdevMinor ?? 0, "rdevminor", name),
      hex8(nameBytes.length + 1, "namesize", name),
      hex8(options.crc ? checksum(body) : 0, "check", name),
    ];
    const header = textEncoder.encode((options.crc ? MAGIC_CRC : MAGIC_NEWC) + fields.join(""));
    const head = new Uint8Array(HEADER_LEN + nameBytes.length + 1);
    head.set(header, 0);
    head.set(nameBytes, HEADER_LEN);
    push(head);
    if (body.length > 0) push(body);
  };

  for (const e of entries) {
    const path = normalizeCpioPath(e.path);
    if (path === CPIO_TRAILER) throw new Error(`cpio: a member may not be named ${CPIO_TRAILER}`);
    const type = e.mode & S_IFMT;
    let body: Uint8Array = new Uint8Array(0);
    let nlink = e.nlink ?? 1;
    switch (type) {
      case S_IFREG: {
        body = e.data ?? new Uint8Array(0);
        if (e.ino !== undefined) {
          const k = linkKey(e);
          const size = groupSize.get(k) ?? 1;
          if (e.nlink === undefined) nlink = size;
          if (seenGroups.has(k)) body = new Uint8Array(0);
          seenGroups.add(k);
        }
        break;
      }
      case S_IFLNK:
        if (e.target === undefined || e.target === "") throw new Error(`cpio: symlink '${path}' has no target`);
        body = nameToBytes(e.target, options.names ?? "text");
        break;
      case S_IFDIR:
        if (e.nlink === undefined) nlink = 2;
        break;
      case S_IFCHR:
      case S_IFBLK:
      case S_IFIFO:
      case S_IFSOCK:
        break;
      default:
        throw new Error(`cpio: '${path}' has no file type in mode 0${e.mode.toString(8)}`);
    }
    const ino = e.ino ?? nextIno++;
    member(e, path, body, ino, nlink);
  }
  member({ path: CPIO_TRAILER, mode: 0, uid: 0, gid: 0, mtime: 0 }, CPIO_TRAILER, new Uint8Array(0), 0, 1);

  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function readHex(bytes: Uint8Array, at: number, field: string, header: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = bytes[at + i]!;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    else throw new Error(`cpio: bad hex digit in the ${field} field of the header at offset ${header}`);
    v = v * 16 + d;
  }
  return v;
}

const FIELD_NAMES = [
  "ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
  "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
] as const;

/**
 * Parse a newc (or crc) archive into its members, in archive order, without the
 * trailer. Several archives one after another (with NUL padding between them,
 * as Linux allows for initramfs images) are read as one. Regular file data is a
 * view into `bytes` (no copy). Throws an Error naming the offset and the problem
 * for truncated or malformed input.
 */
export function parseCpio(bytes: Uint8Array, names: CpioNames = "text"): CpioEntry[] {
  const entries: CpioEntry[] = [];
  // First member seen of each hard-link group, and members still waiting for the group's data.
  const groups = new Map<string, { first: CpioEntry; members: CpioEntry[]; data: Uint8Array | undefined }>();
  let off = 0;
  let sawTrailer = false;

  while (off < bytes.length) {
    if (sawTrailer) {
      // Between archives (or at the end) only NUL padding may appear.
      if (bytes[off] === 0) {
        off++;
        continue;
      }
      const next = textDecoder.decode(bytes.subarray(off, off + 6));
      if ((off & 3) !== 0 || (next !== MAGIC_NEWC && next !== MAGIC_CRC)) {
        throw new Error(`cpio: junk at offset ${off} after ${CPIO_TRAILER}`);
      }
      sawTrailer = false;
    }
    const start = off;
    if (start + HEADER_LEN > bytes.length) {
      throw new Error(`cpio: truncated header at offset ${start} (${bytes.length - start} bytes left, need ${HEADER_LEN})`);
    }
    const magic = textDecoder.decode(bytes.subarray(start, start + 6));
    if (magic !== MAGIC_NEWC && magic !== MAGIC_CRC) {
      const shown = Array.from(bytes.subarray(start, start + 6), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
      throw new Error(`cpio: bad magic '${shown}' at offset ${start} (expected ${MAGIC_NEWC}, the newc format)`);
    }
    const f: Record<(typeof FIELD_NAMES)[number], number> = {
      ino: 0, mode: 0, uid: 0, gid: 0, nlink: 0, mtime: 0, filesize: 0,
      devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0, namesize: 0, check: 0,
    };
    FIELD_NAMES.forEach((name, i) => {
      f[name] = readHex(bytes, start + 6 + i * 8, name, start);
    });
    if (f.namesize < 1 || f.namesize > MAX_NAME) {
      throw new Error(`cpio: bad name size ${f.namesize} in the header at offset ${start}`);
    }
    const nameStart = start + HEADER_LEN;
    const nameEnd = nameStart + f.namesize; // includes the NUL
    if (nameEnd > bytes.length) throw new Error(`cpio: truncated name in the member at offset ${start}`);
    if (bytes[nameEnd - 1] !== 0) throw new Error(`cpio: the name of the member at offset ${start} is not NUL-terminated`);
    const rawName = nameFromBytes(bytes.subarray(nameStart, nameEnd - 1), names);
    if (rawName.includes("\0")) throw new Error(`cpio: the name of the member at offset ${start} contains a NUL`);
    const dataStart = align4(nameEnd);
    const dataEnd = dataStart + f.filesize;
    if (dataEnd > bytes.length) {
      throw new Error(`cpio: truncated data of '${rawName}' at offset ${start} (${f.filesize} bytes declared, ${Math.max(0, bytes.length - dataStart)} present)`);
    }
    const data = bytes.subarray(dataStart, dataEnd);
    if (magic === MAGIC_CRC && checksum(data) !== f.check) {
      throw new Error(`cpio: checksum mismatch for '${rawName}' at offset ${start}`);
    }
    off = align4(dataEnd);

    if (rawName === CPIO_TRAILER) {
      sawTrailer = true;
      groups.clear(); // hard-link identities do not cross archives
      continue;
    }

    const path = normalizeCpioPath(rawName);
    const type = f.mode & S_IFMT;
    const entry: CpioEntry = {
      path,
      mode: f.mode,
      uid: f.uid,
      gid: f.gid,
      mtime: f.mtime,
      nlink: f.nlink,
      ino: f.ino,
      devMajor: f.devmajor,
      devMinor: f.devminor,
    };
    switch (type) {
      case S_IFREG: {
        entry.data = data;
        if (f.nlink > 1) {
          const key = `${f.devmajor}:${f.devminor}:${f.ino}`;
          const g = groups.get(key);
          if (g === undefined) {
            groups.set(key, { first: entry, members: [entry], data: data.length > 0 ? data : undefined });
          } else {
            entry.hardlinkOf = g.first.path;
            g.members.push(entry);
            if (data.length > 0 && g.data === undefined) g.data = data;
            if (g.data !== undefined) for (const m of g.members) m.data = g.data;
          }
        }
        break;
      }
      case S_IFLNK:
        if (f.filesize === 0) throw new Error(`cpio: symlink '${path}' at offset ${start} has an empty target`);
        entry.target = nameFromBytes(data, names);
        break;
      case S_IFCHR:
      case S_IFBLK:
        entry.rdevMajor = f.rdevmajor;
        entry.rdevMinor = f.rdevminor;
        break;
      case S_IFDIR:
      case S_IFIFO:
      case S_IFSOCK:
        break;
      default:
        throw new Error(`cpio: '${path}' at offset ${start} has an unknown file type in mode 0${f.mode.toString(8)}`);
    }
    entries.push(entry);
  }
  if (!sawTrailer) throw new Error(`cpio: archive ends at offset ${bytes.length} without ${CPIO_TRAILER} (truncated?)`);
  return entries;
}
