/*
 * The netlink socket shared by the files of the addon's netlink part:
 *   netlink_socket.c  lifecycle and the JS functions
 *   netlink_create.c  creating the socket (in another network namespace when asked) and its options
 *   netlink_rx.c      the receive path that reads batches of datagrams and errors
 * The watcher, close and error handling are polled_socket.c's, shared with the other socket kinds.
 */
#ifndef LVSD_NETLINK_SOCKET_H
#define LVSD_NETLINK_SOCKET_H

#include "polled_socket.h"

#include <node_api.h>
#include <stdint.h>

typedef struct nl_socket {
  lvsd_polled base; /* first: the polled socket's callbacks get &base and cast back */
  unsigned char *rx;
  size_t rx_cap;
} nl_socket;

/* Dump skbs are at most 32 KiB (af_netlink.c netlink_dump), so 64 KiB holds any datagram the kernel sends. */
/* Receive area: NL_RX_SLOTS datagram slots of NL_RX_INITIAL bytes each (dumps are sized to fit; acks are tiny). */
#define NL_RX_INITIAL (32 * 1024)
#define NL_RX_SLOTS 64

/* netlink_create.c: CAP_ACK, EXT_ACK and the receive buffer, best effort. */
void nl_configure(int fd, int64_t rcvbuf);

/* netlink_rx.c: the drain function of a netlink socket (lvsd_drain_fn). */
uint32_t nl_drain(lvsd_polled *p, napi_value batch, uint32_t n);

#endif
