/* Tiny test helpers for the VFS test programs: CHECK(cond) reports a
   failure with the line and errno and counts it; ERR(expr, E) expects
   expr to fail with errno E; DONE() prints the summary and sets the exit
   status. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int fails;
static const char *prog_name = "test";

#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #cond, errno, strerror(errno)); fflush(stdout); fails++; } } while (0)
#define ERR(expr, e) do { errno = 0; long _r = (long)(expr); if (!(_r == -1 && errno == (e))) { printf("FAIL %s:%d: %s = %ld errno %d (%s), want errno %d (%s)\n", __FILE__, __LINE__, #expr, _r, errno, strerror(errno), (e), strerror(e)); fflush(stdout); fails++; } } while (0)
#define OK(expr) do { errno = 0; long _r = (long)(expr); if (_r < 0) { printf("FAIL %s:%d: %s = %ld errno %d (%s)\n", __FILE__, __LINE__, #expr, _r, errno, strerror(errno)); fflush(stdout); fails++; } } while (0)
#define DONE() do { printf("%s: %s (%d failures)\n", prog_name, fails ? "FAILED" : "ok", fails); fflush(stdout); return fails ? 1 : 0; } while (0)
