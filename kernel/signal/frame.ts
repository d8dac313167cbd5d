// Signal frames: running a user handler. (Filled in by the signal work: this
// placeholder terminates the process as the default action would, so that a
// handler is never silently skipped.)
//
// Concepts: C44.
import type { Kernel } from "../kernel.js";
import type { Task, SigAction } from "../proc/task.js";
import type { SigInfo } from "./signal.js";
import { exitGroup } from "../proc/exit.js";

export function setupFrame(k: Kernel, t: Task, sig: number, _act: SigAction, _info: SigInfo): void {
  exitGroup(k, t, sig, true);
}
