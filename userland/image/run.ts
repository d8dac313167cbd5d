// Running host tools for the image builder (apt-get, dpkg-deb, the riscv64 cross
// compiler, qemu-riscv64): a promise around child_process.spawn that collects
// stdout as bytes and stderr as text, and a check for whether a tool exists.
// Concepts: C90 (deb packages: the builder drives the host's Debian tools).
import { spawn, spawnSync } from "node:child_process";

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bytes written to the tool's standard input (none: stdin is empty). */
  input?: Uint8Array;
  /** Called with each complete line the tool writes to stdout (progress). */
  onLine?: (line: string) => void;
}

/** Run `cmd args` to completion. Rejects only when the program cannot be started. */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      // stdin is a pipe closed at once (or fed `input`) rather than "ignore",
      // which opens /dev/null and fails where that is not accessible.
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out.push(chunk);
      if (options.onLine) {
        pending += chunk.toString("utf8");
        let nl: number;
        while ((nl = pending.indexOf("\n")) >= 0) {
          options.onLine(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
        }
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on("close", (code, signal) => {
      if (options.onLine && pending !== "") options.onLine(pending);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") });
    });
    if (child.stdin) {
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** Run and require exit code 0; the error names the command and quotes the end of its stderr. */
export async function runChecked(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, options);
  if (r.code !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-12).join("\n");
    const how = r.code === null ? `was killed by ${r.signal}` : `exited with ${r.code}`;
    throw new Error(`${cmd} ${args.join(" ")} ${how}${tail ? `:\n${tail}` : ""}`);
  }
  return r;
}

/** Whether `cmd` is found on PATH. */
export function haveTool(cmd: string): boolean {
  const r = spawnSync("sh", ["-c", `command -v "$1" >/dev/null 2>&1`, "sh", cmd], { stdio: "ignore" });
  return r.status === 0;
}
