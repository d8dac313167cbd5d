import { test } from "node:test";
import { runJobs, PER, runs } from "./jobs.js";
const policy = process.env.POL ?? "fcfs";
test("explore", async () => {
  const cpus = Number(process.env.CPUS ?? 1);
  const j = await runJobs((process.env.ARGS ?? `${PER} a,30,30 b,20,20 c,10,10`).split(" "), { sched: policy, cpus });
  console.log(j.r.status, JSON.stringify(j.marks), j.pid, JSON.stringify(j.report));
  console.log(j.r.log.split("\n").slice(-3).join("\n"), JSON.stringify(j.r.k.stats), JSON.stringify(j.r.k.machine.stats()));
  const inv = Object.fromEntries(Object.entries(j.pid).map(([k, v]) => [v, k]));
  for (let c = 0; c < cpus; c++) console.log(`cpu${c}: ` + runs(j.switches, c).map((x) => `${inv[x.tid] ?? x.tid}:${((x.end - x.start) / 1e6).toFixed(2)}${x.preempted ? "p" : ""}@${(x.start/1e6).toFixed(1)}`).join(" "));
});
