/*
 * uml-launch: run user-mode Linux with one host syscall narrowed by seccomp, and never let it outlive
 * the test that started it.
 *
 * Why the seccomp filter: on hosts whose XSAVE area is larger than UML 6.1 expects (AVX-512, AMX), UML's
 * PTRACE_SETREGSET(NT_X86_XSTATE) with its smaller buffer fails with EFAULT and the kernel kills init
 * ("ptrace set fp regs failed, errno = 14"). UML probes XSTATE support once with
 * PTRACE_GETREGSET(NT_X86_XSTATE) (arch/x86/um/os-Linux/registers.c) and falls back to the i387/FXSAVE
 * register set when that probe fails, so making exactly that request fail with EIO is enough; everything
 * else passes through. (The guest must then avoid AVX: see src/testing/kernel/guest-env.ts.)
 *
 * Why it stays as UML's parent: UML starts helper processes that can outlive UML's main process, in a
 * process group of UML's own (UML calls setsid()). The launcher kills that group when UML exits, and on
 * SIGTERM/SIGINT/SIGHUP kills it and its own group. The caller sends SIGTERM to stop a guest; when the
 * caller dies without cleaning up (killed by a test timeout), PR_SET_PDEATHSIG sends the same SIGTERM.
 *
 * usage: uml-launch KERNEL [ARGS...]   exit status: the kernel's, or 128+signal
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/elf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PTRACE_GETREGSET_REQ 0x4204 /* PTRACE_GETREGSET in <linux/ptrace.h> */

static volatile pid_t uml_pid;

/* UML's process group: UML calls setsid(), so its helpers are in a group led by UML, not in ours. */
static void kill_uml(void) {
  if (uml_pid > 0) kill(-uml_pid, SIGKILL);
}

static void kill_all(int sig) {
  (void)sig;
  kill_uml();
  kill(0, SIGKILL); /* anything left in our own group, this launcher included */
}

static int narrow_ptrace(void) {
  struct sock_filter filter[] = {
    /* Judge only x86-64 syscalls; anything else (none expected) is allowed unchanged. */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ptrace, 0, 5),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PTRACE_GETREGSET_REQ, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NT_X86_XSTATE, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EIO),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
  /* Unprivileged seccomp requires no_new_privs; UML needs no privilege gain. */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s KERNEL [ARGS...]\n", argv[0]);
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = kill_all;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0) {
    perror("uml-launch: PR_SET_PDEATHSIG");
    return 1;
  }
  if (narrow_ptrace() != 0) {
    perror("uml-launch: seccomp");
    return 1;
  }
  /* Block the signals across fork so the handler never sees a half-set uml_pid. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &old);
  pid_t pid = fork();
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    execv(argv[1], argv + 1);
    fprintf(stderr, "uml-launch: cannot exec %s: %s\n", argv[1], strerror(errno));
    _exit(127);
  }
  uml_pid = pid;
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) {
    perror("uml-launch: fork");
    return 1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      perror("uml-launch: waitpid");
      return 1;
    }
  }
  kill_uml(); /* helpers that outlived UML's main process */
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
