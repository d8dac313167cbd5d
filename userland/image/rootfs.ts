// The root file system tree the image builder assembles in memory: Debian
// packages unpacked into it (dpkg-deb --fsys-tarfile, parsed with the `tar`
// package), Debian's merged /usr, update-alternatives links, busybox applet
// links, tsix's /etc files and programs; then turned into cpio entries.
// Concepts: C90 (root file systems built from .deb packages), C63/C64 (modes,
// owners, hard and symbolic links), C14 (the /dev nodes an initramfs carries),
// C10 (boot: the tree becomes the initramfs).
//
// The tree is plain data: a Map from a normalized path ("usr/bin/sh"; "." is
// the root) to a node. A hard link is the same node object under two paths.
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { Parser, type ReadEntry } from "tar";
import {
  S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG,
  type CpioEntry,
} from "../../kernel/fs/cpio.js";
import { haveTool, run, runChecked } from "./run.js";

interface NodeMeta {
  /** Permission bits only (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
}
export type DirNode = NodeMeta & { kind: "dir" };
export type FileNode = NodeMeta & { kind: "file"; data: Uint8Array };
export type SymlinkNode = NodeMeta & { kind: "symlink"; target: string };
export type DeviceNode = NodeMeta & { kind: "chr" | "blk"; major: number; minor: number };
export type FifoNode = NodeMeta & { kind: "fifo" };
export type FsNode = DirNode | FileNode | SymlinkNode | DeviceNode | FifoNode;

export interface RootFs {
  /** Path (normalized, no leading "/") → node. */
  nodes: Map<string, FsNode>;
  /** Path → the package that put it there ("tsix" for what the builder adds). */
  owner: Map<string, string>;
  /** Newest mtime seen in the packages: the time stamp of generated files (reproducible images). */
  mtime: number;
  /** Things worth telling the user (overwritten files, dangling hard links...). */
  warnings: string[];
}

/** Directories left out of the image to keep it small. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  "usr/share/doc",
  "usr/share/man",
  "usr/share/locale",
  "usr/share/info",
  "usr/share/lintian",
];

/** Debian's merged /usr: these top-level names are symlinks into usr/. */
export const MERGED_USR: readonly string[] = ["bin", "sbin", "lib", "lib64"];

/** Split and normalize a path from a package or the builder; ".." components are resolved lexically. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.length === 0 ? "." : out.join("/");
}

function join2(dir: string, name: string): string {
  return dir === "." ? name : `${dir}/${name}`;
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** An empty tree: the root directory, usr/{bin,sbin,lib} and the merged-/usr symlinks. */
export function createRootFs(): RootFs {
  const fs: RootFs = { nodes: new Map(), owner: new Map(), mtime: 0, warnings: [] };
  const dir = (): DirNode => ({ kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0 });
  fs.nodes.set(".", dir());
  fs.nodes.set("usr", dir());
  for (const name of MERGED_USR) {
    if (name !== "lib64") fs.nodes.set(`usr/${name}`, dir());
    fs.nodes.set(name, { kind: "symlink", target: `usr/${name}`, mode: 0o777, uid: 0, gid: 0, mtime: 0 });
  }
  for (const p of fs.nodes.keys()) fs.owner.set(p, "tsix");
  return fs;
}

/**
 * Resolve `path` inside the tree, following symlinks in every component (and in
 * the last one when `followLast`). Absolute targets are relative to the tree's
 * root; ".." stops at the root. Missing components are kept as they are.
 */
export function resolvePath(fs: RootFs, path: string, followLast = true): string {
  const queue = path.split("/");
  let cur: string[] = [];
  let hops = 0;
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      cur.pop();
      continue;
    }
    const candidate = cur.length === 0 ? name : `${cur.join("/")}/${name}`;
    const node = fs.nodes.get(candidate);
    const last = queue.every((q) => q === "" || q === ".");
    if (node?.kind === "symlink" && (!last || followLast)) {
      if (++hops > 40) throw new Error(`too many levels of symbolic links resolving /${path}`);
      if (node.target.startsWith("/")) cur = [];
      queue.unshift(...node.target.split("/"));
      continue;
    }
    cur.push(name);
  }
  return cur.length === 0 ? "." : cur.join("/");
}

/** The node at `path` after following symlinks, if any. */
export function lookup(fs: RootFs, path: string, followLast = true): FsNode | undefined {
  return fs.nodes.get(resolvePath(fs, path, followLast));
}

/** Create `path` (already resolved) and its missing parents as directories. */
function mkdirs(fs: RootFs, path: string, owner: string): void {
  if (path === "." || fs.nodes.has(path)) {
    const n = fs.nodes.get(path);
    if (n && n.kind !== "dir") throw new Error(`${owner}: /${path} is not a directory`);
    return;
  }
  mkdirs(fs, dirnameOf(path), owner);
  fs.nodes.set(path, { kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: fs.mtime });
  fs.owner.set(path, owner);
}

/** Whether a resolved path falls under one of `excludes` (a copyright file under usr/share/doc is kept). */
export function isExcluded(path: string, excludes: readonly string[]): boolean {
  for (const ex of excludes) {
    if (path === ex || path.startsWith(`${ex}/`)) {
      if (ex === "usr/share/doc" && /^usr\/share\/doc\/[^/]+\/copyright$/.test(path)) return false;
      return true;
    }
  }
  return false;
}

/**
 * Put `node` at `path`: parents are resolved through symlinks (so "lib/x" lands
 * in usr/lib/x) and created when missing. A directory over an existing
 * directory, or over a symlink to one, keeps what is there (dpkg's rule, which
 * keeps the merged-/usr links); a non-directory replaces a non-directory.
 * Returns the path used, or undefined when the path is excluded.
 */
export function addNode(fs: RootFs, path: string, node: FsNode, owner: string, excludes: readonly string[] = []): string | undefined {
  const norm = normalizePath(path);
  if (norm === ".") return ".";
  const parent = resolvePath(fs, dirnameOf(norm), true);
  const full = join2(parent, basenameOf(norm));
  if (isExcluded(full, excludes)) return undefined;
  mkdirs(fs, parent, owner);
  const existing = fs.nodes.get(full);
  if (node.kind === "dir") {
    if (existing?.kind === "dir") return full;
    if (existing?.kind === "symlink" && lookup(fs, full)?.kind === "dir") return full;
    if (existing) throw new Error(`${owner}: cannot make directory /${full}: a ${existing.kind} is there (from ${fs.owner.get(full)})`);
  } else if (existing?.kind === "dir") {
    throw new Error(`${owner}: cannot put a ${node.kind} at /${full}: it is a directory (from ${fs.owner.get(full)})`);
  } else if (existing && fs.owner.get(full) !== owner) {
    fs.warnings.push(`${owner} replaces /${full} from ${fs.owner.get(full)}`);
  }
  fs.nodes.set(full, node);
  fs.owner.set(full, owner);
  return full;
}

/** Add a regular file. */
export function addFile(fs: RootFs, path: string, data: Uint8Array | string, mode = 0o644, owner = "tsix", uid = 0, gid = 0): void {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  addNode(fs, path, { kind: "file", data: bytes, mode, uid, gid, mtime: fs.mtime }, owner);
}

/** Add a directory (mode applies when it is new or was created implicitly). */
export function addDir(fs: RootFs, path: string, mode = 0o755, owner = "tsix", uid = 0, gid = 0): void {
  const full = addNode(fs, path, { kind: "dir", mode, uid, gid, mtime: fs.mtime }, owner);
  const n = full === undefined ? undefined : fs.nodes.get(full);
  if (n?.kind === "dir") Object.assign(n, { mode, uid, gid });
}

export function addSymlink(fs: RootFs, path: string, target: string, owner = "tsix"): void {
  addNode(fs, path, { kind: "symlink", target, mode: 0o777, uid: 0, gid: 0, mtime: fs.mtime }, owner);
}

/** One member of a tar stream. */
export interface TarItem {
  path: string;
  type: "file" | "dir" | "symlink" | "hardlink" | "chr" | "blk" | "fifo" | "other";
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  data: Uint8Array;
  linkpath: string;
  devmajor: number;
  devminor: number;
}

function tarType(t: ReadEntry["type"]): TarItem["type"] {
  switch (t) {
    case "File": case "OldFile": case "ContiguousFile": return "file";
    case "Directory": return "dir";
    case "SymbolicLink": return "symlink";
    case "Link": return "hardlink";
    case "CharacterDevice": return "chr";
    case "BlockDevice": return "blk";
    case "FIFO": return "fifo";
    default: return "other";
  }
}

/** Parse an uncompressed tar stream (ustar, pax and GNU extensions) into its members. */
export function readTar(bytes: Uint8Array): Promise<TarItem[]> {
  return new Promise((resolve, reject) => {
    const items: TarItem[] = [];
    const parser = new Parser({ strict: true });
    parser.on("entry", (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => {
        items.push({
          path: entry.path,
          type: tarType(entry.type),
          mode: (entry.mode ?? 0o644) & 0o7777,
          uid: entry.uid ?? 0,
          gid: entry.gid ?? 0,
          mtime: entry.mtime ? Math.floor(entry.mtime.getTime() / 1000) : 0,
          data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          linkpath: entry.linkpath ?? "",
          devmajor: entry.header.devmaj ?? 0,
          devminor: entry.header.devmin ?? 0,
        });
      });
    });
    parser.on("error", (e: Error) => reject(new Error(`tar: ${e.message}`)));
    parser.on("end", () => resolve(items));
    parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

export interface UnpackStats {
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  skipped: number;
  /** Bytes of regular file data added. */
  bytes: number;
}

/** Unpack tar members (a package's data.tar) into the tree. */
export function unpackTarItems(fs: RootFs, items: readonly TarItem[], owner: string, excludes: readonly string[] = DEFAULT_EXCLUDES): UnpackStats {
  const stats: UnpackStats = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, skipped: 0, bytes: 0 };
  for (const it of items) if (it.mtime > fs.mtime) fs.mtime = it.mtime;
  for (const it of items) {
    const meta = { mode: it.mode, uid: it.uid, gid: it.gid, mtime: it.mtime };
    let node: FsNode;
    switch (it.type) {
      case "dir":
        node = { kind: "dir", ...meta };
        break;
      case "file":
        node = { kind: "file", data: it.data, ...meta };
        break;
      case "symlink":
        node = { kind: "symlink", target: it.linkpath, ...meta, mode: 0o777 };
        break;
      case "chr":
      case "blk":
        node = { kind: it.type, major: it.devmajor, minor: it.devminor, ...meta };
        break;
      case "fifo":
        node = { kind: "fifo", ...meta };
        break;
      case "hardlink": {
        const target = fs.nodes.get(resolvePath(fs, normalizePath(it.linkpath), false));
        if (target?.kind !== "file") {
          if (!isExcluded(resolvePath(fs, normalizePath(it.path), false), excludes)) {
            fs.warnings.push(`${owner}: hard link /${normalizePath(it.path)} to /${normalizePath(it.linkpath)}, which is not in the image`);
          }
          stats.skipped++;
          continue;
        }
        node = target;
        break;
      }
      default:
        fs.warnings.push(`${owner}: skipped /${normalizePath(it.path)} of an unsupported tar type`);
        stats.skipped++;
        continue;
    }
    const placed = addNode(fs, it.path, node, owner, excludes);
    if (placed === undefined) {
      stats.skipped++;
      continue;
    }
    if (it.type === "dir") {
      if (placed !== ".") stats.dirs++;
    } else if (it.type === "hardlink") stats.hardlinks++;
    else if (it.type === "symlink") stats.symlinks++;
    else if (it.type === "file") {
      stats.files++;
      stats.bytes += it.data.length;
    } else stats.files++;
  }
  return stats;
}

/** A .deb's data and maintainer scripts. */
export interface DebContents {
  data: TarItem[];
  /** The postinst script, if the package has one. */
  postinst: string | undefined;
}

/** Read a .deb with dpkg-deb (--fsys-tarfile and --ctrl-tarfile). */
export async function readDeb(debPath: string): Promise<DebContents> {
  const data = await runChecked("dpkg-deb", ["--fsys-tarfile", debPath]);
  const ctrl = await runChecked("dpkg-deb", ["--ctrl-tarfile", debPath]);
  const control = await readTar(ctrl.stdout);
  const post = control.find((i) => normalizePath(i.path) === "postinst" && i.type === "file");
  return {
    data: await readTar(data.stdout),
    postinst: post ? new TextDecoder().decode(post.data) : undefined,
  };
}

/** One `update-alternatives --install` (with its --slave links). */
export interface Alternative {
  link: string;
  name: string;
  path: string;
  priority: number;
  slaves: { link: string; name: string; path: string }[];
}

/** Find the `update-alternatives --install` calls of a maintainer script. */
export function parseAlternatives(script: string): Alternative[] {
  const out: Alternative[] = [];
  const joined = script.replace(/\\\r?\n/g, " ");
  for (const line of joined.split(/\n|;|&&|\|\|/)) {
    const words = line.trim().split(/\s+/);
    const at = words.indexOf("update-alternatives");
    if (at < 0) continue;
    let alt: Alternative | undefined;
    for (let i = at + 1; i < words.length; i++) {
      if (words[i] === "--install" && i + 4 < words.length) {
        const priority = Number(words[i + 4]);
        if (!Number.isFinite(priority)) break;
        alt = { link: words[i + 1]!, name: words[i + 2]!, path: words[i + 3]!, priority, slaves: [] };
        out.push(alt);
        i += 4;
      } else if (words[i] === "--slave" && alt && i + 3 < words.length) {
        alt.slaves.push({ link: words[i + 1]!, name: words[i + 2]!, path: words[i + 3]! });
        i += 3;
      }
    }
  }
  return out;
}

/** What dpkg's postinst would have done with update-alternatives: link → /etc/alternatives/name → path (best priority wins). */
export function applyAlternatives(fs: RootFs, alternatives: readonly Alternative[]): string[] {
  const best = new Map<string, Alternative>();
  for (const a of alternatives) {
    const cur = best.get(a.name);
    if (!cur || a.priority > cur.priority) best.set(a.name, a);
  }
  const made: string[] = [];
  const link = (l: { link: string; name: string; path: string }): void => {
    if (!lookup(fs, l.path)) return; // e.g. a man page left out of the image
    if (fs.nodes.has(resolvePath(fs, l.link, false))) return;
    addSymlink(fs, `etc/alternatives/${l.name}`, l.path, "update-alternatives");
    addSymlink(fs, l.link, `/etc/alternatives/${l.name}`, "update-alternatives");
    made.push(l.link);
  };
  for (const a of best.values()) {
    link(a);
    for (const s of a.slaves) link(s);
  }
  return made;
}

/** Applet names stored in a busybox binary (its `applet_names` table), for when the binary cannot be run. */
export function scanBusyboxApplets(binary: Uint8Array): string[] {
  const buf = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength);
  const at = buf.indexOf(Buffer.from("[\0[[\0", "latin1"));
  if (at < 0) return [];
  const names: string[] = [];
  let i = at;
  while (i < buf.length) {
    const end = buf.indexOf(0, i);
    if (end <= i) break;
    const name = buf.toString("latin1", i, end);
    if (!/^[a-z0-9_.[\]-]+$/.test(name)) break;
    names.push(name);
    i = end + 1;
  }
  return names;
}

/**
 * The applets of a riscv64 busybox with the directories it wants them in
 * ("usr/bin/awk", "sbin/init"), from `busybox --list-full` run under
 * qemu-riscv64; when qemu is missing or fails, the names scanned from the
 * binary, all in usr/bin.
 */
export async function busyboxApplets(binary: Uint8Array): Promise<{ applets: string[]; source: "qemu" | "scan" }> {
  if (haveTool("qemu-riscv64")) {
    const dir = mkdtempSync(join(tmpdir(), "tsix-busybox-"));
    try {
      const file = join(dir, "busybox");
      writeFileSync(file, binary);
      chmodSync(file, 0o755);
      const r = await run("qemu-riscv64", [file, "--list-full"]);
      const list = r.stdout.toString("utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "");
      if (r.code === 0 && list.length > 0) return { applets: list, source: "qemu" };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { applets: scanBusyboxApplets(binary).map((n) => `usr/bin/${n}`), source: "scan" };
}

/**
 * Symlinks to busybox for every applet whose path no package provides, in the
 * directory busybox names (merged /usr puts bin/x in usr/bin/x). /bin/sh is
 * always made. Returns how many links were added.
 */
export function addBusyboxLinks(fs: RootFs, applets: readonly string[], busyboxPath = "usr/bin/busybox"): number {
  let added = 0;
  const wanted = applets.includes("bin/sh") || applets.includes("usr/bin/sh") ? applets : [...applets, "bin/sh"];
  for (const applet of wanted) {
    const norm = normalizePath(applet);
    const name = basenameOf(norm);
    if (name === "busybox" || norm === "linuxrc" || norm === ".") continue;
    const dir = resolvePath(fs, dirnameOf(norm), true);
    const full = join2(dir, name);
    if (fs.nodes.has(full)) continue;
    addSymlink(fs, full, posix.relative(dir === "." ? "/" : `/${dir}`, `/${busyboxPath}`), "busybox applets");
    added++;
  }
  return added;
}

/** Users and groups of the image. */
export const PASSWD = [
  "root:x:0:0:root:/root:/bin/sh",
  "user:x:1000:1000:user:/home/user:/bin/sh",
  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
];
export const GROUP = [
  "root:x:0:", "tty:x:5:", "disk:x:6:", "wheel:x:10:root", "users:x:100:user", "user:x:1000:", "nogroup:x:65534:",
];

export interface BaseFilesOptions {
  hostname?: string;
  /** Written into /etc/tsix-release. */
  suite: string;
  arch: string;
  /** Packages of the image, for /etc/tsix-release and /usr/lib/tsix/packages. */
  packages: readonly { name: string; version: string; arch: string }[];
  /** Extra PATH entries (tsix's program directory). */
  extraPath?: readonly string[];
}

/** The /etc files, top-level directories and device nodes every image has. */
export function addBaseFiles(fs: RootFs, o: BaseFilesOptions): void {
  const hostname = o.hostname ?? "tsix";
  for (const d of ["proc", "dev", "sys", "run", "mnt", "etc", "var", "var/log", "home", "usr/local/bin", "usr/local/sbin"]) addDir(fs, d, 0o755);
  addDir(fs, "tmp", 0o1777);
  addDir(fs, "var/tmp", 0o1777);
  addDir(fs, "root", 0o700);
  addDir(fs, "home/user", 0o755, "tsix", 1000, 1000);
  // The kernel's devfs covers /dev; these let init open a console before it is mounted.
  addNode(fs, "dev/console", { kind: "chr", major: 5, minor: 1, mode: 0o600, uid: 0, gid: 0, mtime: fs.mtime }, "tsix");
  addNode(fs, "dev/null", { kind: "chr", major: 1, minor: 3, mode: 0o666, uid: 0, gid: 0, mtime: fs.mtime }, "tsix");

  const lines = (xs: readonly string[]): string => `${xs.join("\n")}\n`;
  addFile(fs, "etc/passwd", lines(PASSWD));
  addFile(fs, "etc/group", lines(GROUP));
  // No passwords: root and user log in without one (an emulator, not a server).
  addFile(fs, "etc/shadow", lines(["root::19000:0:99999:7:::", "user::19000:0:99999:7:::", "nobody:*:19000:0:99999:7:::"]), 0o640);
  addFile(fs, "etc/hostname", `${hostname}\n`);
  addFile(fs, "etc/hosts", lines([
    "127.0.0.1\tlocalhost",
    `127.0.1.1\t${hostname}`,
    "::1\t\tlocalhost ip6-localhost ip6-loopback",
  ]));
  const path = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", ...(o.extraPath ?? [])];
  addFile(fs, "etc/profile", lines([
    "# /etc/profile: tsix's login shell set-up.",
    `export PATH="${path.join(":")}"`,
    `if [ "$(id -u)" -eq 0 ]; then PS1='\\u@\\h:\\w# '; else PS1='\\u@\\h:\\w$ '; fi`,
    "export PS1",
    "umask 022",
  ]));
  // The resolver's configuration is the kernel's: /proc/net/pnp (as Linux's IP autoconfiguration makes it, and
  // nfsroot.rst's `ln -s /proc/net/pnp /etc/resolv.conf`) names 10.0.2.3 under --net user and is absent without it.
  addNode(fs, "etc/resolv.conf", { kind: "symlink", target: "../proc/net/pnp", mode: 0o777, uid: 0, gid: 0, mtime: fs.mtime }, "tsix");
  addFile(fs, "etc/shells", lines(["/bin/sh", "/usr/bin/sh", "/bin/ash", "/usr/bin/ash"]));
  addFile(fs, "etc/nsswitch.conf", lines([
    "passwd:         files",
    "group:          files",
    "shadow:         files",
    "hosts:          files dns",
    "networks:       files",
    "protocols:      files",
    "services:       files",
    "ethers:         files",
    "rpc:            files",
  ]));
  addFile(fs, "etc/tsix-release", lines([
    'NAME="tsix"',
    "ID=tsix",
    "ID_LIKE=debian",
    `PRETTY_NAME="tsix (Debian ${o.suite} ${o.arch} userland)"`,
    `DEBIAN_SUITE=${o.suite}`,
    `ARCHITECTURE=${o.arch}`,
    `PACKAGES="${o.packages.map((p) => p.name).join(" ")}"`,
  ]));
  addFile(fs, "usr/lib/tsix/packages", lines(o.packages.map((p) => `${p.name}\t${p.version}\t${p.arch}`)));
}

/** Finish the tree: drop the lib64 link when nothing uses it; date undated nodes like the packages. */
export function finalizeRootFs(fs: RootFs): void {
  if (fs.nodes.get("lib64")?.kind === "symlink" && !fs.nodes.has("usr/lib64")) {
    fs.nodes.delete("lib64");
    fs.owner.delete("lib64");
  }
  for (const n of fs.nodes.values()) if (n.mtime === 0) n.mtime = fs.mtime;
}

const TYPE_BITS: Record<FsNode["kind"], number> = {
  dir: S_IFDIR, file: S_IFREG, symlink: S_IFLNK, chr: S_IFCHR, blk: S_IFBLK, fifo: S_IFIFO,
};

/** The tree as cpio entries: sorted so that every directory comes before its contents; hard links share an inode number. */
export function toCpioEntries(fs: RootFs): CpioEntry[] {
  const paths = [...fs.nodes.keys()].sort((a, b) => (a === "." ? -1 : b === "." ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const inode = new Map<FsNode, number>();
  const out: CpioEntry[] = [];
  for (const path of paths) {
    const n = fs.nodes.get(path)!;
    let ino = inode.get(n);
    if (ino === undefined) {
      ino = inode.size + 1;
      inode.set(n, ino);
    }
    const e: CpioEntry = { path, mode: TYPE_BITS[n.kind] | (n.mode & 0o7777), uid: n.uid, gid: n.gid, mtime: n.mtime, ino };
    if (n.kind === "file") e.data = n.data;
    else if (n.kind === "symlink") e.target = n.target;
    else if (n.kind === "chr" || n.kind === "blk") {
      e.rdevMajor = n.major;
      e.rdevMinor = n.minor;
    }
    out.push(e);
  }
  return out;
}
