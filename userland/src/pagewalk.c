/*
 * pagewalk PID ADDR: walk a process's Sv39 page tables to ADDR the way the
 * MMU does, and print what each level holds: the table index taken from the
 * address, the raw 64-bit PTE, its PPN and flags (V R W X U G A D), and,
 * at the leaf, the physical address ADDR translates to.
 * Concepts: C51 (multi-level page tables: three levels of 512 entries,
 * VPN[2..0] index them), C50 (the leaf's PPN names a physical frame),
 * C52 (what the TLB caches: the leaf's translation).
 *
 * The PTEs come from /proc/PID/ptwalk, a tsix file (not in Linux): a pread
 * of 32 bytes at offset ADDR returns satp and the PTEs of levels 2, 1 and 0
 * (0 past the level where the walk stopped). Reading it needs the rights of
 * ptrace: the same user, or root.
 * PID may be "self" (then the walk is of pagewalk's own stack, if ADDR is 0).
 * Exits 0 when ADDR is mapped, 1 when it is not, 2 on bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *flags(uint64_t pte, char *s) {
  const char *names = "VRWXUGAD";
  for (int i = 0; i < 8; i++) s[i] = (pte >> i) & 1 ? names[i] : '-';
  s[8] = 0;
  return s;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: pagewalk PID|self ADDR   (ADDR in hex with 0x, or decimal)\n");
    return 2;
  }
  char *end;
  errno = 0;
  uint64_t va = strtoull(argv[2], &end, 0);
  if (errno || *end || end == argv[2]) {
    fprintf(stderr, "pagewalk: bad address '%s': give it as 0x... or decimal\n", argv[2]);
    return 2;
  }
  int here = 0;
  if (strcmp(argv[1], "self") == 0 && va == 0) { va = (uint64_t)(uintptr_t)&here; }
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/ptwalk", argv[1]);
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "pagewalk: %s: %s (the same user or root may walk a process)\n", path, strerror(errno));
    return 2;
  }
  uint64_t w[4];
  ssize_t n = pread(fd, w, sizeof w, (off_t)va);
  if (n != (ssize_t)sizeof w) {
    fprintf(stderr, "pagewalk: address 0x%llx: %s (user addresses are below 0x4000000000)\n",
            (unsigned long long)va, n < 0 ? strerror(errno) : "no address space");
    return 2;
  }
  uint64_t rootppn = w[0] & ((1ULL << 44) - 1);
  printf("pagewalk %s va 0x%llx\n", argv[1], (unsigned long long)va);
  printf("satp 0x%016llx  MODE %llu (Sv39)  ASID %llu  root table at 0x%llx\n", (unsigned long long)w[0],
         (unsigned long long)(w[0] >> 60), (unsigned long long)((w[0] >> 44) & 0xffff), (unsigned long long)(rootppn << 12));
  uint64_t table = rootppn << 12;
  for (int level = 2; level >= 0; level--) {
    uint64_t pte = w[3 - level];
    unsigned idx = (unsigned)((va >> (12 + 9 * level)) & 511);
    uint64_t ppn = (pte >> 10) & ((1ULL << 44) - 1);
    char f[9];
    printf("L%d  index %3u  pte@0x%llx = 0x%016llx  ppn 0x%llx  %s", level, idx,
           (unsigned long long)(table + idx * 8), (unsigned long long)pte, (unsigned long long)ppn, flags(pte, f));
    if (!(pte & 1)) {
      printf("  invalid: 0x%llx is not mapped\n", (unsigned long long)va);
      return 1;
    }
    if (pte & 0xe) {
      uint64_t pagesz = 1ULL << (12 + 9 * level);
      uint64_t pa = (ppn << 12) + (va & (pagesz - 1));
      printf("  leaf (%llu KiB page)\n", (unsigned long long)(pagesz >> 10));
      printf("pa 0x%llx  (frame 0x%llx + offset 0x%llx)\n", (unsigned long long)pa, (unsigned long long)(ppn << 12),
             (unsigned long long)(va & (pagesz - 1)));
      return 0;
    }
    printf("  -> next table at 0x%llx\n", (unsigned long long)(ppn << 12));
    table = ppn << 12;
  }
  printf("no leaf at level 0: 0x%llx is not mapped\n", (unsigned long long)va);
  return 1;
}
