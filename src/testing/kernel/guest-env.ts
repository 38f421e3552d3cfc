/**
 * What every process inside the user-mode Linux guest needs to run correctly, in one place for the host
 * side (which writes it into the init script) and the guest side (which starts node children).
 *
 * Why: the launcher (test/kernel/uml-launch.c) makes UML fall back to FXSAVE-format FP registers, so UML
 * saves and restores only the x87/SSE part of each guest task's vector state. The upper halves of YMM/ZMM
 * registers are then not preserved across UML's task switches, and code that keeps AVX values in registers
 * computes garbage (seen as crashes of node and of glibc-using tools). So nothing in the guest may use AVX:
 * glibc's string functions (hwcaps tunables), V8's generated code (flags), OpenSSL's assembly (mask).
 */

/** glibc: never select the AVX/AVX2/AVX-512/EVEX variants of its ifunc'd routines. */
export const GUEST_GLIBC_TUNABLES =
  'glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-AVX_Fast_Unaligned_Load,-EVEX';

/**
 * OpenSSL (node's bundled copy): clear AVX (bit 60) and FMA (bit 44) of CPUID.1 and every CPUID.7 feature
 * (AVX2, AVX-512, VAES, …), per OPENSSL_ia32cap(3). Node touches OpenSSL at startup even without TLS.
 */
export const GUEST_OPENSSL_IA32CAP = '~0x1000100000000000:~0xffffffffffffffff';

/** V8 takes these only on the command line (NODE_OPTIONS rejects V8 flags), so every node child gets them. */
export const GUEST_NODE_FLAGS: readonly string[] = ['--no-enable-avx', '--no-enable-fma3'];

/** The search path the guest's init sets; the kernel starts init with almost no environment. */
export const GUEST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
