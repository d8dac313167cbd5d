// getrandom(2) flags of the Linux ABI (uapi/linux/random.h).
//
// Concepts: C05 (the ABI).

export const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
