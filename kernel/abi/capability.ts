// capget/capset header versions of the Linux ABI (uapi/linux/capability.h).
//
// Concepts: C05 (the ABI), C69 (privileges).

export const CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;
