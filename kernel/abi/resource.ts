// Resource limits of the Linux ABI (uapi/asm-generic/resource.h).
//
// Concepts: C05 (the ABI), C68 (limits).
import { layout } from "./layout.js";

export const RLIM_INFINITY = 2 ** 64 - 1;
export const RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_RSS = 5,
  RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11,
  RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIMIT_NLIMITS = 16;
export const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
export const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

/** struct rusage: two timevals, then 14 longs (only those Linux fills are named). */
export const RUSAGE = layout(144, {
  ru_utime_sec: [0, "i64"], ru_utime_usec: [8, "i64"], ru_stime_sec: [16, "i64"], ru_stime_usec: [24, "i64"],
  ru_maxrss: [32, "i64"], ru_minflt: [64, "i64"], ru_majflt: [72, "i64"], ru_inblock: [88, "i64"], ru_oublock: [96, "i64"],
  ru_nvcsw: [128, "i64"], ru_nivcsw: [136, "i64"],
});
/** struct rlimit (and rlimit64): soft and hard limit; RLIM_INFINITY is all ones. */
export const RLIMIT = layout(16, { rlim_cur: [0, "u64"], rlim_max: [8, "u64"] });
