// struct sysinfo of the Linux ABI (uapi/linux/sysinfo.h), as sysinfo(2)
// fills it on riscv64 (64-bit longs: 112 bytes).
//
// Concepts: C05 (the ABI).
import { layout } from "./layout.js";

/** struct sysinfo: loads are fixed point (1 << 16 = 1.0); the memory fields count mem_unit bytes. */
export const SYSINFO = layout(112, {
  uptime: [0, "i64"], loads0: [8, "u64"], loads1: [16, "u64"], loads2: [24, "u64"],
  totalram: [32, "u64"], freeram: [40, "u64"], sharedram: [48, "u64"], bufferram: [56, "u64"],
  totalswap: [64, "u64"], freeswap: [72, "u64"], procs: [80, "u16"],
  totalhigh: [88, "u64"], freehigh: [96, "u64"], mem_unit: [104, "u32"],
});
