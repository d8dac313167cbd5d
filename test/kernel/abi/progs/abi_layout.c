/* Print the size, field offsets, widths and signedness of the Linux structs
 * that kernel/abi/ declares as layouts, as the riscv64 uapi headers define
 * them. test/kernel/abi/layout.test.ts compares each line with the layout of
 * the same name, so the numbers come from Linux's headers, not from memory.
 * Output: "LAYOUT size N" and "LAYOUT field offset width sign" (sign s, u, or
 * - for pointers and unions). Only kernel uapi headers are used (glibc's own
 * sigaction/stat differ in name or layout), except <dirent.h>: the kernel
 * exports no linux_dirent64, glibc's dirent64 is the same record; and
 * <elf.h> for Elf64_auxv_t, the aux vector entry (no uapi header has it).
 */
#define _GNU_SOURCE /* struct dirent64 */
#include <stddef.h>
#include <stdio.h>
#include <dirent.h>
#include <elf.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/fcntl.h>
#include <linux/stat.h>
#include <linux/eventpoll.h>
#include <linux/poll.h>
#include <linux/sysinfo.h>
#include <linux/capability.h>
#include <linux/sched/types.h>
#include <linux/time.h>
#include <linux/times.h>
#include <linux/resource.h>
#include <linux/futex.h>
#include <linux/uio.h>

#define SZ(L, T) printf(#L " size %zu\n", sizeof(T))
#define M(T, m) (((T *)0)->m)
/* An integer field: its signedness from converting -1 to its type. */
#define F(L, T, name, m) printf(#L " " #name " %zu %zu %c\n", offsetof(T, m), sizeof(M(T, m)), \
  (__typeof__(M(T, m)))-1 < (__typeof__(M(T, m)))0 ? 's' : 'u')
/* A pointer or union field: offset and width only. */
#define P(L, T, name, m) printf(#L " " #name " %zu %zu -\n", offsetof(T, m), sizeof(M(T, m)))
/* A register of struct sigcontext's sc_regs, and an FP register of the D state. */
#define R(r) F(SIGCONTEXT, struct sigcontext, r, sc_regs.r)
#define D(n) F(D_EXT_STATE, struct __riscv_d_ext_state, f##n, f[n])

int main(void) {
  SZ(TIMESPEC, struct timespec);
  F(TIMESPEC, struct timespec, tv_sec, tv_sec); F(TIMESPEC, struct timespec, tv_nsec, tv_nsec);
  SZ(TIMEVAL, struct timeval);
  F(TIMEVAL, struct timeval, tv_sec, tv_sec); F(TIMEVAL, struct timeval, tv_usec, tv_usec);
  SZ(ITIMERVAL, struct itimerval);
  F(ITIMERVAL, struct itimerval, it_interval_sec, it_interval.tv_sec);
  F(ITIMERVAL, struct itimerval, it_interval_usec, it_interval.tv_usec);
  F(ITIMERVAL, struct itimerval, it_value_sec, it_value.tv_sec);
  F(ITIMERVAL, struct itimerval, it_value_usec, it_value.tv_usec);
  SZ(TMS, struct tms);
  F(TMS, struct tms, tms_utime, tms_utime); F(TMS, struct tms, tms_stime, tms_stime);
  F(TMS, struct tms, tms_cutime, tms_cutime); F(TMS, struct tms, tms_cstime, tms_cstime);

  SZ(RUSAGE, struct rusage);
  F(RUSAGE, struct rusage, ru_utime_sec, ru_utime.tv_sec); F(RUSAGE, struct rusage, ru_utime_usec, ru_utime.tv_usec);
  F(RUSAGE, struct rusage, ru_stime_sec, ru_stime.tv_sec); F(RUSAGE, struct rusage, ru_stime_usec, ru_stime.tv_usec);
  F(RUSAGE, struct rusage, ru_maxrss, ru_maxrss); F(RUSAGE, struct rusage, ru_minflt, ru_minflt);
  F(RUSAGE, struct rusage, ru_majflt, ru_majflt); F(RUSAGE, struct rusage, ru_inblock, ru_inblock);
  F(RUSAGE, struct rusage, ru_oublock, ru_oublock); F(RUSAGE, struct rusage, ru_nvcsw, ru_nvcsw);
  F(RUSAGE, struct rusage, ru_nivcsw, ru_nivcsw);
  SZ(RLIMIT, struct rlimit);
  F(RLIMIT, struct rlimit, rlim_cur, rlim_cur); F(RLIMIT, struct rlimit, rlim_max, rlim_max);

  SZ(SIGACTION, struct sigaction);
  P(SIGACTION, struct sigaction, sa_handler, sa_handler);
  F(SIGACTION, struct sigaction, sa_flags, sa_flags);
  F(SIGACTION, struct sigaction, sa_mask, sa_mask.sig[0]); /* sigset_t: one unsigned long */
  SZ(SIGSET, sigset_t);
  F(SIGSET, sigset_t, sig, sig[0]);
  SZ(STACK_T, stack_t);
  P(STACK_T, stack_t, ss_sp, ss_sp); F(STACK_T, stack_t, ss_flags, ss_flags); F(STACK_T, stack_t, ss_size, ss_size);
  SZ(SIGINFO, siginfo_t);
  F(SIGINFO, siginfo_t, si_signo, si_signo); F(SIGINFO, siginfo_t, si_errno, si_errno); F(SIGINFO, siginfo_t, si_code, si_code);
  F(SIGINFO, siginfo_t, si_pid, si_pid); F(SIGINFO, siginfo_t, si_uid, si_uid); P(SIGINFO, siginfo_t, si_value, si_value);
  F(SIGINFO, siginfo_t, si_timerid, si_tid); F(SIGINFO, siginfo_t, si_overrun, si_overrun);
  F(SIGINFO, siginfo_t, si_status, si_status); F(SIGINFO, siginfo_t, si_utime, si_utime); F(SIGINFO, siginfo_t, si_stime, si_stime);
  P(SIGINFO, siginfo_t, si_addr, si_addr); F(SIGINFO, siginfo_t, si_band, si_band); F(SIGINFO, siginfo_t, si_fd, si_fd);
  SZ(UCONTEXT, struct ucontext);
  F(UCONTEXT, struct ucontext, uc_flags, uc_flags); P(UCONTEXT, struct ucontext, uc_link, uc_link);
  P(UCONTEXT, struct ucontext, uc_stack_sp, uc_stack.ss_sp); F(UCONTEXT, struct ucontext, uc_stack_flags, uc_stack.ss_flags);
  F(UCONTEXT, struct ucontext, uc_stack_size, uc_stack.ss_size); F(UCONTEXT, struct ucontext, uc_sigmask, uc_sigmask.sig[0]);
  F(UCONTEXT, struct ucontext, sc_pc, uc_mcontext.sc_regs.pc); F(UCONTEXT, struct ucontext, sc_f0, uc_mcontext.sc_fpregs.d.f[0]);
  /* uc_mcontext: struct sigcontext, sc_regs (struct user_regs_struct) then the FP union. */
  SZ(SIGCONTEXT, struct sigcontext);
  R(pc); R(ra); R(sp); R(gp); R(tp); R(t0); R(t1); R(t2); R(s0); R(s1); R(a0); R(a1); R(a2); R(a3); R(a4); R(a5);
  R(a6); R(a7); R(s2); R(s3); R(s4); R(s5); R(s6); R(s7); R(s8); R(s9); R(s10); R(s11); R(t3); R(t4); R(t5); R(t6);
  F(SIGCONTEXT, struct sigcontext, q_reserved0, sc_fpregs.q.reserved[0]);
  F(SIGCONTEXT, struct sigcontext, q_reserved1, sc_fpregs.q.reserved[1]);
  F(SIGCONTEXT, struct sigcontext, q_reserved2, sc_fpregs.q.reserved[2]);
  SZ(D_EXT_STATE, struct __riscv_d_ext_state);
  D(0); D(1); D(2); D(3); D(4); D(5); D(6); D(7); D(8); D(9); D(10); D(11); D(12); D(13); D(14); D(15);
  D(16); D(17); D(18); D(19); D(20); D(21); D(22); D(23); D(24); D(25); D(26); D(27); D(28); D(29); D(30); D(31);
  F(D_EXT_STATE, struct __riscv_d_ext_state, fcsr, fcsr);
  /* The initial stack's aux vector entries. */
  SZ(AUXV_ENTRY, Elf64_auxv_t);
  F(AUXV_ENTRY, Elf64_auxv_t, a_type, a_type); F(AUXV_ENTRY, Elf64_auxv_t, a_val, a_un.a_val);

  SZ(STAT, struct stat);
  F(STAT, struct stat, st_dev, st_dev); F(STAT, struct stat, st_ino, st_ino); F(STAT, struct stat, st_mode, st_mode);
  F(STAT, struct stat, st_nlink, st_nlink); F(STAT, struct stat, st_uid, st_uid); F(STAT, struct stat, st_gid, st_gid);
  F(STAT, struct stat, st_rdev, st_rdev); F(STAT, struct stat, st_size, st_size); F(STAT, struct stat, st_blksize, st_blksize);
  F(STAT, struct stat, st_blocks, st_blocks); F(STAT, struct stat, st_atime, st_atime); F(STAT, struct stat, st_atime_nsec, st_atime_nsec);
  F(STAT, struct stat, st_mtime, st_mtime); F(STAT, struct stat, st_mtime_nsec, st_mtime_nsec);
  F(STAT, struct stat, st_ctime, st_ctime); F(STAT, struct stat, st_ctime_nsec, st_ctime_nsec);
  SZ(STATX, struct statx);
  F(STATX, struct statx, stx_mask, stx_mask); F(STATX, struct statx, stx_blksize, stx_blksize);
  F(STATX, struct statx, stx_attributes, stx_attributes); F(STATX, struct statx, stx_nlink, stx_nlink);
  F(STATX, struct statx, stx_uid, stx_uid); F(STATX, struct statx, stx_gid, stx_gid); F(STATX, struct statx, stx_mode, stx_mode);
  F(STATX, struct statx, stx_ino, stx_ino); F(STATX, struct statx, stx_size, stx_size); F(STATX, struct statx, stx_blocks, stx_blocks);
  F(STATX, struct statx, stx_attributes_mask, stx_attributes_mask);
  F(STATX, struct statx, stx_atime_sec, stx_atime.tv_sec); F(STATX, struct statx, stx_atime_nsec, stx_atime.tv_nsec);
  F(STATX, struct statx, stx_btime_sec, stx_btime.tv_sec); F(STATX, struct statx, stx_btime_nsec, stx_btime.tv_nsec);
  F(STATX, struct statx, stx_ctime_sec, stx_ctime.tv_sec); F(STATX, struct statx, stx_ctime_nsec, stx_ctime.tv_nsec);
  F(STATX, struct statx, stx_mtime_sec, stx_mtime.tv_sec); F(STATX, struct statx, stx_mtime_nsec, stx_mtime.tv_nsec);
  F(STATX, struct statx, stx_rdev_major, stx_rdev_major); F(STATX, struct statx, stx_rdev_minor, stx_rdev_minor);
  F(STATX, struct statx, stx_dev_major, stx_dev_major); F(STATX, struct statx, stx_dev_minor, stx_dev_minor);
  F(STATX, struct statx, stx_mnt_id, stx_mnt_id);
  SZ(STATFS, struct statfs);
  F(STATFS, struct statfs, f_type, f_type); F(STATFS, struct statfs, f_bsize, f_bsize); F(STATFS, struct statfs, f_blocks, f_blocks);
  F(STATFS, struct statfs, f_bfree, f_bfree); F(STATFS, struct statfs, f_bavail, f_bavail); F(STATFS, struct statfs, f_files, f_files);
  F(STATFS, struct statfs, f_ffree, f_ffree); F(STATFS, struct statfs, f_fsid0, f_fsid.val[0]); F(STATFS, struct statfs, f_fsid1, f_fsid.val[1]);
  F(STATFS, struct statfs, f_namelen, f_namelen); F(STATFS, struct statfs, f_frsize, f_frsize); F(STATFS, struct statfs, f_flags, f_flags);
  SZ(FLOCK, struct flock);
  F(FLOCK, struct flock, l_type, l_type); F(FLOCK, struct flock, l_whence, l_whence); F(FLOCK, struct flock, l_start, l_start);
  F(FLOCK, struct flock, l_len, l_len); F(FLOCK, struct flock, l_pid, l_pid);
  printf("DIRENT64 size %zu\n", offsetof(struct dirent64, d_name));
  F(DIRENT64, struct dirent64, d_ino, d_ino); F(DIRENT64, struct dirent64, d_off, d_off);
  F(DIRENT64, struct dirent64, d_reclen, d_reclen); F(DIRENT64, struct dirent64, d_type, d_type);
  SZ(POLLFD, struct pollfd);
  F(POLLFD, struct pollfd, fd, fd); F(POLLFD, struct pollfd, events, events); F(POLLFD, struct pollfd, revents, revents);
  SZ(EPOLL_EVENT, struct epoll_event);
  F(EPOLL_EVENT, struct epoll_event, events, events); F(EPOLL_EVENT, struct epoll_event, data, data);

  SZ(SYSINFO, struct sysinfo);
  F(SYSINFO, struct sysinfo, uptime, uptime); F(SYSINFO, struct sysinfo, loads0, loads[0]);
  F(SYSINFO, struct sysinfo, loads1, loads[1]); F(SYSINFO, struct sysinfo, loads2, loads[2]);
  F(SYSINFO, struct sysinfo, totalram, totalram); F(SYSINFO, struct sysinfo, freeram, freeram);
  F(SYSINFO, struct sysinfo, sharedram, sharedram); F(SYSINFO, struct sysinfo, bufferram, bufferram);
  F(SYSINFO, struct sysinfo, totalswap, totalswap); F(SYSINFO, struct sysinfo, freeswap, freeswap);
  F(SYSINFO, struct sysinfo, procs, procs); F(SYSINFO, struct sysinfo, totalhigh, totalhigh);
  F(SYSINFO, struct sysinfo, freehigh, freehigh); F(SYSINFO, struct sysinfo, mem_unit, mem_unit);
  SZ(CAP_HEADER, struct __user_cap_header_struct);
  F(CAP_HEADER, struct __user_cap_header_struct, version, version); F(CAP_HEADER, struct __user_cap_header_struct, pid, pid);
  SZ(CAP_DATA, struct __user_cap_data_struct);
  F(CAP_DATA, struct __user_cap_data_struct, effective, effective); F(CAP_DATA, struct __user_cap_data_struct, permitted, permitted);
  F(CAP_DATA, struct __user_cap_data_struct, inheritable, inheritable);
  SZ(SCHED_PARAM, struct sched_param);
  F(SCHED_PARAM, struct sched_param, sched_priority, sched_priority);
  SZ(TERMIOS, struct termios);
  F(TERMIOS, struct termios, c_iflag, c_iflag); F(TERMIOS, struct termios, c_oflag, c_oflag);
  F(TERMIOS, struct termios, c_cflag, c_cflag); F(TERMIOS, struct termios, c_lflag, c_lflag); F(TERMIOS, struct termios, c_line, c_line);
  SZ(TERMIOS2, struct termios2);
  F(TERMIOS2, struct termios2, c_iflag, c_iflag); F(TERMIOS2, struct termios2, c_oflag, c_oflag);
  F(TERMIOS2, struct termios2, c_cflag, c_cflag); F(TERMIOS2, struct termios2, c_lflag, c_lflag); F(TERMIOS2, struct termios2, c_line, c_line);
  F(TERMIOS2, struct termios2, c_ispeed, c_ispeed); F(TERMIOS2, struct termios2, c_ospeed, c_ospeed);
  SZ(TERMIO, struct termio);
  F(TERMIO, struct termio, c_iflag, c_iflag); F(TERMIO, struct termio, c_oflag, c_oflag);
  F(TERMIO, struct termio, c_cflag, c_cflag); F(TERMIO, struct termio, c_lflag, c_lflag); F(TERMIO, struct termio, c_line, c_line);
  printf("TERMIO cc %zu\n", offsetof(struct termio, c_cc));
  printf("TERMIOS cc %zu\n", offsetof(struct termios, c_cc));
  SZ(WINSIZE, struct winsize);
  F(WINSIZE, struct winsize, ws_row, ws_row); F(WINSIZE, struct winsize, ws_col, ws_col);
  F(WINSIZE, struct winsize, ws_xpixel, ws_xpixel); F(WINSIZE, struct winsize, ws_ypixel, ws_ypixel);
  SZ(ROBUST_LIST_HEAD, struct robust_list_head);
  P(ROBUST_LIST_HEAD, struct robust_list_head, list_next, list.next);
  F(ROBUST_LIST_HEAD, struct robust_list_head, futex_offset, futex_offset);
  P(ROBUST_LIST_HEAD, struct robust_list_head, list_op_pending, list_op_pending);
  SZ(ROBUST_LIST, struct robust_list);
  P(ROBUST_LIST, struct robust_list, next, next);
  SZ(IOVEC, struct iovec);
  P(IOVEC, struct iovec, iov_base, iov_base); F(IOVEC, struct iovec, iov_len, iov_len);
  return 0;
}
