/* Sockets created in another network namespace, and the arguments naming where, shared by the socket kinds. */
#ifndef LVSD_NETNS_SOCKET_H
#define LVSD_NETNS_SOCKET_H

#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/*
 * socket(domain, type, protocol), in the network namespace at `netns` when it is not NULL (setns on this
 * thread only, and back: a socket stays bound to the namespace it was created in, and so do the interface
 * names its ioctls and SO_BINDTODEVICE resolve). Returns the fd, or -errno with *failed naming the call.
 */
int lvsd_socket_in(int domain, int type, int protocol, const char *netns, const char **failed);

/*
 * Reads a JS `netns` argument: a path (into buf, *netns = buf) or null/undefined (*netns = NULL). Returns 0,
 * or -1 with a TypeError pending that names `fn`.
 */
int lvsd_netns_arg(napi_env env, napi_value v, char *buf, size_t size, const char **netns, const char *fn);

/* Sets the receive buffer to `bytes` when positive, past net.core.rmem_max with CAP_NET_ADMIN (SO_RCVBUFFORCE),
 * else as far as the limit allows (SO_RCVBUF). Best effort: a smaller buffer still works. */
void lvsd_set_rcvbuf(int fd, int64_t bytes);

/* The size of a buffer for lvsd_ifname_arg: IFNAMSIZ (16) and one byte to see a name too long. */
#define LVSD_IFNAME_BUF 17

/* Reads an interface name (1 to 15 characters) into buf[LVSD_IFNAME_BUF]; 0, or -1 with a TypeError naming fn. */
int lvsd_ifname_arg(napi_env env, napi_value v, char *buf, const char *fn);

#endif
