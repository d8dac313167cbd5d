// Host reference for conversions: "op rm a" -> "bits flags".
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
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
  char op[16], rm[8]; unsigned long long a;
  while (scanf("%15s %7s %llx", op, rm, &a) == 3) {
    fesetround(mode(rm)); feclearexcept(FE_ALL_EXCEPT);
    unsigned long long r = 0; volatile double d; volatile float s; uint32_t u32 = a;
    memcpy((void*)&d, &a, 8); memcpy((void*)&s, &u32, 4);
    if (!strcmp(op, "d2s")) { float t = d; uint32_t x; memcpy(&x, &t, 4); r = x; }
    else if (!strcmp(op, "s2d")) { double t = s; memcpy(&r, &t, 8); }
    else if (!strcmp(op, "l2s")) { float t = (float)(int64_t)a; uint32_t x; memcpy(&x, &t, 4); r = x; }
    else if (!strcmp(op, "lu2s")) { float t = (float)(uint64_t)a; uint32_t x; memcpy(&x, &t, 4); r = x; }
    else if (!strcmp(op, "l2d")) { double t = (double)(int64_t)a; memcpy(&r, &t, 8); }
    else if (!strcmp(op, "lu2d")) { double t = (double)(uint64_t)a; memcpy(&r, &t, 8); }
    else if (!strcmp(op, "w2s")) { float t = (float)(int32_t)a; uint32_t x; memcpy(&x, &t, 4); r = x; }
    else if (!strcmp(op, "d2l")) { r = (unsigned long long)llrint(d); }
    else if (!strcmp(op, "s2l")) { r = (unsigned long long)llrintf(s); }
    printf("%llx %d\n", r, flags());
  }
}
