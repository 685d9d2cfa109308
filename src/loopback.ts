const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * True when a URL's host is on this machine (localhost, 127.0.0.0/8, ::1), where plain http cannot
 * leak the key. The one loopback rule of the package: the client, the mock and the contract suite use it.
 */
export function isLoopback(url: URL | string): boolean {
  return LOOPBACK_HOST.test(typeof url === "string" ? url : url.hostname);
}
