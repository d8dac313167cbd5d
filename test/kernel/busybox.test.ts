// The busybox workload: Debian's busybox-static shell and applets running on
// the tsix kernel, each group of features checked by its output.
// Concepts: C05 (unmodified Debian programs), C24 (fork/exec/wait), C40 (pipes),
// C44 (signals, trap, kill), C67 (redirections), C25/C26 (jobs, process groups),
// C63/C64 (files, links), C68 (mounts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "./harness.js";

/** Run `script` in the guest's sh and return its stdout (exit status must be 0). */
function out(script: string): string {
  const r = sh(script);
  assert.equal(r.status, 0, explain(r));
  return r.stdout;
}

test("pipes and redirections", () => {
  assert.equal(out([
    "echo hello | tr a-z A-Z | rev",
    "echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f; wc -l < /tmp/f",
    "ls /nonexistent 2>/tmp/err; grep -c 'No such file' /tmp/err",
    "exec 3>/tmp/g; echo via-fd3 >&3; exec 3>&-; cat /tmp/g",
    "echo to-cat 2>&1 | cat",
    "cat <<EOF\nhere $((1+2))\nEOF",
  ].join("\n")), "OLLEH\none\ntwo\n2\n1\nvia-fd3\nto-cat\nhere 3\n");
});

test("subshells and command substitution", () => {
  assert.equal(out([
    "x=1; (x=2; echo in $x); echo out $x",
    "echo $(echo nested $(echo deep))",
    "{ echo a; echo b; } | wc -l",
    "(cd /tmp && pwd); pwd",
    "(exit 7); echo status $?",
  ].join("\n")), "in 2\nout 1\nnested deep\n2\n/tmp\n/root\nstatus 7\n");
});

test("background jobs and wait", () => {
  assert.equal(out([
    "sleep 0.3 & p1=$!",
    "(sleep 0.1; echo bg done) &",
    "wait $p1; echo p1 status $?",
    "wait; echo all done",
    "(exit 3) & wait $!; echo child status $?",
    "for i in 1 2 3 4 5; do (echo job $i > /tmp/job$i) & done; wait; cat /tmp/job1 /tmp/job5",
  ].join("\n")), "bg done\np1 status 0\nall done\nchild status 3\njob 1\njob 5\n");
});

test("trap and kill", () => {
  assert.equal(out([
    "trap 'echo got USR1' USR1; kill -USR1 $$; echo after",
    "sleep 10 & p=$!; kill $p; wait $p; echo killed status $?",
    "sleep 10 & p=$!; kill -9 $p; wait $p; echo kill9 status $?",
    "kill -0 $$ && echo alive",
    "(trap 'echo sub exits' EXIT; echo in sub)",
    "trap 'echo bye' EXIT",
  ].join("\n")), "got USR1\nafter\nkilled status 143\nkill9 status 137\nalive\nin sub\nsub exits\nbye\n");
});

test("ls -la", () => {
  const o = out("mkdir -p /tmp/d; echo hi > /tmp/d/a; chmod 640 /tmp/d/a; ln -s a /tmp/d/l; mkdir /tmp/d/sub; ls -la /tmp/d");
  const lines = o.trimEnd().split("\n");
  assert.match(lines[0], /^total \d+$/);
  assert.match(o, /^drwx\S+ +\d+ root +root +\d+ .* \.$/m);
  assert.match(o, /^drwx\S+ +\d+ root +root +\d+ .* \.\.$/m);
  assert.match(o, /^-rw-r----- +1 root +root +3 .* a$/m);
  assert.match(o, /^lrwxrwxrwx +1 root +root +1 .* l -> a$/m);
  assert.match(o, /^drwxr-xr-x +2 root +root +\d+ .* sub$/m);
});

test("ps lists the processes, PID 1 first", () => {
  // ps runs once the background child has exec'd sleep (before that it is still a forked sh).
  const o = out("sleep 2 & until read c < /proc/$!/comm && [ \"$c\" = sleep ]; do :; done; ps; kill $!");
  assert.match(o, /^\s*PID\s+USER\s+(TIME\s+)?COMMAND$/m);
  assert.match(o, /^\s*1 root +\/sbin\/tsix-init -- sh -c /m);
  assert.match(o, /^\s*\d+ root +sleep 2$/m);
  // ps is a NOEXEC applet: a forked shell that keeps the shell's command line (as on Linux).
  assert.match(o, /^\s*\d+ root +\{ps\} sh -c /m);
});

test("cat, grep, sed, awk, sort", () => {
  assert.equal(out([
    "printf 'b 2\\na 1\\nc 3\\n' > /tmp/t",
    "sort /tmp/t",
    "grep -n c /tmp/t",
    "sed 's/[0-9]/N/' /tmp/t",
    "awk '{s += $2} END {print \"sum\", s}' /tmp/t",
    "sort -k2 -nr /tmp/t | head -1",
    "cat -n /tmp/t | tail -1",
    "grep -v a /tmp/t | sort -r | tr '\\n' ,; echo",
  ].join("\n")), "a 1\nb 2\nc 3\n3:c 3\nb N\na N\nc N\nsum 6\nc 3\n     3\tc 3\nc 3,b 2,\n");
});

test("find, mkdir, rm, mv, cp, ln -s, stat", () => {
  assert.equal(out([
    "mkdir -p /tmp/w/a/b; echo xyz > /tmp/w/a/b/f",
    "cp /tmp/w/a/b/f /tmp/w/g; mv /tmp/w/g /tmp/w/h; ln -s /tmp/w/h /tmp/w/s",
    "find /tmp/w | sort",
    "cat /tmp/w/s; readlink /tmp/w/s",
    "stat -c '%n %s %F %a' /tmp/w/h /tmp/w/s; stat -c '%n %F %a' /tmp/w/a",
    "rm -r /tmp/w/a; rm /tmp/w/s; ls /tmp/w",
    "mv /tmp/w/h /tmp/w/renamed; ls /tmp/w; rmdir /tmp/w 2>/dev/null || echo not empty",
  ].join("\n")), [
    "/tmp/w", "/tmp/w/a", "/tmp/w/a/b", "/tmp/w/a/b/f", "/tmp/w/h", "/tmp/w/s",
    "xyz", "/tmp/w/h",
    "/tmp/w/h 4 regular file 644", "/tmp/w/s 8 symbolic link 777", "/tmp/w/a directory 755",
    "h", "renamed", "not empty", "",
  ].join("\n"));
});

test("date, sleep, df, mount, uname -a, id, env", () => {
  const o = out([
    "date +%Y",
    "a=$(date +%s); sleep 0.1; echo slept",
    "df",
    "mount",
    "uname -a",
    "id",
    "env | sort",
  ].join("\n"));
  const year = new Date().getUTCFullYear();
  assert.match(o, new RegExp(`^(${year - 1}|${year}|${year + 1})$`, "m"), "date gives this year");
  assert.match(o, /^slept$/m);
  assert.match(o, /^Filesystem\s+1K-blocks\s+Used\s+Available\s+Use% Mounted on$/m);
  // busybox df skips the initramfs root (source "rootfs"), as on Linux; /dev is a tmpfs with a size.
  assert.match(o, /^devtmpfs\s+[1-9]\d*\s+\d+\s+\d+\s+\d+% \/dev$/m);
  assert.match(o, /^\S+ on \/ type (tmpfs|rootfs) /m);
  assert.match(o, /^proc on \/proc type proc /m);
  assert.match(o, /^\S+ on \/dev type devtmpfs /m);
  assert.match(o, /^sysfs on \/sys type sysfs /m);
  assert.match(o, /^Linux tsix \S+ .*riscv64/m);
  assert.match(o, /^uid=0\(root\) gid=0\(root\)/m);
  assert.match(o, /^HOME=\/root$/m);
  assert.match(o, /^PATH=\/usr\/local\/sbin:/m);
});

test("seq 1 1000 | wc -l", () => {
  assert.equal(out("seq 1 1000 | wc -l"), "1000\n");
});
