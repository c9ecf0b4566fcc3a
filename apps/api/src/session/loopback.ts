import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether a connection's remote address is this machine's loopback interface (127.0.0.0/8, ::1, or
 * an IPv4 loopback address mapped into IPv6). Read from the socket, never from a header a client
 * could write (X-Forwarded-For).
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(v4)) return v4.split('.')[0] === '127';
  return isIPv6(address) && (address === '::1' || address === '0:0:0:0:0:0:0:1');
}
