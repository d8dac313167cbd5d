/* netserver: a TCP echo server on 127.0.0.1 that serves many clients at once
   from one process, multiplexing with epoll, select or poll (concepts C45
   sockets, C47 I/O multiplexing), and a client mode that forks the clients.

     netserver demo MODE N [PORT]    server + N concurrent clients, then a summary
     netserver serve MODE N [PORT]   the server alone: exits after N clients
     netserver clients N [PORT]      N forked clients against a running server

   MODE is epoll, select or poll. In the demo every client connects first and
   waits until all N are connected (the server then holds N connections at
   once: see them with `netstat -tan` or /proc/net/tcp), then each sends
   ROUNDS lines and checks every echo. The server reports how many clients
   it served, the most it held at once, and the bytes it echoed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 10
#define MAXC 1000

static int port = 7777;

static int make_listener(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 128) < 0) { perror("netserver: bind/listen"); exit(1); }
  return l;
}

/* One connection's turn: echo what is there. Returns bytes echoed, or -1 when the client is gone. */
static long echo(int fd) {
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n <= 0) return -1;
  for (ssize_t off = 0; off < n;) {
    ssize_t w = write(fd, buf + off, n - off);
    if (w <= 0) return -1;
    off += w;
  }
  return n;
}

static void serve(const char *mode, int nclients, int l) {
  int open_now = 0, peak = 0, served = 0;
  long bytes = 0;
  if (strcmp(mode, "epoll") == 0) {
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = l }, evs[64];
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    while (served < nclients) {
      int n = epoll_wait(ep, evs, 64, -1);
      for (int i = 0; i < n; i++) {
        int fd = evs[i].data.fd;
        if (fd == l) {
          int c = accept(l, NULL, NULL);
          if (c < 0) continue;
          ev.events = EPOLLIN; ev.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
          if (++open_now > peak) peak = open_now;
        } else {
          long r = echo(fd);
          if (r < 0) { epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL); close(fd); open_now--; served++; } else bytes += r;
        }
      }
    }
  } else if (strcmp(mode, "select") == 0) {
    int fds[MAXC], nf = 0;
    while (served < nclients) {
      fd_set rd;
      FD_ZERO(&rd);
      FD_SET(l, &rd);
      int maxfd = l;
      for (int i = 0; i < nf; i++) { FD_SET(fds[i], &rd); if (fds[i] > maxfd) maxfd = fds[i]; }
      if (select(maxfd + 1, &rd, NULL, NULL, NULL) < 0) continue;
      if (FD_ISSET(l, &rd)) {
        int c = accept(l, NULL, NULL);
        if (c >= 0 && c < FD_SETSIZE && nf < MAXC) { fds[nf++] = c; if (++open_now > peak) peak = open_now; } else if (c >= 0) close(c);
      }
      for (int i = 0; i < nf; i++) {
        if (!FD_ISSET(fds[i], &rd)) continue;
        long r = echo(fds[i]);
        if (r < 0) { close(fds[i]); fds[i] = fds[--nf]; i--; open_now--; served++; } else bytes += r;
      }
    }
  } else {
    struct pollfd p[MAXC + 1];
    int np = 1;
    p[0].fd = l; p[0].events = POLLIN;
    while (served < nclients) {
      if (poll(p, np, -1) < 0) continue;
      for (int i = 1; i < np; i++) {
        if (!p[i].revents) continue;
        long r = echo(p[i].fd);
        if (r < 0) { close(p[i].fd); p[i] = p[--np]; i--; open_now--; served++; } else bytes += r;
      }
      if (p[0].revents & POLLIN) {
        int c = accept(l, NULL, NULL);
        if (c >= 0 && np <= MAXC) { p[np].fd = c; p[np].events = POLLIN; p[np].revents = 0; np++; if (++open_now > peak) peak = open_now; } else if (c >= 0) close(c);
      }
    }
  }
  printf("server (%s): served %d clients, at most %d at once, echoed %ld bytes\n", mode, served, peak, bytes);
  fflush(stdout);
}

/* N clients: each connects, reports in on `ready`, waits for `go` to close, then talks. Returns the failures. */
static int clients(int n) {
  int ready[2], go[2];
  if (pipe(ready) < 0 || pipe(go) < 0) return n;
  static pid_t pids[MAXC];
  for (int i = 0; i < n; i++) {
    if ((pids[i] = fork()) == 0) {
      close(ready[0]); close(go[1]);
      int c = socket(AF_INET, SOCK_STREAM, 0);
      struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
      if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) { perror("netserver: connect"); _exit(1); }
      write(ready[1], "r", 1);
      char b;
      read(go[0], &b, 1); /* end of file: everybody is connected */
      for (int r = 0; r < ROUNDS; r++) {
        char msg[64], back[64];
        int len = snprintf(msg, sizeof msg, "client %d round %d\n", i, r);
        if (write(c, msg, len) != len) _exit(2);
        int got = 0;
        while (got < len) { ssize_t k = read(c, back + got, len - got); if (k <= 0) _exit(3); got += k; }
        if (memcmp(msg, back, len) != 0) _exit(4);
      }
      close(c);
      _exit(0);
    }
  }
  close(ready[1]); close(go[0]);
  int in = 0;
  char b;
  while (in < n && read(ready[0], &b, 1) == 1) in++;
  printf("clients: %d of %d connected at once\n", in, n);
  fflush(stdout);
  if (getenv("NETSERVER_SHOW")) system(getenv("NETSERVER_SHOW")); /* e.g. "netstat -tan | grep -c ESTABLISHED" */
  close(go[1]);
  int bad = 0, st;
  for (int i = 0; i < n; i++) if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad++;
  printf("clients: %d finished, %d failed\n", n, bad);
  return bad;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: netserver demo|serve MODE N [PORT] | netserver clients N [PORT]\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (strcmp(argv[1], "clients") == 0) {
    if (argc > 3) port = atoi(argv[3]);
    return clients(atoi(argv[2])) ? 1 : 0;
  }
  const char *mode = argv[2];
  if (strcmp(mode, "epoll") && strcmp(mode, "select") && strcmp(mode, "poll")) { fprintf(stderr, "netserver: MODE is epoll, select or poll\n"); return 2; }
  int n = argc > 3 ? atoi(argv[3]) : 100;
  if (n < 1 || n > MAXC) { fprintf(stderr, "netserver: N is 1..%d\n", MAXC); return 2; }
  if (argc > 4) port = atoi(argv[4]);
  int l = make_listener();
  if (strcmp(argv[1], "serve") == 0) { serve(mode, n, l); return 0; }
  pid_t srv = fork();
  if (srv == 0) { serve(mode, n, l); _exit(0); }
  close(l);
  int bad = clients(n);
  int st;
  waitpid(srv, &st, 0);
  return bad || !WIFEXITED(st) || WEXITSTATUS(st) ? 1 : 0;
}
