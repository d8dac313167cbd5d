/* rv64i_system.S - the RV64I environment instructions and illegal encodings:
 * ecall from M-mode (mcause 11) and ebreak (mcause 3) trap with mepc = the
 * address of the instruction itself; execution continues after them once
 * the handler advances mepc; the all-zeros 16-bit parcel and the all-ones
 * word are defined to be illegal instructions (mcause 2).  (Other reserved
 * encodings have UNSPECIFIED behaviour and are not tested.)
 */
#include "isa.h"

ISA_BEGIN
    li a0, 0x1234
    EXPECT_TRAP
ecall_site:
    ecall
    CHECK_TRAPPED(11, 1)
    la t5, isa_trap_state
    ld a1, 40(t5)
    la a2, ecall_site
    RCHECK(a1, a2, 2)
    ICHECK(a0, 0x1234, 3)               /* registers unchanged */

    EXPECT_TRAP
ebreak_site:
    ebreak
    CHECK_TRAPPED(3, 4)
    la t5, isa_trap_state
    ld a1, 40(t5)
    la a2, ebreak_site
    RCHECK(a1, a2, 5)

    /* illegal instructions: mepc points at them, nothing is executed */
    li a0, 0
    EXPECT_TRAP
ill0:
    .half 0x0000                        /* 16-bit all-zeros parcel (C present) */
    CHECK_TRAPPED(2, 6)
    la t5, isa_trap_state
    ld a1, 40(t5)
    la a2, ill0
    RCHECK(a1, a2, 7)
    EXPECT_TRAP
    .word 0xffffffff                    /* all ones in the 32-bit ILEN window */
    CHECK_TRAPPED(2, 8)
    ICHECK(a0, 0, 9)
ISA_PASS
