/* intmix.c - a bare-metal integer workload for the CPU benchmark: CRC32,
 * insertion+quick sort, a prime sieve, FNV hashing and an integer matrix
 * multiply, each checked by a checksum. The same source builds two ways:
 *   -DBARE: for `tsix machine --bare` (exit through the SiFive test finisher),
 *   default: a static Linux program for qemu-riscv64 (exit through ecall).
 * Both retire the same instructions apart from a few in the exit path. */
#include <stdint.h>

#define ROUNDS 24

static uint32_t rng_state;
static uint32_t rng(void) { uint32_t x = rng_state; x ^= x << 13; x ^= x >> 17; x ^= x << 5; return rng_state = x; }

static uint32_t crc_table[256];
static uint8_t buf[64 * 1024];
static uint32_t k_crc(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (uint32_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rng();
    uint32_t c = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < sizeof buf; i++) c = crc_table[(c ^ buf[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

#define N 20000
static int arr[N];
static void qsort_(int *a, int lo, int hi) {
    while (hi - lo > 16) {
        int p = a[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { qsort_(a, lo, j); lo = i; } else { qsort_(a, i, hi); hi = j; }
    }
    for (int i = lo + 1; i <= hi; i++) {
        int v = a[i], j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}
static uint32_t k_sort(void) {
    for (int i = 0; i < N; i++) arr[i] = (int)(rng() % 1000000);
    qsort_(arr, 0, N - 1);
    uint32_t h = 0;
    for (int i = 0; i < N; i++) { if (i && arr[i - 1] > arr[i]) return 0; h = h * 31 + (uint32_t)arr[i]; }
    return h;
}

#define SIEVE 200000
static uint8_t comp[SIEVE];
static uint32_t k_sieve(void) {
    for (int i = 0; i < SIEVE; i++) comp[i] = 0;
    uint32_t count = 0;
    for (int i = 2; i < SIEVE; i++) {
        if (comp[i]) continue;
        count++;
        for (int j = i * 2; j < SIEVE; j += i) comp[j] = 1;
    }
    return count;
}

static uint64_t k_fnv(void) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int r = 0; r < 4; r++)
        for (uint32_t i = 0; i < sizeof buf; i++) { h ^= buf[i]; h *= 0x100000001b3ull; }
    return h;
}

#define M 48
static int32_t ma[M][M], mb[M][M], mc[M][M];
static uint32_t k_matmul(void) {
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { ma[i][j] = (int32_t)(rng() & 255) - 128; mb[i][j] = (int32_t)(rng() & 255) - 128; }
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            int64_t s = 0;
            for (int k = 0; k < M; k++) s += (int64_t)ma[i][k] * mb[k][j];
            mc[i][j] = (int32_t)(s / 3 + s % 7);
        }
    uint32_t h = 0;
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) h = (h ^ (uint32_t)mc[i][j]) * 16777619u;
    return h;
}

static void finish(int code) {
#ifdef BARE
    *(volatile uint32_t *)0x100000 = code ? (((uint32_t)code << 16) | 0x3333) : 0x5555;
    for (;;) { }
#else
    register long a0 __asm__("a0") = code;
    register long a7 __asm__("a7") = 93;
    __asm__ volatile("ecall" : : "r"(a0), "r"(a7));
    for (;;) { }
#endif
}

uint64_t result;
void cmain(void) {
    uint64_t h = 0;
    for (int r = 0; r < ROUNDS; r++) {
        rng_state = 0x1234567u + (uint32_t)r;
        h = h * 1000003u + k_crc();
        h = h * 1000003u + k_sort();
        h = h * 1000003u + k_sieve();
        h = h * 1000003u + k_fnv();
        h = h * 1000003u + k_matmul();
    }
    result = h;
    /* The expected checksum is the same on every correct machine; the benchmark
     * compares tsix's exit code with qemu's: both report h's low 7 bits + 1. */
    finish((int)(h & 127) + 1);
}

__asm__(
    ".section .text.init\n"
    ".globl _start\n"
    "_start:\n"
#ifdef BARE
    "  la sp, _stack_top\n"
#endif
    "  call cmain\n");
