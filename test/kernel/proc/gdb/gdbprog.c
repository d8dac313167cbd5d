/* The program gdb debugs in gdb.test.ts (built with -g -O0; the test names
   its lines: keep them where they are). */
#include <stdio.h>

int square(int v) {
  int r = v * v;
  return r;
}

int main(void) {
  int x = 6;
  x = square(x) + 1;
  printf("x=%d\n", x);
  return 0;
}
