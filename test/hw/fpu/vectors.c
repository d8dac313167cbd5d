/* vectors.c - reference results for the F/D differential test (test/hw/fpu/fpu.test.ts).
 *
 * A riscv64 Linux program, run under qemu-riscv64 (whose FPU is an exact
 * softfloat). It reads one test case per line on stdin:
 *
 *     OP RM FRM A B C        (OP decimal; RM, FRM, A, B, C hex)
 *
 * and executes the real instruction with operands f0=A, f1=B, f2=C (raw 64-bit
 * patterns, so single operands may be NaN-boxed or not), integer operand
 * a0=A, after writing fcsr = FRM << 5 (flags cleared, frm = FRM). RM selects
 * the instruction's static rounding-mode field (0-4) or 7 for DYN. It prints
 *
 *     RESULT FLAGS           (hex: the 64-bit destination register, fflags)
 *
 * An instruction that raises SIGILL (DYN with frm 5-7) prints "ILL".
 *
 * OP 255 is a raw encoding: RM is then a whole 32-bit instruction word, to be
 * written with rd = 11 (fa1 / a1), rs1 = 10 (fa0 / a0, both loaded with A),
 * rs2 = 1 (ft1 = B), rs3 = 2 (ft2 = C). It runs from a code page and prints
 * "ILL" or "OK FLAGS"; it checks which encodings are illegal (reserved
 * rounding modes, bad funct fields, other formats).
 *
 * Build: riscv64-linux-gnu-gcc -O1 -static -march=rv64gc -o vectors vectors.c
 * The op numbering must match OPS in fpu.test.ts.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint64_t u64;

/* Operands are loaded into ft0-ft2 (f0-f2), the result register is ft3 (f3). */
#define PRE "fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\tfscsr %[csr]\n\t"
#define IO : [r] "=&r"(r), [fl] "=&r"(fl) \
           : [a] "r"(a), [b] "r"(b), [c] "r"(c), [csr] "r"(csr) \
           : "ft0", "ft1", "ft2", "ft3", "memory"

/* f3 = op(f0, f1[, f2]) */
#define K_FFF(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " ft3, ft0, ft1" RMS "\n\tfrflags %[fl]\n\tfmv.x.d %[r], ft3" IO); break;
#define K_FF(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " ft3, ft0" RMS "\n\tfrflags %[fl]\n\tfmv.x.d %[r], ft3" IO); break;
#define K_FFFF(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " ft3, ft0, ft1, ft2" RMS "\n\tfrflags %[fl]\n\tfmv.x.d %[r], ft3" IO); break;
/* x = op(f0, f1) / op(f0) */
#define K_XFF(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " %[r], ft0, ft1" RMS "\n\tfrflags %[fl]" IO); break;
#define K_XF(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " %[r], ft0" RMS "\n\tfrflags %[fl]" IO); break;
/* f3 = op(a0) */
#define K_FX(ID, MN, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE MN " ft3, %[a]" RMS "\n\tfrflags %[fl]\n\tfmv.x.d %[r], ft3" IO); break;

/* binutils 2.40 rejects a rounding-mode operand on the exact conversions
 * (fcvt.d.w, fcvt.d.wu, fcvt.d.s), yet the field exists and must be legal: encode
 * them with .insn (R-type: opcode, funct3 = rm, funct7, rd, rs1, rs2 number). */
#define K_FX_INSN(ID, F7RS2, RMS, RM) case (ID) * 8 + (RM): \
    __asm__ volatile(PRE ".insn r 0x53, " #RM ", " F7RS2 "\n\tfrflags %[fl]\n\tfmv.x.d %[r], ft3" IO); break;

/* Every static rounding mode plus DYN, or no rounding-mode operand. */
#define RM6(K, ID, MN) K(ID, MN, ", rne", 0) K(ID, MN, ", rtz", 1) K(ID, MN, ", rdn", 2) \
                       K(ID, MN, ", rup", 3) K(ID, MN, ", rmm", 4) K(ID, MN, ", dyn", 7)
#define RM0(K, ID, MN) K(ID, MN, "", 0)

/* Both precisions: single-precision op ID, double-precision op ID + 32. */
#define SD(R, K, ID, MN) R(K, ID, MN ".s") R(K, (ID) + 32, MN ".d")

static int run(unsigned op, unsigned rm, u64 a, u64 b, u64 c, u64 csr, u64 *res, u64 *flags) {
    u64 r = 0, fl = 0;
    switch (op * 8 + rm) {
    SD(RM6, K_FFF, 0, "fadd")
    SD(RM6, K_FFF, 1, "fsub")
    SD(RM6, K_FFF, 2, "fmul")
    SD(RM6, K_FFF, 3, "fdiv")
    SD(RM6, K_FF, 4, "fsqrt")
    SD(RM6, K_FFFF, 5, "fmadd")
    SD(RM6, K_FFFF, 6, "fmsub")
    SD(RM6, K_FFFF, 7, "fnmsub")
    SD(RM6, K_FFFF, 8, "fnmadd")
    SD(RM0, K_FFF, 9, "fsgnj")
    SD(RM0, K_FFF, 10, "fsgnjn")
    SD(RM0, K_FFF, 11, "fsgnjx")
    SD(RM0, K_FFF, 12, "fmin")
    SD(RM0, K_FFF, 13, "fmax")
    SD(RM0, K_XFF, 14, "feq")
    SD(RM0, K_XFF, 15, "flt")
    SD(RM0, K_XFF, 16, "fle")
    SD(RM0, K_XF, 17, "fclass")
    RM6(K_XF, 18, "fcvt.w.s")  RM6(K_XF, 50, "fcvt.w.d")
    RM6(K_XF, 19, "fcvt.wu.s") RM6(K_XF, 51, "fcvt.wu.d")
    RM6(K_XF, 20, "fcvt.l.s")  RM6(K_XF, 52, "fcvt.l.d")
    RM6(K_XF, 21, "fcvt.lu.s") RM6(K_XF, 53, "fcvt.lu.d")
    RM6(K_FX, 22, "fcvt.s.w")  RM6(K_FX_INSN, 54, "0x69, ft3, %[a], x0")
    RM6(K_FX, 23, "fcvt.s.wu") RM6(K_FX_INSN, 55, "0x69, ft3, %[a], x1")
    RM6(K_FX, 24, "fcvt.s.l")  RM6(K_FX, 56, "fcvt.d.l")
    RM6(K_FX, 25, "fcvt.s.lu") RM6(K_FX, 57, "fcvt.d.lu")
    RM0(K_XF, 26, "fmv.x.w")   RM0(K_XF, 58, "fmv.x.d")
    RM0(K_FX, 27, "fmv.w.x")   RM0(K_FX, 59, "fmv.d.x")
    RM6(K_FF, 60, "fcvt.s.d")
    RM6(K_FX_INSN, 61, "0x21, ft3, ft0, f0")
    default:
        return -1;
    }
    *res = r;
    *flags = fl;
    return 0;
}

/* ---- Raw encodings, executed from a code page, for illegal-instruction checks. */
static sigjmp_buf on_ill_jmp;

static void on_ill(int sig) {
    (void)sig;
    siglongjmp(on_ill_jmp, 1);
}

static uint32_t *code;

static int run_raw(uint32_t insn, u64 a, u64 b, u64 c, u64 csr, u64 *flags) {
    code[0] = insn;
    code[1] = 0x00008067;                          /* ret */
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    u64 fl;
    register u64 a0 __asm__("a0") = a;
    __asm__ volatile(
        "fmv.d.x ft0, %[a]\n\tfmv.d.x fa0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\t"
        "fscsr %[csr]\n\tjalr ra, 0(%[p])\n\tfrflags %[fl]"
        : [fl] "=&r"(fl), "+r"(a0)
        : [a] "r"(a), [b] "r"(b), [c] "r"(c), [csr] "r"(csr), [p] "r"(code)
        : "ra", "a1", "ft0", "ft1", "ft2", "ft3", "fa0", "fa1", "memory");
    *flags = fl;
    return 0;
}

int main(void) {
    static char line[256];
    unsigned op;
    unsigned long long rm, frm, a, b, c;
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_ill;
    sigaction(SIGILL, &sa, 0);
    code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { perror("mmap"); return 1; }
    setvbuf(stdout, 0, _IOFBF, 1 << 16);

    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "%u %llx %llx %llx %llx %llx", &op, &rm, &frm, &a, &b, &c) != 6) {
            fprintf(stderr, "bad input line: %s", line);
            return 2;
        }
        u64 res = 0, fl = 0;
        if (sigsetjmp(on_ill_jmp, 1)) {            /* the instruction raised SIGILL */
            printf("ILL\n");
            continue;
        }
        if (op == 255) {
            run_raw((uint32_t)rm, a, b, c, frm << 5, &fl);
            printf("OK %02llx\n", (unsigned long long)fl);
            continue;
        }
        if (run(op, (unsigned)rm, a, b, c, frm << 5, &res, &fl) != 0) {
            fprintf(stderr, "unknown op %u rm %llu\n", op, rm);
            return 2;
        }
        printf("%016llx %02llx\n", (unsigned long long)res, (unsigned long long)fl);
    }
    return 0;
}
