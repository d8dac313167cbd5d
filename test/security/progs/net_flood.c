/* Guest -> host flow control under `tsix run --net user`: connect to the
 * host's 127.0.0.1:argv[1] through the gateway 10.0.2.2 and write argv[2]
 * MiB of a pattern the host checks (byte i is (i * 131 + (i >> 16)) & 0xff),
 * in 64 KiB writes, then close. argv[3] is "block" (plain blocking writes)
 * or "nonblock" (O_NONBLOCK: each EAGAIN waits in poll for POLLOUT; the
 * count of EAGAINs is printed, so the test sees the sender was held back),
 * or "burst" (O_NONBLOCK, stops at the first EAGAIN and closes at once: what
 * it wrote is still queued in the guest and the host when it exits).
 * Prints "sent N eagain E" and "net_flood: ok" when every write succeeded. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: net_flood PORT MIB block|nonblock|burst\n"); return 2; }
  int port = atoi(argv[1]);
  long total = atol(argv[2]) << 20;
  int burst = strcmp(argv[3], "burst") == 0;
  int nb = burst || strcmp(argv[3], "nonblock") == 0;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) { perror("socket"); return 1; }
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, "10.0.2.2", &a.sin_addr);
  if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
  if (nb && fcntl(s, F_SETFL, O_NONBLOCK) < 0) { perror("fcntl"); return 1; }
  static unsigned char buf[64 << 10];
  long sent = 0, eagain = 0;
  while (sent < total) {
    long len = total - sent < (long)sizeof buf ? total - sent : (long)sizeof buf;
    for (long i = 0; i < len; i++) { long o = sent + i; buf[i] = (unsigned char)(o * 131 + (o >> 16)); }
    long off = 0;
    while (off < len) {
      ssize_t n = write(s, buf + off, len - off);
      if (n < 0 && errno == EAGAIN && nb) {
        eagain++;
        if (burst) { total = sent + off; break; }
        struct pollfd p = { .fd = s, .events = POLLOUT };
        if (poll(&p, 1, -1) < 0) { perror("poll"); return 1; }
        continue;
      }
      if (n <= 0) { printf("write at %ld: %s\n", sent + off, n < 0 ? strerror(errno) : "0"); return 1; }
      off += n;
    }
    sent += off;
  }
  printf("sent %ld eagain %ld\n", sent, eagain);
  if (close(s) < 0) { perror("close"); return 1; }
  printf("net_flood: ok\n");
  return 0;
}
