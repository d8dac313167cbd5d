// Building a tsix root file system image: Debian riscv64 packages (with their
// dependency closure) + single programs picked from other packages (the
// default image's nice and chrt: DEFAULT_PICKS) + tsix's /etc files +
// busybox applet links + tsix's own programs, written as an initramfs.
// Concepts: C90 (deb packages make the root file system), C10 (boot: the kernel
// unpacks this initramfs), C05 (unmodified Debian programs).
//
// Output format: a plain (uncompressed) cpio "newc" archive, the format Linux
// uses for initramfs images; kernel/fs/cpio.ts reads it. Default path:
// $TSIX_HOME/images/default.cpio (custom package lists without --out go to
// images/custom-<hash>.cpio). Next to it, FILE.json records the cache key: a hash
// of the resolved package versions, the programs' sources and the builder's own
// code, and the SHA-256 of the image. A build whose key matches is not redone
// (cached: true), but the cached image is read and checked against its SHA-256
// every time (a same-size corruption would otherwise boot a guest with a
// different libc): on a mismatch it is rebuilt. The check costs one hash of the
// ~18 MB image per boot (tens of ms of CPU, run on libuv's pool while apt
// resolves the packages, so it mostly overlaps); the bytes that were checked
// are the ones returned (BuildResult.image): nothing changes between check and use.
// Package lists, .debs and compiled programs are cached too, so a second build
// needs no network.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCpio } from "../../kernel/fs/cpio.js";
import { DEFAULT_ARCH, DEFAULT_SUITE, fetchPackages, tsixHome, verifyPackages, type AptEvent, type FetchedPackage } from "./apt.js";
import { buildPrograms, defaultSourceDir, listPrograms, PROGRAM_DIR } from "./programs.js";
import {
  addBaseFiles, addBusyboxLinks, addFile, applyAlternatives, busyboxApplets, createRootFs, DEFAULT_EXCLUDES,
  finalizeRootFs, lookup, normalizePath, parseAlternatives, readDeb, toCpioEntries, unpackTarItems, type Alternative,
} from "./rootfs.js";

/** The default image: a shell with its applets, Lua and SQLite. */
export const DEFAULT_PACKAGES: readonly string[] = ["busybox-static", "lua5.4", "sqlite3"];
/**
 * Programs the default image takes from Debian packages it does not install
 * whole. Debian's busybox has renice and taskset but no nice or chrt: they
 * come from coreutils and util-linux, just these files (the whole packages
 * would replace busybox's applets and add a dozen libraries). util-linux
 * also gives ipcs, ipcrm and ipcmk (System V IPC at the shell; busybox's
 * are not in Debian's build). All need only libc, which the default image has (lua5.4 and sqlite3 need it too);
 * the build checks that. procps's free, vmstat and pmap also need libproc2 and what it links
 * (libsystemd, libcap): picked the same way, library files only.
 */
export const DEFAULT_PICKS: readonly { package: string; files: readonly string[] }[] = [
  { package: "coreutils", files: ["usr/bin/nice"] },
  { package: "util-linux", files: ["usr/bin/chrt", "usr/bin/ipcs", "usr/bin/ipcrm", "usr/bin/ipcmk"] },
  // util-linux's script (Debian ships it in bsdutils): runs a command on a pty and logs it (devpts, tty/pty.ts).
  { package: "bsdutils", files: ["usr/bin/script"] },
  // strace (1.4 MiB, needs only libc): traces programs through ptrace (kernel/proc/ptrace.ts).
  { package: "strace", files: ["usr/bin/strace"] },
  // procps's free (instead of busybox's, which asks sysinfo(2)), vmstat (busybox has none) and pmap read
  // /proc/meminfo, /proc/vmstat and /proc/PID/smaps: the memory views of issue 9. They need libproc2,
  // which needs libsystemd, which needs libcap: just those libraries (and their soname links).
  { package: "procps", files: ["usr/bin/free", "usr/bin/vmstat", "usr/bin/pmap"] },
  { package: "libproc2-0", files: ["usr/lib/riscv64-linux-gnu/libproc2.so.0", "usr/lib/riscv64-linux-gnu/libproc2.so.0.0.2"] },
  { package: "libsystemd0", files: ["usr/lib/riscv64-linux-gnu/libsystemd.so.0", "usr/lib/riscv64-linux-gnu/libsystemd.so.0.40.0"] },
  { package: "libcap2", files: ["usr/lib/riscv64-linux-gnu/libcap.so.2", "usr/lib/riscv64-linux-gnu/libcap.so.2.75"] },
];
/** What the picked programs need in the image (their DT_NEEDED, resolved in Debian's multiarch directory). */
const PICKS_NEED = ["usr/lib/riscv64-linux-gnu/libc.so.6", "usr/lib/ld-linux-riscv64-lp64d.so.1"];

/** Bump when the image layout changes in a way the code hash would not show. */
const IMAGE_FORMAT = 1;

export type BuildEvent =
  | AptEvent
  | { type: "cached"; path: string; bytes: number; files: number }
  | { type: "program"; name: string; imagePath: string; bytes: number; cached: boolean }
  | { type: "unpack"; name: string; files: number; bytes: number }
  | { type: "applets"; count: number; source: "qemu" | "scan" }
  | { type: "cpio"; path: string; bytes: number; files: number }
  | { type: "warning"; message: string };

export interface BuildOptions {
  packages?: string[];
  out?: string;
  /** Run apt-get update even when package lists exist. */
  refresh?: boolean;
  onProgress?: (ev: BuildEvent) => void;
  /** Default: $TSIX_HOME or ~/.cache/tsix. */
  home?: string;
  /** Default: this checkout's userland/src. */
  programsDir?: string;
  /** Rebuild the image even when its cache key matches. */
  force?: boolean;
}

export interface BuildResult {
  path: string;
  bytes: number;
  /** Members of the archive (files, directories, links, device nodes). */
  files: number;
  /** True when an existing image with the same key was reused. */
  cached: boolean;
  /** Whether apt-get update ran. */
  aptUpdated: boolean;
  /** How many .debs were downloaded. */
  downloaded: number;
  key: string;
  packages: { name: string; version: string; arch: string; bytes: number }[];
  programs: string[];
  warnings: string[];
  /** The image's bytes, as checked against the recorded SHA-256 (or as just written). */
  image: Uint8Array;
}

interface Manifest {
  key: string;
  bytes: number;
  /** SHA-256 (hex) of the image file. */
  sha256?: string;
  files: number;
  packages: BuildResult["packages"];
  programs: string[];
  warnings: string[];
}

/** Hash of the builder's own compiled code (so a changed builder rebuilds images). */
function builderHash(): string {
  const h = createHash("sha256");
  const here = dirname(fileURLToPath(import.meta.url));
  for (const f of readdirSync(here).sort()) {
    if (/^(apt|build|programs|rootfs)\.(js|ts)$/.test(f)) h.update(f).update(readFileSync(join(here, f)));
  }
  const cpio = resolve(here, "../../kernel/fs/cpio.js");
  if (existsSync(cpio)) h.update(readFileSync(cpio));
  return h.digest("hex");
}

function imageKey(packages: readonly FetchedPackage[], programHashes: readonly string[], excludes: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify({
      format: IMAGE_FORMAT,
      suite: DEFAULT_SUITE,
      arch: DEFAULT_ARCH,
      packages: packages.map((p) => `${p.name}=${p.version}/${p.arch}`).sort(),
      programs: programHashes,
      excludes,
      builder: builderHash(),
    }))
    .digest("hex");
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * A cached image's bytes and their SHA-256, or undefined when there is no
 * such file. One synchronous read (one open file: a concurrent rebuild that
 * renames a new image into place cannot mix two files) and one hash: about
 * 20 ms for the default image, less than overlapping chunked asynchronous
 * reads with the package resolution, which is itself cached and quick.
 */
function readAndHash(path: string): { bytes: Uint8Array; sha256: string } | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  return { bytes, sha256: sha256(bytes) };
}

/** Write `data` to `path` through a temporary name of this process, so that readers see the old or the new file. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** Build (or reuse) an image. See the top of this file for what it contains and where it goes. */
export async function buildImage(opts: BuildOptions = {}): Promise<BuildResult> {
  const home = opts.home ?? tsixHome();
  const emit = opts.onProgress ?? ((): void => undefined);
  const packages = opts.packages && opts.packages.length > 0 ? [...opts.packages] : [...DEFAULT_PACKAGES];
  const isDefault = packages.join(",") === DEFAULT_PACKAGES.join(",");
  const out = resolve(
    opts.out ??
      join(home, "images", isDefault ? "default.cpio" : `custom-${createHash("sha256").update([...packages].sort().join(",")).digest("hex").slice(0, 12)}.cpio`),
  );
  const excludes = DEFAULT_EXCLUDES;

  const fetchOptions = { packages, refresh: opts.refresh, home, onEvent: emit };
  let fetched = await fetchPackages(fetchOptions);
  // The packages single programs are picked from: only these .debs are fetched, not their dependencies.
  const picks = isDefault ? DEFAULT_PICKS : [];
  const pickOptions = { ...fetchOptions, packages: picks.map((p) => p.package), only: picks.map((p) => p.package) };
  let pickFetched = picks.length > 0 ? await fetchPackages(pickOptions) : undefined;
  const pickedPackages = (): FetchedPackage[] => pickFetched?.packages ?? [];
  const sources = listPrograms(opts.programsDir ?? defaultSourceDir());
  const key = imageKey([...fetched.packages, ...pickedPackages()],
    [...sources.map((s) => `${s.name}:${s.hash}`), ...picks.map((p) => `pick:${p.package}:${p.files.join(",")}`)], excludes);
  const manifestPath = `${out}.json`;
  // The packages the image has files of: the installed ones and those single programs were picked from.
  const pkgSummary = [...fetched.packages, ...pickedPackages()].map((p) => ({ name: p.name, version: p.version, arch: p.arch, bytes: p.bytes }));

  const previous = readManifest(manifestPath);
  if (!opts.force && previous?.key === key) {
    const cached = readAndHash(out);
    const image = cached && previous.sha256 !== undefined && cached.bytes.length === previous.bytes && cached.sha256 === previous.sha256
      ? cached.bytes : undefined;
    if (image) {
      emit({ type: "cached", path: out, bytes: previous.bytes, files: previous.files });
      return {
        path: out, bytes: previous.bytes, files: previous.files, cached: true, aptUpdated: fetched.updated || (pickFetched?.updated ?? false),
        downloaded: fetched.downloaded + (pickFetched?.downloaded ?? 0), key, packages: pkgSummary, programs: previous.programs, warnings: previous.warnings, image,
      };
    }
    if (previous.sha256 !== undefined && existsSync(out)) {
      emit({ type: "warning", message: `${out} does not match the SHA-256 recorded when it was built (it was changed or corrupted): rebuilding it` });
    }
  }

  // The .debs are read only now: check them against the package lists before trusting them.
  const verified = await verifyPackages({ ...fetchOptions, refresh: false }, fetched);
  for (const f of verified.corrupt) emit({ type: "warning", message: `${f} did not match the package lists' SHA-256 (corrupted): downloaded it again` });
  fetched = verified.fetched;
  if (pickFetched) {
    const v = await verifyPackages({ ...pickOptions, refresh: false }, pickFetched);
    for (const f of v.corrupt) emit({ type: "warning", message: `${f} did not match the package lists' SHA-256 (corrupted): downloaded it again` });
    pickFetched = v.fetched;
  }

  const programs = await buildPrograms(join(home, "build", "programs"), opts.programsDir ?? defaultSourceDir());

  const fs = createRootFs();
  const alternatives: Alternative[] = [];
  for (const p of fetched.packages) {
    const deb = await readDeb(p.file);
    const stats = unpackTarItems(fs, deb.data, p.name, excludes);
    if (deb.postinst) alternatives.push(...parseAlternatives(deb.postinst));
    emit({ type: "unpack", name: p.name, files: stats.files + stats.symlinks + stats.hardlinks, bytes: stats.bytes });
  }
  applyAlternatives(fs, alternatives);
  for (const pick of picks) {
    const p = pickedPackages().find((x) => x.name === pick.package);
    if (!p) throw new Error(`apt did not resolve ${pick.package}, which the default image takes ${pick.files.join(", ")} from`);
    const deb = await readDeb(p.file);
    const want = new Set(pick.files);
    const items = deb.data.filter((item) => want.has(normalizePath(item.path)));
    for (const f of pick.files) {
      if (!items.some((item) => normalizePath(item.path) === f)) throw new Error(`${p.name} ${p.version} has no ${f}`);
    }
    const stats = unpackTarItems(fs, items, p.name, excludes);
    emit({ type: "unpack", name: `${p.name} (${pick.files.join(", ")})`, files: stats.files + stats.symlinks + stats.hardlinks, bytes: stats.bytes });
  }
  if (picks.length > 0) {
    for (const lib of PICKS_NEED) if (!lookup(fs, lib)) fs.warnings.push(`${lib} is missing: ${picks.flatMap((p) => p.files).join(", ")} cannot run`);
  }

  const busybox = lookup(fs, "usr/bin/busybox");
  if (busybox?.kind === "file") {
    const { applets, source } = await busyboxApplets(busybox.data);
    const count = addBusyboxLinks(fs, applets);
    emit({ type: "applets", count, source });
  } else if (!lookup(fs, "bin/sh")) {
    fs.warnings.push("no busybox and no /bin/sh in the image: nothing can run shell scripts");
  }

  addBaseFiles(fs, {
    suite: fetched.apt.suite,
    arch: fetched.apt.arch,
    packages: fetched.packages,
    extraPath: [PROGRAM_DIR],
  });
  for (const prog of programs) {
    const data = readFileSync(prog.binaryPath);
    addFile(fs, prog.imagePath, data, 0o755);
    emit({ type: "program", name: prog.name, imagePath: prog.imagePath, bytes: data.length, cached: prog.cached });
  }
  finalizeRootFs(fs);
  for (const w of fs.warnings) emit({ type: "warning", message: w });

  const entries = toCpioEntries(fs);
  const bytes = writeCpio(entries);
  mkdirSync(dirname(out), { recursive: true });
  writeAtomically(out, bytes);
  const manifest: Manifest = {
    key, bytes: bytes.length, sha256: sha256(bytes), files: entries.length, packages: pkgSummary,
    programs: programs.map((p) => p.imagePath), warnings: fs.warnings,
  };
  writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  emit({ type: "cpio", path: out, bytes: bytes.length, files: entries.length });
  return {
    path: out, bytes: bytes.length, files: entries.length, cached: false, aptUpdated: fetched.updated || (pickFetched?.updated ?? false),
    downloaded: fetched.downloaded + (pickFetched?.downloaded ?? 0), key, packages: pkgSummary, programs: manifest.programs, warnings: fs.warnings, image: bytes,
  };
}
