// The stress-ng stressor table of issue 11, shared by the test
// (stressng.test.ts) and the benchmark (bench/stressng.ts): which stressors,
// the image they run from (Debian's stress-ng with busybox, built with
// `tsix image build --packages busybox,stress-ng`'s code path and cached under
// $TSIX_HOME), the guest script that runs them one after another, and the
// parser of its output.
//
// stress-ng 0.19 has no --unix stressor: its AF_UNIX ones are sockpair
// (socketpair I/O) and sockfd (SCM_RIGHTS descriptor passing); --epoll also
// runs over AF_UNIX by default. (--sock --sock-domain unix asks for
// socket(AF_UNIX, SOCK_STREAM, IPPROTO_TCP), which Linux refuses too.)
import { buildImage, type BuildResult } from "../../../userland/image/build.js";

export const STRESSORS: readonly string[] = [
  "msg", "sem", "sem-sysv", "shm", "shm-sysv", "mq", "sock", "udp", "sockpair", "sockfd", "pipe", "futex", "epoll", "poll", "pty",
];
export const STRESS_PACKAGES: readonly string[] = ["busybox", "stress-ng"];
/** The image is about 200 MiB (stress-ng pulls in mesa and LLVM): the guest needs room for it. */
export const STRESS_MEM = "1G";

export function stressImage(): Promise<BuildResult> {
  return buildImage({ packages: [...STRESS_PACKAGES] });
}

/** The shell loop that runs each stressor for `secs` seconds, one instance, and marks each one's output and status. */
export function stressScript(secs: number, stressors: readonly string[] = STRESSORS, bin = "stress-ng"): string {
  return stressors.map((s) => `echo "=== ${s}"; ${bin} --${s} 1 --timeout ${secs}s --metrics-brief 2>&1; echo "=== rc $?"`).join("; ");
}

export interface StressResult {
  name: string;
  /** stress-ng's exit status. */
  rc: number;
  /** Bogo ops and bogo ops/s (real time) from the metrics line; -1 when there is none. */
  bogoOps: number;
  perSec: number;
  /** "fail:" lines, and the "failed: N" count stress-ng reports (-1 when missing). */
  failLines: string[];
  failed: number;
  out: string;
}

/** Parse stressScript's output. */
export function parseStress(stdout: string): Map<string, StressResult> {
  const res = new Map<string, StressResult>();
  for (const m of stdout.matchAll(/^=== ([\w-]+)\n([\s\S]*?)^=== rc (\d+)$/gm)) {
    const [, name, out, rc] = m;
    const metric = new RegExp(`metrc: \\[\\d+\\] ${name.replace(/-/g, "\\-")}\\s+(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+([\\d.]+)`).exec(out);
    const failed = /info:\s+\[\d+\] failed: (\d+)/.exec(out);
    res.set(name, {
      name, rc: Number(rc), out,
      bogoOps: metric ? Number(metric[1]) : -1, perSec: metric ? Number(metric[2]) : -1,
      failLines: out.split("\n").filter((l) => /\bfail:/.test(l)),
      failed: failed ? Number(failed[1]) : -1,
    });
  }
  return res;
}
