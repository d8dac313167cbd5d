// A child process on a pseudo-terminal (util-linux `script`), with
// expect-style helpers: what the interactive tests type and wait for.
import { spawn } from "node:child_process";

/** A child on a pty, with expect-style helpers. */
export function onPty(cmd: string) {
  const p = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let waiting: { re: RegExp; from: number; done: () => void; fail: (e: Error) => void } | null = null;
  const check = (): void => {
    if (waiting && waiting.re.test(out.slice(waiting.from))) { const w = waiting; waiting = null; w.done(); }
  };
  // Line ends arrive as \r\n (the guest's and the pty's output processing): keep plain \n.
  p.stdout.setEncoding("utf8").on("data", (d: string) => { out += d.replaceAll("\r", ""); check(); });
  const exited = new Promise<number | null>((res) => p.on("close", (code) => {
    res(code);
    if (waiting) { const w = waiting; waiting = null; w.fail(new Error(`exited (${code}) while waiting for ${w.re} in:\n${out}`)); }
  }));
  return {
    get output() { return out; },
    /** Wait until `re` appears in what was printed after position `from` (default: everything). */
    expect(re: RegExp, from = 0, ms = 60_000): Promise<void> {
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${re} in:\n${out}`)), ms);
        waiting = { re, from, done: () => { clearTimeout(timer); res(); }, fail: (e) => { clearTimeout(timer); rej(e); } };
        check();
      });
    },
    send(s: string): void { p.stdin.write(s); },
    exited,
    kill(): void { p.kill("SIGKILL"); },
  };
}
