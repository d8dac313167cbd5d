// Pseudo file systems generated from kernel state (procfs and sysfs): a
// static tree of nodes - directories, files with a show (and maybe store)
// function, symbolic links - instantiated as inodes on every lookup for a
// context (which process, which thread, which fd the node is about). A file's
// text is produced when it is opened (and again when it is read from offset
// 0 after the first read), so `cat` sees the kernel as it is now, and a
// vanished process reads as ESRCH. Nothing is stored: inode numbers are a
// hash of (node path, context), so a second lookup yields the same number.
//
// The trees are code (immutable module constants, shared by every kernel):
// an inode names its node by its structural path from the file system's
// root ("/sys/kernel/hostname", "/*/fd/*" where "*" is a directory's
// dynamic child), and the superblock names its tree ("proc", "sysfs"), so
// kernel state holds no function values (see lib/registry.ts).
//
// Concepts: C69 (/proc as a virtual file system), C68 (one VFS interface for
// generated files too).
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { Dentry, DirEntry, File, Inode, IoCtx, SuperBlock } from "../vfs.js";
import { currentTime } from "../inode.js";
import { S_IFDIR, S_IFREG, S_IFLNK, DT_DIR, DT_REG, DT_LNK, O_ACCMODE, O_RDONLY, O_WRONLY } from "../../abi/fs.js";
import { EACCES, EINVAL, ENOENT, ENOTDIR } from "../../abi/errno.js";
import { createRegistry, define, lookup } from "../../lib/registry.js";
import { defineFileOps, defineInodeOps, defineSuperOps, NO_FOPS } from "../../lib/fsops.js";
import { bytesToStr, strToBytes, readAt } from "../../lib/bytestr.js";

/** What a node instance is about: a process, one of its threads, one of its fds (0 = none). */
export interface PCtx { pid: number; tid: number; fd: number }

export const NO_CTX: PCtx = { pid: 0, tid: 0, fd: 0 };

/** File contents, or -errno. */
export type ShowFn = (k: Kernel, c: PCtx, t: Task) => string | Uint8Array | number;
/** Handle a write of `text`; 0 or -errno. */
export type StoreFn = (k: Kernel, c: PCtx, t: Task, text: string) => number;
/** Extra access check at open (ptrace-style rules); 0 or -errno. */
export type AccessFn = (k: Kernel, c: PCtx, t: Task, write: boolean) => number;

interface NodeBase {
  /** Permission bits. */
  readonly perm: number;
  readonly access?: AccessFn;
  /** Permission bits that depend on the context (/proc/PID/fd/N follows the open mode). */
  permOf?: (k: Kernel, c: PCtx) => number;
}

export interface PFile extends NodeBase {
  readonly kind: "file";
  readonly show: ShowFn;
  readonly store?: StoreFn;
  /** A file with its own operations instead of generated text (/proc/kmsg): their name (fs/ops.ts). */
  readonly fops?: string;
}
export interface PLink extends NodeBase {
  readonly kind: "link";
  readonly target: (k: Kernel, c: PCtx, t: Task) => string | number;
  /** Magic links: follow straight to a dentry. */
  readonly follow?: (k: Kernel, c: PCtx, t: Task) => Dentry | string | number;
}
export interface PDir extends NodeBase {
  readonly kind: "dir";
  /** The entries now (excluding "." and ".."). */
  readonly list: (k: Kernel, c: PCtx, t: Task | null) => PEntry[];
  /** Find one entry (defaults to searching list()). */
  readonly lookup?: (k: Kernel, c: PCtx, name: string) => PEntry | null;
  /** The fixed children by name (what an inode's path names). */
  readonly entries: Readonly<Record<string, PNode>>;
  /** The node of every other entry list/lookup yields (a process, a thread, an fd, a cpu...), named "*" in paths. */
  readonly child?: PNode;
}
export type PNode = PFile | PLink | PDir;
export interface PEntry {
  name: string; node: PNode; ctx: PCtx;
  /**
   * The entry's directory position (getdents' d_off), for listings whose
   * members come and go while a program reads them (fds): stable and
   * increasing, above 2 (. and ..), as Linux's fd + 2. Without it, the
   * position is the index, which shifts when an earlier entry goes.
   */
  off?: number;
}

export function pfile(perm: number, show: ShowFn, store?: StoreFn, access?: AccessFn): PFile {
  return { kind: "file", perm, show, store, access };
}

/** A file whose operations are its own (streams such as /proc/kmsg); show() is unused. */
export function pfileOps(perm: number, fops: string, access?: AccessFn): PFile {
  return { kind: "file", perm, show: () => "", fops, access };
}

export function plink(
  target: PLink["target"], follow?: PLink["follow"], perm = 0o777, access?: AccessFn,
): PLink {
  return { kind: "link", perm, target, follow, access };
}

/**
 * A directory whose entries list/lookup compute: `entries` are its fixed
 * children, `child` the node of all the others (they must name no other).
 */
export function pdir(
  perm: number, list: PDir["list"], lookup?: PDir["lookup"], access?: AccessFn,
  shape: { entries?: Record<string, PNode>; child?: PNode } = {},
): PDir {
  return { kind: "dir", perm, list, lookup, access, entries: shape.entries ?? {}, child: shape.child };
}

/** A directory with a fixed set of children that inherit its context. */
export function staticDir(children: Record<string, PNode>, perm = 0o555): PDir {
  return pdir(
    perm,
    (_k, c) => Object.entries(children).map(([name, node]) => ({ name, node, ctx: c })),
    (_k, c, name) => {
      const n = Object.prototype.hasOwnProperty.call(children, name) ? children[name] : undefined;
      return n ? { name, node: n, ctx: c } : null;
    },
    undefined,
    { entries: children },
  );
}

/** A pseudo file system's tree and rules (code, defined at module load by proc/root.ts and sysfs/sysfs.ts). */
export interface PseudoFs {
  root: PDir;
  /** st_size of regular files (0 for proc, 4096 for sysfs, as Linux reports). */
  fileSize: number;
  /** Owner of a context's nodes (the process's euid/egid under /proc/PID). */
  owner: (k: Kernel, c: PCtx) => { uid: number; gid: number };
}

const PSEUDO_FS = createRegistry<PseudoFs>("pseudo file system");

/** Define a pseudo file system's tree (at module load); returns the name its superblocks store. */
export function definePseudoFs(name: string, fs: PseudoFs): string {
  return define(PSEUDO_FS, name, fs);
}

/** Superblock-private data of a pseudo file system: the name of its tree. */
export interface PseudoSb { fs: string }

/** Per-inode data: the node's structural path from the root, and the context. */
export interface PseudoInfo { path: string; ctx: PCtx; parentIno: number }

/** The path element of entry `name` of `dir`: its name if fixed, "*" for the dynamic child. */
function childPath(dirPath: string, dir: PDir, name: string, node: PNode): string {
  const fixed = Object.prototype.hasOwnProperty.call(dir.entries, name) && dir.entries[name] === node;
  return `${dirPath === "/" ? "" : dirPath}/${fixed ? name : "*"}`;
}

/** The node at structural path `path` of tree `root`. */
function resolve(root: PDir, path: string): PNode | null {
  let node: PNode = root;
  if (path === "/") return node;
  for (const part of path.slice(1).split("/")) {
    if (node.kind !== "dir") return null;
    const next: PNode | undefined = part === "*" ? node.child
      : Object.prototype.hasOwnProperty.call(node.entries, part) ? node.entries[part] : undefined;
    if (!next) return null;
    node = next;
  }
  return node;
}

/** Per-open data of a generated file. */
interface PseudoOpen { data: Uint8Array | null; fresh: boolean }


function fnv(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

/** Stable inode number of the node at `path` in context `c` (the root is 1). */
export function pseudoIno(path: string, c: PCtx): number {
  if (path === "/") return 1;
  const key = `${path}/${c.pid}/${c.tid}/${c.fd}`;
  return 0x100000 + (fnv(key, 2166136261) % 0x7fffffff) * 0x10000 + (fnv(key, 0x9747b28c) & 0xffff);
}

function fsOf(sb: SuperBlock): PseudoFs {
  return lookup(PSEUDO_FS, (sb.info as PseudoSb).fs);
}

/** An inode's node and context (its node comes from the tree's code, by path). */
function infoOf(ino: Inode): { node: PNode; ctx: PCtx; parentIno: number; path: string } {
  const info = ino.info as PseudoInfo;
  const node = resolve(fsOf(ino.sb).root, info.path);
  if (!node) throw new Error(`pseudo file system: no node at ${info.path}`);
  return { node, ctx: info.ctx, parentIno: info.parentIno, path: info.path };
}

/** The context (which process, thread, fd) a pseudo inode is about: for files with their own operations (pfileOps). */
export function pseudoCtx(ino: Inode): PCtx {
  return (ino.info as PseudoInfo).ctx;
}

/** An inode for `node` (at structural path `path`) in context `c`. */
export function pseudoInode(k: Kernel, sb: SuperBlock, node: PNode, path: string, c: PCtx, parentIno: number, ino?: number): Inode {
  const psb = fsOf(sb);
  const { uid, gid } = psb.owner(k, c);
  const now = currentTime(k);
  const type = node.kind === "dir" ? S_IFDIR : node.kind === "link" ? S_IFLNK : S_IFREG;
  const info: PseudoInfo = { path, ctx: c, parentIno };
  return {
    ino: ino ?? pseudoIno(path, c), sb, mode: type | (node.permOf ? node.permOf(k, c) : node.perm), uid, gid,
    nlink: node.kind === "dir" ? 2 : 1, size: node.kind === "file" ? psb.fileSize : 0,
    atime: { ...now }, mtime: { ...now }, ctime: { ...now }, rdev: 0,
    iops: node.kind === "dir" ? dirIops : node.kind === "link" ? (node.follow ? magicLinkIops : linkIops) : fileIops,
    fops: node.kind === "file" ? node.fops ?? fileFops : node.kind === "dir" ? dirFops : NO_FOPS,
    info, refs: 0,
  };
}

/** The "current" task: the one whose syscall is being handled on the active hart. */
export function currentTask(k: Kernel): Task | null {
  return k.cpus[k.active]?.current ?? null;
}

const dirIops = defineInodeOps("pseudo.dir", {
  lookup(k, dir, name) {
    const { node, ctx, path } = infoOf(dir);
    if (node.kind !== "dir") return -ENOTDIR;
    const e = node.lookup ? node.lookup(k, ctx, name) : node.list(k, ctx, currentTask(k)).find((x) => x.name === name) ?? null;
    if (!e) return -ENOENT;
    return pseudoInode(k, dir.sb, e.node, childPath(path, node, e.name, e.node), e.ctx, dir.ino);
  },
  readdir(k, dir, t): DirEntry[] | number {
    const { node, ctx, parentIno, path } = infoOf(dir);
    if (node.kind !== "dir") return -ENOTDIR;
    if (node.access) {
      const r = node.access(k, ctx, t, false);
      if (r < 0) return r;
    }
    const out: DirEntry[] = [
      { name: ".", ino: dir.ino, type: DT_DIR, off: 1 },
      { name: "..", ino: parentIno, type: DT_DIR, off: 2 },
    ];
    let off = 3;
    for (const e of node.list(k, ctx, t)) {
      const type = e.node.kind === "dir" ? DT_DIR : e.node.kind === "link" ? DT_LNK : DT_REG;
      out.push({ name: e.name, ino: pseudoIno(childPath(path, node, e.name, e.node), e.ctx), type, off: e.off ?? off });
      off++;
    }
    return out;
  },
});

function readLink(k: Kernel, inode: Inode, t: Task): string | number {
  const { node, ctx } = infoOf(inode);
  if (node.kind !== "link") return -EINVAL;
  if (node.access) {
    const r = node.access(k, ctx, t, false);
    if (r < 0) return r;
  }
  return node.target(k, ctx, t);
}

const linkIops = defineInodeOps("pseudo.link", { readlink: readLink });

const magicLinkIops = defineInodeOps("pseudo.magiclink", {
  readlink: readLink,
  followLink(k, t, inode) {
    const { node, ctx } = infoOf(inode);
    if (node.kind !== "link") return -EINVAL;
    if (node.access) {
      const r = node.access(k, ctx, t, false);
      if (r < 0) return r;
    }
    return node.follow ? node.follow(k, ctx, t) : node.target(k, ctx, t);
  },
});

const fileIops = defineInodeOps("pseudo.file", {});

const dirFops = defineFileOps("pseudo.dir", {});

function generate(k: Kernel, t: Task, f: File): Uint8Array | number {
  const { node, ctx } = infoOf(f.inode);
  if (node.kind !== "file") return -EINVAL;
  const r = node.show(k, ctx, t);
  if (typeof r === "number") return r;
  return typeof r === "string" ? strToBytes(r) : r; // generated text holds names: byte strings
}

const fileFops = defineFileOps("pseudo.file", {
  open(k, t, f) {
    const { node, ctx } = infoOf(f.inode);
    if (node.kind !== "file") return -EINVAL;
    const acc = f.flags & O_ACCMODE;
    const write = acc !== O_RDONLY;
    if (write && !node.store) return -EACCES;
    if (node.access) {
      const r = node.access(k, ctx, t, write);
      if (r < 0) return r;
    }
    const st: PseudoOpen = { data: null, fresh: false };
    if (acc !== O_WRONLY) {
      const d = generate(k, t, f);
      if (typeof d === "number") return d;
      st.data = d;
      st.fresh = true;
    }
    f.info = st;
    return 0;
  },
  read(k, t, f, buf, pos, _io: IoCtx) {
    let st = f.info as PseudoOpen | null;
    if (!st || typeof st !== "object" || !("fresh" in st)) { st = { data: null, fresh: false }; f.info = st; }
    if (!st.data || (pos === 0 && !st.fresh)) {
      const d = generate(k, t, f);
      if (typeof d === "number") return d;
      st.data = d;
    }
    st.fresh = false;
    return readAt(st.data, buf, pos);
  },
  write(k, t, f, buf, _pos, _io) {
    const { node, ctx } = infoOf(f.inode);
    if (node.kind !== "file" || !node.store) return -EACCES;
    const r = node.store(k, ctx, t, bytesToStr(buf));
    return r < 0 ? r : buf.length;
  },
});

/** statfs of procfs and sysfs: no blocks, no inodes to count. */
export const PSEUDO_SOPS = defineSuperOps("pseudo", {
  statfs: () => ({ bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255 }),
});

/** A superblock for the pseudo file system whose tree is named `fs` (definePseudoFs). */
export function pseudoSuper(dev: number, fsType: string, magic: number, fs: string): SuperBlock {
  const info: PseudoSb = { fs };
  return { dev, fsType, readOnly: false, info, magic, sops: PSEUDO_SOPS };
}

/** The root inode (number 1) of a pseudo file system. */
export function pseudoRoot(k: Kernel, sb: SuperBlock): Inode {
  return pseudoInode(k, sb, fsOf(sb).root, "/", NO_CTX, 1, 1);
}

/** Pad `s` on the left to `w` characters. */
export function lpad(s: string | number, w: number): string {
  return String(s).padStart(w);
}
