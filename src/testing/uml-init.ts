import { GUEST_GLIBC_TUNABLES, GUEST_OPENSSL_IA32CAP, GUEST_PATH } from './kernel/guest-env.js';

/**
 * The init script (PID 1) of a user-mode Linux guest whose root file system is the host's / (hostfs).
 * It prepares the guest, loads modules, runs the caller's script, records its exit code and powers off.
 * Everything it mounts is guest-only; the only host paths it writes are inside the run's work directory.
 */

/** Modules beside IPVS's own (all of which init loads) that the lab scenarios use. */
export const DEFAULT_GUEST_MODULES: readonly string[] = ['ipv6', 'nf_conntrack', 'veth', 'bridge', 'ipip', 'sch_ingress', 'cls_u32', 'act_skbedit'];

/** The console line init prints once the guest is ready; a boot that never prints it failed to start. */
export const READY_MARKER = 'lvsd-uml: init ready';

/** Where boot diagnostics go, relative to the results directory. */
export const BOOT_DIR = '_boot';

export interface InitPaths {
  /** Host directory for this run; the guest sees it at the same path. */
  work: string;
  /** Directory the guest writes results into (under work). */
  results: string;
  /** The caller's script, run with sh. */
  script: string;
}

const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function initScript(paths: InitPaths, modules: readonly string[], env: Readonly<Record<string, string>>): string {
  const boot = `${paths.results}/${BOOT_DIR}`;
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`);
  return `#!/bin/sh
# PID 1 of the lvsd kernel-test guest, written by src/testing/uml-init.ts.
export PATH=${q(GUEST_PATH)}
export GLIBC_TUNABLES=${q(GUEST_GLIBC_TUNABLES)}
export OPENSSL_ia32cap=${q(GUEST_OPENSSL_IA32CAP)}
# HOME and TMPDIR inside the run's work directory, so nothing lands in the host's own.
export HOME=${q(paths.work)} TMPDIR=${q(`${paths.work}/tmp`)}
export LVSD_UML_WORK=${q(paths.work)} LVSD_UML_RESULTS=${q(paths.results)}
${exports.join('\n')}
B=${q(boot)}
mkdir -p "$B" "$TMPDIR"
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# A guest-private /run: \`ip netns add\` keeps its mount points there, and they must not reach the host.
mount -t tmpfs tmpfs /run
# Debian keeps the guest's modules in /usr/lib/uml/modules/VERSION; modprobe -d wants ROOT/lib/modules/VERSION.
# A bind mount under the private /run gives it that shape without touching the host's /lib/modules.
V=$(uname -r)
M=/run/uml-modroot
mkdir -p "$M/lib/modules/$V"
mount --bind "/usr/lib/uml/modules/$V" "$M/lib/modules/$V"
# Load every module up front: the kernel's on-demand request_module starts modprobe without the
# environment above, and it fails in this guest.
for m in ${modules.join(' ')} $(ls "$M/lib/modules/$V/kernel/net/netfilter/ipvs" | sed -n 's/\\.ko.*$//p'); do
  modprobe -d "$M" "$m" 2>>"$B/modprobe.err" || echo "$m" >>"$B/modules-failed"
done
lsmod >"$B/lsmod.txt" 2>&1
: >"$B/ready"
# The boot diagnostics reach the host even if the script later hangs and the guest is killed.
sync
echo ${q(READY_MARKER)}
cd ${q(paths.work)}
sh ${q(paths.script)}
echo $? >"$B/exit-code"
# poweroff -f does not sync, and hostfs keeps written pages in the guest's cache until then.
sync
poweroff -f
`;
}
