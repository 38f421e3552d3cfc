/*
 * uml-launch: exec user-mode Linux with one host syscall narrowed by seccomp.
 *
 * Why: on hosts whose XSAVE area is larger than UML 6.1 expects (AVX-512, AMX), UML's
 * PTRACE_SETREGSET(NT_X86_XSTATE) with its smaller buffer fails with EFAULT and the kernel kills
 * init ("ptrace set fp regs failed, errno = 14"). UML probes XSTATE support once with
 * PTRACE_GETREGSET(NT_X86_XSTATE) (arch/x86/um/os-Linux/registers.c) and falls back to the
 * i387/FXSAVE register set when that probe fails, so making exactly that request fail with EIO is
 * enough. Everything else passes through.
 *
 * It also asks for SIGKILL when its parent (the test runner) dies, so no UML outlives a crashed run;
 * UML's own helper processes already die with it.
 *
 * usage: uml-launch /usr/bin/linux.uml [kernel args...]
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
#include <sys/ptrace.h>
#include <sys/syscall.h>

#ifndef PTRACE_GETREGSET
#define PTRACE_GETREGSET 0x4204
#endif

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s KERNEL [ARGS...]\n", argv[0]);
    return 2;
  }
  struct sock_filter filter[] = {
    /* Only judge x86-64 syscalls; anything else (none expected) is allowed unchanged. */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ptrace, 0, 5),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PTRACE_GETREGSET, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NT_X86_XSTATE, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EIO),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
    perror("uml-launch: PR_SET_PDEATHSIG");
    return 1;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    perror("uml-launch: PR_SET_NO_NEW_PRIVS");
    return 1;
  }
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    perror("uml-launch: PR_SET_SECCOMP");
    return 1;
  }
  execv(argv[1], argv + 1);
  fprintf(stderr, "uml-launch: cannot exec %s: %s\n", argv[1], strerror(errno));
  return 127;
}
