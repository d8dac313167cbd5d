// riscv_hwprobe of the Linux riscv ABI (arch/riscv/include/uapi/asm/hwprobe.h):
// the keys a program asks about and the bits of their answers.
//
// Concepts: C05 (the ABI programs probe at startup).

/** struct riscv_hwprobe: an s64 key (set to -1 when unknown) and a u64 value. */
export const HWPROBE_PAIR_SIZE = 16;

export const RISCV_HWPROBE_KEY_MVENDORID = 0, RISCV_HWPROBE_KEY_MARCHID = 1, RISCV_HWPROBE_KEY_MIMPID = 2,
  RISCV_HWPROBE_KEY_BASE_BEHAVIOR = 3, RISCV_HWPROBE_KEY_IMA_EXT_0 = 4, RISCV_HWPROBE_KEY_CPUPERF_0 = 5,
  RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE = 6, RISCV_HWPROBE_KEY_HIGHEST_VIRT_ADDRESS = 7, RISCV_HWPROBE_KEY_TIME_CSR_FREQ = 8;

/** BASE_BEHAVIOR: the rv64ima user ABI. */
export const RISCV_HWPROBE_BASE_BEHAVIOR_IMA = 1;
/** IMA_EXT_0 bits. */
export const RISCV_HWPROBE_IMA_FD = 1 << 0, RISCV_HWPROBE_IMA_C = 1 << 1, RISCV_HWPROBE_IMA_V = 1 << 2;
/** CPUPERF_0: how fast misaligned accesses are (0: not known). */
export const RISCV_HWPROBE_MISALIGNED_UNKNOWN = 0;
