import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
  address: string;
  port: number;
}

/**
 * The TCP addresses a process listens on, read from Linux's /proc (its socket inodes matched in
 * /proc/net/tcp and tcp6): what the operating system says, without sending any traffic.
 */
export function listeningSockets(pid: number): ListeningSocket[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m ? [m[1]!] : [];
      } catch {
        return []; // closed while reading
      }
    }),
  );
  const out: ListeningSocket[] = [];
  for (const [file, v6] of [
    ['tcp', false],
    ['tcp6', true],
  ] as const) {
    const lines = readFileSync(`/proc/${pid}/net/${file}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = cols;
      if (state !== '0A' || !inodes.has(inode!)) continue; // 0A = LISTEN
      const [hex, port] = local!.split(':');
      out.push({ address: v6 ? ipv6(hex!) : ipv4(hex!), port: parseInt(port!, 16) });
    }
  }
  return out;
}

// /proc/net/tcp writes addresses as host-order (little-endian) 32-bit words.
const ipv4 = (hex: string) => [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
/** Uncompressed, e.g. 0:0:0:0:0:0:0:1 for ::1 and 0:0:0:0:0:ffff:7f00:1 for ::ffff:127.0.0.1. */
function ipv6(hex: string): string {
  const bytes = [0, 1, 2, 3].flatMap((w) =>
    ipv4(hex.slice(w * 8, w * 8 + 8))
      .split('.')
      .map(Number),
  );
  return Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16)).join(':');
}

/** Loopback only: 127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6. */
export function isLoopbackSocket(s: ListeningSocket): boolean {
  if (/^127\./.test(s.address)) return true;
  return s.address === '0:0:0:0:0:0:0:1' || /^0:0:0:0:0:ffff:7f/.test(s.address);
}
