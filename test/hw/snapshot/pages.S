/* pages.S - touches few pages of RAM, for the sparse-RAM snapshot test:
 * one dword at RAM offset 0x100000 (page 0x100), one at 0x2000000 (page
 * 0x2000) and one byte at the very end of page 0x3fff (the last page of a
 * 64 MiB machine); its own code is page 0. No stack, no data. */
#include "bare.h"

TEST_BEGIN
    li t0, 0x80100000
    li t1, 0x1122334455667788
    sd t1, 0(t0)
    li t0, 0x82000000
    sd t1, 8(t0)
    li t0, 0x83fffff0
    li t1, 0x5a
    sb t1, 15(t0)
    TEST_PASS
