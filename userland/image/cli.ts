// `tsix image build [--packages a,b] [--out FILE] [--refresh] [--force]`: build a
// root file system image (initramfs, cpio newc) from Debian riscv64 packages and
// tsix's programs, printing progress to stderr and the image path to stdout.
// Concepts: C90 (deb packages: the image build log), C10 (the initramfs the kernel boots).
import { buildImage, DEFAULT_PACKAGES, type BuildEvent } from "./build.js";
import { homeProblem, UnknownPackageError } from "./apt.js";
import { existsSync, statSync } from "node:fs";

const USAGE = `usage: tsix image build [--packages a,b,...] [--out FILE] [--refresh] [--force]

Builds a root file system image (an uncompressed cpio newc initramfs) from
Debian ${"trixie"} riscv64 packages and their dependencies, with tsix's /etc files,
busybox applet links and tsix's own programs (in /usr/lib/tsix/bin).

  --packages a,b   packages to install (default: ${DEFAULT_PACKAGES.join(",")})
  --out FILE       where to write the image (default: $TSIX_HOME/images/default.cpio)
  --refresh        run apt-get update even when package lists are cached
  --force          rebuild even when an identical image exists

Downloads and package lists are cached under $TSIX_HOME (default ~/.cache/tsix),
so a second build works offline.`;

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

interface CliArgs {
  packages?: string[];
  out?: string;
  refresh: boolean;
  force: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { refresh: false, force: false, help: false };
  const rest = argv[0] === "build" ? argv.slice(1) : argv;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--refresh") args.refresh = true;
    else if (a === "--force") args.force = true;
    else if (a === "--packages" || a.startsWith("--packages=")) {
      args.packages = value().split(",").map((p) => p.trim()).filter((p) => p !== "");
      if (args.packages.length === 0) throw new Error(`${a.split("=")[0]} needs at least one package name`);
    } else if (a === "--out" || a.startsWith("--out=")) args.out = value();
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** One progress line for a build event (also shown by `tsix run` when it has to build the image). */
export function formatBuildEvent(ev: BuildEvent): string | undefined {
  switch (ev.type) {
    case "apt-update":
      return `apt: updating package lists for Debian ${ev.suite} ${ev.arch} from ${ev.mirror}`;
    case "resolved":
      return `apt: ${ev.packages.length} packages: ${ev.packages.map((p) => p.name).join(" ")}`;
    case "download":
      return `  ${ev.name.padEnd(24)} ${ev.version.padEnd(28)} ${size(ev.bytes).padStart(10)}  ${ev.cached ? "cached" : "downloaded"}`;
    case "unpack":
      return `unpack: ${ev.name.padEnd(24)} ${String(ev.files).padStart(5)} files ${size(ev.bytes).padStart(10)}`;
    case "applets":
      return `busybox: ${ev.count} applet links (list from ${ev.source === "qemu" ? "busybox --list-full under qemu-riscv64" : "the binary's applet table"})`;
    case "program":
      return `program: ${ev.imagePath} ${size(ev.bytes)}${ev.cached ? " (cached)" : " (compiled)"}`;
    case "warning":
      return `warning: ${ev.message}`;
    case "cached":
      return `image: ${ev.path} is up to date (${size(ev.bytes)}, ${ev.files} entries)`;
    case "cpio":
      return `image: wrote ${ev.path} (${size(ev.bytes)}, ${ev.files} entries)`;
  }
  return undefined;
}

/** Entry point for `tsix image build ...` (argv: the words after `image`, or after `image build`). Returns the exit code. */
export async function imageBuildMain(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`tsix image build: ${(e as Error).message} (see tsix image build --help)\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Problems with where things go are usage errors, found before any work.
  const home = homeProblem();
  if (home) {
    process.stderr.write(`tsix image build: the cache directory ${home} (set TSIX_HOME to a writable directory, or unset it for ~/.cache/tsix)\n`);
    return 2;
  }
  if (args.out !== undefined && existsSync(args.out) && !statSync(args.out).isFile()) {
    process.stderr.write(`tsix image build: --out ${args.out} is not a regular file (give the image's file name, e.g. ${args.out.replace(/\/+$/, "")}/image.cpio)\n`);
    return 2;
  }
  const started = Date.now();
  let downloadBytes = 0;
  let cachedBytes = 0;
  let packageCount = 0;
  const say = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };
  const onProgress = (ev: BuildEvent): void => {
    if (ev.type === "download") {
      packageCount++;
      if (ev.cached) cachedBytes += ev.bytes;
      else downloadBytes += ev.bytes;
    }
    const line = formatBuildEvent(ev);
    if (line !== undefined) say(line);
  };
  try {
    const r = await buildImage({ packages: args.packages, out: args.out, refresh: args.refresh, force: args.force, onProgress });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    say(
      `total: ${packageCount} packages (${size(downloadBytes)} downloaded, ${size(cachedBytes)} from the cache), ` +
        `image ${size(r.bytes)} with ${r.files} entries${r.cached ? " (reused)" : ""}, ${secs} s`,
    );
    process.stdout.write(`${r.path}\n`);
    return 0;
  } catch (e) {
    say(`tsix image build: ${(e as Error).message}`);
    // A package that does not exist is a usage error (2); a build that failed (apt, the network, the compiler) is 1.
    return e instanceof UnknownPackageError ? 2 : 1;
  }
}
