// capget/capset header versions of the Linux ABI (uapi/linux/capability.h).
//
// Concepts: C05 (the ABI), C69 (privileges).

import { layout } from "./layout.js";

export const CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;
/** struct __user_cap_header_struct: the version asked for, and the pid. */
export const CAP_HEADER = layout(8, { version: [0, "u32"], pid: [4, "i32"] });
/** struct __user_cap_data_struct: one 32-bit word of each set (V1 passes one, V2/V3 two in a row). */
export const CAP_DATA = layout(12, { effective: [0, "u32"], permitted: [4, "u32"], inheritable: [8, "u32"] });
