import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/**
 * Lab topologies for the privileged tier: network namespaces and veth links the test creates and always
 * removes. Every address lives inside a namespace made here.
 */
export class Lab {
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly prefix: string;

  constructor(tag: string) {
    this.prefix = `lvsd${tag}${process.pid % 10000}`;
  }

  static canRun(): string | null {
    if (process.getuid?.() !== 0) return 'needs root for network namespaces';
    try {
      execFileSync('ip', ['-V'], { stdio: 'ignore' });
    } catch {
      return 'needs iproute2 (ip)';
    }
    return null;
  }

  /** A namespace with loopback up; returns its full name. */
  host(name: string): string {
    const ns = `${this.prefix}-${name}`;
    ip('netns', 'add', ns);
    this.namespaces.push(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A veth pair between two namespaces, each end addressed (CIDR) and up. */
  link(a: string, aAddr: string, b: string, bAddr: string): void {
    const ia = `v${this.namespaces.indexOf(a)}x${this.namespaces.indexOf(b)}`;
    const ib = `v${this.namespaces.indexOf(b)}x${this.namespaces.indexOf(a)}`;
    ip('link', 'add', ia, 'netns', a, 'type', 'veth', 'peer', 'name', ib, 'netns', b);
    ip('-n', a, 'addr', 'add', aAddr, 'dev', ia);
    ip('-n', b, 'addr', 'add', bAddr, 'dev', ib);
    ip('-n', a, 'link', 'set', ia, 'up');
    ip('-n', b, 'link', 'set', ib, 'up');
  }

  /**
   * A bridge in a namespace of its own joining the given hosts as one Ethernet segment (a switch): each host
   * gets interface `ifname`, addressed (CIDR) and up. Three hosts on one link is what a VRRP takeover needs:
   * the old master, the new one, and a host whose neighbour table must follow the address.
   */
  bridge(hosts: readonly { readonly ns: string; readonly addr: string }[], ifname = 'lan0'): void {
    const br = this.host(`br${this.namespaces.length}`);
    ip('-n', br, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', br, 'link', 'set', 'br0', 'up');
    hosts.forEach((h, i) => {
      ip('link', 'add', `p${i}`, 'netns', br, 'type', 'veth', 'peer', 'name', ifname, 'netns', h.ns);
      ip('-n', br, 'link', 'set', `p${i}`, 'master', 'br0', 'up');
      ip('-n', h.ns, 'addr', 'add', h.addr, 'dev', ifname);
      ip('-n', h.ns, 'link', 'set', ifname, 'up');
    });
  }

  /**
   * The IPv6 link-local address of `dev`, waiting (up to 2 s) for addrconf to give it one: IPv6 comes up on a
   * link asynchronously, and until it has, sends to ff02::/16 fail with ENETUNREACH.
   */
  linkLocal(ns: string, dev: string): string {
    for (let i = 0; i < 200; i++) {
      const m = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(this.exec(ns, 'ip', ['-6', 'addr', 'show', 'dev', dev]));
      if (m) return m[1]!;
      execFileSync('sleep', ['0.01']);
    }
    throw new Error(`${dev} in ${ns} has no IPv6 link-local address after 2 s`);
  }

  exec(ns: string, cmd: string, args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });
  }

  /** A long-running process inside a namespace, killed at teardown. */
  spawn(ns: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const c = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(c);
    return c;
  }

  teardown(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const ns of this.namespaces.reverse()) {
      try { ip('netns', 'del', ns); } catch { /* already gone */ }
    }
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
