// The page reference trace writer behind `tsix run --trace mem=FILE`: it
// subscribes to the kernel's mm_page_ref tracepoint (a process with a frame
// budget touched one of its budgeted pages and the kernel saw it:
// kernel/mm/replace.ts) and writes one line per event:
//
//     PID COMM PAGE F|R
//
// PAGE is the page's virtual address in hex, F a fault (the page was not
// resident: first touch or refault), R a reference the kernel trapped on a
// resident page (the lru-exact policy parks every page but the most recently
// used one, so under it the R and F lines together are the process's page
// reference string, consecutive repeats of one page merged). `tsix memlab`
// counts the F lines, and computes OPT offline from a lru-exact recording.
//
// Concepts: C54 (the reference string of a real program, OPT offline).
import { closeSync, openSync, writeSync } from "node:fs";
import * as K from "../../kernel/index.js";

export interface MemTraceWriter {
  attach(k: K.Kernel): void;
  close(): void;
  readonly count: number;
}

const CHUNK = 64 * 1024;

/** Open `file` (the host's error is thrown when it cannot be created). */
export function openMemTrace(file: string): MemTraceWriter {
  const fd = openSync(file, "w");
  let buf = "";
  let count = 0;
  let closed = false;
  const offs: (() => void)[] = [];
  const flush = (): void => { if (buf !== "") { writeSync(fd, buf); buf = ""; } };
  return {
    attach(k) {
      offs.push(K.subscribe(k, "mm_page_ref", (e) => {
        buf += `${e.pid} ${e.comm.replace(/\s/g, "_")} ${e.va.toString(16)} ${e.fault ? "F" : "R"}\n`;
        count++;
        if (buf.length >= CHUNK) flush();
      }));
    },
    close() {
      if (closed) return;
      closed = true;
      for (const off of offs) off();
      flush();
      closeSync(fd);
    },
    get count() { return count; },
  };
}
