// Fetching Debian riscv64 .deb packages by name, with their dependency closure,
// using the host's apt binaries with a private configuration.
// Concepts: C90 (deb packages: root file systems are built from Debian riscv64
// packages), C05 (unmodified Debian programs).
//
// The host runs Debian 12 (bookworm, amd64); riscv64 is an official Debian
// architecture from Debian 13 (trixie) on. So apt is pointed, for riscv64 only,
// at trixie on the Debian mirror the host already uses, with its own state,
// cache, sources and an empty dpkg status file, all under $TSIX_HOME/apt/
// (default ~/.cache/tsix/apt/). The host's apt configuration is read (to find
// the mirror and a proxy) and never changed.
//
//   $TSIX_HOME/apt/apt.conf           the configuration (APT_CONFIG points here)
//   $TSIX_HOME/apt/etc/sources.list   deb [signed-by=trixie keys] MIRROR trixie main
//   $TSIX_HOME/apt/state/lists/       the package lists (apt-get update)
//   $TSIX_HOME/apt/state/status       empty dpkg status: nothing is installed
//   $TSIX_HOME/apt/cache/archives/    downloaded .deb files
//
// Steps: `apt-get update` (only when there are no lists yet, the sources
// changed, or on refresh); resolution with `apt-get -s install
// --no-install-recommends PKGS` (offline: it reads the lists); then, only for
// .debs not in the cache, `apt-get install --download-only`. A second build
// with the same packages therefore runs no network operation at all.
//
// A cached .deb is checked against the SHA-256 the (signed) package lists give
// for it before an image is built from it (verifyPackages): apt checks a
// download, but nothing else would notice a file corrupted in the cache later.
import { accessSync, constants as fsConstants, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { run, runChecked } from "./run.js";

/** The Debian release that has riscv64 as an official architecture. */
export const DEFAULT_SUITE = "trixie";
export const DEFAULT_ARCH = "riscv64";

/** $TSIX_HOME, default ~/.cache/tsix. */
export function tsixHome(): string {
  const env = process.env["TSIX_HOME"];
  return env && env !== "" ? env : join(homedir(), ".cache", "tsix");
}

/**
 * Why `home` cannot hold tsix's cache (a one-line reason), or undefined when
 * it can; a missing directory is created.
 */
export function homeProblem(home = tsixHome()): string | undefined {
  try {
    if (existsSync(home) && !statSync(home).isDirectory()) return `${home} is not a directory`;
    mkdirSync(home, { recursive: true });
    accessSync(home, fsConstants.W_OK | fsConstants.X_OK);
    return undefined;
  } catch (e) {
    return `${home}: cannot use it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

/** One `deb` line or stanza of an apt sources file. */
export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  enabled: boolean;
}

/** Parse the one-line format (`deb [opts] URI SUITE COMPONENT...`). */
export function parseSourcesList(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const m = /^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      types: [m[1]!],
      uris: [m[2]!],
      suites: [m[3]!],
      components: m[4]!.split(/\s+/).filter((c) => c !== ""),
      enabled: true,
    });
  }
  return out;
}

/** Parse the deb822 format of *.sources files. */
export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split("\n")) {
      if (line.startsWith("#")) continue;
      if (/^[ \t]/.test(line)) {
        if (last !== undefined) fields.set(last, `${fields.get(last) ?? ""} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!.trim());
    }
    if (!fields.has("uris")) continue;
    const words = (k: string): string[] => (fields.get(k) ?? "").split(/\s+/).filter((w) => w !== "");
    out.push({
      types: words("types"),
      uris: words("uris"),
      suites: words("suites"),
      components: words("components"),
      enabled: !/^(no|false|0)$/i.test(fields.get("enabled") ?? "yes"),
    });
  }
  return out;
}

const DEBIAN_SUITE = /^(oldoldstable|oldstable|stable|testing|unstable|sid|experimental|buster|bullseye|bookworm|trixie|forky|duke)(-updates|-backports|-proposed-updates)?$/;

/**
 * The Debian mirror the host's apt uses: the first enabled `deb` source with an
 * http(s) URI and a Debian suite (not -security). $TSIX_APT_MIRROR overrides it.
 */
export function hostDebianMirror(etcApt = "/etc/apt"): string {
  const override = process.env["TSIX_APT_MIRROR"];
  if (override && override !== "") return override.replace(/\/+$/, "");
  const sources: AptSource[] = [];
  const main = join(etcApt, "sources.list");
  if (existsSync(main)) sources.push(...parseSourcesList(readFileSync(main, "utf8")));
  const partsDir = join(etcApt, "sources.list.d");
  if (existsSync(partsDir)) {
    for (const name of readdirSync(partsDir).sort()) {
      const text = (): string => readFileSync(join(partsDir, name), "utf8");
      if (name.endsWith(".list")) sources.push(...parseSourcesList(text()));
      else if (name.endsWith(".sources")) sources.push(...parseDeb822Sources(text()));
    }
  }
  const candidates = sources.filter(
    (s) => s.enabled && s.types.includes("deb") && s.suites.some((suite) => DEBIAN_SUITE.test(suite)),
  );
  candidates.sort((a, b) => Number(b.components.includes("main")) - Number(a.components.includes("main")));
  for (const s of candidates) {
    const uri = s.uris.find((u) => /^https?:\/\//.test(u));
    if (uri) return uri.replace(/\/+$/, "");
  }
  throw new Error(
    `no Debian mirror found in the host's apt sources (${main}, ${partsDir}/*.list, *.sources): ` +
      `the image builder uses the host's Debian mirror; set TSIX_APT_MIRROR to a Debian mirror URL to choose one`,
  );
}

/**
 * Keyrings that verify the trixie archive. The host's debian-archive-keyring
 * ships them as separate files when it is recent enough (bookworm's point
 * releases added the trixie keys). $TSIX_APT_KEYRING overrides the choice.
 */
export function trixieKeyrings(keyringDir = "/usr/share/keyrings", suite = DEFAULT_SUITE): string[] {
  const override = process.env["TSIX_APT_KEYRING"];
  if (override && override !== "") return override.split(",");
  const files = [`debian-archive-${suite}-automatic.gpg`, `debian-archive-${suite}-stable.gpg`]
    .map((f) => join(keyringDir, f))
    .filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new Error(
      `the host's keyrings in ${keyringDir} have no Debian ${suite} keys (debian-archive-${suite}-automatic.gpg is missing), ` +
        `so apt cannot verify the ${suite} archive. Update the host's debian-archive-keyring package ` +
        `(apt-get install debian-archive-keyring from bookworm's updates) or set TSIX_APT_KEYRING to a keyring file with the ${suite} keys.`,
    );
  }
  return files;
}

/** The private apt set-up under $TSIX_HOME/apt. */
export interface AptSetup {
  dir: string;
  configFile: string;
  mirror: string;
  suite: string;
  arch: string;
  keyrings: string[];
  /** The sources.list line in use. */
  sourceLine: string;
  archives: string;
  lists: string;
  /** Environment for apt-get: APT_CONFIG and a fixed locale for parsing. */
  env: NodeJS.ProcessEnv;
}

export interface AptSetupOptions {
  home?: string;
  suite?: string;
  arch?: string;
  mirror?: string;
}

function writeIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  writeFileSync(path, text);
}

async function hostProxies(): Promise<string[]> {
  // Reuse a proxy the host's apt is configured with (read only).
  const r = await run("apt-config", ["shell", "HTTP", "Acquire::http::Proxy", "HTTPS", "Acquire::https::Proxy"]).catch(() => undefined);
  if (!r || r.code !== 0) return [];
  const lines: string[] = [];
  for (const m of r.stdout.toString("utf8").matchAll(/^(HTTP|HTTPS)='([^']*)'$/gm)) {
    const scheme = m[1] === "HTTP" ? "http" : "https";
    if (m[2]) lines.push(`Acquire::${scheme}::Proxy "${m[2]}";`);
  }
  return lines;
}

/** Create (or refresh) the private apt configuration. Writes files only when their contents change. */
export async function setupApt(options: AptSetupOptions = {}): Promise<AptSetup> {
  const home = options.home ?? tsixHome();
  const suite = options.suite ?? DEFAULT_SUITE;
  const arch = options.arch ?? DEFAULT_ARCH;
  const mirror = options.mirror ?? hostDebianMirror();
  const keyrings = trixieKeyrings(undefined, suite);
  const dir = join(home, "apt");
  const etc = join(dir, "etc");
  const state = join(dir, "state");
  const cache = join(dir, "cache");
  for (const d of [
    join(etc, "sources.list.d"), join(etc, "preferences.d"), join(etc, "apt.conf.d"), join(etc, "trusted.gpg.d"),
    join(state, "lists", "partial"), join(cache, "archives", "partial"), join(dir, "log"),
  ]) mkdirSync(d, { recursive: true });
  const status = join(state, "status");
  if (!existsSync(status)) writeFileSync(status, "");

  const sourceLine = `deb [arch=${arch} signed-by=${keyrings.join(",")}] ${mirror} ${suite} main`;
  writeIfChanged(join(etc, "sources.list"), `# Written by tsix's image builder; the host's apt configuration is not touched.\n${sourceLine}\n`);
  const q = (s: string): string => JSON.stringify(s);
  const conf = [
    `// tsix image builder: a private apt for Debian ${suite} ${arch}.`,
    `APT::Architecture ${q(arch)};`,
    `APT::Architectures { ${q(arch)}; };`,
    `APT::Install-Recommends "false";`,
    `APT::Install-Suggests "false";`,
    `Dir::State ${q(state)};`,
    `Dir::State::status ${q(status)};`,
    `Dir::Cache ${q(cache)};`,
    `Dir::Cache::srcpkgcache "";`, // saves ~40 MB; only speeds up rebuilding pkgcache.bin
    `Dir::Etc ${q(etc)};`,
    `Dir::Etc::sourcelist ${q(join(etc, "sources.list"))};`,
    `Dir::Etc::sourceparts ${q(join(etc, "sources.list.d"))};`,
    `Dir::Etc::parts ${q(join(etc, "apt.conf.d"))};`,
    `Dir::Etc::preferencesparts ${q(join(etc, "preferences.d"))};`,
    `Dir::Etc::trustedparts ${q(join(etc, "trusted.gpg.d"))};`,
    `Dir::Log ${q(join(dir, "log"))};`,
    `Acquire::Languages "none";`,
    `Acquire::Retries "3";`,
    `Binary::apt-get::APT::Keep-Downloaded-Packages "true";`,
    ...(process.getuid?.() === 0 ? [`APT::Sandbox::User "root";`] : []),
    ...(await hostProxies()),
    "",
  ].join("\n");
  const configFile = join(dir, "apt.conf");
  writeIfChanged(configFile, conf);
  return {
    dir,
    configFile,
    mirror,
    suite,
    arch,
    keyrings,
    sourceLine,
    archives: join(cache, "archives"),
    lists: join(state, "lists"),
    env: { ...process.env, APT_CONFIG: configFile, LC_ALL: "C", LANG: "C", LANGUAGE: "" },
  };
}

/** Whether package lists for the current sources exist (a previous update succeeded). */
export function listsFresh(apt: AptSetup): boolean {
  const stamp = join(apt.dir, "lists.stamp");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== apt.sourceLine) return false;
  return existsSync(apt.lists) && readdirSync(apt.lists).some((f) => f.endsWith("_Packages") || f.includes("_Packages."));
}

/** `apt-get update` for the private sources; fails on any download or signature error. */
export async function aptUpdate(apt: AptSetup): Promise<void> {
  const r = await run("apt-get", ["update", "--error-on=any", "-q"], { env: apt.env });
  if (r.code !== 0) {
    const stderr = r.stderr;
    if (/NO_PUBKEY|EXPKEYSIG|KEYEXPIRED/.test(stderr)) {
      throw new Error(
        `apt could not verify Debian ${apt.suite}'s Release file with ${apt.keyrings.join(", ")}; ` +
          `the host's debian-archive-keyring may lack the ${apt.suite} keys (set TSIX_APT_KEYRING to a keyring that has them):\n${stderr.trim()}`,
      );
    }
    throw new Error(`apt-get update for Debian ${apt.suite} ${apt.arch} from ${apt.mirror} failed:\n${stderr.trim()}`);
  }
  writeFileSync(join(apt.dir, "lists.stamp"), apt.sourceLine);
}

/** A package in the dependency closure. */
export interface ResolvedPackage {
  name: string;
  version: string;
  arch: string;
}

/** Parse the `Inst` lines of `apt-get -s install`. */
export function parseSimulation(text: string): ResolvedPackage[] {
  const out: ResolvedPackage[] = [];
  for (const m of text.matchAll(/^Inst (\S+)(?: \[[^\]]*\])? \((\S+) .*?\[([^\]\s]+)\]\)/gm)) {
    out.push({ name: m[1]!, version: m[2]!, arch: m[3]! });
  }
  return out;
}

/**
 * What --packages accepts: a Debian package name, optionally with :ARCH and
 * =VERSION (Debian policy 5.6.1 and 5.6.12). Anything else is refused before
 * apt sees it: a word starting with "-" would be an apt-get option.
 */
const PACKAGE_SPEC = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+)?$/;

/** A requested package is misspelt or not in the archive: the user's mistake, not the build's. */
export class UnknownPackageError extends Error {
  constructor(readonly names: string[], suite: string, arch: string, message?: string) {
    super(
      message ??
        `no package${names.length > 1 ? "s" : ""} ${names.map((n) => `'${n}'`).join(", ")} in Debian ${suite} ${arch} ` +
          `(check the spelling; --refresh updates the package lists if it is new)`,
    );
  }
}

/** Throw UnknownPackageError for words that cannot be package names. */
export function checkPackageNames(packages: readonly string[], suite = DEFAULT_SUITE, arch = DEFAULT_ARCH): void {
  const bad = packages.filter((p) => !PACKAGE_SPEC.test(p));
  if (bad.length > 0) {
    throw new UnknownPackageError(bad, suite, arch,
      `${bad.map((n) => `'${n}'`).join(", ")} is not a Debian package name ` +
        `(lower-case letters, digits and + - . optionally followed by :ARCH or =VERSION)`);
  }
}

/** The packages apt's error output says it does not know (E: Unable to locate package X, and friends). */
export function unknownPackages(stderr: string): string[] {
  const names = new Set<string>();
  for (const m of stderr.matchAll(/^E: (?:Unable to locate package|Couldn't find any package by (?:glob|regex)) '?([^'\s]+)'?$/gm)) names.add(m[1]!);
  for (const m of stderr.matchAll(/^E: Package '([^']+)' has no installation candidate$/gm)) names.add(m[1]!);
  return [...names];
}

/** Resolve `packages` and their dependencies (no recommends) from the lists; no network. */
export async function resolvePackages(apt: AptSetup, packages: readonly string[]): Promise<ResolvedPackage[]> {
  checkPackageNames(packages, apt.suite, apt.arch);
  const r = await run("apt-get", ["install", "-s", "-y", "--no-install-recommends", "--", ...packages], { env: apt.env });
  if (r.code !== 0) {
    const unknown = unknownPackages(r.stderr);
    if (unknown.length > 0) throw new UnknownPackageError(unknown, apt.suite, apt.arch);
    throw new Error(`apt could not resolve ${packages.join(" ")} for Debian ${apt.suite} ${apt.arch}:\n${r.stderr.trim()}`);
  }
  const resolved = parseSimulation(r.stdout.toString("utf8"));
  if (resolved.length === 0) throw new Error(`apt resolved ${packages.join(" ")} to no packages:\n${r.stdout.toString("utf8").trim()}`);
  return resolved;
}

/** Identity of the current package lists (names, sizes and times of the files apt-get update wrote). */
function listsSignature(apt: AptSetup): string {
  if (!existsSync(apt.lists)) return "";
  const parts = readdirSync(apt.lists)
    .filter((f) => f !== "partial" && f !== "lock")
    .sort()
    .map((f) => {
      const st = statSync(join(apt.lists, f));
      return `${f}:${st.size}:${Math.floor(st.mtimeMs)}`;
    });
  return `${apt.sourceLine}\n${parts.join("\n")}`;
}

/**
 * resolvePackages, remembered per (lists, requested packages) in
 * $TSIX_HOME/apt/resolved.json: the answer only changes when the lists do, and
 * apt's resolver takes a second or two over the whole archive.
 */
export async function resolvePackagesCached(apt: AptSetup, packages: readonly string[]): Promise<ResolvedPackage[]> {
  const file = join(apt.dir, "resolved.json");
  const key = createHash("sha256").update(listsSignature(apt)).update("\0").update([...packages].sort().join(" ")).digest("hex");
  let memo: Record<string, ResolvedPackage[]> = {};
  try {
    memo = JSON.parse(readFileSync(file, "utf8")) as Record<string, ResolvedPackage[]>;
  } catch {
    memo = {};
  }
  const hit = memo[key];
  if (Array.isArray(hit) && hit.length > 0) return hit;
  const resolved = await resolvePackages(apt, packages);
  memo[key] = resolved;
  const keys = Object.keys(memo);
  for (const k of keys.slice(0, Math.max(0, keys.length - 32))) delete memo[k]; // keep it small
  writeFileSync(file, JSON.stringify(memo));
  return resolved;
}

/** apt's QuoteString: escape '%', control and non-ASCII bytes and the `bad` characters as %xx. */
function aptQuote(s: string, bad: string): string {
  let out = "";
  for (const ch of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(ch);
    out += bad.includes(c) || c === "%" || ch <= 0x20 || ch >= 0x7f ? `%${ch.toString(16).padStart(2, "0")}` : c;
  }
  return out;
}

/** The name apt gives a downloaded .deb in its archives directory. */
export function debFileName(p: ResolvedPackage): string {
  return `${aptQuote(p.name, "_:")}_${aptQuote(p.version, "_:")}_${aptQuote(p.arch, "_:.")}.deb`;
}

/** Events reported while fetching. */
export type AptEvent =
  | { type: "apt-update"; mirror: string; suite: string; arch: string }
  | { type: "resolved"; packages: ResolvedPackage[] }
  | { type: "download"; name: string; version: string; arch: string; bytes: number; cached: boolean };

export interface FetchedPackage extends ResolvedPackage {
  /** Absolute path of the .deb in the cache. */
  file: string;
  bytes: number;
  /** False when the file was already in the cache. */
  downloaded: boolean;
}

export interface FetchOptions extends AptSetupOptions {
  packages: readonly string[];
  /**
   * Fetch only the packages named here, not the dependency closure of
   * `packages` (it is resolved all the same, so the versions are the ones a
   * full install would take): a build that takes single files from them
   * (build.ts DEFAULT_PICKS) needs nothing else.
   */
  only?: readonly string[];
  /** Run apt-get update even when lists exist. */
  refresh?: boolean;
  onEvent?: (ev: AptEvent) => void;
}

export interface FetchResult {
  packages: FetchedPackage[];
  /** Whether apt-get update ran. */
  updated: boolean;
  /** How many .debs were downloaded (0: everything came from the cache). */
  downloaded: number;
  apt: AptSetup;
}

/** Hold an exclusive lock file while `fn` runs (other builds using the same $TSIX_HOME wait). */
export async function withLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 20 * 60 * 1000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let text: string;
      try {
        text = readFileSync(path, "utf8").trim();
      } catch {
        continue; // removed meanwhile
      }
      const holder = /^\d+$/.test(text) ? Number(text) : 0;
      let stale: boolean;
      if (holder > 0) {
        try {
          process.kill(holder, 0);
          stale = false;
        } catch (k) {
          stale = (k as NodeJS.ErrnoException).code === "ESRCH";
        }
      } else {
        // No pid yet: its creator is between open and write, unless it died there long ago.
        try {
          stale = Date.now() - statSync(path).mtimeMs > 10_000;
        } catch {
          continue; // removed meanwhile
        }
      }
      if (stale) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${path} (held by pid ${holder})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

/**
 * Fetch `packages` and their dependency closure as riscv64 .debs into the cache.
 * Offline when the lists exist and every .deb is cached (unless `refresh`).
 */
export async function fetchPackages(options: FetchOptions): Promise<FetchResult> {
  checkPackageNames(options.packages, options.suite, options.arch);
  const apt = await setupApt(options);
  const emit = options.onEvent ?? ((): void => undefined);
  return withLock(join(apt.dir, "tsix.lock"), async () => {
    let updated = false;
    const update = async (): Promise<void> => {
      emit({ type: "apt-update", mirror: apt.mirror, suite: apt.suite, arch: apt.arch });
      await aptUpdate(apt);
      updated = true;
    };
    if (options.refresh || !listsFresh(apt)) await update();

    let resolved: ResolvedPackage[];
    try {
      resolved = await resolvePackagesCached(apt, options.packages);
    } catch (e) {
      // A name apt does not know is most likely a typo: no network round trip for it (--refresh asks for one).
      if (updated || e instanceof UnknownPackageError) throw e;
      // The lists may predate a package: try once with fresh ones, but report the
      // resolution error if the update cannot run (offline).
      try {
        await update();
      } catch {
        throw e;
      }
      resolved = await resolvePackagesCached(apt, options.packages);
    }
    const only = options.only;
    if (only) resolved = resolved.filter((p) => only.includes(p.name));
    emit({ type: "resolved", packages: resolved });

    const fileOf = (p: ResolvedPackage): string => join(apt.archives, debFileName(p));
    const cachedBefore = new Set(resolved.filter((p) => existsSync(fileOf(p))).map((p) => p.name));
    if (cachedBefore.size < resolved.length) {
      const download = async (): Promise<unknown> => {
        if (!only) return runChecked("apt-get", ["install", "--download-only", "-y", "-q", "--no-install-recommends", "--", ...options.packages], { env: apt.env });
        // Just these .debs: `apt-get download` (checked against the signed lists like any download) into a
        // directory of its own, then each file under the name the cache gives it (with the epoch).
        const dir = join(apt.dir, "download");
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const want = resolved.filter((p) => !existsSync(fileOf(p)));
        await runChecked("apt-get", ["download", "-q", "--", ...want.map((p) => `${p.name}:${p.arch}=${p.version}`)], { env: apt.env, cwd: dir });
        for (const p of want) {
          const f = readdirSync(dir).find((x) => x.startsWith(`${p.name}_`) && x.endsWith(".deb"));
          if (!f) throw new Error(`apt-get download left no .deb of ${p.name} ${p.version}`);
          renameSync(join(dir, f), fileOf(p));
        }
        return undefined;
      };
      try {
        await download();
      } catch (e) {
        if (updated) throw e;
        // Lists older than the mirror name files that are gone (404): refresh and retry once.
        await update();
        resolved = await resolvePackagesCached(apt, options.packages);
        emit({ type: "resolved", packages: resolved });
        await download();
      }
    }
    const packages: FetchedPackage[] = resolved.map((p) => {
      const file = fileOf(p);
      if (!existsSync(file)) throw new Error(`apt-get finished but ${file} is not in the cache`);
      const bytes = statSync(file).size;
      const downloaded = !cachedBefore.has(p.name);
      emit({ type: "download", name: p.name, version: p.version, arch: p.arch, bytes, cached: !downloaded });
      return { ...p, file, bytes, downloaded };
    });
    return { packages, updated, downloaded: packages.filter((p) => p.downloaded).length, apt };
  });
}

/** The key of one package version in checksum maps. */
function pkgKey(p: ResolvedPackage): string {
  return `${p.name}:${p.arch}=${p.version}`;
}

/** Parse `apt-cache show` stanzas into package key -> SHA256. */
export function parseShowChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (f: string): string | undefined => new RegExp(`^${f}: *(\\S+)`, "m").exec(stanza)?.[1];
    const name = field("Package"), version = field("Version"), arch = field("Architecture"), sum = field("SHA256");
    if (name && version && arch && sum) out.set(pkgKey({ name, version, arch }), sum.toLowerCase());
  }
  return out;
}

/** The SHA-256 of each package's .deb according to the package lists (no network). */
export async function debChecksums(apt: AptSetup, packages: readonly ResolvedPackage[]): Promise<Map<string, string>> {
  const r = await run("apt-cache", ["show", "--no-all-versions", "--", ...packages.map(pkgKey)], { env: apt.env });
  if (r.code !== 0) throw new Error(`apt-cache show could not read the package lists: ${r.stderr.trim().split("\n")[0]}`);
  return parseShowChecksums(r.stdout.toString("utf8"));
}

function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Check every fetched .deb against the package lists' SHA-256. Corrupt ones are
 * removed and downloaded again (`corrupt` names them); if that is impossible
 * (offline) or the new file is wrong too, a one-line Error says what to do.
 */
export async function verifyPackages(options: FetchOptions, fetched: FetchResult): Promise<{ fetched: FetchResult; corrupt: string[] }> {
  const check = async (f: FetchResult): Promise<FetchedPackage[]> => {
    const sums = await debChecksums(f.apt, f.packages);
    return f.packages.filter((p) => {
      const want = sums.get(pkgKey(p));
      if (want === undefined) throw new Error(`the package lists give no SHA-256 for ${p.name} ${p.version}: run tsix image build --refresh`);
      return fileSha256(p.file) !== want;
    });
  };
  const bad = await check(fetched);
  if (bad.length === 0) return { fetched, corrupt: [] };
  const corrupt = bad.map((p) => p.file);
  for (const f of corrupt) rmSync(f, { force: true });
  const names = bad.map((p) => p.name).join(", ");
  let again: FetchResult;
  try {
    again = await fetchPackages(options);
  } catch (e) {
    throw new Error(
      `the cached .deb of ${names} did not match the SHA-256 in the package lists (corrupted) and was removed, ` +
        `but downloading it again failed (${(e as Error).message.split("\n")[0]}); check the network and run the command again`,
    );
  }
  const still = await check(again);
  if (still.length > 0) {
    throw new Error(`the .deb of ${still.map((p) => p.name).join(", ")} downloaded again still does not match the package lists' SHA-256; run tsix image build --refresh`);
  }
  return { fetched: again, corrupt };
}
