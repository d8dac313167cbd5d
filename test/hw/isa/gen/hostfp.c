// Host (x86-64 SSE/FMA) reference for cross-validating fpmodel.py in the four
// IEEE rounding modes: reads "op fmt rm a b c" (hex bits), prints "bits flags".
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#pragma STDC FENV_ACCESS ON
static int mode(const char *r) {
  if (!strcmp(r, "rne")) return FE_TONEAREST;
  if (!strcmp(r, "rtz")) return FE_TOWARDZERO;
  if (!strcmp(r, "rdn")) return FE_DOWNWARD;
  return FE_UPWARD;
}
static int flags(void) {
  int e = fetestexcept(FE_ALL_EXCEPT), f = 0;
  if (e & FE_INEXACT) f |= 1; if (e & FE_UNDERFLOW) f |= 2; if (e & FE_OVERFLOW) f |= 4;
  if (e & FE_DIVBYZERO) f |= 8; if (e & FE_INVALID) f |= 16; return f;
}
int main(void) {
  char op[16], fmt[4], rm[8]; unsigned long long a, b, c;
  while (scanf("%15s %3s %7s %llx %llx %llx", op, fmt, rm, &a, &b, &c) == 6) {
    fesetround(mode(rm)); feclearexcept(FE_ALL_EXCEPT);
    unsigned long long r;
    if (fmt[0] == 's') {
      volatile float x, y, z, res; uint32_t ua = a, ub = b, uc = c, ur;
      memcpy((void*)&x, &ua, 4); memcpy((void*)&y, &ub, 4); memcpy((void*)&z, &uc, 4);
      if (!strcmp(op, "add")) res = x + y; else if (!strcmp(op, "sub")) res = x - y;
      else if (!strcmp(op, "mul")) res = x * y; else if (!strcmp(op, "div")) res = x / y;
      else if (!strcmp(op, "sqrt")) res = sqrtf(x); else if (!strcmp(op, "fma")) res = fmaf(x, y, z);
      else if (!strcmp(op, "fmsub")) res = fmaf(x, y, -z); else if (!strcmp(op, "fnmsub")) res = fmaf(-x, y, z);
      else res = fmaf(-x, y, -z);
      float t = res; memcpy(&ur, &t, 4); r = ur;
    } else {
      volatile double x, y, z, res;
      memcpy((void*)&x, &a, 8); memcpy((void*)&y, &b, 8); memcpy((void*)&z, &c, 8);
      if (!strcmp(op, "add")) res = x + y; else if (!strcmp(op, "sub")) res = x - y;
      else if (!strcmp(op, "mul")) res = x * y; else if (!strcmp(op, "div")) res = x / y;
      else if (!strcmp(op, "sqrt")) res = sqrt(x); else if (!strcmp(op, "fma")) res = fma(x, y, z);
      else if (!strcmp(op, "fmsub")) res = fma(x, y, -z); else if (!strcmp(op, "fnmsub")) res = fma(-x, y, z);
      else res = fma(-x, y, -z);
      double t = res; memcpy(&r, &t, 8);
    }
    printf("%llx %d\n", r, flags());
  }
}
