/*
 * The receive path: on each readable event, read datagrams until EAGAIN or a batch is full; polled_socket.c
 * hands JS the array of copied Buffers and error values, in arrival order.
 *
 * A socket error on a netlink socket is normally ENOBUFS after the kernel dropped a message it could not queue
 * (net/netlink/af_netlink.c netlink_overrun); polled_socket.c delivers it as a value and keeps watching.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* recvmmsg */
#endif
#include "errno_value.h"
#include "netlink_socket.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Datagrams handed to JS per readable event; epoll is level-triggered, so the loop comes back for the rest. */
#define RX_BATCH NL_RX_SLOTS
#define RX_LIMIT (1024 * 1024)

/*
 * Reads until EAGAIN or a batch is full; appends datagrams and error values to batch in order. recvmmsg takes
 * up to a batch of datagrams per system call: a table load gets one ack datagram per request, and where
 * system calls are dear (a user-mode Linux guest traps each one through ptrace) one call per ack is the cost.
 * The receive area is RX_BATCH slots of rx_cap bytes; a datagram longer than a slot is reported as EMSGSIZE
 * and the slots grow for the next one.
 */
uint32_t nl_drain(lvsd_polled *p, napi_value batch, uint32_t n) {
  nl_socket *s = (nl_socket *)p;
  napi_env env = p->env;
  struct mmsghdr mm[RX_BATCH];
  struct iovec iov[RX_BATCH];
  struct sockaddr_nl from[RX_BATCH];
  while (n < RX_BATCH) {
    unsigned want = RX_BATCH - n;
    memset(mm, 0, sizeof(mm[0]) * want);
    for (unsigned i = 0; i < want; i++) {
      iov[i].iov_base = s->rx + (size_t)i * s->rx_cap;
      iov[i].iov_len = s->rx_cap;
      mm[i].msg_hdr.msg_name = &from[i];
      mm[i].msg_hdr.msg_namelen = sizeof from[i];
      mm[i].msg_hdr.msg_iov = &iov[i];
      mm[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(p->fd, mm, want, MSG_DONTWAIT | MSG_TRUNC, NULL);
    if (got < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      lvsd_batch_push(env, batch, &n, lvsd_errno_value(env, err, "recvmsg"));
      if (err == ENOBUFS) continue; /* reported once per overrun; the queued datagrams are still there */
      break;
    }
    size_t longest = 0;
    for (int i = 0; i < got; i++) {
      size_t len = mm[i].msg_len;
      if (len > s->rx_cap) {
        /* MSG_TRUNC returned the full length: this datagram is lost, the next one of that size will fit. */
        lvsd_batch_push(env, batch, &n, lvsd_errno_value(env, EMSGSIZE, "recvmsg"));
        if (len > longest) longest = len;
        continue;
      }
      if (from[i].nl_pid != 0) continue; /* only the kernel talks to us; drop what other processes send */
      napi_value buf;
      void *unused;
      if (napi_create_buffer_copy(env, len, iov[i].iov_base, &unused, &buf) == napi_ok) lvsd_batch_push(env, batch, &n, buf);
    }
    if (longest > 0) {
      size_t slot = longest < RX_LIMIT ? longest : RX_LIMIT;
      unsigned char *bigger = realloc(s->rx, slot * RX_BATCH);
      if (bigger != NULL) {
        s->rx = bigger;
        s->rx_cap = slot;
      }
    }
    if ((unsigned)got < want) break; /* the queue is empty for now */
  }
  return n;
}
