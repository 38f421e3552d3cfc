/*
 * The netlink socket shared by the files of the addon's netlink part:
 *   netlink_socket.c  lifecycle and the JS functions
 *   netlink_create.c  creating the socket (in another network namespace when asked) and its options
 *   netlink_rx.c      the uv_poll receive path that hands JS batches of datagrams and errors
 */
#ifndef LVSD_NETLINK_SOCKET_H
#define LVSD_NETLINK_SOCKET_H

#include <node_api.h>
#include <stdint.h>
#include <uv.h>

typedef struct nl_socket {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_recv;
  napi_ref resource;
  napi_async_context async;
  int fd;
  int closed;        /* close requested: fd released, handle closing */
  int handle_closed; /* uv_close finished: memory may go once JS has let go too */
  int finalized;     /* the JS handle was garbage-collected */
  unsigned char *rx;
  size_t rx_cap;
} nl_socket;

/* Dump skbs are at most 32 KiB (af_netlink.c netlink_dump), so 64 KiB holds any datagram the kernel sends. */
/* Receive area: NL_RX_SLOTS datagram slots of NL_RX_INITIAL bytes each (dumps are sized to fit; acks are tiny). */
#define NL_RX_INITIAL (32 * 1024)
#define NL_RX_SLOTS 64

/* netlink_create.c: a bound-to-nothing netlink socket, or -errno with *failed naming the call that failed. */
int nl_socket_in(int protocol, const char *netns, const char **failed);
/* netlink_create.c: CAP_ACK, EXT_ACK and the receive buffer, best effort. */
void nl_configure(int fd, int64_t rcvbuf);

/* netlink_rx.c: the uv_poll callback. */
void nl_on_poll(uv_poll_t *h, int status, int events);

#endif
